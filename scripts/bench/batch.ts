import { ChatClient, type RetryEvent } from "../../src/chat/client.js";
import { pairsOf } from "../../src/recall/plan.js";
import { RecallSession } from "../../src/recall/session.js";
import { RECALL_COMMAND } from "../../src/recall/strategy-silent.js";
import type { ResultEvent } from "../../src/recall/types.js";
import type { RecallSettings } from "../../src/recall/settings.js";
import { percentile, round } from "./stats.js";

export interface BatchFigures {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  shareOfCeiling: number;
  /** Whole call: from handing the pair to the client to its result (limiter wait and retries included). */
  callP50Ms: number;
  callP99Ms: number;
  retries: number;
  rateLimited: number;
  failed: number;
  /** The first failures, as the front doors would show them. */
  failures: string[];
}

/** Counts what one client does, without changing how it does it. */
class Probe {
  readonly callTimes: number[] = [];
  readonly failures: string[] = [];
  retries = 0;
  rateLimited = 0;
  failed = 0;
  calls = 0;

  readonly onRetry = (event: RetryEvent): void => {
    this.retries++;
    if (event.retry === "rate-limited") this.rateLimited++;
  };

  readonly onResult = ({ result, message }: ResultEvent): void => {
    this.calls++;
    if (result.actionStatus !== "FAIL") return;
    this.failed++;
    this.failures.push(message ?? result.errorInfo);
  };

  /** Times each call the client makes. */
  instrument(client: ChatClient): ChatClient {
    const call = client.call.bind(client);
    client.call = (async (...args: Parameters<ChatClient["call"]>) => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        this.callTimes.push(performance.now() - started);
      }
    }) as ChatClient["call"];
    return client;
  }

  static figures(probes: readonly Probe[], seconds: number, ceiling: number): BatchFigures {
    const sum = (count: (probe: Probe) => number): number => probes.reduce((n, p) => n + count(p), 0);
    const callTimes = probes.flatMap((p) => p.callTimes).sort((a, b) => a - b);
    const calls = sum((p) => p.calls);
    const callsPerSecond = calls / seconds;
    return {
      calls,
      seconds: round(seconds, 2),
      callsPerSecond: round(callsPerSecond),
      shareOfCeiling: round(callsPerSecond / ceiling, 3),
      callP50Ms: round(percentile(callTimes, 0.5)),
      callP99Ms: round(percentile(callTimes, 0.99)),
      retries: sum((p) => p.retries),
      rateLimited: sum((p) => p.rateLimited),
      failed: sum((p) => p.failed),
      failures: probes.flatMap((p) => p.failures).slice(0, 5),
    };
  }
}

function probedClient(settings: RecallSettings, probe: Probe): ChatClient {
  return probe.instrument(new ChatClient({ ...settings.connection, onRetry: probe.onRetry }));
}

/** One call at a time through the Action's client, until the pairs or the time run out. */
export async function runSequential(settings: RecallSettings, timeLimitMs: number): Promise<BatchFigures> {
  const probe = new Probe();
  const client = probedClient(settings, probe);
  const started = performance.now();
  try {
    for (const pair of pairsOf(settings.scopes, settings.senders)) {
      if (performance.now() - started >= timeLimitMs) break;
      probe.calls++;
      await client
        .call(RECALL_COMMAND, { GroupId: pair.group, Sender_Account: pair.sender })
        .catch(() => probe.failed++);
    }
  } finally {
    client.close();
  }
  return Probe.figures([probe], (performance.now() - started) / 1000, settings.connection.maxCallsPerSecond);
}

/** Batches run at once, each as the Action runs it: one recall session. */
export async function runBatches(
  batches: readonly RecallSettings[],
): Promise<{ each: BatchFigures[]; together: BatchFigures }> {
  const ceiling = batches[0]!.connection.maxCallsPerSecond;
  const probes = batches.map(() => new Probe());
  const started = performance.now();
  const each = await Promise.all(
    batches.map(async (settings, index) => {
      const probe = probes[index]!;
      const client = probedClient(settings, probe);
      try {
        await new RecallSession(settings, { client, events: { result: probe.onResult } }).run();
      } finally {
        client.close();
      }
      return Probe.figures([probe], (performance.now() - started) / 1000, ceiling);
    }),
  );
  return { each, together: Probe.figures(probes, (performance.now() - started) / 1000, ceiling) };
}
