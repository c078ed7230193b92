/**
 * Runs one emulator, with the benchmark's app, in its own process, so that serving the benchmark's
 * calls does not compete for the event loop of the client being measured. Started with IPC; the
 * settings arrive as argv[2]. It answers "stats" messages with the emulator's per-command figures.
 */
import {
  applySeed,
  startEmulator,
  type EmulatorOptions,
  type Fault,
  type Seed,
} from "../../src/emulator/index.js";
import { SDK_APP_ID, SECRET_KEY } from "./common.js";
import { plainClient } from "./plain-client.js";

export interface EmulatorProcessSettings {
  rateLimitPerSecond: number;
  /** Limits of particular commands, by path, as a bought limit would set them. */
  commandRateLimits?: Record<string, number>;
  latency: NonNullable<EmulatorOptions["latency"]>;
  /** Public groups to create, each with `messages` (or one message). */
  groups?: string[];
  messages?: { from: string; text: string }[];
  /** A Public group of `count` messages, every `every`-th of them by `sender`, the rest by a bystander. */
  longGroup?: { groupId: string; count: number; sender: string; every: number };
  /** More to create, in the emulator's seed format. */
  seed?: Seed;
  faults?: Fault[];
  /**
   * A command the emulator answers WARM_UP_CALLS times before it says it is ready, on an app and a
   * group of their own, with its figures reset after: a server that has just started is slower than
   * Tencent's until its code is compiled, and that is not the client's time.
   */
  warmUp?: { command: string; body: Record<string, unknown> };
}

export type EmulatorProcessReply =
  | { type: "ready"; url: string }
  /** Times in the stats are the emulator process's performance.now(), which starts at `timeOrigin` (ms since the epoch). */
  | { type: "stats"; stats: unknown; timeOrigin: number };

const WARM_UP_APP = { sdkAppId: SDK_APP_ID + 1, secretKey: `${SECRET_KEY}-warm-up` };
const WARM_UP_GROUP = "warm-up-group";
const WARM_UP_CONCURRENCY = 200;
const WARM_UP_CALLS = 5000;

const settings = JSON.parse(process.argv[2] ?? "{}") as EmulatorProcessSettings;
const emulator = await startEmulator({
  apps: [{ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY }, WARM_UP_APP],
  rateLimitPerSecond: settings.rateLimitPerSecond,
  ...(settings.commandRateLimits ? { commandRateLimits: settings.commandRateLimits } : {}),
  latency: settings.latency,
  requestLogSize: 0,
});
emulator.faults.push(...(settings.faults ?? []));
const messages = settings.messages ?? [{ from: "seed", text: "hello" }];
for (const groupId of settings.groups ?? []) {
  emulator.state.createGroup(SDK_APP_ID, { type: "Public", groupId });
  for (const m of messages) emulator.state.sendMessage(SDK_APP_ID, groupId, m.from, m.text);
}
if (settings.longGroup) {
  const { groupId, count, sender, every } = settings.longGroup;
  emulator.state.createGroup(SDK_APP_ID, { type: "Public", groupId });
  for (let i = 1; i <= count; i++)
    emulator.state.sendMessage(SDK_APP_ID, groupId, i % every === 0 ? sender : "bystander", `message ${i}`);
}
if (settings.seed) applySeed(emulator.state, settings.seed);
if (settings.warmUp) await warmUp(settings.warmUp);

/** Sends `calls` of `command` to the emulator, as the warm-up app's admin, and forgets them. */
async function warmUp({ command, body }: NonNullable<EmulatorProcessSettings["warmUp"]>): Promise<void> {
  emulator.state.createGroup(WARM_UP_APP.sdkAppId, { type: "Public", groupId: WARM_UP_GROUP });
  for (const m of messages) emulator.state.sendMessage(WARM_UP_APP.sdkAppId, WARM_UP_GROUP, m.from, m.text);
  await plainClient(emulator.url, WARM_UP_GROUP, WARM_UP_CALLS, WARM_UP_CONCURRENCY, {
    app: WARM_UP_APP,
    command,
    body,
  });
  emulator.resetStats();
}

function reply(message: EmulatorProcessReply): void {
  process.send?.(message);
}

process.on("message", (message: { type: "stop" | "stats" }) => {
  if (message.type === "stop") void emulator.close().then(() => process.exit(0));
  if (message.type === "stats")
    reply({ type: "stats", stats: emulator.stats(), timeOrigin: performance.timeOrigin });
});
process.on("disconnect", () => void emulator.close().then(() => process.exit(0)));
reply({ type: "ready", url: emulator.url });
