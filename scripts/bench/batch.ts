import { AsyncLocalStorage } from "node:async_hooks";
import type { ChatClient, RetryEvent } from "../../src/chat/client.js";
import { retryClass } from "../../src/chat/errors.js";
import { RateLimiter } from "../../src/chat/limiter.js";
import type { RecallTarget } from "../../src/recall/plan.js";
import { createClient, recallOne, runRecall, type RecallResult } from "../../src/recall/run.js";
import type { Connection } from "../../src/recall/settings.js";
import { percentile, round } from "./stats.js";

export interface BatchFigures {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  shareOfCeiling: number;
  /** Last attempt of each call: from the limiter's go-ahead to the answer. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Whole call: from handing the pair to the client to its result (limiter wait and retries included). */
  callP50Ms: number;
  callP99Ms: number;
  retries: number;
  rateLimited: number;
  failed: number;
}

interface CallTiming {
  startedAt: number;
  sentAt: number;
}

/** Counts what one client does, without changing how it does it. */
class Probe {
  private readonly storage = new AsyncLocalStorage<CallTiming>();
  private readonly latencies: number[] = [];
  private readonly callTimes: number[] = [];
  private retries = 0;
  private rateLimited = 0;
  private failed = 0;
  private calls = 0;

  readonly onRetry = (event: RetryEvent): void => {
    this.retries++;
    if (retryClass(event.code) === "rate-limited") this.rateLimited++;
  };

  readonly onResult = (result: RecallResult): void => {
    this.calls++;
    if (result.actionStatus === "OK") return;
    this.failed++;
    if (retryClass(result.errorCode) === "rate-limited") this.rateLimited++;
  };

  /** The limiter createClient would make, also noting when each call of this probe is let through. */
  limiter(ceilingPerSecond: number): RateLimiter {
    const storage = this.storage;
    return new (class extends RateLimiter {
      override async acquire(): Promise<void> {
        await super.acquire();
        const timing = storage.getStore();
        if (timing) timing.sentAt = performance.now();
      }
    })(ceilingPerSecond);
  }

  instrument(client: ChatClient): void {
    const call = client.call.bind(client);
    client.call = ((command: string, body: Record<string, unknown>) => {
      const startedAt = performance.now();
      const timing = { startedAt, sentAt: startedAt };
      return this.storage.run(timing, async () => {
        try {
          return await call(command, body);
        } finally {
          const end = performance.now();
          this.latencies.push(end - timing.sentAt);
          this.callTimes.push(end - timing.startedAt);
        }
      });
    }) as ChatClient["call"];
  }

  /** Figures of the calls these probes saw over `seconds`. */
  static figures(probes: readonly Probe[], seconds: number, ceiling: number): BatchFigures {
    const sum = (count: (probe: Probe) => number): number => probes.reduce((n, p) => n + count(p), 0);
    const latencies = probes.flatMap((p) => p.latencies).sort((a, b) => a - b);
    const callTimes = probes.flatMap((p) => p.callTimes).sort((a, b) => a - b);
    const calls = sum((p) => p.calls);
    const callsPerSecond = calls / seconds;
    return {
      calls,
      seconds: round(seconds, 2),
      callsPerSecond: round(callsPerSecond),
      shareOfCeiling: round(callsPerSecond / ceiling, 3),
      latencyP50Ms: round(percentile(latencies, 0.5)),
      latencyP99Ms: round(percentile(latencies, 0.99)),
      callP50Ms: round(percentile(callTimes, 0.5)),
      callP99Ms: round(percentile(callTimes, 0.99)),
      retries: sum((p) => p.retries),
      rateLimited: sum((p) => p.rateLimited),
      failed: sum((p) => p.failed),
    };
  }
}

function probedClient(connection: Connection, probe: Probe): ChatClient {
  const client = createClient(
    connection,
    { onRetry: probe.onRetry },
    { limiter: probe.limiter(connection.maxCallsPerSecond) },
  );
  probe.instrument(client);
  return client;
}

/** One call at a time through the Action's client, until the targets or the time run out. */
export async function runSequential(
  connection: Connection,
  targets: readonly RecallTarget[],
  timeLimitMs: number,
): Promise<BatchFigures> {
  const probe = new Probe();
  const client = probedClient(connection, probe);
  const started = performance.now();
  try {
    for (const target of targets) {
      if (performance.now() - started >= timeLimitMs) break;
      probe.onResult(await recallOne(client, target));
    }
  } finally {
    client.close();
  }
  return Probe.figures([probe], (performance.now() - started) / 1000, connection.maxCallsPerSecond);
}

/** Batches run at once, each the way the Action runs it (createClient, then runRecall). */
export async function runBatches(
  connection: Connection,
  batches: readonly (readonly RecallTarget[])[],
): Promise<{ each: BatchFigures[]; together: BatchFigures }> {
  const ceiling = connection.maxCallsPerSecond;
  const probes = batches.map(() => new Probe());
  const started = performance.now();
  const each = await Promise.all(
    batches.map(async (targets, index) => {
      const probe = probes[index]!;
      const client = probedClient(connection, probe);
      try {
        await runRecall(client, targets, probe.onResult);
      } finally {
        client.close();
      }
      return Probe.figures([probe], (performance.now() - started) / 1000, ceiling);
    }),
  );
  return { each, together: Probe.figures(probes, (performance.now() - started) / 1000, ceiling) };
}
