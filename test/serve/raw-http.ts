import { readFileSync } from 'node:fs';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

/** An HTTP answer as the client received it. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request; the path goes on the wire exactly as given (no URL normalization). */
export function send(base: string, rawPath: string, opts: { method?: string; headers?: Record<string, string>; agent?: Agent } = {}): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Writes raw bytes on a new connection (then half-closes it with `end`) and collects everything
 * the server sends until it closes.
 */
export function sendRaw(port: number, bytes: Buffer | string, opts: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => (opts.end ? socket.end(bytes) : socket.write(bytes)));
    let text = '';
    socket.setEncoding('latin1').on('data', (s: string) => (text += s));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(text) : reject(err)));
    socket.on('close', () => resolve(text));
  });
}

/** Opens a connection that writes `bytes` once connected and never reads what comes back. */
export function connectSilent(port: number, bytes: Buffer | string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.pause();
      socket.write(bytes);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Polls a condition (no fixed sleep decides anything): resolves once it holds, fails after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads an NDJSON log file into records. */
export function readLog(file: string): Array<Record<string, unknown>> {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
