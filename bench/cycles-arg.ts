/** Reads `--cycles N` from a bench's arguments: a whole number, at least `min`, else `fallback`. */
export function cyclesArg(argv: string[], fallback: number, min: number): number {
  const i = argv.indexOf('--cycles');
  const n = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < min) throw new Error(`--cycles: expected an integer >= ${min}, got ${argv[i + 1]}`);
  return n;
}
