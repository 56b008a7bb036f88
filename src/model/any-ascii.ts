import { createRequire } from 'node:module';

let loaded: ((text: string) => string) | undefined;

/**
 * any-ascii's transliteration, loaded on first use and shared by the stages that fold names and words: its tables are
 * one 550 KB module, which took 8 ms of CPU and 1 MB of fresh memory to load at every start, while text in ASCII
 * letters (and the kept tables of the cluster stage) never asks for it. The package is an ES module only; Node.js
 * 20.19 and later require it as one.
 */
export function anyAscii(text: string): string {
  loaded ??= (createRequire(import.meta.url)('any-ascii') as { default: (text: string) => string }).default;
  return loaded(text);
}
