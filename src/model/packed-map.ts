/**
 * `array.map(f)`, its result always an array of packed elements. Array.prototype.map gives a packed array when it runs
 * as the builtin, but a holey one once inlined into a caller's optimized code: a second shape of array that throws
 * away the optimized code of every function that had seen only the first (a "wrong map" deoptimization, then a
 * compile again). Functions that take lines or tokens from both kinds of callers see one shape this way.
 */
export function mapPacked<T, U>(array: readonly T[], f: (value: T) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < array.length; i++) out.push(f(array[i] as T));
  return out;
}
