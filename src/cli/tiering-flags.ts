/**
 * V8's tiering settings for one feedfold process, by the command it runs: bin/feedfold.js gives each to
 * `v8.setFlagsFromString` before it imports the CLI (V8 reads both when a function's budget is set or it is compiled,
 * so they hold for all of feedfold's code and the parse workers). This module imports nothing, so the command pays for
 * no other module before its flags are set.
 *
 * - `--max-inlined-bytecode-size-cumulative=460`, half V8's default, for every command: an optimized function inlines
 *   less, so each compile is smaller.
 * - `--interrupt-budget`, the interpreter work after which V8 optimizes a function. V8's default (67,584) is for pages
 *   that live for hours. A run, a daemon's cycle or a server meets many functions that are hot only for a while
 *   (fetching, parsing, the store): at 200,000 the compiler takes those that stay hot, with fuller type feedback, and a
 *   first run of 1,000 feeds takes 4–8 % less CPU. `feedfold cluster` runs the same few functions over every line of
 *   its file, and there optimizing them early pays: with V8's default it runs 1.2 % fewer instructions than at 200,000
 *   over 30,000 lines, 3.5 % fewer over 5,000 (src/cluster/TUNING.md, "`feedfold cluster` keeps V8's interrupt
 *   budget").
 */

/** V8's own interrupt budget (V8 11.3, Node.js 20), kept for `feedfold cluster`. */
export const CLUSTER_INTERRUPT_BUDGET = 67_584;
/** The interrupt budget of every other command. */
export const INTERRUPT_BUDGET = 200_000;

/** The V8 flags for a process whose command (its first argument) is `command`. */
export function tieringFlags(command: string | undefined): string[] {
  const budget = command === 'cluster' ? CLUSTER_INTERRUPT_BUDGET : INTERRUPT_BUDGET;
  return [`--interrupt-budget=${budget}`, '--max-inlined-bytecode-size-cumulative=460'];
}
