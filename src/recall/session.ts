import { ChatClient, type CallSignals, type RetryEvent } from "../chat/client.js";
import { systemClock, type Clock } from "../chat/clock.js";
import { ChatApiError, explainCode, NO_ANSWER, NOT_ATTEMPTED, REMAINING_MESSAGES } from "../chat/errors.js";
import { Secrets } from "../chat/secrets.js";
import { readWindow, type WindowMessage } from "./history.js";
import { countGroups, listGroups, topicsOf } from "./listing.js";
import { RECALL_BY_SEQ_COMMAND, recallSeqs } from "./notify.js";
import { COMMUNITY_PREFIX } from "./ids.js";
import type { Pair, Scope } from "./plan.js";
import { WorkPool } from "./pool.js";
import { lookUpGroups, type GroupLookup } from "./preflight.js";
import { describeFailure } from "./describe.js";
import { notAttempted, resultOf, type PairResult, type ResultDetail } from "./result.js";
import type { Discovery, RecallSettings } from "./settings.js";
import { stopCauseOf, type StopCause } from "./stop.js";

export const RECALL_COMMAND = "group_open_http_svc/delete_group_msg_by_sender";

/** How long calls in flight may still finish after a cancellation. */
const CANCEL_GRACE_MS = 3000;

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
  /** Something worth saying on the way: what a fan-out found. */
  notice?(message: string): void;
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

export interface MessageCounts {
  /** Messages a dry run found to recall. */
  matchedMessages: number;
  /** Messages counted as recalled, by verify or notify. */
  recalledMessages: number;
  /** Messages verify found still not recalled. */
  remainingMessages: number;
}

export interface Progress extends Counts {
  done: number;
  /** Pairs in all, when known. */
  total?: number;
  elapsedMs: number;
}

export interface RecallSummary extends Counts, MessageCounts {
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

const AV_CHAT_ROOM = "AVChatRoom";
const COMMUNITY = "Community";
const MALFORMED = "not IDs the service could have made (printable ASCII, within the length limit)";

/** A group or topic to recall in, with what is known of its group. */
interface Found {
  scope: Scope;
  lookup: GroupLookup | undefined;
}

function pairsDone({ recalled, failed, skipped, notAttempted, dryRun }: Counts): number {
  return recalled + failed + skipped + notAttempted + dryRun;
}

/** The messages each listed sender has in a window, by state. */
function bySender(messages: readonly WindowMessage[], senders: readonly string[]) {
  const counts = new Map(senders.map((s) => [s, { kept: [] as number[], recalled: 0 }]));
  for (const m of messages) {
    const entry = counts.get(m.from);
    if (!entry) continue;
    if (m.state === "kept") entry.kept.push(m.seq);
    else if (m.state === "recalled") entry.recalled++;
  }
  return counts;
}

/**
 * One recall run. It owns the client (unless given one), looks the groups up first (preflight),
 * recalls each (group or topic, sender) pair, silently or by seq so clients see it (notify), or only
 * counts what it would recall (dry run), and counts afterwards what was recalled (verify). It stops
 * starting calls when a failure concerns the whole app, when nothing answers, or when cancelled, and
 * ends every pair in exactly one counted outcome.
 */
export class RecallSession {
  private readonly events: SessionEvents;
  private readonly clock: Clock;
  private readonly stopSending = new AbortController();
  private readonly cutInFlight = new AbortController();
  private readonly signals: CallSignals = { stop: this.stopSending.signal, abort: this.cutInFlight.signal };
  private readonly counts: Counts = { recalled: 0, failed: 0, skipped: 0, notAttempted: 0, dryRun: 0 };
  private readonly messages: MessageCounts = {
    matchedMessages: 0,
    recalledMessages: 0,
    remainingMessages: 0,
  };
  private firstFailure: ResultEvent | undefined;
  private stopCause: StopCause | undefined;
  private noAnswerStreak = 0;
  private startedAt = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Pairs planned so far; all of them once the groups and topics are known. */
  private planned = 0;
  private discovering: boolean;

  constructor(
    private readonly settings: RecallSettings,
    private readonly options: SessionOptions = {},
  ) {
    this.events = options.events ?? {};
    this.clock = options.clock ?? systemClock;
    this.discovering = settings.discover !== undefined;
    this.planned = settings.scopes.length * settings.senders.length;
  }

  /** Pairs in all, once known: a fan-out knows them only when it has found every group and topic. */
  private get total(): number | undefined {
    return this.discovering ? undefined : this.planned;
  }

  get progress(): Progress {
    return {
      ...this.counts,
      done: pairsDone(this.counts),
      ...(this.total === undefined ? {} : { total: this.total }),
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
      const { discover } = this.settings;
      try {
        for await (const { scope, lookup } of discover
          ? this.discovered(client, discover)
          : this.listed(client)) {
          this.planned += discover ? this.settings.senders.length : 0;
          await this.start(scope, lookup, client, pool);
        }
        this.discovering = false;
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        this.stop(
          stopCauseOf(error, 0, this.settings.connection) ?? {
            reason: "listing",
            code: error.code,
            message: `Finding the groups and topics failed, so the rest of them were not recalled: ${error.message}`,
          },
        );
      }
      await pool.drain();
    } finally {
      clearTimeout(this.graceTimer);
      if (!this.options.client) client.close();
    }
    return {
      ...this.counts,
      ...this.messages,
      total: pairsDone(this.counts),
      ...(this.firstFailure ? { firstFailure: this.firstFailure } : {}),
      ...(this.stopCause ? { stopCause: this.stopCause } : {}),
    };
  }

  /** The listed groups or topics, each with what the preflight found of its group. */
  private async *listed(client: ChatClient): AsyncGenerator<Found> {
    const lookups = this.settings.preflight ? await this.preflight(client, this.settings.scopes) : undefined;
    for (const scope of this.settings.scopes) yield { scope, lookup: lookups?.get(scope.group) };
  }

  /**
   * Groups and topics found on the way: every group of the app, a page at a time (recalls start while
   * later pages are listed), or the listed groups; with every topic, each Community's topics.
   */
  private async *discovered(client: ChatClient, discover: Discovery): AsyncGenerator<Found> {
    const groups =
      discover.groups === "all"
        ? this.everyGroup(client, discover)
        : this.listedGroups(client, discover.groups);
    let communities = 0;
    let topics = 0;
    let malformed = 0;
    for await (const found of groups) {
      const { lookup } = found;
      if (!discover.everyTopic || !lookup?.found || lookup.type !== COMMUNITY) {
        yield found;
        continue;
      }
      communities++;
      try {
        const listed = await topicsOf(
          client,
          found.scope.group,
          this.settings.connection.identifier,
          this.signals,
        );
        topics += listed.topics.length;
        malformed += listed.malformed;
        if (listed.topics.length === 0) yield found;
        for (const topic of listed.topics) yield { scope: { group: found.scope.group, topic }, lookup };
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        yield { scope: found.scope, lookup: { found: false, error } };
      }
    }
    if (discover.everyTopic)
      this.events.notice?.(
        `Found ${topics} topic(s) in ${communities} Community group(s); a Community with none is recalled at group level.`,
      );
    if (malformed > 0) this.events.warning?.(`${malformed} listed topic ID(s) left out: ${MALFORMED}.`);
  }

  private async *everyGroup(client: ChatClient, discover: Discovery): AsyncGenerator<Found> {
    let excluded = 0;
    let malformed = 0;
    for (const type of discover.types) {
      let first = true;
      for await (const page of listGroups(client, type, this.signals)) {
        if (first) this.events.notice?.(`Found ${page.total} ${type} group(s).`);
        first = false;
        malformed += page.malformed;
        for (const group of page.groups) {
          if (discover.exclude.has(group)) excluded++;
          else yield { scope: { group }, lookup: { found: true, type } };
        }
      }
    }
    if (excluded > 0) this.events.notice?.(`${excluded} group(s) left out as excluded.`);
    if (malformed > 0) this.events.warning?.(`${malformed} listed group ID(s) left out: ${MALFORMED}.`);
    try {
      const avChatRooms = await countGroups(client, AV_CHAT_ROOM, this.signals);
      if (avChatRooms > 0)
        this.events.notice?.(`${avChatRooms} AVChatRoom group(s) are left out: they keep no history.`);
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.events.warning?.(`AVChatRoom groups are left out, but counting them failed: ${error.message}`);
    }
  }

  /** Listed groups for every topic: their type from the preflight, or, without it, from the ID. */
  private async *listedGroups(client: ChatClient, groups: string[]): AsyncGenerator<Found> {
    const lookups = this.settings.preflight
      ? await this.preflight(
          client,
          groups.map((group) => ({ group })),
        )
      : undefined;
    for (const group of groups) {
      const type = group.startsWith(COMMUNITY_PREFIX) ? COMMUNITY : "unknown";
      yield { scope: { group }, lookup: lookups?.get(group) ?? { found: true, type } };
    }
  }

  /** Looks the groups up; a topic of a group that is not a Community refuses the whole run. */
  private async preflight(client: ChatClient, scopes: readonly Scope[]): Promise<Map<string, GroupLookup>> {
    const groups = [...new Set(scopes.map((s) => s.group))];
    const lookups = await lookUpGroups(client, groups, this.signals);
    const wrong = scopes.find((s) => {
      const lookup = lookups.get(s.group);
      return s.topic && lookup?.found && lookup.type !== COMMUNITY;
    });
    if (wrong) {
      const lookup = lookups.get(wrong.group) as { type: string };
      this.stop({
        reason: "refused",
        message: `Topic ${wrong.topic} was given for group ${wrong.group}, a ${lookup.type} group: topics exist only in Community groups. Nothing was recalled; remove the topic or the group.`,
      });
    }
    return lookups;
  }

  /** Starts the work of one group or topic, or ends its pairs at once when there is nothing to call. */
  private async start(scope: Scope, lookup: GroupLookup | undefined, client: ChatClient, pool: WorkPool) {
    const pairs = this.settings.senders.map((sender) => ({ ...scope, sender }));
    if (lookup && !lookup.found) return pairs.forEach((pair) => this.finish(this.failed(pair, lookup.error)));
    if (lookup?.type === AV_CHAT_ROOM) {
      this.events.warning?.(
        `Group ${scope.group} is an AVChatRoom: it keeps no history, so there is nothing to recall; its ${pairs.length} pair(s) are skipped.`,
      );
      const detail = { code: 0, info: "AVChatRoom keeps no history; nothing to recall", fromServer: false };
      return pairs.forEach((pair) => this.finish({ result: resultOf(pair, "skipped", detail) }));
    }
    if (this.settings.dryRun || this.settings.mode === "notify") {
      if (!(await pool.admit(this.stopSending.signal))) return pairs.forEach((pair) => this.skip(pair));
      return pool.start(() =>
        this.settings.dryRun ? this.countScope(client, scope, pairs) : this.notifyScope(client, scope, pairs),
      );
    }
    const recalled: { pair: Pair; attempts: number }[] = [];
    let pending = pairs.length;
    const pairDone = (): void => {
      if (--pending === 0 && this.settings.verify && recalled.length > 0) {
        pool.start(() => this.verifyScope(client, scope, recalled));
      }
    };
    for (const pair of pairs) {
      if (!(await pool.admit(this.stopSending.signal))) {
        this.skip(pair);
        pairDone();
        continue;
      }
      pool.start(async () => {
        const attempts = await this.recall(client, pair);
        if (attempts !== undefined) recalled.push({ pair, attempts });
        pairDone();
      });
    }
  }

  /** Recalls one pair silently; with verify, its result waits for the count afterwards. */
  private async recall(client: ChatClient, pair: Pair): Promise<number | undefined> {
    const body = {
      GroupId: pair.group,
      Sender_Account: pair.sender,
      ...(pair.topic ? { TopicId: pair.topic } : {}),
    };
    try {
      const { response, attempts } = await client.call(RECALL_COMMAND, body, this.signals);
      this.noAnswerStreak = 0;
      if (this.settings.verify) return attempts;
      this.finish({
        result: resultOf(pair, "recalled", { code: 0, info: response.ErrorInfo, fromServer: true, attempts }),
      });
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.finish(this.failed(pair, error));
    }
    return undefined;
  }

  /** Dry run: counts each sender's messages in the window that are not recalled yet. */
  private async countScope(client: ChatClient, scope: Scope, pairs: Pair[]): Promise<void> {
    const window = await this.window(client, scope);
    if (window instanceof ChatApiError)
      return pairs.forEach((pair) => this.finish(this.failed(pair, window)));
    const counts = bySender(window.messages, this.settings.senders);
    for (const pair of pairs) {
      const messages = counts.get(pair.sender)!.kept.length;
      this.finish({
        result: resultOf(pair, "dry-run", {
          code: 0,
          info: "",
          fromServer: true,
          attempts: window.attempts,
          messages,
        }),
      });
    }
  }

  /** Notify: recalls each sender's messages of the window by seq, so that clients see it at once. */
  private async notifyScope(client: ChatClient, scope: Scope, pairs: Pair[]): Promise<void> {
    const window = await this.window(client, scope);
    if (window instanceof ChatApiError)
      return pairs.forEach((pair) => this.finish(this.failed(pair, window)));
    const counts = bySender(window.messages, this.settings.senders);
    const seqs = pairs.flatMap((pair) => counts.get(pair.sender)!.kept);
    const { outcomes, attempts } =
      seqs.length > 0
        ? await recallSeqs(client, scope, seqs, this.signals)
        : { outcomes: new Map(), attempts: 0 };
    const calls = window.attempts + attempts;
    const done: { pair: Pair; attempts: number }[] = [];
    for (const pair of pairs) {
      const mine = counts.get(pair.sender)!.kept.map((seq) => ({ seq, outcome: outcomes.get(seq)! }));
      const failed = mine.filter((m) => m.outcome.code !== 0);
      if (failed.length > 0) {
        const first = failed[0]!.outcome;
        const list = failed
          .slice(0, 10)
          .map(
            (m) => `seq ${m.seq}: ${m.outcome.code} (${explainCode(m.outcome.code, m.outcome.fromServer)})`,
          )
          .join(", ");
        const info = `${failed.length} of ${mine.length} message(s) could not be recalled: ${list}${failed.length > 10 ? ", …" : ""}`;
        const error = new ChatApiError(RECALL_BY_SEQ_COMMAND, first.code, info, calls, first.fromServer);
        const recalledMessages = mine.length - failed.length;
        this.finish(this.failed(pair, error, { messages: recalledMessages }, recalledMessages > 0));
      } else if (this.settings.verify) {
        done.push({ pair, attempts: calls });
      } else {
        this.finish({
          result: resultOf(pair, "recalled", {
            code: 0,
            info: "",
            fromServer: true,
            attempts: calls,
            messages: mine.length,
          }),
        });
      }
    }
    if (done.length > 0) await this.verifyScope(client, scope, done);
  }

  /** Verify: counts each recalled pair's messages in the window, recalled and left; any left fails the pair. */
  private async verifyScope(
    client: ChatClient,
    scope: Scope,
    recalled: { pair: Pair; attempts: number }[],
  ): Promise<void> {
    const window = await this.window(client, scope);
    if (window instanceof ChatApiError) {
      const info = `the recall was answered OK, but verify could not read the history: ${window.info}`;
      for (const { pair, attempts } of recalled) {
        const { command, code, fromServer } = window;
        const error = new ChatApiError(command, code, info, attempts + window.attempts, fromServer);
        this.finish(this.failed(pair, error, {}, true));
      }
      return;
    }
    const counts = bySender(window.messages, this.settings.senders);
    for (const { pair, attempts } of recalled) {
      const { kept, recalled: messages } = counts.get(pair.sender)!;
      const detail = {
        fromServer: false,
        attempts: attempts + window.attempts,
        messages,
        remaining: kept.length,
      };
      if (kept.length === 0) {
        this.finish({ result: resultOf(pair, "recalled", { ...detail, code: 0, info: "" }) });
      } else {
        const info = `${kept.length} message(s) still not recalled in the window after the recall (seq ${kept.slice(0, 10).join(", ")}${kept.length > 10 ? ", …" : ""})`;
        this.finish(
          this.failed(
            pair,
            new ChatApiError("verify", REMAINING_MESSAGES, info, detail.attempts, false),
            detail,
          ),
        );
      }
    }
  }

  /** Reads the window of a group or topic, or says why it could not. */
  private async window(client: ChatClient, scope: Scope) {
    try {
      const window = await readWindow(client, scope, this.signals);
      this.noAnswerStreak = 0;
      return window;
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      return error;
    }
  }

  /**
   * Ends a pair as failed. A call the run stopped before sending ends it as not attempted, unless
   * part of its recall was done already.
   */
  private failed(
    pair: Pair,
    error: ChatApiError,
    extra: Partial<ResultDetail> = {},
    partlyDone = false,
  ): ResultEvent {
    if (error.code === NOT_ATTEMPTED && !error.fromServer && !partlyDone) return this.notAttempted(pair);
    this.noAnswerStreak = error.code === NO_ANSWER && !error.fromServer ? this.noAnswerStreak + 1 : 0;
    const result = resultOf(pair, "failed", {
      code: error.code,
      info: error.info,
      fromServer: error.fromServer,
      attempts: error.attempts,
      ...extra,
    });
    const cause = stopCauseOf(error, this.noAnswerStreak, this.settings.connection);
    if (cause) this.stop(cause);
    return {
      result,
      message: describeFailure(result, error.fromServer),
      ...(cause ? { appWide: true } : {}),
    };
  }

  private skip(pair: Pair): void {
    this.finish(this.notAttempted(pair));
  }

  private notAttempted(pair: Pair): ResultEvent {
    const result = notAttempted(pair, this.notAttemptedWhy());
    return { result, message: describeFailure(result, false) };
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
    const { outcome, messages, remaining } = event.result;
    if (outcome === "recalled") this.counts.recalled++;
    else if (outcome === "failed") this.counts.failed++;
    else if (outcome === "skipped") this.counts.skipped++;
    else if (outcome === "dry-run") this.counts.dryRun++;
    else this.counts.notAttempted++;
    if (outcome === "dry-run") this.messages.matchedMessages += messages ?? 0;
    else this.messages.recalledMessages += messages ?? 0;
    this.messages.remainingMessages += remaining ?? 0;
    if (outcome === "failed" || outcome === "not-attempted") this.firstFailure ??= event;
    this.events.result?.(event);
  }
}
