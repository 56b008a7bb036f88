export { fetchFeed } from './fetch-feed.js';
export { classifyResponse, type ResponseAction, type ResponseHeaders } from './classify-response.js';
export { createFetchQueue, type FetchQueue, type FetchQueueOptions } from './fetch-queue.js';
export { applyFetchOutcome, backoffDelayMs, isDue, DEFAULT_BACKOFF_POLICY, type BackoffPolicy } from './backoff.js';
export { parseRetryAfter, parseHttpDate } from './retry-after.js';
export {
  DEFAULT_FETCH_OPTIONS,
  DEFAULT_USER_AGENT,
  FEEDFOLD_VERSION,
  MAX_BODY_BYTES,
  FETCH_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  MAX_REDIRECTS,
  type FetchOptions,
} from './fetch-options.js';
