import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GatedConnection } from './gated-connection.js';

/** Options of {@link guardConnections}. */
export interface ConnectionGuardOptions {
  /** Connections held open at once; one more closes the least recently active. */
  maxConnections: number;
  /** Requests of one connection answered at once; later pipelined ones wait unparsed. */
  maxPipelinedRequests: number;
  /** Bytes of pipelined requests held per connection before the socket is no longer read. */
  maxHeldBytes: number;
  /** Rate-limited warning sink. */
  warn(kind: string, fields: object, msg: string): void;
}

/** What the guard has seen, for tests and benchmarks. */
export interface ConnectionStats {
  /** Connections accepted since the start. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** Most connections open at once since the start. */
  peak: number;
  /** Connections closed to make room for a new one. */
  evicted: number;
  /** Requests handed to the handler since the start. */
  requests: number;
}

/** Most bytes of a request body let through to a handler before it answers (the API's own limit is lower). */
const MAX_ADMITTED_BODY_BYTES = 64 * 1024;

/** The guard of one server: admits each request or drops it. */
export interface ConnectionGuard {
  /** Counts a request against its connection; false when the connection is gone and the request must be dropped. */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  stats(): ConnectionStats;
}

// What Node itself answers to these client errors when no 'clientError' listener is installed.
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};
/** A client that went away is not worth a warning. */
const QUIET_CLIENT_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Bounds what connections can cost the server. Every accepted socket reaches Node's HTTP parser
 * through a {@link GatedConnection}, so pipelined requests are parsed only as fast as they are
 * answered. At most `maxConnections` are open: a new one closes the least recently active (a
 * reader that stopped reading, an idle keep-alive), so a server full of hostile connections still
 * answers a newcomer such as a health check, where refusing new connections
 * (`server.maxConnections`) would lock every newcomer out. Malformed requests are answered as Node
 * would and warned about.
 */
export function guardConnections(server: Server, opts: ConnectionGuardOptions): ConnectionGuard {
  // Node's HTTP server installs its connection listener when it is created; it is re-routed here
  // to receive the gated stream instead of the socket (Node accepts any duplex as a connection).
  const httpListeners = server.listeners('connection') as Array<(this: Server, socket: unknown) => void>;
  const httpConnection = httpListeners[0];
  if (httpListeners.length !== 1 || httpConnection === undefined) throw new Error('serve: guardConnections needs a fresh http.Server');
  server.removeListener('connection', httpConnection);

  // A Map iterates in insertion order; touching a connection re-inserts it, so the first key is
  // always the least recently active connection.
  const open = new Map<GatedConnection, true>();
  let accepted = 0;
  let peak = 0;
  let evicted = 0;
  let requests = 0;

  const touch = (conn: GatedConnection): void => {
    if (!open.delete(conn)) return;
    open.set(conn, true);
  };

  server.on('connection', (raw: Socket) => {
    const conn = new GatedConnection(raw, opts.maxPipelinedRequests, opts.maxHeldBytes);
    accepted += 1;
    open.set(conn, true);
    conn.once('close', () => open.delete(conn));
    while (open.size > opts.maxConnections) {
      const oldest = open.keys().next().value as GatedConnection;
      open.delete(oldest);
      oldest.destroy();
      evicted += 1;
      opts.warn('connection-limit', { maxConnections: opts.maxConnections }, 'serve: connection limit reached; closed the least recently active connection');
    }
    peak = Math.max(peak, open.size);
    httpConnection.call(server, conn);
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: GatedConnection) => {
    const code = err.code ?? 'unknown';
    if (!QUIET_CLIENT_ERRORS.has(code)) opts.warn('bad-request', { code, remote: socket.remoteAddress }, 'serve: bad request');
    // A status line only where no response has started on the connection, or it would corrupt one.
    if (socket.writable && socket.requestsInFlight === 0) {
      socket.write(`HTTP/1.1 ${CLIENT_ERROR_STATUS[code] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy();
  });

  return {
    admit(req, res) {
      const conn = req.socket as unknown as GatedConnection;
      if (!open.has(conn) || conn.destroyed) return false;
      touch(conn);
      requests += 1;
      conn.track(res);
      // A body the handler may read (a correction) passes the gate now; a larger one waits, and is refused unread.
      const length = Number(req.headers['content-length'] ?? 0);
      if (Number.isSafeInteger(length) && length > 0 && length <= MAX_ADMITTED_BODY_BYTES) conn.allowBody(length);
      res.once('close', () => touch(conn));
      return true;
    },
    stats: () => ({ accepted, open: open.size, peak, evicted, requests }),
  };
}
