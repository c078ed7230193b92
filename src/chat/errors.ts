/**
 * How a failed call is handled: retried after back-off (transient, rate-limited), retried once with
 * a fresh UserSig (resign), or reported at once (permanent).
 */
export type RetryClass = "transient" | "rate-limited" | "resign" | "permanent";

interface CodeInfo {
  meaning: string;
  retry: RetryClass;
  /** The code concerns the whole app (credential, account, region, plan), so every other call fails the same way. */
  appWide?: true;
}

const ERROR_CODES: ReadonlyMap<number, CodeInfo> = new Map<number, CodeInfo>([
  [10002, { meaning: "internal server error", retry: "transient" }],
  [10003, { meaning: "invalid command word", retry: "permanent" }],
  [10004, { meaning: "invalid parameter", retry: "permanent" }],
  [10007, { meaning: "no permission: the identifier must be an app admin", retry: "permanent" }],
  [10010, { meaning: "the group does not exist or was dismissed", retry: "permanent" }],
  [10015, { meaning: "invalid group ID", retry: "permanent" }],
  [10030, { meaning: "the message to recall does not exist", retry: "permanent" }],
  [10031, { meaning: "the message is past the time limit for recalling", retry: "permanent" }],
  [10032, { meaning: "the message cannot be recalled", retry: "permanent" }],
  [10033, { meaning: "this group type does not support recalling messages", retry: "permanent" }],
  [60002, { meaning: "bad HTTP URL", retry: "permanent" }],
  [60003, { meaning: "request JSON could not be parsed", retry: "permanent" }],
  [60004, { meaning: "identifier or UserSig is wrong", retry: "permanent", appWide: true }],
  [60005, { meaning: "identifier or UserSig is wrong", retry: "permanent", appWide: true }],
  [60006, { meaning: "SDKAppID is invalid", retry: "permanent", appWide: true }],
  [60007, { meaning: "REST API call frequency over the limit", retry: "rate-limited" }],
  [60008, { meaning: "service timeout or bad HTTP format", retry: "transient" }],
  [60010, { meaning: "identifier must be an app admin", retry: "permanent", appWide: true }],
  [60011, { meaning: "SDKAppID request frequency over the limit", retry: "rate-limited" }],
  [60012, { meaning: "sdkappid is missing", retry: "permanent" }],
  [60014, { meaning: "account exchange timed out", retry: "transient" }],
  [60016, { meaning: "SDKAppID is disabled", retry: "permanent", appWide: true }],
  [60018, { meaning: "requests too frequent, retry later", retry: "rate-limited" }],
  [60019, { meaning: "requests too frequent, retry later", retry: "rate-limited" }],
  [
    60020,
    {
      meaning: "plan not purchased or expired (takes about 5 minutes after purchase)",
      retry: "permanent",
      appWide: true,
    },
  ],
  [60021, { meaning: "the calling IP is not allowed", retry: "permanent", appWide: true }],
  [70001, { meaning: "UserSig expired", retry: "resign", appWide: true }],
  [70002, { meaning: "UserSig is empty", retry: "permanent", appWide: true }],
  [70003, { meaning: "UserSig check failed", retry: "permanent", appWide: true }],
  [70005, { meaning: "UserSig check failed", retry: "permanent", appWide: true }],
  [70009, { meaning: "wrong secret key for this SDKAppID", retry: "permanent", appWide: true }],
  [70013, { meaning: "identifier does not match the UserSig", retry: "permanent", appWide: true }],
  [70014, { meaning: "SDKAppID does not match the UserSig", retry: "permanent", appWide: true }],
  [70016, { meaning: "key not found", retry: "permanent", appWide: true }],
  [70020, { meaning: "SDKAppID not found", retry: "permanent", appWide: true }],
  [
    70050,
    {
      meaning: "repeated UserSig failures: blocked for a minute, do not retry now",
      retry: "permanent",
      appWide: true,
    },
  ],
  [70052, { meaning: "UserSig was invalidated", retry: "resign", appWide: true }],
  [70169, { meaning: "server internal timeout", retry: "transient" }],
  [70500, { meaning: "server internal error", retry: "transient" }],
]);

/** Codes that usually mean the app lives in another region than the one called. */
export const WRONG_REGION_CODES: ReadonlySet<number> = new Set([60006, 70016, 70020]);

/*
 * Codes of our own, for failures that carry no ErrorCode from the server. They are negative; the
 * `fromServer` flag of a failure tells them apart from a server that answers with a negative code.
 */
/** No answer: network failure, timeout, an HTTP error, or a body that is not a Chat API answer. */
export const NO_ANSWER = -1;
/** The answer contradicts itself: FAIL with ErrorCode 0, or no numeric ErrorCode, or no ActionStatus. */
export const INCONSISTENT_ANSWER = -2;
/** The call was never made: the run stopped first (a failure of the whole app, or cancellation). */
export const NOT_ATTEMPTED = -3;
/** Verify found messages of the sender still not recalled after the recall. */
export const REMAINING_MESSAGES = -4;
/** The sender is not an account of the app and has no messages where the run looked: likely a typo. */
export const NOT_AN_ACCOUNT = -5;
/** The messages could not be written to the archive, so none of them was recalled. */
export const ARCHIVE_FAILED = -6;

const OWN_CODES: ReadonlyMap<number, CodeInfo> = new Map<number, CodeInfo>([
  [NO_ANSWER, { meaning: "no answer from the Chat API", retry: "transient" }],
  [INCONSISTENT_ANSWER, { meaning: "the answer was inconsistent", retry: "permanent" }],
  [NOT_ATTEMPTED, { meaning: "not attempted", retry: "permanent" }],
  [REMAINING_MESSAGES, { meaning: "messages still not recalled", retry: "permanent" }],
  [NOT_AN_ACCOUNT, { meaning: "no such sender", retry: "permanent" }],
  [ARCHIVE_FAILED, { meaning: "the messages could not be archived", retry: "permanent" }],
]);

function codeInfo(code: number, fromServer: boolean): CodeInfo | undefined {
  return (fromServer ? ERROR_CODES : OWN_CODES).get(code);
}

export function retryClass(code: number, fromServer = true): RetryClass {
  return codeInfo(code, fromServer)?.retry ?? "permanent";
}

export function isAppWide(code: number, fromServer: boolean): boolean {
  return codeInfo(code, fromServer)?.appWide === true;
}

export function explainCode(code: number, fromServer = true): string {
  return codeInfo(code, fromServer)?.meaning ?? "unlisted error code";
}

/** A call that did not end with ErrorCode 0, after every retry it was allowed. */
export class ChatApiError extends Error {
  override readonly name = "ChatApiError";
  constructor(
    readonly command: string,
    readonly code: number,
    readonly info: string,
    readonly attempts: number,
    /** True when the server sent the code, false when it is one of ours (no answer, inconsistent answer). */
    readonly fromServer: boolean,
    /** The call gave up on answers that only said "rate limited", for too long. */
    readonly rateLimited = false,
  ) {
    super(
      `${command} failed with ${fromServer ? "ErrorCode" : "code"} ${code} (${explainCode(code, fromServer)}): ${info || "no ErrorInfo"}`,
    );
  }
}
