/**
 * Hostile-feed benchmark: generates the inputs that once took minutes of CPU (elements nested
 * 100,000 deep, a truncated run of `<!DOCTYPE [`, 64 KB of '@' as an author, a 40 KB style
 * attribute, a title full of things that look like tags and character references) and runs the
 * built `feedfold inspect` on each as a real process, the way an operator would. Prints one line
 * per case with the wall time of the whole process (start-up included), whether feedfold read the
 * feed or refused it, and which limit it reported; the goal is under 2 s each.
 *
 *   npm run bench:hostile
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'feedfold.js');
const NOW = '2025-03-05T12:00:00Z';
const GOAL_SECONDS = 2;
/** A process that has not finished by then is stopped and reported as such. */
const KILL_AFTER_MS = 120_000;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** An RSS 2.0 document with one item whose fields are given as raw XML. */
function rss(item: { title?: string; author?: string; description?: string }): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>' +
    `<item><title>${item.title ?? 'An ordinary headline about the harbour'}</title><link>https://hostile.example/1</link>` +
    `<guid>https://hostile.example/1</guid><pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate>` +
    (item.author === undefined ? '' : `<author>${item.author}</author>`) +
    `<description>${item.description ?? 'The council met on Tuesday and approved the budget for the new harbour bridge.'}</description></item></channel></rss>\n`
  );
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The cases: a name and the document. */
const CASES: [string, string][] = [
  ['baseline', rss({})],
  // 100,000 elements, each opened inside the last: about 300 KB.
  ['nested-100k', rss({ description: '<x>'.repeat(100_000) })],
  // A document that is nothing but an unclosed internal subset, over and over.
  ['doctype-run', `<?xml version="1.0"?>\n${'<!DOCTYPE ['.repeat(30_000)}`],
  ['email-64k', rss({ author: '@'.repeat(65_536) })],
  // Unclosed `url(` calls: what made style sanitizing backtrack.
  ['style-40k', rss({ description: escapeXml(`<p style="${'url(r'.repeat(8_192)}">The council approved the budget.</p>`) })],
  // Tag openings that never close, and references that never end: in the title, read as HTML or not.
  ['title-markup', rss({ title: escapeXml('<a &b <!x &#1 '.repeat(7_000)) })],
];

/** Names the limit a message reports. */
function limitOf(stderr: string): string {
  if (/nesting limit/.test(stderr)) return 'nesting';
  if (/limit parse\.timeoutMs/.test(stderr)) return 'time';
  if (/too-large|exceeds the .*-byte limit/.test(stderr)) return 'size';
  return 'none';
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-hostile-'));
let slowest = 0;
try {
  for (const [name, doc] of CASES) {
    const file = path.join(dir, `${name}.xml`);
    writeFileSync(file, doc);
    const start = performance.now();
    const run = spawnSync(process.execPath, [BIN, 'inspect', file, '--now', NOW], {
      cwd: dir,
      encoding: 'utf8',
      timeout: KILL_AFTER_MS,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FEEDFOLD_CONFIG: '', FEEDFOLD_OUT: '', FEEDFOLD_NOW: '', FEEDFOLD_LOG_LEVEL: '' },
    });
    const seconds = (performance.now() - start) / 1000;
    slowest = Math.max(slowest, seconds);
    let result: string;
    if (run.error || run.signal) result = `killed(${run.signal ?? run.error?.message})`;
    else if (run.status === 0) result = `parsed(items=${(JSON.parse(run.stdout) as unknown[]).length})`;
    else result = 'refused';
    const message = run.stderr.trim().split('\n')[0]?.slice(0, 160) ?? '';
    out(`bench-hostile: case=${name} bytes=${Buffer.byteLength(doc)} seconds=${seconds.toFixed(2)} result=${result} limit=${limitOf(run.stderr)}${message ? ` message="${message.replace(/"/g, "'")}"` : ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
out(`bench-hostile: slowest_seconds=${slowest.toFixed(2)} goal=${GOAL_SECONDS} met=${slowest < GOAL_SECONDS ? 'yes' : 'no'} cores=${os.availableParallelism()}`);
