import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceSpec } from '../../src/model/source.js';
import { normalizeFeed } from '../../src/normalize/normalize-feed.js';
import { parseFeed, type ParseHints } from '../../src/parse/parse-feed.js';
import { tempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';

/**
 * The language a feed or item declares (xml:lang, <language>, dc:language, JSON Feed `language`,
 * HTTP Content-Language) reaches the article through the real parse and normalize stages, and is
 * used where the text is too short to tell; a declaration that contradicts the script is not.
 */

const NOW = '2025-03-05T12:00:00.000Z';
const SOURCE: SourceSpec = { id: 'src', kind: 'feed-url', location: 'https://feed.example/feed', rank: 0 };

/** Languages of the articles a document yields, by title. */
function languagesOf(body: string, hints?: ParseHints): Record<string, string> {
  const { articles, errors } = normalizeFeed(parseFeed(body, hints), SOURCE, NOW);
  expect(errors).toEqual([]);
  return Object.fromEntries(articles.map((a) => [a.title, a.language]));
}

function atom(feedAttrs: string, entries: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${feedAttrs}>
  <title>Ticker</title><id>urn:ticker</id><updated>2025-03-05T10:00:00Z</updated>
  ${entries}
</feed>`;
}

function entry(id: string, title: string, attrs = '', content = ''): string {
  return `<entry${attrs}><id>urn:${id}</id><title>${title}</title><updated>2025-03-05T10:00:00Z</updated>${content}</entry>`;
}

function rss(channelExtra: string, items: string): string {
  return `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Ticker</title><link>https://feed.example/</link>${channelExtra}${items}</channel></rss>`;
}

function item(guid: string, title: string, extra = ''): string {
  return `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title>${extra}</item>`;
}

// Headlines of a few words: none holds a function word that would name its language.
const SHORT_GERMAN = ['Bahnstreik beendet', 'DAX schließt fester', 'Bundestag: Haushalt 2025'];
const SHORT_NEUTRAL = 'Apple iPhone 16 Pro Max';

describe('declared languages on short items', () => {
  it('gives the short items of an Atom feed with xml:lang="de" German', () => {
    const found = languagesOf(atom(' xml:lang="de"', SHORT_GERMAN.map((t, i) => entry(`de-${i}`, t)).join('')));
    expect(found).toEqual(Object.fromEntries(SHORT_GERMAN.map((t) => [t, 'de'])));
  });

  it('takes the entry\'s and the content\'s xml:lang over the feed\'s', () => {
    const found = languagesOf(
      atom(
        ' xml:lang="en"',
        entry('fr', 'Grève SNCF', ' xml:lang="fr"') + entry('it', 'Sciopero Trenitalia', '', '<content type="text" xml:lang="it">Sciopero Trenitalia</content>') + entry('en', SHORT_NEUTRAL),
      ),
    );
    expect(found).toEqual({ 'Grève SNCF': 'fr', 'Sciopero Trenitalia': 'it', [SHORT_NEUTRAL]: 'en' });
  });

  it('reads RSS <language>, an item\'s dc:language, JSON Feed language and HTTP Content-Language', () => {
    expect(languagesOf(rss('<language>de-DE</language>', item('a', 'Bahnstreik beendet')))).toEqual({ 'Bahnstreik beendet': 'de' });
    expect(languagesOf(rss('<language>en</language>', item('b', 'Huelga de Renfe', '<dc:language>es</dc:language>')))).toEqual({ 'Huelga de Renfe': 'es' });
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Ticker', language: 'nl', items: [{ id: '1', title: 'NS-staking voorbij' }] });
    expect(languagesOf(json)).toEqual({ 'NS-staking voorbij': 'nl' });
    const undeclaredJson = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Ticker', items: [{ id: '1', title: 'Bahnstreik beendet' }] });
    expect(languagesOf(undeclaredJson, { contentLanguage: 'de' })).toEqual({ 'Bahnstreik beendet': 'de' });
    expect(languagesOf(rss('', item('a', 'Bahnstreik beendet')), { contentLanguage: 'de-AT' })).toEqual({ 'Bahnstreik beendet': 'de' });
    // The document's own declaration wins over the header; a header naming two audiences names no language.
    expect(languagesOf(rss('<language>fr</language>', item('a', 'Grève SNCF')), { contentLanguage: 'de' })).toEqual({ 'Grève SNCF': 'fr' });
    expect(languagesOf(rss('', item('a', SHORT_NEUTRAL)), { contentLanguage: 'de, en' })).toEqual({ [SHORT_NEUTRAL]: 'und' });
  });

  it("leaves an undeclared short headline 'und' rather than guess", () => {
    expect(languagesOf(rss('', item('a', SHORT_NEUTRAL) + item('b', 'EBay, Icahn talk smack') + item('c', 'Bahnstreik beendet')))).toEqual({
      [SHORT_NEUTRAL]: 'und',
      'EBay, Icahn talk smack': 'und',
      'Bahnstreik beendet': 'und',
    });
  });

  it('still reads an undeclared headline whose function words are clear', () => {
    expect(languagesOf(rss('', item('a', 'Die Inflation ist im März wieder gestiegen') + item('b', 'Stocks fall as investors weigh new tariffs')))).toEqual({
      'Die Inflation ist im März wieder gestiegen': 'de',
      'Stocks fall as investors weigh new tariffs': 'en',
    });
  });

  it('does not trust lang="en" on Cyrillic text, nor lang="ru" on Latin text', () => {
    const found = languagesOf(
      atom(' xml:lang="en"', entry('ru', 'Путин встретился с президентом Франции в Москве') + entry('word', 'Москва') + entry('lat', 'Stocks fall as investors weigh new tariffs', ' xml:lang="ru"')),
    );
    expect(found).toEqual({
      'Путин встретился с президентом Франции в Москве': 'ru',
      // One Cyrillic word could be Russian, Ukrainian, Bulgarian…: neither the wrong declaration nor a guess.
      Москва: 'und',
      'Stocks fall as investors weigh new tariffs': 'en',
    });
  });

  it('trusts a declared language written in the text\'s script where the text cannot tell', () => {
    expect(languagesOf(atom(' xml:lang="uk"', entry('uk', 'Київ')))).toEqual({ Київ: 'uk' });
    expect(languagesOf(atom(' xml:lang="sr-Latn"', entry('sr', 'Beograd danas')))).toEqual({ 'Beograd danas': 'sr' });
  });
});

describe('Content-Language in a real run', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-language': 'de' });
      res.end(rss('', SHORT_GERMAN.map((t, i) => item(`de-${i}`, t)).join('')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives the undeclared short items of a feed served as Content-Language: de German', async () => {
    const project = tempProject({ sources: [{ id: 'ticker', url: `${base}/feed.xml` }] });
    try {
      await runPipeline(project.configFile, NOW);
      const store = await openStore(project.configFile);
      try {
        const ids = (await store.snapshot()).articles.map((a) => a.id);
        const found = Object.fromEntries([...(await store.articles.getArticles(ids)).values()].map((a) => [a.title, a.language]));
        expect(found).toEqual(Object.fromEntries(SHORT_GERMAN.map((t) => [t, 'de'])));
      } finally {
        await store.close();
      }
    } finally {
      project.cleanup();
    }
  });
});

describe('an item language trusted as the item\'s own (`feedfold cluster` lines)', () => {
  const ENGLISH = 'The council said on Monday that the new bridge over the river would open to traffic in the spring, after two years of work and a budget that grew by a third, and that the old ferry would keep running until then for those who need it.';
  const RUSSIAN = 'Городской совет заявил в понедельник, что новый мост через реку откроется для движения весной, после двух лет работы и бюджета, который вырос на треть, а старый паром будет ходить до тех пор для тех, кому он нужен.';

  /** The language normalize gives one JSON item, with and without trusting its tag. */
  function languageOf(text: string, itemLanguage: string | undefined, feedLanguage: string | undefined, itemLanguageTrusted: boolean): string | undefined {
    const feed = { format: 'json' as const, title: 'Batch', ...(feedLanguage ? { language: feedLanguage } : {}), entries: [{ guid: 'a', title: 'Bridge', content: text, contentType: 'text' as const, ...(itemLanguage ? { language: itemLanguage } : {}) }] };
    return normalizeFeed(feed, SOURCE, NOW, { clusterOnly: true, itemLanguageTrusted }).articles[0]?.language;
  }

  it('takes the item\'s tag when the text is in its script, where detection reads the words otherwise', () => {
    expect(languageOf(ENGLISH, 'de', undefined, false)).toBe('en');
    expect(languageOf(ENGLISH, 'de', undefined, true)).toBe('de');
    expect(languageOf(ENGLISH, 'en-GB', undefined, true)).toBe('en');
  });

  it('detects the language when the tag names another script, none, or comes from the feed', () => {
    const detected = languageOf(RUSSIAN, undefined, undefined, false);
    expect(detected).not.toBe('en');
    expect(languageOf(RUSSIAN, 'en', undefined, true)).toBe(detected);
    expect(languageOf(ENGLISH, 'not a tag', undefined, true)).toBe('en');
    expect(languageOf(ENGLISH, undefined, 'de', true)).toBe('en');
  });
});
