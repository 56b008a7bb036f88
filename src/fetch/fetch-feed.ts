import type { IncomingMessage } from 'node:http';
import type { FetchErrorKind, FetchOutcome, FetchRequest } from '../model/fetch.js';
import { classifyResponse, headerValue } from './classify-response.js';
import { FetchFailure } from './fetch-failure.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions } from './fetch-options.js';
import { readBody } from './read-body.js';
import { sendGet } from './send-get.js';

// Feed types first, generic XML after, anything last: some servers answer 406 without the wildcard.
const FEED_ACCEPT =
  'application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/feed+json;q=0.9, ' +
  'application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.5';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const DNS_ERROR_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);

type ErrorOutcome = Extract<FetchOutcome, { kind: 'error' }>;

function failure(
  error: FetchErrorKind,
  detail: string,
  url: string,
  extra: { status?: number; retryAfterMs?: number; permanentUrl?: string } = {},
): ErrorOutcome {
  const outcome: ErrorOutcome = { kind: 'error', error, message: `fetch: ${detail} for ${url}` };
  if (extra.status !== undefined) outcome.status = extra.status;
  if (extra.retryAfterMs !== undefined) outcome.retryAfterMs = extra.retryAfterMs;
  if (extra.permanentUrl !== undefined) outcome.permanentUrl = extra.permanentUrl;
  return outcome;
}

function parseHttpUrl(raw: string, base?: URL): URL | undefined {
  try {
    const url = base === undefined ? new URL(raw) : new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function requestHeaders(req: FetchRequest, opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    accept: FEED_ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
    'user-agent': opts.userAgent,
  };
  // Conditional GET, RFC 9110 §13.1.2 and §13.1.3: the server answers 304 when nothing changed.
  if (req.etag !== undefined) headers['if-none-match'] = req.etag;
  if (req.lastModified !== undefined) headers['if-modified-since'] = req.lastModified;
  return headers;
}

/**
 * Describes a refused connection: the URL of the hop, how it was reached, the address and its range,
 * and the way out for people whose feeds really are on their own network.
 */
function refused(url: URL, start: URL, req: FetchRequest, detail: string): ErrorOutcome {
  const how = [url.href !== start.href ? `redirected from ${start.href}` : '', req.linkedFrom === undefined ? '' : `linked from ${req.linkedFrom}`].filter((s) => s !== '').join(', ');
  return {
    kind: 'error',
    error: 'blocked-address',
    message: `fetch: refused ${url.href}${how === '' ? '' : ` (${how})`}: ${detail}; set fetch.allowPrivateNetworks to read feeds on your own network`,
  };
}

/** Reads ETag and Last-Modified from a response, falling back to the ones sent (a 304 may omit them). */
function validators(res: IncomingMessage, sent: FetchRequest = { url: '' }): { etag?: string; lastModified?: string } {
  const out: { etag?: string; lastModified?: string } = {};
  const etag = headerValue(res.headers, 'etag') ?? sent.etag;
  const lastModified = headerValue(res.headers, 'last-modified') ?? sent.lastModified;
  if (etag !== undefined) out.etag = etag;
  if (lastModified !== undefined) out.lastModified = lastModified;
  return out;
}

async function followRedirects(start: URL, req: FetchRequest, opts: FetchOptions, signal: AbortSignal): Promise<FetchOutcome> {
  const headers = requestHeaders(req, opts);
  const seen = new Set<string>([start.href]);
  let url = start;
  let allPermanent = true;
  for (let redirects = 0; ; redirects++) {
    let res: IncomingMessage;
    try {
      res = await sendGet(url, headers, opts.connectTimeoutMs, signal, opts.addressPolicy);
    } catch (err) {
      // Refused before a byte was sent: no permanent move is kept, so the stored URL never points inside.
      if (err instanceof FetchFailure && err.kind === 'blocked-address') return refused(url, start, req, err.message);
      throw err;
    }
    const status = res.statusCode ?? 0;
    const action = classifyResponse(status, res.headers, opts.now());
    // The stored URL moves only when every hop said "moved permanently" (RFC 9110 §15.4.2, §15.4.9).
    const permanentUrl = redirects > 0 && allPermanent ? url.href : undefined;
    const extra = permanentUrl === undefined ? {} : { permanentUrl };
    if (action.action === 'ok') {
      let body: Buffer;
      try {
        body = await readBody(res, opts.maxBodyBytes, signal);
      } catch (err) {
        // Keep the permanent move even when the body fails, so the stored URL still follows it.
        if (err instanceof FetchFailure) return failure(err.kind, err.message, url.href, { status, ...extra });
        throw err;
      }
      const contentType = headerValue(res.headers, 'content-type');
      const contentLanguage = headerValue(res.headers, 'content-language');
      return {
        kind: 'ok',
        status,
        finalUrl: url.href,
        ...extra,
        body,
        ...(contentType === undefined ? {} : { contentType }),
        ...(contentLanguage === undefined ? {} : { contentLanguage }),
        // Validators describe this exact representation, so only a 200 provides them.
        ...(status === 200 ? validators(res) : {}),
      };
    }
    if (action.action === 'not-modified') {
      // A 304 has no body (RFC 9110 §15.4.5): draining it keeps the connection for the next feed.
      res.resume();
      return { kind: 'not-modified', finalUrl: url.href, ...extra, ...validators(res, req) };
    }
    // Nothing else needs the body; destroying beats draining an unbounded error page.
    res.destroy();
    if (action.action === 'error') {
      const retry = action.retryAfterMs === undefined ? {} : { retryAfterMs: action.retryAfterMs };
      return failure(action.error, action.reason, url.href, { status, ...retry, ...extra });
    }
    allPermanent &&= action.permanent;
    if (redirects >= opts.maxRedirects) {
      return failure('too-many-redirects', `more than ${opts.maxRedirects} redirects`, start.href, { status });
    }
    const next = parseHttpUrl(action.location, url);
    if (next === undefined) return failure('invalid-url', `redirect to unsupported location ${action.location}`, url.href, { status });
    if (seen.has(next.href)) return failure('too-many-redirects', `redirect loop back to ${next.href}`, start.href, { status });
    seen.add(next.href);
    url = next;
  }
}

function kindOfError(err: unknown, timeoutMs: number | undefined): { kind: FetchErrorKind; detail: string } {
  if (err instanceof FetchFailure) return { kind: err.kind, detail: err.message };
  if (timeoutMs !== undefined) return { kind: 'timeout', detail: `no complete response within ${timeoutMs} ms` };
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && DNS_ERROR_CODES.has(code)) return { kind: 'dns', detail: `cannot resolve host (${code})` };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', detail: message };
  return { kind: 'network', detail: typeof code === 'string' ? `${code} ${message}` : message };
}

/** Fetches one feed URL politely and returns its outcome; network and HTTP problems become 'error' outcomes, never exceptions. */
export async function fetchFeed(
  req: FetchRequest,
  opts: FetchOptions = DEFAULT_FETCH_OPTIONS,
  signal?: AbortSignal,
): Promise<FetchOutcome> {
  const start = parseHttpUrl(req.url);
  if (start === undefined) return failure('invalid-url', 'only http and https URLs can be fetched', JSON.stringify(req.url));
  // One controller for the deadline and the caller's signal; a listener (removed afterwards) rather than
  // AbortSignal.any, so a long-lived daemon signal does not collect one dependant per fetch.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.totalTimeoutMs);
  const onCallerAbort = (): void => controller.abort();
  if (signal?.aborted === true) controller.abort();
  else signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await followRedirects(start, req, opts, controller.signal);
  } catch (err) {
    if (!timedOut && signal?.aborted === true) return failure('network', 'aborted by caller', start.href);
    const { kind, detail } = kindOfError(err, timedOut ? opts.totalTimeoutMs : undefined);
    return failure(kind, detail, start.href);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}
