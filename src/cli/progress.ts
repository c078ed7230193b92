import { describeProgress } from "../recall/describe.js";
import type { Progress } from "../recall/types.js";

/** How often a terminal's progress line is redrawn. */
const TERMINAL_REFRESH_MS = 250;
const CLEAR_LINE = "\r\u001b[2K";

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressDisplay {
  /** Prints a line of its own, above the progress line on a terminal. */
  print(text: string): void;
  stop(): void;
}

/**
 * Shows a run's progress: on a terminal, one line redrawn in place; elsewhere (a log file, CI), a
 * line every `intervalMs`.
 */
export function showProgress(
  progress: () => Progress,
  out: ProgressOutput,
  intervalMs: number,
): ProgressDisplay {
  const terminal = out.isTTY === true;
  const timer = setInterval(
    () =>
      out.write(
        terminal ? `${CLEAR_LINE}${describeProgress(progress())}` : `${describeProgress(progress())}\n`,
      ),
    terminal ? TERMINAL_REFRESH_MS : intervalMs,
  );
  timer.unref();
  return {
    print: (text) => out.write(`${terminal ? CLEAR_LINE : ""}${text}\n`),
    stop: () => {
      clearInterval(timer);
      if (terminal) out.write(CLEAR_LINE);
    },
  };
}
