/**
 * A progress bar on stderr (stdout stays clean for tables and JSON).
 *
 * On a TTY it redraws one line in place (at most ~10 times a second); otherwise (CI logs, pipes)
 * it prints a full line every `everyPercent` percent, so logs stay short but show life.
 *
 *   const bar = new Progress(total, { label: 'eval Set5 x3' });
 *   for (...) { ...; bar.tick(1, `PSNR ${psnr.toFixed(2)}`); }
 *   bar.done();
 */

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  label?: string;
  /** Where to draw; default process.stderr. */
  stream?: ProgressStream;
  /** Force TTY (redraw) or line mode; default: the stream's isTTY. */
  tty?: boolean;
  /** Line mode: print a line each time this many percent have passed. Default 10. */
  everyPercent?: number;
  /** Bar width in characters (TTY mode). Default 24. */
  width?: number;
  /** Clock in ms, for tests. Default Date.now. */
  now?: () => number;
}

/** '1h02m', '3m05s', '42s' — short and fixed-ish width. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private doneCount = 0;
  private suffix = '';
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastLinePercent = -1;
  private lastLineDone = -1;
  private finished = false;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(
    private total: number,
    private readonly opts: ProgressOptions = {},
  ) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? Boolean(this.stream.isTTY);
    this.now = opts.now ?? Date.now;
    this.start = this.now();
  }

  /** Advance by n steps and optionally replace the free-text suffix. */
  tick(n = 1, suffix?: string): void {
    this.update(this.doneCount + n, suffix);
  }

  /** Set the absolute number of steps done. */
  update(done: number, suffix?: string): void {
    this.doneCount = Math.min(done, this.total);
    if (suffix !== undefined) this.suffix = suffix;
    this.draw(false);
  }

  /** Change the total (e.g. when it becomes known late). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Finish: draw the final state and end the line. */
  done(suffix?: string): void {
    if (this.finished) return;
    if (suffix !== undefined && suffix !== this.suffix) {
      this.suffix = suffix;
      this.lastLineDone = -1; // new text: show it even if 100% was already printed
    }
    this.doneCount = this.total;
    this.draw(true);
    this.finished = true;
  }

  /** The current line, without control characters (also used by tests). */
  render(): string {
    const elapsed = (this.now() - this.start) / 1000;
    const frac = this.total > 0 ? this.doneCount / this.total : 1;
    const pct = `${Math.floor(frac * 100)}`.padStart(3) + '%';
    let time: string;
    if (this.doneCount >= this.total) time = `in ${formatDuration(elapsed)}`;
    else if (this.doneCount === 0) time = 'ETA ?';
    else time = `ETA ${formatDuration((elapsed / this.doneCount) * (this.total - this.doneCount))}`;
    const label = this.opts.label ? this.opts.label + ' ' : '';
    const count = `${this.doneCount}/${this.total}`;
    let bar = '';
    if (this.tty) {
      const w = this.opts.width ?? 24;
      const filled = Math.round(frac * w);
      bar = '[' + '#'.repeat(filled) + '-'.repeat(w - filled) + '] ';
    }
    const suffix = this.suffix ? ' ' + this.suffix : '';
    return `${label}${bar}${pct} ${count} ${time}${suffix}`;
  }

  private draw(final: boolean): void {
    if (this.finished) return;
    if (this.tty) {
      const t = this.now();
      if (!final && t - this.lastDraw < 100) return;
      this.lastDraw = t;
      let line = this.render();
      const cols = this.stream.columns;
      if (cols && line.length >= cols) line = line.slice(0, cols - 1);
      // \r + clear-line: redraw in place without leaving fragments of a longer previous line.
      this.stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      return;
    }
    const step = this.opts.everyPercent ?? 10;
    const pct = this.total > 0 ? (this.doneCount / this.total) * 100 : 100;
    const bucket = Math.floor(pct / step);
    // The final line is skipped when the 100% line was just printed with the same count.
    if ((final && this.lastLineDone !== this.doneCount) || bucket > this.lastLinePercent) {
      this.lastLinePercent = bucket;
      this.lastLineDone = this.doneCount;
      this.stream.write(this.render() + '\n');
    }
  }
}
