import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer, request as httpsRequest } from "node:https";
import { connect, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatClient } from "../src/chat/client.js";
import { NO_ANSWER } from "../src/chat/errors.js";
import { HttpTransport } from "../src/chat/transport.js";
import { RECALL_COMMAND as RECALL } from "../src/recall/strategy-silent.js";
import { APP_ID, SECRET_KEY } from "./support/emulator.js";
import { adminClient } from "./support/admin-client.js";
import { failure } from "./support/failure.js";

/** A certificate for chat.example.test, proxy.example.test and 127.0.0.1 that no CA signed. */
const TLS = new URL("./support/tls/", import.meta.url).pathname;
const credentials = { key: readFileSync(`${TLS}key.pem`), cert: readFileSync(`${TLS}cert.pem`) };
const OK = JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
const BODY = { GroupId: "@TGS#G", Sender_Account: "mallory" };
const CERTIFICATE_ERROR = /self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/i;

const closers: (() => unknown)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => sockets.add(socket));
  server.on("secureConnection", (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  return (server.address() as { port: number }).port;
}

/** An https server with the self-signed certificate that answers every request OK, and counts them. */
async function selfSignedServer(): Promise<{ port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createHttpsServer(credentials, (req, res) => {
    requests.push(req);
    res.writeHead(200, { "content-type": "application/json" }).end(OK);
  });
  return { port: await listen(server), requests };
}

/** A proxy (plain http, or https with the self-signed certificate) that tunnels every CONNECT to `port` on loopback. */
async function tunnellingProxy(port: number, tls = false): Promise<{ port: number; tunnels: string[] }> {
  const tunnels: string[] = [];
  const proxy = tls ? createHttpsServer(credentials) : createHttpServer();
  proxy.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(request.url!);
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { port: await listen(proxy), tunnels };
}

function clientFor(endpoint: string, env: NodeJS.ProcessEnv = {}): ChatClient {
  const client = adminClient({ sdkAppId: APP_ID, secretKey: SECRET_KEY }, endpoint, {
    transport: new HttpTransport(5000, env),
  });
  closers.push(() => client.close());
  return client;
}

describe("with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  });

  it("a request that does not pin verification takes a certificate no CA signed", async () => {
    const { port } = await selfSignedServer();
    const status = await new Promise<number | undefined>((resolve, reject) =>
      httpsRequest({ host: "127.0.0.1", port, method: "POST", agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on("error", reject)
        .end(),
    );
    expect(status).toBe(200);
  });

  it("still refuses a server whose certificate no CA signed", async () => {
    const server = await selfSignedServer();
    const error = await failure(clientFor(`https://127.0.0.1:${server.port}`).call(RECALL, BODY));
    expect(error).toMatchObject({ code: NO_ANSWER, fromServer: false });
    expect(error.info).toMatch(CERTIFICATE_ERROR);
    expect(server.requests).toHaveLength(0);
  });

  it("still refuses it through the tunnel of a proxy", async () => {
    const server = await selfSignedServer();
    const proxy = await tunnellingProxy(server.port);
    const client = clientFor("https://chat.example.test", { https_proxy: `http://127.0.0.1:${proxy.port}` });
    const error = await failure(client.call(RECALL, BODY));
    expect(proxy.tunnels).toEqual(["chat.example.test:443"]);
    expect(error.info).toMatch(CERTIFICATE_ERROR);
    expect(server.requests).toHaveLength(0);
  });

  it("still refuses an https:// proxy whose certificate no CA signed", async () => {
    const server = await selfSignedServer();
    const proxy = await tunnellingProxy(server.port, true);
    const client = clientFor("https://chat.example.test", { https_proxy: `https://127.0.0.1:${proxy.port}` });
    const error = await failure(client.call(RECALL, BODY));
    expect(error.info).toMatch(CERTIFICATE_ERROR);
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("the proxy the environment names", () => {
  it.each(["localhost", "127.0.0.1"])(
    "is reached without a scheme (%s:port), as over http://",
    async (host) => {
      const server = await selfSignedServer();
      const proxy = await tunnellingProxy(server.port);
      const client = clientFor("https://chat.example.test", { https_proxy: `${host}:${proxy.port}` });
      const error = await failure(client.call(RECALL, BODY));
      // The tunnel was made; the certificate, signed by no CA this process trusts, ends the attempt.
      expect(proxy.tunnels).toEqual(["chat.example.test:443"]);
      expect(error.info).toMatch(CERTIFICATE_ERROR);
    },
  );

  it("is not used for loopback", async () => {
    const server = await selfSignedServer();
    const proxy = await tunnellingProxy(server.port);
    const client = clientFor(`https://localhost:${server.port}`, { https_proxy: `127.0.0.1:${proxy.port}` });
    const error = await failure(client.call(RECALL, BODY));
    expect(proxy.tunnels).toEqual([]);
    expect(error.info).toMatch(CERTIFICATE_ERROR);
  });

  it("with a bad % escape in its password fails the call at once, naming the variable and not the password", async () => {
    const server = await selfSignedServer();
    const proxy = await tunnellingProxy(server.port);
    const client = clientFor("https://chat.example.test", {
      HTTPS_PROXY: `http://alice:pa%zzword@127.0.0.1:${proxy.port}`,
    });
    const error = await failure(client.call(RECALL, BODY));
    expect(error).toMatchObject({ code: NO_ANSWER, fromServer: false, attempts: 1 });
    expect(error.info).toBe(
      "HTTPS_PROXY: the password in the proxy URL has a % that does not start an escape such as %40; write a % itself as %25.",
    );
    expect(error.message).not.toContain("pa%zz");
    expect(proxy.tunnels).toEqual([]);
  });

  it("sends the user name and password it decodes as Basic proxy authorization", async () => {
    const seen: (string | undefined)[] = [];
    const proxy = createHttpServer();
    proxy.on("connect", (request: IncomingMessage, client: Socket) => {
      seen.push(request.headers["proxy-authorization"]);
      client.end("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
    });
    const port = await listen(proxy);
    const client = clientFor("https://chat.example.test", {
      https_proxy: `http://al%40ice:p%3Ass@127.0.0.1:${port}`,
    });
    const error = await failure(client.call(RECALL, BODY));
    expect(error.info).toContain("the proxy answered CONNECT with HTTP 407");
    expect(seen).toEqual([`Basic ${Buffer.from("al@ice:p:ss").toString("base64")}`]);
  });
});
