import { afterEach, describe, expect, it, vi } from "vitest";
import type { RetryEvent } from "../src/chat/client.js";
import { NO_ANSWER, NOT_ATTEMPTED } from "../src/chat/errors.js";
import { Secrets } from "../src/chat/secrets.js";
import { decodeUserSig } from "../src/chat/usersig.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { HISTORY_COMMAND } from "../src/recall/history.js";
import { RECALL_BY_SEQ_COMMAND } from "../src/recall/notify.js";
import {
  RecallSession,
  RECALL_COMMAND,
  type ResultEvent,
  type SessionOptions,
} from "../src/recall/session.js";
import type { Connection, RecallSettings } from "../src/recall/settings.js";
import type { StopCause } from "../src/recall/stop.js";
import { FaultServer } from "./support/fault-server.js";
import { ManualClock } from "./support/manual-clock.js";

const APP_ID = 1400000002;
const SECRET_KEY = "session-test-secret-key-91b3";
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function emulatorWithGroups(groups: string[], senders: string[]): Promise<Emulator> {
  const started = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
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

/** Moves the clock on in steps, letting real calls be answered between them, until `promise` settles; gives its value. */
async function settled<T>(clock: ManualClock, promise: Promise<T>, stepMs = 50): Promise<T> {
  let over = false;
  promise.then(
    () => (over = true),
    () => (over = true),
  );
  await clock.advanceUntil(() => over, 120_000, stepMs, 2);
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
    expect(await settled(clock, session.run(), 250)).toMatchObject({ recalled: 8, failed: 0 });
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
    expect(recallCalls()).toBe(done.failed);
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

describe("cancellation", () => {
  it("stops starting calls, cuts the calls in flight after the grace period, and counts every pair", async () => {
    const senders = Array.from({ length: 100 }, (_, i) => `s-${i}`);
    emulator = await emulatorWithGroups(["g"], senders);
    emulator.faults.push({ command: RECALL_COMMAND, hangMs: 60_000, times: 1000 });
    const { session, results, summary } = run(
      settingsFor(emulator.url, ["g"], senders, { maxCallsPerSecond: 50 }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    session.cancel(200);
    const done = await summary;

    expect(performance.now() - started).toBeLessThan(2000);
    expect(done.recalled).toBe(0);
    expect(done.failed).toBeGreaterThan(0);
    expect(done.failed).toBe(recallCalls());
    expect(done.failed + done.notAttempted).toBe(100);
    expect(done.stopCause).toMatchObject({ reason: "cancelled" });
    const cut = results.find((e) => e.result.outcome === "failed")!.result;
    expect(cut).toMatchObject({ errorCode: NO_ANSWER, errorInfo: "cancelled before the answer" });
  });
});

describe("faults at scale", () => {
  it("keeps its pace while some requests hang until the timeout", async () => {
    const senders = Array.from({ length: 300 }, (_, i) => `s-${i}`);
    emulator = await emulatorWithGroups(["g"], senders);
    emulator.faults.push({ command: RECALL_COMMAND, hangMs: 60_000, times: 30 });
    const started = performance.now();
    const { summary } = run(settingsFor(emulator.url, ["g"], senders, { requestTimeoutMs: 1000 }));
    expect(await summary).toMatchObject({ recalled: 300, failed: 0 });
    // 300 calls at 194/s take 1.5 s; 30 of them hang for the 1 s timeout, then are retried: one
    // timeout and its back-off on top, not thirty in a row.
    expect(performance.now() - started).toBeLessThan(6000);
  });
});

describe("a stop part-way through a pair", () => {
  /**
   * Runs at one call a second on a manual clock that stands still: each API's first call goes at
   * once, the next would wait for the clock. Cancels once the emulator has seen `calls` calls of `command`.
   */
  async function cancelAfter(settings: RecallSettings, command: string, calls: number) {
    const clock = new ManualClock();
    const { session, results, summary } = run(settings, { clock });
    const seen = () => emulator!.requests.filter((r) => r.command === command).length;
    await vi.waitFor(() => expect(seen()).toBe(calls), { timeout: 10_000, interval: 5 });
    session.cancel();
    return { results, done: await settled(clock, summary) };
  }

  it("fails a pair whose messages were partly recalled by seq, counting those recalled", async () => {
    emulator = await emulatorWithGroups(["g"], []);
    for (let i = 0; i < 15; i++) emulator.state.sendMessage(APP_ID, "g", "spammer", `m${i}`);
    const settings = settingsFor(emulator.url, ["g"], ["spammer"], { maxCallsPerSecond: 1 });
    const { results, done } = await cancelAfter({ ...settings, mode: "notify" }, RECALL_BY_SEQ_COMMAND, 1);

    expect(emulator.requests.filter((r) => r.command === RECALL_BY_SEQ_COMMAND)).toHaveLength(1);
    expect(done).toMatchObject({ failed: 1, notAttempted: 0, recalledMessages: 10 });
    expect(results[0]!.result).toMatchObject({ outcome: "failed", errorCode: NOT_ATTEMPTED, messages: 10 });
    expect(results[0]!.result.errorInfo).toMatch(/^5 of 15 message\(s\) could not be recalled: seq \d+: -3/);
  });

  it("fails a recalled pair whose verify was stopped, saying the recall was answered OK", async () => {
    emulator = await emulatorWithGroups(["g"], ["spammer"]);
    // The recall is still on its way when the run is cancelled; the verify after it is not sent.
    emulator.faults.push({ command: RECALL_COMMAND, hangMs: 1000 });
    const settings = settingsFor(emulator.url, ["g"], ["spammer"], { maxCallsPerSecond: 1 });
    const { results, done } = await cancelAfter({ ...settings, verify: true }, RECALL_COMMAND, 1);

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
        discover: { groups: "all", types: ["Public"], exclude: new Set(), everyTopic: false },
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
