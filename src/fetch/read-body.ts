import type { IncomingMessage } from 'node:http';
import { addAbortSignal, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { FetchFailure } from './fetch-failure.js';

/** Builds the decoders for a Content-Encoding list, last-applied first (RFC 9110 §8.4). */
export function createDecoders(contentEncoding: string | undefined): Transform[] {
  if (contentEncoding === undefined) return [];
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip();
    // RFC 9110 §8.4.1.2: "deflate" is the zlib format (RFC 1950), which createInflate expects.
    if (coding === 'deflate') return zlib.createInflate();
    if (coding === 'br') return zlib.createBrotliDecompress();
    throw new FetchFailure('decompression', `unsupported content-encoding ${coding}`);
  });
}

function isDecoderError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // zlib reports Z_DATA_ERROR / Z_BUF_ERROR; brotli reports ERR__ERROR_FORMAT_… codes.
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__') || code.includes('BROTLI'));
}

function byteLimiter(maxBytes: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new FetchFailure('too-large', `body exceeds ${maxBytes} bytes (${what})`));
      else callback(null, chunk);
    },
  });
}

/**
 * Reads a body sent without a content coding (most feeds) as its chunks arrive: the same limit and
 * outcomes as the pipeline below, without building a stream pipeline for every response.
 */
async function readIdentity(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  addAbortSignal(signal, res);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new FetchFailure('too-large', `body exceeds ${maxBytes} bytes (on the wire)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, bytes);
}

/** Reads and decodes a response body, aborting as soon as the wire bytes or the decoded bytes pass `maxBytes`. */
export async function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new FetchFailure('too-large', `body exceeds ${maxBytes} bytes (content-length ${declared})`);
  }
  let decoders: Transform[];
  try {
    decoders = createDecoders(res.headers['content-encoding']);
  } catch (err) {
    res.destroy();
    throw err;
  }
  if (decoders.length === 0) return readIdentity(res, maxBytes, signal);
  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  const collector = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      decodedBytes += chunk.length;
      // Checked on the decoded side too: a 50 KB gzip of zeros can inflate to gigabytes.
      if (decodedBytes > maxBytes) {
        callback(new FetchFailure('too-large', `body exceeds ${maxBytes} bytes (decoded)`));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline([res, byteLimiter(maxBytes, 'on the wire'), ...decoders, collector], { signal });
  } catch (err) {
    if (err instanceof FetchFailure || signal.aborted) throw err;
    if (isDecoderError(err)) throw new FetchFailure('decompression', `cannot decode body: ${(err as Error).message}`);
    throw err;
  }
  return Buffer.concat(chunks);
}
