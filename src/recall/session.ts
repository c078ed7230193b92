import { ChatClient } from "../chat/client.js";
import { systemClock, type Clock } from "../chat/clock.js";
import { ChatApiError } from "../chat/errors.js";
import type { Secrets } from "../chat/secrets.js";
import { Ledger } from "./ledger.js";
import { WorkPool } from "./pool.js";
import { AV_CHAT_ROOM } from "./preflight.js";
import { resultOf } from "./result.js";
import type { RecallSettings } from "./settings.js";
import { stopCauseOf } from "./stop.js";
import type { Strategy, StrategyContext } from "./strategy.js";
import { dryRun } from "./strategy-dry-run.js";
import { notifyRecall } from "./strategy-notify.js";
import { silentRecall } from "./strategy-silent.js";
import { targetsOf, type Target } from "./targets.js";
import type { Progress, RecallSummary, SessionEvents } from "./types.js";

/** How long calls in flight may still finish after a cancellation. */
const CANCEL_GRACE_MS = 3000;

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

function strategyFor(ctx: StrategyContext): Strategy {
  if (ctx.settings.dryRun) return dryRun(ctx);
  return ctx.settings.mode === "notify" ? notifyRecall(ctx) : silentRecall(ctx);
}

/**
 * One recall run: it finds where to recall (targets), starts a way of recalling (strategy) on each
 * group or topic as it is found, and keeps the books (ledger), which end every pair in exactly one
 * counted outcome and stop the run when a failure concerns the whole app, when nothing answers, or
 * when it is cancelled.
 */
export class RecallSession {
  private readonly events: SessionEvents;
  private readonly clock: Clock;
  private readonly ledger: Ledger;
  private startedAt = 0;
  /** Pairs planned so far; all of them once the groups and topics are known. */
  private planned: number;
  private discovering: boolean;

  constructor(
    private readonly settings: RecallSettings,
    private readonly options: SessionOptions = {},
  ) {
    this.events = options.events ?? {};
    this.clock = options.clock ?? systemClock;
    this.ledger = new Ledger(settings.connection, this.events);
    this.discovering = settings.discover !== undefined;
    this.planned = settings.scopes.length * settings.senders.length;
  }

  get progress(): Progress {
    return {
      ...this.ledger.tally,
      done: this.ledger.done,
      ...(this.discovering ? {} : { total: this.planned }),
      elapsedMs: this.clock.now() - this.startedAt,
    };
  }

  /** Stops starting calls; calls in flight may finish within `graceMs`, then are cut. */
  cancel(graceMs = CANCEL_GRACE_MS): void {
    this.ledger.cancel(graceMs);
  }

  async run(): Promise<RecallSummary> {
    this.startedAt = this.clock.now();
    const client = this.options.client ?? this.ownClient();
    let summary: RecallSummary;
    try {
      const pool = new WorkPool(client);
      const strategy = strategyFor({ client, ledger: this.ledger, pool, settings: this.settings });
      await this.startEach(targetsOf(this.settings, client, this.ledger, this.events), strategy);
      await pool.drain();
    } finally {
      summary = this.ledger.close();
      if (!this.options.client) client.close();
    }
    return summary;
  }

  private ownClient(): ChatClient {
    const { secrets, userSigLifetimeSeconds } = this.options;
    return new ChatClient({
      ...this.settings.connection,
      ...(secrets ? { secrets } : {}),
      ...(this.events.retry ? { onRetry: this.events.retry } : {}),
      ...(userSigLifetimeSeconds ? { userSigLifetimeSeconds } : {}),
      clock: this.clock,
    });
  }

  /** Starts the strategy on each target as it is found; a failure to find them stops the run. */
  private async startEach(targets: AsyncGenerator<Target>, strategy: Strategy): Promise<void> {
    try {
      for await (const target of targets) {
        if (this.discovering) this.planned += this.settings.senders.length;
        await this.start(target, strategy);
      }
      this.discovering = false;
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.ledger.stop(
        stopCauseOf(error, 0, this.settings.connection) ?? {
          reason: "listing",
          code: error.code,
          message: `Finding the groups and topics failed, so the rest of them were not recalled: ${error.message}`,
        },
      );
    }
  }

  /** Starts the work of one group or topic, or ends its pairs at once when there is nothing to call. */
  private async start({ scope, lookup }: Target, strategy: Strategy): Promise<void> {
    const pairs = this.settings.senders.map((sender) => ({ ...scope, sender }));
    if (lookup && !lookup.found)
      return pairs.forEach((pair) => this.ledger.recordFailure(pair, lookup.error));
    if (lookup?.type === AV_CHAT_ROOM) {
      this.events.warning?.(
        `Group ${scope.group} is an AVChatRoom: it keeps no history, so there is nothing to recall; its ${pairs.length} pair(s) are skipped.`,
      );
      const detail = { code: 0, info: "AVChatRoom keeps no history; nothing to recall", fromServer: false };
      return pairs.forEach((pair) => this.ledger.record({ result: resultOf(pair, "skipped", detail) }));
    }
    await strategy.start(scope, pairs);
  }
}
