import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli-process.js";

const SETTINGS = ["--group", "@TGS#AAA", "--sender", "mallory", "--sdk-app-id", "1400000001"];

describe("the command line's numbers", () => {
  it.each(["0x10", "1e1", "5.", "+5"])("refuses --progress-interval %j: decimals only", async (value) => {
    const run = runCli(["recall", ...SETTINGS, "--progress-interval", value], {
      TENCENT_CHAT_SECRET_KEY: "k",
    });
    expect(await run.exit).toBe(2);
    expect(run.output().stderr).toBe(
      `tencent-chat-recall: --progress-interval: expected seconds, a decimal number from 0.1 to 3600 (such as 5 or 0.5), got ${JSON.stringify(value)}.\n`,
    );
  });

  it("refuses --request-timeout 0x10, naming the flag", async () => {
    const run = runCli(["recall", ...SETTINGS, "--request-timeout", "0x10"], {
      TENCENT_CHAT_SECRET_KEY: "k",
    });
    expect(await run.exit).toBe(2);
    expect(run.output().stderr).toBe(
      'tencent-chat-recall: --request-timeout: expected a decimal number from 1 to 600 (such as 5 or 2.5), got "0x10".\n',
    );
  });
});
