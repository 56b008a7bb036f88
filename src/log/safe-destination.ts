import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/** How often a write that would block (EAGAIN, a full pipe) is retried before the record is dropped. */
const BUSY_RETRIES = 20;
const BUSY_WAIT_MS = 5;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Where a destination reports its own trouble: once when writes start failing, once when they recover. */
export type TroubleReport = (line: string) => void;

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

/**
 * A synchronous log destination that never throws: a record it cannot write (ENOSPC, EIO, EPIPE,
 * a file that cannot be opened) is dropped and counted, the first failure is reported once, and
 * when writes succeed again a record saying how many were lost goes first. Records are written
 * with one write(2) each, like pino's own sync destination, so they survive a crash of the process.
 */
export class SafeDestination {
  private fd: number | undefined;
  private failing = false;
  private droppedRecords = 0;
  private lastError = '';
  /** A failed write left part of a record behind: the next record starts on a new line. */
  private brokenLine = false;
  /** Failures and recoveries told so far: the first of each, so a disk that keeps filling cannot flood stderr. */
  private toldFailure = false;
  private toldRecovery = false;

  /**
   * Opens `target` (a file, appended to, its folder created) or wraps a descriptor. `report`
   * receives the one-line notices; a destination whose trouble cannot be told anywhere (stderr
   * itself) passes none.
   */
  constructor(
    private readonly target: string | number,
    private readonly report?: TroubleReport,
  ) {
    if (typeof target === 'number') {
      this.fd = target;
      return;
    }
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      this.fd = openSync(target, 'a');
    } catch (err) {
      this.fail(err);
    }
  }

  /** Records dropped since the destination last wrote successfully. */
  get dropped(): number {
    return this.droppedRecords;
  }

  /** Writes one record; on failure drops it and carries on. */
  write(record: string): void {
    if (this.fd === undefined) {
      this.droppedRecords += 1;
      return;
    }
    let bytes = Buffer.from(record, 'utf8');
    if (this.failing) bytes = Buffer.concat([Buffer.from(`${this.brokenLine ? '\n' : ''}${this.lossRecord()}`, 'utf8'), bytes]);
    try {
      this.writeAll(bytes);
    } catch (err) {
      this.fail(err);
      this.droppedRecords += 1;
      return;
    }
    if (this.failing) {
      if (!this.toldRecovery) this.report?.(`feedfold: the ${this.name()} is writable again; ${this.droppedRecords} log records were lost (${this.lastError})`);
      this.toldRecovery = true;
      this.failing = false;
      this.brokenLine = false;
      this.droppedRecords = 0;
    }
  }

  /** Closes a file this destination opened (never a descriptor it was given). */
  close(): void {
    if (typeof this.target === 'string' && this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing can report a delayed write error; there is nothing left to write.
      }
      this.fd = undefined;
    }
  }

  private name(): string {
    return typeof this.target === 'string' ? `log file ${this.target}` : `log descriptor ${this.target}`;
  }

  /** An NDJSON record in pino's shape telling how many records the gap in the log holds. */
  private lossRecord(): string {
    return `${JSON.stringify({ level: 40, time: new Date().toISOString(), name: 'feedfold', stage: 'log', dropped: this.droppedRecords, reason: this.lastError, msg: `log: ${this.droppedRecords} records were lost` })}\n`;
  }

  private fail(err: unknown): void {
    this.lastError = errorCode(err);
    if (this.failing) return;
    this.failing = true;
    if (!this.toldFailure) this.report?.(`feedfold: cannot write the ${this.name()} (${this.lastError}); log records are dropped until it is writable again`);
    this.toldFailure = true;
  }

  private writeAll(bytes: Buffer): void {
    const fd = this.fd as number;
    let offset = 0;
    let busy = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        // A non-blocking pipe (stderr read by a slow parent) answers EAGAIN when full: wait briefly.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || busy >= BUSY_RETRIES) {
          this.brokenLine ||= offset > 0;
          throw err;
        }
        busy += 1;
        Atomics.wait(sleepCell, 0, 0, BUSY_WAIT_MS);
      }
    }
  }
}

/** Writes a notice to stderr, ignoring any failure to do so: the notice is best effort. */
export function reportOnStderr(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // Nowhere left to tell.
  }
}
