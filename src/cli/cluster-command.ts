import { closeSync, createReadStream, createWriteStream, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClusterOptions } from '../cluster/create-story-index.js';
import { articleOf, BatchStories, firstSeenTimes, isoOf, timeOrder, type ClusterOutput } from './cluster-batch.js';
import { parseClusterLine, readClusterLines } from './cluster-input.js';
import { LineReader, scanLineKeys } from './cluster-lines.js';

export { clusterBatch, type ClusterOutput } from './cluster-batch.js';
export { readClusterInput, type ClusterInput } from './cluster-input.js';

/** Output lines gathered into one write. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * Throws the first bad line of the input (in input order, with its line number) if it has one: an error met while
 * lines are taken in time order is reported as if the input had been read in order first.
 */
async function throwFirstBadLine(file: string, label: string): Promise<void> {
  for await (const _ of readClusterLines(createReadStream(file), label));
}

/**
 * Clusters the lines of a regular file (open at `fd`, at `file`) in two passes with bounded memory: the first keeps
 * each line's offset, length and date; the second reads the lines back one at a time in time order, normalizes and
 * assigns each. `label` names the input in errors.
 */
async function clusterFile(fd: number, file: string, label: string, options: Partial<ClusterOptions>): Promise<BatchStories> {
  try {
    const keys = scanLineKeys(fd);
    const seen = firstSeenTimes(keys.published.subarray(0, keys.count));
    const order = timeOrder(seen);
    const stories = new BatchStories(keys.count, options, { times: seen, order });
    const reader = new LineReader(fd);
    for (const line of order) {
      const input = parseClusterLine(reader.read(keys.offset[line] as number, keys.length[line] as number), label);
      const published = keys.published[line] as number;
      const seenIso = isoOf(seen[line] as number);
      // A dated line was first seen at its date (see firstSeenTimes).
      stories.place(line, input.id, articleOf(input, Number.isNaN(published) ? undefined : published === seen[line] ? seenIso : isoOf(published), seenIso));
    }
    return stories;
  } catch (err) {
    await throwFirstBadLine(file, label);
    throw err;
  }
}

/** Copies a stream that cannot be read at positions (stdin, a pipe) to a temporary file, clusters that and removes it. */
async function clusterSpooled(input: Readable, label: string, options: Partial<ClusterOptions>): Promise<BatchStories> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-cluster-'));
  try {
    const spool = path.join(dir, 'input.jsonl');
    await pipeline(input, createWriteStream(spool));
    const fd = openSync(spool, 'r');
    try {
      return await clusterFile(fd, spool, label, options);
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Clusters a JSON Lines file, or stdin for `-`. */
async function clusterInput(file: string, options: Partial<ClusterOptions>): Promise<BatchStories> {
  if (file === '-') return clusterSpooled(process.stdin, file, options);
  const fd = openSync(file, 'r');
  if (!fstatSync(fd).isFile()) return clusterSpooled(createReadStream(file, { fd }), file, options);
  try {
    return await clusterFile(fd, file, file, options);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes one output line as JSON.stringify writes the output, in a third of its time: the story is a `urn:uuid:` id
 * (see storyIdFor) and the action a plain word, so only the id can need escaping; a score that is no finite number
 * is written as JSON writes it, `null`.
 */
export function outputLine(r: ClusterOutput): string {
  return `{"id":${JSON.stringify(r.id)},"story":"${r.story}","action":"${r.action}","score":${Number.isFinite(r.score) ? r.score : 'null'}}\n`;
}

/** Writes every line's output, in input order. */
async function writeOutputs(stories: BatchStories, out: string): Promise<void> {
  const stream = out === '-' ? process.stdout : createWriteStream(out);
  let chunk = '';
  for (const r of stories.outputs()) {
    chunk += outputLine(r);
    if (chunk.length < WRITE_CHUNK_CHARS) continue;
    if (!stream.write(chunk)) await once(stream, 'drain');
    chunk = '';
  }
  if (chunk !== '') stream.write(chunk);
  if (stream !== process.stdout) {
    stream.end();
    await once(stream, 'finish');
  }
}

/**
 * Runs `feedfold cluster --in FILE.jsonl --out FILE.jsonl`. Lines are assigned in time order without holding the
 * input: memory grows by tens of bytes a line beyond the index's window, and nothing is written before every line is
 * placed (a bad line stops with its line number and no output).
 */
export async function clusterCommand(opts: { in: string; out: string; threshold?: string; mergeThreshold?: string; windowHours?: string }): Promise<number> {
  const options: Partial<ClusterOptions> = {
    ...(opts.threshold !== undefined ? { threshold: Number(opts.threshold) } : {}),
    ...(opts.mergeThreshold !== undefined ? { mergeThreshold: Number(opts.mergeThreshold) } : {}),
    ...(opts.windowHours !== undefined ? { windowHours: Number(opts.windowHours) } : {}),
  };
  await writeOutputs(await clusterInput(opts.in, options), opts.out);
  return 0;
}
