import { readFileSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { DEMO_SEED } from "../src/cli/emulator-command.js";
import { listeningUrl, runCli as cli } from "./support/cli-process.js";
import { SAMPLE_GROUP as GROUP, SAMPLE_SEED as SEED } from "./support/sample-seed.js";

const ENV = { TENCENT_CHAT_SECRET_KEY: "my-test-key", TENCENT_CHAT_SDK_APP_ID: "1400000001" };
/** Far above the few milliseconds a stop takes, far below the seconds it took. */
const STOP_BOUND_MS = 1000;

describe("the emulator command", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "on %s, with a request in flight, says it stopped and exits at once",
    async (signal) => {
      const run = cli(["emulator", "--app", "1400000001:my-test-key", "--latency-ms", "600000"]);
      const url = new URL(await listeningUrl(run));
      // A request the emulator holds (its latency), on a connection that stays open meanwhile.
      const client = request({ host: url.hostname, port: url.port, method: "POST", path: "/v4/x" });
      const ended = new Promise<string>((resolve) => {
        client.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        client.on("response", () => resolve("answered"));
      });
      await new Promise<void>((resolve) => client.once("socket", (s) => s.once("connect", resolve)));
      client.end("{}");

      const sent = performance.now();
      run.child.kill(signal);
      expect(await run.exit).toBe(0);
      expect(performance.now() - sent).toBeLessThan(STOP_BOUND_MS);
      expect(run.output().stderr).toBe(`emulator: stopped (${signal}).\n`);
      expect(await ended).toBe("ECONNRESET");
    },
  );

  it("serves with --demo the sample examples/emulator-seed.json holds, from the package alone", async () => {
    expect(DEMO_SEED).toEqual(JSON.parse(readFileSync(SEED, "utf8")));

    const run = cli(["emulator", "--demo"]);
    const endpoint = await listeningUrl(run);
    expect(run.output().stdout).toBe(
      `Seeded groups: @TGS#2C5SZEAEF, @TGS#_@TGS#cQVLVHIM62CJ, @TGS#aJRGC4MH6\nChat REST emulator listening on ${endpoint}\n`,
    );
    const env = { ...ENV, TENCENT_CHAT_ENDPOINT: endpoint };
    const recall = cli(["recall", "--group", GROUP, "--sender", "leckie"], env);
    expect(await recall.exit).toBe(0);
    expect(JSON.parse(recall.output().stdout)).toMatchObject({ outcome: "recalled", errorCode: 0 });
    const history = cli(["history", "--group", GROUP, "--json"], env);
    expect(await history.exit).toBe(0);
    const states = history
      .output()
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { sender: string; state: string })
      .map((m) => `${m.sender} ${m.state}`);
    expect(states).toEqual([
      "leckie recalled",
      "carol kept",
      "leckie recalled",
      "bob kept",
      "leckie recalled",
      "alice kept",
    ]);
  });

  it("documents --demo, and takes it or --seed, not both", async () => {
    const help = cli(["emulator", "--help"]);
    expect(await help.exit).toBe(0);
    expect(help.output().stdout).toMatch(/^ {2}--demo +start with a built-in sample/m);

    const both = cli(["emulator", "--demo", "--seed", SEED]);
    expect(await both.exit).toBe(2);
    expect(both.output()).toEqual({
      stdout: "",
      stderr: "tencent-chat-recall: --demo and --seed: give one of them; --demo serves a built-in seed.\n",
    });
  });
});
