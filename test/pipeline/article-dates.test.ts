import { describe, expect, it } from 'vitest';
import { clampFutureDates, editDateOf, FUTURE_SKEW_MS } from '../../src/pipeline/article-dates.js';
import { storyDates } from '../../src/pipeline/update-stories.js';
import { makeArticle } from '../publish/story-fixtures.js';

const NOW = '2025-03-05T12:00:00.000Z';
const at = (offsetMs: number): string => new Date(Date.parse(NOW) + offsetMs).toISOString();

describe('clampFutureDates', () => {
  it('keeps dates up to the allowed skew and clamps later ones to the run time, saying which', () => {
    const within = makeArticle({ id: 'a', title: 'A', published: at(FUTURE_SKEW_MS) });
    expect(clampFutureDates(within, NOW)).toEqual({ article: within, clamped: [] });

    const ahead = makeArticle({ id: 'b', title: 'B', published: at(FUTURE_SKEW_MS + 1), updated: '2031-01-01T00:00:00.000Z' });
    const { article, clamped } = clampFutureDates(ahead, NOW);
    expect(article.published).toBe(NOW);
    expect(article.updated).toBe(NOW);
    expect(clamped.map((c) => c.field)).toEqual(['published', 'updated']);
    expect(ahead.published).toBe(at(FUTURE_SKEW_MS + 1));
  });
});

describe('storyDates', () => {
  const old = makeArticle({ id: 'old', title: 'Old', published: '2025-03-01T08:00:00.000Z', firstSeen: NOW });
  const newer = makeArticle({ id: 'new', title: 'New', published: '2025-03-03T08:00:00.000Z', updated: '2025-03-04T08:00:00.000Z', firstSeen: NOW });
  const undated = makeArticle({ id: 'undated', title: 'Undated', firstSeen: NOW });

  it('dates a new story by its members: earliest publication, newest own date', () => {
    expect(storyDates([old, newer], undefined, {}, true, NOW)).toEqual({ published: '2025-03-01T08:00:00.000Z', updated: '2025-03-04T08:00:00.000Z' });
    // An undated member counts from when it was first seen.
    expect(storyDates([undated], undefined, {}, true, NOW)).toEqual({ published: NOW, updated: NOW });
  });

  it('moves updated to the change\'s own date, never backwards, never before published, not at all without a significant change', () => {
    const existing = { updated: '2025-03-04T08:00:00.000Z' };
    expect(storyDates([old, newer], existing, { changedAt: '2025-03-05T09:00:00.000Z' }, true, NOW).updated).toBe('2025-03-05T09:00:00.000Z');
    expect(storyDates([old, newer], existing, { changedAt: '2025-03-02T00:00:00.000Z' }, true, NOW).updated).toBe(existing.updated);
    expect(storyDates([old, newer], existing, {}, false, NOW).updated).toBe(existing.updated);
    // A significant change nothing dates (a canonical chosen anew) is dated by the run.
    expect(storyDates([old, newer], existing, {}, true, NOW).updated).toBe(NOW);
    expect(storyDates([newer], { updated: '2025-03-01T00:00:00.000Z' }, {}, false, NOW).updated).toBe('2025-03-03T08:00:00.000Z');
  });
});

describe('editDateOf', () => {
  const stored = makeArticle({ id: 'a', title: 'A', published: '2025-03-03T08:00:00.000Z' });

  it('dates an edit by the source\'s new updated when it moved, else by the run that saw it', () => {
    expect(editDateOf(stored, { ...stored, updated: '2025-03-05T10:00:00.000Z' }, NOW)).toBe('2025-03-05T10:00:00.000Z');
    expect(editDateOf(stored, { ...stored, title: 'A, corrected' }, NOW)).toBe(NOW);
  });
});
