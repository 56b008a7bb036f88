import { indexOfAsciiIgnoringCase } from './ascii-search.js';

/** Where a document type declaration sits in a text: `text.slice(start, end)` is the whole declaration. */
export interface DoctypeSpan {
  start: number;
  end: number;
}

const OPEN = '<!doctype';

// JavaScript's \s: what the internal subset's closing `]` may be separated from its `>` by.
const SPACE = /\s/;

/**
 * Finds the first `<!DOCTYPE …>` (XML 1.0 §2.8), with or without an internal subset: with a `[`
 * before any `>`, it ends at the first `]` followed by optional spaces and `>`; without one, or
 * when the subset is never closed, at the first `>`. Scans the text once (a backtracking pattern
 * took time quadratic in a run of unclosed `<!DOCTYPE [`), and finds what
 * `/<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)/i` finds, searching from `from`.
 */
export function findDoctype(text: string, from = 0): DoctypeSpan | undefined {
  const start = indexOfAsciiIgnoringCase(text, OPEN, from);
  if (start === -1) return undefined;
  const after = start + OPEN.length;
  const close = text.indexOf('>', after);
  if (close === -1) return undefined;
  const bracket = text.indexOf('[', after);
  if (bracket !== -1 && bracket < close) {
    const end = subsetEnd(text, bracket + 1);
    if (end !== -1) return { start, end };
  }
  return { start, end: close + 1 };
}

/** Returns the index just past the first `]` (at or after `from`) followed by optional spaces and `>`, or -1. */
function subsetEnd(text: string, from: number): number {
  let i = text.indexOf(']', from);
  while (i !== -1) {
    let j = i + 1;
    while (j < text.length && SPACE.test(text[j] as string)) j++;
    if (text[j] === '>') return j + 1;
    // Spaces end at j, and no `]` lies between i + 1 and j: the next candidate is at or after j.
    i = text.indexOf(']', j);
  }
  return -1;
}
