import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { elements } from '../normalize/dom-elements.js';
import { sanitizeHtml } from '../../src/sanitize/sanitize-html.js';
import { CORPORA, HAS_CORPORA, NO_CORPORA } from '../helpers/paths.js';

const SANITIZE_DIR = path.join(CORPORA, 'feedparser', 'tests', 'wellformed', 'sanitize');
const CONTENT_ELEMENTS = new Set(['content', 'content:encoded', 'description', 'summary', 'title', 'subtitle', 'tagline', 'info', 'body', 'xhtml:body', 'fullitem']);

/** The HTML payloads of one feedparser fixture: escaped or CDATA text, or inline XHTML. */
function payloads(xml: string): string[] {
  const doc = parseDocument(xml, { xmlMode: true });
  const out: string[] = [];
  for (const el of elements(doc.children)) {
    if (!CONTENT_ELEMENTS.has(el.name.toLowerCase())) continue;
    const inline = el.children.some((c) => c.type === 'tag');
    out.push(inline ? DomUtils.getOuterHTML(el.children, { xmlMode: false }) : DomUtils.textContent(el));
  }
  return out;
}

function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const el of elements(parseDocument(html).children)) {
    if (['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'input', 'meta', 'base', 'link', 'frame', 'applet'].includes(el.name)) problems.push(`<${el.name}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(name) || name === 'style' || name === 'srcset' || name === 'xlink:href') problems.push(`${name}=`);
      if (name === 'href' || name === 'src') {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\x00-\x20]/g, ''))?.[1]?.toLowerCase();
        if (scheme === undefined || !['http', 'https', 'mailto'].includes(scheme)) problems.push(`${name}=${value}`);
      }
    }
  }
  return problems;
}

describe.skipIf(!HAS_CORPORA)(`sanitizeHtml on feedparser's sanitize fixtures (${HAS_CORPORA ? 'corpora present' : NO_CORPORA})`, () => {
  it('leaves no script, embed, event handler, style or unsafe URL in any of them', () => {
    const files = readdirSync(SANITIZE_DIR).filter((f) => f.endsWith('.xml'));
    const failures: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const html of payloads(readFileSync(path.join(SANITIZE_DIR, file), 'utf8'))) {
        checked++;
        const problems = unsafeParts(sanitizeHtml(html, 'http://example.com/feed/'));
        if (problems.length > 0) failures.push(`${file}: ${problems.join(', ')}`);
      }
    }
    expect(files.length).toBeGreaterThan(700);
    expect(checked).toBeGreaterThan(700);
    expect(failures).toEqual([]);
  });
});
