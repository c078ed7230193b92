import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { applySeed, startEmulator, type Seed } from "../emulator/index.js";
import type { AppConfig } from "../emulator/state.js";
import { InputError } from "../recall/input-error.js";

export const EMULATOR_USAGE = `Usage: tencent-chat-recall emulator [--app SDKAPPID:SECRETKEY]... [--seed FILE] [options]

Serves an in-memory emulator of the Chat REST API on 127.0.0.1 until interrupted.

  --app SDKAPPID:KEY   an app and its secret key (admin account: administrator); repeatable
  --seed FILE          JSON with "apps" and "groups" (topics, messages) to start with
  --port N             port (default: one the OS picks)
  --rate-limit N       calls per second per app and command (200)
  --latency-ms N       delay added to every answer (0)
  --jitter-ms N        up to this much more delay, at random (0)`;

function parsePositiveInteger(text: string, flag: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw new InputError(
      undefined,
      `${flag}: expected a whole number from 1 to ${max}, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}

function parseSdkAppId(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value >= 2 ** 32) {
    throw new InputError(
      undefined,
      `${flag}: expected an SDKAppID, a positive number below 2^32, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}

function parseApp(text: string): AppConfig {
  const colon = text.indexOf(":");
  if (colon < 1 || colon === text.length - 1) {
    throw new InputError(undefined, `--app: expected SDKAPPID:SECRETKEY, e.g. 1400000001:my-test-key.`);
  }
  return { sdkAppId: parseSdkAppId(text.slice(0, colon), "--app"), secretKey: text.slice(colon + 1) };
}

function parseMilliseconds(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new InputError(
      undefined,
      `${flag}: expected milliseconds, 0 or more, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}

function readSeed(path: string): Seed {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Seed;
  } catch (error) {
    throw new InputError(undefined, `--seed: could not read ${path} as JSON: ${(error as Error).message}`);
  }
}

export async function emulatorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      app: { type: "string", multiple: true },
      seed: { type: "string" },
      port: { type: "string", default: "0" },
      "rate-limit": { type: "string", default: "200" },
      "latency-ms": { type: "string", default: "0" },
      "jitter-ms": { type: "string", default: "0" },
      help: { type: "boolean" },
    },
    strict: true,
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
  const port = values.port === "0" ? 0 : parsePositiveInteger(values.port, "--port", 65535);
  const emulator = await startEmulator({
    apps,
    port,
    rateLimitPerSecond: parsePositiveInteger(values["rate-limit"], "--rate-limit", 1_000_000),
    latency: {
      fixedMs: parseMilliseconds(values["latency-ms"], "--latency-ms"),
      jitterMs: parseMilliseconds(values["jitter-ms"], "--jitter-ms"),
    },
  });
  let groups: string[];
  try {
    groups = applySeed(emulator.state, seed);
  } catch (error) {
    await emulator.close();
    throw new InputError(undefined, `--seed: ${(error as Error).message}`);
  }
  process.stdout.write(`Chat REST emulator listening on ${emulator.url}\n`);
  if (groups.length > 0) process.stdout.write(`Seeded groups: ${groups.join(", ")}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.close();
  return 0;
}
