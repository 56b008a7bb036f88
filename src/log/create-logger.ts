import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type * as PinoModule from 'pino';
import { reportOnStderr, SafeDestination, type Rotation } from './safe-destination.js';
import { TerminalLines } from './terminal-lines.js';

export type { Logger } from 'pino';

// A CommonJS package, required as such (see sanitize-html.ts): no ES module wrapper, whose exports Node.js finds by
// lexing the package's source, in the process and in every parse worker.
const { pino } = createRequire(import.meta.url)('pino') as typeof PinoModule;

/** Options of the root logger. */
export interface LoggerOptions {
  level: string;
  /** NDJSON file to append every record to. */
  file?: string;
  /** Size-based rotation of `file` (see SafeDestination); none: the file grows. */
  rotation?: Rotation;
  /** Also write records at or above this level to stderr, one line each for people (a terminal, cron mail). */
  stderrLevel?: string;
}

/**
 * Creates the one root pino logger: NDJSON to the log file at `level`, and warnings and errors to
 * stderr as readable lines (see terminalLine). Stages get `logger.child({ stage })`. Logging never throws: a log file that cannot be
 * opened or written (a full disk, EIO) loses records, says so once on stderr, and the process
 * carries on.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const streams: PinoModule.StreamEntry[] = [];
  if (opts.file) {
    streams.push({ level: opts.level as PinoModule.Level, stream: new SafeDestination(opts.file, reportOnStderr, opts.rotation) });
  }
  if (opts.stderrLevel && opts.stderrLevel !== 'silent') {
    streams.push({ level: opts.stderrLevel as PinoModule.Level, stream: new TerminalLines(new SafeDestination(2), process.stderr.isTTY === true) });
  }
  if (streams.length === 0 || opts.level === 'silent') return pino({ level: 'silent' });
  const levels = streams.map((s) => pino.levels.values[s.level as string] ?? 30);
  const lowest = pino.levels.labels[Math.min(...levels)] ?? 'info';
  return pino({ level: lowest, base: { name: 'feedfold' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
}
