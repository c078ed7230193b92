import { HISTORY_COMMAND } from "../../../src/recall/history.js";
import { runBatches } from "../batch.js";
import { groupIds, recallInputs, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { acceptedPerSecond, round } from "../stats.js";

const SHAPE = { groups: 1000, senders: 5 };
const LATENCY = { fixedMs: 50, jitterMs: 0 };
/** A limit bought for group_msg_get_simple; the other APIs keep the documented 200/s. */
const BOUGHT = 2000;
/** 100 messages a group: a window of 5 pages. */
const MESSAGES = Array.from({ length: 100 }, (_, i) => ({ from: `user-00${i % 7}`, text: `message ${i}` }));

/** A dry run over 1,000 groups with group_msg_get_simple bought at 2,000/s and `api-ceilings` set to match. */
export async function boughtHistoryPhase(): Promise<PhaseReport> {
  return withEmulator(
    {
      rateLimitPerSecond: 200,
      commandRateLimits: { [HISTORY_COMMAND]: BOUGHT },
      latency: LATENCY,
      groups: groupIds("bought", SHAPE),
      messages: MESSAGES,
    },
    async (url, emulator) => {
      console.log(`bought history: a dry run over ${SHAPE.groups} groups at ${BOUGHT}/s ...`);
      const inputs = recallInputs("bought", SHAPE, url, {
        "dry-run": "true",
        "api-ceilings": `group_msg_get_simple=${BOUGHT}`,
      });
      const { together } = await runBatches([settingsFor(inputs)]);
      const history = (await emulator.stats())[HISTORY_COMMAND];
      const rate = round(acceptedPerSecond(history));
      const share = round(rate / BOUGHT, 3);
      return {
        title: `Bought history limit: dry run over ${SHAPE.groups} groups x ${SHAPE.senders} senders, 5 pages a group, ${LATENCY.fixedMs} ms latency, group_msg_get_simple at ${BOUGHT}/s`,
        lines: [
          `${together.calls} pairs counted in ${together.seconds} s, ${together.failed} failed`,
          `  group_msg_get_simple: ${history?.accepted ?? 0} calls at ${rate}/s (${share} of ${BOUGHT}/s); busiest second ${history?.busiestSecond ?? 0}, ${history?.rateLimited ?? 0} rate-limited`,
        ],
        targets: [
          {
            text: `bought history: >= 0.85 of ${BOUGHT}/s, 0 failed: ${share}, ${together.failed} failed`,
            met: share >= 0.85 && together.failed === 0,
          },
        ],
        figures: { shape: SHAPE, bought: BOUGHT, rate, share, history, together },
      };
    },
  );
}
