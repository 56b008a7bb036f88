import type { EvalItem } from './eval-item.js';
import { mulberry32, pick } from './prng.js';

/** Boilerplate of the kinds the seeds show: sidebars, "Filed Under", copyright lines, photo credits. */
const BOILERPLATE = [
  'Recent Posts',
  'Filed Under: Entertainment, Celebrity News',
  'Copyright © 2025 Daily Wire Media. All rights reserved.',
  'Photo: Getty Images / Staff',
  'Share this article on Facebook, X and WhatsApp',
  'Sign up for our newsletter to get the top stories every morning',
  'Related: Five things to watch this week',
];

/** Headline prefixes and rewrites outlets apply. */
const HEADLINE_PREFIXES = ['UPDATE 1-', 'WATCH: ', 'Report: ', 'Exclusive: ', ''];

/** Near-synonyms swapped in to imitate a rewrite. */
const SYNONYMS: Record<string, string> = {
  said: 'stated',
  told: 'informed',
  great: 'good',
  years: 'decades',
  interview: 'conversation',
  recently: 'lately',
  rare: 'unusual',
  wife: 'spouse',
  lowered: 'cut',
  injured: 'hurt',
  struck: 'hit',
  dismissed: 'threw out',
};

type Variant = 'truncated' | 'boilerplate' | 'headline' | 'reordered' | 'substituted';
const VARIANTS: Variant[] = ['truncated', 'boilerplate', 'headline', 'reordered', 'substituted'];

function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n|\n/).map((p) => p.trim()).filter((p) => p.length > 0);
}

function shuffle<T>(rand: () => number, items: T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function makeVariant(rand: () => number, base: EvalItem, kind: Variant, n: number): EvalItem {
  const text = base.text ?? '';
  const paras = paragraphs(text);
  // Each variant stands for another outlet's copy of the base article: its own source. (One source for every n-th
  // variant would have one outlet publish five versions of the seeds' story, which the same-source rule refuses.)
  const out: EvalItem = { ...base, id: `${base.id}~${kind}-${n}`, source: `variant-${n}-of-${base.id}` };
  switch (kind) {
    case 'truncated': {
      // An RSS excerpt: the first 40–80 words and an ellipsis.
      const words = text.split(/\s+/);
      out.text = `${words.slice(0, 40 + Math.floor(rand() * 40)).join(' ')} […]`;
      break;
    }
    case 'boilerplate': {
      const extra = shuffle(rand, BOILERPLATE).slice(0, 3);
      out.text = [...paras, '', ...extra].join('\n');
      break;
    }
    case 'headline': {
      // A rewritten headline: the lead sentence's first words, under an outlet's prefix.
      const lead = (paras[0] ?? base.title).split(/(?<=[.!?])\s/)[0] ?? base.title;
      out.title = `${pick(rand, HEADLINE_PREFIXES)}${lead.split(/\s+/).slice(0, 10).join(' ')}`;
      break;
    }
    case 'reordered':
      out.text = shuffle(rand, paras).join('\n\n');
      break;
    case 'substituted':
      out.text = text.replace(/\b[a-z]+\b/g, (w) => (SYNONYMS[w] !== undefined && rand() < 0.8 ? (SYNONYMS[w] as string) : w));
      out.title = base.title.replace(/\b[a-z]+\b/g, (w) => SYNONYMS[w] ?? w);
      break;
  }
  if (base.published !== undefined) {
    // Versions appear within a day of the original.
    out.published = new Date(Date.parse(base.published) + Math.floor(rand() * 24) * 3_600_000).toISOString();
  }
  return out;
}

/**
 * Generates labelled variants of real articles deterministically (seeded PRNG): each base keeps its gold label, and
 * gets `perBase` variants (truncated excerpt, added boilerplate, rewritten headline, reordered paragraphs, word
 * substitutions); bases with different gold labels are the negatives.
 */
export function generateVariants(bases: readonly EvalItem[], seed: number, perBase = 3): EvalItem[] {
  const rand = mulberry32(seed);
  const out: EvalItem[] = [];
  for (const base of bases) {
    out.push(base);
    const kinds = shuffle(rand, VARIANTS).slice(0, perBase);
    kinds.forEach((kind, n) => out.push(makeVariant(rand, base, kind, n)));
  }
  return out;
}
