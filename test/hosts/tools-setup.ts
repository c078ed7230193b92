import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Builds the hosts into .tools/bin/ if missing (a few seconds when they are built, or the Go caches are warm). */
export default function setup(): void {
  const started = performance.now();
  const result = spawnSync("bash", [join(ROOT, "scripts/hosts/build-tools.sh")], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) {
    throw new Error(
      `scripts/hosts/build-tools.sh failed (exit ${result.status}): the host suites need pulumi and act in .tools/bin/.`,
    );
  }
  console.log(`hosts ready in ${Math.round(performance.now() - started)} ms`);
}
