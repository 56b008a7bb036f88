// node:http(s) rather than the built-in fetch or undici's request: we need the raw, still-compressed
// byte stream (to cap wire bytes and decoded bytes separately), manual redirects (to see every hop's
// status), and a distinct connect timeout; node:http gives all three with no hidden behaviour.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressPolicy } from './address-policy.js';
import { guardConnection } from './connect-guard.js';
import { FetchFailure } from './fetch-failure.js';

/**
 * Sends one GET (no redirect following, no decoding) and resolves when the response headers
 * arrive. A kept-alive connection the server closed while idle fails with ECONNRESET before any
 * response; that request is sent once more on a fresh connection, as browsers do (a GET is
 * idempotent, RFC 9110 §9.2.2). Only addresses `policy` allows are connected to; a forbidden one
 * rejects with FetchFailure('blocked-address') before any byte is sent.
 */
export async function sendGet(
  url: URL,
  headers: Record<string, string>,
  connectTimeoutMs: number,
  signal: AbortSignal,
  policy: AddressPolicy,
): Promise<IncomingMessage> {
  try {
    return await sendOnce(url, headers, connectTimeoutMs, signal, policy, false);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return sendOnce(url, headers, connectTimeoutMs, signal, policy, true);
  }
}

/** A reused keep-alive socket was closed by the server before the request got an answer. */
class StaleSocketError extends Error {}

function sendOnce(
  url: URL,
  headers: Record<string, string>,
  connectTimeoutMs: number,
  signal: AbortSignal,
  policy: AddressPolicy,
  freshConnection: boolean,
): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  const { lookup, agent } = guardConnection(url, policy);
  return new Promise((resolve, reject) => {
    // The lookup goes on the request too: a fresh connection (agent: false) does not use the pool's options.
    const req = client.request(url, { method: 'GET', headers, signal, lookup, agent: freshConnection ? false : agent });
    req.once('socket', (socket) => {
      // A reused keep-alive socket is already connected; only a fresh one can hang in connect.
      if (!socket.connecting) return;
      const timer = setTimeout(() => {
        req.destroy(new FetchFailure('timeout', `connect timeout after ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      const clear = (): void => clearTimeout(timer);
      socket.once('connect', clear);
      socket.once('close', clear);
    });
    req.once('response', resolve);
    req.once('error', (err: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      reject(stale ? new StaleSocketError(err.message) : err);
    });
    req.end();
  });
}
