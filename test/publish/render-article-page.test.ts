import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { articlePageName, articlePageUrl, renderArticlePage } from '../../src/publish/render-article-page.js';
import { renderReport } from '../../src/publish/render-report.js';
import { ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { makeArticle, META, RUNS, STORIES } from './story-fixtures.js';

const BASE = 'http://127.0.0.1:8080/articles/';
/** The longest file name most file systems allow (NAME_MAX), less what the atomic write adds for its temporary file. */
const NAME_MAX = 255;
const ATOMIC_WRITE_EXTRA = '..4194304.0123456789ab.tmp'.length;

describe('article pages opened without the server', () => {
  it('tell the browser to send no referrer, like the report', () => {
    const page = renderArticlePage(makeArticle({ id: 'a', title: 'T', html: '<p>x</p><img src="https://images.example/a.jpg">' }), META.title);
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).toContain('<meta name="referrer" content="no-referrer">');
    const report = renderReport(META, STORIES, RUNS);
    expect(report.slice(0, report.indexOf('</head>'))).toContain('<meta name="referrer" content="no-referrer">');
  });
});

describe('article page names', () => {
  it('keep short names as they were', () => {
    expect(articlePageUrl(BASE, 'seeds', '001_14234c3bc899f81f.txt')).toBe(`${BASE}seeds--001_14234c3bc899f81f.html`);
  });

  it('fit a file name however long the source id and file name, and stay distinct and stable', () => {
    const id = `s${'o'.repeat(199)}`;
    const one = articlePageUrl(BASE, id, `${'x'.repeat(240)}-1.txt`);
    const two = articlePageUrl(BASE, id, `${'x'.repeat(240)}-2.txt`);
    for (const url of [one, two]) {
      const name = articlePageName(url, BASE);
      expect(name).toBeDefined();
      expect(Buffer.byteLength(name ?? '') + ATOMIC_WRITE_EXTRA).toBeLessThanOrEqual(NAME_MAX);
    }
    expect(one).not.toBe(two);
    expect(articlePageUrl(BASE, id, `${'x'.repeat(240)}-1.txt`)).toBe(one);
  });

  it('refuses a name longer than a file name can be', () => {
    expect(articlePageName(`${BASE}${'a'.repeat(225)}.html`, BASE)).toBeUndefined();
    expect(articlePageName(`${BASE}${'a'.repeat(224)}.html`, BASE)).toBe(`${'a'.repeat(224)}.html`);
  });
});

describe('a run over an article file with a very long name', () => {
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());

  it('publishes its page under a name that fits, instead of failing the run with ENAMETOOLONG', async () => {
    project = tempProject();
    const seeds = project.copySeeds([]);
    copyFileSync(path.join(ROOT, 'seeds', '000_168ea976ff7458c6.txt'), path.join(seeds, `${'x'.repeat(150)}.txt`));
    project.writeConfig({ sources: [{ id: `s${'o'.repeat(150)}`, dir: seeds }] });
    const summary = await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    expect(summary.articlesNew).toBe(1);
    const pages = readdirSync(path.join(project.outDir, 'articles'));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.length).toBeLessThanOrEqual(NAME_MAX - ATOMIC_WRITE_EXTRA);
  });
});
