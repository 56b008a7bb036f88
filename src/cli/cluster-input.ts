import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { FeedfoldError } from '../model/errors.js';

/** One input line of `feedfold cluster` (other keys are kept as they are). */
export interface ClusterInput {
  id: string;
  title: string;
  text?: string;
  html?: string;
  url?: string;
  published?: string | number;
  source?: string;
  lang?: string;
  [key: string]: unknown;
}

/** Builds the schema of a line with zod's `z`. */
function schemaWith(z: typeof import('zod').z) {
  return z
    .object({
      id: z.union([z.string().min(1), z.number()]).transform(String),
      title: z.string(),
      text: z.string().optional(),
      html: z.string().optional(),
      url: z.string().optional(),
      published: z.union([z.string(), z.number()]).optional(),
      source: z.string().optional(),
      lang: z.string().optional(),
    })
    .passthrough();
}

let lineSchema: ReturnType<typeof schemaWith> | undefined;

/**
 * Returns the schema of a line, which names what is wrong with a bad one. Made when the first bad line is met: a
 * well-formed line is read without it (see wellFormed), and loading zod cost a tenth of a second at every start.
 */
function schema(): ReturnType<typeof schemaWith> {
  lineSchema ??= schemaWith((createRequire(import.meta.url)('zod') as typeof import('zod')).z);
  return lineSchema;
}

/** The optional string fields of a line. */
const OPTIONAL_STRINGS = ['text', 'html', 'url', 'source', 'lang'] as const;

/**
 * Reads a parsed line that the schema accepts, as the schema reads it (the id as a string, other keys kept), without
 * the schema's cost: a check of each field's type and the id made a string in place. Undefined for anything else, which
 * the schema then reads to name what is wrong.
 */
function wellFormed(data: unknown): ClusterInput | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const line = data as Record<string, unknown>;
  const id = line.id;
  if (!((typeof id === 'string' && id !== '') || typeof id === 'number') || typeof line.title !== 'string') return undefined;
  for (const key of OPTIONAL_STRINGS) if (line[key] !== undefined && typeof line[key] !== 'string') return undefined;
  const published = line.published;
  if (published !== undefined && typeof published !== 'string' && typeof published !== 'number') return undefined;
  line.id = String(id);
  return line as ClusterInput;
}

/** Reads one non-blank input line; `where` names it in the error (`FILE:LINE`). */
export function parseClusterLine(line: string, where: string): ClusterInput {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (err) {
    throw new FeedfoldError('cluster', 'invalid-input', `${where}: not JSON: ${(err as Error).message}`);
  }
  const input = wellFormed(data);
  if (input !== undefined) return input;
  const parsed = schema().safeParse(data);
  if (!parsed.success) {
    throw new FeedfoldError('cluster', 'invalid-input', `${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * Reads JSON Lines in input order, one article per line (blank lines skipped but counted); a bad line stops with
 * `label:LINE`. Lines end at LF, CRLF or a lone CR, as readline splits them.
 */
export async function* readClusterLines(input: Readable, label: string): AsyncGenerator<ClusterInput> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    yield parseClusterLine(line, `${label}:${lineNo}`);
  }
}

/** Reads a whole JSON Lines file (`-`: stdin) into memory; a bad line stops with its line number. */
export async function readClusterInput(file: string): Promise<ClusterInput[]> {
  const out: ClusterInput[] = [];
  for await (const input of readClusterLines(file === '-' ? process.stdin : createReadStream(file), file)) out.push(input);
  return out;
}
