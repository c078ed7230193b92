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
}

export type EmulatorProcessReply =
  | { type: "ready"; url: string }
  /** Times in the stats are the emulator process's performance.now(), which starts at `timeOrigin` (ms since the epoch). */
  | { type: "stats"; stats: unknown; timeOrigin: number };

const settings = JSON.parse(process.argv[2] ?? "{}") as EmulatorProcessSettings;
const emulator = await startEmulator({
  apps: [{ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY }],
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
