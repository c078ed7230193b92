import { HISTORY_COMMAND } from "../../../src/recall/history.js";
import { RECALL_COMMAND } from "../../../src/recall/strategy-silent.js";
import { runBatches } from "../batch.js";
import { CEILING, groupIds, recallInputs, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { acceptedPerSecond, round } from "../stats.js";

const SHAPE = { groups: 200, senders: 5 };
const LATENCY = { fixedMs: 50, jitterMs: 0 };
/** 100 messages a group: 10 from each sender of the batch and 50 from others, so a window is 5 pages. */
const MESSAGES = Array.from({ length: 100 }, (_, i) => ({
  from: i % 2 === 0 ? `user-${String((i / 2) % SHAPE.senders).padStart(3, "0")}` : "bystander",
  text: `message ${i}`,
}));

/** 200 groups × 5 senders, recalled plainly and with verify: the rate of each API and what verify costs. */
export async function verifyPhase(): Promise<PhaseReport> {
  const run = (verify: boolean) =>
    withEmulator(
      {
        rateLimitPerSecond: CEILING,
        latency: LATENCY,
        groups: groupIds("verify", SHAPE),
        messages: MESSAGES,
      },
      async (url, emulator) => {
        console.log(`verify: ${SHAPE.groups * SHAPE.senders} pairs, verify ${verify ? "on" : "off"} ...`);
        const figures = (
          await runBatches([settingsFor(recallInputs("verify", SHAPE, url, { verify: String(verify) }))])
        ).together;
        return { figures, stats: await emulator.stats() };
      },
    );
  const plain = await run(false);
  const verified = await run(true);
  const recall = verified.stats[RECALL_COMMAND];
  const history = verified.stats[HISTORY_COMMAND];
  const recallRate = round(acceptedPerSecond(recall));
  const historyRate = round(acceptedPerSecond(history));
  const together = round(
    (recall?.accepted ?? 0) / verified.figures.seconds + (history?.accepted ?? 0) / verified.figures.seconds,
  );
  const extra = round(verified.figures.seconds - plain.figures.seconds, 2);
  const busiest = Math.max(recall?.busiestSecond ?? 0, history?.busiestSecond ?? 0);
  return {
    title: `Verify: ${SHAPE.groups} groups x ${SHAPE.senders} senders, 100 messages a group (5 pages a window), ${LATENCY.fixedMs} ms latency, ${CEILING}/s per API`,
    lines: [
      `without verify: ${plain.figures.calls} pairs in ${plain.figures.seconds} s`,
      `with verify:    ${verified.figures.calls} pairs in ${verified.figures.seconds} s, ${verified.figures.failed} failed; verify costs ${extra} s more`,
      `  delete_group_msg_by_sender: ${recall?.accepted ?? 0} calls at ${recallRate}/s (${round(recallRate / CEILING, 3)} of ${CEILING}/s); busiest second ${recall?.busiestSecond ?? 0}`,
      `  group_msg_get_simple:       ${history?.accepted ?? 0} calls at ${historyRate}/s (${round(historyRate / CEILING, 3)} of ${CEILING}/s); busiest second ${history?.busiestSecond ?? 0}`,
      `  both APIs together over the run: ${together} calls/s`,
    ],
    targets: [
      {
        text: `verify: 0 failed, no API over ${CEILING} calls in any second: ${verified.figures.failed} failed, busiest ${busiest}`,
        met: verified.figures.failed === 0 && busiest <= CEILING,
      },
    ],
    figures: { shape: SHAPE, plain, verified, recallRate, historyRate, together, extraSeconds: extra },
  };
}
