import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { RunStatus } from '../model/run.js';

/** The Prometheus metrics of a server: the runs' figures from `out/status.json`, and the process's own. */
export interface ServerMetrics {
  contentType: string;
  /** The text exposition of every metric, read fresh from `status()` at each scrape. */
  render(): Promise<string>;
}

/**
 * Builds the registry /metrics answers from (prom-client, text format 0.0.4). The run figures are read at each scrape
 * from what the last run wrote, so a `serve` process reports the runs of a separate `feedfold run` as well as a
 * daemon's own; totals restart from zero with a new `out/`, which Prometheus treats as a counter reset.
 */
export function createServerMetrics(status: () => Promise<RunStatus | undefined>): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'feedfold_' });
  let current: RunStatus | undefined;
  const counter = (name: string, help: string, value: (s: RunStatus) => number): void => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        if (current) this.inc(value(current));
      },
    });
  };
  const gauge = (name: string, help: string, value: (s: RunStatus) => number | undefined): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const v = current ? value(current) : undefined;
        if (v !== undefined) this.set(v);
      },
    });
  };
  const labelled = (name: string, help: string, label: string, values: (s: RunStatus) => Record<string, number>): void => {
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [k, v] of Object.entries(current ? values(current) : {})) this.inc({ [label]: k }, v);
      },
    });
  };
  const seconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso) / 1000);

  labelled('feedfold_runs_total', 'Runs by outcome: ok, all-sources-failed, nothing-read.', 'outcome', (s) => s.totals.runs);
  labelled('feedfold_source_reads_total', 'Source reads by outcome: ok, not-modified, skipped, or the error kind of a failure.', 'outcome', (s) => s.totals.outcomes);
  counter('feedfold_articles_total', 'New articles stored.', (s) => s.totals.articles);
  counter('feedfold_stories_created_total', 'Stories created.', (s) => s.totals.storiesNew);
  counter('feedfold_stories_updated_total', 'Stories updated (a version joined, the canonical changed).', (s) => s.totals.storiesUpdated);
  counter('feedfold_joins_total', 'Articles placed in a story that already had a version.', (s) => s.totals.joins);
  gauge('feedfold_last_run_timestamp_seconds', 'Time of the last run.', (s) => seconds(s.lastRun.startedAt));
  gauge('feedfold_last_success_timestamp_seconds', 'Time of the last run that read at least one source.', (s) => seconds(s.lastSuccessAt));
  gauge('feedfold_last_run_duration_seconds', 'Wall time of the last run.', (s) => s.lastRun.durationMs / 1000);
  gauge('feedfold_sources_failing', 'Sources that failed in the last run.', (s) => s.failing.length);
  gauge('feedfold_feed_entries', 'Entries of the published feed.', (s) => s.lastRun.feedEntries);
  gauge('feedfold_index_articles', 'Articles the clustering index held in the last run (its window).', (s) => s.lastRun.indexArticles);

  return {
    contentType: registry.contentType,
    async render() {
      current = await status();
      return registry.metrics();
    },
  };
}
