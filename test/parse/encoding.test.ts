import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeBodyDetailed } from '../../src/parse/decode-body.js';
import { parseFeed, parseFeedReport } from '../../src/parse/parse-feed.js';
import { FIXTURES } from '../helpers/paths.js';

const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, 'parse', name));

describe('decodeBody', () => {
  it('decodes ISO-8859-1 bytes named in the prolog', () => {
    expect(parseFeed(fixture('encoding-iso-8859-1.xml')).title).toBe('Café à Zürich');
  });

  it('decodes windows-1252 bytes labelled ISO-8859-1 as windows-1252 (WHATWG)', () => {
    expect(parseFeed(fixture('encoding-windows-1252-labelled-iso-8859-1.xml')).title).toBe('“Quoted” – café €5');
  });

  it('decodes valid UTF-8 labelled Latin-1 as UTF-8 when HTTP says nothing', () => {
    const d = decodeBodyDetailed(fixture('encoding-utf-8-labelled-latin-1.xml'));
    expect(d.decoder).toBe('utf-8');
    expect(parseFeed(fixture('encoding-utf-8-labelled-latin-1.xml')).title).toBe('Café naïve 東京');
  });

  it('lets the HTTP charset win over the prolog (RFC 7303 §3)', () => {
    const d = decodeBodyDetailed(fixture('encoding-utf-8-labelled-latin-1.xml'), 'application/rss+xml; charset=ISO-8859-1');
    expect(d.source).toBe('http');
    expect(d.text).toContain('CafÃ©');
  });

  it('decodes UTF-16 with a BOM, whatever the header says', () => {
    const d = decodeBodyDetailed(fixture('encoding-utf-16le-bom.xml'), 'text/xml; charset=utf-8');
    expect(d.source).toBe('bom');
    expect(parseFeed(fixture('encoding-utf-16le-bom.xml')).title).toBe('Ελληνικά 日本');
  });

  it('decodes Shift_JIS named in the prolog', () => {
    expect(parseFeed(fixture('encoding-shift-jis.xml')).entries[0]?.title).toBe('東京ニュース');
  });

  it('turns invalid UTF-8 into replacement characters and flags it, never throwing', () => {
    const report = parseFeedReport(fixture('encoding-invalid-utf-8.xml'));
    expect(report.feed.title).toMatch(/^bad \ufffd+\(\ufffd bytes$/);
    expect(report.problems).toContain('invalid-utf8');
  });

  it('falls back to UTF-8 for an unknown label', () => {
    const body = Buffer.from('<?xml version="1.0" encoding="x-no-such-charset"?><rss/>');
    expect(decodeBody(body)).toContain('<rss/>');
  });
});
