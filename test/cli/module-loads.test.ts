import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Which packages a CLI process loads: an ES module resolve hook logs every module URL, and at exit the CommonJS cache
// adds what was required (createRequire goes around the hooks), both to one file.
const HOOK = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`;
const PRELOAD = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const log = process.env.MODULE_LOG;
register(new URL('./hook.mjs', import.meta.url), { data: { log } });
process.on('exit', () => appendFileSync(log, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n'));
`;

let dir = '';
let runs = 0;

/** Runs `feedfold cluster` over one line; returns the modules its process loaded (URLs and paths). */
function modulesLoadedBy(line: Record<string, unknown>): string[] {
  const input = path.join(dir, 'in.jsonl');
  const log = path.join(dir, `modules-${++runs}.log`);
  writeFileSync(input, `${JSON.stringify(line)}\n`);
  writeFileSync(log, '');
  const r = runCli(['cluster', '--in', input, '--out', path.join(dir, 'out.jsonl')], {
    env: { MODULE_LOG: log, NODE_OPTIONS: `--import ${pathToFileURL(path.join(dir, 'preload.mjs')).href}` },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
}

const isPackage = (name: string) => (m: string) => m.includes(`/node_modules/${name}/`);

describe('modules a feedfold cluster process loads', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-modules-'));
    writeFileSync(path.join(dir, 'hook.mjs'), HOOK);
    writeFileSync(path.join(dir, 'preload.mjs'), PRELOAD);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no HTML parser for lines of text', () => {
    const loaded = modulesLoadedBy({ id: 'a', title: 'Port strike ends', text: 'Dock workers returned to work on Monday after a week-long strike over pay.' });
    expect(loaded.some((m) => m.includes('/.test-dist/cli/cluster-command.js'))).toBe(true);
    for (const name of ['htmlparser2', 'domutils', 'domhandler', 'dom-serializer', 'entities']) expect(loaded.filter(isPackage(name))).toEqual([]);
  });

  it('reads no language tables for a line in ASCII letters that declares its language, and each when a line needs it', () => {
    const tables = ['any-ascii', 'franc-min', 'stopwords-iso'];
    const english = modulesLoadedBy({ id: 'c', title: 'Port strike ends', text: 'Dock workers returned to work on Monday after a week-long strike over pay.', lang: 'en' });
    for (const name of tables) expect(english.filter(isPackage(name)), name).toEqual([]);
    // Undeclared Cyrillic: franc-min tells the language, any-ascii folds its names.
    const russian = modulesLoadedBy({ id: 'd', title: 'Забастовка в порту завершилась', text: 'Портовые рабочие вернулись к работе в понедельник после недельной забастовки из-за оплаты труда.' });
    for (const name of ['any-ascii', 'franc-min']) expect(russian.filter(isPackage(name)).length, name).toBeGreaterThan(0);
  });

  it('loads one copy of htmlparser2, the one sanitize-html uses, for a line of HTML', () => {
    const loaded = modulesLoadedBy({ id: 'b', title: 'Port strike ends', html: '<p>Dock workers returned to work on <b>Monday</b> after a week-long strike over pay.</p>' });
    const parser = loaded.filter(isPackage('htmlparser2'));
    expect(parser.length).toBeGreaterThan(0);
    // Its CommonJS build: the ES module build beside it would be the package loaded twice in a publishing process.
    expect(parser.filter((m) => m.includes('/htmlparser2/lib/esm/'))).toEqual([]);
  });
});
