/**
 * `npx tsx bench/features.ts`: the cost of computing one article's clustering features by body language: English on
 * the scan's light stemmer, other languages through their Snowball (or, for Polish, light) stemmer with its memo of
 * words. Bodies are the semeval-dev texts of each language (../shared/corpora/semeval-dev) and two Russian reports
 * built in. After one pass over every body (modules, stopword lists and the memo loaded), `us_per_article` is the mean
 * CPU time of computeFeatures over PASSES further passes, and `stem_us_per_word` what the stemmer costs per word when
 * the memo does not have it (each word of the bodies stemmed anew): the price of a word's first sight. No threshold is
 * checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeFeatures } from '../src/cluster/article-features.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/create-story-index.js';
import { bodyStemmer } from '../src/cluster/snowball-stems.js';
import type { Article } from '../src/model/article.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const SEMEVAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpora', 'semeval-dev');
const PASSES = 50;
const FEATURES = { shingleSize: DEFAULT_CLUSTER_OPTIONS.shingleSize, bands: DEFAULT_CLUSTER_OPTIONS.bands, rows: DEFAULT_CLUSTER_OPTIONS.rows };

const RUSSIAN = [
  'Министр иностранных дел России Сергей Лавров встретился в Анкаре с турецким коллегой. Лавров обсудил с коллегой ситуацию в Сирии, поставки газа и строительство атомной станции. По словам министра, стороны договорились о новой встрече в Москве. Переговоры продолжались три часа. Министр заявил, что Россия готова увеличить поставки газа в Турцию. Турецкая сторона предложила провести следующую встречу министров в Сочи.',
  'Встреча министра иностранных дел России Сергея Лаврова с турецким коллегой прошла в Анкаре. Во время встречи министры обсуждали ситуацию в Сирии, поставку газа и строительство атомных станций. Как сообщил министр, о новых встречах стороны договорились в Москве. Переговоры министров продолжались три часа. По заявлению министра, Россия готова увеличивать поставки газа в Турцию. Турецкие стороны предложили провести следующие встречи министра в Сочи.',
];

function article(id: string, text: string, language: string): Article {
  return { id, sourceId: 'bench', sourceTitle: 'bench', sourceLocation: 'bench://', sourceRank: 0, title: '', titleDerived: false, firstSeen: '2025-03-01T12:00:00Z', language, html: '', text, truncated: false, contentHash: id, categories: [] };
}

/** Bodies by language: the semeval-dev texts (language from the file name), and the Russian reports above. */
function bodies(): Map<string, string[]> {
  const byLanguage = new Map<string, string[]>([['ru', RUSSIAN]]);
  if (!existsSync(SEMEVAL)) {
    out(`bench-features: ${SEMEVAL} is absent (the shared corpora sit beside the checkout); Russian only`);
    return byLanguage;
  }
  for (const file of readdirSync(SEMEVAL).sort()) {
    const m = /^\d+-([a-z]+)-([a-z]+)-/.exec(file);
    if (m === null) continue;
    const lines = readFileSync(path.join(SEMEVAL, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      const language = (i === 0 ? m[1] : m[2]) as string;
      const text = (JSON.parse(line) as { text: string }).text;
      const list = byLanguage.get(language) ?? [];
      list.push(text);
      byLanguage.set(language, list);
    });
  }
  return byLanguage;
}

function cpuMs(run: () => void): number {
  const t = process.cpuUsage();
  run();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

const byLanguage = bodies();
const articles = new Map([...byLanguage].map(([language, texts]) => [language, texts.map((t, i) => article(`${language}-${i}`, t, language))]));
for (const list of articles.values()) for (const a of list) computeFeatures(a, FEATURES);
for (const [language, list] of articles) {
  const texts = byLanguage.get(language) as string[];
  const chars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
  const ms = cpuMs(() => {
    for (let p = 0; p < PASSES; p++) for (const a of list) computeFeatures(a, FEATURES);
  });
  const stem = bodyStemmer(language);
  const words = texts.flatMap((t) => t.toLowerCase().match(/\p{L}+/gu) ?? []);
  const stemMs = stem === undefined ? Number.NaN : cpuMs(() => {
    for (let p = 0; p < PASSES; p++) for (const w of words) stem(w);
  });
  const stemUs = stem === undefined ? 'none' : ((stemMs * 1000) / (words.length * PASSES)).toFixed(2);
  out(`bench-features: lang=${language} bodies=${texts.length} chars=${Math.round(chars)} us_per_article=${((ms * 1000) / (list.length * PASSES)).toFixed(0)} stem_us_per_word=${stemUs}`);
}
