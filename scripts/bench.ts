/**
 * `npm run bench [-- PHASE...]`: measures the recall against the emulator, each phase printing its
 * figures and its targets as MET or MISSED, and writes everything to bench-results.json. Phases:
 * rates, ceiling, shared-runs, faults, verify, depth, bought-history, everywhere, memory, cold-start
 * (all by default).
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { PhaseReport } from "./bench/common.js";
import { boughtHistoryPhase } from "./bench/phases/bought-history.js";
import { ceilingPhase } from "./bench/phases/ceiling.js";
import { coldStartPhase } from "./bench/phases/cold-start.js";
import { depthPhase } from "./bench/phases/depth.js";
import { everywherePhase } from "./bench/phases/everywhere.js";
import { faultsPhase } from "./bench/phases/faults.js";
import { memoryPhase } from "./bench/phases/memory.js";
import { ratesPhase } from "./bench/phases/rates.js";
import { sharedRunsPhase } from "./bench/phases/shared-runs.js";
import { verifyPhase } from "./bench/phases/verify.js";
import { verdict } from "./bench/stats.js";

const PHASES: Record<string, () => Promise<PhaseReport>> = {
  rates: ratesPhase,
  ceiling: ceilingPhase,
  "shared-runs": sharedRunsPhase,
  faults: faultsPhase,
  verify: verifyPhase,
  depth: depthPhase,
  "bought-history": boughtHistoryPhase,
  everywhere: everywherePhase,
  memory: memoryPhase,
  "cold-start": coldStartPhase,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !Object.hasOwn(PHASES, name));
if (unknown.length > 0) {
  console.error(`unknown phase(s) ${unknown.join(", ")}; the phases are ${Object.keys(PHASES).join(", ")}`);
  process.exit(2);
}
const cores = cpus();
const machine = `${cores.length} cores (${cores[0]?.model ?? "unknown CPU"}), Node ${process.version}`;
const reports: Record<string, PhaseReport> = {};
for (const name of asked.length > 0 ? asked : Object.keys(PHASES)) reports[name] = await PHASES[name]!();

console.log(`\nMachine: ${machine}`);
for (const report of Object.values(reports)) {
  console.log(`\n${report.title}\n${report.lines.map((line) => `  ${line}`).join("\n")}`);
}
console.log("\nTargets");
for (const report of Object.values(reports)) {
  for (const target of report.targets) console.log(`  ${target.text} .......... ${verdict(target.met)}`);
}
writeFileSync("bench-results.json", JSON.stringify({ machine, phases: reports }, null, 2) + "\n");
console.log("\nWritten to bench-results.json");
