import { runAction } from "../action.js";
import { groupIds, recallInputs, type PhaseReport, type Shape } from "../common.js";
import { withEmulator } from "../emulator.js";
import { mebibytes, round } from "../stats.js";
import { actionFigures, actionLine } from "./action-figures.js";

const SMALL: Shape = { groups: 200, senders: 100 };
const LARGE: Shape = { groups: 1000, senders: 100 };
/** Faster than the real ceiling: this phase measures memory, not rate. */
const MEMORY_CEILING = 2000;

/** Peak memory of `node dist/index.cjs` for 20,000 pairs and for 100,000. */
export async function memoryPhase(): Promise<PhaseReport> {
  const { small, large } = await withEmulator(
    {
      rateLimitPerSecond: MEMORY_CEILING,
      latency: { fixedMs: 50 },
      groups: [...groupIds("small", SMALL), ...groupIds("large", LARGE)],
    },
    async (url) => {
      const run = async (prefix: string, shape: Shape) => {
        const calls = shape.groups * shape.senders;
        console.log(`memory: node dist/index.cjs, ${calls} pairs at ${MEMORY_CEILING}/s ...`);
        const inputs = recallInputs(prefix, shape, url, { "max-calls-per-second": String(MEMORY_CEILING) });
        return actionFigures(await runAction(inputs), calls);
      };
      return { small: await run("small", SMALL), large: await run("large", LARGE) };
    },
  );
  const bound = 1.3 * small.maxRssBytes + large.resultsFileBytes;
  return {
    title: `Memory: node dist/index.cjs against an emulator at ${MEMORY_CEILING} calls/s, max-calls-per-second ${MEMORY_CEILING}`,
    lines: [actionLine(`N = ${small.calls}`, small), actionLine(`N = ${large.calls}`, large)],
    targets: [
      {
        text: `memory: N=${large.calls} within 1.3 x N=${small.calls} plus its results file (${mebibytes(bound)}): ${mebibytes(large.maxRssBytes)} (${round(large.maxRssBytes / small.maxRssBytes, 2)} x)`,
        met: large.maxRssBytes <= bound && large.failed === 0,
      },
    ],
    figures: { ceiling: MEMORY_CEILING, small, large },
  };
}
