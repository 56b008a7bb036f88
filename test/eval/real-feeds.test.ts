import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { familyOf, readRealFeeds, REUSED_LINK_PARAM } from '../../scripts/eval/real-feeds-corpus.js';
import { countRealFolds, judgePair, samePost, type CountedItem } from '../../scripts/eval/real-feeds-count.js';
import { mapEntries, redate, REAL_DAY_NOW, writeDay } from '../../scripts/eval/real-feeds-day.js';
import { countedOf } from '../../scripts/eval/real-feeds-eval.js';
import { runCli } from '../helpers/cli.js';

const item = (key: string, file: string, link: string, title: string): CountedItem => ({ key, file, family: familyOf(file), link, title });

describe('real-feeds counting', () => {
  it('groups the formats of one blog into one family', () => {
    expect(new Set(['DaringFireball.atom', 'DaringFireball.rss', 'DaringFireball.json'].map(familyOf)).size).toBe(1);
    expect(familyOf('allthis-partial.json')).toBe(familyOf('allthis.atom'));
    expect(familyOf('atp.rss')).not.toBe(familyOf('allthis.atom'));
  });

  it('judges same-feed folds wrong, same-post folds across formats right, other families apart', () => {
    const a0 = item('a.rss#0', 'a.rss', 'https://a.example/1', 'Episode 1');
    const a1 = item('a.rss#1', 'a.rss', 'https://a.example/2', 'Episode 2');
    const j0 = item('a.json#0', 'a.json', 'https://a.example/1?utm_source=feed', 'Episode 1');
    const j1 = item('a.json#1', 'a.json', 'https://a.example/linked/2', 'Episode 2');
    const b0 = item('b.rss#0', 'b.rss', 'https://b.example/1', 'Episode 1');
    expect(judgePair(a0, a1)).toBe('wrong-same-feed');
    expect(judgePair(a0, j0)).toBe('format'); // same link once tracking is removed
    expect(judgePair(a1, j1)).toBe('format'); // links differ, titles agree
    expect(judgePair(a0, j1)).toBe('wrong-same-family');
    expect(judgePair(a0, b0)).toBe('cross-family');
  });

  it('keeps a fragment that names the post, and never matches empty titles', () => {
    const x = item('s.rss#0', 's.rss', 'http://s.example/2017/06/26.html#a080605', '');
    const y = item('s.json#0', 's.json', 'http://s.example/2017/06/26.html#a030658', '');
    expect(samePost(x, y)).toBe(false);
    expect(samePost(x, { ...y, link: x.link })).toBe(true);
  });

  it('counts wrong pairs, the items in them, folded and unfolded format pairs and cross-family pairs', () => {
    const items = [
      item('a.rss#0', 'a.rss', 'https://a.example/1', 'One'),
      item('a.rss#1', 'a.rss', 'https://a.example/2', 'Two'),
      item('a.rss#2', 'a.rss', 'https://a.example/3', 'Three'),
      item('a.json#0', 'a.json', 'https://a.example/1', 'One'),
      item('a.json#1', 'a.json', 'https://a.example/2', 'Two'),
      item('b.rss#0', 'b.rss', 'https://b.example/1', 'Other'),
    ];
    const entries = [
      { title: 'One', members: ['a.rss#0', 'a.json#0', 'a.rss#2'] }, // one format pair, two wrong pairs
      { title: 'Two', members: ['a.rss#1', 'b.rss#0'] }, // cross-family
      { title: 'Two again', members: ['a.json#1'] }, // its format twin was not folded
    ];
    const c = countRealFolds(items, entries);
    expect(c).toMatchObject({ items: 6, unpublished: [], wrongPairs: 2, wrongItems: 3, formatPairsFolded: 1, formatPairsTotal: 2, crossFamilyPairs: 1 });
    expect(c.worst).toEqual([{ title: 'One', members: ['a.rss#0', 'a.json#0', 'a.rss#2'], wrongPairs: 2 }]);
    expect(countRealFolds(items, entries.slice(1)).unpublished).toEqual(['a.rss#0', 'a.rss#2', 'a.json#0']);
  });
});

const rss = (items: string): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title><link>https://pod.example/</link><description>d</description>${items}</channel></rss>`;
const rssItem = (title: string, link: string, guid: string, text: string): string =>
  `<item><title>${title}</title><link>${link}</link><guid isPermaLink="false">${guid}</guid><pubDate>Mon, 01 Jan 2018 10:00:00 GMT</pubDate><description>${text}</description></item>`;

const GARDEN = 'The allotment committee voted to plant a row of apple trees along the north fence, and volunteers will dig the beds on Saturday morning before the rain.';
const ORBIT = 'Engineers raised the orbit of the weather satellite by firing its thrusters for ninety seconds, correcting a slow decay caused by solar activity this winter.';
const HARBOUR = 'The harbour master closed the eastern pier after storm waves cracked the concrete walkway; ferries will dock at the western quay until repairs finish.';

describe('real-feeds day through feedfold run', () => {
  const corpus = mkdtempSync(path.join(os.tmpdir(), 'feedfold-real-corpus-'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'feedfold-real-day-'));
  afterAll(() => {
    rmSync(corpus, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps each post findable in the merged feed, folds a post carried in two formats, and keeps posts that reuse one link apart', () => {
    // One podcast in two formats; both reuse one link and one guid for two different episodes.
    writeFileSync(path.join(corpus, 'pod.rss'), rss(rssItem('Garden news', 'https://pod.example/show', 'ep', GARDEN) + rssItem('Orbit news', 'https://pod.example/show', 'ep', ORBIT)));
    const json = { version: 'https://jsonfeed.org/version/1.1', title: 'Pod', items: [
      { id: 'ep', url: 'https://pod.example/show', title: 'Garden news', content_text: GARDEN, date_published: '2018-01-01T10:00:00Z' },
      { id: 'ep', url: 'https://pod.example/show', title: 'Orbit news', content_text: ORBIT, date_published: '2018-01-01T10:00:00Z' },
    ] };
    writeFileSync(path.join(corpus, 'pod.json'), JSON.stringify(json));
    writeFileSync(path.join(corpus, 'harbour.rss'), rss(rssItem('Pier closed', 'https://harbour.example/pier', 'pier', HARBOUR)));
    writeFileSync(path.join(corpus, 'notes.md'), '# not a feed');
    writeFileSync(path.join(corpus, 'broken.json'), '{"rss": {}}');

    const { feeds, skipped } = readRealFeeds(corpus);
    expect(feeds.map((f) => f.file)).toEqual(['harbour.rss', 'pod.json', 'pod.rss']);
    expect(skipped.map((s) => s.file)).toEqual(['broken.json']);
    const pod = feeds.find((f) => f.file === 'pod.rss');
    const links = pod?.items.map((i) => i.link) ?? [];
    expect(new Set(links).size).toBe(2);
    expect(links.every((l) => new URL(l).searchParams.has(REUSED_LINK_PARAM))).toBe(true);
    expect(new Set(pod?.items.map((i) => i.guid)).size).toBe(2);
    // The same post gets the same link in both formats.
    expect(feeds.find((f) => f.file === 'pod.json')?.items.map((i) => i.link)).toEqual(links);

    const config = writeDay(work, feeds, REAL_DAY_NOW);
    const written = JSON.parse(readFileSync(path.join(work, 'feeds', 'pod-rss.json'), 'utf8')) as { items: { date_published: string }[] };
    expect(written.items.map((i) => i.date_published)).toEqual([redate(REAL_DAY_NOW, 0, 2), redate(REAL_DAY_NOW, 1, 2)]);
    const run = runCli(['run', '-c', config, '--now', REAL_DAY_NOW, '-q']);
    expect(run.status, run.stderr).toBe(0);

    const items = feeds.flatMap((f) => f.items);
    const { entries, unmapped } = mapEntries(readFileSync(path.join(work, 'out', 'feed.atom'), 'utf8'), items);
    expect(unmapped).toEqual([]);
    const entryOf = (key: string) => entries.find((e) => e.members.includes(key));
    expect(entryOf('pod.rss#0')?.members).toContain('pod.json#0');
    expect(entryOf('pod.rss#1')?.members).toContain('pod.json#1');
    expect(entryOf('pod.rss#0')?.members).not.toContain('pod.rss#1');
    const c = countRealFolds(items.map(countedOf), entries);
    expect(c).toMatchObject({ items: 5, unpublished: [], wrongPairs: 0, formatPairsFolded: 2, formatPairsTotal: 2 });
  });
});
