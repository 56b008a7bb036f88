import { z } from 'zod';
import type { Correction } from '../../model/override.js';
import { STORY_FILTERS, type StoryFilter, type StoryListQuery } from '../../model/review.js';
import { RequestError } from './request-guard.js';

/** Longest story or article reference taken (an id, or an article URL). */
const MAX_REF_CHARS = 2048;
/** Most stories one merge folds together. */
const MAX_MERGE_STORIES = 20;
const MAX_QUERY_CHARS = 200;
const MAX_PAGE = 100_000;

const ref = z.string().trim().min(1).max(MAX_REF_CHARS);
const correctionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('split'), article: ref, by: z.string().optional() }).strict(),
  z.object({ action: z.literal('merge'), stories: z.array(ref).min(2).max(MAX_MERGE_STORIES), by: z.string().optional() }).strict(),
  z.object({ action: z.literal('pin'), story: ref, article: ref, by: z.string().optional() }).strict(),
]);
const byName = z.string().trim().min(1).max(64).regex(/^[^\u0000-\u001f<>]+$/, 'no control characters or angle brackets');

/** Formats zod issues as `key: message`. */
function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

/** Validates the body of POST /api/overrides; returns the correction and who made it. */
export function parseCorrection(body: unknown): { correction: Correction; by: string | undefined } {
  const parsed = correctionSchema.safeParse(body);
  if (!parsed.success) throw new RequestError(422, 'invalid-correction', describe(parsed.error));
  const { by, ...correction } = parsed.data;
  if (correction.action === 'merge' && new Set(correction.stories).size !== correction.stories.length) throw new RequestError(422, 'invalid-correction', 'stories: a story is named twice');
  if (by === undefined) return { correction, by: undefined };
  const name = byName.safeParse(by);
  if (!name.success) throw new RequestError(422, 'invalid-correction', `by: ${name.error.issues[0]?.message}`);
  return { correction, by: name.data };
}

/** Validates the query of a story list (`filter`, `source`, `language`, `q`, `page`) of the API or the app. */
export function parseStoryQuery(params: URLSearchParams): StoryListQuery {
  const filters: StoryFilter[] = [];
  const query: StoryListQuery = { filters, page: 1 };
  for (const value of params.getAll('filter').flatMap((v) => v.split(','))) {
    const f = value.trim();
    if (f === '' || f === 'all') continue;
    // `filter=source` and `filter=language` name the filters whose values come in their own parameters.
    if (f === 'source' || f === 'language') continue;
    if (!(STORY_FILTERS as readonly string[]).includes(f)) throw new RequestError(400, 'invalid-query', `filter: unknown filter ${JSON.stringify(f.slice(0, 40))}; one of ${STORY_FILTERS.join(', ')}, source, language`);
    if (!filters.includes(f as StoryFilter)) filters.push(f as StoryFilter);
  }
  const source = params.get('source')?.trim();
  if (source) {
    if (!/^[a-z0-9][a-z0-9._-]{0,199}$/i.test(source)) throw new RequestError(400, 'invalid-query', 'source: not a source id');
    query.source = source;
  }
  const language = params.get('language')?.trim();
  if (language) {
    if (!/^[a-z]{2,3}$/i.test(language)) throw new RequestError(400, 'invalid-query', 'language: a two- or three-letter language code');
    query.language = language.toLowerCase();
  }
  const q = params.get('q')?.trim();
  if (q) {
    if (q.length > MAX_QUERY_CHARS) throw new RequestError(400, 'invalid-query', `q: at most ${MAX_QUERY_CHARS} characters`);
    query.q = q;
  }
  const page = params.get('page');
  if (page !== null && page !== '') {
    const n = Number(page);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw new RequestError(400, 'invalid-query', `page: a whole number from 1 to ${MAX_PAGE}`);
    query.page = n;
  }
  return query;
}
