/**
 * Runs one emulator in its own process, so that serving the benchmark's calls does not compete for
 * the event loop of the client being measured. Started with IPC; the settings arrive as argv[2].
 */
import { startEmulator, type EmulatorOptions, type Fault } from "../../src/emulator/index.js";

export interface EmulatorProcessSettings {
  sdkAppId: number;
  secretKey: string;
  rateLimitPerSecond: number;
  latency: NonNullable<EmulatorOptions["latency"]>;
  groups: string[];
  faults?: Fault[];
}

export interface EmulatorProcessReply {
  url: string;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as EmulatorProcessSettings;
const emulator = await startEmulator({
  apps: [{ sdkAppId: settings.sdkAppId, secretKey: settings.secretKey }],
  rateLimitPerSecond: settings.rateLimitPerSecond,
  latency: settings.latency,
});
emulator.faults.push(...(settings.faults ?? []));
for (const groupId of settings.groups) {
  emulator.state.createGroup(settings.sdkAppId, { type: "Public", groupId });
  emulator.state.sendMessage(settings.sdkAppId, groupId, "seed", "hello");
}

function reply(message: EmulatorProcessReply): void {
  process.send?.(message);
}

process.on("message", (message: { type: "stop" }) => {
  if (message.type === "stop") void emulator.close().then(() => process.exit(0));
});
process.on("disconnect", () => void emulator.close().then(() => process.exit(0)));
reply({ url: emulator.url });
