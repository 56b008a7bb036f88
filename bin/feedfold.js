#!/bin/sh
":" //; GLIBC_TUNABLES="glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=33554432${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}"; export GLIBC_TUNABLES; exec "${NODE:-node}" --no-concurrent-recompilation "$0" "$@"
// Entry point installed as `feedfold`; the CLI itself is compiled from src/cli.
//
// The file is read twice. Run as a command (`feedfold`, `bin/feedfold.js`), /bin/sh reads the line above: `":"` does
// nothing, then it exports glibc's allocator settings for how feedfold allocates (README, "Put `feedfold` on the PATH")
// and execs node, NODE (set by npm scripts) or else the first on the PATH, on this same file, with V8's optimizing
// compiler run on the thread that asks for it (--no-concurrent-recompilation, below). Node skips the first line, takes
// the second for a string and a comment, and runs the rest. `node bin/feedfold.js` runs the rest at once, with glibc's
// and V8's defaults. The allocator's settings:
//   hugetlb=1             malloc's heaps asked for transparent huge pages (madvise), so the memory V8's compiler,
//                         SQLite and typed arrays take is faulted in 2 MiB at a time, not 4 KiB;
//   mmap_threshold 4 MiB  blocks up to 4 MiB come from those heaps, reused after free, not from a mapping of their
//                         own that is unmapped on free and faulted in again next time;
//   trim_threshold 32 MiB up to 32 MiB free at a heap's top is kept rather than handed back and faulted in again.
// Settings already in GLIBC_TUNABLES come after these and win; a C library other than glibc ignores them.
// --no-concurrent-recompilation: a function found hot is optimized there and then, on the thread that runs it, rather
// than queued for V8's helper threads while it runs on in slower code (for longer when the helpers wait for a core).
// `feedfold cluster` of 30,000 articles takes about 4 % less CPU time, a first run of 1,000 feeds about what it took
// without (src/cluster/TUNING.md, "The optimizing compiler"). V8 reads the flag only as it starts, so it is given on
// node's command line.
import { setFlagsFromString } from 'node:v8';

// Then, under node either way, V8's optimizing compiler is set for a process that runs for seconds (why, command by
// command: src/cli/tiering-flags.ts). One function inlines at most 460 bytes of bytecode
// (--max-inlined-bytecode-size-cumulative, 920 by default), so each compile is smaller, and a function is optimized
// after about three times the interpreter's default budget of work (--interrupt-budget=200000, V8's is 67,584), so the
// compiler takes the functions that stay hot, with fuller type feedback; `feedfold cluster`, which runs the same few
// functions over every line of its file, keeps V8's budget. A first run of 1,000 feeds compiled 471 functions in 0.9 s
// of the compiler's threads, against 674 in 2.0 s (src/cluster/TUNING.md, "The optimizing compiler"). Both are read
// when a function is counted or compiled, so they hold for everything imported below, the parse workers included.
const { tieringFlags } = await import('../dist/cli/tiering-flags.js');
for (const flag of tieringFlags(process.argv[2])) setFlagsFromString(flag);
const { endOutputQuietlyOnEpipe, main } = await import('../dist/cli/main.js');

endOutputQuietlyOnEpipe();
main(process.argv).then(
  (code) => {
    // A failed write to stdout has already set 1.
    process.exitCode ||= code;
  },
  (err) => {
    process.stderr.write(`feedfold: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
