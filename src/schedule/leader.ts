import type { Logger } from 'pino';
import type { Leadership, LockStore } from '../store/store.js';
import { millisecondsFromEnv } from './env-milliseconds.js';

/** How often a standby leader tries the leadership again by default. */
export const DEFAULT_LEADER_POLL_MS = 5_000;

/** The leadership name of one output feed's clustering: one leader per feed. */
export function leadershipName(feedId: string): string {
  return `cluster:${feedId}`;
}

/** Resolves after `ms`, or at once when `signal` is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits until this process holds the leadership `name`, trying every `pollMs` (a standby polls: the holder's
 * connection ending frees it); `onStandby` is called once, when the first try finds it held. Returns undefined when
 * `signal` is aborted first.
 */
export async function awaitLeadership(
  locks: LockStore,
  name: string,
  opts: { pollMs: number; signal: AbortSignal; logger: Logger; onStandby?: () => void },
): Promise<Leadership | undefined> {
  let waiting = false;
  while (!opts.signal.aborted) {
    try {
      const held = await locks.tryLeadership(name);
      if (held) return held;
      if (!waiting) {
        waiting = true;
        opts.logger.info({ leadership: name }, 'standby: another process leads; waiting to take over');
        opts.onStandby?.();
      }
    } catch (err) {
      // The database is away for a moment: try again at the next poll.
      opts.logger.warn({ err, leadership: name }, 'leadership not tried: the store did not answer');
    }
    await pause(opts.pollMs, opts.signal);
  }
  return undefined;
}

/** Reads the standby's poll interval from FEEDFOLD_LEADER_POLL_MS (milliseconds), else the default. */
export function leaderPollMsFromEnv(env: NodeJS.ProcessEnv): number {
  return millisecondsFromEnv(env, 'FEEDFOLD_LEADER_POLL_MS', DEFAULT_LEADER_POLL_MS, 10);
}
