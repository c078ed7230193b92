import { ChatClient } from "../chat/client.js";
import { systemClock, type Clock } from "../chat/clock.js";
import { ChatApiError } from "../chat/errors.js";
import type { Secrets } from "../chat/secrets.js";
import { quote } from "./input-error.js";
import { Ledger } from "./ledger.js";
import { WorkPool } from "./pool.js";
import { AV_CHAT_ROOM } from "./preflight.js";
import { resultOf } from "./result.js";
import { Archive } from "./archive.js";
import { recallsBySeq, type RecallSettings } from "./settings.js";
import { stopCauseOf } from "./stop.js";
import type { Strategy, StrategyContext } from "./strategy.js";
import { checkSenders, startUnknownSenders, type SenderCheck } from "./senders.js";
import { recallBySeq } from "./strategy-by-seq.js";
import { dryRun } from "./strategy-dry-run.js";
import { silentRecall } from "./strategy-silent.js";
import { targetsOf, type Target } from "./targets.js";
import type { Pair, Progress, RecallSummary, SessionEvents } from "./types.js";

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
  return recallsBySeq(ctx.settings) ? recallBySeq(ctx) : silentRecall(ctx);
}

/**
 * One recall run: it checks the senders, finds where to recall (targets), starts a way of recalling
 * (strategy) on each group or topic as it is found, and keeps the books (ledger), which end every
 * pair in exactly one counted outcome and stop the run when a failure concerns the whole app, when
 * nothing answers, or when it is cancelled.
 */
export class RecallSession {
  private readonly events: SessionEvents;
  private readonly clock: Clock;
  private readonly ledger: Ledger;
  /** What account_check said of each sender, when the preflight is on. */
  private senderChecks = new Map<string, SenderCheck>();
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
    this.ledger = new Ledger(settings.connection, this.events, this.clock);
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
    this.settings.warnings.forEach((warning) => this.events.warning?.(warning));
    const archive = this.openArchive();
    const client = this.options.client ?? this.ownClient();
    let summary: RecallSummary;
    try {
      const pool = new WorkPool(client);
      const ctx = { client, ledger: this.ledger, pool, settings: this.settings, ...(archive && { archive }) };
      const strategy = strategyFor(ctx);
      if (this.settings.preflight && !this.ledger.stopped.aborted) {
        this.senderChecks = await checkSenders(client, this.settings.senders, this.ledger.signals);
        this.refuseUnreachableSenders();
      }
      await this.startEach(targetsOf(this.settings, client, this.ledger, this.events), ctx, strategy);
      await pool.drain();
    } finally {
      summary = this.ledger.close();
      if (!this.options.client) client.close();
      archive?.close();
    }
    return archive ? { ...summary, archivedMessages: archive.count, archiveFile: archive.path } : summary;
  }

  /**
   * Groups found only by membership never include a sender that is not an account (a deleted one has
   * no memberships left): nothing of it would be recalled, so the run is refused before it starts.
   */
  private refuseUnreachableSenders(): void {
    const { discover } = this.settings;
    if (!discover?.joined || discover.groups === "all" || discover.groups.length > 0) return;
    const unreachable = this.settings.senders.filter((s) => this.senderChecks.get(s) === "not-account");
    if (unreachable.length === 0) return;
    const names = unreachable.slice(0, 10).map((s) => quote(s));
    const [are, them] = unreachable.length > 1 ? ["are not accounts", "them"] : ["is not an account", "it"];
    this.ledger.stop({
      reason: "refused",
      message: `${names.join(", ")} ${are} of this app (never made, or deleted), so no group lists ${them} as a member. Nothing was recalled: name the groups with group (or group "*"), or check the sender IDs.`,
    });
  }

  /** The archive, when asked for and something is to be recalled; a file that cannot be opened stops the run first. */
  private openArchive(): Archive | undefined {
    const { archive, dryRun } = this.settings;
    if (!archive || dryRun) return undefined;
    try {
      return Archive.open(archive);
    } catch (error) {
      this.ledger.stop({
        reason: "refused",
        message: `The archive file ${quote(archive, 1000)} could not be opened (${(error as Error).message}), so nothing was recalled: give a path that can be written.`,
      });
      return undefined;
    }
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
  private async startEach(
    targets: AsyncGenerator<Target>,
    ctx: StrategyContext,
    strategy: Strategy,
  ): Promise<void> {
    try {
      for await (const target of targets) {
        if (this.discovering) this.planned += (target.senders ?? this.settings.senders).length;
        await this.start(target, ctx, strategy);
      }
      this.discovering = false;
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.ledger.stop(
        stopCauseOf(error, { noAnswer: 0, onlyRateLimitedMs: 0 }, this.settings.connection) ?? {
          reason: "listing",
          code: error.code,
          message: `Finding the groups and topics failed, so the rest of them were not recalled: ${error.message}`,
        },
      );
    }
  }

  /** Starts the work of one group or topic, or ends its pairs at once when there is nothing to call. */
  private async start({ scope, lookup, senders }: Target, ctx: StrategyContext, strategy: Strategy) {
    const pairs = (senders ?? this.settings.senders).map((sender) => ({ ...scope, sender }));
    if (lookup && !lookup.found)
      return pairs.forEach((pair) => this.ledger.recordFailure(pair, lookup.error));
    if (lookup?.type === AV_CHAT_ROOM) {
      this.events.warning?.(
        `Group ${scope.group} is an AVChatRoom: it keeps no history, so there is nothing to recall; its ${pairs.length} pair(s) are skipped.`,
      );
      const detail = { code: 0, info: "AVChatRoom keeps no history; nothing to recall", fromServer: false };
      return pairs.forEach((pair) => this.ledger.record({ result: resultOf(pair, "skipped", detail) }));
    }
    const accounts: Pair[] = [];
    const unknown: Pair[] = [];
    for (const pair of pairs) {
      const check = this.senderChecks.get(pair.sender) ?? "account";
      if (check instanceof ChatApiError) this.ledger.recordFailure(pair, check);
      else (check === "account" ? accounts : unknown).push(pair);
    }
    if (unknown.length > 0) await startUnknownSenders(ctx, strategy, scope, unknown);
    if (accounts.length > 0) await strategy.start(scope, accounts);
  }
}
