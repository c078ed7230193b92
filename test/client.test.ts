import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatClient, ChatClientOptions, RetryEvent } from "../src/chat/client.js";
import { baseUrls } from "../src/chat/endpoint.js";
import { INCONSISTENT_ANSWER, NO_ANSWER } from "../src/chat/errors.js";
import { Secrets } from "../src/chat/secrets.js";
import { MAX_ANSWER_BYTES } from "../src/chat/http-answer.js";
import { decodeUserSig, inflateUserSig, signUserSig, userSigAsBase64 } from "../src/chat/usersig.js";
import type { Emulator } from "../src/emulator/index.js";
import { RECALL_COMMAND as RECALL } from "../src/recall/strategy-silent.js";
import { adminClient } from "./support/admin-client.js";
import { APP_ID, SECRET_KEY, emulatorWithGroup } from "./support/emulator.js";
import { FaultServer, type Behaviour } from "./support/fault-server.js";
import { failure } from "./support/failure.js";

let emulator: Emulator | undefined;
let faults: FaultServer | undefined;
let client: ChatClient | undefined;

afterEach(async () => {
  client?.close();
  await emulator?.close();
  await faults?.close();
  emulator = faults = client = undefined;
});

/** Secrets that also note each UserSig added, each time the client signs one. */
class RecordingSecrets extends Secrets {
  readonly userSigs: string[] = [];

  override addUserSig(userSig: string): void {
    this.userSigs.push(userSig);
    super.addUserSig(userSig);
  }
}

function newClient(endpoint: string, options: Partial<ChatClientOptions> = {}) {
  const masked: string[] = [];
  const secrets = new RecordingSecrets((form) => masked.push(form));
  const retries: RetryEvent[] = [];
  client = adminClient({ sdkAppId: APP_ID, secretKey: SECRET_KEY }, endpoint, {
    maxAttempts: 3,
    requestTimeoutMs: 2000,
    backoffBaseMs: 10,
    secrets,
    onRetry: (e) => retries.push(e),
    ...options,
  });
  const signed = () => secrets.userSigs;
  return { client, masked, signed, retries };
}

const RECALL_BODY = { GroupId: "@TGS#G", Sender_Account: "mallory" };

describe("ChatClient against the emulator", () => {
  async function setup(options: Partial<ChatClientOptions> = {}) {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    return { groupId, ...newClient(emulator.url, options) };
  }

  it("sends the documented request and decides success from the body", async () => {
    const { groupId, signed, client } = await setup();
    const { response, attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });

    expect(response).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(attempts).toBe(1);
    const [request] = emulator!.requests;
    expect(request).toMatchObject({
      command: RECALL,
      sdkAppId: String(APP_ID),
      identifier: "administrator",
      body: { GroupId: groupId, Sender_Account: "mallory" },
    });
    expect(Number(request!.random)).toBeGreaterThanOrEqual(0);
    expect(Number(request!.random)).toBeLessThan(2 ** 32);
    expect(signed()).toHaveLength(1);
  });

  it("fails at once on a permanent code with the code, its meaning and the server's ErrorInfo", async () => {
    const { client } = await setup();
    const error = await failure(client.call(RECALL, { GroupId: "@TGS#NONE", Sender_Account: "x" }));

    expect(error).toMatchObject({ code: 10010, attempts: 1, fromServer: true });
    expect(error.message).toContain("ErrorCode 10010 (the group does not exist or was dismissed)");
    expect(error.info).toContain("@TGS#NONE");
    expect(emulator!.requests).toHaveLength(1);
  });

  it("retries transient and rate-limited answers up to maxAttempts, with a fresh random each time", async () => {
    const { groupId, client } = await setup();
    emulator!.faults.push({ errorCode: 10002 }, { errorCode: 60018 });
    const { attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });
    expect(attempts).toBe(3);
    expect(new Set(emulator!.requests.map((r) => r.random)).size).toBe(3);

    emulator!.faults.push({ httpStatus: 503, times: 3 });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error).toMatchObject({ attempts: 3, info: "HTTP 503", code: NO_ANSWER, fromServer: false });
  });

  it("re-signs once when the UserSig expired, then succeeds", async () => {
    const { groupId, signed, client } = await setup();
    emulator!.faults.push({ errorCode: 70001 });
    const { attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });
    expect(attempts).toBe(2);
    expect(signed()).toHaveLength(2);

    emulator!.faults.push({ errorCode: 70001, times: 2 });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error).toMatchObject({ code: 70001, attempts: 2 });
  });

  it("cannot re-sign a UserSig it was given, so an expired one fails at once", async () => {
    const stale = signUserSig(SECRET_KEY, {
      identifier: "administrator",
      sdkAppId: APP_ID,
      expire: 1,
      time: 1000,
    });
    const { groupId, client } = await setup({ auth: { userSig: stale } });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error).toMatchObject({ code: 70001, attempts: 1 });
    expect(error.message).not.toContain(stale);
  });

  it("reports a refused connection without any secret", async () => {
    ({ emulator } = await emulatorWithGroup());
    const url = emulator.url;
    await emulator.close();
    emulator = undefined;
    const { client, masked } = newClient(url, { maxAttempts: 2, backoffBaseMs: 1 });
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error.info).toContain("ECONNREFUSED");
    for (const secret of [...masked, SECRET_KEY]) expect(error.message).not.toContain(secret);
  });
});

describe("the answers a server gives", () => {
  async function against(script: Behaviour[], options: Partial<ChatClientOptions> = {}) {
    faults = await FaultServer.start(script);
    return newClient(faults.url, options);
  }

  it.each([
    [{ ActionStatus: "FAIL", ErrorCode: 0, ErrorInfo: "odd" }, 'ActionStatus "FAIL" with ErrorCode 0: odd'],
    [{ ErrorCode: 0, ErrorInfo: "" }, "ActionStatus null with ErrorCode 0"],
    [{ ActionStatus: "OK", ErrorCode: "0", ErrorInfo: "" }, 'ActionStatus "OK" with ErrorCode "0"'],
    [{ ActionStatus: "OK", ErrorInfo: "" }, 'ActionStatus "OK" with ErrorCode null'],
    [{ ActionStatus: "ok", ErrorCode: 0 }, 'ActionStatus "ok" with ErrorCode 0'],
    [{ ActionStatus: "OK", ErrorCode: 0.5 }, 'ActionStatus "OK" with ErrorCode 0.5'],
  ])("takes %j for an inconsistent answer, never a success", async (json, info) => {
    const { client } = await against([{ json }]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ code: INCONSISTENT_ANSWER, fromServer: false, attempts: 1, info });
    expect(error.message).toContain("the answer was inconsistent");
  });

  it.each([
    ['{"ActionStatus":"OK","ErrorCode":10010,"ErrorInfo":"group gone","ErrorCode":0}', "ErrorCode"],
    ['{"ActionStatus":"FAIL","ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK"}', "ActionStatus"],
    ['{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","Error\\u0043ode":0}', "ErrorCode"],
    ['{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"group gone","ErrorInfo":""}', "ErrorInfo"],
    ['{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorCode":10010,"ErrorInfo":"gone"}', "ErrorCode"],
  ])("takes %s, which repeats a key it is judged by, for an inconsistent answer", async (body, key) => {
    const { client } = await against([{ body }]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ code: INCONSISTENT_ANSWER, fromServer: false, attempts: 1 });
    expect(error.info).toBe(`the answer has ${key} more than once, so it cannot be judged`);
  });

  it("does not mind a repeated key the answer is not judged by", async () => {
    const { client } = await against([
      { body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","X":1,"X":2,"L":[{"ErrorCode":1}]}' },
    ]);
    expect((await client.call(RECALL, RECALL_BODY)).attempts).toBe(1);
  });

  it("takes a non-zero ErrorCode for the server's failure even when ActionStatus says OK", async () => {
    const { client } = await against([{ json: { ActionStatus: "OK", ErrorCode: 10004, ErrorInfo: "bad" } }]);
    expect(await failure(client.call(RECALL, RECALL_BODY))).toMatchObject({ code: 10004, fromServer: true });
  });

  it("keeps a server's ErrorCode -1 apart from no answer: an answer, not retried", async () => {
    const { client } = await against([
      { json: { ActionStatus: "FAIL", ErrorCode: -1, ErrorInfo: "strange" } },
    ]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ code: -1, fromServer: true, attempts: 1, info: "strange" });
    expect(error.message).toContain("ErrorCode -1 (unlisted error code)");
  });

  it.each([
    ["truncated JSON", '{"ActionStatus":"OK","ErrorCo'],
    ["an HTML gateway page", "<html><body><h1>502 Bad Gateway</h1></body></html>"],
    ["an empty body", ""],
  ])("retries a 200 with %s like a 5xx, and reports it when attempts run out", async (_, body) => {
    const { client } = await against([{ body }]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ code: NO_ANSWER, fromServer: false, attempts: 3 });
    expect(error.info).toMatch(/^HTTP 200 with a body that is not a Chat API answer: /);
    expect(faults!.requests).toHaveLength(3);
  });

  it("succeeds on the retry after a body that was not an answer", async () => {
    const { client } = await against([{ body: "<html>" }, { json: { ActionStatus: "OK", ErrorCode: 0 } }]);
    expect((await client.call(RECALL, RECALL_BODY)).attempts).toBe(2);
  });

  it("stops reading an answer past 1 MiB and counts it as a failed attempt", async () => {
    const { client } = await against([{ bytes: 50 * MAX_ANSWER_BYTES }], { maxAttempts: 1 });
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error.info).toContain(`over the ${MAX_ANSWER_BYTES}-byte limit`);
    expect(error.message.length).toBeLessThan(2000);
  });

  it("cuts a long ErrorInfo to 1,000 characters", async () => {
    const { client } = await against([
      { json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: "e".repeat(100_000) } },
    ]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error.info.startsWith("e".repeat(1000) + "… (99000 more characters)")).toBe(true);
    expect(error.info.length).toBeLessThan(1100);
  });

  it.each(["before-answer", "mid-body"] as const)(
    "fails an attempt at once when the connection closes %s, without waiting out the timeout",
    async (reset) => {
      const { client } = await against([{ reset }], { maxAttempts: 1, requestTimeoutMs: 60_000 });
      const started = performance.now();
      const error = await failure(client.call(RECALL, RECALL_BODY));
      expect(performance.now() - started).toBeLessThan(5000);
      expect(error).toMatchObject({ code: NO_ANSWER, fromServer: false });
      expect(error.info).toMatch(/network error|closed in the middle of the answer/);
    },
  );

  it("gives up on a server that does not answer within the timeout", async () => {
    const { client } = await against([{ hang: true }], { requestTimeoutMs: 200, maxAttempts: 2 });
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ code: NO_ANSWER, attempts: 2, info: "no answer within 200 ms" });
  });

  it("does not follow a redirect", async () => {
    const { client } = await against([
      { body: "", status: 302, headers: { location: "http://127.0.0.1:1/" } },
    ]);
    const error = await failure(client.call(RECALL, RECALL_BODY));
    expect(error).toMatchObject({ info: "HTTP 302", attempts: 1 });
    expect(faults!.requests).toHaveLength(1);
  });

  it.each([
    [429, "rate-limited"],
    [503, "transient"],
  ])("waits as long as Retry-After says after an HTTP %i, within a cap", async (status) => {
    const { client, retries } = await against(
      [
        { body: "", status, headers: { "retry-after": "0.3" } },
        { body: "", status, headers: { "retry-after": "100000" } },
        { json: { ActionStatus: "OK", ErrorCode: 0 } },
      ],
      { backoffBaseMs: 1 },
    );
    const stop = new AbortController();
    const started = performance.now();
    const pending = client.call(RECALL, RECALL_BODY, { stop: stop.signal });
    await vi.waitFor(() => expect(retries).toHaveLength(2), { timeout: 5000, interval: 20 });
    expect(retries.map((r) => r.delayMs)).toEqual([300, 30_000]);
    expect(faults!.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThan(300);
    stop.abort();
    expect(await failure(pending)).toMatchObject({ info: `HTTP ${status}`, attempts: 2 });
  });

  it("keeps the UserSig out of every failure, in every form the server may echo it", async () => {
    faults = await FaultServer.start((request) => {
      const sig = request.query.get("usersig")!;
      const std = userSigAsBase64(sig);
      const hmac = decodeUserSig(sig)!.sig;
      const echo = [
        sig,
        std,
        encodeURIComponent(std),
        inflateUserSig(sig),
        hmac,
        encodeURIComponent(hmac),
        SECRET_KEY,
      ];
      return {
        json: {
          ActionStatus: "FAIL",
          ErrorCode: 10004,
          ErrorInfo: `seen: ${echo.join(" | ")} usersig=${sig}`,
        },
      };
    });
    const { client, signed } = newClient(faults.url, { maxAttempts: 1 });
    const error = await failure(client.call(RECALL, RECALL_BODY));
    const sig = signed()[0]!;
    const leaks = [sig, userSigAsBase64(sig), decodeUserSig(sig)!.sig, inflateUserSig(sig)!, SECRET_KEY];
    for (const leak of leaks) expect(error.message).not.toContain(leak);
    expect(error.info).toMatch(
      /^seen: \*\*\* \| \*\*\* \| \*\*\* \| \*\*\* \| \*\*\* \| \*\*\* \| \*\*\* usersig=\*\*\*$/,
    );
  });

  it("keeps the UserSig out of a body that is not an answer, also where the shown part cuts it", async () => {
    faults = await FaultServer.start((request) => ({
      body: `<html>${"x".repeat(150)} ${request.query.get("usersig")}</html>`,
    }));
    const { client, signed } = newClient(faults.url, { maxAttempts: 1 });
    const error = await failure(client.call(RECALL, RECALL_BODY));
    const sig = signed()[0]!;
    expect(error.info).not.toContain(sig.slice(0, 20));
    expect(error.info).toMatch(
      /^HTTP 200 with a body that is not a Chat API answer: <html>x+ \*\*\*<\/html>$/,
    );
  });

  it("keeps the UserSig out of the ErrorInfo of an OK answer, and cuts it to 1,000 characters", async () => {
    faults = await FaultServer.start((request) => ({
      json: {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: `${request.query.get("usersig")} ${"e".repeat(5000)}`,
      },
    }));
    const { client } = newClient(faults.url, { maxAttempts: 1 });
    const { response } = await client.call(RECALL, RECALL_BODY);
    expect(response.ErrorInfo).toMatch(/^\*\*\* e+… \(\d+ more characters\)$/);
    expect(response.ErrorInfo.length).toBeLessThan(1100);
  });
});

describe("endpoints", () => {
  it("tries the region's main domain, then its backup", () => {
    expect(baseUrls("singapore")).toEqual([
      "https://adminapisgp.im.qcloud.com",
      "https://adminapisgp.my-imcloud.com",
    ]);
    expect(baseUrls("tokyo")).toEqual([
      "https://adminapijpn.im.qcloud.com",
      "https://adminapijpn.my-imcloud.com",
    ]);
    expect(baseUrls("china", "http://127.0.0.1:8080/")).toEqual(["http://127.0.0.1:8080"]);
  });
});

describe("ceilings of particular APIs", () => {
  it("refuses one for an API it does not know, before any call", () => {
    const app = { sdkAppId: APP_ID, secretKey: SECRET_KEY };
    expect(() =>
      adminClient(app, "http://127.0.0.1:9", { apiCeilings: { group_msg_get_simpel: 5 } }),
    ).toThrow("apiCeilings names an unknown API: group_msg_get_simpel");
    expect(() =>
      adminClient(app, "http://127.0.0.1:9", { apiCeilings: { group_msg_get_simple: 5 } }),
    ).not.toThrow();
  });
});
