import { describe, expect, it } from "vitest";
import { listeningUrl, runCli as cli } from "./support/cli-process.js";
import { SAMPLE_SEED as SEED } from "./support/sample-seed.js";

const NOT_TLS = "this endpoint does not speak TLS (https); use http:// for a loopback emulator";

describe("an https:// endpoint that serves plain HTTP", () => {
  it("is named as such, once, without OpenSSL's words or Node's DEP0123 warning", async () => {
    const emulator = await listeningUrl(cli(["emulator", "--seed", SEED]));
    const endpoint = emulator.replace(/^http:/, "https:");
    const args = [
      "--group",
      "@TGS#2C5SZEAEF",
      "--sender",
      "leckie",
      "--endpoint",
      endpoint,
      "--no-preflight",
    ];
    const run = cli(["recall", ...args], {
      TENCENT_CHAT_SECRET_KEY: "my-test-key",
      TENCENT_CHAT_SDK_APP_ID: "1400000001",
    });
    expect(await run.exit).toBe(1);
    const { stdout, stderr } = run.output();
    // Trying again would meet the same server: one attempt, though max-attempts allows more.
    expect(JSON.parse(stdout)).toMatchObject({ outcome: "failed", errorInfo: NOT_TLS, attempts: 1 });
    expect(stderr).toContain(NOT_TLS);
    expect(stdout + stderr).not.toMatch(/wrong version number|EPROTO|DEP0123|DeprecationWarning/);
  });
});
