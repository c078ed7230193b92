import * as http from "node:http";
import { commandPath } from "../../src/chat/endpoint.js";
import { signUserSig } from "../../src/chat/usersig.js";
import { RECALL_COMMAND } from "../../src/recall/strategy-silent.js";
import { SDK_APP_ID, SECRET_KEY } from "./common.js";

/** Whose calls a bare client makes, and which: by default the benchmark app's recalls in the group. */
export interface PlainCalls {
  app?: { sdkAppId: number; secretKey: string };
  command?: string;
  /** The body, with `GroupId` set to the group. */
  body?: Record<string, unknown>;
}

/**
 * How many calls per second a bare keep-alive node:http client gets through to `url` with
 * `concurrency` calls in flight and no limiter, and the CPU time (µs) this process spends on each:
 * what this machine can push through that server when the client does nothing else.
 */
export async function plainClient(
  url: string,
  group: string,
  calls: number,
  concurrency = 400,
  {
    app = { sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY },
    command = RECALL_COMMAND,
    body = { Sender_Account: "plain" },
  }: PlainCalls = {},
): Promise<{ ratePerSecond: number; cpuMicrosPerCall: number }> {
  const agent = new http.Agent({ keepAlive: true });
  const caller = { sdkAppId: app.sdkAppId, identifier: "administrator" };
  const userSig = signUserSig(app.secretKey, { ...caller, expire: 86_400 });
  const { hostname, port } = new URL(url);
  const payload = JSON.stringify({ ...body, GroupId: group });
  let sent = 0;
  let answered = 0;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const next = (): void => {
      if (sent >= calls) return;
      sent++;
      const path = commandPath(command, { ...caller, userSig }, sent);
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
      http
        .request({ host: hostname, port, method: "POST", agent, path, headers }, (res) => {
          res.resume();
          res.on("end", () => (++answered === calls ? resolve() : next()));
        })
        .on("error", reject)
        .end(payload);
    };
    for (let i = 0; i < concurrency; i++) next();
  });
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    ratePerSecond: calls / ((performance.now() - started) / 1000),
    cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
  };
}
