/** Closed set of fetch failures; each becomes one stable key in logs and `feedfold sources` (`fetch.timeout`). */
export const FETCH_ERROR_KINDS = [
  'network',
  'dns',
  'timeout',
  'too-large',
  'too-many-redirects',
  'http-client-error',
  'http-server-error',
  'http-too-many-requests',
  'http-gone',
  'http-not-found',
  'invalid-url',
  'blocked-address',
  'file-not-found',
  'decompression',
] as const;

/** One of FETCH_ERROR_KINDS. */
export type FetchErrorKind = (typeof FETCH_ERROR_KINDS)[number];

/** A conditional GET of one feed URL. */
export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
  /** The page that linked this URL (feed auto-discovery); named in errors, never sent. */
  linkedFrom?: string;
}

export type FetchOutcome =
  | {
      kind: 'ok';
      status: number;
      /** URL the body came from after redirects. */
      finalUrl: string;
      /** Set when a permanent redirect (301/308) was followed: the stored URL should become this. */
      permanentUrl?: string;
      body: Buffer;
      contentType?: string;
      /** HTTP Content-Language (RFC 9110 §8.5), the feed's language when the document names none. */
      contentLanguage?: string;
      etag?: string;
      lastModified?: string;
    }
  | {
      kind: 'not-modified';
      finalUrl: string;
      permanentUrl?: string;
      etag?: string;
      lastModified?: string;
    }
  | {
      kind: 'error';
      error: FetchErrorKind;
      message: string;
      status?: number;
      /** From Retry-After, in milliseconds from now. */
      retryAfterMs?: number;
      permanentUrl?: string;
    };
