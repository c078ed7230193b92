import { HISTORY_COMMAND } from "../../../src/recall/history.js";
import { runBatches } from "../batch.js";
import { groupIds, recallInputs, settingsFor, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { acceptedPerSecond, round } from "../stats.js";

const SENDERS = 5;
const LATENCY = { fixedMs: 50, jitterMs: 0 };
/** 100 messages a group: a window of 5 pages. */
const MESSAGES = Array.from({ length: 100 }, (_, i) => ({ from: `user-00${i % 7}`, text: `message ${i}` }));
/** Limits bought for group_msg_get_simple (the other APIs keep the documented 200/s), each read for about 2.5 s or more. */
const CASES = [
  { bought: 2000, groups: 1000 },
  { bought: 5000, groups: 4000 },
];

/** Dry runs over many groups with group_msg_get_simple bought at 2,000/s and 5,000/s, and `api-ceilings` set to match. */
export async function boughtHistoryPhase(): Promise<PhaseReport> {
  const report: PhaseReport = {
    title: `Bought history limit: dry runs, ${SENDERS} senders a group, 5 pages a group, ${LATENCY.fixedMs} ms latency`,
    lines: [],
    targets: [],
    figures: {},
  };
  for (const { bought, groups } of CASES) {
    const shape = { groups, senders: SENDERS };
    const { together, history } = await withEmulator(
      {
        rateLimitPerSecond: 200,
        commandRateLimits: { [HISTORY_COMMAND]: bought },
        latency: LATENCY,
        groups: groupIds("bought", shape),
        messages: MESSAGES,
        warmUp: { command: HISTORY_COMMAND, body: { ReqMsgNumber: 20, WithRecalledMsg: 1 } },
      },
      async (url, emulator) => {
        console.log(`bought history: a dry run over ${groups} groups at ${bought}/s ...`);
        const inputs = recallInputs("bought", shape, url, {
          "dry-run": "true",
          "api-ceilings": `group_msg_get_simple=${bought}`,
        });
        const { together } = await runBatches([settingsFor(inputs)]);
        return { together, history: (await emulator.stats())[HISTORY_COMMAND] };
      },
    );
    const rate = round(acceptedPerSecond(history));
    const share = round(rate / bought, 3);
    report.lines.push(
      `${groups} groups at ${bought}/s: ${together.calls} pairs counted in ${together.seconds} s, ${together.failed} failed`,
      `  group_msg_get_simple: ${history?.accepted ?? 0} calls at ${rate}/s (${share} of ${bought}/s); busiest second ${history?.busiestSecond ?? 0}, ${history?.rateLimited ?? 0} rate-limited`,
    );
    report.targets.push({
      text: `bought history at ${bought}/s: >= 0.85, 0 failed: ${share}, ${together.failed} failed`,
      met: share >= 0.85 && together.failed === 0,
    });
    report.figures[`${bought}/s`] = { shape, bought, rate, share, history, together };
  }
  return report;
}
