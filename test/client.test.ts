import { RECALL_COMMAND as RECALL } from "../src/recall/run.js";
import { afterEach, describe, expect, it } from "vitest";
import { ChatClient, type ChatClientOptions } from "../src/chat/client.js";
import { baseUrls, redactUserSig } from "../src/chat/endpoint.js";
import { ChatApiError } from "../src/chat/errors.js";
import { signUserSig } from "../src/chat/usersig.js";
import type { Emulator } from "../src/emulator/index.js";
import { APP_ID, SECRET_KEY, emulatorWithGroup } from "./support/emulator.js";

let emulator: Emulator;
let client: ChatClient;

afterEach(async () => {
  client?.close();
  await emulator?.close();
});

async function setup(options: Partial<ChatClientOptions> = {}) {
  let groupId: string;
  ({ emulator, groupId } = await emulatorWithGroup());
  const secrets: string[] = [];
  client = new ChatClient({
    sdkAppId: APP_ID,
    identifier: "administrator",
    auth: { secretKey: SECRET_KEY },
    region: "china",
    endpoint: emulator.url,
    maxAttempts: 3,
    requestTimeoutMs: 2000,
    backoffBaseMs: 10,
    onSecret: (s) => secrets.push(s),
    ...options,
  });
  return { groupId, secrets };
}

async function failure(promise: Promise<unknown>): Promise<ChatApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatApiError);
  return error as ChatApiError;
}

describe("ChatClient against the emulator", () => {
  it("sends the documented request and decides success from the body", async () => {
    const { groupId, secrets } = await setup();
    const { response, attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });

    expect(response).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(attempts).toBe(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      command: RECALL,
      sdkAppId: String(APP_ID),
      identifier: "administrator",
      body: { GroupId: groupId, Sender_Account: "mallory" },
    });
    expect(Number(request!.random)).toBeGreaterThanOrEqual(0);
    expect(Number(request!.random)).toBeLessThan(2 ** 32);
    expect(secrets).toHaveLength(1);
  });

  it("fails at once on a permanent code with the code, its meaning and the server's ErrorInfo", async () => {
    await setup();
    const error = await failure(client.call(RECALL, { GroupId: "@TGS#NONE", Sender_Account: "x" }));

    expect(error.code).toBe(10010);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain("ErrorCode 10010 (the group does not exist or was dismissed)");
    expect(error.info).toContain("@TGS#NONE");
    expect(emulator.requests).toHaveLength(1);
  });

  it("retries transient and rate-limited answers up to maxAttempts, with a fresh random each time", async () => {
    const { groupId } = await setup();
    emulator.faults.push({ errorCode: 10002 }, { errorCode: 60018 });
    const { attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });
    expect(attempts).toBe(3);
    expect(new Set(emulator.requests.map((r) => r.random)).size).toBe(3);

    emulator.faults.push({ httpStatus: 503, times: 3 });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error.attempts).toBe(3);
    expect(error.info).toBe("HTTP 503");
  });

  it("does not retry an HTTP 4xx or a body that is not a Chat answer", async () => {
    const { groupId } = await setup();
    emulator.faults.push({ httpStatus: 404 });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error.attempts).toBe(1);
    expect(error.info).toBe("HTTP 404");

    emulator.faults.push({ httpStatus: 200 });
    const notChat = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(notChat.attempts).toBe(1);
    expect(notChat.info).toBe("HTTP 200 with a body that is not a Chat API answer: emulated HTTP 200");
  });

  it("retries an HTTP 429 as a rate-limited answer", async () => {
    const { groupId } = await setup();
    emulator.faults.push({ httpStatus: 429 });
    const { attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });
    expect(attempts).toBe(2);
  });

  it("re-signs once when the UserSig expired, then succeeds", async () => {
    const { groupId, secrets } = await setup();
    emulator.faults.push({ errorCode: 70001 });
    const { attempts } = await client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" });
    expect(attempts).toBe(2);
    expect(secrets).toHaveLength(2);

    emulator.faults.push({ errorCode: 70001, times: 2 });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error.code).toBe(70001);
    expect(error.attempts).toBe(2);
  });

  it("cannot re-sign a UserSig it was given, so an expired one fails at once", async () => {
    const stale = signUserSig(SECRET_KEY, {
      identifier: "administrator",
      sdkAppId: APP_ID,
      expire: 1,
      time: 1000,
    });
    const { groupId } = await setup({ auth: { userSig: stale } });
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(error.code).toBe(70001);
    expect(error.attempts).toBe(1);
    expect(error.message).not.toContain(stale);
  });

  it("gives up on a server that does not answer within the timeout", async () => {
    const { groupId } = await setup({ requestTimeoutMs: 200, maxAttempts: 2 });
    emulator.faults.push({ hangMs: 30_000, times: 2 });
    const started = performance.now();
    const error = await failure(client.call(RECALL, { GroupId: groupId, Sender_Account: "mallory" }));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.code).toBe(-1);
    expect(error.info).toBe("no answer within 200 ms");
  });

  it("reports a refused connection without the UserSig", async () => {
    const { secrets } = await setup();
    const url = emulator.url;
    await emulator.close();
    client.close();
    client = new ChatClient({
      sdkAppId: APP_ID,
      identifier: "administrator",
      auth: { secretKey: SECRET_KEY },
      region: "china",
      endpoint: url,
      maxAttempts: 2,
      requestTimeoutMs: 1000,
      backoffBaseMs: 1,
      onSecret: (s) => secrets.push(s),
    });
    const error = await failure(client.call(RECALL, { GroupId: "@TGS#X", Sender_Account: "y" }));
    expect(error.info).toContain("ECONNREFUSED");
    for (const secret of [...secrets, SECRET_KEY]) expect(error.message).not.toContain(secret);
  });
});

describe("endpoints", () => {
  it("tries the region's main domain, then its backup", () => {
    expect(baseUrls("singapore")).toEqual([
      "https://adminapisgp.im.qcloud.com",
      "https://adminapisgp.my-imcloud.com",
    ]);
    expect(baseUrls("tokyo")).toEqual(["https://adminapijpn.im.qcloud.com"]);
    expect(baseUrls("china", "http://127.0.0.1:8080/")).toEqual(["http://127.0.0.1:8080"]);
  });

  it("redacts the usersig query value from any text", () => {
    const text = "Request timeout: /v4/x?sdkappid=1&identifier=a&usersig=eJw*abc-_&random=5";
    expect(redactUserSig(text)).toBe("Request timeout: /v4/x?sdkappid=1&identifier=a&usersig=***&random=5");
    expect(redactUserSig("sig eJw*abc seen", "eJw*abc")).toBe("sig *** seen");
  });
});
