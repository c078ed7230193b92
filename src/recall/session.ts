import { ChatClient, type RetryEvent } from "../chat/client.js";
import { systemClock, type Clock } from "../chat/clock.js";
import { ChatApiError, NO_ANSWER, NOT_ATTEMPTED } from "../chat/errors.js";
import { Secrets } from "../chat/secrets.js";
import { pairsOf, type Pair } from "./plan.js";
import { WorkPool } from "./pool.js";
import { describeFailure, notAttempted, resultOf, type PairResult } from "./result.js";
import type { RecallSettings } from "./settings.js";
import { stopCauseOf, type StopCause } from "./stop.js";

export const RECALL_COMMAND = "group_open_http_svc/delete_group_msg_by_sender";

/** How long calls in flight may still finish after a cancellation. */
export const CANCEL_GRACE_MS = 3000;

export interface ResultEvent {
  result: PairResult;
  /** For a pair that did not end well: one line saying what happened. */
  message?: string;
  /** The failure concerns the whole app; the stop cause says it once. */
  appWide?: boolean;
}

/** What a session tells its front door as it goes. */
export interface SessionEvents {
  result?(event: ResultEvent): void;
  retry?(event: RetryEvent): void;
  warning?(message: string): void;
  /** The run stopped starting calls, and why: said once. */
  stopped?(cause: StopCause): void;
}

export interface Counts {
  recalled: number;
  failed: number;
  skipped: number;
  notAttempted: number;
  dryRun: number;
}

export interface Progress extends Counts {
  done: number;
  /** Pairs in all, when known. */
  total?: number;
  elapsedMs: number;
}

export interface RecallSummary extends Counts {
  total: number;
  /** The first failure to complete, with its message. */
  firstFailure?: ResultEvent;
  stopCause?: StopCause;
}

export interface SessionOptions {
  events?: SessionEvents;
  /** The run's secrets; every UserSig signed is added before it is used. */
  secrets?: Secrets;
  /** A client to share (its limiters with it); by default the session makes its own and closes it. */
  client?: ChatClient;
  clock?: Clock;
  /** Lifetime of the UserSigs the session's own client signs. */
  userSigLifetimeSeconds?: number;
}

/**
 * One recall run: owns the client (unless given one), plans the pairs, runs them through the work
 * pool, stops starting calls when a failure concerns the whole app or nothing answers, or when
 * cancelled, and ends every pair in exactly one counted outcome.
 */
export class RecallSession {
  private readonly events: SessionEvents;
  private readonly clock: Clock;
  private readonly stopSending = new AbortController();
  private readonly cutInFlight = new AbortController();
  private readonly counts: Counts = { recalled: 0, failed: 0, skipped: 0, notAttempted: 0, dryRun: 0 };
  private firstFailure: ResultEvent | undefined;
  private stopCause: StopCause | undefined;
  private noAnswerStreak = 0;
  private startedAt = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  readonly total: number;

  constructor(
    private readonly settings: RecallSettings,
    private readonly options: SessionOptions = {},
  ) {
    this.events = options.events ?? {};
    this.clock = options.clock ?? systemClock;
    this.total = settings.scopes.length * settings.senders.length;
  }

  get progress(): Progress {
    const { recalled, failed, skipped, notAttempted, dryRun } = this.counts;
    return {
      ...this.counts,
      done: recalled + failed + skipped + notAttempted + dryRun,
      total: this.total,
      elapsedMs: this.clock.now() - this.startedAt,
    };
  }

  /** Stops starting calls; calls in flight may finish within `graceMs`, then are cut. */
  cancel(graceMs = CANCEL_GRACE_MS): void {
    this.stop({ reason: "cancelled", message: "The run was cancelled." });
    clearTimeout(this.graceTimer);
    if (graceMs <= 0) this.cutInFlight.abort();
    else this.graceTimer = setTimeout(() => this.cutInFlight.abort(), graceMs);
  }

  async run(): Promise<RecallSummary> {
    this.startedAt = this.clock.now();
    const client =
      this.options.client ??
      new ChatClient({
        ...this.settings.connection,
        ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
        ...(this.events.retry ? { onRetry: this.events.retry } : {}),
        ...(this.options.userSigLifetimeSeconds
          ? { userSigLifetimeSeconds: this.options.userSigLifetimeSeconds }
          : {}),
        clock: this.clock,
      });
    try {
      const pool = new WorkPool(client);
      for (const pair of pairsOf(this.settings.scopes, this.settings.senders)) {
        if (await pool.admit(this.stopSending.signal)) pool.start(() => this.recall(client, pair));
        else this.finish({ result: notAttempted(pair, this.notAttemptedWhy()) });
      }
      await pool.drain();
    } finally {
      clearTimeout(this.graceTimer);
      if (!this.options.client) client.close();
    }
    return {
      ...this.counts,
      total: this.total,
      ...(this.firstFailure ? { firstFailure: this.firstFailure } : {}),
      ...(this.stopCause ? { stopCause: this.stopCause } : {}),
    };
  }

  private async recall(client: ChatClient, pair: Pair): Promise<void> {
    const body = {
      GroupId: pair.group,
      Sender_Account: pair.sender,
      ...(pair.topic ? { TopicId: pair.topic } : {}),
    };
    try {
      const { response, attempts } = await client.call(RECALL_COMMAND, body, {
        stop: this.stopSending.signal,
        abort: this.cutInFlight.signal,
      });
      this.noAnswerStreak = 0;
      this.finish({
        result: resultOf(pair, "recalled", { code: 0, info: response.ErrorInfo, fromServer: true, attempts }),
      });
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.finish(this.failed(pair, error));
    }
  }

  private failed(pair: Pair, error: ChatApiError): ResultEvent {
    if (error.code === NOT_ATTEMPTED && !error.fromServer) {
      return { result: notAttempted(pair, this.notAttemptedWhy()) };
    }
    this.noAnswerStreak = error.code === NO_ANSWER && !error.fromServer ? this.noAnswerStreak + 1 : 0;
    const result = resultOf(pair, "failed", {
      code: error.code,
      info: error.info,
      fromServer: error.fromServer,
      attempts: error.attempts,
    });
    const cause = stopCauseOf(error, this.noAnswerStreak, this.settings.connection);
    if (cause) this.stop(cause);
    return {
      result,
      message: describeFailure(result, error.fromServer),
      ...(cause ? { appWide: true } : {}),
    };
  }

  private stop(cause: StopCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.stopSending.abort();
    this.events.stopped?.(cause);
  }

  private notAttemptedWhy(): string {
    return this.stopCause?.reason === "cancelled"
      ? "the run was cancelled first"
      : `the run stopped first: ${this.stopCause?.message ?? "stopped"}`;
  }

  private finish(event: ResultEvent): void {
    const { outcome } = event.result;
    if (outcome === "recalled") this.counts.recalled++;
    else if (outcome === "failed") this.counts.failed++;
    else if (outcome === "skipped") this.counts.skipped++;
    else if (outcome === "dry-run") this.counts.dryRun++;
    else this.counts.notAttempted++;
    if (outcome === "failed" || outcome === "not-attempted") this.firstFailure ??= event;
    this.events.result?.(event);
  }
}
