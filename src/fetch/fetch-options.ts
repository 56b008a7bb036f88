import { publicAddressesOnly, type AddressPolicy } from './address-policy.js';

/** Version written into the default User-Agent; a test keeps it equal to package.json. */
export const FEEDFOLD_VERSION = '0.1.0';

/** Default User-Agent: names the software and where to learn about it, as polite crawlers do. */
export const DEFAULT_USER_AGENT = `feedfold/${FEEDFOLD_VERSION} (+https://github.com/feedfold/feedfold)`;

/** Time allowed for the TCP connection to be established. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Time allowed for the whole fetch: every redirect hop, headers and body. */
export const FETCH_TIMEOUT_MS = 30_000;
/** Largest body accepted, counted on the wire bytes and again on the decoded bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Redirects followed before giving up; the next one is 'too-many-redirects'. */
export const MAX_REDIRECTS = 5;

/** How fetchFeed behaves; every limit is explicit so tests can shrink it. */
export interface FetchOptions {
  userAgent: string;
  connectTimeoutMs: number;
  /** Whole-fetch deadline, so a server that trickles one byte per second is cut off. */
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Which addresses may be connected to, checked after DNS resolution on every hop; public ones only by default. */
  addressPolicy: AddressPolicy;
  /** Current time in epoch milliseconds; Retry-After HTTP-dates are measured from it. */
  now: () => number;
}

/** Default options for fetching feeds from the open web. */
export const DEFAULT_FETCH_OPTIONS: Readonly<FetchOptions> = Object.freeze({
  userAgent: DEFAULT_USER_AGENT,
  connectTimeoutMs: CONNECT_TIMEOUT_MS,
  totalTimeoutMs: FETCH_TIMEOUT_MS,
  maxBodyBytes: MAX_BODY_BYTES,
  maxRedirects: MAX_REDIRECTS,
  addressPolicy: publicAddressesOnly,
  now: () => Date.now(),
});
