import type { Decision, StoryView } from '../model/story.js';
import { buildStoryView } from '../pipeline/build-views.js';
import { resolveStory } from '../pipeline/apply-overrides.js';
import { getStory } from '../store/lookups.js';
import { openReadContext, type CommonOptions } from './context.js';

const pct = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(2));

/** Describes one decision's evidence in words. */
export function describeDecision(d: Decision | undefined): string[] {
  if (!d) return ['  no decision recorded'];
  const e = d.evidence;
  const lines = [`  ${d.action}, score ${d.score.toFixed(3)}`];
  if (e.exact) lines.push(`  exact duplicate: same ${e.exact}`);
  if (e.resemblance !== undefined || e.containment !== undefined || e.titleSimilarity !== undefined) {
    lines.push(`  body resemblance ${pct(e.resemblance)}, containment ${pct(e.containment)}, title similarity ${pct(e.titleSimilarity)}`);
  }
  if (e.sharedEntities?.length) lines.push(`  shared names: ${e.sharedEntities.join(', ')}`);
  if (e.sharedNumbers?.length) lines.push(`  shared numbers: ${e.sharedNumbers.join(', ')}`);
  if (e.conflictingNumbers?.length) lines.push(`  conflicting numbers: ${e.conflictingNumbers.join(', ')}`);
  if (e.hoursApart !== undefined) lines.push(`  ${e.hoursApart.toFixed(1)} h apart`);
  if (e.candidates !== undefined) lines.push(`  ${e.candidates} candidate stor${e.candidates === 1 ? 'y' : 'ies'} scored`);
  if (d.runnerUp) lines.push(`  runner-up: ${d.runnerUp.storyId} (score ${d.runnerUp.score.toFixed(3)})`);
  if (e.note) lines.push(`  note: ${e.note}`);
  return lines;
}

/** Formats a story's versions and the reasons they are together, for the terminal. */
export function explainStory(view: StoryView): string {
  const lines = [
    `story ${view.id}`,
    `  "${view.canonical.title}"`,
    `  published ${view.published}, updated ${view.updated}, ${view.others.length + 1} version(s)`,
    `  canonical: ${view.canonical.sourceTitle} — ${view.canonicalReason}`,
    '',
  ];
  for (const a of [view.canonical, ...view.others]) {
    lines.push(`${a.id === view.canonical.id ? '* ' : '- '}${a.sourceTitle}: ${a.title}`);
    const dated = `${a.published !== undefined ? `published ${a.published}, ` : 'undated, '}${a.updated !== undefined && a.updated !== a.published ? `updated ${a.updated}, ` : ''}`;
    lines.push(`  ${a.url ?? a.sourceLocation} [${a.language}] ${dated}first seen ${a.firstSeen}, ${a.text.length} chars${a.truncated ? ', excerpt' : ''}`);
    lines.push(...describeDecision(view.decisions[a.id]));
  }
  return lines.join('\n');
}

/** Prints why the versions of a story are together and why one is canonical (`feedfold explain`). */
export async function explainCommand(ref: string, opts: CommonOptions & { json?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { store } = await openReadContext(opts, env);
  try {
    const storyId = store ? await resolveStory(store, ref) : undefined;
    const row = store && storyId ? await getStory(store, storyId) : undefined;
    const view = store && row ? await buildStoryView(store, row) : undefined;
    if (!view) {
      err(`explain: no story or article matches ${ref}`);
      return 1;
    }
    out(opts.json ? JSON.stringify(view, null, 2) : explainStory(view));
    return 0;
  } finally {
    await store?.close();
  }
}
