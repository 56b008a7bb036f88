import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewOptions } from '../../src/cli/serve-command.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { startServer, type RunningServer } from '../../src/serve/create-server.js';
import { CHROMIUM, CHROMIUM_ARGS, hasTool, noTool } from '../helpers/external-tools.js';
import { BAKERY, BIKE, CORAL, entryWith, feedsProject, readEntries, recordCloseCall, T0, type PublishedEntry } from '../helpers/override-fixtures.js';
import { ROOT } from '../helpers/paths.js';
import type { TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';

const TOKEN = 'browser-test-token-0123456789';
const SCREENSHOT_DIR = path.join(ROOT, 'out');
const grouping = (entries: PublishedEntry[]): string[] => entries.map((e) => `${e.id} ${e.versions.join(' ')}`).sort();

describe.skipIf(!hasTool('chromium'))(`review app in headless chromium ${hasTool('chromium') ? '' : noTool('chromium')}`, () => {
  let project: TempProject;
  let server: RunningServer;
  let closeService: () => Promise<void>;
  let browser: Browser;
  let runs = 0;
  const nextRun = (): Promise<unknown> => runPipeline(project.configFile, new Date(Date.parse(T0) + ++runs * 3_600_000).toISOString());

  beforeAll(async () => {
    project = feedsProject().project;
    await runPipeline(project.configFile, T0);
    const entries = readEntries(project);
    await recordCloseCall(project, { bike: entryWith(entries, BIKE.gazette).id, coral: entryWith(entries, CORAL).id });
    const config = loadConfig(project.configFile, { FEEDFOLD_ADMIN_TOKEN: TOKEN });
    const review = reviewOptions(config, createLogger({ level: 'silent' }));
    closeService = () => review.service.close();
    server = await startServer({ host: '127.0.0.1', port: 0, outDir: config.outDir, maxAgeSeconds: 60, review });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await closeService?.();
    project?.cleanup();
  });

  /** Clicks a button whose action reloads the page, and waits for the reloaded page. */
  async function clickAndReload(page: Page, click: () => Promise<void>): Promise<void> {
    const loaded = page.waitForEvent('load');
    await click();
    await loaded;
  }

  it('filters to close calls, splits a version, undoes it and merges two stories, each in the next run’s feed', async () => {
    const before = readEntries(project);
    const bike = entryWith(before, BIKE.gazette);
    const coral = entryWith(before, CORAL);
    const bakery = entryWith(before, BAKERY[0]!);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    // Filter to close calls with the form, as a person would.
    await page.goto(`${server.url}/review`);
    await page.selectOption('select[name=filter]', 'close-calls');
    await clickAndReload(page, () => page.click('form.filters button[type=submit]'));
    expect(new URL(page.url()).searchParams.get('filter')).toBe('close-calls');
    const stories = page.locator('article.story');
    expect(await stories.count()).toBe(1);
    const card = page.locator(`article[data-story-id="${bike.id}"]`);
    const close = card.locator('li.version.close-call');
    const coralTitle = ((await (await fetch(`${server.url}/api/stories/${encodeURIComponent(coral.id)}`)).json()) as { title: string }).title;
    expect(await close.locator('.runner-up').innerText()).toBe(`runner-up: “${coralTitle}” (score 0.120)`);
    expect(await close.locator('.score').innerText()).toMatch(/score 0\.270 vs threshold 0\.250/);

    // Split that version out: the token is asked for once.
    await close.locator('button[data-action=split]').click();
    await page.fill('#token-dialog input[name=token]', TOKEN);
    await page.fill('#token-dialog input[name=by]', 'browser');
    await clickAndReload(page, () => page.click('#token-dialog button[type=submit]'));
    await page.goto(`${server.url}/review?q=bike`);
    expect(await page.locator(`article[data-story-id="${bike.id}"] li.version`).count()).toBe(2);
    await nextRun();
    let feed = readEntries(project);
    expect(entryWith(feed, BIKE.gazette).id).toBe(bike.id);
    expect(entryWith(feed, BIKE.metro).versions).toEqual([BIKE.metro]);

    // Undo it from the audit list.
    await page.goto(`${server.url}/review/audit`);
    const row = page.locator('tr[data-override]').first();
    expect(await row.innerText()).toContain('browser');
    await clickAndReload(page, () => row.locator('button[data-action=undo]').click());
    expect(await page.locator('tr[data-override]').first().locator('button').count()).toBe(0);
    await nextRun();
    expect(grouping(readEntries(project))).toEqual(grouping(before));

    // Merge the bakery story into the coral-reefs story, found by searching its title.
    await page.goto(`${server.url}/review`);
    const coralCard = page.locator(`article[data-story-id="${coral.id}"]`);
    await coralCard.locator('button[data-action=merge-open]').click();
    await coralCard.locator('.merge-box input').fill('bakery');
    const candidate = coralCard.locator(`.merge-box button[data-other="${bakery.id}"]`);
    await clickAndReload(page, () => candidate.click());
    await nextRun();
    feed = readEntries(project);
    expect(feed.map((e) => e.id)).not.toContain(bakery.id);
    expect(entryWith(feed, CORAL)).toMatchObject({ id: coral.id, versions: [...coral.versions, ...bakery.versions].sort() });
    await page.close();
  });

  for (const [label, width, file] of [
    ['a 390px phone', 390, 'review-phone.png'],
    ['a 1280px laptop', 1280, 'review-laptop.png'],
  ] as const) {
    it(`is readable on ${label}: one page of stories, no horizontal scrolling (screenshot in out/)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${server.url}/review`);
      expect(await page.locator('article.story').count()).toBeGreaterThan(0);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))).toBeLessThanOrEqual(0);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true });
      await page.close();
    });
  }
});
