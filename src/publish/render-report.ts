import type { Article } from '../model/article.js';
import { htmlDocumentHead } from '../model/html.js';
import type { FeedMeta, RunSummary } from '../model/run.js';
import type { Decision, Evidence, StoryView } from '../model/story.js';
import { outletName } from './entry-content.js';
import { REPORT_CSS } from './report-style.js';
import { sortStoriesNewestFirst } from './story-order.js';
import { escapeHtml, isHttpUrl, oneLine, toRfc3339 } from './xml-text.js';

const MAX_RUNS_SHOWN = 10;

// Shown as "2025-03-01 08:00 UTC" for people; the exact instant stays in the datetime attribute.
function fmtDate(value: string | undefined): string {
  const exact = toRfc3339(value);
  if (exact === undefined) return escapeHtml(value ?? '—');
  const shown = `${exact.slice(0, 10)} ${exact.slice(11, 16)} UTC`;
  return `<time datetime="${escapeHtml(exact)}" title="${escapeHtml(exact)}">${shown}</time>`;
}

function fmtScore(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

function fmtList(values: string[] | undefined): string {
  return values === undefined || values.length === 0 ? '—' : values.map((v) => escapeHtml(v)).join(', ');
}

const RUN_COLUMNS = ['run', 'sources ok', 'failed', 'skipped', 'new articles', 'new stories', 'updated stories', 'feed changed', 'seconds'];

// data-label lets narrow screens show each run as a labelled card instead of a wide table.
function cells(values: Array<string | number>): string {
  return values.map((v, i) => `<td data-label="${RUN_COLUMNS[i] ?? ''}">${v}</td>`).join('');
}

function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return '<p class="empty">No runs recorded yet.</p>';
  const latest = [...runs].sort((a, b) => b.runId - a.runId).slice(0, MAX_RUNS_SHOWN);
  const rows = latest.map(
    (r) =>
      `<tr>${cells([`#${r.runId} ${fmtDate(r.startedAt)}`, r.sourcesOk, r.sourcesFailed, r.sourcesSkipped, r.articlesNew, r.storiesNew, r.storiesUpdated, r.feedChanged ? 'yes' : 'no', (r.durationMs / 1000).toFixed(1)])}</tr>`,
  );
  return (
    '<div class="runs"><table><caption class="story-meta">Latest runs</caption>' +
    `<thead><tr>${RUN_COLUMNS.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

function evidenceRows(evidence: Evidence): string[] {
  const rows: string[] = [];
  const add = (label: string, value: string, cls = ''): void => {
    rows.push(`<dt>${label}</dt><dd${cls !== '' ? ` class="${cls}"` : ''}>${value}</dd>`);
  };
  if (evidence.exact !== undefined) add('exact match', escapeHtml(evidence.exact));
  if (evidence.resemblance !== undefined) add('resemblance', fmtScore(evidence.resemblance));
  if (evidence.containment !== undefined) add('containment', fmtScore(evidence.containment));
  if (evidence.titleSimilarity !== undefined) add('title similarity', fmtScore(evidence.titleSimilarity));
  if (evidence.sharedEntities !== undefined) add('shared entities', fmtList(evidence.sharedEntities));
  if (evidence.sharedNumbers !== undefined) add('shared numbers', fmtList(evidence.sharedNumbers));
  if (evidence.conflictingNumbers !== undefined && evidence.conflictingNumbers.length > 0) add('conflicting numbers', fmtList(evidence.conflictingNumbers), 'conflict');
  if (evidence.hoursApart !== undefined) add('hours apart', escapeHtml(evidence.hoursApart.toFixed(1)));
  if (evidence.candidates !== undefined) add('candidates', String(evidence.candidates));
  if (evidence.note !== undefined) add('note', escapeHtml(evidence.note));
  return rows;
}

function decisionRows(decision: Decision | undefined): string[] {
  if (decision === undefined) return ['<dt>decision</dt><dd class="empty">none recorded</dd>'];
  const rows = [`<dt>decision</dt><dd><span class="action">${escapeHtml(decision.action)}</span>, score ${fmtScore(decision.score)}</dd>`];
  rows.push(...evidenceRows(decision.evidence));
  if (decision.runnerUp !== undefined) {
    rows.push(`<dt>runner-up</dt><dd>${escapeHtml(decision.runnerUp.storyId)} (${fmtScore(decision.runnerUp.score)})</dd>`);
  }
  return rows;
}

function versionItem(article: Article, isCanonical: boolean, decision: Decision | undefined): string {
  const title = escapeHtml(oneLine(article.title));
  const linked = isHttpUrl(article.url) ? `<a href="${escapeHtml(article.url)}" rel="noopener">${title}</a>` : title;
  const badge = isCanonical ? '<span class="badge canon">canonical</span>' : '';
  const rows = [
    `<dt>language</dt><dd lang="en">${escapeHtml(article.language)}</dd>`,
    // The article's own dates are what the feed's entries are dated by; first seen is ours.
    ...(article.published !== undefined ? [`<dt>published</dt><dd>${fmtDate(article.published)}</dd>`] : []),
    ...(article.updated !== undefined && article.updated !== article.published ? [`<dt>updated</dt><dd>${fmtDate(article.updated)}</dd>`] : []),
    `<dt>first seen</dt><dd>${fmtDate(article.firstSeen)}</dd>`,
    ...(article.truncated ? ['<dt>text</dt><dd>excerpt only</dd>'] : []),
    ...decisionRows(decision),
  ];
  return (
    `<li class="version${isCanonical ? ' canonical' : ''}" data-article-id="${escapeHtml(article.id)}">` +
    `<div><span class="outlet">${escapeHtml(outletName(article))}</span>${badge}</div>` +
    `<p class="vtitle">${linked}</p><dl>${rows.join('')}</dl></li>`
  );
}

function storySection(story: StoryView): string {
  const canonical = story.canonical;
  const title = escapeHtml(oneLine(canonical.title));
  const heading = isHttpUrl(canonical.url) ? `<a href="${escapeHtml(canonical.url)}" rel="noopener">${title}</a>` : title;
  const count = 1 + story.others.length;
  const versions = [versionItem(canonical, true, story.decisions[canonical.id]), ...story.others.map((o) => versionItem(o, false, story.decisions[o.id]))];
  return (
    `<article class="story" id="${escapeHtml(`story-${story.id}`)}" data-story-id="${escapeHtml(story.id)}">` +
    `<h2>${heading}</h2>` +
    `<p class="story-meta">${count} version${count === 1 ? '' : 's'} · published ${fmtDate(story.published)} · updated ${fmtDate(story.updated)} · <code>${escapeHtml(story.id)}</code></p>` +
    `<p class="reason">Canonical: ${escapeHtml(outletName(canonical))} — ${escapeHtml(story.canonicalReason)}</p>` +
    `<ol class="versions">${versions.join('')}</ol></article>`
  );
}

/**
 * Renders the review report: one self-contained HTML page (inline CSS, no script, no external
 * resources) with the latest runs and every story newest first, its versions and the decision and
 * evidence that joined each one. Deterministic for the same input.
 */
export function renderReport(meta: FeedMeta, stories: StoryView[], runs: RunSummary[], opts: { generatedAt?: string } = {}): string {
  const sorted = sortStoriesNewestFirst(stories);
  const versionCount = sorted.reduce((sum, s) => sum + 1 + s.others.length, 0);
  const generated = opts.generatedAt !== undefined ? ` · generated ${fmtDate(opts.generatedAt)}` : '';
  const body = sorted.length === 0 ? '<p class="empty">No stories yet.</p>' : sorted.map(storySection).join('\n');
  const feedLink = `<link rel="alternate" type="application/atom+xml" href="${escapeHtml(meta.selfUrl)}" title="${escapeHtml(oneLine(meta.title))}">`;
  return `${htmlDocumentHead({ lang: 'en', title: `${escapeHtml(oneLine(meta.title))} — review report`, css: REPORT_CSS, extraHead: feedLink })}
<body>
<header class="page">
<h1>${escapeHtml(oneLine(meta.title))}</h1>
<p>${sorted.length} stor${sorted.length === 1 ? 'y' : 'ies'}, ${versionCount} version${versionCount === 1 ? '' : 's'} · feed updated ${fmtDate(meta.updated)}${generated}</p>
${runsTable(runs)}
</header>
<main>
${body}
</main>
<footer>${escapeHtml(oneLine(meta.generator.name))} ${escapeHtml(meta.generator.version)}</footer>
</body>
</html>
`;
}
