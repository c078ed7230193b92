import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { signUserSig } from "../../src/chat/usersig.js";
import type { Emulator } from "../../src/emulator/index.js";
import { APP_ID } from "../support/emulator.js";
import {
  callPath,
  GET_HISTORY,
  post,
  postText,
  rawRequest,
  startTestEmulator,
  type Call,
  type RawResponse,
} from "./http.js";

let emulator: Emulator;

afterEach(async () => {
  await emulator?.close();
});

/** Streams `chunks` of a chunked body without ever ending it, and resolves with the answer. */
function streamWithoutEnd(chunks: Buffer[]): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port: emulator.port, method: "POST", path: callPath(), agent: false },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
        res.on("error", () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on("error", (error) => resolve({ body: "", error: error.message }));
    chunks.forEach((chunk) => req.write(chunk));
  });
}

/** Sends bytes on a bare TCP connection and resolves with whatever comes back before it closes. */
function rawTcp(bytes: string, endAfterMs = 0): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const socket = connect(emulator.port, "127.0.0.1", () => {
      socket.write(bytes);
      if (endAfterMs > 0) setTimeout(() => socket.destroy(), endAfterMs);
    });
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("error", () => resolve(received));
    socket.on("close", () => resolve(received));
  });
}

describe("emulator: bounded request bodies", () => {
  it("answers HTTP 413 to a body whose Content-Length is over maxBodyBytes, and serves the next call", async () => {
    emulator = await startTestEmulator({ maxBodyBytes: 1024 });
    const answer = await rawRequest(emulator, {
      headers: { "content-length": 2048 },
      body: [Buffer.alloc(2048, "x")],
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe("request body over 1024 bytes");
    expect((await post(emulator)).ActionStatus).toBe("OK");
    expect(emulator.requestCount).toBe(1);
  });

  it("answers HTTP 413 as soon as a streamed body passes the limit, without waiting for its end", async () => {
    emulator = await startTestEmulator({ maxBodyBytes: 1024 });
    const answer = await streamWithoutEnd([Buffer.alloc(600, "a"), Buffer.alloc(600, "b")]);
    expect(answer.status).toBe(413);
    expect((await post(emulator)).ActionStatus).toBe("OK");
  });

  it("reads a body up to 1 MiB by default and refuses one byte more", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    const body = JSON.stringify({ GroupId: groupId, ReqMsgNumber: 1, Padding: "" });
    const fits = body.replace('"Padding":""', `"Padding":"${"p".repeat(1024 * 1024 - body.length)}"`);
    expect(Buffer.byteLength(fits)).toBe(1024 * 1024);
    const ok = await rawRequest(emulator, { path: callPath({ command: GET_HISTORY }), body: [fits] });
    expect(JSON.parse(ok.body)).toMatchObject({ ErrorCode: 0 });
    const over = await rawRequest(emulator, { path: callPath({ command: GET_HISTORY }), body: [fits + " "] });
    expect(over.status).toBe(413);
  });
});

describe("emulator: bounded request log", () => {
  it("keeps only the newest requestLogSize requests, oldest first, and counts every one", async () => {
    emulator = await startTestEmulator({ requestLogSize: 3 });
    for (let i = 1; i <= 5; i++) await post(emulator, { body: { GroupIdList: [`@TGS#G${i}`] } });
    const kept = emulator.requests;
    expect(kept).toHaveLength(3);
    expect(kept.map((r) => (r.body as { GroupIdList: string[] }).GroupIdList[0])).toEqual([
      "@TGS#G3",
      "@TGS#G4",
      "@TGS#G5",
    ]);
    expect(kept.filter((r) => r.command === "group_open_http_svc/get_group_info")).toHaveLength(3);
    expect(kept[0]).toMatchObject({ sdkAppId: String(APP_ID), identifier: "administrator" });
    expect(emulator.requestCount).toBe(5);
  });

  it("keeps none with requestLogSize 0 and still counts", async () => {
    emulator = await startTestEmulator({ requestLogSize: 0 });
    await post(emulator);
    await post(emulator);
    expect(emulator.requests).toEqual([]);
    expect(emulator.requestCount).toBe(2);
  });

  it("keeps 10,000 requests by default", async () => {
    emulator = await startTestEmulator();
    await Promise.all(Array.from({ length: 50 }, () => post(emulator)));
    expect(emulator.requests).toHaveLength(50);
  });

  it("keeps only requests that passed authentication, and counts the others", async () => {
    emulator = await startTestEmulator();
    const body = { GroupIdList: ["@TGS#X"], Padding: "p".repeat(100_000) };
    const refused: [Call, number][] = [
      [{ sig: "garbage" }, 70003],
      [
        { sig: signUserSig("other-key", { identifier: "administrator", sdkAppId: APP_ID, expire: 60 }) },
        70009,
      ],
      [{ identifier: "leckie" }, 10007],
      [{ query: { sdkappid: "1400999999" } }, 70020],
      [{ sig: "" }, 70002],
    ];
    for (const [call, code] of refused)
      expect((await post(emulator, { ...call, body })).ErrorCode).toBe(code);
    expect(emulator.requests).toEqual([]);

    // An authenticated call is kept whatever it is answered, a fault included.
    emulator.faults.push({ httpStatus: 502 });
    expect((await postText(emulator, { body: { GroupIdList: ["@TGS#A"] } })).status).toBe(502);
    await post(emulator, { body: { GroupIdList: ["@TGS#B"] } });
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        body: { GroupIdList: ["@TGS#A"] },
        bodyBytes: '{"GroupIdList":["@TGS#A"]}'.length,
        truncated: false,
      }),
      expect.objectContaining({ body: { GroupIdList: ["@TGS#B"] }, identifier: "administrator" }),
    ]);
    expect(emulator.requestCount).toBe(7);
  });

  it("keeps a body over 16 KiB as its size and the first 1,000 characters of its text", async () => {
    emulator = await startTestEmulator();
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    const padded = (bytes: number) => {
      const body = JSON.stringify({ GroupId: groupId, ReqMsgNumber: 1, Padding: "" });
      return body.replace('"Padding":""', `"Padding":"${"p".repeat(bytes - body.length)}"`);
    };
    const fits = padded(16 * 1024);
    expect((await post(emulator, { command: GET_HISTORY, rawBody: fits })).ErrorCode).toBe(0);
    for (let i = 0; i < 20; i++) {
      expect((await post(emulator, { command: GET_HISTORY, rawBody: padded(1024 * 1024) })).ErrorCode).toBe(
        0,
      );
    }
    const [small, ...large] = emulator.requests;
    expect(small).toMatchObject({ body: JSON.parse(fits), bodyBytes: 16 * 1024, truncated: false });
    expect(large).toHaveLength(20);
    for (const request of large) {
      expect(request).toMatchObject({ command: GET_HISTORY, bodyBytes: 1024 * 1024, truncated: true });
      expect(request.body).toBe(padded(1024 * 1024).slice(0, 1000));
    }
    expect(JSON.stringify(emulator.requests).length).toBeLessThan(60_000);
  });

  it("drops the oldest requests past requestLogBytes, whatever requestLogSize allows", async () => {
    emulator = await startTestEmulator({ requestLogBytes: 50_000 });
    const ids = (n: number) => Array.from({ length: 50 }, (_, i) => `@TGS#G${n}-${i}`);
    for (let n = 1; n <= 40; n++) await post(emulator, { body: { GroupIdList: ids(n) } });
    const kept = emulator.requests;
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(40);
    expect(kept.map((r) => r.body)).toEqual(
      Array.from({ length: kept.length }, (_, i) => ({ GroupIdList: ids(41 - kept.length + i) })),
    );
    expect(emulator.requestCount).toBe(40);
  });

  it("refuses a requestLogBytes that is not a count of bytes", async () => {
    await expect(startTestEmulator({ requestLogBytes: -1 })).rejects.toThrow(RangeError);
  });
});

describe("emulator: bad input", () => {
  it("stays up through malformed, binary, huge and aborted requests, then answers a normal call", async () => {
    emulator = await startTestEmulator({ maxBodyBytes: 64 * 1024 });
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    const path = callPath();
    const answers = await Promise.all([
      rawRequest(emulator, { path: "/v4/%zz%%", body: ["{}"] }),
      rawRequest(emulator, { path: "//evil.invalid/v4/group_open_http_svc/get_group_info", body: ["{}"] }),
      rawRequest(emulator, { path: "http://evil.invalid/v4/x?sdkappid=%E0%A4%A", body: ["{}"] }),
      rawRequest(emulator, { path: `${path}&usersig=%`, body: ["{}"] }),
      rawRequest(emulator, { path: "/v4/constructor?__proto__=1&constructor=2", body: ["{}"] }),
      rawRequest(emulator, { method: "OPTIONS", path: "*" }),
      ...["GET", "PUT", "DELETE", "PATCH", "HEAD"].map((method) => rawRequest(emulator, { method, path })),
      ...["{", "null", "3", '"text"', "[]", "\u0000\u0001"].map((body) =>
        rawRequest(emulator, { path, body: [body] }),
      ),
      rawRequest(emulator, { path, body: [randomBytes(4096)] }),
      rawRequest(emulator, {
        path,
        headers: { "content-length": 10 * 1024 * 1024 },
        body: [randomBytes(1024)],
      }),
      rawRequest(emulator, { path, body: Array.from({ length: 40 }, () => randomBytes(4096)) }),
      rawRequest(emulator, { path, headers: { "content-length": "abc" }, body: ["{}"] }),
      rawRequest(emulator, {
        path,
        headers: { "content-type": "application/json; charset=\u00ff" },
        body: ["{}"],
      }),
    ]);
    const raw = await Promise.all([
      rawTcp("GARBAGE\r\n\r\n"),
      rawTcp('POST /v4/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{"half', 50),
      rawTcp("POST /v4/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
      rawTcp("POST /v4/x HTTP/1.1\r\nHost: a\r\n", 50),
    ]);
    expect(answers.filter((a) => a.status === 500)).toEqual([]);
    expect(raw.filter((text) => text.includes(" 500 "))).toEqual([]);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 400, 413]));

    const info = await post(emulator, { body: { GroupIdList: [groupId] } });
    expect(info).toMatchObject({ ActionStatus: "OK", GroupInfo: [{ GroupId: groupId, ErrorCode: 0 }] });
  });

  it("answers a method other than POST with 60002", async () => {
    emulator = await startTestEmulator();
    const answer = await rawRequest(emulator, { method: "GET", path: callPath() });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 60002 });
  });
});
