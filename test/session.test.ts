import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RetryEvent } from "../src/chat/client.js";
import { NO_ANSWER, NOT_ATTEMPTED } from "../src/chat/errors.js";
import { Secrets } from "../src/chat/secrets.js";
import { decodeUserSig } from "../src/chat/usersig.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../src/emulator/index.js";
import { HISTORY_COMMAND } from "../src/recall/history.js";
import { RECALL_BY_SEQ_COMMAND } from "../src/recall/recall-seqs.js";
import { LIST_GROUPS_COMMAND, TOPICS_COMMAND } from "../src/recall/listing.js";
import { resolveSettings } from "../src/recall/resolve.js";
import { RecallSession, type SessionOptions } from "../src/recall/session.js";
import { RECALL_WINDOW, type Connection, type RecallSettings, type Source } from "../src/recall/settings.js";
import { RECALL_COMMAND } from "../src/recall/strategy-silent.js";
import type { ResultEvent, StopCause } from "../src/recall/types.js";
import { appInputs, recalledSenders } from "./support/emulator.js";
import { emulatorWithEveryKindOfGroup, recalledIn, type GroupName } from "./support/every-kind-of-group.js";
import { FaultServer } from "./support/fault-server.js";
import { ManualClock } from "./support/manual-clock.js";
import { watchSentRequests } from "./support/sent-requests.js";

const APP_ID = 1400000002;
const SECRET_KEY = "session-test-secret-key-91b3";
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function emulatorWithGroups(
  groups: string[],
  senders: string[],
  options: Partial<EmulatorOptions> = {},
): Promise<Emulator> {
  const started = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }], ...options });
  for (const groupId of groups) {
    started.state.createGroup(APP_ID, { type: "Public", groupId });
    for (const sender of [...senders, "bystander"]) started.state.sendMessage(APP_ID, groupId, sender, "hi");
  }
  return started;
}

function settingsFor(
  url: string,
  groups: string[],
  senders: string[],
  connection: Partial<Connection> = {},
): RecallSettings {
  return {
    scopes: groups.map((group) => ({ group })),
    senders,
    connection: {
      sdkAppId: APP_ID,
      identifier: "administrator",
      auth: { secretKey: SECRET_KEY },
      region: "china",
      endpoint: url,
      maxAttempts: 5,
      requestTimeoutMs: 5000,
      maxCallsPerSecond: 200,
      ...connection,
    },
    preflight: false,
    dryRun: false,
    verify: false,
    mode: "silent",
    selection: { depth: RECALL_WINDOW },
    warnings: [],
  };
}

function run(settings: RecallSettings, options: SessionOptions = {}) {
  const results: ResultEvent[] = [];
  const retries: RetryEvent[] = [];
  const stops: StopCause[] = [];
  const session = new RecallSession(settings, {
    ...options,
    events: { result: (e) => results.push(e), retry: (e) => retries.push(e), stopped: (c) => stops.push(c) },
  });
  return { session, results, retries, stops, summary: session.run() };
}

/** Runs the clock until `promise` settles, letting real calls be answered meanwhile; gives its value. */
async function settled<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let over = false;
  promise.then(
    () => (over = true),
    () => (over = true),
  );
  await clock.runUntil(() => over, 3_600_000);
  return promise;
}

const recallCalls = () => emulator!.requests.filter((r) => r.command === RECALL_COMMAND).length;

describe("RecallSession", () => {
  it("recalls every pair and hands each result over as it completes", async () => {
    const groups = ["g-1", "g-2", "g-3", "g-4"];
    const senders = ["alice", "bob", "carol", "dave", "erin"];
    emulator = await emulatorWithGroups(groups, senders);
    const { results, summary } = run(settingsFor(emulator.url, groups, senders));

    expect(await summary).toMatchObject({ total: 20, recalled: 20, failed: 0, notAttempted: 0 });
    expect(new Set(results.map((e) => `${e.result.group}/${e.result.sender}`)).size).toBe(20);
    expect(results.every((e) => e.result.outcome === "recalled" && e.result.actionStatus === "OK")).toBe(
      true,
    );
    for (const groupId of groups) {
      expect(
        emulator.state
          .history(APP_ID, groupId)
          .filter((m) => !m.recalled)
          .map((m) => m.from),
      ).toEqual(["bystander"]);
    }
  });

  it("goes on past a failed pair and reports the first failure", async () => {
    emulator = await emulatorWithGroups(["exists"], ["alice"]);
    const { summary } = run(settingsFor(emulator.url, ["exists", "missing"], ["alice"]));
    const done = await summary;
    expect(done).toMatchObject({ recalled: 1, failed: 1 });
    expect(done.firstFailure?.result).toMatchObject({
      group: "missing",
      outcome: "failed",
      actionStatus: "FAIL",
      errorCode: 10010,
    });
    expect(done.firstFailure?.message).toContain(
      "Recall of sender alice in group missing failed: ErrorCode 10010",
    );
  });

  it("retries rate-limited answers and finishes every pair", async () => {
    emulator = await emulatorWithGroups(["g"], ["alice", "bob", "carol"]);
    emulator.faults.push({ errorCode: 60007, times: 2 });
    const { retries, summary } = run(settingsFor(emulator.url, ["g"], ["alice", "bob", "carol"]));
    expect(await summary).toMatchObject({ recalled: 3, failed: 0 });
    expect(retries.map((e) => e.code)).toEqual([60007, 60007]);
  });

  it("signs a new UserSig before the old one expires, on a run that outlives it", async () => {
    const senders = Array.from({ length: 8 }, (_, i) => `user-${i}`);
    emulator = await emulatorWithGroups(["long"], senders);
    const clock = new ManualClock();
    const signed: string[] = [];
    const secrets = new (class extends Secrets {
      override addUserSig(sig: string): void {
        signed.push(sig);
        super.addUserSig(sig);
      }
    })();
    const settings = settingsFor(emulator.url, ["long"], senders, { maxCallsPerSecond: 1 });
    const session = new RecallSession(settings, { clock, secrets, userSigLifetimeSeconds: 2 });
    expect(await settled(clock, session.run())).toMatchObject({ recalled: 8, failed: 0 });
    const times = signed.map((s) => decodeUserSig(s)!.time);
    expect(new Set(times).size).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(2);
  });
});

describe("when every call would fail", () => {
  it("stops at the first failure that concerns the whole app and reports the rest not attempted", async () => {
    const groups = Array.from({ length: 30 }, (_, i) => `g-${i}`);
    const senders = Array.from({ length: 10 }, (_, i) => `s-${i}`);
    emulator = await emulatorWithGroups(groups, senders);
    const { results, stops, summary } = run(
      settingsFor(emulator.url, groups, senders, { auth: { secretKey: "the-wrong-key" } }),
    );
    const done = await summary;

    expect(done.total).toBe(300);
    expect(done.recalled).toBe(0);
    expect(done.failed + done.notAttempted).toBe(300);
    // The emulator logs only the calls that passed authentication: count them all.
    expect(emulator.requestCount).toBe(done.failed);
    expect(done.failed).toBeLessThan(40);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ reason: "app-wide", code: 70009 });
    expect(stops[0]!.message).toContain("check the secret key: it is not the one of this SDKAppID");
    expect(results.filter((e) => e.result.outcome === "failed").every((e) => e.appWide)).toBe(true);
    const skipped = results.find((e) => e.result.outcome === "not-attempted")!.result;
    expect(skipped).toMatchObject({ actionStatus: "FAIL", errorCode: NOT_ATTEMPTED, attempts: 0 });
    expect(skipped.errorInfo).toContain("the run stopped first: ErrorCode 70009");
  });

  it("names the region when the code usually means the app lives elsewhere", async () => {
    emulator = await emulatorWithGroups(["g"], ["s"]);
    emulator.faults.push({ errorCode: 70016, times: 100 });
    const { stops, summary } = run(settingsFor(emulator.url, ["g"], ["s"]));
    await summary;
    expect(stops[0]!.message).toContain(`check that endpoint ${emulator.url} serves this SDKAppID`);
  });

  it("stops after several calls in a row got no answer at all", async () => {
    emulator = await emulatorWithGroups(["g"], ["s"]);
    const url = emulator.url;
    await emulator.close();
    emulator = undefined;
    const senders = Array.from({ length: 200 }, (_, i) => `s-${i}`);
    const { stops, summary } = run(settingsFor(url, ["g"], senders, { maxAttempts: 2 }));
    const done = await summary;
    expect(stops).toEqual([expect.objectContaining({ reason: "no-answer", code: NO_ANSWER })]);
    expect(stops[0]!.message).toMatch(
      /^5 calls in a row got no answer from http:\/\/127\.0\.0\.1:\d+: check the network/,
    );
    expect(done.notAttempted).toBeGreaterThan(100);
    expect(done.failed + done.notAttempted).toBe(200);
  });
});

describe("a server that only says later", () => {
  it.each([
    ["60007 on every call", () => ({ json: { ActionStatus: "FAIL", ErrorCode: 60007, ErrorInfo: "later" } })],
    ["HTTP 429 with Retry-After: 30", () => ({ status: 429, body: "", headers: { "Retry-After": "30" } })],
  ])("gives each call a minute of %s at most, then stops the run", async (_, behaviour) => {
    const server = await FaultServer.start(behaviour);
    try {
      const senders = Array.from({ length: 40 }, (_, i) => `s-${i}`);
      const clock = new ManualClock();
      const { stops, summary } = run(settingsFor(server.url, ["g"], senders), { clock });
      const done = await settled(clock, summary);
      expect(stops).toEqual([expect.objectContaining({ reason: "rate-limited" })]);
      expect(stops[0]!.message).toMatch(/^For \d+ s the app answered nothing but "rate limited"/);
      expect(done.failed + done.notAttempted).toBe(40);
      // A minute of answers, and the last wait at the slowed limiter: not 21 rounds of Retry-After.
      expect(clock.now()).toBeLessThanOrEqual(120_000);
      expect(server.requests.length).toBeLessThan(40 * 21);
    } finally {
      await server.close();
    }
  });
});

describe("cancellation", () => {
  it("stops starting calls, cuts the calls in flight after the grace period, and counts every pair", async () => {
    const senders = Array.from({ length: 100 }, (_, i) => `s-${i}`);
    emulator = await emulatorWithGroups(["g"], senders);
    emulator.faults.push({ command: RECALL_COMMAND, hangMs: 60_000, times: 1000 });
    // The clock stands still: the first calls go out and hang, the others wait for their turn.
    const clock = new ManualClock();
    const { session, results, summary } = run(
      settingsFor(emulator.url, ["g"], senders, { maxCallsPerSecond: 50 }),
      { clock },
    );
    await vi.waitFor(() => expect(recallCalls()).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    session.cancel(200);
    const done = await summary;

    expect(done.recalled).toBe(0);
    expect(done.failed).toBeGreaterThan(0);
    expect(done.failed).toBe(recallCalls());
    expect(done.failed + done.notAttempted).toBe(100);
    expect(done.stopCause).toMatchObject({ reason: "cancelled" });
    // Cut by the cancellation: not by the 5 s request timeout, nor answered after the 60 s hang.
    const cut = results.find((e) => e.result.outcome === "failed")!.result;
    expect(cut).toMatchObject({ errorCode: NO_ANSWER, errorInfo: "cancelled before the answer" });
  });
});

describe("faults at scale", () => {
  it("keeps its pace while some requests hang until the timeout", async () => {
    const senders = Array.from({ length: 300 }, (_, i) => `s-${i}`);
    // The emulator counts calls per second in real time, which the manual clock outruns.
    emulator = await emulatorWithGroups(["g"], senders, { rateLimitPerSecond: 1_000_000 });
    emulator.faults.push({ command: RECALL_COMMAND, hangMs: 60_000, times: 30 });
    const clock = new ManualClock();
    // The request timeout runs on real time: long enough for every other call to be answered first.
    const settings = settingsFor(emulator.url, ["g"], senders, { requestTimeoutMs: 2000 });
    const sentAt: number[] = [];
    const stopWatching = watchSentRequests((sent) => {
      if (sent === RECALL_COMMAND) sentAt.push(clock.now());
    });
    const started = performance.now();
    const { results, retries, summary } = run(settings, { clock });
    try {
      expect(await settled(clock, summary)).toMatchObject({ recalled: 300, failed: 0 });
    } finally {
      stopWatching();
    }

    // Every call's first attempt went out at the limiter's 194/s, in 1.55 s on the clock.
    expect(sentAt[299]).toBeLessThan(1600);

    // The timeouts ran side by side: a generous bound, as thirty in a row would take a minute.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(retries.map((e) => e.info)).toEqual(Array(30).fill("no answer within 2000 ms"));
    const hung = emulator.requests
      .filter((r) => r.command === RECALL_COMMAND)
      .slice(0, 30)
      .map((r) => (r.body as { Sender_Account: string }).Sender_Account);
    // The hanging calls held no other back: each of those was answered before any of them.
    expect(results.slice(270).map((e) => e.result.sender)).toEqual(expect.arrayContaining(hung));
    expect(results.slice(270).every((e) => e.result.attempts === 2)).toBe(true);
  });
});

describe("a stop part-way through a pair", () => {
  /** Runs at one call a second on a manual clock, and cancels as the first call of `command` goes out. */
  async function cancelAsSent(settings: RecallSettings, command: string) {
    const clock = new ManualClock();
    const { session, results, summary } = run(settings, { clock });
    const stopWatching = watchSentRequests((sent) => {
      if (sent === command) queueMicrotask(() => session.cancel());
    });
    try {
      return { results, done: await settled(clock, summary) };
    } finally {
      stopWatching();
    }
  }

  it("fails a pair whose messages were partly recalled by seq, counting those recalled", async () => {
    emulator = await emulatorWithGroups(["g"], []);
    for (let i = 0; i < 15; i++) emulator.state.sendMessage(APP_ID, "g", "spammer", `m${i}`);
    const settings = settingsFor(emulator.url, ["g"], ["spammer"], { maxCallsPerSecond: 1 });
    const { results, done } = await cancelAsSent({ ...settings, mode: "notify" }, RECALL_BY_SEQ_COMMAND);

    expect(emulator.requests.filter((r) => r.command === RECALL_BY_SEQ_COMMAND)).toHaveLength(1);
    expect(done).toMatchObject({ failed: 1, notAttempted: 0, recalledMessages: 10 });
    expect(results[0]!.result).toMatchObject({ outcome: "failed", errorCode: NOT_ATTEMPTED, messages: 10 });
    expect(results[0]!.result.errorInfo).toMatch(/^5 of 15 message\(s\) could not be recalled: seq \d+: -3/);
  });

  it("fails a recalled pair whose verify was stopped, saying the recall was answered OK", async () => {
    emulator = await emulatorWithGroups(["g"], ["spammer"]);
    // The recall is on its way when the run is cancelled; the verify after it is not sent.
    const settings = settingsFor(emulator.url, ["g"], ["spammer"], { maxCallsPerSecond: 1 });
    const { results, done } = await cancelAsSent({ ...settings, verify: true }, RECALL_COMMAND);

    expect(emulator.requests.filter((r) => r.command === HISTORY_COMMAND)).toHaveLength(0);
    expect(done).toMatchObject({ failed: 1, notAttempted: 0 });
    expect(results[0]!.result).toMatchObject({ outcome: "failed", errorCode: NOT_ATTEMPTED, attempts: 1 });
    expect(results[0]!.result.errorInfo).toBe(
      "the recall was answered OK, but verify could not read the history: the run stopped before this call was sent",
    );
  });
});

describe("a listing that is not what the service would answer", () => {
  it("leaves out IDs the service could not have made, and goes on when counting AVChatRooms fails", async () => {
    const listed = ["good-1", "bad\nid", "x".repeat(100), "good-2"];
    const server = await FaultServer.start((request) => {
      if (request.path.endsWith("/delete_group_msg_by_sender"))
        return { json: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" } };
      const { GroupType: type } = JSON.parse(request.body) as { GroupType: string };
      if (type === "AVChatRoom") return { body: "", status: 400 };
      const ids = type === "Public" ? listed : [];
      return {
        body: `{"ActionStatus":"OK","ErrorCode":0,"TotalCount":${ids.length},"GroupIdList":${JSON.stringify(ids.map((GroupId) => ({ GroupId })))},"Next":0}`,
      };
    });
    try {
      const warnings: string[] = [];
      const settings: RecallSettings = {
        ...settingsFor(server.url, [], ["spammer"]),
        discover: { groups: "all", types: ["Public"], exclude: new Set(), everyTopic: false, joined: false },
      };
      const clock = new ManualClock();
      const session = new RecallSession(settings, { clock, events: { warning: (w) => warnings.push(w) } });
      const done = await settled(clock, session.run());

      expect(done).toMatchObject({ total: 2, recalled: 2, failed: 0 });
      const recalledIn = server.requests
        .filter((r) => r.path.endsWith("/delete_group_msg_by_sender"))
        .map((r) => (JSON.parse(r.body) as { GroupId: string }).GroupId);
      expect(recalledIn.sort()).toEqual(["good-1", "good-2"]);
      expect(warnings).toEqual([
        expect.stringMatching(/^2 listed group ID\(s\) left out: not IDs the service could have made/),
        expect.stringMatching(/^AVChatRoom groups are left out, but counting them failed: .*HTTP 400/),
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('every group of the app (group "*"), on the manual clock', () => {
  let groups: Record<GroupName, string>;
  let topics: string[];

  /** Two groups a page, so that paging is tried; cursors above 2^53, so that a Next read through a double fails. */
  beforeEach(async () => {
    ({ emulator, groups, topics } = await emulatorWithEveryKindOfGroup({
      listingCursorBase: 2n ** 60n + 1n,
      listingPageLimit: 2,
    }));
  });

  /** Resolves the settings from inputs as the Action does, and runs them on a manual clock. */
  async function runInputs(more: Record<string, string>) {
    const inputs = appInputs(emulator!.url, more);
    const source: Source = {
      get: (spec) => (inputs[spec.name] === undefined ? undefined : { values: [inputs[spec.name]!] }),
      label: (spec) => `Input "${spec.name}"`,
    };
    const clock = new ManualClock();
    const notices: string[] = [];
    const results: ResultEvent[] = [];
    const listingSentAt: number[] = [];
    const stopWatching = watchSentRequests((sent) => {
      if (sent === LIST_GROUPS_COMMAND) listingSentAt.push(clock.now());
    });
    try {
      const session = new RecallSession(resolveSettings([source]), {
        clock,
        events: { notice: (n) => notices.push(n), result: (e) => results.push(e) },
      });
      const summary = await settled(clock, session.run());
      const gaps = listingSentAt.slice(1).map((at, i) => at - listingSentAt[i]!);
      return { summary, notices, results, listingCalls: listingSentAt.length, gaps };
    } finally {
      stopWatching();
    }
  }

  it("recalls in every group but AVChatRoom and the excluded ones, following Next above 2^53, one listing call a second", async () => {
    const { summary, notices, listingCalls, gaps } = await runInputs({
      group: "*",
      "exclude-group": groups.public2,
    });

    expect(summary).toMatchObject({ recalled: 6, failed: 0 });
    expect(recalledIn(emulator!)).toEqual(
      [
        groups.public1,
        groups.public3,
        groups.private,
        groups.chatroom,
        groups.community,
        groups.quiet,
      ].sort(),
    );
    expect(recalledSenders(emulator!, groups.public1)).toEqual(["mallory"]);
    expect(recalledSenders(emulator!, groups.public2)).toEqual([]);
    expect(recalledSenders(emulator!, groups.live)).toEqual([]);
    const publicPages = emulator!.requests.filter(
      (r) => r.command === LIST_GROUPS_COMMAND && (r.body as { GroupType: string }).GroupType === "Public",
    );
    expect(publicPages.map((r) => (r.body as { Next: number }).Next > 2 ** 53)).toEqual([false, true]);
    expect(notices).toEqual(
      expect.arrayContaining([
        "Found 3 Public group(s).",
        "1 AVChatRoom group(s) are left out: they keep no history.",
        "1 group(s) left out as excluded.",
      ]),
    );
    // Two Public pages, one of each other type, and the AVChatRoom count, under the documented 1 call/s.
    expect(listingCalls).toBe(6);
    expect(gaps.every((gap) => gap >= 1000)).toBe(true);
  });

  it('lists only the types asked for, and with topic "*" reaches every topic of each Community', async () => {
    const { notices, listingCalls, gaps } = await runInputs({
      group: "*",
      "group-type": "Public, Community",
      topic: "*",
    });

    expect(recalledIn(emulator!)).toEqual(
      [groups.public1, groups.public2, groups.public3, groups.quiet, ...topics].sort(),
    );
    for (const topic of topics)
      expect(recalledSenders(emulator!, groups.community, topic)).toEqual(["mallory"]);
    expect(recalledSenders(emulator!, groups.community)).toEqual([]);
    expect(recalledSenders(emulator!, groups.private)).toEqual([]);
    expect(emulator!.requests.filter((r) => r.command === TOPICS_COMMAND)).toHaveLength(2);
    expect(notices).toContain(
      "Found 2 topic(s) in 2 Community group(s); a Community with none is recalled at group level.",
    );
    expect(listingCalls).toBe(4);
    expect(gaps.every((gap) => gap >= 1000)).toBe(true);
  });

  it("finds the whole plan with counts in a dry run, and recalls nothing", async () => {
    const { summary, results } = await runInputs({ group: "*", topic: "*", "dry-run": "true" });

    expect(recalledIn(emulator!)).toEqual([]);
    expect(results.map((e) => e.result.topic ?? e.result.group).sort()).toEqual(
      [
        groups.public1,
        groups.public2,
        groups.public3,
        groups.private,
        groups.chatroom,
        groups.quiet,
        ...topics,
      ].sort(),
    );
    expect(results.every((e) => e.result.outcome === "dry-run" && e.result.messages === 1)).toBe(true);
    expect(summary).toMatchObject({ dryRun: 8, matchedMessages: 8 });
  });
});
