import { afterEach, describe, expect, it } from "vitest";
import type { RetryEvent } from "../src/chat/client.js";
import { verifyUserSig } from "../src/chat/usersig.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import type { RecallTarget } from "../src/recall/plan.js";
import { concurrencyFor, createClient, runRecall, type RecallResult } from "../src/recall/run.js";
import type { Connection } from "../src/recall/settings.js";

const APP_ID = 1400000002;
const SECRET_KEY = "run-test-secret-key-91b3";
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

function connection(url: string, overrides: Partial<Connection> = {}): Connection {
  return {
    sdkAppId: APP_ID,
    identifier: "administrator",
    auth: { secretKey: SECRET_KEY },
    region: "china",
    endpoint: url,
    maxAttempts: 5,
    requestTimeoutMs: 5000,
    maxCallsPerSecond: 200,
    ...overrides,
  };
}

function pairs(groups: string[], senders: string[]): RecallTarget[] {
  return groups.flatMap((group) => senders.map((sender) => ({ group, sender })));
}

describe("concurrencyFor", () => {
  it("keeps enough calls in flight to fill the rate at the latency seen", () => {
    for (const [rate, latencyMs] of [
      [200, 50],
      [200, 300],
      [50, 1000],
      [194, 20],
    ] as const) {
      expect(concurrencyFor(rate, latencyMs)).toBeGreaterThanOrEqual((rate * latencyMs) / 1000);
    }
    expect(concurrencyFor(200, 300)).toBeGreaterThan(concurrencyFor(200, 50));
  });

  it("stays within fixed bounds", () => {
    expect(concurrencyFor(1, 1)).toBe(4);
    expect(concurrencyFor(10_000, 5000)).toBe(512);
    expect(concurrencyFor(Infinity, 50)).toBe(512);
  });
});

describe("runRecall", () => {
  it("recalls every pair and hands each result over as it completes", async () => {
    const groups = ["g-1", "g-2", "g-3", "g-4"];
    const senders = ["alice", "bob", "carol", "dave", "erin"];
    emulator = await emulatorWithGroups(groups, senders);
    const client = createClient(connection(emulator.url));
    const seen: RecallResult[] = [];
    const summary = await runRecall(client, pairs(groups, senders), (r) => seen.push(r)).finally(() =>
      client.close(),
    );

    expect(summary).toEqual({ succeeded: 20, failed: 0 });
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((r) => `${r.group}/${r.sender}`)).size).toBe(20);
    for (const groupId of groups) {
      const left = emulator.state.history(APP_ID, groupId).filter((m) => !m.recalled);
      expect(left.map((m) => m.from)).toEqual(["bystander"]);
    }
  });

  it("goes on past a failed call and reports the first failure", async () => {
    emulator = await emulatorWithGroups(["exists"], ["alice"]);
    const client = createClient(connection(emulator.url));
    const targets = [
      { group: "exists", sender: "alice" },
      { group: "missing", sender: "alice" },
      { group: "exists", sender: "bob" },
    ];
    const summary = await runRecall(client, targets).finally(() => client.close());

    expect(summary.succeeded).toBe(2);
    expect(summary.failed).toBe(1);
    expect(summary.firstFailure).toMatchObject({
      group: "missing",
      actionStatus: "FAIL",
      errorCode: 10010,
      attempts: 1,
    });
  });

  it("retries rate-limited answers and finishes every call", async () => {
    emulator = await emulatorWithGroups(["g"], ["alice", "bob", "carol"]);
    emulator.faults.push({ errorCode: 60007, times: 2 });
    const retries: RetryEvent[] = [];
    const client = createClient(
      connection(emulator.url),
      { onRetry: (e) => retries.push(e) },
      { backoffBaseMs: 10 },
    );
    const summary = await runRecall(client, pairs(["g"], ["alice", "bob", "carol"])).finally(() =>
      client.close(),
    );

    expect(summary).toEqual({ succeeded: 3, failed: 0 });
    expect(retries.map((e) => e.code)).toEqual([60007, 60007]);
  });

  it("re-signs the UserSig before it expires on a run that outlives it", async () => {
    const senders = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    emulator = await emulatorWithGroups(["long"], senders);
    const signed: string[] = [];
    const retries: RetryEvent[] = [];
    const lifetimeSeconds = 2;
    const client = createClient(
      connection(emulator.url, { maxCallsPerSecond: 2 }),
      { onSecret: (sig) => signed.push(sig), onRetry: (e) => retries.push(e) },
      { userSigLifetimeSeconds: lifetimeSeconds },
    );
    const started = Date.now();
    const summary = await runRecall(client, pairs(["long"], senders)).finally(() => client.close());

    expect(Date.now() - started).toBeGreaterThan((lifetimeSeconds + 1) * 1000);
    expect(summary).toEqual({ succeeded: 10, failed: 0 });
    expect(retries).toEqual([]);
    expect(signed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(signed).size).toBe(signed.length);
    expect(verifyUserSig(signed[0]!, SECRET_KEY)).toMatchObject({ ok: false, reason: "expired" });
  });
});
