import cron from 'node-cron';
import { z } from 'zod';

/** An http(s) URL; `javascript:`, `data:` and `file:` URLs never reach the feed or the fetcher. */
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

const sourceEntry = z
  .object({
    /** Stable id; derived from the location when absent. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore').optional(),
    url: httpUrl().optional(),
    file: z.string().min(1).optional(),
    dir: z.string().min(1).optional(),
    opml: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
    /** Higher is preferred as canonical. */
    rank: z.number().int().min(-100).max(100).default(0),
  })
  .strict()
  .refine((s) => [s.url, s.file, s.dir, s.opml].filter((v) => v !== undefined).length === 1, {
    message: 'each source needs exactly one of url, file, dir, opml',
  });

/** Reports a source id given twice (the later entry would silently take the earlier one's state), naming both entries. */
function uniqueIds(sources: ReadonlyArray<{ id?: string | undefined }>, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  sources.forEach((source, i) => {
    if (source.id === undefined) return;
    const earlier = first.get(source.id);
    if (earlier === undefined) first.set(source.id, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate source id "${source.id}", also the id of sources.${earlier}` });
  });
}

export const configSchema = z
  .object({
    feed: z
      .object({
        id: z.string().min(1).default('tag:feedfold.local,2025:feed'),
        title: z.string().min(1).default('feedfold: merged news'),
        subtitle: z.string().optional(),
        selfUrl: httpUrl().default('http://127.0.0.1:8080/feed.atom'),
        homeUrl: httpUrl().optional(),
        author: z.string().min(1).default('feedfold'),
        maxEntries: z.number().int().min(1).max(100_000).default(200),
        maxAgeDays: z.number().min(1).max(3650).default(30),
        /** Most UTF-8 bytes of one entry's content; a longer article is cut with a link to the original. */
        maxEntryBytes: z.number().int().min(4096).max(16 * 1024 ** 2).default(64 * 1024),
        /** Most UTF-8 bytes of the whole feed (about); older entries past it are left out. */
        maxBytes: z.number().int().min(64 * 1024).max(256 * 1024 ** 2).default(10 * 1024 ** 2),
      })
      .strict()
      .refine((f) => f.maxEntryBytes <= f.maxBytes, { message: 'must not exceed feed.maxBytes', path: ['maxEntryBytes'] })
      .prefault({}),
    sources: z.array(sourceEntry).default([]).superRefine(uniqueIds),
    /** Output folder: feed.atom, report.html, feedfold.db, feedfold.log. */
    out: z.string().min(1).default('../out'),
    overrides: z.string().min(1).default('overrides.yaml'),
    /** Where `import-opml` keeps the feeds it subscribes to (with their OPML folders), read by every run. */
    subscriptions: z.string().min(1).default('feedfold.opml'),
    cluster: z
      .object({
        threshold: z.number().min(0).max(1).optional(),
        windowHours: z.number().min(1).max(24 * 365).default(72),
        /** Most articles one clustering batch assigns: each batch is committed whole, in a fixed number of statements. */
        batchArticles: z.number().int().min(1).max(100_000).default(1000),
      })
      .strict()
      .prefault({}),
    canonical: z
      .object({
        policy: z.enum(['earliest-complete', 'longest', 'earliest']).default('earliest-complete'),
        /** A version at least this share of the longest version's text counts as complete. */
        completeRatio: z.number().min(0).max(1).default(0.8),
      })
      .strict()
      .prefault({}),
    fetch: z
      .object({
        concurrency: z.number().int().min(1).max(256).default(16),
        perHost: z.number().int().min(1).max(256).default(2),
        timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        maxBodyBytes: z.number().int().min(1024).max(1024 ** 3).default(10 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        userAgent: z.string().min(1).optional(),
        /** Fetch from loopback, private, link-local and other non-public addresses (feeds on your own network). */
        allowPrivateNetworks: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    parse: z
      .object({
        /** CPU budget of one feed body (parse and normalize, in a worker thread); past it the feed is skipped. */
        timeoutMs: z.number().int().min(100).max(600_000).default(5_000),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        // node-cron's own check, the one the daemon's scheduler applies, so every command agrees with it.
        cron: z
          .string()
          .refine((v) => cron.validate(v), { error: (issue) => `not a valid cron expression: ${JSON.stringify(issue.input)}` })
          .default('*/30 * * * *'),
        /** Served as Cache-Control max-age; defaults to the cron interval. */
        maxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
      })
      .strict()
      .prefault({}),
    serve: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        /** Connections held open at once; a new one closes the least recently active. */
        maxConnections: z.number().int().min(1).max(100_000).default(1024),
        /** /healthz answers 503 when no run has read a source for this many schedule intervals. */
        staleAfterRuns: z.number().int().min(1).max(1000).default(3),
        /** Allows corrections through /api/ to requests bearing it (`Authorization: Bearer …`); unset: the server is read-only. */
        adminToken: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
      })
      .strict()
      .prefault({}),
    review: z
      .object({
        /** A join whose score lies within this distance of the clustering threshold is a close call. */
        closeCallMargin: z.number().min(0).max(1).default(0.05),
        /** Stories on one page of the review app and of /api/stories. */
        pageSize: z.number().int().min(1).max(200).default(25),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /** Most UTF-8 bytes of one article's HTML, and of its text, kept in the store. */
        maxArticleBytes: z.number().int().min(4096).max(64 * 1024 ** 2).default(256 * 1024),
      })
      .strict()
      .prefault({}),
    store: z
      .object({
        /** A PostgreSQL URL (postgres://user@host:5432/db) for a store shared by several processes; unset: SQLite under `out`. */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
          .optional(),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        /** Prune old state after each run; false keeps everything forever. */
        enabled: z.boolean().default(true),
        /** Stored state is kept at least this many days, beyond the clustering window and the feed's age (feed.maxAgeDays). */
        minDays: z.number().min(0).max(36_500).default(0),
        /** Days of runs history kept (the report's table of runs, `/metrics`). */
        runsDays: z.number().min(1).max(36_500).default(90),
        /** Days a pruned article's tombstone is kept once its source no longer lists the item. */
        tombstoneDays: z.number().min(1).max(36_500).default(30),
        /** Most stories (with their articles), and most articles of no story, one run prunes: a long history goes over several runs. */
        maxPerRun: z.number().int().min(1).max(10_000_000).default(20_000),
        /** Compact the SQLite file when free pages exceed this share of it. */
        vacuumFreeShare: z.number().min(0.01).max(1).default(0.25),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** NDJSON log file, relative to `out`; empty for none. */
        file: z.string().default('feedfold.log'),
        /** Most bytes of the log file before it is rotated (`feedfold.log.1`, `.2`, …); devices and pipes are never rotated. */
        maxBytes: z.number().int().min(1024).default(10 * 1024 * 1024),
        /** Log files kept, the one written included: the log takes at most about `files` × `maxBytes` on disk. */
        files: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
