/**
 * Store benchmark: what one clustering batch costs on each backend, in SQL statements (round trips
 * on PostgreSQL) and in CPU time of this process, for batches of 10, 100 and 1,000 new articles
 * that each start a story. The statements must not grow with the batch (issue 13, acceptance 5).
 * PostgreSQL is the one the tests use (FEEDFOLD_TEST_DATABASE_URL, else
 * postgres://feedfold@127.0.0.1:5432/feedfold), in a database made for the run and dropped after;
 * it is skipped, saying so, when no server answers.
 *
 *   npx tsx bench/store.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/create-story-index.js';
import type { Article } from '../src/model/article.js';
import { applyOverrides } from '../src/pipeline/apply-overrides.js';
import { storyIdFor } from '../src/pipeline/story-ids.js';
import { assignArticles, refreshStories, type TouchedStories } from '../src/pipeline/update-stories.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';

const BATCHES = [10, 100, 1000];
const NOW = '2025-03-05T12:00:00.000Z';
const ADMIN_URL = process.env.FEEDFOLD_TEST_DATABASE_URL ?? 'postgres://feedfold@127.0.0.1:5432/feedfold';
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** An article with words of its own: it starts a story and merges with none. */
function article(n: number): Article {
  const words = Array.from({ length: 40 }, (_, w) => `w${n}x${w}`).join(' ');
  return {
    id: `wire:n${n}`,
    sourceId: 'wire',
    sourceTitle: 'Wire',
    sourceLocation: 'https://wire.example/feed.xml',
    sourceRank: 0,
    title: `Item ${n} q${n}z`,
    titleDerived: false,
    firstSeen: NOW,
    language: 'en',
    html: `<p>${words}</p>`,
    text: words,
    truncated: false,
    contentHash: `hash-${n}`,
    categories: [],
  };
}

/** Runs one clustering batch of each size; returns statements and CPU milliseconds per batch. */
async function measure(store: Store): Promise<{ statements: number[]; cpuMs: number[] }> {
  await store.unitOfWork(() => store.sources.upsertSources([{ spec: { id: 'wire', kind: 'feed-url', location: 'https://wire.example/feed.xml', rank: 0 }, origin: 'config' }]));
  const runId = await store.runs.startRun(NOW);
  const ctx = { runId, now: NOW, logger: pino({ level: 'silent' }) };
  const result = { statements: [] as number[], cpuMs: [] as number[] };
  let next = 0;
  for (const size of BATCHES) {
    const articles = Array.from({ length: size }, () => article(next++));
    await store.articles.insertArticles(articles, () => true);
    const index = createStoryIndex(DEFAULT_CLUSTER_OPTIONS, (a) => storyIdFor(a.id));
    const before = store.statementCount();
    const cpu = process.cpuUsage();
    await store.unitOfWork(async () => {
      const touched: TouchedStories = new Map();
      await assignArticles(store, index, articles, ctx, touched);
      const { pins } = await applyOverrides(store, { split: [], merge: [], pin: [] }, touched, ctx);
      await refreshStories(store, touched, pins, { policy: 'earliest-complete', completeRatio: 0.8 }, NOW);
    });
    const used = process.cpuUsage(cpu);
    result.statements.push(store.statementCount() - before);
    result.cpuMs.push(Math.round((used.user + used.system) / 1000));
  }
  await store.close();
  return result;
}

function report(backend: string, r: { statements: number[]; cpuMs: number[] }): void {
  for (const [i, size] of BATCHES.entries()) out(`${backend}: batch of ${size}: ${r.statements[i]} statements, ${r.cpuMs[i]} ms CPU`);
  out(`bench-store: backend=${backend} batches=${BATCHES.join(',')} statements=${r.statements.join(',')} cpu_ms=${r.cpuMs.join(',')}`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'feedfold-bench-store-'));
try {
  report('sqlite', await measure(SqliteStore.open(path.join(dir, 'feedfold.db'))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
const ready = await admin.connect().then(
  () => true,
  (err: Error) => {
    out(`bench-store: backend=postgres skipped: no server at ${ADMIN_URL} (${err.message})`);
    return false;
  },
);
if (ready) {
  const name = `feedfold_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    report('postgres', await measure(await PostgresStore.open(url.toString())));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
