import { TimeQueue } from "./time-queue.js";

export const WINDOW_MS = 1000;

/**
 * Counts accepted calls over the last second, per key (SDKAppID and command), the way the service
 * enforces its calls-per-second limit.
 */
export class RateWindow {
  private readonly accepted = new Map<string, TimeQueue>();

  /** Admits one call under `key` at `at` (ms), or returns false when the last second already holds `limit`. */
  admit(key: string, at: number, limit: number): boolean {
    let times = this.accepted.get(key);
    if (!times) this.accepted.set(key, (times = new TimeQueue()));
    times.dropThrough(at - WINDOW_MS);
    if (times.size >= limit) return false;
    times.push(at);
    return true;
  }
}
