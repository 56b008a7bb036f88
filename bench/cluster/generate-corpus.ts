import { createHash } from 'node:crypto';
import type { Article } from '../../src/model/article.js';
import { mulberry32 } from '../../scripts/eval/prng.js';

/** Common news words, most frequent first (Zipf-sampled so that a few dominate, as in real text). */
const COMMON = `the of to and in a for is on that said with was he it as at by from his be have has are but an not they
who were had this been their more after will would year new people also its about one government over than when two
first other last could into which police week state president minister time told up out what percent report city country
there some officials company says only just years all most before against market told court since back per according
three her while million under many because told school service law plan public power group support house national
during world military local make between still including day later off now where being former well both four team party
health security since early part home family money whether through children area water million economy election
campaign office officials spokesman business month high second billion next across another decision program meeting
news statement community members leaders former least least study data system trade deal talks budget agency director
issue city region border coast forces attack crisis energy price oil rate bank growth sales shares investors vote case
judge trial charges prison evidence victims fire storm flood season game coach players league fans match win loss`.split(/\s+/);

/** Sign-offs and sidebars a source appends to every item (what normalize would strip; here they stay as noise). */
const BOILERPLATE = [
  'Recent Posts', 'Filed Under: World News', 'Copyright 2025 Example Media Group. All rights reserved.',
  'Photo credit: Staff photographer', 'Sign up for our morning newsletter', 'Share this story on social media',
];

const SYLLABLES = 'ka lo ri ven tor mi sa del an bru chen dor fa gil har ist jo kel lum mor nes pol quin ros sel tam ul var wen yor zan bel cor dav'.split(' ');

const STORY_WORDS = 10;
const STORY_NAMES = 4;
const MIN_WORDS = 250;
const MAX_WORDS = 400;
const MAX_VERSION_DELAY_S = 6 * 3600;

/** One generated article and the planted story it belongs to. */
export interface BenchArticle {
  article: Article;
  gold: number;
}

/** Settings of the generated corpus. */
export interface CorpusOptions {
  seed: number;
  /** Seconds between the first versions of consecutive stories; with the window it sets how many articles it holds. */
  storyIntervalS: number;
  /** Stories generated together and shuffled, so versions of a story interleave with others. */
  batchStories: number;
}

function invent(rand: () => number, syllables: number): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)] as string;
  return w;
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * Generates articles on the fly (never all at once): stories with invented names and topic words among Zipf-sampled
 * common words, 250–400 words each, and planted duplicate groups whose versions are edited (truncated excerpts, word
 * substitutions, added boilerplate, reordered paragraphs, rewritten headlines) and published up to 6 hours apart.
 */
export function* generateCorpus(n: number, options: CorpusOptions): Generator<BenchArticle> {
  const rand = mulberry32(options.seed);
  const zipf = new Float64Array(COMMON.length);
  let total = 0;
  for (let r = 0; r < COMMON.length; r++) zipf[r] = total += 1 / (r + 1);
  const common = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = COMMON.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((zipf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return COMMON[lo] as string;
  };
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  let produced = 0;
  let story = 0;
  while (produced < n) {
    const batch: BenchArticle[] = [];
    for (let s = 0; s < options.batchStories && produced + batch.length < n; s++, story++) {
      const versions = 1 + (rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 4));
      const base = makeStory(rand, common, story);
      const start = t0 + story * options.storyIntervalS * 1000;
      for (let v = 0; v < versions && produced + batch.length < n; v++) {
        const time = start + (v === 0 ? 0 : Math.floor(rand() * MAX_VERSION_DELAY_S) * 1000);
        batch.push({ article: version(rand, common, base, story, v, time), gold: story });
      }
    }
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [batch[i], batch[j]] = [batch[j] as BenchArticle, batch[i] as BenchArticle];
    }
    for (const item of batch) yield item;
    produced += batch.length;
  }
}

interface StoryBase {
  title: string[];
  paragraphs: string[][];
}

function makeStory(rand: () => number, common: () => string, story: number): StoryBase {
  const topic = Array.from({ length: STORY_WORDS }, () => invent(rand, 3 + Math.floor(rand() * 2)));
  const names = Array.from({ length: STORY_NAMES }, () => capitalise(invent(rand, 3 + Math.floor(rand() * 2))));
  const figures = [`${2 + Math.floor(rand() * 300)} people`, `${1 + Math.floor(rand() * 90)} million`, String(1990 + (story % 35))];
  const pickWord = (): string => {
    const x = rand();
    if (x < 0.6) return common();
    if (x < 0.88) return topic[Math.floor(rand() * topic.length)] as string;
    if (x < 0.98) return names[Math.floor(rand() * names.length)] as string;
    return figures[Math.floor(rand() * figures.length)] as string;
  };
  const length = MIN_WORDS + Math.floor(rand() * (MAX_WORDS - MIN_WORDS));
  const paragraphs: string[][] = [];
  let words = 0;
  while (words < length) {
    const para: string[] = [];
    const size = 40 + Math.floor(rand() * 50);
    for (let i = 0; i < size; i++) para.push(pickWord());
    para[para.length - 1] += '.';
    paragraphs.push(para);
    words += size;
  }
  const title = [names[0] as string, ...Array.from({ length: 7 + Math.floor(rand() * 4) }, pickWord)];
  return { title, paragraphs };
}

function version(rand: () => number, common: () => string, base: StoryBase, story: number, v: number, timeMs: number): Article {
  let paragraphs = base.paragraphs;
  let title = base.title;
  let truncated = false;
  let tail = '';
  if (v > 0) {
    const edit = Math.floor(rand() * 5);
    if (edit === 0) {
      truncated = true;
    } else if (edit === 1) {
      paragraphs = paragraphs.map((p) => p.map((w) => (rand() < 0.1 ? common() : w)));
    } else if (edit === 2) {
      tail = `\n\n${BOILERPLATE.filter(() => rand() < 0.5).join('\n')}`;
    } else if (edit === 3) {
      paragraphs = paragraphs.slice().sort(() => rand() - 0.5);
    }
    // Every later version rewrites its headline: words reordered, two replaced.
    title = title.slice().sort(() => rand() - 0.5).map((w, i) => (i < 2 ? common() : w));
  }
  let text = paragraphs.map((p) => p.join(' ')).join('\n\n') + tail;
  if (truncated) text = `${text.split(' ').slice(0, 40 + Math.floor(rand() * 40)).join(' ')} …`;
  const published = new Date(timeMs).toISOString();
  const id = `s${story}v${v}`;
  return {
    id,
    sourceId: `source-${v}`,
    sourceTitle: `Source ${v}`,
    sourceLocation: `bench://source-${v}`,
    sourceRank: 0,
    url: `https://source-${v}.example/${story}`,
    title: capitalise(title.join(' ')),
    titleDerived: false,
    published,
    firstSeen: published,
    language: 'en',
    html: '',
    text,
    truncated,
    contentHash: createHash('sha1').update(text).digest('hex'),
    categories: [],
  };
}
