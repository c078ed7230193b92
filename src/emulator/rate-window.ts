/**
 * Counts accepted calls over the last second, per key (SDKAppID and command), the way the service
 * enforces its calls-per-second limit.
 */
export class RateWindow {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    private readonly limitPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Admits one call under `key`, or returns false when the last second already holds the limit. */
  admit(key: string): boolean {
    const now = this.now();
    let times = this.accepted.get(key);
    if (!times) this.accepted.set(key, (times = []));
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - 1000) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= this.limitPerSecond) return false;
    times.push(now);
    return true;
  }
}
