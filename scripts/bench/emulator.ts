import { fork } from "node:child_process";
import type { EmulatorProcessReply, EmulatorProcessSettings } from "./emulator-process.js";

interface EmulatorHandle {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_LIMIT_MS = 30_000;

/** Starts the emulator in a child process (run by tsx) and resolves once it listens. */
function spawnEmulator(settings: EmulatorProcessSettings): Promise<EmulatorHandle> {
  const child = fork(new URL("./emulator-process.ts", import.meta.url).pathname, [JSON.stringify(settings)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<EmulatorProcessReply>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the emulator process did not start")), STARTUP_LIMIT_MS);
    child.once("message", (message: EmulatorProcessReply) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
  return ready.then((first) => {
    return {
      url: first.url,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.send({ type: "stop" });
        }),
    };
  });
}

/** Runs `measure` against an emulator process that lives only for that long. */
export async function withEmulator<T>(
  settings: EmulatorProcessSettings,
  measure: (url: string) => Promise<T>,
): Promise<T> {
  const emulator = await spawnEmulator(settings);
  try {
    return await measure(emulator.url);
  } finally {
    await emulator.stop();
  }
}
