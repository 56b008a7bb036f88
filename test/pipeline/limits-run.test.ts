import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { getArticle } from '../../src/store/lookups.js';

const NOW = '2025-03-05T12:00:00.000Z';
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function rss(channelTitle: string, items: Array<{ guid: string; title: string; html: string }>): string {
  const body = items
    .map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>https://big.example/${i.guid}</link><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><description><![CDATA[${i.html}]]></description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${channelTitle}</title><link>https://big.example/</link>\n${body}\n</channel></rss>`;
}

describe('a run over hostile sizes and names', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('publishes a bounded feed from one 9 MB article, and stores it cut', async () => {
    const paragraph = '<p>Dock workers at the port returned to work &amp; the ships left; Grüße — 😀.</p>\n';
    const html = paragraph.repeat(Math.ceil((9 * 1024 * 1024) / bytes(paragraph)));
    project = tempProject();
    const feedFile = path.join(project.dir, 'big.xml');
    writeFileSync(feedFile, rss('Big News', [{ guid: 'huge', title: 'A very long story', html }]));
    expect(statSync(feedFile).size).toBeGreaterThan(9 * 1024 * 1024);
    project.writeConfig({ sources: [{ id: 'big', file: feedFile }], feed: { selfUrl: 'http://127.0.0.1:8080/feed.atom', maxAgeDays: 3650 } });

    await runPipeline(project.configFile, NOW);

    const xml = readFileSync(project.feedFile, 'utf8');
    // The default feed.maxEntryBytes (64 KiB) and room for the entry's metadata.
    expect(bytes(xml)).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
    const content = parseAtomFeed(xml).entries?.[0]?.content?.value ?? '';
    expect(content).toMatch(/<p>… <a href="https:\/\/big\.example\/huge">Read the whole article at Big News<\/a><\/p>$/);
    const store = await openStore(project.configFile);
    try {
      const article = (await getArticle(store, (await store.articles.findArticlesByUrl('https://big.example/huge'))[0]?.id ?? ''));
      // The default limits.maxArticleBytes (256 KiB), for the HTML and the text each.
      expect(bytes(article?.html ?? '')).toBeLessThanOrEqual(256 * 1024);
      expect(bytes(article?.text ?? '')).toBeLessThanOrEqual(256 * 1024);
      expect(article?.truncated).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('keeps bidirectional controls out of feed.atom, report.html and the article pages', async () => {
    const RLO = '\u202E';
    project = tempProject();
    const feedFile = path.join(project.dir, 'news.xml');
    writeFileSync(feedFile, rss(`Daily${RLO} News`, [{ guid: 'b', title: `Invoice ${RLO}fdp.exe is out`, html: '<p>Dock workers returned to the port on Monday after a strike of two weeks ended.</p>' }]));
    const dir = path.join(project.dir, 'articles');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'clip.txt'), `date 2025-03-04\nHarbor ${RLO}gnp.exe opens again today\n\nThe harbor reopened to ships on Tuesday, the port authority said in a statement.\n`);
    project.writeConfig({ sources: [{ id: 'news', file: feedFile }, { id: 'clips', dir }], feed: { selfUrl: 'http://127.0.0.1:8080/feed.atom', maxAgeDays: 3650 } });

    await runPipeline(project.configFile, NOW);

    const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
    const pagesDir = path.join(project.outDir, 'articles');
    const pages = readdirSync(pagesDir).map((name) => readFileSync(path.join(pagesDir, name), 'utf8'));
    expect(pages).toHaveLength(1);
    const xml = readFileSync(project.feedFile, 'utf8');
    const report = readFileSync(path.join(project.outDir, 'report.html'), 'utf8');
    for (const out of [xml, report, ...pages]) expect(out).not.toMatch(BIDI);
    const titles = parseAtomFeed(xml).entries?.map((e) => e.title?.value).sort();
    expect(titles).toEqual(['Harbor gnp.exe opens again today', 'Invoice fdp.exe is out']);
    expect(report).toContain('Daily News');
    expect(pages[0]).toContain('<h1>Harbor gnp.exe opens again today</h1>');
  }, 120_000);
});
