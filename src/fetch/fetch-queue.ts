import { FeedfoldError } from '../model/errors.js';

/** Limits for createFetchQueue: tasks running at once overall, and per host name. */
export interface FetchQueueOptions {
  concurrency: number;
  perHost: number;
}

/** A queue that runs fetch tasks under a global and a per-host concurrency limit. */
export interface FetchQueue {
  run<T>(url: string, task: () => Promise<T>): Promise<T>;
  inFlight(): number;
}

interface Waiter {
  host: string;
  start: () => void;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    // An unparsable URL still runs (fetchFeed reports it as 'invalid-url'); it gets a host of its own.
    return url;
  }
}

function assertLimit(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new FeedfoldError('fetch', 'invalid-options', `${name} must be a positive integer, got ${value}`);
  }
}

/** Creates a FIFO queue: a waiting task starts as soon as both its host and the global limit have room. */
export function createFetchQueue(opts: FetchQueueOptions): FetchQueue {
  assertLimit('concurrency', opts.concurrency);
  assertLimit('perHost', opts.perHost);
  let running = 0;
  const perHost = new Map<string, number>();
  const waiting: Waiter[] = [];

  const hasRoom = (host: string): boolean => running < opts.concurrency && (perHost.get(host) ?? 0) < opts.perHost;

  function pump(): void {
    // Earliest first; a waiter whose host is full is passed over, not allowed to block other hosts.
    for (let i = 0; i < waiting.length && running < opts.concurrency; ) {
      const waiter = waiting[i]!;
      if (!hasRoom(waiter.host)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      running++;
      perHost.set(waiter.host, (perHost.get(waiter.host) ?? 0) + 1);
      waiter.start();
    }
  }

  function release(host: string): void {
    running--;
    const left = (perHost.get(host) ?? 1) - 1;
    if (left === 0) perHost.delete(host);
    else perHost.set(host, left);
    pump();
  }

  return {
    run<T>(url: string, task: () => Promise<T>): Promise<T> {
      const host = hostOf(url);
      return new Promise<T>((resolve, reject) => {
        const start = (): void => {
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => release(host));
        };
        waiting.push({ host, start });
        pump();
      });
    },
    inFlight: () => running,
  };
}
