import { onAbort } from "../chat/abort.js";
import { LinkedList } from "../chat/linked-list.js";
import type { ChatClient } from "../chat/client.js";

/** Units of work under way at most. */
const MAX_ACTIVE = 1000;

/**
 * Starts units of work (each making its calls through the client) while the limiters have few
 * calls waiting: the limiters decide when a call goes, the pool only keeps them supplied. Units that
 * wait for an answer or a back-off do not hold the others back, and the ramp-up does not wait for
 * the first answers.
 */
export class WorkPool {
  private active = 0;
  /** Units that start once others have ended. */
  private queued = 0;
  /** Whoever waits for a change: the admission of new units, and the drain. */
  private readonly waiters = new LinkedList<() => void>();
  private crash: { error: unknown } | undefined;
  private readonly unwatch: () => void;

  constructor(
    private readonly client: ChatClient,
    private readonly maxActive = MAX_ACTIVE,
  ) {
    this.unwatch = client.onGrant(() => this.wake());
  }

  /** Resolves true when another unit may start, false once `stop` is aborted. */
  async admit(stop: AbortSignal): Promise<boolean> {
    while (!this.admits(stop)) await this.until(() => this.admits(stop), stop);
    if (this.crash) throw this.crash.error;
    return !stop.aborted;
  }

  /** Starts a unit; resolves with its result, or undefined when it crashed (the crash ends the run). */
  async start<T>(unit: () => Promise<T>): Promise<T | undefined> {
    this.active++;
    try {
      return await unit();
    } catch (error) {
      this.crash ??= { error };
      return undefined;
    } finally {
      this.active--;
      this.wake();
    }
  }

  /** Runs `next` (which may start units of its own) once `units` have all ended; `drain` waits for it too. */
  after<T>(units: readonly Promise<T>[], next: (results: T[]) => Promise<unknown>): void {
    this.queued++;
    void Promise.all(units)
      .then(next)
      .catch((error: unknown) => {
        this.crash ??= { error };
      })
      .finally(() => {
        this.queued--;
        this.wake();
      });
  }

  /** Waits for every unit started, or queued to start, to end. */
  async drain(): Promise<void> {
    while (this.active + this.queued > 0) await this.until(() => this.active + this.queued === 0);
    this.unwatch();
    if (this.crash) throw this.crash.error;
  }

  private wake(): void {
    for (const waiter of this.waiters.values()) waiter();
  }

  /** Whether another unit may start now, or need not wait any longer. */
  private admits(stop: AbortSignal): boolean {
    return (
      stop.aborted || this.crash !== undefined || (this.client.wantsMore && this.active < this.maxActive)
    );
  }

  /** Resolves once `ready` says so after a change, or once `stop` is aborted. */
  private until(ready: () => boolean, stop?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        this.waiters.remove(link);
        forget();
        resolve();
      };
      const link = this.waiters.push(() => ready() && end());
      const forget = onAbort(stop, end);
    });
  }
}
