import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLUSTER_INTERRUPT_BUDGET, INTERRUPT_BUDGET, tieringFlags } from '../../src/cli/tiering-flags.js';
import { ROOT } from '../helpers/paths.js';

describe('V8 tiering flags by command', () => {
  it('gives `cluster` V8’s own interrupt budget and every other command the larger one, all the inlining limit', () => {
    expect(CLUSTER_INTERRUPT_BUDGET).toBe(67_584);
    expect(INTERRUPT_BUDGET).toBe(200_000);
    expect(tieringFlags('cluster')).toEqual(['--interrupt-budget=67584', '--max-inlined-bytecode-size-cumulative=460']);
    for (const command of ['run', 'serve', 'worker', 'leader', 'inspect', 'sources', '--version', undefined]) {
      expect(tieringFlags(command), String(command)).toEqual(['--interrupt-budget=200000', '--max-inlined-bytecode-size-cumulative=460']);
    }
  });

  it('is what bin/feedfold.js sets, by the command it was given, before it imports the CLI', () => {
    const launcher = readFileSync(path.join(ROOT, 'bin', 'feedfold.js'), 'utf8');
    const sets = launcher.indexOf('for (const flag of tieringFlags(process.argv[2])) setFlagsFromString(flag);');
    expect(sets).toBeGreaterThan(0);
    expect(launcher.indexOf("await import('../dist/cli/main.js')")).toBeGreaterThan(sets);
    // No other flag is set from the script: the tiering flags are all in one place.
    expect(launcher.match(/setFlagsFromString\(/g)).toHaveLength(1);
  });
});
