import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../src/chat/clock.js";
import { MAX_ANSWER_BYTES } from "../src/chat/http-answer.js";
import { HttpTransport } from "../src/chat/transport.js";

/** What the server writes for one request: raw bytes, in pieces written one at a time, then maybe the end of the connection. */
interface RawAnswer {
  pieces: string[];
  end?: boolean;
}

interface RawServer {
  url: string;
  /** Connections the server accepted, and those that have closed. */
  connections: number;
  closed: number;
  /** Each request as received, head and body. */
  requests: string[];
}

const servers: Server[] = [];
const transports: HttpTransport[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  transports.splice(0).forEach((t) => t.close());
  servers.splice(0).forEach((s) => s.close());
});

/** A server on loopback that reads each request whole and writes the next scripted answer as it is. */
async function rawServer(answers: RawAnswer[]): Promise<RawServer> {
  const state: RawServer = { url: "", connections: 0, closed: 0, requests: [] };
  const server = createServer((socket: Socket) => {
    state.connections++;
    let buffered = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      const headEnd = buffered.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffered)![1]);
      if (buffered.length < headEnd + 4 + length) return;
      state.requests.push(buffered.slice(0, headEnd + 4 + length));
      buffered = buffered.slice(headEnd + 4 + length);
      const answer = answers.shift() ?? { pieces: [], end: true };
      const write = (i: number): void => {
        if (i === answer.pieces.length) {
          if (answer.end) socket.end();
          return;
        }
        socket.write(answer.pieces[i]!, "latin1", () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
    socket.on("error", () => {});
    socket.on("close", () => state.closed++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return state;
}

function transport(timeoutMs = 5000): HttpTransport {
  const made = new HttpTransport(timeoutMs, {});
  transports.push(made);
  return made;
}

const utf8 = (text: string): string => Buffer.from(text, "utf8").toString("latin1");
const withLength = (body: string, headers = ""): string =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${utf8(body)}`;

describe("HttpTransport over its own connections", () => {
  it("writes one request with its path, host, type and length, and reuses the connection for the next", async () => {
    const server = await rawServer([
      { pieces: [withLength('{"a":1}')] },
      { pieces: [withLength('{"b":2}')] },
    ]);
    const http = transport();
    const payload = '{"GroupId":"群"}';
    expect(await http.post(`${server.url}/base/`, "/v4/x?y=1", payload)).toEqual({
      kind: "answer",
      status: 200,
      body: '{"a":1}',
    });
    expect(await http.post(`${server.url}/base/`, "/v4/x?y=2", payload)).toMatchObject({ body: '{"b":2}' });
    expect(server.connections).toBe(1);
    const port = new URL(server.url).port;
    expect(server.requests[0]).toBe(
      `POST /base/v4/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nUser-Agent: tencent-chat-recall\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${utf8(payload)}`,
    );
  });

  it("reads an answer that comes a byte at a time, UTF-8 split across pieces", async () => {
    const answer = withLength('{"ErrorInfo":"撤回"}', "Retry-After: 3\r\n");
    const server = await rawServer([{ pieces: [...answer] }]);
    expect(await transport().post(server.url, "/v4/x", "{}")).toEqual({
      kind: "answer",
      status: 200,
      body: '{"ErrorInfo":"撤回"}',
      retryAfterMs: 3000,
    });
  });

  it("reads a chunked answer with extensions and trailers, after an interim 100 Continue", async () => {
    const chunks = '0000000006;ext=1\r\n{"a":"\r\n4\r\nb"}\n\r\n0\r\nx-trailer: 1\r\n\r\n';
    const server = await rawServer([
      {
        pieces: [
          "HTTP/1.1 100 Continue\r\n\r\n",
          "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n",
          chunks,
        ],
      },
      { pieces: [withLength("{}")] },
    ]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toEqual({
      kind: "answer",
      status: 503,
      body: '{"a":"b"}\n',
    });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(server.connections).toBe(1);
  });

  it("reads a body that ends with the connection, and opens a new one for the next request", async () => {
    const server = await rawServer([
      { pieces: ["HTTP/1.1 200 OK\r\n\r\n", '{"to":', '"the end"}'], end: true },
      { pieces: [withLength("{}", "Connection: close\r\n")] },
      { pieces: [withLength("{}")] },
    ]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: '{"to":"the end"}' });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(server.connections).toBe(3);
  });

  it.each([
    ["bytes it did not ask for", withLength("{}") + "HTTP/1.1 200 OK\r\n"],
    [
      "an answer with both Content-Length and chunked, read by its chunks",
      "HTTP/1.1 200 OK\r\ncontent-length: 99\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ],
  ])("does not use a connection again after %s", async (_, answer) => {
    const server = await rawServer([{ pieces: [answer] }, { pieces: [withLength("[]")] }]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "[]" });
    expect(server.connections).toBe(2);
  });

  it("says at once that bytes which cannot start an answer are not one, without waiting for more", async () => {
    const server = await rawServer([{ pieces: ["SSH-2.0-OpenSSH_9.6\r\n"] }]);
    expect(await transport(60_000).post(server.url, "/v4/x", "{}")).toEqual({
      kind: "no-answer",
      reason: "the answer does not start with an HTTP/1.x status line",
      connectFailure: false,
    });
  });

  it("ends an exchange still waiting for its route when the transport is closed, and sends nothing", async () => {
    const server = await rawServer([{ pieces: [withLength("{}")] }]);
    const http = transport(60_000);
    const outcome = http.post(server.url, "/v4/x", "{}");
    http.close();
    expect(await outcome).toEqual({
      kind: "no-answer",
      reason: "the transport was closed",
      connectFailure: false,
    });
    // A request after it, on a transport of its own, reaches the server: the closed one sent nothing before it.
    expect(await transport().post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(server.requests).toHaveLength(1);
  });

  it("does not use a connection idle for as long as its server said it keeps one open, less a second", async () => {
    const keptFor5s = (body: string): RawAnswer => ({
      pieces: [withLength(body, "Keep-Alive: timeout=5\r\n")],
    });
    const server = await rawServer([keptFor5s("{}"), keptFor5s("[]"), keptFor5s("{}"), keptFor5s("[]")]);
    let now = 1000;
    vi.spyOn(systemClock, "now").mockImplementation(() => now);
    const http = transport();
    await http.post(server.url, "/v4/x", "{}");
    now += 3999;
    await http.post(server.url, "/v4/x", "{}");
    expect(server.connections).toBe(1);
    now += 4000;
    await http.post(server.url, "/v4/x", "{}");
    expect(server.connections).toBe(2);
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "[]" });
    expect(server.connections).toBe(2);
  });

  it("does not keep a connection its server keeps open for a second or less", async () => {
    const keptFor1s = (body: string): RawAnswer => ({
      pieces: [withLength(body, "Keep-Alive: timeout=1\r\n")],
    });
    const server = await rawServer([keptFor1s("{}"), keptFor1s("[]")]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "[]" });
    expect(server.connections).toBe(2);
  });

  it("opens a new connection when the server closed the idle one", async () => {
    const server = await rawServer([
      { pieces: [withLength("{}")], end: true },
      { pieces: [withLength("[]")] },
    ]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    await expect.poll(() => server.closed).toBe(1);
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "[]" });
    expect(server.connections).toBe(2);
  });

  it.each([
    [
      "a declared length over the limit",
      [`HTTP/1.1 200 OK\r\ncontent-length: ${MAX_ANSWER_BYTES + 1}\r\n\r\n`],
      `answer of ${MAX_ANSWER_BYTES + 1} bytes is over the ${MAX_ANSWER_BYTES}-byte limit`,
    ],
    [
      "a chunk size over the limit, before its data",
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nffffffff\r\n"],
      `answer is over the ${MAX_ANSWER_BYTES}-byte limit`,
    ],
    [
      "a header name with a space in it",
      ["HTTP/1.1 200 OK\r\ncontent-length : 2\r\n\r\n{}"],
      "the answer has an HTTP header line it cannot be read by",
    ],
    [
      "a chunked body over the limit",
      [
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
        `100001\r\n${"x".repeat(MAX_ANSWER_BYTES + 1)}`,
      ],
      `answer is over the ${MAX_ANSWER_BYTES}-byte limit`,
    ],
    [
      "a head over 64 KiB",
      [`HTTP/1.1 200 OK\r\nx: ${"y".repeat(70_000)}`],
      "the answer's HTTP head is over 64 KiB",
    ],
    [
      "something that is not HTTP",
      ["SSH-2.0-OpenSSH\r\n\r\n"],
      "the answer does not start with an HTTP/1.x status line",
    ],
    [
      "two lengths that differ",
      ["HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}"],
      "the answer's Content-Length cannot be read",
    ],
    [
      "a chunk size that is not hex",
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"],
      "a chunk size cannot be read",
    ],
    [
      "a chunk longer than its size",
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n"],
      "a chunk is longer than its size says",
    ],
    [
      "an answer cut short",
      ["HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{}"],
      "connection closed in the middle of the answer",
    ],
    ["no answer at all", [], "network error: the connection closed before an answer"],
  ])("ends the attempt on %s, and does not use the connection again", async (_, pieces, reason) => {
    const server = await rawServer([{ pieces, end: true }, { pieces: [withLength("{}")] }]);
    const http = transport();
    expect(await http.post(server.url, "/v4/x", "{}")).toEqual({
      kind: "no-answer",
      reason,
      connectFailure: false,
    });
    expect(await http.post(server.url, "/v4/x", "{}")).toMatchObject({ body: "{}" });
    expect(server.connections).toBe(2);
  });

  it("refuses a path that holds characters a request line cannot carry, sending nothing", async () => {
    const server = await rawServer([]);
    expect(await transport().post(server.url, "/v4/x?a=b c\r\nx: y", "{}")).toMatchObject({
      kind: "no-answer",
      refused: true,
    });
    expect(server.connections).toBe(0);
  });
});
