import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBoilerplateElement } from '../../src/normalize/boilerplate-html.js';
import { isBoilerplateLine } from '../../src/normalize/boilerplate-lines.js';
import { findRepeatedLines, lineKey, removeBoilerplate } from '../../src/normalize/boilerplate.js';
import { normalizeText } from '../../src/normalize/clean-text.js';
import { htmlToText } from '../../src/normalize/html-to-text.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, 'normalize', name), 'utf8');

describe('isBoilerplateLine', () => {
  const furniture = [
    'Share this:', 'Click to share on Facebook (Opens in new window)', 'Follow us on Instagram', 'Follow The Example Post on Twitter',
    'Related Posts', 'You may also like', 'Read more:', 'Related: Ferry fares to rise in spring', 'Filed Under: Uncategorized',
    'Tags: politics, economy', 'Copyright © 2025 Example Media', '© 2024 Example Ltd. All rights reserved.',
    'Sign up for our free newsletter to get the latest news.', 'We use cookies to improve your experience on our site.',
    'March 1, 2025 by Linh', 'By Jane Doe', 'By Jane Doe and John Roe, Reuters', 'Updated: 4 March 2025, 10:12 GMT',
    'Posted on 2025-03-01', 'Photo: Getty Images', 'Image credit: NASA/JPL', 'Foto: dpa', 'Getty Images / Jane Doe',
    'Advertisement', 'Anzeige', 'Lesen Sie auch', 'À lire aussi', 'Primary Sidebar', '-', '• • •',
    'The post Harbor strike ends appeared first on Harbor Times.',
  ];
  for (const line of furniture) it(`drops ${JSON.stringify(line)}`, () => expect(isBoilerplateLine(line)).toBe(true));

  const prose = [
    'By the end of the year, the council expects to finish the work.',
    'Share prices fell sharply on Monday after the announcement.',
    'Follow the money, investigators told the committee.',
    'Related parties were not named in the filing.',
    'Comments from the minister drew criticism from the opposition.',
    'March 1, 2025 was the coldest day of the winter in the capital.',
    'The photo shows the mayor at the opening of the bridge.',
    'Kim Basinger and Alec Baldwin.',
  ];
  for (const line of prose) it(`keeps ${JSON.stringify(line)}`, () => expect(isBoilerplateLine(line)).toBe(false));

  // The notice and read-on patterns are tried only on lines holding their words; case-insensitive
  // matching also takes the long s (U+017F) for "s" and the Kelvin sign (U+212A) for "k".
  it('finds the notices in any case, long s and Kelvin sign included', () => {
    for (const line of ['SIGN UP FOR OUR FREE NEWSLETTER TODAY', 'Sign up for our free newſletter today', 'We use cooKies to improve the site', 'We uſe cookies to improve the site', 'Subscribe now']) {
      expect(isBoilerplateLine(line), line).toBe(true);
    }
    expect(isBoilerplateLine('The newsletter of the society was first printed in 1901 by its founders.')).toBe(false);
  });
});

describe('removeBoilerplate on normalized text', () => {
  it('gives the same text told the input is normalized as when it checks', () => {
    for (const name of ['news-story-with-furniture.txt']) {
      const text = normalizeText(fixture(name));
      expect(removeBoilerplate(text, { normalized: true })).toBe(removeBoilerplate(text));
    }
  });

  it('strips a read-on link in capitals or with a long s', () => {
    const body = 'Dock workers at the port returned to work on Monday after the union accepted a pay offer.';
    expect(removeBoilerplate(`${body} CONTINUE READING →`)).toBe(body);
    expect(removeBoilerplate(`${body} Weiterleſen`)).toBe(body);
  });
});

describe('removeBoilerplate on a WordPress page (HTML path)', () => {
  const text = removeBoilerplate(normalizeText(htmlToText(fixture('wordpress-post-with-sidebar.html'), { skipElement: isBoilerplateElement })));

  it('keeps every article paragraph', () => {
    expect(text).toContain('The Riverside city council voted 7 to 2 on Tuesday night');
    expect(text).toContain('Supporters packed the chamber');
    expect(text).toContain('Councillor Ahmed Yilmaz, who introduced the proposal');
  });

  it('drops navigation, byline, share bar, related posts, tags, newsletter, comments, sidebar, footer and cookie notice', () => {
    for (const gone of ['Sports', 'Maria Lopez', 'Share this', 'Click to share', 'Parking fees to rise', 'Filed Under', 'Tagged With',
      'newsletter', 'Finally! Great news', 'Recent Posts', 'Mayor opens new library', 'Copyright', 'cookies', 'Photo: Riverside Daily']) {
      expect(text).not.toContain(gone);
    }
  });

  it('starts with the first paragraph (site name and repeated headline gone)', () => {
    expect(text.startsWith('The Riverside city council voted')).toBe(true);
  });
});

describe('removeBoilerplate on a plain-text news story', () => {
  const text = removeBoilerplate(normalizeText(fixture('news-story-with-furniture.txt')));

  it('keeps the story, including the closing quote', () => {
    expect(text.startsWith('Dock workers at the country')).toBe(true);
    expect(text).toContain('The deal was reached late on Sunday');
    expect(text).toContain('"Nobody wanted this to last so long');
  });

  it('drops masthead, byline, date line, credit, related link, share/follow/newsletter prompts, other headlines, copyright and cookies', () => {
    for (const gone of ['Harbor Times', 'Jane Doe', 'Updated:', 'Getty Images', 'Related:', 'Shipping rates climb', 'Share this', 'Follow us',
      'newsletter', 'You may also like', 'Fuel prices expected to fall', 'Local bakery wins', '©', 'cookies']) {
      expect(text).not.toContain(gone);
    }
  });
});

/** The five bundled seeds, their date header taken off as the parse stage does. */
function seed(prefix: string): string {
  const dir = path.join(ROOT, 'seeds');
  const name = ['000_168ea976ff7458c6.txt', '001_14234c3bc899f81f.txt', '002_d9a93c932fb96118.txt', '003_8e8c2d55f66e7474.txt', '004_e859859a89bdac24.txt']
    .find((n) => n.startsWith(prefix)) ?? '';
  return readFileSync(path.join(dir, name), 'utf8').replace(/^\s*date \d{4}(?:-\d{2}){0,2}\s*/, '');
}

const SEEDS: Array<{ id: string; kept: string[]; gone: string[] }> = [
  {
    id: '000',
    kept: ['Kim Basinger is opening up about her relationship with Alec Baldwin.', 'messy divorce from the 30 Rock alum.', 'Romeo, 6, and Eduardo, 4.'],
    gone: ['Alec Baldwin(AP)', 'made a rare comment about her ex-husband'],
  },
  {
    id: '001',
    kept: ['Kim Basinger and Alec Baldwin may have gone their separate ways', 'has healed a lot.'],
    gone: ["Inside Hilary Duff's supportive marriage", 'Daniel Radcliffe admits', "'Vikings' star mourns Eric Dane's death", '\n-\n'],
  },
  {
    id: '002',
    kept: ['In a rare interview, Kim Basinger opened up about her life, career', 'you’re just dumbfounded.”'],
    gone: ['The News Life', 'March 1, 2025 by Linh', 'Filed Under', 'Primary Sidebar', 'Recent Posts', 'Australia rocked by anti-immigration',
      'Real Madrid Temporarily Top the Table', 'Taylor Swift was suddenly exposed', 'Recent Comments', 'A WordPress Commenter', 'Copyright', 'Genesis Framework'],
  },
  {
    id: '003',
    kept: ['Kim Basinger (71) und Alec Baldwin (66) galten einst', 'wie sie im Bilderbuch steht.'],
    gone: ['ZUMAPRESS.com / MEGA', 'Instagram / hilariabaldwin'],
  },
  {
    id: '004',
    kept: ['Alec Baldwin regrets how his divorce with former partner Kim Basinger', "co-starred in 1994's The Getaway and 1991's The Marrying Man."],
    gone: [],
  },
];

describe('removeBoilerplate on the bundled seeds', () => {
  for (const { id, kept, gone } of SEEDS) {
    const input = normalizeText(seed(id));
    const output = removeBoilerplate(input);
    it(`seed ${id}: keeps its first real sentence and last paragraph`, () => {
      for (const phrase of kept) expect(output).toContain(phrase);
    });
    if (gone.length > 0) {
      it(`seed ${id}: drops its boilerplate`, () => {
        for (const phrase of gone) expect(output).not.toContain(phrase);
      });
    }
    it(`seed ${id}: keeps the opening of every long paragraph that is not boilerplate`, () => {
      const paragraphs = input.split('\n').filter((line) => line.split(' ').length >= 25 && !gone.some((g) => line.includes(g)));
      expect(paragraphs.length).toBeGreaterThan(0);
      for (const paragraph of paragraphs) expect(output).toContain(paragraph.split(' ').slice(0, 8).join(' '));
    });
  }
});

describe('findRepeatedLines and template-line removal', () => {
  const template = 'Example Gazette is an independent newsroom serving Springfield since 1901';
  const items = [
    `The school board met on Monday to discuss the budget for next year and agreed to hire six more teachers for the new term.\n${template}`,
    `Heavy rain flooded several streets in the old town overnight, and firefighters pumped water from more than forty cellars.\n${template}`,
    `The county fair opens on Friday with a record number of exhibitors, organisers said, and tickets are already selling fast.\n${template}`,
    'A local baker has won a national prize for her sourdough bread, beating more than three hundred entries from across the country.',
  ];

  it('finds a line shared by most items of a source', () => {
    expect(findRepeatedLines(items).has(lineKey(template))).toBe(true);
  });

  it('keys a line the same whether its ellipsis is "…" (as a cut ends) or "...", normalized input or not', () => {
    const texts = ['One.\nRead the whole story...', 'Two.\nRead the whole story...', 'Three.\nRead the whole story…', ...['Four.', 'Five.', 'Six.', 'Seven.', 'Eight.', 'Nine.', 'Ten.']];
    expect(findRepeatedLines(texts).has(lineKey('Read the whole story...'))).toBe(true);
    expect(findRepeatedLines(texts, true).has(lineKey('Read the whole story...'))).toBe(true);
  });

  it('finds in normalized texts the lines keyed one by one, ASCII texts lower-cased whole', () => {
    const lines = ['Read more', 'READ MORE', 'read more', 'Café news', 'CAFÉ NEWS', 'Şehir', '', 'Share this…', 'Share this...', 'ﬁnance'];
    let seed = 7;
    const pick = (): string => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return lines[seed % lines.length] as string;
    };
    for (let k = 0; k < 200; k++) {
      const texts = Array.from({ length: 2 + (k % 6) }, () => normalizeText([pick(), pick(), pick()].join('\n')));
      const byLine = new Map<string, Set<number>>();
      texts.forEach((text, i) => {
        for (const line of text.split('\n')) {
          const key = lineKey(line);
          if (key !== '') byLine.set(key, (byLine.get(key) ?? new Set()).add(i));
        }
      });
      const expected = [...byLine].filter(([, items]) => items.size >= Math.max(2, Math.ceil(texts.length * 0.3))).map(([key]) => key);
      expect([...findRepeatedLines(texts, true)].sort(), JSON.stringify(texts)).toEqual(expected.sort());
    }
  });

  it('finds none in a single item, and one shared by both items of two', () => {
    expect(findRepeatedLines([`${template}\n${template}`]).size).toBe(0);
    expect(findRepeatedLines([`One.\n${template}`, `Two.\n${template}`]).has(lineKey(template))).toBe(true);
  });

  it('ignores lines of a single item, and lines under 30 % of the items', () => {
    const many = Array.from({ length: 10 }, (_, i) => `Story number ${i} has its own text.${i < 2 ? '\nShared by two of ten' : ''}`);
    const repeated = findRepeatedLines(many);
    expect(repeated.has(lineKey('Shared by two of ten'))).toBe(false);
    expect([...repeated].some((key) => key.startsWith('story number'))).toBe(false);
    const three = findRepeatedLines([...many.slice(0, 7), 'Shared by two of ten', 'x\nShared by two of ten', 'y']);
    expect(three.has(lineKey('Shared by two of ten'))).toBe(true);
  });

  it('removes template lines and keeps each item its own text', () => {
    const repeated = findRepeatedLines(items);
    const cleaned = items.map((text) => removeBoilerplate(text, { repeatedLines: repeated }));
    for (const text of cleaned) expect(text).not.toContain('Example Gazette');
    expect(cleaned[0]).toContain('The school board met on Monday');
    expect(cleaned[3]).toContain('A local baker has won');
  });

  it('never empties an item that is nothing but template lines', () => {
    const repeated = findRepeatedLines([template, template, template]);
    expect(removeBoilerplate(template, { repeatedLines: repeated })).toBe(template);
  });
});

describe('removeBoilerplate on feed-item endings', () => {
  const body = 'Dock workers at the port returned to work on Monday after the union accepted a pay offer, ending a strike that had left ships waiting offshore.';

  it('strips a closing read-on link but keeps the sentence before it', () => {
    expect(removeBoilerplate(`${body} Continue reading →`)).toBe(body);
    expect(removeBoilerplate(`${body}\n\nContinue reading Port strike ends at Harbor Times`)).toBe(body);
  });

  it('drops the WordPress "appeared first on" footer and keeps ordinary "read more" prose', () => {
    expect(removeBoilerplate(`${body}\n\nThe post Port strike ends appeared first on Harbor Times.`)).toBe(body);
    const prose = `${body}\n\nShe said she wanted people to read more books about the sea.`;
    expect(removeBoilerplate(prose)).toBe(prose);
  });
});
