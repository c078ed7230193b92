/** The server counts calls over one second; so does the limiter. */
export const WINDOW_MS = 1000;

/** Event times within the last window, oldest first. */
export class RecentTimes {
  private times: number[] = [];
  private first = 0;

  add(now: number): void {
    this.times.push(now);
    this.forgetBefore(now);
  }

  count(now: number): number {
    this.forgetBefore(now);
    return this.times.length - this.first;
  }

  /** When the oldest event still in the window happened; call `count` first. */
  oldest(): number | undefined {
    return this.times[this.first];
  }

  private forgetBefore(now: number): void {
    while (this.first < this.times.length && this.times[this.first]! + WINDOW_MS <= now) this.first++;
    if (this.first > 1024 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.first = 0;
    }
  }
}
