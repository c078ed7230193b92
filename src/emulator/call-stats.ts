import { WINDOW_MS } from "./rate-window.js";
import { TimeQueue } from "./time-queue.js";

/** What one command saw since the emulator started or since `resetStats()`. */
export interface CommandStats {
  accepted: number;
  rateLimited: number;
  /** Most accepted calls in any one-second window (sliding, over every app). */
  busiestSecond: number;
  /** performance.now() of the first and last accepted call; null before the first. */
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
}

interface Tally extends CommandStats {
  window: TimeQueue;
}

/** Per-command counts of accepted and rate-limited calls, and the busiest second, kept as calls arrive. */
export class CallStats {
  private tallies = new Map<string, Tally>();

  accepted(command: string, now: number): void {
    const tally = this.tally(command);
    tally.accepted++;
    tally.firstAcceptedAt ??= now;
    tally.lastAcceptedAt = now;
    tally.window.dropThrough(now - WINDOW_MS);
    tally.window.push(now);
    if (tally.window.size > tally.busiestSecond) tally.busiestSecond = tally.window.size;
  }

  rateLimited(command: string): void {
    this.tally(command).rateLimited++;
  }

  snapshot(): Record<string, CommandStats> {
    const result: Record<string, CommandStats> = {};
    for (const [command, { accepted, rateLimited, busiestSecond, firstAcceptedAt, lastAcceptedAt }] of this
      .tallies) {
      result[command] = { accepted, rateLimited, busiestSecond, firstAcceptedAt, lastAcceptedAt };
    }
    return result;
  }

  reset(): void {
    this.tallies = new Map();
  }

  private tally(command: string): Tally {
    let tally = this.tallies.get(command);
    if (!tally) {
      tally = {
        accepted: 0,
        rateLimited: 0,
        busiestSecond: 0,
        firstAcceptedAt: null,
        lastAcceptedAt: null,
        window: new TimeQueue(),
      };
      this.tallies.set(command, tally);
    }
    return tally;
  }
}
