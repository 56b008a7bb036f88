import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model/article.js';
import { CHROMIUM, CHROMIUM_ARGS, hasTool, noTool } from '../helpers/external-tools.js';
import { ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { spawnCli } from '../helpers/cli.js';

const SCREENSHOT = path.join(ROOT, 'out', 'report-seeds.png');
const SERVE_START_TIMEOUT_MS = 60_000;

type ServeProcess = ReturnType<typeof spawnCli>;

/** Starts `feedfold serve --port 0` and resolves with the base URL it prints. */
function startServe(configFile: string): Promise<{ child: ServeProcess; base: string }> {
  const child = spawnCli(['serve', '--port', '0', '--config', configFile], { env: { FEEDFOLD_OUT: '' } });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`feedfold serve printed no URL: ${stdout} ${stderr}`)), SERVE_START_TIMEOUT_MS);
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      const match = /serving (http:\/\/127\.0\.0\.1:\d+)\/?feed\.atom/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`feedfold serve exited ${code}: ${stderr}`)));
  });
}

describe.skipIf(!hasTool('chromium'))(`the report of the bundled seeds in headless chromium ${hasTool('chromium') ? '' : noTool('chromium')}`, () => {
  let project: TempProject;
  let serve: { child: ServeProcess; base: string };
  let browser: Browser;
  let stories: Array<{ id: string; members: Article[] }> = [];

  beforeAll(async () => {
    project = tempProject();
    // As the bundled config/feedfold.yaml names them.
    project.writeConfig({ sources: [{ id: 'seeds', dir: project.copySeeds(), title: 'Sample articles' }] });
    await runPipeline(project.configFile, '2025-03-05T12:00:00Z');
    const store = await openStore(project.configFile);
    try {
      const rows = await store.stories.recentStories('1970-01-01T00:00:00Z', 1000);
      const byStory = await store.stories.membersOf(rows.map((s) => s.id));
      stories = rows.map((s) => ({ id: s.id, members: byStory.get(s.id) ?? [] }));
    } finally {
      await store.close();
    }
    serve = await startServe(project.configFile);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    if (serve?.child.exitCode === null) {
      const exited = new Promise((resolve) => serve.child.once('exit', resolve));
      serve.child.kill('SIGTERM');
      await exited;
    }
    project?.cleanup();
  });

  it('shows every seed as a version of its story, from "Sample articles", in English and German', async () => {
    expect(stories.flatMap((s) => s.members)).toHaveLength(5);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const response = await page.goto(`${serve.base}/report`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    expect(await page.locator('article.story').count()).toBe(stories.length);
    for (const story of stories) {
      const section = page.locator(`article[data-story-id="${story.id}"]`);
      expect(await section.locator('li.version').count()).toBe(story.members.length);
      for (const article of story.members) {
        const version = section.locator(`li.version[data-article-id="${article.id}"]`);
        expect(await version.locator('.vtitle').innerText()).toBe(article.title);
        expect(await version.isVisible()).toBe(true);
        expect(await version.locator('.outlet').innerText()).toBe('Sample articles');
      }
      expect(await section.locator('li.version.canonical').count()).toBe(1);
    }
    const languages = await page.locator('li.version dt:text-is("language") + dd').allInnerTexts();
    expect(languages.sort()).toEqual(['de', 'en', 'en', 'en', 'en']);
    // The Kim Basinger story is on the page whatever the clustering makes of its versions.
    expect(await page.locator('article.story h2', { hasText: /Kim Basinger|Alec Baldwin/ }).count()).toBeGreaterThan(0);

    // Each version's page, published beside the feed, is served too (its path under the feed's self URL).
    for (const article of stories.flatMap((st) => st.members)) {
      if (article.url === undefined) continue;
      const res = await fetch(`${serve.base}${new URL(article.url).pathname}`);
      expect(res.status, article.url).toBe(200);
      expect(await res.text()).toContain(article.title.slice(0, 30));
    }

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
