/** Characters of a request target kept in a log record; the rest is only counted. */
const MAX_LOGGED_URL_CHARS = 120;
/** Characters of an error message kept in a log record. */
const MAX_LOGGED_MESSAGE_CHARS = 300;

/**
 * Returns a request target fit for a log record: bytes outside printable ASCII percent-encoded
 * (no control or bidi characters reach a terminal that shows the log), cut to a short prefix with
 * the length of the rest, so a 14,000-character name costs a few hundred bytes of log, not 56 KB.
 */
export function loggedUrl(url: string | undefined): string {
  const raw = url ?? '';
  const head = raw.slice(0, MAX_LOGGED_URL_CHARS).replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return raw.length > MAX_LOGGED_URL_CHARS ? `${head}…(+${raw.length - MAX_LOGGED_URL_CHARS} chars)` : head;
}

/** Returns the fields of an error worth logging, its message cut short (it may quote a request). */
export function loggedError(err: unknown): { type: string; code?: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  const message = e.message.length > MAX_LOGGED_MESSAGE_CHARS ? `${e.message.slice(0, MAX_LOGGED_MESSAGE_CHARS)}…` : e.message;
  return { type: e.name, ...(code !== undefined ? { code } : {}), message };
}
