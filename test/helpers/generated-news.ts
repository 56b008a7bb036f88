/**
 * Generated news for the benches and the runs cycle after cycle: stories of random words with a few recurring names and numbers,
 * and other outlets' versions of them (a headline prefix and a word changed every so often), so
 * versions of one story fold together and unrelated stories rarely do.
 */
import { mulberry32 as rng } from '../../scripts/eval/prng.js';

const VOCAB = (
  'council minister court police hospital school river bridge harbor market election budget report ' +
  'strike union farmers drought flood storm wildfire vaccine study university museum festival airport ' +
  'railway station energy prices wages housing rents tenants landlord factory workers export import ' +
  'tariff bank interest inflation growth forecast survey voters mayor governor senator judge jury trial ' +
  'verdict appeal prison sentence fraud investigation audit contract tender project plan proposal vote ' +
  'approved rejected delayed announced warned said reported confirmed denied expected planned opened ' +
  'closed reopened damaged rebuilt launched signed agreed protested marched gathered celebrated ' +
  'northern southern eastern western coastal rural urban regional national local federal public private ' +
  'small large new old first last major minor record million billion thousand percent dozens hundreds ' +
  'monday tuesday wednesday thursday friday weekend morning evening night week month year season ' +
  'children parents teachers doctors nurses drivers pilots fishermen scientists engineers officials ' +
  'residents visitors tourists fans players coach team club league match final championship title'
).split(' ');
// 400 surnames from syllables: two unrelated stories rarely share a name, as in real news.
const SYLLABLES = ['lind', 'ra', 'berg', 'os', 'dua', 'oka', 'had', 'mor', 'tana', 'nov', 'sil', 'kow', 'ber', 'ste', 'vik', 'mar'];
const NAMES = Array.from({ length: 400 }, (_, i) => {
  const s = `${SYLLABLES[i % 16]}${SYLLABLES[Math.floor(i / 16) % 16]}${i >= 256 ? 'son' : 'a'}`;
  return `${s[0]?.toUpperCase()}${s.slice(1)}`;
});

export interface Story {
  title: string;
  paragraphs: string[];
}

export function story(k: number): Story {
  const r = rng(k * 7919 + 1);
  const word = (): string => VOCAB[Math.floor(r() * VOCAB.length)] as string;
  const cast = [0, 1, 2].map(() => NAMES[Math.floor(r() * NAMES.length)] as string);
  const sentence = (n: number): string => {
    const w = Array.from({ length: n }, word);
    w[Math.floor(r() * n)] = cast[Math.floor(r() * cast.length)] as string;
    w.push(String(Math.floor(r() * 9000) + 100));
    const s = w.join(' ');
    return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
  };
  const title = sentence(8).replace(/\.$/, '');
  const paragraphs = Array.from({ length: 4 }, () => `${sentence(14)} ${sentence(12)} ${sentence(10)}`);
  return { title, paragraphs };
}

/** Another outlet's version of a story: a different headline start and a few words changed, per outlet. */
export function rewrite(s: Story, outlet: string, every: number): Story {
  return {
    title: `${outlet}: ${s.title}`,
    paragraphs: s.paragraphs.map((p) => p.split(' ').map((w, i) => (i % every === 5 ? 'reportedly' : w)).join(' ')),
  };
}

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Least-squares slope of y over x (x = 0, 1, 2, …). */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}
