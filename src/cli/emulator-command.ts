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

export const EMULATOR_USAGE = `Usage: tencent-chat-recall emulator [--app SDKAPPID:SECRETKEY]... [--seed FILE] [options]

Serves an in-memory emulator of the Chat REST API on 127.0.0.1 until interrupted.

  --app SDKAPPID:KEY   an app and its secret key (admin account: administrator); repeatable
  --seed FILE          JSON with "apps" (accounts, deletedAccounts, historyRetentionSeconds),
                       "groups" (topics, members, messages) and "groupBatches" to start with;
                       at most 1000000 apps, groups, topics, messages and accounts in all
  --port N             port (default: one the OS picks)
  --rate-limit N       calls per second per app and command (200)
  --latency-ms N       network delay before the service sees each request (0)
  --jitter-ms N        up to this much more delay, at random (0)
  --request-log N      how many of the newest authenticated requests to keep in memory (10000;
                       0 keeps none); a body over 16 KiB is kept as its size and first 1000 characters`;

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
  const seed = values.seed ? readSeed(values.seed) : {};
  const apps = [...(seed.apps ?? []), ...(values.app ?? []).map(parseApp)];
  if (apps.length === 0)
    throw new InputError(
      undefined,
      "--app or --seed: give at least one app, e.g. --app 1400000001:my-test-key.",
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
    if (error instanceof SeedError)
      throw new InputError(undefined, `--seed ${values.seed}: ${error.message}.`);
    throw error;
  }
  const listed = seed.groups?.length ?? 0;
  const banner = [
    ...(listed > 0 ? [`Seeded groups: ${groups.slice(0, listed).map(terminalText).join(", ")}`] : []),
    ...(groups.length > listed ? [`Generated groups: ${groups.length - listed}`] : []),
    // Last, so that whoever waits for it has read the lines above.
    `Chat REST emulator listening on ${emulator.url}`,
  ];
  process.stdout.write(banner.map((line) => `${line}\n`).join(""));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.close();
  return 0;
}
