/**
 * The review report's inline style sheet: no external resources, readable from a 390px phone to a
 * laptop (one column that widens to a centred 72rem page), light and dark schemes.
 */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6470; --bg: #f6f7f9; --card: #fff; --line: #d9dde3;
  --accent: #0b5cad; --canon: #0f7b3f; --canon-bg: #e7f6ed; --warn: #a0430a; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #9aa4b0; --bg: #14171b; --card: #1d2126; --line: #333a42;
  --accent: #7cb7ff; --canon: #6fdc9b; --canon-bg: #17301f; --warn: #ffb37a; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main, header.page { max-width: 72rem; margin: 0 auto; padding: 1rem; }
main { padding-top: 0; }
header.page h1 { margin: 0 0 .25rem; font-size: 1.5rem; line-height: 1.2; }
header.page p { margin: .25rem 0; color: var(--muted); }
a { color: var(--accent); overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 .35rem; line-height: 1.3; overflow-wrap: anywhere; }
.runs { width: 100%; overflow-x: auto; margin: .75rem 0 0; }
.runs table { border-collapse: collapse; min-width: 34rem; width: 100%; background: var(--card); font-size: .9rem; }
.runs th, .runs td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: right; white-space: nowrap; }
.runs th:first-child, .runs td:first-child { text-align: left; }
@media (max-width: 40rem) {
  .runs table { min-width: 0; background: none; }
  .runs thead { display: none; }
  .runs table, .runs tbody, .runs tr, .runs td { display: block; }
  .runs caption { display: block; text-align: left; }
  .runs tr { display: grid; grid-template-columns: 1fr 1fr; column-gap: 1.25rem; background: var(--card); border: 1px solid var(--line);
    border-radius: .4rem; margin: 0 0 .5rem; padding: .3rem .6rem; font-size: .85rem; }
  .runs td:first-child { grid-column: 1 / -1; }
  .runs td { display: flex; justify-content: space-between; gap: 1rem; border: 0; padding: .1rem 0; text-align: right; }
  .runs td::before { content: attr(data-label); color: var(--muted); text-align: left; }
  .runs td:first-child { font-weight: 600; }
  .runs td:first-child::before { content: none; }
}
time { white-space: nowrap; }
.story { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .9rem 1rem; margin: 1rem 0; }
.story-meta, .reason { color: var(--muted); font-size: .9rem; margin: .2rem 0; overflow-wrap: anywhere; }
.versions { list-style: none; margin: .75rem 0 0; padding: 0; display: grid; gap: .6rem; align-items: start; }
@media (min-width: 48rem) { .versions { grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); } }
.version { border: 1px solid var(--line); border-radius: .4rem; padding: .6rem .75rem; min-width: 0; }
.version.canonical { border-color: var(--canon); background: var(--canon-bg); }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .05rem .4rem; border-radius: 1rem;
  border: 1px solid currentColor; margin-left: .35rem; vertical-align: middle; }
.badge.canon { color: var(--canon); }
.outlet { font-weight: 600; }
.vtitle { margin: .2rem 0; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: .4rem 0 0; font-size: .85rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.conflict { color: var(--warn); }
.empty { color: var(--muted); font-style: italic; }
footer { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .85rem; }
`;
