/**
 * Slow-reader benchmark of `feedfold serve`: many connections each pipeline a burst of feed
 * requests and never read a byte of the answers, while a probe asks for /healthz from a fresh
 * connection every quarter second. The server is the installed CLI (`bin/feedfold.js`, dist/
 * rebuilt from src/ first) in its own process. Prints the probe's latency, how many probes failed, and the
 * server process's peak RSS and most open sockets (read from /proc, so Linux only).
 *
 *   npx tsx bench/serve-slowloris.ts [--connections 2000] [--pipelined 1000] [--seconds 20] [--cap N]
 *
 * `--cap` sets `serve.maxConnections` in the config of the served project.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stringifyYaml as stringify } from '../src/config/yaml-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROBE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 60_000;
const FEED_ENTRIES = 200;

function intArg(argv: string[], name: string, fallback: number | undefined): number | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got ${argv[i + 1]}`);
  return n;
}

/** A feed of a realistic size (~150 KB), so every answer is far larger than a socket buffer's share. */
function sampleFeed(): string {
  const entries = Array.from(
    { length: FEED_ENTRIES },
    (_, i) =>
      `<entry><id>urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}</id><title>Story ${i}</title>` +
      `<updated>2025-03-01T00:00:00Z</updated><content type="html">${'Paragraph of the story. '.repeat(30)}</content></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:bench,2025:feed</id><title>bench</title><updated>2025-03-01T00:00:00Z</updated>${entries.join('')}</feed>\n`;
}

/** Reads a field of /proc/<pid>/status in kB, as MB. */
function procStatusMb(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
}

/** Counts the sockets the process holds open (the listening one included). */
function openSockets(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n += 1;
    } catch {
      // The descriptor closed between the listing and the read.
    }
  }
  return n;
}

function probe(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const connections = intArg(argv, '--connections', 2000) ?? 2000;
  const pipelined = intArg(argv, '--pipelined', 1000) ?? 1000;
  const seconds = intArg(argv, '--seconds', 20) ?? 20;
  const cap = intArg(argv, '--cap', undefined);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-slowloris-'));
  const outDir = path.join(dir, 'out');
  mkdirSync(outDir);
  writeFileSync(path.join(outDir, 'feed.atom'), sampleFeed());
  const config = path.join(dir, 'feedfold.yaml');
  writeFileSync(config, stringify({ out: 'out', log: { file: '' }, serve: cap !== undefined ? { maxConnections: cap } : {} }));

  // The installed CLI (bin/feedfold.js over dist/), built from the current source.
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT, stdio: 'inherit' });
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'feedfold.js'), 'serve', '-c', config, '--port', '0', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      text += s;
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const pid = child.pid ?? 0;
  const rssStartMb = procStatusMb(pid, 'VmRSS');

  const burst = Buffer.from('GET /feed.atom HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: identity\r\n\r\n'.repeat(pipelined));
  const sockets: Socket[] = [];
  let connected = 0;
  let connectedMs = Number.NaN;
  const attackStart = performance.now();
  for (let i = 0; i < connections; i += 1) {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('connect', () => {
      connected += 1;
      if (connected === connections) connectedMs = performance.now() - attackStart;
      // Never read: the answers pile up in the buffers, as with a slow or hostile reader. A paused
      // socket does not even notice when the server closes it.
      socket.pause();
      socket.write(burst);
    });
    socket.on('error', () => undefined);
  }

  const latencies: number[] = [];
  // Probes sent once every attacker is connected: the first ones can also wait on the kernel's
  // accept queue (2,000 SYNs at once overflow it and are retried after 1, 3, 7 s).
  const settled: number[] = [];
  let failed = 0;
  let socketsMax = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const afterConnect = connected === connections;
    try {
      const ms = await probe(port);
      latencies.push(ms);
      if (afterConnect) settled.push(ms);
    } catch {
      failed += 1;
    }
    socketsMax = Math.max(socketsMax, openSockets(pid));
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  const rssPeakMb = procStatusMb(pid, 'VmHWM');
  const rssEndMb = procStatusMb(pid, 'VmRSS');
  for (const s of sockets) s.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });

  const fmt = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  process.stdout.write(
    `bench-serve-slowloris: connections=${connections} pipelined=${pipelined} seconds=${seconds} cap=${cap ?? 'default'} ` +
      `connected=${connected} all_connected_after_ms=${fmt(connectedMs)} healthz_ok=${latencies.length} healthz_failed=${failed} healthz_p50_ms=${fmt(percentile(latencies, 50))} healthz_p99_ms=${fmt(percentile(latencies, 99))} healthz_max_ms=${fmt(Math.max(...latencies))} healthz_max_once_connected_ms=${fmt(Math.max(...settled))} ` +
      `rss_start_mb=${fmt(rssStartMb)} rss_peak_mb=${fmt(rssPeakMb)} rss_end_mb=${fmt(rssEndMb)} server_sockets_max=${socketsMax}\n`,
  );
}

await main();
