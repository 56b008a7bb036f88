import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anyAddress } from '../../src/fetch/address-policy.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions } from '../../src/fetch/fetch-options.js';
import { FIXTURES } from '../helpers/paths.js';

/** The default fetch options with loopback allowed: what every test against a loopback server uses. */
export const LOOPBACK_FETCH_OPTIONS: Readonly<FetchOptions> = Object.freeze({ ...DEFAULT_FETCH_OPTIONS, addressPolicy: anyAddress });

/** A node:http server on a loopback address, started for one test file. */
export interface Loopback {
  host: string;
  port: number;
  /** `http://host:port`, an IPv6 host in brackets. */
  origin: string;
  url(pathname: string): string;
  /** TCP connections accepted so far (a refused fetch must open none). */
  connections: number;
  /** The request targets received so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a node:http server on `host` (127.0.0.1 by default) on a free port. */
export async function startLoopback(handler: http.RequestListener, host = '127.0.0.1'): Promise<Loopback> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const loopback: Loopback = {
    host,
    port,
    origin,
    url: (pathname) => `${origin}${pathname}`,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => loopback.connections++);
  server.on('request', (req: http.IncomingMessage) => loopback.requests.push(req.url ?? ''));
  return loopback;
}

/** Reads a fixture of the fetch stage. */
export function fetchFixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, 'fetch', name));
}

/** Resolves when `res` is finished or its connection is gone, whichever comes first. */
export function settled(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.writableFinished || res.destroyed) resolve();
    res.once('finish', () => resolve());
    res.once('close', () => resolve());
  });
}
