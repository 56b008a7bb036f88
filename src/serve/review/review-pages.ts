import { escapeHtml, htmlDocumentHead } from '../../model/html.js';
import type { StoredOverride } from '../../model/override.js';
import type { ReviewSource, ReviewStory, ReviewVersion, StoryListQuery, StoryPage } from '../../model/review.js';
import type { Evidence } from '../../model/story.js';
import { REVIEW_SCRIPT } from './review-script.js';
import { REVIEW_CSS } from './review-style.js';

/** Escapes text for HTML content and quoted attributes. */
const h = (value: string | number | null | undefined): string => escapeHtml(String(value ?? ''));

/** Shows a 0..1 score with three decimals. */
const score = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v.toFixed(3));

/** Wraps a page of the app: header with navigation, the token dialog, the status line and the script (with the response's nonce). */
function layout(title: string, body: string, opts: { nonce: string; writable: boolean; current: 'stories' | 'sources' | 'audit' }): string {
  const link = (href: string, label: string, key: typeof opts.current): string => `<a href="${href}"${opts.current === key ? ' aria-current="page"' : ''}>${label}</a>`;
  return `${htmlDocumentHead({ lang: 'en', title: `${h(title)} · feedfold review`, css: REVIEW_CSS })}
<body data-writable="${opts.writable}">
<header class="bar">
<h1>feedfold review</h1>
<nav>${link('/review', 'Stories', 'stories')} ${link('/review/sources', 'Sources', 'sources')} ${link('/review/audit', 'Audit', 'audit')} <a href="/feed.atom">Feed</a></nav>
${opts.writable ? '<div class="tools js-only"><button data-action="publish">Publish now</button><button data-action="token">Token…</button></div>' : ''}
</header>
<main>
${body}
</main>
<div id="status" role="status" aria-live="polite"></div>
<dialog id="token-dialog"><form method="dialog">
<p>Corrections need the admin token (<code>serve.adminToken</code> or <code>FEEDFOLD_ADMIN_TOKEN</code>). It is kept in this tab only.</p>
<label>Admin token <input name="token" type="password" autocomplete="off" required></label>
<label>Your name (audit list) <input name="by" maxlength="64"></label>
<button class="primary" type="submit">Save</button>
</form></dialog>
<script nonce="${opts.nonce}">${REVIEW_SCRIPT}</script>
</body>
</html>
`;
}

/** The evidence of one decision, as a definition list. */
function evidenceList(e: Evidence): string {
  const rows: [string, string][] = [];
  const pct = (v: number | undefined): string | undefined => (v === undefined ? undefined : v.toFixed(2));
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') rows.push([label, value]);
  };
  add('exact duplicate', e.exact);
  add('body resemblance', pct(e.resemblance));
  add('containment', pct(e.containment));
  add('title similarity', pct(e.titleSimilarity));
  add('story similarity', pct(e.storySimilarity));
  add('shared names', e.sharedEntities?.join(', '));
  add('shared numbers', e.sharedNumbers?.join(', '));
  add('conflicting numbers', e.conflictingNumbers?.join(', '));
  add('hours apart', e.hoursApart?.toFixed(1));
  add('candidates', e.candidates?.toString());
  add('note', e.note);
  return rows.length === 0 ? '' : `<dl>${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`;
}

/** One version: outlet, title, its decision's score against the threshold, evidence, runner-up, and its buttons. */
function versionItem(story: ReviewStory, v: ReviewVersion, writable: boolean): string {
  const classes = ['version', v.canonical ? 'canonical' : '', v.closeCall ? 'close-call' : ''].filter(Boolean).join(' ');
  const title = v.url ? `<a href="${h(v.url)}" rel="noopener noreferrer">${h(v.title)}</a>` : h(v.title);
  const scoreLine =
    v.action === null
      ? '<span class="score">no decision recorded</span>'
      : `<span class="score">${h(v.action)}, score ${score(v.score)} vs threshold ${score(story.threshold)}</span>${v.closeCall ? `<span class="badge close">close call ±${score(story.margin)}</span>` : ''}`;
  const runnerUp = v.runnerUp ? `<p class="meta runner-up">runner-up: ${v.runnerUp.title ? `“${h(v.runnerUp.title)}”` : h(v.runnerUp.story)} (score ${score(v.runnerUp.score)})</p>` : '';
  const buttons = writable
    ? `<div class="actions js-only">${story.versions.length > 1 ? `<button data-action="split" data-article="${h(v.article)}">Split out</button>` : ''}${v.canonical ? '' : `<button data-action="pin" data-story="${h(story.id)}" data-article="${h(v.article)}">Make canonical</button>`}</div>`
    : '';
  return `<li class="${classes}" data-article="${h(v.article)}">
<div><span class="outlet">${h(v.sourceTitle)}</span> <span class="meta">[${h(v.language)}]</span>${v.canonical ? '<span class="badge canon">canonical</span>' : ''}</div>
<p class="vtitle">${title}</p>
<div>${scoreLine}</div>${runnerUp}
${v.evidence ? `<details><summary>evidence</summary>${evidenceList(v.evidence)}</details>` : ''}
${buttons}
</li>`;
}

/** One story card. */
function storyCard(story: ReviewStory, writable: boolean): string {
  const merge = writable
    ? `<div class="actions js-only"><button data-action="merge-open">Merge with…</button></div>
<div class="merge-box" data-story="${h(story.id)}" hidden><label>Find the other story by title <input type="search" autocomplete="off"></label><ul></ul></div>`
    : '';
  return `<article class="story" data-story-id="${h(story.id)}">
<h2>${h(story.title)}${story.overridden ? '<span class="badge over">corrected</span>' : ''}</h2>
<p class="meta">published <time>${h(story.published)}</time> · updated <time>${h(story.updated)}</time> · ${story.versions.length} version${story.versions.length === 1 ? '' : 's'}</p>
<p class="meta">canonical: ${h(story.canonicalReason)}</p>
<p class="meta">entry id <code>${h(story.id)}</code></p>
<ol class="versions">${story.versions.map((v) => versionItem(story, v, writable)).join('\n')}</ol>
${merge}
</article>`;
}

/** The query string of a story list page, with another page number. */
function pageLink(query: StoryListQuery, page: number): string {
  const params = new URLSearchParams();
  for (const f of query.filters) params.append('filter', f);
  if (query.source) params.set('source', query.source);
  if (query.language) params.set('language', query.language);
  if (query.q) params.set('q', query.q);
  params.set('page', String(page));
  return `/review?${params.toString()}`;
}

/** The story list: filters, search, one page of stories newest first, and paging. */
export function renderStoriesPage(page: StoryPage, query: StoryListQuery, sources: readonly ReviewSource[], opts: { nonce: string; writable: boolean }): string {
  const filter = query.filters[0] ?? 'all';
  const option = (value: string, label: string, selected: boolean): string => `<option value="${h(value)}"${selected ? ' selected' : ''}>${h(label)}</option>`;
  const form = `<form class="filters" method="get" action="/review">
<label>Search titles <input type="search" name="q" value="${h(query.q)}" maxlength="200"></label>
<label>Show <select name="filter">${option('all', 'all stories', filter === 'all')}${option('folded', 'folded stories', filter === 'folded')}${option('close-calls', `close calls (±${score(page.margin)} of ${score(page.threshold)})`, filter === 'close-calls')}${option('overridden', 'corrected', filter === 'overridden')}</select></label>
<label>Source <select name="source">${option('', 'any source', !query.source)}${sources.map((s) => option(s.id, s.title ?? s.id, query.source === s.id)).join('')}</select></label>
<label>Language <input name="language" value="${h(query.language)}" maxlength="3" size="3" placeholder="en"></label>
<button class="primary" type="submit">Show</button>
</form>`;
  const summary = `<p class="summary" data-total="${page.total}">${page.total} ${page.total === 1 ? 'story' : 'stories'} · page ${page.page} of ${page.pages}</p>`;
  const list = page.stories.length === 0 ? '<p class="empty">No story matches.</p>' : page.stories.map((s) => storyCard(s, opts.writable)).join('\n');
  const pager = `<nav class="pager">${page.page > 1 ? `<a rel="prev" href="${h(pageLink(query, page.page - 1))}">← newer</a>` : '<span></span>'}${page.page < page.pages ? `<a rel="next" href="${h(pageLink(query, page.page + 1))}">older →</a>` : '<span></span>'}</nav>`;
  return layout('Stories', `${form}\n${summary}\n${list}\n${pager}`, { ...opts, current: 'stories' });
}

/** The sources with their fetch state and last error. */
export function renderSourcesPage(sources: readonly ReviewSource[], opts: { nonce: string; writable: boolean }): string {
  const rows = sources
    .map(
      (s) => `<tr class="${s.errorCount > 0 ? 'failing' : ''}" data-source="${h(s.id)}">
<td data-label="Source"><a href="/review?source=${encodeURIComponent(s.id)}">${h(s.title ?? s.id)}</a><br><span class="meta">${h(s.location)}</span></td>
<td data-label="State">${s.retired ? 'retired (410 Gone)' : s.errorCount > 0 ? `failing ×${s.errorCount}` : s.lastSuccessAt ? 'ok' : 'not read yet'}</td>
<td data-label="Last success">${h(s.lastSuccessAt ?? '–')}</td>
<td data-label="Next fetch">${h(s.nextFetchAt ?? '–')}</td>
<td data-label="Last error">${s.lastError ? `<code>${h(s.lastErrorKind ?? '')}</code> ${h(s.lastError)}` : '–'}</td>
</tr>`,
    )
    .join('\n');
  const body = sources.length === 0 ? '<p class="empty">No source has been read yet.</p>' : `<table class="list"><thead><tr><th>Source</th><th>State</th><th>Last success</th><th>Next fetch</th><th>Last error</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout('Sources', `<h2>Sources</h2>\n${body}`, { ...opts, current: 'sources' });
}

/** Describes a correction in words. */
function describeCorrection(o: StoredOverride): string {
  const c = o.correction;
  if (c.action === 'split') return `split out ${c.article}`;
  if (c.action === 'pin') return `pin ${c.article} as canonical of ${c.story}`;
  return `merge ${c.stories.slice(1).join(', ')} into ${c.stories[0]}`;
}

/** The audit list: every correction made through the app, who made and undid it, and when. */
export function renderAuditPage(overrides: readonly StoredOverride[], opts: { nonce: string; writable: boolean }): string {
  const rows = overrides
    .map(
      (o) => `<tr data-override="${o.id}">
<td data-label="Id">${o.id}</td>
<td data-label="Correction">${h(o.correction.action)}: ${h(describeCorrection(o))}</td>
<td data-label="Made">${h(o.createdBy)}, <time>${h(o.createdAt)}</time></td>
<td data-label="Undone">${o.undoneAt ? `${h(o.undoneBy ?? '')}, <time>${h(o.undoneAt)}</time>` : opts.writable ? `<button class="js-only" data-action="undo" data-id="${o.id}">Undo</button>` : 'in effect'}</td>
</tr>`,
    )
    .join('\n');
  const body =
    overrides.length === 0
      ? '<p class="empty">No correction has been made through the app. Entries of overrides.yaml are not listed here.</p>'
      : `<table class="list"><thead><tr><th>Id</th><th>Correction</th><th>Made</th><th>Undone</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout('Audit', `<h2>Corrections</h2>\n${body}`, { ...opts, current: 'audit' });
}
