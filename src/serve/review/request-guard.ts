import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Most bytes of a request body the API reads; a correction is a few hundred. */
export const MAX_BODY_BYTES = 16 * 1024;

/** A request refused, with the status and the JSON error it is answered with. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Tells whether a bearer token is the admin token. Both are hashed first so the comparison takes
 * the same time whatever their lengths and however much of them matches (no timing oracle).
 */
export function tokenMatches(header: string | undefined, adminToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1] as string), digest(adminToken));
}

/**
 * Refuses a write a browser sends from another site: `Sec-Fetch-Site` (Fetch Metadata) must say
 * same-origin when present, and `Origin` (RFC 6454) must be this server's own when present.
 * Clients that send neither (curl, scripts) still need the token.
 */
export function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new RequestError(403, 'cross-origin', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}` && origin !== `https://${req.headers.host ?? ''}`) {
    throw new RequestError(403, 'cross-origin', `request from another origin refused (${origin.slice(0, 200)})`);
  }
}

/**
 * Reads a JSON request body of at most MAX_BODY_BYTES. Only `application/json` is taken: an HTML
 * form (urlencoded, multipart, text/plain) cannot send it, nor an Authorization header, so no
 * cross-site form can make a correction.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new RequestError(415, 'unsupported-media-type', 'send the body as application/json');
  if (req.headers['content-length'] === undefined) throw new RequestError(411, 'length-required', 'send the body with a Content-Length');
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw new RequestError(413, 'body-too-large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, 'body-too-large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new RequestError(400, 'invalid-json', `the body is not JSON: ${(err as Error).message}`);
  }
}
