import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapPacked } from '../../src/model/packed-map.js';
import { ROOT } from '../helpers/paths.js';

/**
 * Maps lines in a caller optimized by the engine (natives syntax, in a child process of the compiled code) and prints,
 * for Array.prototype.map and for mapPacked, whether the result is holey.
 */
const OPTIMIZED_CALLER = `
const { mapPacked } = await import(process.argv[1]);
const viaBuiltin = (lines) => lines.map((line) => line.trim());
const viaPacked = (lines) => mapPacked(lines, (line) => line.trim());
const holey = {};
for (const [name, f] of [['builtin', viaBuiltin], ['packed', viaPacked]]) {
  %PrepareFunctionForOptimization(f);
  f(['a ', ' b']);
  f(['c']);
  %OptimizeFunctionOnNextCall(f);
  const result = f(['d ', 'e']);
  holey[name] = %HasHoleyElements(result);
}
process.stdout.write(JSON.stringify(holey));
`;

describe('mapPacked', () => {
  it('maps as Array.prototype.map does', () => {
    expect(mapPacked(['a', 'bb', ''], (s) => s.length)).toEqual([1, 2, 0]);
    expect(mapPacked([], (s: string) => s)).toEqual([]);
  });

  it('gives a packed array from optimized code, where the inlined Array.prototype.map gives a holey one', () => {
    const module = pathToFileURL(path.join(ROOT, '.test-dist', 'model', 'packed-map.js')).href;
    const printed = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', OPTIMIZED_CALLER, module], { encoding: 'utf8' });
    // The builtin's holey result is why the helper exists; should the engine change, the first expectation says so.
    expect(JSON.parse(printed)).toEqual({ builtin: true, packed: false });
  });
});
