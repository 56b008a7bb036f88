/**
 * Lists every regular expression literal in the stages that read feed text (src/parse,
 * src/normalize, src/publish, src/sanitize by default, or the folders and files given as arguments) with the
 * verdict of the recheck ReDoS checker: `safe` means matching time is linear in the input, anything
 * else (polynomial or exponential backtracking, or no verdict in time) is printed with a string
 * that shows it. A pattern that only sees input of bounded length is listed with its bound
 * (BOUNDED), and `new RegExp(…)`, built at run time, with what a person found (DYNAMIC_REVIEWED).
 * Exits 1 when any pattern is not safe, or a `new RegExp(…)` was never reviewed.
 *
 *   npm run audit:regex [-- src/cluster src/parse/map-rss.ts]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TARGETS = ['src/parse', 'src/normalize', 'src/publish', 'src/sanitize'];
/** Per-pattern analysis time limit; a pattern without a verdict by then counts as not safe. */
const CHECK_TIMEOUT_MS = 20_000;

/**
 * Patterns that are not linear in general but only ever see input of bounded length, each with
 * the bound (checked by a person, in the code named): file, the start of the pattern, why.
 */
const BOUNDED: ReadonlyArray<readonly [string, string, string]> = [
  ['src/parse/parse-date.ts', '^(?:[A-Za-z]+,?\\s+)?([A-Za-z]+)', 'parseDate reads at most 100 characters'],
  ['src/normalize/boilerplate-lines.ts', '^(?:[Bb]y|[Vv]on|', 'bylines: lines of at most 14 words and 400 characters'],
  ['src/normalize/boilerplate-lines.ts', '\\((?:AP|AFP|', 'an attempt reads at most 70 characters from its "(" to its ")"'],
  ['src/normalize/boilerplate-lines.ts', '(?:continue reading|', 'tried only in the last 178 characters before the closing arrows'],
];

/** `new RegExp(…)` sites, checked by a person (their sources, printed at run time, through recheck). */
const DYNAMIC_REVIEWED: Readonly<Record<string, string>> = {
  'src/sanitize/tracking.ts:TRACKER_URL': 'literal hosts; each `(?:[^/]*\\.)?` starts after a `//` and cannot pass the next `/`, so a URL is read about once',
  'src/parse/text-construct.ts:ESCAPED_TAG_HEAD_RE': 'sticky, tried once per `&lt;`',
  'src/parse/text-construct.ts:LEADING_ESCAPED_TAG_RE': 'safe',
  'src/normalize/boilerplate-lines.ts:DATE_LINE': 'lines of at most 14 words and 400 characters',
  'src/normalize/boilerplate-lines.ts:SECTION_HEADER': 'lines of at most 120 characters',
  'src/normalize/boilerplate-lines.ts:END_MARKER': 'lines of at most 120 characters',
  'src/normalize/boilerplate-lines.ts:LABELLED_LIST': 'safe',
  'src/normalize/truncation.ts:CUT_MARKER': 'the last 300 characters of a text',
  'src/normalize/tracking-pixel.ts:TRACKER_URL': 'each attempt stays within one path segment (linear when measured; the fuzzer reports otherwise)',
};

function sourceFiles(target: string): string[] {
  const full = path.resolve(ROOT, target);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .sort()
    .flatMap((name) => sourceFiles(path.join(full, name)))
    .filter((f) => f.endsWith('.ts'));
}

interface Found {
  where: string;
  literal?: { source: string; flags: string };
  dynamic?: string;
}

function findPatterns(file: string): Found[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const where = (node: ts.Node): string => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText();
      const slash = literal.lastIndexOf('/');
      found.push({ where: where(node), literal: { source: literal.slice(1, slash), flags: literal.slice(slash + 1) } });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
      const name = ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '?';
      found.push({ where: where(node), dynamic: `${path.relative(ROOT, file)}:${name}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_TARGETS;
let checked = 0;
let unsafe = 0;
let dynamic = 0;
let bounded = 0;
for (const file of targets.flatMap(sourceFiles)) {
  const relative = path.relative(ROOT, file);
  for (const f of findPatterns(file)) {
    if (f.dynamic !== undefined) {
      const reviewed = DYNAMIC_REVIEWED[f.dynamic];
      if (reviewed === undefined) dynamic++;
      process.stdout.write(`${reviewed === undefined ? 'dynamic' : 'reviewed'}    ${f.where}  ${f.dynamic}${reviewed === undefined ? ': check by hand' : `: ${reviewed}`}\n`);
      continue;
    }
    const { source, flags } = f.literal as { source: string; flags: string };
    checked++;
    const bound = BOUNDED.find(([boundFile, start]) => boundFile === relative && source.startsWith(start));
    if (bound) {
      bounded++;
      process.stdout.write(`bounded     ${f.where}  ${bound[2]}\n`);
      continue;
    }
    // g and y change where a match starts, not how long one attempt takes; recheck models a search.
    const verdict = checkSync(source, flags.replace(/[gy]/g, ''), { timeout: CHECK_TIMEOUT_MS, randomSeed: 1 });
    if (verdict.status === 'safe') continue;
    unsafe++;
    const why = verdict.status === 'vulnerable' ? `${verdict.complexity.summary}; attack ${verdict.attack.pattern}` : `no verdict (${verdict.error.kind})`;
    process.stdout.write(`${verdict.status.padEnd(11)} ${f.where}  /${source.length > 100 ? `${source.slice(0, 100)}…` : source}/${flags}  ${why}\n`);
  }
}
process.stdout.write(`regex-audit: patterns=${checked} not_safe=${unsafe} bounded=${bounded} dynamic_unreviewed=${dynamic} targets=${targets.join(',')}\n`);
process.exitCode = unsafe > 0 || dynamic > 0 ? 1 : 0;
