/** Timed waits that all stop (never resolving) when the emulator closes. */
export class Sleeper {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Resolves after `ms`; Infinity waits until the process or the emulator ends. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    if (ms === Infinity) return new Promise(() => {});
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  cancelAll(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }
}
