/**
 * Runs one emulator in its own process, so that serving the benchmark's calls does not compete for
 * the event loop of the client being measured. Started with IPC; the settings arrive as argv[2].
 * It answers "stats" and "reset-stats" messages with the emulator's per-command figures.
 */
import {
  applySeed,
  startEmulator,
  type EmulatorOptions,
  type Fault,
  type Seed,
} from "../../src/emulator/index.js";

export interface EmulatorProcessSettings {
  sdkAppId: number;
  secretKey: string;
  rateLimitPerSecond: number;
  latency: NonNullable<EmulatorOptions["latency"]>;
  /** Public groups to create, each with `messages` (or one message). */
  groups: string[];
  messages?: { from: string; text: string }[];
  /** More to create, in the emulator's seed format. */
  seed?: Seed;
  faults?: Fault[];
  commandRateLimits?: Record<string, number>;
}

export type EmulatorProcessReply =
  | { type: "ready"; url: string }
  /** Times in the stats are the emulator process's performance.now(), which starts at `timeOrigin` (ms since the epoch). */
  | { type: "stats"; stats: unknown; timeOrigin: number };

const settings = JSON.parse(process.argv[2] ?? "{}") as EmulatorProcessSettings;
const emulator = await startEmulator({
  apps: [{ sdkAppId: settings.sdkAppId, secretKey: settings.secretKey }],
  rateLimitPerSecond: settings.rateLimitPerSecond,
  latency: settings.latency,
  requestLogSize: 0,
  ...(settings.commandRateLimits ? { commandRateLimits: settings.commandRateLimits } : {}),
});
emulator.faults.push(...(settings.faults ?? []));
const messages = settings.messages ?? [{ from: "seed", text: "hello" }];
for (const groupId of settings.groups) {
  emulator.state.createGroup(settings.sdkAppId, { type: "Public", groupId });
  for (const m of messages) emulator.state.sendMessage(settings.sdkAppId, groupId, m.from, m.text);
}
if (settings.seed) applySeed(emulator.state, settings.seed);

function reply(message: EmulatorProcessReply): void {
  process.send?.(message);
}

process.on("message", (message: { type: "stop" | "stats" | "reset-stats" }) => {
  if (message.type === "stop") void emulator.close().then(() => process.exit(0));
  if (message.type === "stats")
    reply({ type: "stats", stats: emulator.stats(), timeOrigin: performance.timeOrigin });
  if (message.type === "reset-stats") emulator.resetStats();
});
process.on("disconnect", () => void emulator.close().then(() => process.exit(0)));
reply({ type: "ready", url: emulator.url });
