/** A first-in, first-out queue of times (ms) on a growable ring, so that dropping the oldest is O(1). */
export class TimeQueue {
  private ring = new Float64Array(16);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(time: number): void {
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) % this.ring.length] = time;
    this.count++;
  }

  /** Drops every time at or before `cutoff`. */
  dropThrough(cutoff: number): void {
    while (this.count > 0 && this.ring[this.head]! <= cutoff) {
      this.head = (this.head + 1) % this.ring.length;
      this.count--;
    }
  }

  private grow(): void {
    const bigger = new Float64Array(this.ring.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.ring[(this.head + i) % this.ring.length]!;
    this.ring = bigger;
    this.head = 0;
  }
}
