/** Time as the client and the limiter see it; tests pass a controllable one. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Seconds since the epoch, for UserSig times. */
  epochSeconds(): number;
  /** Resolves after `ms`, or at once when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochSeconds: () => Math.floor(Date.now() / 1000),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};
