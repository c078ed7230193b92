/**
 * `npm run bench`: how fast batches of recalls run against the emulator at the API's documented
 * ceiling (200 calls/s per SDKAppID) with 50 ms of latency, how two batches share one app's limit,
 * and what one run of the Action costs in start-up time and memory. Prints the figures and writes
 * them to bench-results.json.
 */
import { writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { resolveSettings, type RecallSettings } from "../src/recall/settings.js";
import { pairsOf } from "../src/recall/plan.js";
import { measureColdStart, runAction, type ActionRun } from "./bench/action.js";
import { runBatches, runSequential, type BatchFigures } from "./bench/batch.js";
import { withEmulator } from "./bench/emulator.js";
import { mebibytes, median, round, verdict } from "./bench/stats.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "bench-secret-key-7d1e";
const CEILING = 200;
const LATENCY = { fixedMs: 50, jitterMs: 0 };
const BATCH = { groups: 40, senders: 50 };
const LARGE_BATCH = { groups: 200, senders: 100 };
/** The N = 20,000 memory run goes faster than the real ceiling; it measures memory, not rate. */
const MEMORY_CEILING = 2000;
const SEQUENTIAL_TIME_LIMIT_MS = 30_000;
const ACTION_TIME_LIMIT_MS = 180_000;
const COLD_START_REPEATS = 15;
/** Lets the emulator's one-second window empty between phases. */
const WINDOW_DRAIN_MS = 1100;

interface Shape {
  groups: number;
  senders: number;
}

function groupIds(prefix: string, shape: Shape): string[] {
  return Array.from({ length: shape.groups }, (_, i) => `${prefix}-group-${String(i).padStart(3, "0")}`);
}

function recallInputs(prefix: string, shape: Shape, url: string, ceiling: number): Record<string, string> {
  return {
    group: groupIds(prefix, shape).join(","),
    sender: Array.from({ length: shape.senders }, (_, i) => `user-${String(i).padStart(3, "0")}`).join(","),
    "sdk-app-id": String(SDK_APP_ID),
    "secret-key": SECRET_KEY,
    endpoint: url,
    "max-calls-per-second": String(ceiling),
  };
}

/** The settings the Action derives from these inputs. */
function settings(prefix: string, shape: Shape, url: string): RecallSettings {
  const inputs = recallInputs(prefix, shape, url, CEILING);
  return resolveSettings([
    { get: (spec) => ({ values: [inputs[spec.name] ?? ""] }), label: (spec) => spec.name },
  ]);
}

function pairCount(settings: RecallSettings): number {
  return [...pairsOf(settings.scopes, settings.senders)].length;
}

function batchLine(label: string, f: BatchFigures): string {
  return (
    `${label.padEnd(34)} ${String(f.calls).padStart(6)} calls in ${f.seconds.toFixed(2).padStart(6)} s` +
    ` = ${f.callsPerSecond.toFixed(1).padStart(6)} calls/s (${f.shareOfCeiling.toFixed(3)} of ${CEILING}/s)` +
    ` | call p50 ${f.callP50Ms} ms, p99 ${f.callP99Ms} ms` +
    ` | retries ${f.retries}, rate-limited ${f.rateLimited}, failed ${f.failed}`
  );
}

function actionFigures(run: ActionRun, calls: number) {
  return {
    exitCode: run.exitCode,
    calls,
    succeeded: Number(run.outputs.succeeded ?? NaN),
    failed: Number(run.outputs.failed ?? NaN),
    seconds: round(run.wallMs / 1000, 2),
    callsPerSecond: round(calls / (run.wallMs / 1000)),
    retries: run.retries,
    maxRssBytes: run.maxRssBytes,
    resultsOutputBytes: Buffer.byteLength(run.outputs.results ?? ""),
    resultsTruncated: (run.outputs.results ?? "").includes('"truncated":true'),
    resultsFileBytes: run.resultsFileBytes,
  };
}

type ActionFigures = ReturnType<typeof actionFigures>;

function actionLine(label: string, f: ActionFigures): string {
  return (
    `${label.padEnd(34)} exit ${f.exitCode}, ${f.succeeded} OK, ${f.failed} failed, ${f.seconds} s` +
    ` (${f.callsPerSecond} calls/s incl. start-up), retries ${f.retries} | max RSS ${mebibytes(f.maxRssBytes)}` +
    ` | results output ${mebibytes(f.resultsOutputBytes)}${f.resultsTruncated ? " (truncated)" : ""},` +
    ` results file ${mebibytes(f.resultsFileBytes)}`
  );
}

async function rateMeasurements() {
  const prefixes = ["sequential", "batch", "first", "second", "action"];
  return withEmulator(
    {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      rateLimitPerSecond: CEILING,
      latency: LATENCY,
      groups: prefixes.flatMap((prefix) => groupIds(prefix, BATCH)),
    },
    async (url) => {
      const sequential = settings("sequential", BATCH, url);
      console.log(`(a) sequential baseline: up to ${SEQUENTIAL_TIME_LIMIT_MS / 1000} s ...`);
      const a = await runSequential(sequential, SEQUENTIAL_TIME_LIMIT_MS);
      await sleep(WINDOW_DRAIN_MS);

      const batch = settings("batch", BATCH, url);
      console.log(`(b) batch of ${pairCount(batch)} ...`);
      const b = (await runBatches([batch])).together;
      await sleep(WINDOW_DRAIN_MS);

      const first = settings("first", BATCH, url);
      const second = settings("second", BATCH, url);
      console.log(`(c) two batches of ${pairCount(first)} sharing one app ...`);
      const c = await runBatches([first, second]);
      await sleep(WINDOW_DRAIN_MS);

      console.log(`(b') node dist/index.js, ${pairCount(batch)} pairs ...`);
      const viaAction = actionFigures(
        await runAction(recallInputs("action", BATCH, url, CEILING), ACTION_TIME_LIMIT_MS),
        pairCount(batch),
      );
      return { a, b, c, viaAction };
    },
  );
}

async function memoryMeasurements() {
  return withEmulator(
    {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      rateLimitPerSecond: MEMORY_CEILING,
      latency: LATENCY,
      groups: [...groupIds("small", BATCH), ...groupIds("large", LARGE_BATCH)],
    },
    async (url) => {
      const run = async (prefix: string, shape: Shape) => {
        const calls = shape.groups * shape.senders;
        console.log(`memory: node dist/index.js, ${calls} pairs at ${MEMORY_CEILING}/s ...`);
        const inputs = recallInputs(prefix, shape, url, MEMORY_CEILING);
        return actionFigures(await runAction(inputs, ACTION_TIME_LIMIT_MS), calls);
      };
      return { small: await run("small", BATCH), large: await run("large", LARGE_BATCH) };
    },
  );
}

async function coldStartMeasurements() {
  return withEmulator(
    {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      rateLimitPerSecond: CEILING,
      latency: { fixedMs: 0 },
      groups: groupIds("cold", { groups: 1, senders: 1 }),
    },
    async (url) => {
      console.log(`cold start: ${COLD_START_REPEATS} runs each ...`);
      const inputs = recallInputs("cold", { groups: 1, senders: 1 }, url, CEILING);
      const { bareNodeMs, barePostMs, actionMs } = measureColdStart(inputs, COLD_START_REPEATS);
      return {
        repeats: COLD_START_REPEATS,
        bareNodeMedianMs: round(median(bareNodeMs)),
        barePostMedianMs: round(median(barePostMs)),
        actionMedianMs: round(median(actionMs)),
        ratio: round(median(actionMs) / median(bareNodeMs), 2),
      };
    },
  );
}

const rates = await rateMeasurements();
const memory = await memoryMeasurements();
const coldStart = await coldStartMeasurements();

const { a, b, c, viaAction } = rates;
const speedup = round(b.callsPerSecond / a.callsPerSecond, 1);
const memoryBound = 1.5 * memory.small.maxRssBytes + memory.large.resultsFileBytes;
const targets = {
  batch: b.shareOfCeiling >= 0.95 && b.failed === 0,
  speedup: speedup >= 9,
  twoBatches: c.each.every((f) => f.failed === 0) && c.together.shareOfCeiling >= 0.9,
  memory: memory.large.maxRssBytes <= memoryBound,
  coldStart: coldStart.ratio <= 1.5,
};

console.log(`
Emulator: ${CEILING} calls/s per app and command (one-second sliding window), ${LATENCY.fixedMs} ms latency, in its own process.
${batchLine("(a) sequential, one at a time", a)}
${batchLine(`(b) batch of ${b.calls} (runRecall)`, b)}
${c.each.map((f, i) => batchLine(`(c) batch ${i + 1} of 2, shared app`, f)).join("\n")}
${batchLine("(c) both batches together", c.together)}
${actionLine(`(b') node dist/index.js, ${viaAction.calls}`, viaAction)}
(a) ran ${a.calls} of ${BATCH.groups * BATCH.senders} pairs (bounded to ${SEQUENTIAL_TIME_LIMIT_MS / 1000} s); its rate is steady, so the speedup compares rates.
Speedup of (b) over (a): ${speedup}x

Memory, node dist/index.js against an emulator at ${MEMORY_CEILING} calls/s and max-calls-per-second ${MEMORY_CEILING} (it measures memory, not rate):
${actionLine(`N = ${memory.small.calls}`, memory.small)}
${actionLine(`N = ${memory.large.calls}`, memory.large)}

Cold start of one recall (median of ${coldStart.repeats}, emulator without latency): node dist/index.js ${coldStart.actionMedianMs} ms, node -e 0 ${coldStart.bareNodeMedianMs} ms, ratio ${coldStart.ratio}
  for reference, node -e with one bare node:http POST to the emulator: ${coldStart.barePostMedianMs} ms (${round(coldStart.barePostMedianMs / coldStart.bareNodeMedianMs, 2)} x node -e 0)

Targets
  (b) >= 0.95 x ${CEILING}/s, 0 failed: ${b.shareOfCeiling} x, ${b.failed} failed .......... ${verdict(targets.batch)}
  (b) speedup over (a) >= 9x: ${speedup}x .......... ${verdict(targets.speedup)}
  (c) 0 failed, together >= 0.9 x ${CEILING}/s: ${c.each.map((f) => f.failed).join(" + ")} failed, ${c.together.shareOfCeiling} x .......... ${verdict(targets.twoBatches)}
  peak memory N=${memory.large.calls} <= 1.5 x N=${memory.small.calls} + results (${mebibytes(memoryBound)}): ${mebibytes(memory.large.maxRssBytes)} .......... ${verdict(targets.memory)}
  cold start <= 1.5 x node -e 0: ${coldStart.ratio} x .......... ${verdict(targets.coldStart)}
`);

writeFileSync(
  "bench-results.json",
  JSON.stringify(
    {
      node: process.version,
      emulator: { ceiling: CEILING, latency: LATENCY, memoryCeiling: MEMORY_CEILING },
      sequential: a,
      batch: b,
      twoBatches: c,
      batchViaAction: viaAction,
      speedup,
      memory,
      coldStart,
      targets,
    },
    null,
    2,
  ) + "\n",
);
console.log("Written to bench-results.json");
