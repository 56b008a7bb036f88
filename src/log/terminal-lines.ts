/** The parts of a pino record that a terminal line shows. */
interface TerminalRecord {
  level?: number;
  msg?: string;
  /** The source's title, when the record is about a source. */
  title?: string;
  /** The source's address: named when it has no title. */
  location?: string;
  /** The source's id: named when it has neither. */
  source?: string;
  err?: { kind?: string };
}

const LEVEL_WORDS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/**
 * One NDJSON log record as one line for people: `feedfold: warning: Harbor Gazette [fetch.timeout]: source failed: …`,
 * the source named by its title (else its address, else its id) and the error by its kind. The log file keeps the whole record.
 */
export function terminalLine(ndjson: string): string {
  let record: TerminalRecord;
  try {
    record = JSON.parse(ndjson) as TerminalRecord;
  } catch {
    return `feedfold: ${ndjson.trimEnd()}`;
  }
  const level = LEVEL_WORDS[record.level ?? 30] ?? 'log';
  const subject = record.title ?? record.location ?? record.source;
  const kind = record.err?.kind;
  const about = subject === undefined ? (kind === undefined ? '' : `[${kind}]: `) : `${subject}${kind === undefined ? '' : ` [${kind}]`}: `;
  return `feedfold: ${level}: ${about}${(record.msg ?? '').replace(/\s+/g, ' ')}`;
}

/**
 * A pino destination that writes each record through {@link terminalLine} to another destination (stderr). On a
 * terminal each line first erases the line the cursor is on, so a record lands over a run's progress line (which is
 * redrawn below it), not after it.
 */
export class TerminalLines {
  constructor(
    private readonly destination: { write(line: string): void },
    private readonly terminal = false,
  ) {}

  write(record: string): void {
    this.destination.write(`${this.terminal ? '\r\x1b[K' : ''}${terminalLine(record)}\n`);
  }
}
