import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/model/run.js';
import { ROOT } from '../helpers/paths.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { openStore, runPipeline } from '../helpers/run-pipeline.js';

/**
 * A source whose articles the store refuses fails alone, as a broken feed does: the run goes on, keeps what the other
 * sources brought, records that source as failed with the kind `store.write-failed`, and the next run reads it again.
 * The refusal is the real SQLite store's: a trigger that aborts the insert of that source's articles.
 */

const T1 = '2025-03-05T12:00:00.000Z';
const T2 = '2025-03-05T13:00:00.000Z';
const T3 = '2025-03-05T14:00:00.000Z';

describe('a source the store refuses', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('fails alone: the others are kept and published, and the next run stores it', async () => {
    project = tempProject();
    const good = project.copySeeds(['000_168ea976ff7458c6.txt', '001_14234c3bc899f81f.txt']);
    const other = path.join(project.dir, 'other');
    mkdirSync(other);
    cpSync(path.join(ROOT, 'seeds', '004_e859859a89bdac24.txt'), path.join(other, '004_e859859a89bdac24.txt'));
    project.writeConfig({ sources: [{ id: 'good', dir: good }] });
    await runPipeline(project.configFile, T1);

    const db = new Database(path.join(project.outDir, 'feedfold.db'));
    db.exec("CREATE TRIGGER refuse_other BEFORE INSERT ON articles WHEN new.source_id = 'other' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
    db.close();
    cpSync(path.join(ROOT, 'seeds', '002_d9a93c932fb96118.txt'), path.join(good, '002_d9a93c932fb96118.txt'));
    project.writeConfig({ sources: [{ id: 'good', dir: good }, { id: 'other', dir: other }] });
    const refused = await runPipeline(project.configFile, T2);
    expect(refused).toMatchObject({ sourcesOk: 1, sourcesFailed: 1, articlesNew: 1 });
    const status = JSON.parse(readFileSync(path.join(project.outDir, 'status.json'), 'utf8')) as RunStatus;
    expect(status.failing).toEqual([expect.objectContaining({ source: 'other', kind: 'store.write-failed' })]);
    const bySource = async (): Promise<Record<string, number>> => {
      const store = await openStore(project.configFile);
      try {
        const counts: Record<string, number> = {};
        for (const a of (await store.articles.getArticles((await store.snapshot()).articles.map((r) => r.id))).values()) counts[a.sourceId] = (counts[a.sourceId] ?? 0) + 1;
        return counts;
      } finally {
        await store.close();
      }
    };
    expect(await bySource()).toEqual({ good: 3 });

    const fixed = new Database(path.join(project.outDir, 'feedfold.db'));
    fixed.exec('DROP TRIGGER refuse_other');
    fixed.close();
    const again = await runPipeline(project.configFile, T3);
    expect(again).toMatchObject({ sourcesFailed: 0, articlesNew: 1 });
    expect(await bySource()).toEqual({ good: 3, other: 1 });
  });
});
