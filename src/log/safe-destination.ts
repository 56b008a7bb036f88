import { closeSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** How often a write that would block (EAGAIN, a full pipe) is retried before the record is dropped. */
const BUSY_RETRIES = 20;
const BUSY_WAIT_MS = 5;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Most characters of records a destination gathers (see gatherWrites) before it writes them anyway. */
const GATHER_MAX_CHARS = 1 << 20;
/** How deep gatherWrites calls are nested, and the destinations holding records gathered meanwhile. */
let gatherDepth = 0;
const gathering = new Set<SafeDestination>();

/**
 * Runs `fn`, which must be synchronous, with the records every SafeDestination is given meanwhile gathered rather than
 * written one write(2) each, then writes each destination's in as few writes as its rotation allows (a write per
 * megabyte of records at most, and a file rotates before the record that would take it past its size, as always).
 * Failures are handled as for single records (the records of a write that fails are dropped and counted). For a run of
 * records whose work is not yet stored either (a clustering batch's decisions, written before the batch commits), so
 * that a crash in between loses no record of anything kept: 10,000 records in a few dozen writes instead of 10,000.
 */
export function gatherWrites<T>(fn: () => T): T {
  gatherDepth += 1;
  try {
    return fn();
  } finally {
    gatherDepth -= 1;
    if (gatherDepth === 0) {
      for (const destination of gathering) destination.writeGathered();
      gathering.clear();
    }
  }
}

/** Where a destination reports its own trouble: once when writes start failing, once when they recover. */
export type TroubleReport = (line: string) => void;

/** Size-based rotation of a log file: `feedfold.log` is renamed `feedfold.log.1`, `.1` becomes `.2`, and so on. */
export interface Rotation {
  /** Most bytes of one file: a record that would take it past this starts a new file (a longer record gets a file of its own). */
  maxBytes: number;
  /** Files kept, the one written included: the oldest is deleted when a new one starts. */
  files: number;
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

/**
 * A synchronous log destination that never throws: a record it cannot write (ENOSPC, EIO, EPIPE,
 * a file that cannot be opened) is dropped and counted, the first failure is reported once, and
 * when writes succeed again a record saying how many were lost goes first. Records are written
 * with one write(2) each, like pino's own sync destination, so they survive a crash of the process; only records
 * given inside gatherWrites, about work not yet stored, wait for the end of it.
 *
 * With a `rotation`, a regular file is rotated by size before the record that would take it past
 * `rotation.maxBytes`, so every file holds whole NDJSON lines and the log takes at most `files`
 * files on disk; devices, pipes and descriptors are never rotated. Rotation is done here rather than
 * with pino-roll 4.0.0, which cannot keep these guarantees: it never writes the configured name (the
 * file is `feedfold.1.log`, and `log.file: /dev/full` becomes a regular file `/dev/full.1.log` that
 * fills the disk); in sync mode it rotates only on a `drain` emitted on a later tick, so records
 * written in one go overshoot the size (50 records of 100 bytes against `size: 1k`: one 4,390-byte
 * file); its factory is async (the logger is created synchronously); and sonic-boom, under it, keeps
 * the bytes of a failed write buffered to retry them instead of dropping and counting the record
 * (10,000 records on /dev/full: 898,890 bytes held in memory, growing with every record).
 * A rename or an open that fails during rotation is a failure like a write's: the record is dropped
 * and counted, and the rotation is tried again with the next record.
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
  /** Bytes in the open file when it is a regular file and is rotated; undefined when it is not rotated. */
  private size: number | undefined;

  /**
   * Opens `target` (a file, appended to, its folder created) or wraps a descriptor. `report`
   * receives the one-line notices; a destination whose trouble cannot be told anywhere (stderr
   * itself) passes none.
   */
  constructor(
    private readonly target: string | number,
    private readonly report?: TroubleReport,
    private readonly rotation?: Rotation,
  ) {
    if (typeof target === 'number') this.fd = target;
    else this.open(target);
  }

  /** Records dropped since the destination last wrote successfully. */
  get dropped(): number {
    return this.droppedRecords;
  }

  /** Records given while writes are gathered (see gatherWrites), and their characters. */
  private gathered: string[] = [];
  private gatheredChars = 0;

  /** Writes one record (or gathers it, see gatherWrites); on failure drops it and carries on. */
  write(record: string): void {
    if (gatherDepth === 0) {
      this.writeRecords(record, 1);
      return;
    }
    if (this.gathered.length === 0) gathering.add(this);
    this.gathered.push(record);
    this.gatheredChars += record.length;
    if (this.gatheredChars >= GATHER_MAX_CHARS) this.writeGathered();
  }

  /**
   * Writes the records gathered, consecutive ones together: a write ends before a record that rotates the file (one
   * written alone would have rotated it), so every file still ends on the record before the one that would take it
   * past its size.
   */
  writeGathered(): void {
    const records = this.gathered;
    this.gathered = [];
    this.gatheredChars = 0;
    const maxBytes = this.rotation?.maxBytes;
    // The file's size as each record would find it, written alone.
    let size = this.size;
    let chunk = '';
    let count = 0;
    for (const record of records) {
      const bytes = Buffer.byteLength(record, 'utf8');
      const rotates = maxBytes !== undefined && size !== undefined && size > 0 && size + bytes > maxBytes;
      if (rotates && count > 0) {
        this.writeRecords(chunk, count);
        chunk = '';
        count = 0;
      }
      if (size !== undefined) size = (rotates ? 0 : size) + bytes;
      chunk += record;
      count += 1;
    }
    if (count > 0) this.writeRecords(chunk, count);
  }

  /** Writes `count` whole records (`text`) in one write; on failure drops them and carries on. */
  private writeRecords(text: string, count: number): void {
    // A rotation that failed after closing the file: open the name again (and retry the rotation).
    if (this.fd === undefined && typeof this.target === 'string' && this.failing && this.size !== undefined) this.open(this.target);
    if (this.fd === undefined) {
      this.droppedRecords += count;
      return;
    }
    let bytes = this.bytesOf(text);
    try {
      if (this.rotation && this.size !== undefined && this.size > 0 && this.size + bytes.length > this.rotation.maxBytes) {
        this.rotate();
        bytes = this.bytesOf(text);
      }
      this.writeAll(bytes);
    } catch (err) {
      this.fail(err);
      this.droppedRecords += count;
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

  /** The bytes to write for `records`: after a failure, first a new line if one was cut short, and the loss record. */
  private bytesOf(records: string): Buffer {
    const bytes = Buffer.from(records, 'utf8');
    if (!this.failing) return bytes;
    return Buffer.concat([Buffer.from(`${this.brokenLine ? '\n' : ''}${this.lossRecord()}`, 'utf8'), bytes]);
  }

  /** Opens the file, appended to, its folder created; notes its size when it is a regular file to rotate. */
  private open(file: string): void {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.fd = openSync(file, 'a');
      const stat = fstatSync(this.fd);
      this.size = this.rotation && stat.isFile() ? stat.size : undefined;
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Starts a new file: drops the oldest kept file, shifts the others up by one, reopens the name.
   * Throws when a rename or the open fails; a file already shifted is not lost (the next try shifts on).
   */
  private rotate(): void {
    const file = this.target as string;
    const files = (this.rotation as Rotation).files;
    const kept = (i: number): string => (i === 0 ? file : `${file}.${i}`);
    const fd = this.fd as number;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // A delayed write error of the old file: its records are already counted or written.
    }
    try {
      unlinkSync(kept(files - 1));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (let i = files - 1; i > 0; i -= 1) {
      try {
        renameSync(kept(i - 1), kept(i));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    this.fd = openSync(file, 'a');
    this.size = 0;
    this.brokenLine = false;
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
        const written = writeSync(fd, bytes, offset, bytes.length - offset);
        offset += written;
        if (this.size !== undefined) this.size += written;
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
