import type { RunProgress } from '../model/run.js';

/** Least time between two redraws of the line, so that a run of thousands of fast sources does not flood the terminal. */
const REDRAW_MS = 100;

/** The text of the progress line. */
export function progressText(p: RunProgress, elapsedMs: number): string {
  const elapsed = `${(elapsedMs / 1000).toFixed(0)} s`;
  const read = `${p.sourcesDone}/${p.sourcesTotal} sources, ${p.articles} articles`;
  if (p.stage === 'read') return `feedfold: reading ${read}, ${elapsed}`;
  return `feedfold: ${p.stage === 'cluster' ? 'clustering' : 'publishing'} (${read}), ${elapsed}`;
}

/**
 * One line on a terminal that a long run keeps redrawing (sources done out of all, articles, elapsed time), and that
 * is erased when the run ends, so the summary and warnings print as usual. For a TTY only: a log or a pipe gets none.
 */
export class ProgressLine {
  private lastDraw = -Infinity;
  private lastStage: RunProgress['stage'] | undefined;
  private shown = false;

  constructor(
    private readonly stream: { write(s: string): boolean },
    private readonly clock: () => number = () => performance.now(),
    private readonly started = clock(),
  ) {}

  /** Redraws the line, at most every REDRAW_MS unless the stage changed. */
  update(p: RunProgress): void {
    const now = this.clock();
    if (p.stage === this.lastStage && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.lastStage = p.stage;
    this.shown = true;
    // Carriage return and erase-to-end-of-line (ECMA-48 EL): the line is redrawn in place.
    this.stream.write(`\r\x1b[K${progressText(p, now - this.started)}`);
  }

  /** Erases the line, if one was drawn. */
  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
