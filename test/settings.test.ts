import { describe, expect, it } from "vitest";
import { InputError } from "../src/recall/input-error.js";
import { environmentSource, type Source } from "../src/recall/settings.js";
import { resolveSettings } from "../src/recall/resolve.js";

/** The Action's inputs as a source: every input read, empty when not given. */
function inputs(values: Record<string, string>): Source {
  return { get: (spec) => ({ values: [values[spec.name] ?? ""] }), label: (spec) => `Input "${spec.name}"` };
}

const BASE = { group: "@TGS#AAA", sender: "mallory", "sdk-app-id": "1400000001", "secret-key": "k" };

function settings(values: Record<string, string>) {
  return resolveSettings([inputs({ ...BASE, ...values })]);
}

function problem(values: Record<string, string>): InputError {
  try {
    settings(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("lists of IDs", () => {
  it("takes one ID per line when the value has several lines, commas included", () => {
    const { scopes } = settings({ group: " team,alpha \n\n@TGS#BBB\r\n" });
    expect(scopes).toEqual([{ group: "team,alpha" }, { group: "@TGS#BBB" }]);
  });

  it("splits one line on commas where every piece is an auto-generated group ID", () => {
    const { scopes } = settings({ group: "@TGS#AAA, @TGS#_@TGS#CCC,@TGS#AAA" });
    expect(scopes).toEqual([{ group: "@TGS#AAA" }, { group: "@TGS#_@TGS#CCC" }]);
  });

  it("refuses one line with a comma that could be a custom group ID, and says how to write it", () => {
    const error = problem({ group: "team,alpha" });
    expect(error.setting).toBe("group");
    expect(error.message).toBe(
      'Input "group": "team,alpha" has a comma, and group IDs may contain commas: it could be one group ID or several. Put one group ID per line (in a workflow, a block such as "group: |").',
    );
  });

  it("splits senders on commas, once each", () => {
    expect(settings({ sender: "alice, bob,alice" }).senders).toEqual(["alice", "bob"]);
  });

  it.each([
    [{ group: "g".repeat(49) }, 'Input "group": group ID "ggg', "group"],
    [{ group: "bad\tid\n" }, "must be printable ASCII", "group"],
    [{ sender: "s".repeat(33) }, "is 33 bytes; the limit is 32", "sender"],
    [{ group: "" }, 'Input "group": give at least one group ID', "group"],
    [{ sender: " \n " }, 'Input "sender": give at least one sender user ID', "sender"],
  ])("refuses %j", (values, message, setting) => {
    const error = problem(values);
    expect(error.message).toContain(message);
    expect(error.setting).toBe(setting);
  });

  it("cuts a huge bad value in the message", () => {
    expect(problem({ group: "x".repeat(1_000_000) }).message.length).toBeLessThan(300);
  });
});

describe("topics", () => {
  const community = "@TGS#_@TGS#CCC";
  it("makes one scope per topic, in the topic's group", () => {
    const topic = `${community}@TOPIC#_news`;
    expect(settings({ group: community, topic: `${topic}\n${topic}` }).scopes).toEqual([
      { group: community, topic },
    ]);
  });

  it.each([
    [
      { group: "@TGS#_g", topic: "@TGS#_g@TOPIC#_" },
      'topic ID "@TGS#_g@TOPIC#_" must be "<group ID>@TOPIC#_<name>"',
    ],
    [{ group: "@TGS#_g", topic: "@TGS#_h@TOPIC#_x" }, 'for one of the listed groups ("@TGS#_g")'],
    [{ group: "g\n", topic: "g@TOPIC#_x" }, "must belong to a Community group, whose ID starts with @TGS#_"],
    [{ group: "@TGS#_g\nh", topic: "@TGS#_g@TOPIC#_x" }, 'no topic is listed for group "h"'],
    [{ group: "@TGS#_g", topic: `@TGS#_g@TOPIC#_${"x".repeat(90)}` }, "the limit is 96"],
  ])("refuses %j", (values, message) => {
    const error = problem(values);
    expect(error.setting).toBe("topic");
    expect(error.message).toContain(message);
  });
});

describe("numbers, switches and the endpoint", () => {
  it("takes an empty optional input for its default", () => {
    const s = settings({
      "max-attempts": "",
      "request-timeout": "",
      region: "",
      identifier: "",
      mode: "",
      verify: "",
    });
    expect(s.connection).toMatchObject({
      maxAttempts: 5,
      requestTimeoutMs: 10_000,
      region: "china",
      identifier: "administrator",
    });
    expect(s).toMatchObject({ mode: "silent", verify: false, preflight: true, dryRun: false });
  });

  it.each([
    [
      { "max-calls-per-second": "0.001" },
      'Input "max-calls-per-second": expected a decimal number from 1 to 50000 (such as 5 or 2.5), got "0.001".',
    ],
    [{ "max-calls-per-second": "1e-9" }, "expected a decimal number from 1 to 50000"],
    [{ "max-calls-per-second": "1e9" }, "expected a decimal number from 1 to 50000"],
    [
      { "request-timeout": "0.5" },
      'Input "request-timeout": expected a decimal number from 1 to 600 (such as 5 or 2.5), got "0.5".',
    ],
    [{ "request-timeout": "601" }, "expected a decimal number from 1 to 600"],
    [{ "max-attempts": "lots" }, 'Input "max-attempts": expected a whole number from 1 to 20, got "lots".'],
    [
      { "sdk-app-id": "4294967296" },
      'Input "sdk-app-id": expected the SDKAppID, a number such as 1400000000 (below 2^32)',
    ],
    [{ "sdk-app-id": "0" }, "expected the SDKAppID"],
    [{ "sdk-app-id": "14000x" }, "expected the SDKAppID"],
    [{ verify: "yes" }, 'Input "verify": expected true or false, got "yes".'],
    [{ mode: "loud" }, 'Input "mode": expected silent or notify, got "loud".'],
    [{ region: "mars" }, 'Input "region": unknown region "mars"'],
    [{ endpoint: "http://127.0.0.1:8080/?" }, "must not carry a query (?) or fragment (#)"],
    [{ endpoint: "http://127.0.0.1:8080/#x" }, "must not carry a query (?) or fragment (#)"],
    [{ endpoint: "http://example.com" }, "http is allowed only for"],
    [{ "user-sig": "abc" }, 'Input "secret-key" and Input "user-sig" are both set'],
    [{ "secret-key": "" }, 'Input "secret-key" or Input "user-sig" is required'],
  ])("refuses %j", (values, message) => {
    expect(problem(values).message).toContain(message);
  });

  it.each([
    ["request-timeout", "0x10"],
    ["request-timeout", "0b11"],
    ["request-timeout", "0o7"],
    ["request-timeout", "1e1"],
    ["request-timeout", " 5."],
    ["request-timeout", "5."],
    ["request-timeout", ".5"],
    ["request-timeout", "+5"],
    ["request-timeout", "5_0"],
    ["request-timeout", "Infinity"],
    ["request-timeout", "\u0665"],
    ["max-calls-per-second", "5."],
    ["max-calls-per-second", "1e2"],
    ["max-calls-per-second", "0x10"],
    ["max-calls-per-second", "1,5"],
  ])("takes only plain decimals: refuses %s %j", (name, value) => {
    const error = problem({ [name]: value });
    expect(error.setting).toBe(name);
    expect(error.message).toBe(
      `Input "${name}": expected a decimal number from 1 to ${name === "request-timeout" ? 600 : 50000} (such as 5 or 2.5), got ${JSON.stringify(value.trim())}.`,
    );
  });

  it("takes plain decimals", () => {
    expect(settings({ "request-timeout": " 5 ", "max-calls-per-second": "2.5" }).connection).toMatchObject({
      requestTimeoutMs: 5000,
      maxCallsPerSecond: 2.5,
    });
    expect(settings({ "request-timeout": "1.25", "max-calls-per-second": "007" }).connection).toMatchObject({
      requestTimeoutMs: 1250,
      maxCallsPerSecond: 7,
    });
  });

  it("accepts the bounds", () => {
    const s = settings({ "max-calls-per-second": "1", "request-timeout": "600", "sdk-app-id": "4294967295" });
    expect(s.connection).toMatchObject({
      maxCallsPerSecond: 1,
      requestTimeoutMs: 600_000,
      sdkAppId: 4294967295,
    });
  });
});

describe("sources", () => {
  const flags = (values: Record<string, string | string[]>): Source => ({
    get: (spec) => {
      const value = values[spec.name];
      return value === undefined ? undefined : { values: ([] as string[]).concat(value) };
    },
    label: (spec) => `--${spec.name}`,
  });

  it("takes each setting from the first source that sets it", () => {
    const s = resolveSettings([
      flags({ group: "@TGS#AAA", sender: ["a", "b,c"], region: "seoul" }),
      environmentSource({
        TENCENT_CHAT_SDK_APP_ID: "1400000009",
        TENCENT_CHAT_REGION: "tokyo",
        TENCENT_CHAT_SECRET_KEY: "env-key",
      }),
    ]);
    expect(s.senders).toEqual(["a", "b", "c"]);
    expect(s.connection).toMatchObject({
      sdkAppId: 1400000009,
      region: "seoul",
      auth: { secretKey: "env-key" },
    });
  });

  it("takes the secret key and the UserSig as one credential, from the first source that sets either", () => {
    const s = resolveSettings([
      flags({ ...BASE, "secret-key": [], "user-sig": "sig" } as Record<string, string | string[]>),
      environmentSource({ TENCENT_CHAT_SECRET_KEY: "env-key" }),
    ]);
    expect(s.connection.auth).toEqual({ userSig: "sig" });
  });

  it("names the place a bad value came from", () => {
    expect(() =>
      resolveSettings([
        flags({ group: "@TGS#AAA", sender: "s" }),
        environmentSource({ TENCENT_CHAT_SDK_APP_ID: "x", TENCENT_CHAT_SECRET_KEY: "k" }),
      ]),
    ).toThrow(/^TENCENT_CHAT_SDK_APP_ID: expected the SDKAppID/);
    expect(() =>
      resolveSettings([flags({ group: "@TGS#AAA", sender: "s", "secret-key": "k" }), environmentSource({})]),
    ).toThrow("--sdk-app-id: the SDKAppID is required: set --sdk-app-id or TENCENT_CHAT_SDK_APP_ID.");
  });
});

describe("ceilings of particular APIs", () => {
  it("takes API=N, a line each or separated by commas", () => {
    const { connection } = settings({ "api-ceilings": "group_msg_get_simple=2000,\n get_group_info = 500" });
    expect(connection.apiCeilings).toEqual({ group_msg_get_simple: 2000, get_group_info: 500 });
    expect(settings({}).connection.apiCeilings).toBeUndefined();
  });

  it("refuses an API it does not know, naming the likely one, and a ceiling that is not a number in range", () => {
    expect(problem({ "api-ceilings": "group_msg_get_simpel=2000" }).message).toBe(
      'Input "api-ceilings": unknown API "group_msg_get_simpel" (did you mean group_msg_get_simple?); give API=N with one of delete_group_msg_by_sender, group_msg_recall, group_msg_get_simple, get_group_info, get_appid_group_list, get_joined_group_list, get_topic, account_check.',
    );
    expect(problem({ "api-ceilings": "get_group_info=0x10" }).message).toContain(
      'get_group_info: expected calls per second, a decimal number from 1 to 50000, got "0x10"',
    );
  });
});
