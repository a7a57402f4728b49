/**
 * A waiting indicator: an animated line on a terminal, one plain line otherwise (a log file or a
 * pipe must not fill with carriage returns).
 */
import type { WriteStream } from "node:tty";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A running spinner. */
export interface Spinner {
  /** Changes the text (printed as a new line when not animated). */
  update(text: string): void;
  /** Stops and clears the line; restores the cursor. Safe to call twice. */
  stop(): void;
}

type Output = Pick<WriteStream, "write"> & { isTTY?: boolean };

/**
 * Starts a spinner on `out` (default stdout): animated only when `out` is a terminal and
 * `TERM` is not `dumb`.
 *
 * @example
 * const spinner = startSpinner("Waiting for approval…");
 * try { await work(); } finally { spinner.stop(); }
 */
export function startSpinner(text: string, out: Output = process.stdout, env: Readonly<Record<string, string | undefined>> = process.env): Spinner {
  if (out.isTTY !== true || env["TERM"] === "dumb") {
    let last = text;
    out.write(`${text}\n`);
    return {
      update(next) {
        if (next !== last) out.write(`${next}\n`);
        last = next;
      },
      stop() {},
    };
  }
  let frame = 0;
  let current = text;
  let running = true;
  const draw = () => out.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length] ?? ""} ${current}`);
  out.write("\x1b[?25l"); // hide the cursor while animating
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    update(next) {
      current = next;
      draw();
    },
    stop() {
      if (!running) return;
      running = false;
      clearInterval(timer);
      out.write("\r\x1b[2K\x1b[?25h");
    },
  };
}
