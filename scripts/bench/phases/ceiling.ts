import type { CommandStats } from "../../../src/emulator/call-stats.js";
import { RECALL_COMMAND } from "../../../src/recall/strategy-silent.js";
import { runBatches } from "../batch.js";
import { CEILING, groupIds, recallInputs, settingsFor, type PhaseReport, type Shape } from "../common.js";
import { withEmulator } from "../emulator.js";
import type { EmulatorProcessSettings } from "../emulator-process.js";
import { plainClient } from "../plain-client.js";
import { acceptedPerSecond, round } from "../stats.js";

const BATCH: Shape = { groups: 40, senders: 50 };
const BOUGHT_BATCH: Shape = { groups: 400, senders: 50 };
/** Latency `ms` give or take `give` ms, as the emulator takes it: a fixed part and a random one. */
const latency = (ms: number, give = 0) => ({ fixedMs: ms - give, jitterMs: 2 * give });

interface ServerFigures {
  accepted: number;
  rateLimited: number;
  /** Rate-limited answers among all the server gave. */
  rateLimitedShare: number;
  /** Calls the server accepted per second, from the first it accepted to the last. */
  ratePerSecond: number;
  busiestSecond: number;
}

function serverFigures(stats: CommandStats | undefined): ServerFigures {
  const accepted = stats?.accepted ?? 0;
  const rateLimited = stats?.rateLimited ?? 0;
  return {
    accepted,
    rateLimited,
    rateLimitedShare: round(rateLimited / Math.max(1, accepted + rateLimited), 3),
    ratePerSecond: round(acceptedPerSecond(stats)),
    busiestSecond: stats?.busiestSecond ?? 0,
  };
}

/** Runs `runs` batches of `shape` at once, each a session of its own, against an emulator of its own. */
async function measure(options: {
  runs: number;
  shape: Shape;
  clientCeiling: number;
  serverCeiling: number;
  latency: { fixedMs: number; jitterMs: number };
  warmUp?: EmulatorProcessSettings["warmUp"];
}) {
  const prefixes = Array.from({ length: options.runs }, (_, i) => `run${i}`);
  return withEmulator(
    {
      rateLimitPerSecond: options.serverCeiling,
      latency: options.latency,
      groups: prefixes.flatMap((prefix) => groupIds(prefix, options.shape)),
      ...(options.warmUp ? { warmUp: options.warmUp } : {}),
    },
    async (url, emulator) => {
      const batches = prefixes.map((prefix) =>
        settingsFor(
          recallInputs(prefix, options.shape, url, { "max-calls-per-second": String(options.clientCeiling) }),
        ),
      );
      const { each, together } = await runBatches(batches);
      return { each, together, server: serverFigures((await emulator.stats())[RECALL_COMMAND]) };
    },
  );
}

/**
 * How close runs come to the ceiling, as the server counts calls (on arrival, after the network's
 * latency): one run at three latencies, four runs sharing one app, a server whose ceiling is lower
 * than the client's, and a bought ceiling of 5,000 calls per second.
 */
export async function ceilingPhase(): Promise<PhaseReport> {
  const lines: string[] = [];
  const targets: PhaseReport["targets"] = [];
  const figures: Record<string, unknown> = {};
  const calls = BATCH.groups * BATCH.senders;

  for (const [label, lat] of [
    ["50 ms", latency(50)],
    ["300 ± 100 ms", latency(300, 100)],
    ["1,000 ± 100 ms", latency(1000, 100)],
  ] as const) {
    console.log(`ceiling: one run of ${calls} pairs, ${label} ...`);
    const one = await measure({
      runs: 1,
      shape: BATCH,
      clientCeiling: CEILING,
      serverCeiling: CEILING,
      latency: lat,
    });
    const share = round(one.server.ratePerSecond / CEILING, 3);
    lines.push(
      `one run, ${label}: ${one.server.ratePerSecond} calls/s at the server (${share} of ${CEILING}/s), ${one.server.rateLimited} rate-limited, ${one.together.failed} failed, done in ${one.together.seconds} s`,
    );
    targets.push({
      text: `one run at ${label}: >= 0.95 of ${CEILING}/s, 0 failed: ${share}, ${one.together.failed} failed`,
      met: share >= 0.95 && one.together.failed === 0,
    });
    figures[`one ${label}`] = one;
  }

  console.log(`ceiling: four runs of ${calls} pairs sharing one app, 300 ± 100 ms ...`);
  const four = await measure({
    runs: 4,
    shape: BATCH,
    clientCeiling: CEILING,
    serverCeiling: CEILING,
    latency: latency(300, 100),
  });
  const fourShare = round(four.server.ratePerSecond / CEILING, 3);
  const fairShare = four.together.callsPerSecond / 4;
  const fairness = four.each.map((run) => round(run.callsPerSecond / fairShare, 2));
  const fourLimited = four.server.rateLimitedShare;
  lines.push(
    `four runs sharing one app, 300 ± 100 ms: ${four.server.ratePerSecond} calls/s together (${fourShare} of ${CEILING}/s); each run ${fairness.join(", ")} x its fair share; ${four.server.rateLimited} rate-limited answers (${round(100 * fourLimited)} % of calls); ${four.together.failed} failed`,
  );
  targets.push({
    text: `four runs: together >= 0.92, each 0.85-1.15 of its share, rate-limited <= 5 %, 0 failed: ${fourShare}, ${fairness.join("/")}, ${round(100 * fourLimited)} %, ${four.together.failed} failed`,
    met:
      fourShare >= 0.92 &&
      fairness.every((f) => f >= 0.85 && f <= 1.15) &&
      fourLimited <= 0.05 &&
      four.together.failed === 0,
  });
  figures.four = four;

  console.log(`ceiling: a server at 100/s, the client at ${CEILING}/s, 300 ± 100 ms ...`);
  const lower = await measure({
    runs: 1,
    shape: BATCH,
    clientCeiling: CEILING,
    serverCeiling: 100,
    latency: latency(300, 100),
  });
  const lowerShare = round(lower.server.ratePerSecond / 100, 3);
  const lowerLimited = lower.server.rateLimitedShare;
  lines.push(
    `server at 100/s, client at ${CEILING}/s: ${lower.server.ratePerSecond} calls/s (${lowerShare} of 100/s), ${lower.server.rateLimited} rate-limited (${round(100 * lowerLimited)} %), ${lower.together.failed} failed`,
  );
  targets.push({
    text: `lower server ceiling: >= 0.92 of 100/s, rate-limited <= 5 %: ${lowerShare}, ${round(100 * lowerLimited)} %`,
    met: lowerShare >= 0.92 && lowerLimited <= 0.05 && lower.together.failed === 0,
  });
  figures.lowerServerCeiling = lower;

  const bought = BOUGHT_BATCH.groups * BOUGHT_BATCH.senders;
  console.log(`ceiling: ${bought} pairs at a bought ceiling of 5,000/s, 20 ms ...`);
  const cpuAtStart = process.cpuUsage();
  const fast = await measure({
    runs: 1,
    shape: BOUGHT_BATCH,
    clientCeiling: 5000,
    serverCeiling: 5000,
    latency: latency(20),
    warmUp: { command: RECALL_COMMAND, body: { Sender_Account: "warm-up" } },
  });
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMicrosPerCall = round((cpu.user + cpu.system) / fast.together.calls);
  const fastShare = round(fast.server.ratePerSecond / 5000, 3);
  console.log("ceiling: a bare keep-alive client against the same emulator, no limiter ...");
  const plain = await withEmulator(
    {
      rateLimitPerSecond: 1_000_000,
      latency: latency(20),
      groups: ["plain-group"],
    },
    (url) => plainClient(url, "plain-group", bought),
  );
  lines.push(
    `bought ceiling 5,000/s, 20 ms: ${fast.server.ratePerSecond} calls/s (${fastShare} of 5,000/s); busiest second ${fast.server.busiestSecond}; ${fast.server.rateLimited} rate-limited, ${fast.together.failed} failed`,
    `  this process spent ${cpuMicrosPerCall} µs of CPU a call; a bare keep-alive node:http client with 400 calls in flight and no limiter gets ${round(plain.ratePerSecond)} calls/s through the same emulator at ${round(plain.cpuMicrosPerCall)} µs a call`,
  );
  targets.push({
    text: `bought ceiling: >= 0.85 of 5,000/s, no second over 5,000: ${fastShare}, busiest ${fast.server.busiestSecond}`,
    met: fastShare >= 0.85 && fast.server.busiestSecond <= 5000 && fast.together.failed === 0,
  });
  figures.bought = { ...fast, cpuMicrosPerCall, plainClient: plain };

  return {
    title:
      "Ceiling: calls per second as the emulator counts them on arrival (its latency comes first), from its first accepted call to its last",
    lines,
    targets,
    figures,
  };
}
