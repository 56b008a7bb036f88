#!/usr/bin/env node
// Entry point installed as `feedfold`; the CLI itself is compiled from src/cli.
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
