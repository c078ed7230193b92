import { describe, expect, it, vi } from "vitest";
import type { Attempt, Call, CallSignals, Failed, Routed, Send, Signed, Tried } from "../src/chat/attempt.js";
import { ChatClient, type ChatClientOptions, type RetryEvent } from "../src/chat/client.js";
import { NO_ANSWER, NOT_ATTEMPTED, type RetryClass } from "../src/chat/errors.js";
import { exchange } from "../src/chat/exchange.js";
import { failover } from "../src/chat/failover.js";
import { CallNotSentError } from "../src/chat/limiter.js";
import { RATE_LIMITED_RETRIES, retry, type RetryPolicy } from "../src/chat/retry.js";
import { Secrets } from "../src/chat/secrets.js";
import { sign, Signer, type ChatAuth } from "../src/chat/signing.js";
import { CommandLimiters, throttle } from "../src/chat/throttle.js";
import { decodeUserSig, signUserSig } from "../src/chat/usersig.js";
import { ManualClock } from "./support/manual-clock.js";
import { MemoryTransport, reply, type Script } from "./support/memory-transport.js";
import { failure } from "./support/failure.js";

const COMMAND = "group_open_http_svc/delete_group_msg_by_sender";
const SECRET_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const CALLER = { sdkAppId: 1400000001, identifier: "administrator" };
const MAIN = "https://console.tim.qq.com";
const BACKUP = "https://adminapi.my-imcloud.com";

function newCall(signals: CallSignals = {}): Call {
  return { command: COMMAND, payload: '{"GroupId":"@TGS#G"}', signals, resigned: false };
}

const succeeded: Tried = {
  ok: true,
  response: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" },
  text: "{}",
  answered: true,
};

function failed(retry: RetryClass, fields: Partial<Failed & { answered: boolean }> = {}): Tried {
  return {
    ok: false,
    code: 10002,
    fromServer: true,
    info: "server said no",
    retry,
    answered: true,
    ...fields,
  };
}

/** An inner layer that gives each attempt the next result (the last one repeats) and keeps the attempts. */
function scripted<A extends Attempt = Attempt>(...results: Tried[]): Send<A> & { attempts: A[] } {
  const attempts: A[] = [];
  const send = (attempt: A) => {
    attempts.push(attempt);
    return Promise.resolve(results[Math.min(attempts.length - 1, results.length - 1)]!);
  };
  return Object.assign(send, { attempts });
}

/** What a layer offers to do before an immediate retry. */
function mendOf(tried: Tried): () => void {
  if (tried.ok || !tried.mend)
    throw new Error(`expected a failure with a mend, got ${JSON.stringify(tried)}`);
  return tried.mend;
}

/** Moves the clock on until `pending` settles, then gives its result. */
async function driven<T>(clock: ManualClock, pending: Promise<T>): Promise<T> {
  let settled = false;
  pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  await clock.advanceUntil(() => settled, 3_600_000, 100);
  return pending;
}

describe("exchange", () => {
  const send = (script: Script) => {
    const transport = new MemoryTransport(script);
    const attempt = exchange(transport, CALLER, (text) => text.replaceAll("secret", "***"));
    return { transport, attempt };
  };

  it("posts the command with a fresh random to the attempt's base, with its UserSig, and judges the answer", async () => {
    const { transport, attempt } = send([reply.ok({ GroupId: "@TGS#G" })]);
    const call = newCall();
    const first = await attempt({ call, base: BACKUP, userSig: "sig-1" });
    await attempt({ call, base: MAIN, userSig: "sig-2" });

    expect(first).toMatchObject({ ok: true, answered: true, response: { GroupId: "@TGS#G" } });
    expect(transport.requests.map((r) => [r.base, r.command, r.body])).toEqual([
      [BACKUP, COMMAND, call.payload],
      [MAIN, COMMAND, call.payload],
    ]);
    const [one, two] = transport.requests.map((r) => Object.fromEntries(r.query));
    expect(one).toMatchObject({ sdkappid: "1400000001", identifier: "administrator", usersig: "sig-1" });
    expect(two!.usersig).toBe("sig-2");
    expect(one!.random).not.toBe(two!.random);
  });

  it.each([
    ["a refused connection", reply.refused(), { retry: "transient", connectFailure: true, answered: false }],
    ["a timeout", reply.timeout(), { retry: "transient", connectFailure: false, answered: false }],
    ["HTTP 429", reply.status(429), { retry: "rate-limited", answered: true }],
    ["HTTP 503", reply.status(503), { retry: "transient", answered: true }],
    ["a 200 that is not JSON", reply.body("<html>"), { retry: "transient", answered: true }],
    ["ErrorCode 70001", reply.error(70001), { retry: "resign", code: 70001, answered: true }],
  ])("takes %s for a failure, answered or not", async (_, outcome, expected) => {
    const { attempt } = send([outcome]);
    expect(await attempt({ call: newCall(), base: MAIN, userSig: "sig" })).toMatchObject({
      ok: false,
      ...expected,
    });
  });

  it("cleans what it keeps of an answer", async () => {
    const { attempt } = send([reply.error(10004, "the secret is out")]);
    expect(await attempt({ call: newCall(), base: MAIN, userSig: "sig" })).toMatchObject({
      info: "the *** is out",
    });
  });
});

describe("signing", () => {
  function signer(auth: ChatAuth, lifetimeSeconds?: number) {
    const masked: string[] = [];
    const clock = new ManualClock();
    const secrets = new Secrets((form) => masked.push(form));
    const signed = vi.spyOn(secrets, "addUserSig");
    return { masked, clock, signed, signer: new Signer(auth, CALLER, secrets, clock, lifetimeSeconds) };
  }

  it("signs with the secret key, masks each UserSig before it is used, and renews it before it expires", async () => {
    const { signer: s, masked, clock } = signer({ secretKey: SECRET_KEY }, 1000);
    expect(masked).toContain(SECRET_KEY);
    const first = s.current();
    expect(masked).toContain(first);
    expect(decodeUserSig(first)).toMatchObject({ identifier: "administrator", expire: 1000 });

    await clock.advanceTo(699_000);
    expect(s.current()).toBe(first);
    await clock.advanceTo(700_000);
    const second = s.current();
    expect(second).not.toBe(first);
    expect(masked).toContain(second);
  });

  it("renews a short-lived UserSig halfway through its life", async () => {
    const { signer: s, clock } = signer({ secretKey: SECRET_KEY }, 100);
    const first = s.current();
    await clock.advanceTo(49_000);
    expect(s.current()).toBe(first);
    await clock.advanceTo(50_000);
    expect(s.current()).not.toBe(first);
  });

  it("uses a given UserSig as it is, and cannot renew it", () => {
    const given = signUserSig(SECRET_KEY, { ...CALLER, expire: 1, time: 1000 });
    const { signer: s, masked } = signer({ userSig: given });
    expect(masked).toContain(given);
    expect(s.current()).toBe(given);
    expect(s.canRenew).toBe(false);
  });

  it("sends each attempt with the current UserSig, and re-signs once per call when it expired", async () => {
    const { signer: s, signed, clock } = signer({ secretKey: SECRET_KEY });
    const inner = scripted<Signed>(failed("resign", { code: 70001 }));
    const attempt = sign(s, inner);
    const call = newCall();

    const first = await attempt({ call, base: MAIN });
    expect(first).toMatchObject({ ok: false, retry: "resign" });
    expect(inner.attempts[0]!.userSig).toBe(s.current());
    expect(signed).toHaveBeenCalledTimes(1);
    mendOf(first)();
    expect(call.resigned).toBe(true);

    await clock.advanceTo(1000);
    const second = await attempt({ call, base: MAIN });
    expect(signed).toHaveBeenCalledTimes(2);
    expect(inner.attempts[1]!.userSig).not.toBe(inner.attempts[0]!.userSig);
    expect(second).not.toHaveProperty("mend");

    expect(await attempt({ call: newCall(), base: MAIN })).toHaveProperty("mend");
  });

  it("does not offer to re-sign a UserSig it was given", async () => {
    const { signer: s } = signer({ userSig: signUserSig(SECRET_KEY, { ...CALLER, expire: 1, time: 1000 }) });
    const attempt = sign(s, scripted(failed("resign", { code: 70001 })));
    expect(await attempt({ call: newCall(), base: MAIN })).not.toHaveProperty("mend");
  });

  it("leaves other failures as they are", async () => {
    const { signer: s } = signer({ secretKey: SECRET_KEY });
    const attempt = sign(s, scripted(failed("transient"), failed("permanent")));
    expect(await attempt({ call: newCall(), base: MAIN })).not.toHaveProperty("mend");
    expect(await attempt({ call: newCall(), base: MAIN })).not.toHaveProperty("mend");
  });
});

describe("failover", () => {
  it("moves to the backup when the main domain cannot be reached, for every call from then on", async () => {
    const inner = scripted<Routed>(failed("transient", { connectFailure: true, answered: false }), succeeded);
    const attempt = failover([MAIN, BACKUP], inner);

    mendOf(await attempt({ call: newCall() }))();
    await attempt({ call: newCall() });
    await attempt({ call: newCall() });
    expect(inner.attempts.map((a) => a.base)).toEqual([MAIN, BACKUP, BACKUP]);
  });

  it("stays where it is when the call gives up instead of retrying", async () => {
    const inner = scripted<Routed>(failed("transient", { connectFailure: true, answered: false }), succeeded);
    const attempt = failover([MAIN, BACKUP], inner);
    await attempt({ call: newCall() });
    await attempt({ call: newCall() });
    expect(inner.attempts.map((a) => a.base)).toEqual([MAIN, MAIN]);
  });

  it("has nothing to offer on the last domain, or for a failure that is not a connect failure", async () => {
    const refused = failed("transient", { connectFailure: true, answered: false });
    expect(await failover([MAIN], scripted(refused))({ call: newCall() })).not.toHaveProperty("mend");
    const timeout = failed("transient", { connectFailure: false, answered: false });
    expect(await failover([MAIN, BACKUP], scripted(timeout))({ call: newCall() })).not.toHaveProperty("mend");
  });
});

describe("throttle", () => {
  it("lets each attempt out when the command's limiter says so", async () => {
    const clock = new ManualClock();
    const limiters = new CommandLimiters(1, clock);
    const inner = scripted(succeeded);
    const attempt = throttle(limiters, inner);

    await attempt({ call: newCall() });
    const second = attempt({ call: newCall() });
    await clock.advanceTo(500);
    expect(inner.attempts).toHaveLength(1);
    expect(limiters.waiting).toBe(1);
    await driven(clock, second);
    expect(inner.attempts).toHaveLength(2);
    expect(clock.now()).toBeGreaterThanOrEqual(1000);
  });

  it("tells the limiter of every answer the server gave, and of nothing else", async () => {
    const clock = new ManualClock();
    const limiters = new CommandLimiters(200, clock);
    const onAnswer = vi.spyOn(limiters.of(COMMAND), "onAnswer");
    const attempt = throttle(
      limiters,
      scripted(
        succeeded,
        failed("rate-limited", { code: NO_ANSWER, fromServer: false, info: "HTTP 429" }),
        failed("transient", { code: NO_ANSWER, fromServer: false, info: "HTTP 200 with a body" }),
        failed("transient", { code: NO_ANSWER, fromServer: false, answered: false }),
      ),
    );
    for (let i = 0; i < 4; i++) await driven(clock, attempt({ call: newCall() }));
    expect(onAnswer.mock.calls.map(([, rateLimited]) => rateLimited)).toEqual([false, true, false]);
  });

  it("gives an API the ceiling set for it, above or below the one for every API", () => {
    const history = "group_open_http_svc/group_msg_get_simple";
    const limiters = new CommandLimiters(200, new ManualClock(), new Map([[history, 2000]]));
    expect(limiters.of(history).rate).toBeGreaterThan(1000);
    expect(limiters.of(COMMAND).rate).toBeLessThanOrEqual(200);
    expect(limiters.of("im_open_login_svc/account_check").rate).toBeLessThanOrEqual(100);
  });

  it("keeps get_appid_group_list to its documented 1 call per second", () => {
    const limiters = new CommandLimiters(200, new ManualClock());
    expect(limiters.of("group_open_http_svc/get_appid_group_list").rate).toBeLessThanOrEqual(1);
    expect(limiters.of(COMMAND).rate).toBeGreaterThan(100);
  });

  it("sends nothing once the call's stop comes while it waits", async () => {
    const clock = new ManualClock();
    const inner = scripted(succeeded);
    const attempt = throttle(new CommandLimiters(1, clock), inner);
    await attempt({ call: newCall() });
    const stop = new AbortController();
    const waiting = attempt({ call: newCall({ stop: stop.signal }) });
    stop.abort();
    await expect(waiting).rejects.toBeInstanceOf(CallNotSentError);
    expect(inner.attempts).toHaveLength(1);
  });
});

describe("retry", () => {
  function retrying(inner: Send, policy: Partial<RetryPolicy> = {}) {
    const clock = new ManualClock();
    const events: RetryEvent[] = [];
    const send = retry(
      { maxAttempts: 3, backoffBaseMs: 100, clock, onRetry: (e) => events.push(e), ...policy },
      inner,
    );
    return { events, clock, send, call: (call = newCall()) => driven(clock, send(call)) };
  }

  it("retries a transient failure up to maxAttempts, then throws it", async () => {
    const { call, events } = retrying(scripted(failed("transient", { code: 70500, info: "busy" })));
    const error = await failure(call());
    expect(error).toMatchObject({ code: 70500, info: "busy", attempts: 3, fromServer: true });
    expect(events.map((e) => [e.attempt, e.retry, e.code])).toEqual([
      [1, "transient", 70500],
      [2, "transient", 70500],
    ]);
  });

  it("does not count rate-limited answers as attempts, and retries them at most RATE_LIMITED_RETRIES times", async () => {
    const limited = failed("rate-limited", { code: 60007 });
    const inner = scripted(limited, limited, limited, failed("transient"), succeeded);
    expect((await retrying(inner, { maxAttempts: 2 }).call()).attempts).toBe(5);

    const { call, events } = retrying(scripted(failed("rate-limited", { code: 60011 })), { maxAttempts: 2 });
    expect(await failure(call())).toMatchObject({ code: 60011, attempts: RATE_LIMITED_RETRIES + 1 });
    expect(events).toHaveLength(RATE_LIMITED_RETRIES);
  });

  it.each([
    ["a permanent failure", "permanent", 10010],
    ["an expired UserSig that nothing mends", "resign", 70001],
  ] as const)("fails at once on %s", async (_, retryClass, code) => {
    const { call, events } = retrying(scripted(failed(retryClass, { code })));
    expect(await failure(call())).toMatchObject({ code, attempts: 1 });
    expect(events).toHaveLength(0);
  });

  it("retries a mended failure at once, and mends only what it retries", async () => {
    const mend = vi.fn();
    const mended = failed("resign", { code: 70001, mend });
    const { call, events } = retrying(scripted(mended, succeeded), { maxAttempts: 1 });
    expect((await call()).attempts).toBe(2);
    expect(mend).toHaveBeenCalledTimes(1);
    expect(events).toMatchObject([{ retry: "resign", delayMs: 0 }]);

    const refused = vi.fn();
    const unused = failed("transient", { connectFailure: true, answered: false, mend: refused });
    await failure(retrying(scripted(unused), { maxAttempts: 1 }).call());
    expect(refused).not.toHaveBeenCalled();
  });

  it("backs off exponentially from the base after each transient failure, up to 8 s", async () => {
    const { call, events } = retrying(scripted(failed("transient")), { maxAttempts: 8, random: () => 0.5 });
    await failure(call());
    expect(events.map((e) => e.delayMs)).toEqual([50, 100, 200, 400, 800, 1600, 3200]);
    const capped = retrying(scripted(failed("transient")), { maxAttempts: 3, backoffBaseMs: 10_000 });
    await failure(capped.call());
    for (const event of capped.events) expect(event.delayMs).toBeLessThanOrEqual(8000);
  });

  it("counts only transient failures for the back-off, not the rate-limited answers before them", async () => {
    const limited = Array.from({ length: 10 }, () => failed("rate-limited", { code: 60007 }));
    const inner = scripted(...limited, failed("transient"), failed("transient"), succeeded);
    const { call, events } = retrying(inner, { random: () => 0.5 });
    expect((await call()).attempts).toBe(13);
    const transient = events.filter((e) => e.retry === "transient").map((e) => e.delayMs);
    expect(transient).toEqual([50, 100]);
  });

  it("pauses briefly after a rate-limited answer", async () => {
    const { call, events } = retrying(scripted(failed("rate-limited"), succeeded), { random: () => 0.999 });
    await call();
    expect(events[0]!.delayMs).toBeCloseTo(99.9);
  });

  it.each(["rate-limited", "transient"] as const)(
    "waits as long as Retry-After says after a %s failure, within 30 s",
    async (retryClass) => {
      const inner = scripted(
        failed(retryClass, { retryAfterMs: 300 }),
        failed(retryClass, { retryAfterMs: 100_000 }),
        succeeded,
      );
      const { call, events, clock } = retrying(inner, { random: () => 0 });
      await call();
      expect(events.map((e) => e.delayMs)).toEqual([300, 30_000]);
      expect(clock.now()).toBeGreaterThanOrEqual(30_300);
    },
  );

  it("reports a call stopped before anything was sent as not attempted", async () => {
    const inner: Send = () => Promise.reject(new CallNotSentError("cancelled before it was sent"));
    const error = await failure(retrying(inner).call());
    expect(error).toMatchObject({ code: NOT_ATTEMPTED, attempts: 0, fromServer: false });
  });

  it("gives up a retry once the stop comes, with the last failure", async () => {
    const stop = new AbortController();
    const inner = scripted(failed("transient", { code: 70169 }), succeeded);
    const { clock, send } = retrying(inner, { random: () => 0.5 });
    const pending = send(newCall({ stop: stop.signal }));
    await clock.advanceTo(1);
    stop.abort();
    expect(await failure(pending)).toMatchObject({ code: 70169, attempts: 1 });
    expect(inner.attempts).toHaveLength(1);
  });
});

describe("the layers in a ChatClient", () => {
  function newClient(script: Script, options: Partial<ChatClientOptions> = {}) {
    const clock = new ManualClock();
    const transport = new MemoryTransport(script);
    const retries: RetryEvent[] = [];
    const client = new ChatClient({
      ...CALLER,
      auth: { secretKey: SECRET_KEY },
      region: "china",
      maxAttempts: 3,
      requestTimeoutMs: 2000,
      maxCallsPerSecond: 200,
      backoffBaseMs: 100,
      clock,
      transport,
      onRetry: (e) => retries.push(e),
      ...options,
    });
    const call = () => driven(clock, client.call(COMMAND, { GroupId: "@TGS#G" }));
    return { client, transport, retries, call };
  }

  it("after rate-limited answers, waits at most the back-off base after the first transient failure", async () => {
    const script = [...Array.from({ length: 10 }, () => reply.error(60007)), reply.error(10002), reply.ok()];
    const { call, retries } = newClient(script, { random: () => 0.999 });
    expect((await call()).attempts).toBe(12);
    expect(retries[10]).toMatchObject({ code: 10002, retry: "transient" });
    expect(retries[10]!.delayMs).toBeLessThanOrEqual(100);
  });

  it("does not count rate-limited answers as failed attempts, but gives up on a server that never stops saying so", async () => {
    const limited = reply.error(60007);
    const { call } = newClient([limited, limited, limited, reply.error(10002), reply.ok()], {
      maxAttempts: 2,
    });
    expect((await call()).attempts).toBe(5);

    const endless = newClient([reply.error(60011)], { maxAttempts: 2 });
    const error = await failure(endless.call());
    expect(error).toMatchObject({ code: 60011, attempts: RATE_LIMITED_RETRIES + 1 });
  });

  it("moves to the region's backup domain at once when the main one cannot be reached", async () => {
    const { call, transport, retries } = newClient((request) =>
      request.base === MAIN ? reply.refused() : reply.ok(),
    );
    expect((await call()).attempts).toBe(2);
    await call();
    expect(transport.requests.map((r) => r.base)).toEqual([MAIN, BACKUP, BACKUP]);
    expect(retries).toMatchObject([{ code: NO_ANSWER, retry: "transient", delayMs: 0 }]);
  });

  it("re-signs once per call when the UserSig expired, and not at all with a UserSig it was given", async () => {
    const secrets = new Secrets();
    const signed = vi.spyOn(secrets, "addUserSig");
    const { call } = newClient([reply.error(70001), reply.ok(), reply.error(70001)], { secrets });
    expect((await call()).attempts).toBe(2);
    expect(signed).toHaveBeenCalledTimes(2);
    expect(await failure(call())).toMatchObject({ code: 70001, attempts: 2 });
    expect(signed).toHaveBeenCalledTimes(3);

    const given = signUserSig(SECRET_KEY, { ...CALLER, expire: 1, time: 1000 });
    const fixed = newClient([reply.error(70001)], { auth: { userSig: given } });
    expect(await failure(fixed.call())).toMatchObject({ code: 70001, attempts: 1 });
    expect(fixed.transport.requests.map((r) => r.query.get("usersig"))).toEqual([given]);
  });

  it("closes the transport it was given", () => {
    const { client, transport } = newClient([reply.ok()]);
    client.close();
    expect(transport.closed).toBe(true);
  });
});
