/**
 * Progress on stderr: on a terminal, one line redrawn in place at most every 200 ms; elsewhere,
 * optionally a plain line at most every second (for logs); otherwise silent. Messages printed
 * meanwhile (`log`) clear the line first so they do not mix with it.
 */
import type { Writable } from 'node:stream';

/** How progress is shown. */
export type ProgressMode = 'tty' | 'lines' | 'off';

/** The mode a command shows progress in: off with `--no-progress`, redrawn on a terminal, else periodic lines. */
export function progressModeFor(noProgress: boolean, stream: { readonly isTTY?: boolean }): ProgressMode {
  return noProgress ? 'off' : stream.isTTY ? 'tty' : 'lines';
}

/** The redraw period of the terminal line, in ms. */
export const TTY_REDRAW_MS = 200;
/** The period of plain progress lines, in ms. */
export const LINE_PERIOD_MS = 1_000;

const CLEAR_LINE = '\r\x1b[2K';

/** Shows a progress line built by `render()` on `stream`, in the given mode, until `stop()`. */
export class ProgressReporter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown = '';

  constructor(
    private readonly stream: Writable & { columns?: number },
    private readonly mode: ProgressMode,
    private readonly render: () => string,
  ) {}

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.mode === 'off' || this.timer) return;
    this.timer = setInterval(() => this.draw(), this.mode === 'tty' ? TTY_REDRAW_MS : LINE_PERIOD_MS);
    this.timer.unref();
  }

  /** Prints a message on its own line without garbling the progress line. */
  log(message: string): void {
    if (this.mode === 'tty' && this.shown) {
      this.stream.write(`${CLEAR_LINE}${message}\n${this.shown}`);
    } else {
      this.stream.write(`${message}\n`);
    }
  }

  /** Stops the timer and removes the terminal line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'tty' && this.shown) this.stream.write(CLEAR_LINE);
    this.shown = '';
  }

  private draw(): void {
    const text = this.render();
    if (this.mode === 'tty') {
      const width = this.stream.columns ? this.stream.columns - 1 : text.length;
      const line = text.slice(0, Math.max(10, width));
      if (line !== this.shown) this.stream.write(`${CLEAR_LINE}${line}`);
      this.shown = line;
    } else {
      this.stream.write(`${text}\n`);
    }
  }
}
