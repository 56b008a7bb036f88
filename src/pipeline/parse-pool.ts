import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParseErrorKind } from '../model/parse-report.js';
import type { FromWorker, ToWorker } from './parse-worker.js';
import type { FeedJob, FeedJobResult } from './read-feed-job.js';

/** Looks up a list of article ids in the store: the stored ones, each with its source hash when known. */
export type KnownIds = (ids: readonly string[]) => Promise<ReadonlyMap<string, { sourceHash?: string }>>;

/** Default CPU budget of one feed body (parse and normalize), in milliseconds. */
export const DEFAULT_PARSE_TIMEOUT_MS = 5_000;
/**
 * Default number of parse worker threads: a core is left to the main thread (fetching, clustering,
 * the store), so two from three cores up, else one. Each worker is an engine of its own that
 * compiles and collects for itself: on two cores a second one costs more CPU time (0.7–1.3 s of
 * the 1,000-feed first run) than its parallelism gives back, the three threads taking turns.
 */
export const DEFAULT_PARSE_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

/** Options of one job given to the pool. */
export interface PoolJobOptions {
  /** The job's CPU budget: past it the worker is stopped and the job fails with kind 'timeout'. */
  timeoutMs: number;
  /** What the store holds for the article ids it holds of `ids` (asked from the main thread, which owns the store). */
  known?: KnownIds;
}

/**
 * Worker threads that parse and normalize feed bodies off the main thread, so that the process
 * (a served daemon's /healthz, the other sources' fetches) keeps answering while a body is read,
 * and a body that takes longer than its budget is stopped rather than waited for.
 */
export interface ParsePool {
  /** Runs a job in a worker; resolves with its result, or a 'timeout' / 'crashed' failure. Never rejects. */
  run(job: FeedJob, options: PoolJobOptions): Promise<FeedJobResult>;
  /** Stops every worker; jobs still waiting fail. */
  close(): Promise<void>;
}

interface Pending {
  id: number;
  job: FeedJob;
  options: PoolJobOptions;
  resolve: (result: FeedJobResult) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

/** Says how long a budget is, for people: "5 s", "0.2 s", "1.5 s". */
export function describeSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

function failure(kind: ParseErrorKind, detail: string): FeedJobResult {
  return { ok: false, error: { stage: 'parse', kind, detail }, links: [] };
}

/**
 * Starts a worker on the compiled parse-worker.js; from TypeScript sources (tests, benchmarks run
 * with tsx) the worker registers tsx's loader first, as a worker does not inherit the main
 * thread's module hooks.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', here));
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href;
  const entry = new URL('./parse-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

/** Creates a pool of `size` worker threads, started when the first job needs one and reused for every later job. */
export function createParsePool(opts: { size?: number } = {}): ParsePool {
  const size = Math.max(1, opts.size ?? DEFAULT_PARSE_WORKERS);
  const slots = new Set<Slot>();
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot, result: FeedJobResult): void => {
    const job = slot.current;
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = undefined;
    slot.timer = undefined;
    job?.resolve(result);
  };

  const retire = (slot: Slot): void => {
    slots.delete(slot);
    void slot.worker.terminate();
  };

  const start = (): Slot => {
    const slot: Slot = { worker: spawnWorker(), ready: false };
    slot.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.ready = true;
        dispatch();
      } else if (msg.type === 'known' && slot.current?.id === msg.id) {
        const known = slot.current.options.known;
        const answer = (entries: [string, string | null][]): void => slot.worker.postMessage({ type: 'known', id: msg.id, entries } satisfies ToWorker);
        void Promise.resolve()
          .then(async () => [...((await known?.(msg.ids)) ?? [])].map(([id, stored]): [string, string | null] => [id, stored.sourceHash ?? null]))
          // Without the answer every item is read in full, which is slower but right.
          .then(answer, () => answer([]));
      } else if (msg.type === 'result' && slot.current?.id === msg.id) {
        finish(slot, msg.result);
        dispatch();
      }
    });
    const lost = (why: string): void => {
      if (!slots.has(slot)) return;
      slots.delete(slot);
      if (slot.current) {
        finish(slot, failure('crashed', `${slot.current.job.url ?? 'document'}: the parser stopped (${why}); the feed was skipped`));
      } else if (!slot.ready) {
        // A worker that cannot even start would fail every job the same way: fail them now.
        for (const pending of queue.splice(0)) pending.resolve(failure('internal', `the parser could not start (${why})`));
      }
      dispatch();
    };
    slot.worker.on('error', (err) => lost(err.message));
    slot.worker.on('exit', (code) => lost(`exit code ${code}`));
    slots.add(slot);
    return slot;
  };

  const dispatch = (): void => {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (!slot.ready || slot.current) continue;
      const pending = queue.shift() as Pending;
      slot.current = pending;
      slot.timer = setTimeout(() => {
        // Terminating is the only way to stop synchronous work in a thread; a new worker replaces it.
        retire(slot);
        finish(slot, failure('timeout', `${pending.job.url ?? 'document'} took longer than ${describeSeconds(pending.options.timeoutMs)} to parse; the feed was skipped (limit parse.timeoutMs)`));
        dispatch();
      }, pending.options.timeoutMs);
      slot.worker.postMessage({ type: 'job', id: pending.id, job: pending.job } satisfies ToWorker);
    }
    // Every ready worker is busy now: start workers for the jobs still waiting, up to the pool's size.
    // Counted in loops that run on every call: `queue.length > 0 || [...slots].some(…)` reached the second half first
    // late in a run, without type feedback, and threw this function's optimized code away.
    let starting = 0;
    let working = false;
    for (const slot of slots) {
      if (!slot.ready) starting++;
      if (slot.current) working = true;
    }
    let spare = size - slots.size;
    let needed = queue.length - starting;
    while (spare-- > 0 && needed-- > 0) start();
    // Idle workers must not keep the process alive; busy or starting ones must.
    const busy = queue.length > 0 || working;
    for (const slot of slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  };

  return {
    run(job, options) {
      if (closed) return Promise.resolve(failure('internal', 'the parse pool is closed'));
      return new Promise((resolve) => {
        queue.push({ id: nextId++, job, options, resolve });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.resolve(failure('internal', 'the parse pool was closed'));
      const all = [...slots];
      slots.clear();
      for (const slot of all) finish(slot, failure('internal', 'the parse pool was closed'));
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
