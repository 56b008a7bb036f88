import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs, runCliAsync } from '../helpers/cli.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';
import { serveFeedFolder } from '../helpers/feed-folder-server.js';

/**
 * Crash safety (DESIGN.md "State"): a run killed with SIGKILL at any point leaves a store the next
 * run completes from, and a published feed that is the old one or the new one, never half. Kill
 * points are the run's named checkpoints: after each source's commit, inside its unit of work after
 * each article, inside a clustering batch after each decision, between batches (of two articles
 * here, so a run has several), before the last commit, and around each atomic file write.
 *
 * A real `feedfold run` child process is stopped at every checkpoint in turn
 * (FEEDFOLD_PAUSE_AT_CHECKPOINTS, see src/schedule/fault-injection.ts). A stopped run executes
 * nothing and has no write in flight, and SIGKILL flushes nothing, so the files copied there are
 * exactly what a kill at that point leaves; at its last checkpoint the run is killed for real.
 * One process lifetime per phase thus yields the state of every kill point, instead of one CLI
 * start per point. One more run kills itself inside the store transaction (FEEDFOLD_KILL_AT), the
 * way an operator's SIGKILL would arrive. Every state is then finished by a clean run and compared
 * with an uninterrupted history.
 */

const FEEDS = path.join(FIXTURES, 'pipeline', 'feeds');
const SEEDS = path.join(ROOT, 'seeds');
const NOW_1 = '2025-03-05T12:00:00.000Z';
const NOW_2 = '2025-03-05T18:00:00.000Z';
/** Child runs at once: one per core (at most four), so the suite stays bounded on a small machine. */
const LANES = Math.max(1, Math.min(4, os.availableParallelism()));

type Phase = 1 | 2 | 3;

/** New articles per clustering batch in these runs: several batches, each committed, per run. */
const BATCH_ARTICLES = 2;

/** Checkpoints a run passes, with how many times, for a run that reads `sources` sources and `articles` new articles. */
function killPoints(sources: number, articles: number): string[] {
  const points: string[] = [];
  for (let i = 1; i <= sources; i++) points.push(`source-read:${i}`);
  points.push('fetched:1');
  for (let i = 1; i <= articles; i++) points.push(`insert-article:${i}`, `decision:${i}`);
  for (let i = 1; i < Math.ceil(articles / BATCH_ARTICLES); i++) points.push(`batch-committed:${i}`);
  points.push('before-commit:1', 'committed:1', 'publish-feed:1', 'published:1', 'finished:1', 'publish-report:1');
  return points;
}

/** The files a run killed at `point` left behind, and the feed as it was before that run. */
interface CrashState {
  phase: Phase;
  point: string;
  /** How the run stopped: copied while stopped there, killed there by the test, or killed by itself. */
  how: 'stopped' | 'killed' | 'killed itself';
  project: TempProject;
  feedBefore: Buffer | undefined;
}

interface Snapshot {
  articles: string[];
  /** Story id → sorted member article ids. */
  partition: Map<string, string[]>;
  entryIds: string[];
}

/**
 * Runs every task with at most `limit` in flight; all tasks run to their end (none is left writing
 * into a folder that cleanup removes), then the failures are reported together.
 */
async function runBounded<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  const failures: unknown[] = [];
  let next = 0;
  async function lane(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await (tasks[i] as () => Promise<T>)();
      } catch (err) {
        failures.push(err);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n'));
  return results;
}

async function snapshot(project: TempProject): Promise<Snapshot> {
  const store = await openStore(project.configFile);
  try {
    const state = await store.snapshot();
    const partition = new Map<string, string[]>();
    for (const r of state.members) partition.set(r.storyId, [...(partition.get(r.storyId) ?? []), r.articleId]);
    const articles = state.articles.map((a) => a.id);
    const feed = parseAtomFeed(readFileSync(project.feedFile, 'utf8'));
    return { articles, partition, entryIds: (feed.entries ?? []).map((e) => e.id as string).sort() };
  } finally {
    await store.close();
  }
}

describe('crash safety: SIGKILL at every checkpoint of a run', () => {
  let server: Server;
  let base: string;
  let work: string;
  const phase1Sources = (): Record<string, unknown>[] => [
    { id: 'gazette', url: `${base}/wire-rss20.xml` },
    { id: 'metro', url: `${base}/metro-atom.xml` },
  ];
  const phase2Sources = (seedsDir: string): Record<string, unknown>[] => [
    ...phase1Sources(),
    { id: 'coast', url: `${base}/coast-jsonfeed.json` },
    { id: 'seeds', dir: seedsDir },
  ];
  let reference: Snapshot;
  let phase1Dir: string;
  let phase2Dir: string;

  beforeAll(async () => {
    ({ server, base } = await serveFeedFolder(FEEDS));
    work = mkdtempSync(path.join(os.tmpdir(), 'feedfold-crash-'));

    // One uninterrupted history, run once: its phase-1 state starts the phase-2 runs, its phase-2
    // state starts the phase-3 runs and is the reference every recovery must reach.
    phase1Dir = path.join(work, 'phase1');
    mkdirSync(phase1Dir);
    const p1 = tempProject({}, phase1Dir);
    p1.writeConfig({ sources: phase1Sources(), cluster: { batchArticles: BATCH_ARTICLES } });
    await runPipeline(p1.configFile, NOW_1);

    phase2Dir = path.join(work, 'phase2');
    cpSync(phase1Dir, phase2Dir, { recursive: true });
    const ref = tempProject({}, phase2Dir);
    ref.writeConfig({ sources: phase2Sources(SEEDS), cluster: { batchArticles: BATCH_ARTICLES } });
    await runPipeline(ref.configFile, NOW_2);
    reference = await snapshot(ref);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Prepares a project in the state a phase's run starts from: nothing (phase 1), after phase 1, or after phase 2. */
  function startOf(phase: Phase, name: string): { project: TempProject; feedBefore: Buffer | undefined } {
    const dir = path.join(work, name);
    if (phase === 1) mkdirSync(dir);
    else cpSync(phase === 2 ? phase1Dir : phase2Dir, dir, { recursive: true });
    const project = tempProject({}, dir);
    project.writeConfig({ sources: phase === 1 ? phase1Sources() : phase2Sources(SEEDS), cluster: { batchArticles: BATCH_ARTICLES } });
    return { project, feedBefore: existsSync(project.feedFile) ? readFileSync(project.feedFile) : undefined };
  }

  /**
   * Runs one phase's `feedfold run`, stopped at each checkpoint: the project's files are copied there
   * into a state of their own, and the run is SIGKILLed at the last one (its files are that state).
   */
  async function stopAtEveryPoint(phase: Phase, last: string): Promise<{ reached: string[]; states: CrashState[] }> {
    const { project, feedBefore } = startOf(phase, `p${phase}-run`);
    const child = spawn(process.execPath, cliArgs(['run', '--config', project.configFile, '--now', phase === 1 ? NOW_1 : NOW_2, '--quiet']), {
      cwd: ROOT,
      env: { ...process.env, FEEDFOLD_PAUSE_AT_CHECKPOINTS: '1' },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const reached: string[] = [];
    const states: CrashState[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.resume();
    // The go-ahead pipe closes when the run is killed; a write racing that close is of no interest.
    child.stdin.on('error', () => undefined);
    createInterface({ input: child.stdio[3] as Readable }).on('line', (point) => {
      reached.push(point);
      if (point === last) {
        states.push({ phase, point, how: 'killed', project, feedBefore });
        child.kill('SIGKILL');
        return;
      }
      const dir = path.join(work, `p${phase}-${point.replace(':', '-')}`);
      cpSync(project.dir, dir, { recursive: true });
      states.push({ phase, point, how: 'stopped', project: tempProject({}, dir), feedBefore });
      child.stdin.write('.');
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (_status, sig) => resolve(sig));
    });
    expect(signal, `phase ${phase}: the run should have been killed at ${last} (stderr: ${stderr})`).toBe('SIGKILL');
    return { reached, states };
  }

  /** Runs one phase's `feedfold run` that SIGKILLs itself at `point`. */
  async function killItselfAt(phase: Phase, point: string): Promise<CrashState> {
    const { project, feedBefore } = startOf(phase, `p${phase}-self-${point.replace(':', '-')}`);
    const killed = await runCliAsync(['run', '--config', project.configFile, '--now', phase === 1 ? NOW_1 : NOW_2, '--quiet'], { env: { FEEDFOLD_KILL_AT: point } });
    expect(killed.signal, `${point}: the run should have been killed there (stderr: ${killed.stderr})`).toBe('SIGKILL');
    return { phase, point, how: 'killed itself', project, feedBefore };
  }

  /** Checks the feed a killed run left, finishes with a clean run, compares with the reference. */
  async function recover({ phase, point, how, project, feedBefore }: CrashState): Promise<void> {
    const at = `phase ${phase}, ${point} (${how})`;
    // The feed on disk is whole: the old bytes, or a complete new document.
    if (existsSync(project.feedFile)) {
      const now = readFileSync(project.feedFile);
      if (!feedBefore || !now.equals(feedBefore)) {
        const feed = parseAtomFeed(now.toString('utf8'));
        const ids = (feed.entries ?? []).map((e) => e.id);
        expect(new Set(ids).size, at).toBe(ids.length);
        expect(now.toString('utf8').trimEnd().endsWith('</feed>'), at).toBe(true);
      }
    } else {
      expect(feedBefore, at).toBeUndefined();
    }

    // The next run (phase 1 state is finished by a second phase-1 run first) completes the work.
    if (phase === 1) {
      await runPipeline(project.configFile, NOW_1);
      project.writeConfig({ sources: phase2Sources(SEEDS), cluster: { batchArticles: BATCH_ARTICLES } });
    }
    await runPipeline(project.configFile, NOW_2);
    const after = await snapshot(project);
    expect(after.articles, `articles after a kill at ${at}`).toEqual(reference.articles);
    expect(after.entryIds, `feed entries after a kill at ${at}`).toEqual(reference.entryIds);
    expect([...after.partition.entries()].sort(), `stories after a kill at ${at}`).toEqual([...reference.partition.entries()].sort());
    expect(readdirSync(project.outDir).filter((n) => n.endsWith('.tmp')), at).toEqual([]);
    rmSync(project.dir, { recursive: true, force: true });
  }

  it('recovers from kills in a first run (2 feeds, 4 articles), a later run (4 sources, 7 new articles) and a run with nothing new', async () => {
    const expected: Record<Phase, string[]> = { 1: killPoints(2, 4), 2: killPoints(4, 7), 3: killPoints(4, 0) };
    expect(expected[1].length + expected[2].length + expected[3].length).toBeGreaterThanOrEqual(50);
    const phases = [1, 2, 3] as const;
    const [selfKilled, ...stopped] = await runBounded<CrashState | { reached: string[]; states: CrashState[] }>(
      [() => killItselfAt(2, 'decision:4'), ...phases.map((phase) => () => stopAtEveryPoint(phase, 'publish-report:1'))],
      LANES,
    );
    const states: CrashState[] = [selfKilled as CrashState];
    for (const [i, phase] of phases.entries()) {
      const run = stopped[i] as { reached: string[]; states: CrashState[] };
      // Every expected point was reached, once, and each left a state to recover from.
      expect([...run.reached].sort(), `checkpoints of phase ${phase}`).toEqual([...expected[phase]].sort());
      expect(run.states.map((s) => s.point).sort()).toEqual([...expected[phase]].sort());
      states.push(...run.states);
    }
    expect(states).toHaveLength(expected[1].length + expected[2].length + expected[3].length + 1);
    // Recovery runs in this process, one at a time: it is cheap next to a CLI start.
    for (const state of states) await recover(state);
  }, 600_000);
});
