import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { spawnCli, type CliSpawnOptions } from '../helpers/cli.js';

/** What a finished CLI process left behind. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Loopback must never go through a proxy a developer has configured.
const NO_PROXY_ENV = { no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost', http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' };

/**
 * Runs the feedfold CLI from source without blocking this process, so a loopback server in the
 * test process keeps answering the CLI's requests (spawnSync would deadlock it).
 */
export function cli(args: string[], opts: CliSpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, { ...opts, env: { ...NO_PROXY_ENV, FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '', FEEDFOLD_NOW: '', FEEDFOLD_LOG_LEVEL: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Variables that would steer a command away from the test's own config, out folder or time.
const FEEDFOLD_VARS = ['FEEDFOLD_CONFIG', 'FEEDFOLD_OUT', 'FEEDFOLD_NOW', 'FEEDFOLD_LOG_LEVEL'] as const;

type Write = typeof process.stdout.write;

/** Replaces a stream's write with one that appends to a string; returns the undo. */
function capture(stream: NodeJS.WriteStream, sink: (s: string) => void): () => void {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r): r is () => void => typeof r === 'function');
    done?.();
    return true;
  }) as Write;
  return () => {
    stream.write = original;
  };
}

/**
 * Runs a feedfold command through the same `main()` the binary calls, inside this process, with
 * its stdout and stderr captured. A spawned CLI spends about 3 s of CPU loading modules before it
 * does anything, so only the tests about the process itself (exit status, `npm start`, `serve`)
 * spawn one; the rest call this. Not for `serve` or `daemon`, which wait for signals.
 */
export async function feedfold(args: string[], opts: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const saved = new Map<string, string | undefined>();
  const env: Record<string, string | undefined> = { ...Object.fromEntries(FEEDFOLD_VARS.map((k) => [k, undefined])), ...opts.env };
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let stdout = '';
  let stderr = '';
  const restoreOut = capture(process.stdout, (s) => (stdout += s));
  const restoreErr = capture(process.stderr, (s) => (stderr += s));
  try {
    const code = await main(['node', 'feedfold', ...args]);
    return { code, stdout, stderr };
  } catch (e) {
    // What bin/feedfold does with an error main() does not expect: print it, exit 1.
    return { code: 1, stdout, stderr: `${stderr}feedfold: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` };
  } finally {
    restoreOut();
    restoreErr();
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A loopback HTTP server whose routes a test can change between runs. */
export interface Loopback {
  base: string;
  /** Requests seen, as paths. */
  requests: string[];
  /** Answers a path with a status and body (a file path read at request time, or a string). */
  route(urlPath: string, answer: { status?: number; file?: string; body?: string; type?: string }): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.xml': 'application/xml', '.json': 'application/feed+json', '.atom': 'application/atom+xml', '.opml': 'text/x-opml' };

/** Starts a loopback server on 127.0.0.1 with an ephemeral port; unknown paths get 404. */
export async function startLoopback(): Promise<Loopback> {
  const routes = new Map<string, { status?: number; file?: string; body?: string; type?: string }>();
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const urlPath = (req.url ?? '/').split('?')[0]!;
    requests.push(urlPath);
    const answer = routes.get(urlPath);
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = answer.file !== undefined ? readFileSync(answer.file) : (answer.body ?? '');
    const type = answer.type ?? TYPES[path.extname(answer.file ?? urlPath)] ?? 'application/octet-stream';
    res.writeHead(answer.status ?? 200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    route: (p, a) => void routes.set(p, a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
