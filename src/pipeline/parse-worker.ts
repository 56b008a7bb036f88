/**
 * The code of a parse worker thread (see parse-pool.ts): runs one feed job at a time and asks the
 * main thread, which owns the store, what it holds for the job's item ids.
 */
import { parentPort } from 'node:worker_threads';
import { runFeedJob, type FeedJob } from './read-feed-job.js';

/** Messages from the pool to a worker. */
export type ToWorker = { type: 'job'; id: number; job: FeedJob } | { type: 'known'; id: number; entries: [string, string | null][] };
/** Messages from a worker to the pool. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'known'; id: number; ids: string[] }
  | { type: 'result'; id: number; result: Awaited<ReturnType<typeof runFeedJob>> };

const port = parentPort;
if (port) {
  const waiting = new Map<number, (entries: [string, string | null][]) => void>();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'known') {
      waiting.get(msg.id)?.(msg.entries);
      waiting.delete(msg.id);
      return;
    }
    const { id, job } = msg;
    const known = (ids: string[]): Promise<Map<string, { sourceHash?: string }>> =>
      new Promise((resolve) => {
        waiting.set(id, (entries) => resolve(new Map(entries.map(([key, hash]) => [key, hash === null ? {} : { sourceHash: hash }]))));
        port.postMessage({ type: 'known', id, ids } satisfies FromWorker);
      });
    void runFeedJob(job, job.lookupKnown ? known : undefined).then((result) => port.postMessage({ type: 'result', id, result } satisfies FromWorker));
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
