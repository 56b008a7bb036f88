/**
 * Feed documents built to cost a parser time: each once took seconds to minutes of CPU. Shared by
 * the tests and `bench/hostile.ts`.
 */

/** An RSS 2.0 document with one item whose fields are given as raw XML. */
export function rssWithItem(item: { title?: string; author?: string; description?: string }): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>' +
    `<item><title>${item.title ?? 'An ordinary headline about the harbour'}</title><link>https://hostile.example/1</link>` +
    '<guid>https://hostile.example/1</guid><pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate>' +
    (item.author === undefined ? '' : `<author>${item.author}</author>`) +
    `<description>${item.description ?? 'The council met on Tuesday and approved the budget for the new harbour bridge.'}</description></item></channel></rss>\n`
  );
}

/** Escapes text for an XML element or attribute. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The hostile cases: name and document. */
export const HOSTILE_FEEDS: ReadonlyArray<readonly [string, string]> = [
  // 100,000 elements, each opened inside the last: about 300 KB.
  ['nested-100k', rssWithItem({ description: '<x>'.repeat(100_000) })],
  // A document that is nothing but an unclosed internal subset, over and over.
  ['doctype-run', `<?xml version="1.0"?>\n${'<!DOCTYPE ['.repeat(30_000)}`],
  ['email-64k', rssWithItem({ author: '@'.repeat(65_536) })],
  // Unclosed `url(` calls in a 40 KB style attribute.
  ['style-40k', rssWithItem({ description: escapeXml(`<p style="${'url(r'.repeat(8_192)}">The council approved the budget.</p>`) })],
  // Tag openings that never close and references that never end, in the title.
  ['title-markup', rssWithItem({ title: escapeXml('<a &b <!x &#1 '.repeat(7_000)) })],
];

const WORDS = 'council harbour bridge budget approved mayor residents vote tuesday evening plan funding'.split(' ');

/**
 * A valid RSS 2.0 feed of `items` long items (about 4.6 KB each): nothing hostile in it, only
 * enough text that reading it takes seconds.
 */
export function bigValidFeed(items: number): string {
  const parts: string[] = [];
  for (let i = 0; i < items; i++) {
    let p = '';
    for (let j = 0; j < 300; j++) p += `${WORDS[(i * 7 + j * 13) % WORDS.length]}${j % 17 === 16 ? '. ' : ' '}`;
    parts.push(`<item><title>Story ${i} about the ${WORDS[i % WORDS.length]}</title><link>https://big.example/${i}</link><guid>big-${i}</guid><description>&lt;p&gt;${p}&lt;/p&gt;&lt;p&gt;${p}&lt;/p&gt;</description></item>`);
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>\n${parts.join('\n')}\n</channel></rss>\n`;
}
