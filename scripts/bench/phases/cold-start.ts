import { measureColdStart } from "../action.js";
import { groupIds, recallInputs, SDK_APP_ID, SECRET_KEY, CEILING, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { median, round } from "../stats.js";

const REPEATS = 15;

/** One recall by `node dist/index.cjs` from start to exit, against `node -e 0` and a bare node:http POST. */
export async function coldStartPhase(): Promise<PhaseReport> {
  const shape = { groups: 1, senders: 1 };
  const figures = await withEmulator(
    {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      rateLimitPerSecond: CEILING,
      latency: { fixedMs: 0 },
      groups: groupIds("cold", shape),
    },
    async (url) => {
      console.log(`cold start: ${REPEATS} runs each ...`);
      const { bareNodeMs, barePostMs, actionMs } = measureColdStart(
        recallInputs("cold", shape, url),
        REPEATS,
      );
      return {
        repeats: REPEATS,
        bareNodeMedianMs: round(median(bareNodeMs)),
        barePostMedianMs: round(median(barePostMs)),
        actionMedianMs: round(median(actionMs)),
      };
    },
  );
  const ofBareNode = round(figures.actionMedianMs / figures.bareNodeMedianMs, 2);
  const ofBarePost = round(figures.actionMedianMs / figures.barePostMedianMs, 2);
  return {
    title: `Cold start of one recall (median of ${REPEATS}, clean environment, emulator without latency)`,
    lines: [
      `node dist/index.cjs ${figures.actionMedianMs} ms; node -e 0 ${figures.bareNodeMedianMs} ms (${ofBareNode} x);` +
        ` node -e with one bare node:http POST ${figures.barePostMedianMs} ms (${ofBarePost} x)`,
    ],
    targets: [{ text: `cold start <= 1.3 x a bare node:http POST: ${ofBarePost} x`, met: ofBarePost <= 1.3 }],
    figures: { ...figures, ofBareNode, ofBarePost },
  };
}
