import { setTimeout as sleep } from "node:timers/promises";
import { runAction } from "../action.js";
import { runBatches, runSequential, type BatchFigures } from "../batch.js";
import { CEILING, groupIds, pairCount, recallInputs, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { round } from "../stats.js";
import { actionFigures, actionLine } from "./action-figures.js";

const BATCH = { groups: 40, senders: 50 };
const LATENCY = { fixedMs: 50, jitterMs: 0 };
const SEQUENTIAL_TIME_LIMIT_MS = 30_000;
/** Lets the emulator's one-second window empty between runs. */
const WINDOW_DRAIN_MS = 1100;

function batchLine(label: string, f: BatchFigures): string {
  return (
    `${label.padEnd(34)} ${String(f.calls).padStart(6)} calls in ${f.seconds.toFixed(2).padStart(6)} s` +
    ` = ${f.callsPerSecond.toFixed(1).padStart(6)} calls/s (${f.shareOfCeiling.toFixed(3)} of ${CEILING}/s)` +
    ` | call p50 ${f.callP50Ms} ms, p99 ${f.callP99Ms} ms | retries ${f.retries}, rate-limited ${f.rateLimited}, failed ${f.failed}`
  );
}

/** One call at a time, a batch, two batches sharing one app, and a batch through `node dist/index.cjs`. */
export async function ratesPhase(): Promise<PhaseReport> {
  const prefixes = ["sequential", "batch", "first", "second", "action"];
  const { a, b, c, viaAction } = await withEmulator(
    {
      rateLimitPerSecond: CEILING,
      latency: LATENCY,
      groups: prefixes.flatMap((prefix) => groupIds(prefix, BATCH)),
    },
    async (url) => {
      const sequential = settingsFor(recallInputs("sequential", BATCH, url));
      console.log(`(a) sequential baseline: up to ${SEQUENTIAL_TIME_LIMIT_MS / 1000} s ...`);
      const a = await runSequential(sequential, SEQUENTIAL_TIME_LIMIT_MS);
      await sleep(WINDOW_DRAIN_MS);

      const batch = settingsFor(recallInputs("batch", BATCH, url));
      console.log(`(b) batch of ${pairCount(batch)} ...`);
      const b = (await runBatches([batch])).together;
      await sleep(WINDOW_DRAIN_MS);

      const first = settingsFor(recallInputs("first", BATCH, url));
      const second = settingsFor(recallInputs("second", BATCH, url));
      console.log(`(c) two batches of ${pairCount(first)} sharing one app ...`);
      const c = await runBatches([first, second]);
      await sleep(WINDOW_DRAIN_MS);

      console.log(`(b') node dist/index.cjs, ${pairCount(batch)} pairs ...`);
      const viaAction = actionFigures(await runAction(recallInputs("action", BATCH, url)), pairCount(batch));
      return { a, b, c, viaAction };
    },
  );
  const speedup = round(b.callsPerSecond / a.callsPerSecond, 1);
  return {
    title: `Rates: emulator at ${CEILING} calls/s per app and command, ${LATENCY.fixedMs} ms latency, in its own process`,
    lines: [
      batchLine("(a) sequential, one at a time", a),
      batchLine(`(b) batch of ${b.calls}`, b),
      ...c.each.map((f, i) => batchLine(`(c) batch ${i + 1} of 2, shared app`, f)),
      batchLine("(c) both batches together", c.together),
      actionLine(`(b') node dist/index.cjs, ${viaAction.calls}`, viaAction),
      `(a) ran ${a.calls} of ${BATCH.groups * BATCH.senders} pairs (bounded to ${SEQUENTIAL_TIME_LIMIT_MS / 1000} s); its rate is steady, so the speedup compares rates.`,
    ],
    targets: [
      {
        text: `(b) >= 0.95 x ${CEILING}/s, 0 failed: ${b.shareOfCeiling} x, ${b.failed} failed`,
        met: b.shareOfCeiling >= 0.95 && b.failed === 0,
      },
      { text: `(b) speedup over (a) >= 9x: ${speedup}x`, met: speedup >= 9 },
      {
        text: `(c) 0 failed, together >= 0.9 x ${CEILING}/s: ${c.each.map((f) => f.failed).join(" + ")} failed, ${c.together.shareOfCeiling} x`,
        met: c.each.every((f) => f.failed === 0) && c.together.shareOfCeiling >= 0.9,
      },
    ],
    figures: { latency: LATENCY, sequential: a, batch: b, twoBatches: c, batchViaAction: viaAction, speedup },
  };
}
