import { HISTORY_COMMAND } from "../../../src/recall/history.js";
import { RECALL_BY_SEQ_COMMAND } from "../../../src/recall/recall-seqs.js";
import { runBatches } from "../batch.js";
import { appInputs, CEILING, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { acceptedPerSecond, round } from "../stats.js";

const GROUP = { groupId: "depth-group", count: 20_000, sender: "spammer", every: 20 };
const LATENCY = { fixedMs: 50, jitterMs: 0 };

/** A group of 20,000 messages, 1,000 of them the spammer's, recalled with depth 20,000: paging, then recall by seq. */
export async function depthPhase(): Promise<PhaseReport> {
  return withEmulator(
    { rateLimitPerSecond: CEILING, latency: LATENCY, longGroup: GROUP },
    async (url, emulator) => {
      console.log(`depth: ${GROUP.count} messages, depth ${GROUP.count} ...`);
      const inputs = {
        ...appInputs(url),
        group: GROUP.groupId,
        sender: GROUP.sender,
        depth: String(GROUP.count),
      };
      const { together } = await runBatches([settingsFor({ ...inputs, preflight: "false" })]);
      const stats = await emulator.stats();
      const history = stats[HISTORY_COMMAND];
      const recall = stats[RECALL_BY_SEQ_COMMAND];
      const pagingRate = round(acceptedPerSecond(history));
      const recallRate = round(acceptedPerSecond(recall));
      const expected = { pages: GROUP.count / 20, recalls: GROUP.count / GROUP.every / 10 };
      const busiest = Math.max(history?.busiestSecond ?? 0, recall?.busiestSecond ?? 0);
      const complete =
        together.failed === 0 &&
        history?.accepted === expected.pages &&
        recall?.accepted === expected.recalls &&
        busiest <= CEILING;
      return {
        title: `Depth: one group of ${GROUP.count} messages (every ${GROUP.every}th the sender's), depth ${GROUP.count}, ${LATENCY.fixedMs} ms latency, ${CEILING}/s per API`,
        lines: [
          `recalled in ${together.seconds} s, ${together.failed} failed`,
          `  paging (group_msg_get_simple): ${history?.accepted ?? 0} calls at ${pagingRate}/s (${round(pagingRate / CEILING, 3)} of ${CEILING}/s), ${round(pagingRate * 20)} messages/s`,
          `  recall (group_msg_recall):     ${recall?.accepted ?? 0} calls at ${recallRate}/s (${round(recallRate / CEILING, 3)} of ${CEILING}/s), ${round(recallRate * 10)} messages/s`,
          `  busiest second of either API: ${busiest}`,
        ],
        targets: [
          {
            text: `depth: every page read once (${expected.pages}), every message recalled (${expected.recalls} calls), 0 failed, no API over ${CEILING} calls in any second`,
            met: complete,
          },
        ],
        figures: { group: GROUP, seconds: together.seconds, pagingRate, recallRate, history, recall },
      };
    },
  );
}
