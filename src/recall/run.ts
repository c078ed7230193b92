import { ChatClient, type ChatClientOptions, type RetryEvent } from "../chat/client.js";
import { ChatApiError, NO_RESPONSE_CODE, explainCode } from "../chat/errors.js";
import { RateLimiter } from "../chat/limiter.js";
import type { RecallTarget } from "./plan.js";
import type { Connection } from "./settings.js";

export const RECALL_COMMAND = "group_open_http_svc/delete_group_msg_by_sender";

/** The outcome of one call, as the Action's `results` output lists it. */
export interface RecallResult {
  group: string;
  sender: string;
  topic: string | null;
  actionStatus: "OK" | "FAIL";
  errorCode: number;
  errorInfo: string;
  attempts: number;
}

export interface RecallSummary {
  succeeded: number;
  failed: number;
  /** The first failure to complete, if any. */
  firstFailure?: RecallResult;
}

export interface RunHooks {
  /** Called as each call completes, in completion order. */
  onResult?: (result: RecallResult) => void;
  onRetry?: (event: RetryEvent) => void;
  /** Called with every UserSig signed during the run, before it is used. */
  onSecret?: (secret: string) => void;
}

export function createClient(
  connection: Connection,
  hooks: RunHooks = {},
  extra: Partial<ChatClientOptions> = {},
): ChatClient {
  return new ChatClient({
    ...connection,
    limiter: new RateLimiter(connection.maxCallsPerSecond),
    ...(hooks.onSecret ? { onSecret: hooks.onSecret } : {}),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    ...extra,
  });
}

/** Recalls one target; a failed call becomes a FAIL result, never an exception. */
export async function recallOne(client: ChatClient, target: RecallTarget): Promise<RecallResult> {
  const body = {
    GroupId: target.group,
    Sender_Account: target.sender,
    ...(target.topic ? { TopicId: target.topic } : {}),
  };
  const base = { group: target.group, sender: target.sender, topic: target.topic ?? null };
  try {
    const { response, attempts } = await client.call(RECALL_COMMAND, body);
    return { ...base, actionStatus: "OK", errorCode: 0, errorInfo: response.ErrorInfo, attempts };
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    return {
      ...base,
      actionStatus: "FAIL",
      errorCode: error.code,
      errorInfo: error.info,
      attempts: error.attempts,
    };
  }
}

const MIN_CONCURRENCY = 4;
const MAX_CONCURRENCY = 512;

/**
 * Calls in flight needed to keep the limiter's rate busy at the latency seen so far (Little's law,
 * with room for latency spread), within fixed bounds.
 */
export function concurrencyFor(ratePerSecond: number, latencyMs: number | undefined): number {
  const wanted = Math.ceil((ratePerSecond * (latencyMs ?? 50) * 2) / 1000) + 2;
  return Math.min(MAX_CONCURRENCY, Math.max(MIN_CONCURRENCY, wanted));
}

/**
 * Runs every target through one client, as many at once as the rate and latency call for, and
 * hands each result to `onResult` as it completes. Only counts are kept here, so memory does not
 * grow with the calls already done.
 */
export async function runRecall(
  client: ChatClient,
  targets: Iterable<RecallTarget>,
  onResult: (result: RecallResult) => void = () => {},
): Promise<RecallSummary> {
  const summary: RecallSummary = { succeeded: 0, failed: 0 };
  let inFlight = 0;
  let crash: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const settled = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const finish = (result: RecallResult): void => {
    if (result.actionStatus === "OK") summary.succeeded++;
    else {
      summary.failed++;
      summary.firstFailure ??= result;
    }
    onResult(result);
  };

  for (const target of targets) {
    while (!crash && inFlight >= concurrencyFor(client.rate, client.latencyMs)) await settled();
    if (crash) break;
    inFlight++;
    recallOne(client, target)
      .then(finish)
      .catch((error: unknown) => (crash ??= { error }))
      .finally(() => {
        inFlight--;
        wake?.();
      });
  }
  while (inFlight > 0) await settled();
  if (crash) throw crash.error;
  return summary;
}

export function describeTarget(result: RecallResult): string {
  return `sender ${result.sender} in ${result.topic ? `topic ${result.topic}` : `group ${result.group}`}`;
}

export function describeFailure(result: RecallResult): string {
  const what =
    result.errorCode === NO_RESPONSE_CODE
      ? `no answer after ${result.attempts} attempt(s)`
      : `ErrorCode ${result.errorCode} (${explainCode(result.errorCode)})`;
  return `Recall of ${describeTarget(result)} failed: ${what}: ${result.errorInfo || "no ErrorInfo"}`;
}
