import { measureColdStart } from "../action.js";
import { groupIds, recallInputs, CEILING, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { median, round } from "../stats.js";

const REPEATS = 30;

/**
 * One recall by `node dist/index.cjs` from start to exit, against `node -e 0`, a bare node:http
 * POST, and the least a signed recall can do.
 */
export async function coldStartPhase(): Promise<PhaseReport> {
  const shape = { groups: 1, senders: 1 };
  const figures = await withEmulator(
    {
      rateLimitPerSecond: CEILING,
      latency: { fixedMs: 0 },
      groups: groupIds("cold", shape),
    },
    async (url) => {
      console.log(`cold start: ${REPEATS} runs each ...`);
      const times = measureColdStart(recallInputs("cold", shape, url), REPEATS);
      return {
        repeats: REPEATS,
        bareNodeMedianMs: round(median(times.bareNodeMs)),
        barePostMedianMs: round(median(times.barePostMs)),
        minimalMedianMs: round(median(times.minimalMs)),
        actionMedianMs: round(median(times.actionMs)),
      };
    },
  );
  const of = (ms: number) => round(ms / figures.barePostMedianMs, 2);
  const ofBarePost = of(figures.actionMedianMs);
  const minimalOfBarePost = of(figures.minimalMedianMs);
  return {
    title: `Cold start of one recall (median of ${REPEATS}, clean environment, emulator without latency)`,
    lines: [
      `node dist/index.cjs ${figures.actionMedianMs} ms (${ofBarePost} x a bare POST)`,
      `node -e with one bare node:http POST ${figures.barePostMedianMs} ms; node -e 0 ${figures.bareNodeMedianMs} ms`,
      `the least a signed recall can do (scripts/bench/minimal-recall.cjs: HMAC, deflate, the call, one output) ${figures.minimalMedianMs} ms (${minimalOfBarePost} x a bare POST)`,
    ],
    targets: [
      {
        text: `cold start <= 1.3 x a bare node:http POST: ${ofBarePost} x`,
        met: ofBarePost <= 1.3,
      },
    ],
    figures: {
      ...figures,
      ofBarePost,
      minimalOfBarePost,
    },
  };
}
