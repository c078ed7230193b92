import { readFileSync } from "node:fs";
import {
  applySeed,
  parseSeed,
  SeedError,
  startEmulator,
  type Emulator,
  type Seed,
} from "../emulator/index.js";
import type { AppConfig } from "../emulator/state.js";
import { InputError, quote } from "../recall/input-error.js";
import { parseFlags } from "./flags.js";
import { terminalText } from "./terminal.js";

/**
 * The sample `--demo` serves, as examples/emulator-seed.json holds it (a test keeps the two equal):
 * built in, so that it works from the package alone.
 */
export const DEMO_SEED: Seed = {
  apps: [{ sdkAppId: 1400000001, secretKey: "my-test-key" }],
  groups: [
    {
      sdkAppId: 1400000001,
      groupId: "@TGS#2C5SZEAEF",
      type: "Public",
      name: "general",
      messages: [
        { from: "alice", text: "Good morning, everyone" },
        { from: "leckie", text: "Cheap watches here: http://spam.invalid" },
        { from: "bob", text: "Morning Alice!" },
        { from: "leckie", text: "Limited offer, click now" },
        { from: "carol", text: "Stand-up in 5 minutes" },
        { from: "leckie", text: "Last chance!!!" },
      ],
    },
    {
      sdkAppId: 1400000001,
      groupId: "@TGS#_@TGS#cQVLVHIM62CJ",
      type: "Community",
      name: "community",
      topics: ["announcements", "off-topic"],
      messages: [
        { from: "alice", text: "Release notes are out", topic: "announcements" },
        { from: "leckie", text: "Free followers, DM me", topic: "off-topic" },
        { from: "bob", text: "Anyone up for lunch?", topic: "off-topic" },
        { from: "carol", text: "Welcome to the community" },
      ],
    },
    {
      sdkAppId: 1400000001,
      groupId: "@TGS#aJRGC4MH6",
      type: "AVChatRoom",
      name: "live",
      messages: [{ from: "leckie", text: "Watch my stream" }],
    },
  ],
};

export const EMULATOR_USAGE = `Usage: tencent-chat-recall emulator [--app SDKAPPID:SECRETKEY]... [--seed FILE | --demo] [options]

Serves an in-memory emulator of the Chat REST API on 127.0.0.1 until interrupted (Ctrl-C).

  --app SDKAPPID:KEY   an app and its secret key (admin account: administrator); repeatable
  --seed FILE          JSON with "apps" (accounts, deletedAccounts, historyRetentionSeconds),
                       "groups" (topics, members, messages) and "groupBatches" to start with;
                       at most 1000000 apps, groups, topics, messages and accounts in all
  --demo               start with a built-in sample instead: app 1400000001 (secret key
                       my-test-key, admin administrator); group @TGS#2C5SZEAEF, where leckie
                       posted 3 of 6 messages; a Community group with two topics; an AVChatRoom
  --port N             port (default: one the OS picks)
  --rate-limit N       calls per second per app and command (200)
  --latency-ms N       network delay before the service sees each request (0)
  --jitter-ms N        up to this much more delay, at random (0)
  --request-log N      how many of the newest authenticated requests to keep in memory (10000;
                       0 keeps none); a body over 16 KiB is kept as its size and first 1000 characters`;

/** How long a stop waits for the server to close before the process exits anyway. */
const CLOSE_WAIT_MS = 200;

function parseInteger(text: string, flag: string, min: number, max: number, example: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new InputError(undefined, `${flag}: expected ${example}, got ${quote(text)}.`);
  }
  return value;
}

function parseApp(text: string): AppConfig {
  const colon = text.indexOf(":");
  if (colon < 1 || colon === text.length - 1) {
    throw new InputError(undefined, `--app: expected SDKAPPID:SECRETKEY, e.g. 1400000001:my-test-key.`);
  }
  const sdkAppId = parseInteger(
    text.slice(0, colon),
    "--app",
    1,
    2 ** 32 - 1,
    "the SDKAppID before the colon, a positive integer below 2^32 such as 1400000001",
  );
  return { sdkAppId, secretKey: text.slice(colon + 1) };
}

function parseMilliseconds(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new InputError(undefined, `${flag}: expected milliseconds, 0 or more, got ${quote(text)}.`);
  }
  return value;
}

function readSeed(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(undefined, `--seed ${path}: could not read the file: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Some engines parse JSON recursively and run out of stack on very deep nesting.
    if (error instanceof RangeError) {
      throw new InputError(undefined, `--seed ${path}: nested too deeply to read (${error.message}).`);
    }
    throw new InputError(undefined, `--seed ${path}: not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseSeed(json);
  } catch (error) {
    if (error instanceof SeedError) throw new InputError(undefined, `--seed ${path}: ${error.message}.`);
    throw error;
  }
}

async function listen(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  try {
    return await startEmulator(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      const port = options.port;
      throw new InputError(
        undefined,
        `--port ${port}: port ${port} on 127.0.0.1 is in use; choose another or --port 0 to let the system pick one.`,
      );
    }
    throw error;
  }
}

export async function emulatorCommand(args: string[]): Promise<number> {
  const values = parseFlags("emulator", args, {
    app: { type: "string", multiple: true },
    seed: { type: "string" },
    demo: { type: "boolean" },
    port: { type: "string", default: "0" },
    "rate-limit": { type: "string", default: "200" },
    "latency-ms": { type: "string", default: "0" },
    "jitter-ms": { type: "string", default: "0" },
    "request-log": { type: "string", default: "10000" },
  });
  if (values.help) {
    process.stdout.write(EMULATOR_USAGE + "\n");
    return 0;
  }
  if (values.demo && values.seed !== undefined)
    throw new InputError(undefined, "--demo and --seed: give one of them; --demo serves a built-in seed.");
  const seed = values.demo ? DEMO_SEED : values.seed ? readSeed(values.seed) : {};
  const seedName = values.demo ? "--demo" : `--seed ${values.seed}`;
  const apps = [...(seed.apps ?? []), ...(values.app ?? []).map(parseApp)];
  if (apps.length === 0)
    throw new InputError(
      undefined,
      "--app or --seed: give at least one app, e.g. --app 1400000001:my-test-key, or --demo for a sample.",
    );
  const emulator = await listen({
    apps,
    port: parseInteger(values.port, "--port", 0, 65535, "a port from 0 to 65535"),
    rateLimitPerSecond: parseInteger(
      values["rate-limit"],
      "--rate-limit",
      1,
      1_000_000,
      "calls per second, from 1 to 1000000",
    ),
    latency: {
      fixedMs: parseMilliseconds(values["latency-ms"], "--latency-ms"),
      jitterMs: parseMilliseconds(values["jitter-ms"], "--jitter-ms"),
    },
    requestLogSize: parseInteger(
      values["request-log"],
      "--request-log",
      0,
      10_000_000,
      "a number of requests from 0 to 10000000",
    ),
  });
  let groups: string[];
  try {
    groups = applySeed(emulator.state, seed);
  } catch (error) {
    await emulator.close();
    if (error instanceof SeedError) throw new InputError(undefined, `${seedName}: ${error.message}.`);
    throw error;
  }
  const listed = seed.groups?.length ?? 0;
  const banner = [
    ...(listed > 0 ? [`Seeded groups: ${groups.slice(0, listed).map(terminalText).join(", ")}`] : []),
    ...(groups.length > listed ? [`Generated groups: ${groups.length - listed}`] : []),
    // Last, so that whoever waits for it has read the lines above.
    `Chat REST emulator listening on ${emulator.url}`,
  ];
  // Listening for the signals first: whoever reads the banner may send one at once.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write(banner.map((line) => `${line}\n`).join(""));
  const signal = await stopped;
  process.stderr.write(`emulator: stopped (${signal}).\n`);
  // Closing cuts every connection at once. Should anything still hold the process, an in-memory
  // emulator has nothing to save: it exits anyway.
  const closed = await Promise.race([
    emulator.close().then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS, false).unref()),
  ]);
  if (!closed) process.exit(0);
  return 0;
}
