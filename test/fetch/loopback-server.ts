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
  url(pathname: string): string;
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
  return {
    host,
    port,
    url: (pathname) => `http://${host}:${port}${pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
