import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/publish/render-report.js';
import { writeFileAtomic } from '../../src/publish/write-atomic.js';
import { startServer, type RunningServer } from '../../src/serve/create-server.js';
import { CHROMIUM, CHROMIUM_ARGS, hasTool, noTool } from '../helpers/external-tools.js';
import { ROOT } from '../helpers/paths.js';
import { META, RUNS, STORIES, THREE_VERSION_STORY } from './story-fixtures.js';

const SCREENSHOT_DIR = path.join(ROOT, 'out');

describe.skipIf(!hasTool('chromium'))(`report in headless chromium ${hasTool('chromium') ? '' : noTool('chromium')}`, () => {
  let dir = '';
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'feedfold-report-'));
    await writeFileAtomic(path.join(dir, 'report.html'), renderReport(META, STORIES, RUNS, { generatedAt: '2025-03-02T12:00:05Z' }));
    server = await startServer({ host: '127.0.0.1', port: 0, outDir: dir, maxAgeSeconds: 60 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [label, width, file] of [
    ['a 390px phone', 390, 'report-mobile.png'],
    ['a 1280px laptop', 1280, 'report.png'],
  ] as const) {
    it(`shows each story with its versions on ${label}, without horizontal scrolling`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      const response = await page.goto(`${server.url}/report`);
      expect(response?.status()).toBe(200);

      const story = page.locator(`article[data-story-id="${THREE_VERSION_STORY.id}"]`);
      await expect(story.locator('h2').innerText()).resolves.toBe(THREE_VERSION_STORY.canonical.title);
      expect(await story.locator('li.version').count()).toBe(3);
      expect(await story.locator('li.version.canonical .outlet').innerText()).toBe('Wire Service');
      expect(await story.locator('li.version.canonical .badge').isVisible()).toBe(true);
      expect(await story.locator('li.version', { hasText: 'Die Zeitung' }).isVisible()).toBe(true);
      expect(await page.locator('article.story').count()).toBe(STORIES.length);

      // Readable means no sideways scrolling of the page; the runs table scrolls inside its box.
      // Expressions as strings: the test's tsconfig has no DOM lib; they run in the page.
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      expect(overflow).toBeLessThanOrEqual(0);
      const fontPx = Number.parseFloat(String(await page.evaluate('getComputedStyle(document.body).fontSize')));
      expect(fontPx).toBeGreaterThanOrEqual(14);
      // Self-contained: the page loads nothing but itself.
      expect(requests).toEqual([`${server.url}/report`]);

      const target = path.join(SCREENSHOT_DIR, file);
      await page.screenshot({ path: target, fullPage: true });
      expect((await stat(target)).size).toBeGreaterThan(1000);
      await page.close();
    });
  }
});
