import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addUnrelatedArticle, BAKERY, BIKE, CORAL, entryWith, feedsProject, LATER, LATER_STILL, readEntries, T0, writeOverrides, type PublishedEntry } from '../helpers/override-fixtures.js';
import type { TempProject } from '../helpers/project.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { feedfold } from './cli-harness.js';

interface LogRecord {
  msg: string;
  level: number;
  action?: string;
  story?: string;
  article?: { id: string; url?: string };
}

/** Warnings about overrides logged after the first `from` records. */
function overrideWarnings(project: TempProject, from: number): LogRecord[] {
  return logRecords(project)
    .slice(from)
    .filter((r) => r.level >= 40 && /override/.test(r.msg));
}

function logRecords(project: TempProject): LogRecord[] {
  return readFileSync(path.join(project.outDir, 'feedfold.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogRecord);
}

describe('overrides in the config folder, checked in the published Atom feed', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  it('merge: folds a second story into the first, which keeps its id, and stays merged on later runs', async () => {
    const setup = feedsProject();
    project = setup.project;
    await runPipeline(project.configFile, T0);
    const before = readEntries(project);
    const coral = entryWith(before, CORAL);
    const bakery = entryWith(before, BAKERY[0]!);
    expect(bakery.id, 'precondition: coral reefs and the bakery prize are different stories').not.toBe(coral.id);

    writeOverrides(project, { merge: [[coral.id, bakery.id]] });
    const logBefore = logRecords(project).length;
    // Through the command line once: `feedfold run` reads the overrides named by the config.
    const run = await feedfold(['run', '--config', project.configFile, '--now', LATER]);
    expect(run.code).toBe(0);

    const after = readEntries(project);
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((e) => e.id)).not.toContain(bakery.id);
    const merged = after.find((e) => e.id === coral.id)!;
    expect(merged.versions).toEqual([...coral.versions, ...bakery.versions].sort());
    // The first story's canonical stays the one readers already have; the other's versions are related links.
    for (const url of bakery.versions) expect(merged.related).toContain(url);

    const overridden = logRecords(project)
      .slice(logBefore)
      .filter((r) => r.action === 'overridden');
    expect(overridden.map((r) => r.article?.url).sort()).toEqual([...bakery.versions].sort());
    expect(overridden.every((r) => r.story === coral.id)).toBe(true);

    addUnrelatedArticle(setup.articles);
    const logBeforeLater = logRecords(project).length;
    const later = await runPipeline(project.configFile, LATER_STILL);
    // The merge is in effect, so the operator is not told it names nothing (the merged-away id
    // no longer has a story of its own).
    expect(overrideWarnings(project, logBeforeLater)).toEqual([]);
    expect(later.articlesNew).toBe(1);
    const final = readEntries(project);
    expect(final).toHaveLength(after.length + 1);
    expect(final.find((e) => e.id === coral.id)!.versions).toEqual(merged.versions);
    expect(final.map((e) => e.id)).not.toContain(bakery.id);
  });

  it('split: takes one version out of a three-version story; the story keeps its id, and stays split on later runs', async () => {
    const setup = feedsProject();
    project = setup.project;
    await runPipeline(project.configFile, T0);
    const before = readEntries(project);
    const bike = entryWith(before, BIKE.gazette);
    expect(bike.versions, 'precondition: the bike-lanes story has its three versions').toEqual(Object.values(BIKE).sort());

    writeOverrides(project, { split: [BIKE.metro] });
    await runPipeline(project.configFile, LATER);
    const after = readEntries(project);
    expect(after).toHaveLength(before.length + 1);
    const kept = after.find((e) => e.id === bike.id)!;
    expect(kept.versions).toEqual([BIKE.coast, BIKE.gazette].sort());
    const alone = entryWith(after, BIKE.metro);
    expect(before.map((e) => e.id)).not.toContain(alone.id);
    expect(alone.canonical).toBe(BIKE.metro);
    expect(alone.related).toEqual([]);

    addUnrelatedArticle(setup.articles);
    const logBeforeLater = logRecords(project).length;
    await runPipeline(project.configFile, LATER_STILL);
    const final = readEntries(project);
    expect(final).toHaveLength(after.length + 1);
    expect(overrideWarnings(project, logBeforeLater)).toEqual([]);
    // Nothing moved again: no new override decisions once the split is in effect.
    expect(logRecords(project).slice(logBeforeLater).filter((r) => r.action === 'overridden')).toEqual([]);
    expect(final.find((e) => e.id === bike.id)!.versions).toEqual(kept.versions);
    expect(entryWith(final, BIKE.metro).id).toBe(alone.id);
  });

  it('pin: makes another version the canonical of a story without changing its id, and keeps it on later runs', async () => {
    const setup = feedsProject();
    project = setup.project;
    await runPipeline(project.configFile, T0);
    const bike = entryWith(readEntries(project), BIKE.gazette);
    const target = bike.related[0];
    expect(target, 'precondition: the bike-lanes story has a related version to pin').toBeDefined();

    writeOverrides(project, { pin: [{ story: bike.id, canonical: target }] });
    await runPipeline(project.configFile, LATER);
    const pinned = entryWith(readEntries(project), target!);
    expect(pinned.id).toBe(bike.id);
    expect(pinned.canonical).toBe(target);
    expect(pinned.related).toContain(bike.canonical);
    expect(pinned.versions).toEqual(bike.versions);

    addUnrelatedArticle(setup.articles);
    await runPipeline(project.configFile, LATER_STILL);
    const final = entryWith(readEntries(project), target!);
    expect(final.id).toBe(bike.id);
    expect(final.canonical).toBe(target);

    const explained = await feedfold(['explain', bike.id, '--json', '--config', project.configFile]);
    expect(explained.code).toBe(0);
    expect((JSON.parse(explained.stdout) as { canonicalReason: string }).canonicalReason).toMatch(/pinned/);
  });

  it('names an override that matches nothing in a warning and leaves the feed as it was', async () => {
    const setup = feedsProject();
    project = setup.project;
    await runPipeline(project.configFile, T0);
    const before = readEntries(project);
    writeOverrides(project, { split: ['http://nowhere.test/never-seen'] });
    await runPipeline(project.configFile, LATER);
    expect(readEntries(project)).toEqual(before);
    const warnings = logRecords(project).filter((r) => r.level === 40 && /override/.test(r.msg));
    expect(JSON.stringify(warnings)).toContain('http://nowhere.test/never-seen');
  });
});

describe('removing an entry from overrides.yaml undoes it on the next run', () => {
  let project: TempProject;
  afterEach(() => project?.cleanup());

  /** Entry ids with their versions, sorted, for comparing groupings. */
  const grouping = (entries: PublishedEntry[]): string[] => entries.map((e) => `${e.id} ${e.versions.join(' ')}`).sort();

  /** A project after its first run, with the published entries and the three stories the overrides name. */
  async function firstRun(): Promise<{ before: PublishedEntry[]; bike: PublishedEntry; coral: PublishedEntry; bakery: PublishedEntry }> {
    project = feedsProject().project;
    await runPipeline(project.configFile, T0);
    const before = readEntries(project);
    return { before, bike: entryWith(before, BIKE.gazette), coral: entryWith(before, CORAL), bakery: entryWith(before, BAKERY[0]!) };
  }

  async function explainJson(storyId: string): Promise<{ canonicalReason: string; decisions: Record<string, { action: string; evidence: { note?: string } }> }> {
    const explained = await feedfold(['explain', storyId, '--json', '--config', project.configFile]);
    expect(explained.code).toBe(0);
    return JSON.parse(explained.stdout);
  }

  it('merge, split and pin: the grouping, canonicals and entry ids come back, and explain no longer cites them', async () => {
    const { before, bike, coral, bakery } = await firstRun();
    const pinTarget = bike.related.find((u) => u !== BIKE.metro)!;

    writeOverrides(project, { merge: [[coral.id, bakery.id]], split: [BIKE.metro], pin: [{ story: bike.id, canonical: pinTarget }] });
    await runPipeline(project.configFile, LATER);
    const corrected = readEntries(project);
    expect(grouping(corrected)).not.toEqual(grouping(before));
    expect(corrected.map((e) => e.id)).not.toContain(bakery.id);
    expect(entryWith(corrected, pinTarget).canonical).toBe(pinTarget);
    expect(entryWith(corrected, BIKE.metro).id).not.toBe(bike.id);

    writeOverrides(project, {});
    await runPipeline(project.configFile, LATER_STILL);
    const restored = readEntries(project);
    expect(grouping(restored)).toEqual(grouping(before));
    expect(entryWith(restored, BIKE.gazette).canonical).toBe(bike.canonical);
    expect(entryWith(restored, BAKERY[0]!).id).toBe(bakery.id);

    const explained = await explainJson(bike.id);
    expect(explained.canonicalReason).not.toMatch(/pinned/);
    expect(JSON.stringify(explained.decisions)).not.toMatch(/override/);
    const bakeryExplained = await explainJson(bakery.id);
    expect(Object.values(bakeryExplained.decisions).map((d) => d.action)).not.toContain('overridden');

    // Undone once: a later run changes nothing more.
    await runPipeline(project.configFile, '2025-03-06T12:00:00Z');
    expect(grouping(readEntries(project))).toEqual(grouping(before));
  });

  it('one entry of two removed: only that one is undone', async () => {
    const { coral, bakery } = await firstRun();
    writeOverrides(project, { merge: [[coral.id, bakery.id]], split: [BIKE.metro] });
    await runPipeline(project.configFile, LATER);
    writeOverrides(project, { merge: [[coral.id, bakery.id]] });
    await runPipeline(project.configFile, LATER_STILL);
    const after = readEntries(project);
    expect(after.map((e) => e.id)).not.toContain(bakery.id);
    expect(entryWith(after, BIKE.metro).versions).toEqual(Object.values(BIKE).sort());
  });
});
