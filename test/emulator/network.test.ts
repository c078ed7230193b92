import { afterEach, describe, expect, it, vi } from "vitest";
import { signUserSig } from "../../src/chat/usersig.js";
import { CallStats } from "../../src/emulator/call-stats.js";
import type { Emulator } from "../../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "../support/emulator.js";
import { GET_GROUP_INFO, post, postText, rawRequest, startTestEmulator } from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

const OTHER_APP = { sdkAppId: APP_ID + 1, secretKey: "other-app-secret-key" };

/** A random source that plays `values` in turn. */
function playing(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe("emulator: latency and the rate window", () => {
  it("delays a request before the service counts it, then answers at once", async () => {
    emulator = await startTestEmulator({ latency: { fixedMs: 300 } });
    const sent = performance.now();
    expect((await post(emulator)).ErrorCode).toBe(0);
    const answered = performance.now();
    const { firstAcceptedAt } = emulator.stats()[GET_GROUP_INFO]!;
    expect(firstAcceptedAt! - sent).toBeGreaterThanOrEqual(299);
    // Held back again, the answer would take another 300 ms.
    expect(answered - firstAcceptedAt!).toBeLessThan(300);
  });

  it("counts requests in the order the network delivers them, not the order they were sent", async () => {
    const delays = playing(1, 0);
    let firstDrawn!: () => void;
    const drawn = new Promise<void>((resolve) => (firstDrawn = resolve));
    emulator = await startTestEmulator({
      rateLimitPerSecond: 1,
      latency: { fixedMs: 0, jitterMs: 300 },
      random: () => {
        firstDrawn();
        return delays();
      },
    });
    const sentFirst = post(emulator);
    await drawn;
    const sentSecond = post(emulator);
    expect((await sentSecond).ErrorCode).toBe(0);
    expect((await sentFirst).ErrorCode).toBe(60007);
  });
});

describe("emulator: stats", () => {
  it("counts accepted and rate-limited calls per command, with first and last acceptance", async () => {
    emulator = await startTestEmulator({
      rateLimitPerSecond: 3,
      apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }, OTHER_APP],
    });
    const before = performance.now();
    const codes = await Promise.all(Array.from({ length: 5 }, () => post(emulator)));
    expect(codes.filter((c) => c.ErrorCode === 0)).toHaveLength(3);
    await post(emulator, { command: "group_open_http_svc/no_such_thing" });
    await post(emulator, { sig: "garbage" });
    const stats = emulator.stats();
    expect(Object.keys(stats)).toEqual([GET_GROUP_INFO]);
    const info = stats[GET_GROUP_INFO]!;
    expect(info).toMatchObject({ accepted: 3, rateLimited: 2, busiestSecond: 3 });
    expect(info.firstAcceptedAt!).toBeGreaterThanOrEqual(before);
    expect(info.lastAcceptedAt!).toBeGreaterThanOrEqual(info.firstAcceptedAt!);

    emulator.resetStats();
    expect(emulator.stats()).toEqual({});
    // Another app: its calls meet a rate window of their own, and count in the same command's stats.
    const sig = signUserSig(OTHER_APP.secretKey, {
      identifier: "administrator",
      sdkAppId: OTHER_APP.sdkAppId,
      expire: 3600,
    });
    await post(emulator, { query: { sdkappid: String(OTHER_APP.sdkAppId) }, sig });
    expect(emulator.stats()[GET_GROUP_INFO]).toMatchObject({ accepted: 1, rateLimited: 0, busiestSecond: 1 });
  });

  it("keeps the busiest sliding second of accepted calls", () => {
    const stats = new CallStats();
    for (const at of [0, 0, 0, 600, 600, 600, 1200, 1200, 1200]) stats.accepted(GET_GROUP_INFO, at);
    expect(stats.snapshot()[GET_GROUP_INFO]).toMatchObject({ accepted: 9, busiestSecond: 6 });
  });
});

describe("emulator: UserSig checks", () => {
  it("still refuses a UserSig once it expires after it was accepted", async () => {
    emulator = await startTestEmulator();
    // The emulator judges expiry by Date.now(), which alone is faked here.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const time = Math.floor(Date.now() / 1000);
      const sig = signUserSig(SECRET_KEY, { identifier: "administrator", sdkAppId: APP_ID, expire: 1, time });
      expect((await post(emulator, { sig })).ErrorCode).toBe(0);
      vi.setSystemTime((time + 2) * 1000);
      expect((await post(emulator, { sig })).ErrorCode).toBe(70001);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("emulator: faults", () => {
  it("plays pushed faults in order, each for its number of times, as before", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ errorCode: 10002, times: 2 }, { httpStatus: 503 });
    expect((await post(emulator)).ErrorCode).toBe(10002);
    expect((await post(emulator)).ErrorCode).toBe(10002);
    expect(await postText(emulator)).toEqual({ status: 503, text: "emulated HTTP 503" });
    expect((await post(emulator)).ErrorCode).toBe(0);
  });

  it("applies a fault only to its command", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ command: "group_open_http_svc/get_appid_group_list", errorCode: 70500 });
    expect((await post(emulator)).ErrorCode).toBe(0);
    expect(
      (await post(emulator, { command: "group_open_http_svc/get_appid_group_list", body: {} })).ErrorCode,
    ).toBe(70500);
  });

  it("applies a probabilistic fault at random to every matching request, without using it up", async () => {
    emulator = await startTestEmulator({ random: playing(0.9, 0.1, 0.5, 0.29) });
    emulator.faults.push({ errorCode: 60018, probability: 0.3 });
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await post(emulator)).ErrorCode);
    expect(codes).toEqual([0, 60018, 0, 60018, 0, 60018, 0, 60018]);
    expect(emulator.faults.size).toBe(1);
    emulator.faults.clear();
    expect((await post(emulator)).ErrorCode).toBe(0);
  });

  it("drops the connection without an answer", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ reset: true });
    const dropped = await rawRequest(emulator, { body: ["{}"] });
    expect(dropped.status).toBeUndefined();
    expect(dropped.error).toBeDefined();
    expect((await post(emulator)).ErrorCode).toBe(0);
  });

  it("drops the connection after part of the answer", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ reset: { afterBytes: 10 } });
    const cut = await rawRequest(emulator, { body: [JSON.stringify({ GroupIdList: ["@TGS#X"] })] });
    expect(cut.status).toBe(200);
    expect(cut.body).toBe('{"ActionSt');
    expect(cut.error).toBeDefined();
  });

  it("answers a raw body: a gateway's HTML page or truncated JSON", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push(
      { body: "<html><body>502 Bad Gateway</body></html>" },
      { body: '{"ActionStatus":"OK","Err' },
    );
    const html = await rawRequest(emulator, { body: ["{}"] });
    expect(html).toMatchObject({ status: 200, contentType: "text/html; charset=utf-8" });
    expect(html.body).toBe("<html><body>502 Bad Gateway</body></html>");
    expect(await postText(emulator)).toEqual({ status: 200, text: '{"ActionStatus":"OK","Err' });
  });

  it("hangs for hangMs, then answers", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ hangMs: 150, errorCode: 70169 });
    const started = performance.now();
    expect((await post(emulator)).ErrorCode).toBe(70169);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("hangs forever with hangMs Infinity, until the emulator closes", async () => {
    emulator = await startTestEmulator();
    emulator.faults.push({ hangMs: Infinity });
    let settled = false;
    const hanging = rawRequest(emulator, { body: ["{}"] }).finally(() => (settled = true));
    await vi.waitFor(() => expect(emulator.requestCount).toBe(1), { interval: 5 });
    expect((await post(emulator)).ErrorCode).toBe(0);
    expect(settled).toBe(false);
    await emulator.close();
    expect((await hanging).error).toBeDefined();
  });

  it("refuses a fault it cannot play", async () => {
    emulator = await startTestEmulator();
    expect(() => emulator.faults.push({ probability: 1.5 })).toThrow(RangeError);
    expect(() => emulator.faults.push({ hangMs: -1 })).toThrow(RangeError);
    expect(() => emulator.faults.push({ reset: { afterBytes: -1 } })).toThrow(RangeError);
  });
});
