import { fork, type ChildProcess } from "node:child_process";
import type { CommandStats } from "../../src/emulator/call-stats.js";
import type { EmulatorProcessReply, EmulatorProcessSettings } from "./emulator-process.js";

export interface EmulatorHandle {
  url: string;
  /** The emulator's figures per command since it started, with times in ms since the epoch. */
  stats(): Promise<Record<string, CommandStats>>;
  stop(): Promise<void>;
}

const STARTUP_LIMIT_MS = 60_000;
/**
 * The emulator stands in for Tencent's servers on the same small machine as the client: a larger
 * young generation keeps its garbage collection from making the server the bottleneck at thousands
 * of calls a second. The client being measured runs with Node's defaults, as users run it.
 */
const SERVER_NODE_OPTIONS = ["--max-semi-space-size=64"];

function next(child: ChildProcess, type: EmulatorProcessReply["type"]): Promise<EmulatorProcessReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the emulator process sent no ${type}`)),
      STARTUP_LIMIT_MS,
    );
    const listen = (message: EmulatorProcessReply): void => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", listen);
      resolve(message);
    };
    child.on("message", listen);
  });
}

/** Starts the emulator in a child process (run by tsx) and resolves once it listens. */
async function spawnEmulator(settings: EmulatorProcessSettings): Promise<EmulatorHandle> {
  const child = fork(new URL("./emulator-process.ts", import.meta.url).pathname, [JSON.stringify(settings)], {
    execArgv: ["--import", "tsx", ...SERVER_NODE_OPTIONS],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = (await next(child, "ready")) as { url: string };
  return {
    url: ready.url,
    stats: async () => {
      const answer = next(child, "stats");
      child.send({ type: "stats" });
      const { stats, timeOrigin } = (await answer) as {
        stats: Record<string, CommandStats>;
        timeOrigin: number;
      };
      const epoch = (t: number | null) => (t === null ? null : timeOrigin + t);
      return Object.fromEntries(
        Object.entries(stats).map(([command, s]) => [
          command,
          { ...s, firstAcceptedAt: epoch(s.firstAcceptedAt), lastAcceptedAt: epoch(s.lastAcceptedAt) },
        ]),
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
      }),
  };
}

/** Runs `measure` against an emulator process that lives only for that long. */
export async function withEmulator<T>(
  settings: EmulatorProcessSettings,
  measure: (url: string, emulator: EmulatorHandle) => Promise<T>,
): Promise<T> {
  const emulator = await spawnEmulator(settings);
  try {
    return await measure(emulator.url, emulator);
  } finally {
    await emulator.stop();
  }
}
