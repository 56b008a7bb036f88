import type { Decision } from '../../model/story.js';
import { decisionRows } from '../sqlite/decisions.js';
import type { DecisionStore } from '../store.js';
import type { PgConnection } from './connection.js';

interface DecisionPgRow {
  article_id: string;
  story_id: string;
  action: Decision['action'];
  score: number;
  evidence: Decision['evidence'];
  runner_up: Decision['runnerUp'] | null;
}

/** Decisions in PostgreSQL. */
export class PgDecisions implements DecisionStore {
  constructor(private readonly c: PgConnection) {}

  async recordDecisions(runId: number, decisions: readonly Decision[], at: string): Promise<void> {
    if (decisions.length === 0) return;
    const list = JSON.stringify(decisionRows(decisions));
    // Identity values follow the SELECT's order, so each article's last decision has its highest id.
    await this.c.query(
      `WITH inserted AS (
         INSERT INTO decisions (run_id, article_id, story_id, action, score, evidence, runner_up, at)
         SELECT $1, "articleId", "storyId", action, score, evidence::jsonb, "runnerUp"::jsonb, $2
         FROM jsonb_to_recordset($3::jsonb) AS x(ord integer, "articleId" text, "storyId" text, action text, score double precision, evidence text, "runnerUp" text)
         ORDER BY ord
         RETURNING id, article_id, story_id
       ), latest AS (
         SELECT DISTINCT ON (article_id) article_id, story_id, id FROM inserted ORDER BY article_id, id DESC
       ), members AS (
         INSERT INTO story_members (article_id, story_id, decision_id) SELECT article_id, story_id, id FROM latest
         ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, decision_id = excluded.decision_id
       )
       UPDATE articles SET pending = false FROM latest WHERE articles.id = latest.article_id AND articles.pending`,
      [runId, at, list],
    );
  }

  async latestDecisions(articleIds: readonly string[]): Promise<Map<string, Decision>> {
    if (articleIds.length === 0) return new Map();
    const rows = await this.c.query<DecisionPgRow>(
      'SELECT DISTINCT ON (article_id) article_id, story_id, action, score, evidence, runner_up FROM decisions WHERE article_id = ANY($1) ORDER BY article_id, id DESC',
      [articleIds],
    );
    return new Map(rows.map((r) => [r.article_id, pgDecision(r)]));
  }

  async overridePlacements(): Promise<Decision[]> {
    const rows = await this.c.query<DecisionPgRow>(
      "SELECT d.article_id, d.story_id, d.action, d.score, d.evidence, d.runner_up FROM decisions d WHERE d.action = 'overridden' AND EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = d.article_id AND m.decision_id = d.id) ORDER BY d.id",
    );
    return rows.map(pgDecision);
  }
}

/** Maps a `decisions` row (JSON columns already parsed) to its decision. */
function pgDecision(r: DecisionPgRow): Decision {
  return { articleId: r.article_id, storyId: r.story_id, action: r.action, score: r.score, evidence: r.evidence, ...(r.runner_up ? { runnerUp: r.runner_up } : {}) };
}
