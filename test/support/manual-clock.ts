import { onAbort } from "../../src/chat/abort.js";
import type { Clock } from "../../src/chat/clock.js";

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when told to, firing sleepers in time order. */
export class ManualClock implements Clock {
  private time = 0;
  /** The real time at the start, so that what the clock signs is judged alike by a server on real time. */
  private readonly startSeconds = Math.floor(Date.now() / 1000);
  private sleepers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  epochSeconds(): number {
    return this.startSeconds + Math.floor(this.time / 1000);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = {
        at: this.time + Math.max(0, ms),
        wake: () => {
          forget();
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      const forget = onAbort(signal, () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
    });
  }

  /** No time passes between turns: what waits for the next one goes on at once, at the same time. */
  nextTurn(): Promise<void> {
    return Promise.resolve();
  }

  /** Moves to `until`, waking each sleeper at its time and letting what it starts run. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await settle();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > until) break;
      this.sleepers.shift();
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
    this.time = Math.max(this.time, until);
    await settle();
  }

  /**
   * Runs until `done` holds: moves straight to each wake-up, so that waiting costs no real time, and
   * while nothing sleeps gives real I/O `pauseMs` at a time. Fails rather than move past `limit`.
   */
  async runUntil(done: () => boolean, limit: number, pauseMs = 1): Promise<void> {
    for (;;) {
      await settle();
      if (done()) return;
      const next = Math.min(...this.sleepers.map((s) => s.at));
      if (next > limit && next !== Infinity)
        throw new Error(`still not done when the clock passed ${limit} ms`);
      if (next === Infinity) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      else await this.advanceTo(next);
    }
  }

  /** Advances until `done` holds, at most to `limit`; with `pauseMs`, real I/O gets that long between steps. */
  async advanceUntil(done: () => boolean, limit: number, stepMs = 50, pauseMs = 0): Promise<void> {
    while (!done() && this.time < limit) {
      await this.advanceTo(this.time + stepMs);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
