/**
 * The command line of the scripts that keep generated data in src/ (calendar words, cross-language names and word
 * hashes): writes `text` to `file`, or with --check writes nothing, prints whether the file holds it and sets exit
 * code 1 when it does not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeOrCheckKept(what: string, file: string, text: string, sameSays: string, differsSays: string): void {
  if (process.argv.includes('--check')) {
    const same = readFileSync(file, 'utf8') === text;
    process.stdout.write(`${what}: ${same ? sameSays : differsSays}\n`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(file, text);
    process.stdout.write(`${what}: wrote ${path.relative(process.cwd(), file)}\n`);
  }
}
