/** The review app's inline style sheet: one column on a phone, wider cards on a laptop, light and dark. */
export const REVIEW_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6470; --bg: #f6f7f9; --card: #fff; --line: #d9dde3;
  --accent: #0b5cad; --canon: #0f7b3f; --canon-bg: #e7f6ed; --warn: #a0430a; --warn-bg: #fff3e8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #9aa4b0; --bg: #14171b; --card: #1d2126; --line: #333a42;
  --accent: #7cb7ff; --canon: #6fdc9b; --canon-bg: #17301f; --warn: #ffb37a; --warn-bg: #33230f; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header.bar, main { max-width: 72rem; margin: 0 auto; padding: .75rem 1rem; }
header.bar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
header.bar h1 { font-size: 1.2rem; margin: 0; }
header.bar nav { display: flex; gap: .75rem; flex-wrap: wrap; }
header.bar .tools { margin-left: auto; display: flex; gap: .5rem; }
a { color: var(--accent); overflow-wrap: anywhere; }
button, select, input { font: inherit; }
button { border: 1px solid var(--line); background: var(--card); color: var(--fg); border-radius: .35rem; padding: .2rem .6rem; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
form.filters { display: grid; gap: .5rem; grid-template-columns: 1fr; background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
@media (min-width: 48rem) { form.filters { grid-template-columns: 2fr 1fr 1fr 1fr auto; align-items: end; } }
form.filters label { display: grid; font-size: .85rem; color: var(--muted); }
form.filters input, form.filters select { min-width: 0; padding: .3rem; border: 1px solid var(--line); border-radius: .3rem; background: var(--bg); color: var(--fg); }
.summary { color: var(--muted); margin: .75rem 0; }
.story { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .8rem 1rem; margin: 0 0 1rem; }
.story h2 { font-size: 1.1rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .85rem; margin: .1rem 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .4rem; border-radius: 1rem; border: 1px solid currentColor; margin-left: .3rem; }
.badge.canon { color: var(--canon); } .badge.close { color: var(--warn); } .badge.over { color: var(--accent); }
.versions { list-style: none; padding: 0; margin: .6rem 0 0; display: grid; gap: .5rem; }
@media (min-width: 48rem) { .versions { grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); } }
.version { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .7rem; min-width: 0; }
.version.canonical { border-color: var(--canon); background: var(--canon-bg); }
.version.close-call { border-color: var(--warn); }
.version .vtitle { margin: .15rem 0; overflow-wrap: anywhere; }
.score { font-size: .85rem; }
details { font-size: .85rem; margin: .25rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: .3rem 0 0; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .4rem; }
.js-only { display: none; } .js .js-only { display: flex; }
.merge-box { margin-top: .5rem; } .merge-box ul { list-style: none; padding: 0; margin: .4rem 0 0; display: grid; gap: .3rem; }
.merge-box input { width: 100%; padding: .3rem; }
nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 1rem 0; }
table.list { width: 100%; border-collapse: collapse; background: var(--card); font-size: .9rem; }
table.list th, table.list td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  table.list thead { display: none; }
  table.list, table.list tbody, table.list tr, table.list td { display: block; }
  table.list tr { border: 1px solid var(--line); border-radius: .4rem; margin: 0 0 .5rem; padding: .3rem .5rem; }
  table.list td { border: 0; padding: .1rem 0; }
  table.list td::before { content: attr(data-label) ": "; color: var(--muted); }
}
.failing { color: var(--warn); }
#status { position: fixed; bottom: 1rem; left: 1rem; right: 1rem; max-width: 30rem; margin: 0 auto; background: var(--fg); color: var(--bg);
  padding: .5rem .8rem; border-radius: .4rem; }
#status:empty { display: none; }
dialog { border: 1px solid var(--line); border-radius: .5rem; background: var(--card); color: var(--fg); max-width: 24rem; width: 90vw; }
dialog form { display: grid; gap: .5rem; }
.empty { color: var(--muted); font-style: italic; }
`;
