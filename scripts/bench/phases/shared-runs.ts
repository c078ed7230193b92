import { RECALL_COMMAND } from "../../../src/recall/strategy-silent.js";
import { runAction } from "../action.js";
import { CEILING, groupIds, recallInputs, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { round } from "../stats.js";

const RUNS = 4;
/** 1,000 pairs a run. */
const SHAPE = { groups: 200, senders: 5 };
const LATENCY = { fixedMs: 200, jitterMs: 200 };

/**
 * Four `node dist/index.cjs` runs of 1,000 pairs each, started together against one app, measured
 * as a user waits for them: from the first start to the last run's exit.
 */
export async function sharedRunsPhase(): Promise<PhaseReport> {
  return withEmulator(
    {
      rateLimitPerSecond: CEILING,
      latency: LATENCY,
      groups: Array.from({ length: RUNS }, (_, run) => groupIds(`shared${run}`, SHAPE)).flat(),
    },
    async (url, emulator) => {
      console.log(`shared runs: ${RUNS} processes of ${SHAPE.groups * SHAPE.senders} pairs, one app ...`);
      const started = performance.now();
      const runs = await Promise.all(
        Array.from({ length: RUNS }, (_, run) => runAction(recallInputs(`shared${run}`, SHAPE, url))),
      );
      const wallSeconds = (performance.now() - started) / 1000;
      const recall = (await emulator.stats())[RECALL_COMMAND];
      const accepted = recall?.accepted ?? 0;
      const rateLimited = recall?.rateLimited ?? 0;
      const share = round(accepted / wallSeconds / CEILING, 3);
      const limitedShare = round(rateLimited / Math.max(1, accepted + rateLimited), 3);
      const ends = runs.map((r) => r.wallMs).sort((a, b) => a - b);
      const spread = round(ends.at(-1)! / ends[0]!, 2);
      const failed = runs.reduce((n, r) => n + Number(r.outputs.failed ?? NaN), 0);
      return {
        title: `Shared runs: ${RUNS} processes x ${SHAPE.groups * SHAPE.senders} pairs against one app at ${CEILING}/s, 300 ± 100 ms latency, wall clock to the last exit`,
        lines: [
          `${accepted} recalls in ${round(wallSeconds, 2)} s: ${round(accepted / wallSeconds)} calls/s together (${share} of ${CEILING}/s)`,
          `runs ended after ${ends.map((ms) => round(ms / 1000, 1)).join(", ")} s: the last ${spread} x the first`,
          `${rateLimited} rate-limited answers (${round(100 * limitedShare, 1)} %), ${failed} failed`,
        ],
        targets: [
          {
            text: `shared runs: >= 0.90 together, <= 3 % rate-limited, every run within 1.15 x the first, 0 failed: ${share}, ${round(100 * limitedShare, 1)} %, ${spread} x, ${failed} failed`,
            met: share >= 0.9 && limitedShare <= 0.03 && spread <= 1.15 && failed === 0,
          },
        ],
        figures: { runs: RUNS, shape: SHAPE, wallSeconds, accepted, rateLimited, share, spread, ends },
      };
    },
  );
}
