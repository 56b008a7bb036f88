import type { Decision } from '../../model/story.js';
import type { DecisionStore } from '../store.js';
import { jsonList, type SqliteConnection } from './connection.js';

/** A `decisions` row as both backends return it (JSON columns as text). */
export interface DecisionDbRow {
  id: number;
  article_id: string;
  story_id: string;
  action: Decision['action'];
  score: number;
  evidence: string;
  runner_up: string | null;
}

/** The rows a batch of decisions writes: each decision in order, and each article's last one. */
export function decisionRows(decisions: readonly Decision[]): { ord: number; articleId: string; storyId: string; action: string; score: number; evidence: string; runnerUp: string | null }[] {
  return decisions.map((d, ord) => ({
    ord,
    articleId: d.articleId,
    storyId: d.storyId,
    action: d.action,
    score: d.score,
    evidence: JSON.stringify(d.evidence),
    runnerUp: d.runnerUp ? JSON.stringify(d.runnerUp) : null,
  }));
}

/** Decisions in SQLite. */
export class SqliteDecisions implements DecisionStore {
  constructor(private readonly c: SqliteConnection) {}

  async recordDecisions(runId: number, decisions: readonly Decision[], at: string): Promise<void> {
    if (decisions.length === 0) return;
    // Each decision as an array rather than an object: a shorter list to encode and parse, its fields read by position.
    const list = jsonList(decisions.map((d) => [d.articleId, d.storyId, d.action, d.score, JSON.stringify(d.evidence), d.runnerUp ? JSON.stringify(d.runnerUp) : null]));
    // Ids are handed out in the order of the SELECT, one after another: the decision at position i has the first id + i.
    const { lastInsertRowid } = this.c.run(
      `INSERT INTO decisions (run_id, article_id, story_id, action, score, evidence, runner_up, at)
       SELECT ?, value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, ? FROM json_each(?) ORDER BY key`,
      runId,
      at,
      list,
    );
    const first = Number(lastInsertRowid) - decisions.length + 1;
    // Each article's last decision places it: the decisions just written are not read back to find them.
    const last = new Map<string, [articleId: string, storyId: string, decisionId: number]>();
    decisions.forEach((d, i) => last.set(d.articleId, [d.articleId, d.storyId, first + i]));
    this.c.run(
      `INSERT INTO story_members (article_id, story_id, decision_id)
       SELECT value->>0, value->>1, value->>2 FROM json_each(?) WHERE true
       ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, decision_id = excluded.decision_id`,
      jsonList([...last.values()]),
    );
    this.c.run('DELETE FROM pending_articles WHERE id IN (SELECT value FROM json_each(?))', jsonList([...last.keys()]));
  }

  async latestDecisions(articleIds: readonly string[]): Promise<Map<string, Decision>> {
    if (articleIds.length === 0) return new Map();
    const rows = this.c.all<DecisionDbRow>(
      'SELECT * FROM decisions WHERE id IN (SELECT max(id) FROM decisions WHERE article_id IN (SELECT value FROM json_each(?)) GROUP BY article_id)',
      jsonList(articleIds),
    );
    return new Map(rows.map((r) => [r.article_id, toDecision(r, (text, column) => this.c.json(text, 'decisions', `id ${r.id}`, column))]));
  }

  async overridePlacements(): Promise<Decision[]> {
    // The few overridden decisions first (a partial index), each checked against its article's membership (the primary key).
    const rows = this.c.all<DecisionDbRow>(
      "SELECT d.* FROM decisions d WHERE d.action = 'overridden' AND EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = d.article_id AND m.decision_id = d.id) ORDER BY d.id",
    );
    return rows.map((r) => toDecision(r, (text, column) => this.c.json(text, 'decisions', `id ${r.id}`, column)));
  }
}

/** Maps a `decisions` row to its decision, parsing its JSON columns with `json`. */
export function toDecision(row: DecisionDbRow, json: <T>(text: string, column: string) => T): Decision {
  return {
    articleId: row.article_id,
    storyId: row.story_id,
    action: row.action,
    score: row.score,
    evidence: json<Decision['evidence']>(row.evidence, 'evidence'),
    ...(row.runner_up ? { runnerUp: json<NonNullable<Decision['runnerUp']>>(row.runner_up, 'runner_up') } : {}),
  };
}
