/**
 * The server's own page and the headers every response and every HTML page carries.
 */

/**
 * Headers of every response. `no-referrer` (W3C Referrer Policy §3.1): an article page or the
 * report opened in a browser must not tell the sites of its remote images and links which page,
 * on which private server, the reader was looking at.
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

// The report and article pages are static and self-contained: inline styles only, no script at
// all, and no page may frame them (CSP Level 3 frame-ancestors; X-Frame-Options for old browsers).
const PUBLISHED_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers of the published HTML pages (report, article pages). */
export const PUBLISHED_PAGE_HEADERS: Readonly<Record<string, string>> = { 'Content-Security-Policy': PUBLISHED_PAGE_CSP, 'X-Frame-Options': 'DENY' };

/** Headers of the index page. */
export const INDEX_HEADERS: Readonly<Record<string, string>> = { 'Content-Security-Policy': INDEX_CSP, 'X-Frame-Options': 'DENY', 'Cache-Control': 'public, max-age=3600' };

/** The index page: what the server offers. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>feedfold</title>
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="Merged feed">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
</head>
<body>
<h1>feedfold</h1>
<ul>
<li><a href="/feed.atom">Merged Atom feed</a> — subscribe in your feed reader</li>
<li><a href="/review">Review app</a> — find doubtful folds, correct them (split, merge, pin) and undo</li>
<li><a href="/report">Review report</a> — stories, versions and why they were folded together</li>
</ul>
</body>
</html>
`;
