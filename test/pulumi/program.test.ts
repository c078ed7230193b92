import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumer, REPO, type Consumer } from "./support/consumer.js";
import { runProgram, type ProgramRun } from "./support/program.js";
import { TYPE } from "./support/provider-host.js";

const SECRET_KEY = "program-secret-7c1e0b";
const SECRET_MARK = "4dabf18193072939515e22adb298388d";

function omit(object: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([name]) => !names.includes(name)));
}

function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && SECRET_MARK in value;
}

describe.each(["commonjs", "module"] as const)("a %s program declaring GroupMessageRecall", (type) => {
  let consumer: Consumer;
  let run: ProgramRun;

  beforeAll(async () => {
    consumer = await createConsumer(type);
    run = await runProgram(consumer, type, SECRET_KEY);
  }, 120_000);
  afterAll(() => consumer?.remove());

  it("registers each recall as a dynamic resource with its own type token", () => {
    expect(run.status).toBe("OK");
    const registered = run.registered.map((r) => [r.type, r.name]).sort();
    expect(registered).toEqual([
      [TYPE, "purge-other"],
      [TYPE, "purge-spammer"],
    ]);
  });

  it("sends the identity and connection inputs, leaving unset ones out", () => {
    const purge = run.registered.find((r) => r.name === "purge-spammer")!;
    expect(omit(purge.object, ["__provider", "secretKey"])).toEqual({
      groupId: "@TGS#2C5SZEAEF",
      senderAccount: "leckie",
      triggers: ["incident-4711"],
      sdkAppId: 1400000001,
      region: "singapore",
    });
  });

  it("holds the secret key as a secret, whether or not the program marked it", () => {
    for (const { object } of run.registered) {
      expect(isSecret(object.secretKey)).toBe(true);
      expect((object.secretKey as { value: string }).value).toBe(SECRET_KEY);
      const others = Object.entries(object).filter(([name]) => name !== "secretKey");
      expect(JSON.stringify(others)).not.toContain(SECRET_KEY);
    }
  });

  it("serializes one provider that holds no secret, no path of this machine and loads the code by name", () => {
    const [first, second] = run.registered.map((r) => r.object.__provider);
    expect(typeof first).toBe("string");
    expect(second).toBe(first);
    const text = first as string;
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain(consumer.dir);
    expect(text).not.toContain(REPO);
    expect(text).toContain('"tencent-chat-recall/pulumi/operations"');
  });

  it("exposes the outputs as resource properties", () => {
    for (const output of [
      "actionStatus",
      "errorCode",
      "errorInfo",
      "attempts",
      "recalledAt",
      "recalledMessages",
      "remainingMessages",
      "groupId",
    ]) {
      expect(run.properties).toContain(output);
    }
  });
});
