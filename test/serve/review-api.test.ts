import path from 'node:path';
import { parseYaml } from '../../src/config/yaml-text.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reviewOptions } from '../../src/cli/serve-command.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { ReviewStory, StoryPage } from '../../src/model/review.js';
import { startServer, type RunningServer } from '../../src/serve/create-server.js';
import { BAKERY, BIKE, CLOSE_CALL, CORAL, entryWith, recordCloseCall, feedsProject, readEntries, T0, type PublishedEntry } from '../helpers/override-fixtures.js';
import type { TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { feedfold } from '../cli/cli-harness.js';

const TOKEN = 'review-test-token-0123456789';
const MARGIN = 0.05;

/** Entry ids with their versions, for comparing groupings. */
const grouping = (entries: PublishedEntry[]): string[] => entries.map((e) => `${e.id} ${e.versions.join(' ')}`).sort();

describe('review API on a real loopback server', () => {
  let project: TempProject;
  let server: RunningServer;
  let closeService: () => Promise<void>;
  let runs = 0;

  /** A run later than the one before (each at its own injected time). */
  const nextRun = (): Promise<unknown> => runPipeline(project.configFile, new Date(Date.parse(T0) + ++runs * 3_600_000).toISOString());

  async function startWith(env: NodeJS.ProcessEnv): Promise<void> {
    const config = loadConfig(project.configFile, env);
    const logger = createLogger({ level: 'silent' });
    const review = reviewOptions(config, logger);
    closeService = () => review.service.close();
    server = await startServer({ host: '127.0.0.1', port: 0, outDir: config.outDir, maxAgeSeconds: 60, review });
  }

  const api = async (method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> => {
    const headers: Record<string, string> = { ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}) });
    return { status: res.status, json: await res.json() };
  };
  const story = async (ref: string): Promise<ReviewStory> => (await api('GET', `/api/stories/${encodeURIComponent(ref)}`)).json as ReviewStory;

  beforeEach(async () => {
    project = feedsProject({ review: { closeCallMargin: MARGIN } }).project;
    runs = 0;
    await runPipeline(project.configFile, T0);
  });
  afterEach(async () => {
    await server?.close();
    await closeService?.();
    project?.cleanup();
  });

  it('lists stories newest first with paging, and one story with its versions', async () => {
    await startWith({});
    const page = (await api('GET', '/api/stories')).json as StoryPage;
    expect(page.page).toBe(1);
    expect(page.pages).toBe(1);
    expect(page.stories.length).toBe(readEntries(project).length);
    const updated = page.stories.map((s) => s.updated);
    expect(updated).toEqual([...updated].sort().reverse());
    const bike = page.stories.find((s) => s.versions.some((v) => v.url === BIKE.gazette))!;
    expect(bike.versions.map((v) => v.url).sort()).toEqual(Object.values(BIKE).sort());
    expect(bike.versions.filter((v) => v.canonical)).toHaveLength(1);
    for (const v of bike.versions) expect(v).toMatchObject({ article: expect.any(String), title: expect.any(String), source: expect.any(String), canonical: expect.any(Boolean) });
    expect(await story(bike.id)).toEqual(bike);
    expect((await api('GET', '/api/stories?q=BIKE%20lanes')).json.stories.map((s: ReviewStory) => s.id)).toEqual([bike.id]);
    expect((await api('GET', '/api/stories?filter=folded')).json.stories.every((s: ReviewStory) => s.versions.length > 1)).toBe(true);
    expect((await api('GET', '/api/stories?source=coast')).json.stories.every((s: ReviewStory) => s.versions.some((v) => v.source === 'coast'))).toBe(true);
    expect((await api('GET', '/api/stories/urn%3Auuid%3Anone')).status).toBe(404);
  });

  it('close-calls lists exactly the stories with a join within the margin of the threshold, naming threshold, margin and runner-up by title', async () => {
    const entries = readEntries(project);
    const bike = entryWith(entries, BIKE.gazette);
    const coral = entryWith(entries, CORAL);
    const threshold = DEFAULT_CLUSTER_OPTIONS.threshold;
    await recordCloseCall(project, { bike: bike.id, coral: coral.id });
    await startWith({});
    const all = ((await api('GET', '/api/stories')).json as StoryPage).stories;
    const close = ((await api('GET', '/api/stories?filter=close-calls')).json as StoryPage).stories;
    expect(all[0]!.threshold).toBe(threshold);
    const within = (s: ReviewStory): boolean => s.versions.some((v) => v.action === 'joined' && Math.abs((v.score as number) - threshold) <= MARGIN);
    expect(close.map((s) => s.id)).toEqual([bike.id]);
    expect(all.filter(within).map((s) => s.id)).toEqual([bike.id]);
    for (const s of close) {
      expect(s).toMatchObject({ threshold, margin: MARGIN });
      const calls = s.versions.filter((v) => v.closeCall);
      expect(calls.map((v) => v.url)).toEqual([BIKE.metro]);
      expect(calls[0]!.runnerUp).toEqual({ story: coral.id, title: (await story(coral.id)).title, score: CLOSE_CALL.runnerUpScore });
    }
  });

  it('is read-only without an admin token', async () => {
    await startWith({});
    const bike = entryWith(readEntries(project), BIKE.gazette);
    const res = await api('POST', '/api/overrides', { body: { action: 'split', article: BIKE.metro }, token: TOKEN });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('read-only');
    expect((await story(bike.id)).versions).toHaveLength(3);
  });

  it('refuses writes without the token, from another origin, as a form, or with invalid input', async () => {
    await startWith({ FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const split = { action: 'split', article: BIKE.metro };
    expect((await api('POST', '/api/overrides', { body: split })).status).toBe(401);
    expect((await api('POST', '/api/overrides', { body: split, token: `${TOKEN}x` })).status).toBe(401);
    expect((await api('POST', '/api/overrides', { body: split, token: TOKEN, headers: { Origin: 'http://evil.test' } })).status).toBe(403);
    expect((await api('POST', '/api/overrides', { body: split, token: TOKEN, headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await api('POST', '/api/overrides', { body: 'action=split', token: TOKEN, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await api('POST', '/api/overrides', { body: '{"action":', token: TOKEN })).status).toBe(400);
    expect((await api('POST', '/api/overrides', { body: { action: 'explode' }, token: TOKEN })).status).toBe(422);
    expect((await api('POST', '/api/overrides', { body: { action: 'merge', stories: ['a'] }, token: TOKEN })).status).toBe(422);
    const unknown = await api('POST', '/api/overrides', { body: { action: 'split', article: 'http://nowhere.test/x' }, token: TOKEN });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.message).toContain('http://nowhere.test/x');
    expect((await api('POST', '/api/overrides', { body: { action: 'split', article: 'x'.repeat(20_000) }, token: TOKEN })).status).toBe(413);
    expect((await api('DELETE', '/api/overrides/abc', { token: TOKEN })).status).toBe(400);
    expect((await api('DELETE', '/api/overrides/999', { token: TOKEN })).status).toBe(404);
    expect((await api('GET', '/api/stories?page=0')).status).toBe(400);
    expect((await api('GET', '/api/stories?filter=nonsense')).status).toBe(400);
    expect((await api('PUT', '/api/stories')).status).toBe(405);
    expect(((await api('GET', '/api/overrides')).json.overrides as unknown[]).length).toBe(0);
  });

  it('split, merge and pin: 201, in the store at once, in the feed after the next run with unchanged entry ids; DELETE and a run restore it', async () => {
    await startWith({ FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const before = readEntries(project);
    const bike = entryWith(before, BIKE.gazette);
    const coral = entryWith(before, CORAL);
    const bakery = entryWith(before, BAKERY[0]!);

    const split = await api('POST', '/api/overrides', { body: { action: 'split', article: BIKE.metro, by: 'editor' }, token: TOKEN });
    expect(split.status).toBe(201);
    expect(split.json.id).toEqual(expect.any(Number));
    expect((await story(bike.id)).versions.map((v) => v.url)).not.toContain(BIKE.metro);
    await nextRun();
    let feed = readEntries(project);
    expect(entryWith(feed, BIKE.gazette).id).toBe(bike.id);
    expect(entryWith(feed, BIKE.metro).versions).toEqual([BIKE.metro]);
    expect(feed.map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    expect((await api('DELETE', `/api/overrides/${split.json.id}`, { token: TOKEN })).status).toBe(200);
    await nextRun();
    expect(grouping(readEntries(project))).toEqual(grouping(before));

    const merge = await api('POST', '/api/overrides', { body: { action: 'merge', stories: [coral.id, bakery.id] }, token: TOKEN });
    expect(merge.status).toBe(201);
    await nextRun();
    feed = readEntries(project);
    expect(feed.map((e) => e.id)).not.toContain(bakery.id);
    expect(entryWith(feed, CORAL).id).toBe(coral.id);
    expect(entryWith(feed, CORAL).versions).toEqual([...coral.versions, ...bakery.versions].sort());
    expect((await api('DELETE', `/api/overrides/${merge.json.id}`, { token: TOKEN })).status).toBe(200);
    await nextRun();
    expect(grouping(readEntries(project))).toEqual(grouping(before));

    const target = bike.related[0]!;
    const pin = await api('POST', '/api/overrides', { body: { action: 'pin', story: bike.id, article: target }, token: TOKEN });
    expect(pin.status).toBe(201);
    await nextRun();
    expect(entryWith(readEntries(project), target)).toMatchObject({ id: bike.id, canonical: target });
    expect((await api('DELETE', `/api/overrides/${pin.json.id}`, { token: TOKEN })).status).toBe(200);
    await nextRun();
    expect(entryWith(readEntries(project), target)).toMatchObject({ id: bike.id, canonical: bike.canonical });

    const audit = (await api('GET', '/api/overrides')).json.overrides as { id: number; createdBy: string; undoneAt?: string }[];
    expect(audit.map((o) => o.id)).toEqual([pin.json.id, merge.json.id, split.json.id]);
    expect(audit.every((o) => o.undoneAt !== undefined)).toBe(true);
    expect(audit.at(-1)?.createdBy).toBe('editor');
  });

  it('exports the corrections in the overrides.yaml format; kept in the file, they outlive an undo in the app', async () => {
    await startWith({ FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const bike = entryWith(readEntries(project), BIKE.gazette);
    const split = await api('POST', '/api/overrides', { body: { action: 'split', article: BIKE.metro }, token: TOKEN });
    const pin = await api('POST', '/api/overrides', { body: { action: 'pin', story: bike.id, article: BIKE.coast }, token: TOKEN });
    const exported = await feedfold(['overrides', 'export', '--app-only', '--config', project.configFile]);
    expect(exported.code).toBe(0);
    expect(parseYaml(exported.stdout)).toEqual({ merge: [], split: [BIKE.metro], pin: [{ story: bike.id, canonical: BIKE.coast }] });
    const file = path.join(project.dir, 'overrides.yaml');
    expect((await feedfold(['overrides', 'export', '--file', file, '--config', project.configFile])).code).toBe(0);
    for (const id of [split.json.id, pin.json.id]) expect((await api('DELETE', `/api/overrides/${id}`, { token: TOKEN })).status).toBe(200);
    await nextRun();
    const feed = readEntries(project);
    expect(entryWith(feed, BIKE.metro).versions).toEqual([BIKE.metro]);
    expect(entryWith(feed, BIKE.coast)).toMatchObject({ id: bike.id, canonical: BIKE.coast });
  });

  it('publish now writes the feed from the store without a run', async () => {
    await startWith({ FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const bike = entryWith(readEntries(project), BIKE.gazette);
    expect((await api('POST', '/api/overrides', { body: { action: 'split', article: BIKE.metro }, token: TOKEN })).status).toBe(201);
    expect((await api('POST', '/api/publish')).status).toBe(401);
    const published = await api('POST', '/api/publish', { token: TOKEN });
    expect(published.status).toBe(200);
    const feed = readEntries(project);
    expect(published.json.entries).toBe(feed.length);
    expect(entryWith(feed, BIKE.gazette).id).toBe(bike.id);
    expect(entryWith(feed, BIKE.metro).versions).toEqual([BIKE.metro]);
  });

  it('serves the review pages with a nonce-only script policy', async () => {
    await startWith({ FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const res = await fetch(`${server.url}/review?filter=folded`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('data-story-id');
    expect((await fetch(`${server.url}/review?page=x`)).status).toBe(400);
    expect((await fetch(`${server.url}/review/sources`)).status).toBe(200);
    expect((await fetch(`${server.url}/review/audit`)).status).toBe(200);
  });
});
