#!/usr/bin/env node
// Entry point installed as `feedfold`; the CLI itself is compiled from src/cli.
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`feedfold: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
