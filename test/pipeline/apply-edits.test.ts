import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/pipeline/apply-edits.js';
import type { TouchedStories } from '../../src/pipeline/update-stories.js';
import { Store } from '../../src/store/store.js';
import { makeArticle } from '../publish/story-fixtures.js';

const NOW = '2025-03-05T18:00:00.000Z';

function setup(stored: ReturnType<typeof makeArticle>[], canonicalId: string) {
  const store = Store.open(':memory:');
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => records.push(JSON.parse(line) as Record<string, unknown>) });
  for (const a of stored) {
    store.insertArticle(a);
    store.setMember(a.id, 'story-1', null);
  }
  store.upsertStory({ id: 'story-1', canonicalId, canonicalReason: 'r', published: '2025-03-03T08:00:00.000Z', updated: '2025-03-03T08:00:00.000Z', lastSeen: NOW });
  return { store, records, logger };
}

describe('applyEdits', () => {
  const canonical = makeArticle({ id: 'wire:a', title: 'Ferry suspended', published: '2025-03-03T08:00:00.000Z', sourceHash: 'h1' });
  const other = makeArticle({ id: 'post:b', title: 'Ferry halted', published: '2025-03-03T09:00:00.000Z', sourceHash: 'h2' });

  it('follows a re-sent item whose hash changed: stored article replaced, edit logged, story touched significantly when it is the canonical', () => {
    const { store, records, logger } = setup([canonical, other], canonical.id);
    const touched: TouchedStories = new Map();
    const edited = { ...canonical, title: 'Ferry suspended after fire', sourceHash: 'h1b', firstSeen: NOW };
    expect(applyEdits(store, [edited], touched, { now: NOW, logger })).toBe(1);
    expect(store.getArticle(canonical.id)).toMatchObject({ title: 'Ferry suspended after fire', firstSeen: canonical.firstSeen, published: canonical.published });
    expect(touched.get('story-1')).toEqual({ isNew: false, memberChange: false, changedAt: NOW, editedAt: NOW });
    expect(records.filter((r) => r.msg === 'article edited')).toEqual([expect.objectContaining({ story: 'story-1', oldTitle: 'Ferry suspended', newTitle: 'Ferry suspended after fire' })]);
    store.close();
  });

  it('touches a story only quietly when a non-canonical version changes its text but not its title', () => {
    const { store, logger } = setup([canonical, other], canonical.id);
    const touched: TouchedStories = new Map();
    applyEdits(store, [{ ...other, text: 'More words.', sourceHash: 'h2b' }], touched, { now: NOW, logger });
    expect(touched.get('story-1')).toEqual({ isNew: false, memberChange: false, editedAt: NOW });
    store.close();
  });

  it('ignores an unchanged re-send, and only records the hash of an article stored before hashes unless its title changed', () => {
    const legacy = { ...canonical, sourceHash: undefined };
    const { store, records, logger } = setup([legacy, other], canonical.id);
    const touched: TouchedStories = new Map();
    expect(applyEdits(store, [other, { ...canonical, text: 'Cleaned differently.' }], touched, { now: NOW, logger })).toBe(0);
    expect(touched.size).toBe(0);
    expect(store.storedSourceHash(canonical.id)).toEqual({ sourceHash: 'h1' });
    expect(store.getArticle(canonical.id)?.text).toBe(canonical.text);
    expect(records.filter((r) => r.msg === 'article edited')).toEqual([]);
    store.close();
  });
});
