/** The part of a logger the limiter writes to. */
export interface WarnSink {
  warn(fields: object, msg: string): void;
}

/** Options of a {@link WarningLimiter}. */
export interface WarningLimiterOptions {
  /** Warnings of one kind written per interval; the rest are counted. */
  perInterval: number;
  intervalMs: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

interface KindState {
  windowStart: number;
  written: number;
  suppressed: number;
  /** The message of the suppressed warnings, named in the summary. */
  msg: string;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Writes at most `perInterval` warnings of one kind per interval and counts the rest, then writes
 * one "suppressed N similar warnings" record when the interval ends, so a client that hammers the
 * server with bad requests cannot fill the disk with the log. A logging failure never escapes.
 */
export class WarningLimiter {
  private readonly kinds = new Map<string, KindState>();
  private readonly now: () => number;

  constructor(
    private readonly sink: WarnSink | undefined,
    private readonly opts: WarningLimiterOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Writes a warning of the given kind, or counts it when the kind has used up its interval. */
  warn(kind: string, fields: object, msg: string): void {
    const now = this.now();
    let state = this.kinds.get(kind);
    if (state !== undefined && now - state.windowStart >= this.opts.intervalMs) {
      this.summarize(kind, state);
      state = undefined;
    }
    if (state === undefined) {
      state = { windowStart: now, written: 0, suppressed: 0, msg, timer: undefined };
      this.kinds.set(kind, state);
    }
    if (state.written < this.opts.perInterval) {
      state.written += 1;
      this.write({ kind, ...fields }, msg);
      return;
    }
    state.suppressed += 1;
    state.msg = msg;
    if (state.timer === undefined) {
      // The summary is written when the interval ends even if no further warning comes to trigger it.
      const current = state;
      current.timer = setTimeout(() => {
        current.timer = undefined;
        if (this.kinds.get(kind) === current) {
          this.summarize(kind, current);
          this.kinds.delete(kind);
        }
      }, Math.max(0, current.windowStart + this.opts.intervalMs - now));
      current.timer.unref();
    }
  }

  /** Writes the summaries still pending (at shutdown) and forgets every count. */
  flush(): void {
    for (const [kind, state] of this.kinds) this.summarize(kind, state);
    this.kinds.clear();
  }

  private summarize(kind: string, state: KindState): void {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    if (state.suppressed === 0) return;
    const seconds = Math.round(this.opts.intervalMs / 1000);
    this.write({ kind, suppressed: state.suppressed, intervalSeconds: seconds }, `suppressed ${state.suppressed} similar warnings ("${state.msg}") in ${seconds} s`);
    state.suppressed = 0;
  }

  private write(fields: object, msg: string): void {
    try {
      this.sink?.warn(fields, msg);
    } catch {
      // A warning is never worth the process: the log destination reports its own failures.
    }
  }
}
