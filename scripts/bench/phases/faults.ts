import type { Fault } from "../../../src/emulator/index.js";
import { RECALL_COMMAND } from "../../../src/recall/strategy-silent.js";
import { runBatches } from "../batch.js";
import { CEILING, groupIds, pairCount, recallInputs, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { round } from "../stats.js";

const BATCH = { groups: 20, senders: 50 };
const LATENCY = { fixedMs: 50, jitterMs: 0 };
/** Each kind of fault and its share of all attempts: a fifth of them fail. */
const FAULT_SHARES: [number, Fault][] = [
  [0.04, { httpStatus: 503 }],
  [0.03, { reset: true }],
  [0.03, { hangMs: 60_000 }],
  [0.03, { body: '{"ActionStatus":"OK","ErrorCo' }],
  [0.02, { errorCode: 10002 }],
  [0.02, { errorCode: 70500 }],
  [0.03, { errorCode: 60007 }],
];

/** The emulator tries faults in turn, so each one's chance is its share given that none before it struck. */
function faultMix(): Fault[] {
  let left = 1;
  return FAULT_SHARES.map(([share, fault]) => {
    const probability = share / left;
    left -= share;
    return { ...fault, command: RECALL_COMMAND, probability };
  });
}

/** 1,000 pairs with a fifth of all attempts failing in mixed ways, against the same run without faults. */
export async function faultsPhase(): Promise<PhaseReport> {
  const run = (faults: Fault[]) =>
    withEmulator(
      {
        rateLimitPerSecond: CEILING,
        latency: LATENCY,
        groups: groupIds("faults", BATCH),
        faults,
      },
      async (url) => {
        const batch = settingsFor(
          recallInputs("faults", BATCH, url, { "request-timeout": "2", "max-attempts": "5" }),
        );
        const pairs = pairCount(batch);
        console.log(`faults: ${pairs} pairs, ${faults.length ? "with" : "without"} faults ...`);
        const figures = (await runBatches([batch])).together;
        return { ...figures, ok: figures.calls - figures.failed, lost: pairs - figures.calls };
      },
    );
  const clean = await run([]);
  const faulted = await run(faultMix());
  const pairs = BATCH.groups * BATCH.senders;
  const timeRatio = round(faulted.seconds / clean.seconds, 2);
  const shareOf = (rateLimited: boolean) =>
    FAULT_SHARES.filter(([, f]) => (f.errorCode === 60007) === rateLimited).reduce(
      (sum, [share]) => sum + share,
      0,
    );
  // Rate-limited answers are retried without using up an attempt: an attempt that counts is one
  // that was not rate limited.
  const transientShare = shareOf(false) / (1 - shareOf(true));
  const expectedFailures = pairs * transientShare ** 5;
  const line = (label: string, f: typeof clean) =>
    `${label.padEnd(16)} ${f.ok} OK, ${f.failed} failed, ${f.lost} lost in ${f.seconds} s (${f.retries} retries)`;
  return {
    title: `Faults: ${pairs} pairs, 20 % of attempts failing (503, reset, hang past the 2 s request timeout, truncated JSON, 10002, 70500, 60007), max-attempts 5`,
    lines: [
      line("without faults:", clean),
      line("with faults:", faulted),
      `time with faults: ${timeRatio} x the clean run's`,
      ...faulted.failures.map((failure) => `failed: ${failure}`),
      `a pair fails only when all 5 attempts meet a transient fault (${round(100 * transientShare)} % each): ${round(expectedFailures, 2)} such pairs expected in ${pairs}`,
    ],
    targets: [
      {
        text: `faults: ${pairs} OK, 0 lost, <= 3 x the clean run's time: ${faulted.ok} OK, ${faulted.lost} lost, ${timeRatio} x`,
        met: faulted.ok === pairs && faulted.lost === 0 && timeRatio <= 3,
      },
    ],
    figures: {
      faults: FAULT_SHARES.map(([share, fault]) => ({ share, ...fault })),
      clean,
      faulted,
      timeRatio,
    },
  };
}
