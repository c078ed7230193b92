import { afterEach, expect, it } from "vitest";
import { HttpTransport } from "../src/chat/transport.js";
import { FaultServer } from "./support/fault-server.js";

let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

it("ends an exchange still waiting for its answer when the transport is closed", async () => {
  server = await FaultServer.start([{ hang: true }]);
  const transport = new HttpTransport(60_000, {});
  const outcome = transport.post(server.url, "/v4/x", "{}");
  await expect.poll(() => server!.requests.length).toBe(1);
  transport.close();
  expect(await outcome).toEqual({
    kind: "no-answer",
    reason: "the transport was closed",
    connectFailure: false,
  });
});
