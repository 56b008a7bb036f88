import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAtomFeed, parseOpml, type Opml } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { feedfold, startLoopback, type Loopback } from './cli-harness.js';

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const OPML_FIXTURE = path.join(FIXTURES, 'cli', 'nested-subscriptions.opml');

interface SourceRow {
  id: string;
  kind: string;
  location: string;
  title: string | null;
  status: string;
}

/** Collects every xmlUrl of an OPML outline tree, however deeply nested. */
function xmlUrls(outlines: Opml.Outline<string>[] | undefined): string[] {
  return (outlines ?? []).flatMap((o) => [...(o.xmlUrl ? [o.xmlUrl] : []), ...xmlUrls(o.outlines)]);
}

describe('OPML import and export', () => {
  let server: Loopback;
  let project: TempProject;
  let opmlFile = '';
  let url: (name: string) => string;

  beforeAll(async () => {
    server = await startLoopback();
    server.route('/gazette.xml', { file: path.join(FEEDS, 'wire-rss20.xml') });
    server.route('/metro.xml', { file: path.join(FEEDS, 'metro-atom.xml') });
    server.route('/coast.json', { file: path.join(FEEDS, 'coast-jsonfeed.json') });
    url = (name) => `${server.base}/${name}`;
    project = tempProject();
    // Metro is already in the config: importing it again must not subscribe twice.
    project.writeConfig({ sources: [{ id: 'metro', url: url('metro.xml'), title: 'Metro Daily' }] });
    opmlFile = path.join(project.dir, 'subscriptions.opml');
    writeFileSync(opmlFile, readFileSync(OPML_FIXTURE, 'utf8').replaceAll('{{BASE}}', server.base));
  });
  afterAll(async () => {
    await server.close();
    project.cleanup();
  });

  it('subscribes to each feed of a nested list once, skipping folders, bookmarks and what the config has', async () => {
    const imported = await feedfold(['import-opml', opmlFile, '--config', project.configFile]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported 2 new feed\(s\).*\(1 already subscribed\)/);

    const listed = await feedfold(['sources', '--json', '--config', project.configFile]);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as SourceRow[];
    expect(rows.map((r) => r.location).sort()).toEqual([url('coast.json'), url('gazette.xml'), url('metro.xml')].sort());
    expect(rows.every((r) => r.kind === 'feed-url' && r.status === 'new')).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    const titles = new Map(rows.map((r) => [r.location, r.title]));
    // The first filing of a feed names it.
    expect(titles.get(url('gazette.xml'))).toBe('Harbor Gazette');
    expect(titles.get(url('coast.json'))).toBe('Coast Radio');
  });

  it('adds nothing when the same list is imported again', async () => {
    const again = await feedfold(['import-opml', opmlFile, '--config', project.configFile]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported 0 new feed\(s\).*\(3 already subscribed\)/);
  });

  it('exports the subscriptions as OPML that reads back to the same feeds', async () => {
    const exportFile = path.join(project.dir, 'exported.opml');
    const exported = await feedfold(['export-opml', '--file', exportFile, '--config', project.configFile, '--now', '2025-03-05T12:00:00Z']);
    expect(exported.code).toBe(0);
    const doc = parseOpml(readFileSync(exportFile, 'utf8'));
    const urls = xmlUrls(doc.body?.outlines);
    // Exactly three: a second import that added a duplicate would show here.
    expect(urls.sort()).toEqual([url('coast.json'), url('gazette.xml'), url('metro.xml')].sort());
    const outlines = (doc.body?.outlines ?? []).flatMap(function all(o: Opml.Outline<string>): Opml.Outline<string>[] {
      return [o, ...(o.outlines ?? []).flatMap(all)];
    });
    expect(outlines.find((o) => o.xmlUrl === url('gazette.xml'))?.text).toBe('Harbor Gazette');
  });

  it('fetches the imported feeds on the next run', async () => {
    const run = await feedfold(['run', '--config', project.configFile, '--now', '2025-03-05T12:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 source\(s\) ok, 0 failed/);
    expect(server.requests).toEqual(expect.arrayContaining(['/gazette.xml', '/coast.json', '/metro.xml']));
    const entries = parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? [];
    const hrefs = entries.flatMap((e) => (e.links ?? []).map((l) => l.href));
    // One article from each imported feed made it into the merged feed.
    expect(hrefs).toContain('http://gazette.test/news/bakery-prize');
    expect(hrefs).toContain('http://coastradio.test/stories/88131');
  });
});

describe('import-opml on a list it cannot read', () => {
  it('names the missing file, without a stack trace', async () => {
    const project = tempProject({ sources: [] });
    try {
      const missing = path.join(project.dir, 'no-such-list.opml');
      const result = await feedfold(['import-opml', missing, '--config', project.configFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot read OPML ${missing}`);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      project.cleanup();
    }
  });
});

describe('imported subscriptions live beside the config, not in out/', () => {
  let server: Loopback;
  let project: TempProject;
  let url: (name: string) => string;

  beforeAll(async () => {
    server = await startLoopback();
    server.route('/gazette.xml', { file: path.join(FEEDS, 'wire-rss20.xml') });
    server.route('/metro.xml', { file: path.join(FEEDS, 'metro-atom.xml') });
    server.route('/coast.json', { file: path.join(FEEDS, 'coast-jsonfeed.json') });
    url = (name) => `${server.base}/${name}`;
    project = tempProject({ sources: [] });
    writeFileSync(path.join(project.dir, 'reader-export.opml'), readFileSync(OPML_FIXTURE, 'utf8').replaceAll('{{BASE}}', server.base));
  });
  afterAll(async () => {
    await server.close();
    project.cleanup();
  });

  it('keeps the feeds with their folders in feedfold.opml, and reads them after out/ is deleted', async () => {
    const imported = await feedfold(['import-opml', path.join(project.dir, 'reader-export.opml'), '--config', project.configFile]);
    expect(imported.code).toBe(0);
    const kept = path.join(project.dir, 'feedfold.opml');
    expect(imported.stdout).toBe(`imported 3 new feed(s) from ${path.join(project.dir, 'reader-export.opml')} (0 already subscribed) into ${kept}\n`);
    const subscriptions = parseOpml(readFileSync(kept, 'utf8'));
    const folders = (subscriptions.body?.outlines ?? []).map((o) => o.text);
    expect(folders).toEqual(['News']);
    expect(xmlUrls(subscriptions.body?.outlines).sort()).toEqual([url('coast.json'), url('gazette.xml'), url('metro.xml')].sort());

    expect((await feedfold(['run', '--config', project.configFile, '--now', '2025-03-05T12:00:00Z'])).stdout).toMatch(/3 source\(s\) ok/);
    rmSync(project.outDir, { recursive: true, force: true });
    const listed = JSON.parse((await feedfold(['sources', '--json', '--config', project.configFile])).stdout) as SourceRow[];
    expect(listed.map((r) => r.location).sort()).toEqual([url('coast.json'), url('gazette.xml'), url('metro.xml')].sort());
    const rerun = await feedfold(['run', '--config', project.configFile, '--now', '2025-03-05T12:00:00Z']);
    expect(rerun.stdout).toMatch(/3 source\(s\) ok, 0 failed/);
    const hrefs = (parseAtomFeed(readFileSync(project.feedFile, 'utf8')).entries ?? []).flatMap((e) => (e.links ?? []).map((l) => l.href));
    expect(hrefs).toContain('http://gazette.test/news/bakery-prize');
  });

  it('exports them with their folders', async () => {
    const exported = await feedfold(['export-opml', '--config', project.configFile, '--now', '2025-03-05T12:00:00Z']);
    expect(exported.code).toBe(0);
    const doc = parseOpml(exported.stdout);
    const news = (doc.body?.outlines ?? []).find((o) => o.text === 'News');
    const local = (news?.outlines ?? []).find((o) => o.text === 'Local');
    expect((local?.outlines ?? []).map((o) => o.xmlUrl).sort()).toEqual([url('gazette.xml'), url('metro.xml')].sort());
    expect((news?.outlines ?? []).some((o) => o.xmlUrl === url('coast.json'))).toBe(true);
  });
});
