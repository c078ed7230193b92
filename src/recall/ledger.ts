import type { CallSignals } from "../chat/client.js";
import type { Clock } from "../chat/clock.js";
import { ChatApiError, NO_ANSWER, NOT_ATTEMPTED } from "../chat/errors.js";
import { describeFailure } from "./describe.js";
import { hadNothing, notAttempted, resultOf, type ResultDetail } from "./result.js";
import type { Connection } from "./settings.js";
import { stopCauseOf } from "./stop.js";
import type {
  Counts,
  MessageCounts,
  Pair,
  RecallSummary,
  ResultEvent,
  SessionEvents,
  StopCause,
} from "./types.js";

export function pairsDone({ recalled, failed, skipped, notAttempted, dryRun }: Counts): number {
  return recalled + failed + skipped + notAttempted + dryRun;
}

/**
 * The books of one run: each pair's outcome, recorded once and counted, the messages counted, the
 * first failure, and the stop. A failure that concerns the whole app, the fifth call in a row with no
 * answer, or a minute of nothing but "rate limited", stops the run: no call starts after it, and the
 * pairs left end as not attempted.
 */
export class Ledger {
  private readonly counts: Counts = { recalled: 0, failed: 0, skipped: 0, notAttempted: 0, dryRun: 0 };
  private readonly messages: MessageCounts = {
    matchedMessages: 0,
    recalledMessages: 0,
    remainingMessages: 0,
    nothingToRecall: 0,
  };
  private firstFailure: ResultEvent | undefined;
  private stopCause: StopCause | undefined;
  private noAnswerStreak = 0;
  /** When the last answer came that was not "rate limited". */
  private answeredAt: number;
  private readonly stopSending = new AbortController();
  private readonly cutInFlight = new AbortController();
  private graceTimer: NodeJS.Timeout | undefined;
  /** What every call of the run listens to: the stop, and the cut of calls in flight. */
  readonly signals: CallSignals = { stop: this.stopSending.signal, abort: this.cutInFlight.signal };

  constructor(
    private readonly connection: Connection,
    private readonly events: SessionEvents,
    private readonly clock: Clock,
  ) {
    this.answeredAt = clock.now();
  }

  /** Aborted once the run stops starting calls. */
  get stopped(): AbortSignal {
    return this.stopSending.signal;
  }

  get done(): number {
    return pairsDone(this.counts);
  }

  get tally(): Counts {
    return { ...this.counts };
  }

  /** A call was answered: the streaks of calls without an answer, or with only "rate limited", are over. */
  answered(): void {
    this.noAnswerStreak = 0;
    this.answeredAt = this.clock.now();
  }

  /** Ends a pair with the result given. */
  record(event: ResultEvent): void {
    const { outcome, messages, remaining } = event.result;
    if (outcome === "recalled") this.counts.recalled++;
    else if (outcome === "failed") this.counts.failed++;
    else if (outcome === "skipped") this.counts.skipped++;
    else if (outcome === "dry-run") this.counts.dryRun++;
    else this.counts.notAttempted++;
    if (outcome === "dry-run") this.messages.matchedMessages += messages ?? 0;
    else this.messages.recalledMessages += messages ?? 0;
    this.messages.remainingMessages += remaining ?? 0;
    if (hadNothing(event.result)) this.messages.nothingToRecall++;
    if (outcome === "failed" || outcome === "not-attempted") this.firstFailure ??= event;
    this.events.result?.(event);
  }

  /**
   * Ends a pair as failed, and stops the run when the failure says every other call would fail too.
   * A call the run stopped before sending ends the pair as not attempted, unless part of its recall
   * was done already.
   */
  recordFailure(
    pair: Pair,
    error: ChatApiError,
    extra: Partial<ResultDetail> = {},
    partlyDone = false,
  ): void {
    if (error.code === NOT_ATTEMPTED && !error.fromServer && !partlyDone)
      return this.recordNotAttempted(pair);
    const noAnswer = error.code === NO_ANSWER && !error.fromServer && !error.rateLimited;
    this.noAnswerStreak = noAnswer ? this.noAnswerStreak + 1 : 0;
    if (error.fromServer && !error.rateLimited) this.answeredAt = this.clock.now();
    const result = resultOf(pair, "failed", {
      code: error.code,
      info: error.info,
      fromServer: error.fromServer,
      attempts: error.attempts,
      ...extra,
    });
    const streaks = { noAnswer: this.noAnswerStreak, onlyRateLimitedMs: this.clock.now() - this.answeredAt };
    const cause = stopCauseOf(error, streaks, this.connection);
    if (cause) this.stop(cause);
    this.record({
      result,
      message: describeFailure(result, error.fromServer),
      ...(cause ? { appWide: true } : {}),
    });
  }

  /** Ends a pair the run stopped before. */
  recordNotAttempted(pair: Pair): void {
    const why =
      this.stopCause?.reason === "cancelled"
        ? "the run was cancelled first"
        : `the run stopped first: ${this.stopCause?.message ?? "stopped"}`;
    const result = notAttempted(pair, why);
    this.record({ result, message: describeFailure(result, false) });
  }

  /** Stops starting calls, for the first cause given; the front door hears of it once. */
  stop(cause: StopCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.stopSending.abort();
    this.events.stopped?.(cause);
  }

  /** Stops starting calls; calls in flight may finish within `graceMs`, then are cut. */
  cancel(graceMs: number): void {
    this.stop({ reason: "cancelled", message: "The run was cancelled." });
    clearTimeout(this.graceTimer);
    if (graceMs <= 0) this.cutInFlight.abort();
    else this.graceTimer = setTimeout(() => this.cutInFlight.abort(), graceMs);
  }

  /** The run's end, once every pair has its outcome. */
  close(): RecallSummary {
    clearTimeout(this.graceTimer);
    return {
      ...this.counts,
      ...this.messages,
      total: this.done,
      ...(this.firstFailure ? { firstFailure: this.firstFailure } : {}),
      ...(this.stopCause ? { stopCause: this.stopCause } : {}),
    };
  }
}
