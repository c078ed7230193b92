/** The server counts calls over one second; so does the limiter. */
export const WINDOW_MS = 1000;

/** Event times within the last window, oldest first; an event can be taken back. */
export class RecentTimes {
  private times: number[] = [];
  /** Which events were taken back, by index in `times`. */
  private takenBack: boolean[] = [];
  private first = 0;
  /** Events taken back from `first` on. */
  private takenBackCount = 0;

  add(now: number): void {
    this.times.push(now);
    this.takenBack.push(false);
    this.forgetBefore(now);
  }

  count(now: number): number {
    this.forgetBefore(now);
    return this.times.length - this.first - this.takenBackCount;
  }

  /** When the oldest event still in the window happened; call `count` first. */
  oldest(): number | undefined {
    return this.times[this.first];
  }

  /** Takes back one event that happened at `at`, when one is still in the window. */
  takeBack(at: number): void {
    let low = this.first;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle]! < at) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < this.times.length && this.times[i] === at; i++) {
      if (this.takenBack[i]) continue;
      this.takenBack[i] = true;
      this.takenBackCount++;
      this.skipTakenBack();
      return;
    }
  }

  private forgetBefore(now: number): void {
    while (this.first < this.times.length && this.times[this.first]! + WINDOW_MS <= now) {
      if (this.takenBack[this.first]) this.takenBackCount--;
      this.first++;
    }
    this.skipTakenBack();
    if (this.first > 1024 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.takenBack = this.takenBack.slice(this.first);
      this.first = 0;
    }
  }

  private skipTakenBack(): void {
    while (this.first < this.times.length && this.takenBack[this.first]) {
      this.takenBackCount--;
      this.first++;
    }
  }
}
