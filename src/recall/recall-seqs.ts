import { unlessListOfObjects } from "../chat/attempt.js";
import { APIS } from "../chat/throttle.js";
import type { CallSignals, ChatClient } from "../chat/client.js";
import { ChatApiError, INCONSISTENT_ANSWER } from "../chat/errors.js";
import { batchesOf } from "./batches.js";
import type { Scope } from "./types.js";

export const RECALL_BY_SEQ_COMMAND = APIS.group_msg_recall.command;
/** group_msg_recall takes at most this many seqs per call. */
const SEQS_PER_CALL = 10;

/** How the recall of one message ended: RetCode 0 is recalled; a failed call gives its code to all its seqs. */
export interface SeqOutcome {
  code: number;
  info: string;
  fromServer: boolean;
}

interface RecallRet {
  MsgSeq?: unknown;
  RetCode?: unknown;
}

/**
 * Recalls messages by seq with group_msg_recall, which clients see at once, at most ten seqs a
 * call, each with the reason when there is one. Returns each seq's outcome and the calls made.
 */
export async function recallSeqs(
  client: ChatClient,
  scope: Scope,
  seqs: readonly number[],
  reason: string | undefined,
  signals: CallSignals,
): Promise<{ outcomes: Map<number, SeqOutcome>; attempts: number }> {
  const outcomes = new Map<number, SeqOutcome>();
  let attempts = 0;
  await Promise.all(
    batchesOf(seqs, SEQS_PER_CALL).map(async (batch) => {
      const body = {
        GroupId: scope.group,
        MsgSeqList: batch.map((seq) => ({ MsgSeq: seq })),
        ...(scope.topic ? { TopicId: scope.topic } : {}),
        ...(reason === undefined ? {} : { Reason: reason }),
      };
      try {
        const result = await client.call(
          RECALL_BY_SEQ_COMMAND,
          body,
          signals,
          unlessListOfObjects("RecallRetList"),
        );
        attempts += result.attempts;
        const list = result.response.RecallRetList as RecallRet[];
        for (const seq of batch) {
          const ret = list.find((r) => r.MsgSeq === seq)?.RetCode;
          const code = typeof ret === "number" && Number.isInteger(ret) ? ret : INCONSISTENT_ANSWER;
          outcomes.set(seq, {
            code,
            info:
              code === 0
                ? ""
                : typeof ret === "number"
                  ? `RetCode ${ret}`
                  : "no RetCode for this seq in the answer",
            fromServer: typeof ret === "number",
          });
        }
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        attempts += error.attempts;
        for (const seq of batch)
          outcomes.set(seq, { code: error.code, info: error.info, fromServer: error.fromServer });
      }
    }),
  );
  return { outcomes, attempts };
}
