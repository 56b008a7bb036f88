import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BENCH_CORPUS } from '../../bench/cluster/export-corpus.js';
import { generateCorpus } from '../../bench/cluster/generate-corpus.js';
import { mulberry32 } from '../../scripts/eval/prng.js';
import { publishedMs } from '../../src/cli/cluster-batch.js';
import { outputLine } from '../../src/cli/cluster-command.js';
import { readClusterInput } from '../../src/cli/cluster-input.js';
import { LineReader, scanLineKeys } from '../../src/cli/cluster-lines.js';
import { runCli } from '../helpers/cli.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { feedfold } from './cli-harness.js';
import { clusterHeldBatch, outputLines } from './cluster-reference.js';

/** Generated news articles (planted versions up to 6 h apart) as input lines, in a seeded random order, some undated. */
function shuffledCorpusLines(n: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const lines = [...generateCorpus(n, BENCH_CORPUS)].map(({ article }) => ({
    id: article.id,
    title: article.title,
    text: article.text,
    url: article.url,
    ...(rand() < 0.1 ? {} : { published: article.published }),
    source: article.sourceTitle,
  }));
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [lines[i], lines[j]] = [lines[j] as (typeof lines)[number], lines[i] as (typeof lines)[number]];
  }
  return lines.map((l) => JSON.stringify(l));
}

/** One story told by several outlets: which line founds it, and so the ids, depends on the order lines are assigned in. */
const BODY = 'Firefighters in the northern district battled a warehouse blaze through the night, officials said. Residents were evacuated as smoke spread over 12 blocks.';
const story = (id: string, rest: string): string => `{"id":"${id}","title":"Warehouse blaze forces evacuation in northern district","text":"${BODY}",${rest}"source":"${id}"}`;

/** Lines whose `published` is spelled every way JSON allows, and lines around them that readline splits or skips. */
const TRICKY_LINES: readonly string[] = [
  '',
  story('plain', '"published":"2025-01-01T02:00:00.000Z",'),
  story('offset', '"published":"2025-01-01T03:00:00+02:00",'),
  story('rfc822', '"published":"Wed, 01 Jan 2025 00:10:00 GMT",'),
  story('german-month', '"published":"1 Mär 2025 10:00:00 +0100",'),
  story('epoch-ms', '"published":1735693200000,'),
  story('epoch-fraction', '"published":1735693200000.5,'),
  story('undated', ''),
  '   ',
  story('not-a-date', '"published":"yesterday",'),
  story('escaped-value', '"published":"2025-01-01T00:20:00\\u002e000Z",'),
  story('escaped-key', '"publ\\u0069shed":"2025-01-01T00:25:00.000Z",'),
  story('nested', '"meta":{"published":"2030-01-01T00:00:00Z"},"published":"2025-01-01T00:30:00.000Z",'),
  story('nested-only', '"meta":{"published":"2030-01-01T00:00:00Z"},'),
  story('repeated', '"published":"2030-01-01T00:00:00.000Z","published":"2025-01-01T00:35:00.000Z",'),
  `{"id":"in-text","title":"Warehouse blaze forces evacuation","text":"${BODY} Tagged \\"published\\": \\"2030-01-01\\", a, \\"published\\":\\"2031\\"","source":"t"}`,
  story('spaced', ' "published" :  "2025-01-01T00:40:00.000Z" , '),
  `{"id":"as-value","title":"published","source":"published","published":"2025-01-01T00:45:00.000Z","text":"${BODY}"}`,
  story('feb-30', '"published":"2025-02-30T00:00:00.000Z",'),
  story('hour-24', '"published":"2024-12-31T24:00:00.000Z",'),
  story('year-1900', '"published":"1900-01-01T00:00:00Z",'),
  story('year-10000', '"published":253402300800000,'),
  story('year-minus-1', '"published":-62198755200000,'),
  story('escaped-backslash', '"published":"2025-01-01T01:00:00.000Z\\\\",'),
  ` \t${story('indented', '"published":"2025-01-01T00:50:00.000Z",')}`,
  '\u00a0',
  story('zürich', '"published":"2025-01-01T00:55:00.000Z","lang":"de",'),
  '\t',
  story('last-undated', ''),
];

/** Joins lines with LF, CRLF and a lone CR, all of which end a line for readline. */
function joinWithMixedEndings(lines: readonly string[]): string {
  return lines.map((l, i) => `${l}${i % 7 === 3 ? '\r\n' : i % 11 === 5 ? '\r' : '\n'}`).join('');
}

describe('feedfold cluster output lines', () => {
  it('writes each output as JSON.stringify does, ids needing escapes and scores that are no finite number included', () => {
    const action = fc.constantFrom('joined', 'new-story', 'exact-duplicate', 'overridden', 'merged' as const);
    const score = fc.oneof(fc.double(), fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000), fc.constant(-0));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.uuid(), action, score, (id, uuid, act, s) => {
        const output = { id, story: `urn:uuid:${uuid}`, action: act, score: s };
        expect(outputLine(output)).toBe(`${JSON.stringify(output)}\n`);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('feedfold cluster streams its input', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  const write = (name: string, text: string): string => {
    const file = path.join(project.dir, name);
    writeFileSync(file, text);
    return file;
  };

  /** Runs the command in this process; returns its output text, or fails with its stderr. */
  const cluster = async (input: string, extra: string[] = []): Promise<string> => {
    const output = `${input}.out`;
    const result = await feedfold(['cluster', '--in', input, '--out', output, ...extra]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return readFileSync(output, 'utf8');
  };

  it('gives the output of the held batch for lines in no time order, some undated', async () => {
    project = tempProject();
    const input = write('shuffled.jsonl', `${shuffledCorpusLines(600, 7).join('\n')}\n`);
    const expected = outputLines(clusterHeldBatch(await readClusterInput(input)));
    expect(await cluster(input)).toBe(expected);
    expect(expected).toContain('"action":"joined"');
    expect(await cluster(input, ['--window-hours', '2', '--threshold', '0.6'])).toBe(outputLines(clusterHeldBatch(await readClusterInput(input), { windowHours: 2, threshold: 0.6 })));
  });

  it('reads every spelling of `published` as JSON.parse does, from the bytes when it can', async () => {
    project = tempProject();
    const input = write('tricky.jsonl', joinWithMixedEndings(TRICKY_LINES));
    const fd = openSync(input, 'r');
    const keys = scanLineKeys(fd);
    closeSync(fd);
    const lines = TRICKY_LINES.filter((l) => l.trim() !== '');
    const bytes = readFileSync(input);
    expect(keys.count).toBe(lines.length);
    lines.forEach((line, i) => {
      expect(bytes.toString('utf8', keys.offset[i], (keys.offset[i] as number) + (keys.length[i] as number))).toBe(line);
      expect(keys.published[i]).toBe(publishedMs((JSON.parse(line) as { published?: string | number }).published));
    });
    // The order, and so which line founds the story, is the held batch's, years beyond 9999 included.
    expect(await cluster(input)).toBe(outputLines(clusterHeldBatch(await readClusterInput(input))));
  });

  it('reads lines back in an order near the file order, far ones and ones longer than its window too, as the file holds them', () => {
    project = tempProject();
    // 24 MB of lines of every length up to 8 KB, one in 2,000 of 6 MB: three times the second pass's window.
    const rand = mulberry32(5);
    const lines: string[] = [];
    for (let size = 0; size < 24 << 20; ) {
      const line = lines.length % 2000 === 1000 ? `{"n":${lines.length},"t":"${'L'.repeat(6 << 20)}"}` : `{"n":${lines.length},"t":"${'é'.repeat(Math.floor(rand() * 4_000))}"}`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const input = write('near-order.jsonl', `${lines.join('\n')}\n`);
    const fd = openSync(input, 'r');
    try {
      const keys = scanLineKeys(fd);
      expect(keys.count).toBe(lines.length);
      // Each line a little late or early (as versions of a story are), one in fifty read long after the lines around it.
      const order = lines.map((_, i) => ({ i, at: rand() < 0.02 ? i + rand() * 3000 : i + (rand() - 0.5) * 100 })).sort((a, b) => a.at - b.at);
      const reader = new LineReader(fd);
      for (const { i } of order) expect(reader.read(keys.offset[i] as number, keys.length[i] as number)).toBe(lines[i]);
    } finally {
      closeSync(fd);
    }
  });

  it('reads a line longer than the chunks it is scanned in', async () => {
    project = tempProject();
    const lines = shuffledCorpusLines(40, 3);
    const long = JSON.parse(lines[20] as string) as { text: string };
    long.text = `${long.text}\n\n${'More of the same report, at length. '.repeat(150_000)}`;
    lines[20] = JSON.stringify(long);
    const input = write('long.jsonl', lines.join('\n'));
    expect(Buffer.byteLength(lines[20] as string)).toBeGreaterThan(5 << 20);
    expect(await cluster(input)).toBe(outputLines(clusterHeldBatch(await readClusterInput(input))));
  });

  it('reads stdin through a temporary file that it removes', () => {
    project = tempProject();
    const text = joinWithMixedEndings(shuffledCorpusLines(200, 11));
    const input = write('stdin.jsonl', text);
    const tmp = path.join(project.dir, 'tmp');
    mkdirSync(tmp);
    const run = runCli(['cluster', '--in', '-', '--out', '-'], { input: text, env: { TMPDIR: tmp } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return readClusterInput(input).then((inputs) => {
      expect(run.stdout).toBe(outputLines(clusterHeldBatch(inputs)));
      expect(readdirSync(tmp)).toEqual([]);
    });
  });

  it('stops at the first bad line in input order, even one it would assign last, and writes nothing', async () => {
    project = tempProject();
    const good = shuffledCorpusLines(12, 5);
    const lines = [...good.slice(0, 2), '{"id":"late","published":"2030-01-01T00:00:00Z"}', ...good.slice(2, 5), '{"id":"early", "title":', ...good.slice(5)];
    const input = write('bad.jsonl', lines.join('\n'));
    const output = path.join(project.dir, 'bad.out');
    const result = await feedfold(['cluster', '--in', input, '--out', output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl:3: title: /);
    await expect(readClusterInput(input)).rejects.toThrow(result.stderr.replace(/^feedfold: /, '').trim());
    expect(existsSync(output)).toBe(false);

    // A `published` of the wrong type is caught while dates are read, and reported the same way.
    const typed = write('typed.jsonl', [...good.slice(0, 4), '{"id":"n","title":"t","published":null}', ...good.slice(4)].join('\n'));
    const typedRun = await feedfold(['cluster', '--in', typed, '--out', output]);
    expect(typedRun.code).toBe(1);
    expect(typedRun.stderr).toMatch(/typed\.jsonl:5: published: /);

    // A date no Date can hold fails the batch as before, unless a bad line comes first in the checks (all lines are).
    const huge = write('huge.jsonl', [good[0], '{"id":"h","title":"t","published":1e300}', ...good.slice(1)].join('\n'));
    const hugeRun = await feedfold(['cluster', '--in', huge, '--out', output]);
    expect(hugeRun.code).toBe(1);
    expect(hugeRun.stderr).toContain('Invalid time value');
    const both = write('both.jsonl', [good[0], '{"id":"h","title":"t","published":1e300}', ...good.slice(1), 'not json'].join('\n'));
    const bothRun = await feedfold(['cluster', '--in', both, '--out', output]);
    expect(bothRun.stderr).toMatch(new RegExp(`both\\.jsonl:${good.length + 2}: not JSON`));

    const stdinRun = runCli(['cluster', '--in', '-', '--out', '-'], { input: lines.join('\n') });
    expect(stdinRun.status).toBe(1);
    expect(stdinRun.stdout).toBe('');
    expect(stdinRun.stderr).toMatch(/^feedfold: cluster: -:3: title: /);
  });
});
