import { z } from 'zod';

const sourceEntry = z
  .object({
    /** Stable id; derived from the location when absent. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore').optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
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

export const configSchema = z
  .object({
    feed: z
      .object({
        id: z.string().min(1).default('tag:feedfold.local,2025:feed'),
        title: z.string().min(1).default('feedfold: merged news'),
        subtitle: z.string().optional(),
        selfUrl: z.url().default('http://127.0.0.1:8080/feed.atom'),
        homeUrl: z.url().optional(),
        author: z.string().min(1).default('feedfold'),
        maxEntries: z.number().int().min(1).max(100_000).default(200),
        maxAgeDays: z.number().min(1).max(3650).default(30),
      })
      .strict()
      .prefault({}),
    sources: z.array(sourceEntry).default([]),
    /** Output folder: feed.atom, report.html, feedfold.db, feedfold.log. */
    out: z.string().min(1).default('../out'),
    overrides: z.string().min(1).default('overrides.yaml'),
    cluster: z
      .object({
        threshold: z.number().min(0).max(1).optional(),
        windowHours: z.number().min(1).max(24 * 365).default(72),
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
        cron: z.string().min(1).default('*/30 * * * *'),
        /** Served as Cache-Control max-age; defaults to the cron interval. */
        maxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
      })
      .strict()
      .prefault({}),
    serve: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** NDJSON log file, relative to `out`; empty for none. */
        file: z.string().default('feedfold.log'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
