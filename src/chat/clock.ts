import { onAbort } from "./abort.js";

/** Time as the client and the limiter see it; tests pass a controllable one. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Seconds since the epoch, for UserSig times. */
  epochSeconds(): number;
  /** Resolves after `ms`, or at once when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Resolves in the next turn of the event loop, once the I/O that came meanwhile was handled. */
  nextTurn(): Promise<void>;
}

export const systemClock: Clock = {
  // process.hrtime, not performance.now(): the global `performance` loads perf_hooks at first use.
  now: () => Number(process.hrtime.bigint()) / 1e6,
  epochSeconds: () => Math.floor(Date.now() / 1000),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        forget();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const forget = onAbort(signal, done);
    }),
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
};
