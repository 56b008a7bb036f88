#!/bin/sh
":" //; GLIBC_TUNABLES="glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=33554432${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}"; export GLIBC_TUNABLES; exec "${NODE:-node}" "$0" "$@"
// Entry point installed as `feedfold`; the CLI itself is compiled from src/cli.
//
// The file is read twice. Run as a command (`feedfold`, `bin/feedfold.js`), /bin/sh reads the line above: `":"` does
// nothing, then it exports glibc's allocator settings for how feedfold allocates (README, "Put `feedfold` on the PATH")
// and execs node, NODE (set by npm scripts) or else the first on the PATH, on this same file. Node skips the first
// line, takes the second for a string and a comment, and runs the rest. `node bin/feedfold.js` runs the rest at once,
// with node's defaults. The settings:
//   hugetlb=1             malloc's heaps asked for transparent huge pages (madvise), so the memory V8's compiler,
//                         SQLite and typed arrays take is faulted in 2 MiB at a time, not 4 KiB;
//   mmap_threshold 4 MiB  blocks up to 4 MiB come from those heaps, reused after free, not from a mapping of their
//                         own that is unmapped on free and faulted in again next time;
//   trim_threshold 32 MiB up to 32 MiB free at a heap's top is kept rather than handed back and faulted in again.
// Settings already in GLIBC_TUNABLES come after these and win; a C library other than glibc ignores them.
import { endOutputQuietlyOnEpipe, main } from '../dist/cli/main.js';

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
