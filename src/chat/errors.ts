/**
 * How a failed call is handled: retried after back-off (transient, rate-limited), retried once with
 * a fresh UserSig (resign), or reported at once (permanent).
 */
export type RetryClass = "transient" | "rate-limited" | "resign" | "permanent";

interface CodeInfo {
  meaning: string;
  retry: RetryClass;
}

export const ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  10002: { meaning: "internal server error", retry: "transient" },
  10003: { meaning: "invalid command word", retry: "permanent" },
  10004: { meaning: "invalid parameter", retry: "permanent" },
  10007: { meaning: "no permission: the identifier must be an app admin", retry: "permanent" },
  10010: { meaning: "the group does not exist or was dismissed", retry: "permanent" },
  10015: { meaning: "invalid group ID", retry: "permanent" },
  60002: { meaning: "bad HTTP URL", retry: "permanent" },
  60003: { meaning: "request JSON could not be parsed", retry: "permanent" },
  60004: { meaning: "identifier or UserSig is wrong", retry: "permanent" },
  60005: { meaning: "identifier or UserSig is wrong", retry: "permanent" },
  60006: { meaning: "SDKAppID is invalid", retry: "permanent" },
  60007: { meaning: "REST API call frequency over the limit", retry: "rate-limited" },
  60008: { meaning: "service timeout or bad HTTP format", retry: "transient" },
  60010: { meaning: "identifier must be an app admin", retry: "permanent" },
  60011: { meaning: "SDKAppID request frequency over the limit", retry: "rate-limited" },
  60012: { meaning: "sdkappid is missing", retry: "permanent" },
  60014: { meaning: "account exchange timed out", retry: "transient" },
  60016: { meaning: "SDKAppID is disabled", retry: "permanent" },
  60018: { meaning: "requests too frequent, retry later", retry: "rate-limited" },
  60019: { meaning: "requests too frequent, retry later", retry: "rate-limited" },
  60020: {
    meaning: "plan not purchased or expired (takes about 5 minutes after purchase)",
    retry: "permanent",
  },
  60021: { meaning: "the calling IP is not allowed", retry: "permanent" },
  70001: { meaning: "UserSig expired", retry: "resign" },
  70002: { meaning: "UserSig is empty", retry: "permanent" },
  70003: { meaning: "UserSig check failed", retry: "permanent" },
  70005: { meaning: "UserSig check failed", retry: "permanent" },
  70009: { meaning: "wrong secret key for this SDKAppID", retry: "permanent" },
  70013: { meaning: "identifier does not match the UserSig", retry: "permanent" },
  70014: { meaning: "SDKAppID does not match the UserSig", retry: "permanent" },
  70016: { meaning: "key not found: is the region right?", retry: "permanent" },
  70020: { meaning: "SDKAppID not found", retry: "permanent" },
  70050: {
    meaning: "repeated UserSig failures: blocked for a minute, do not retry now",
    retry: "permanent",
  },
  70052: { meaning: "UserSig was invalidated", retry: "resign" },
  70169: { meaning: "server internal timeout", retry: "transient" },
  70500: { meaning: "server internal error", retry: "transient" },
};

/** The code results carry when no ErrorCode was received (network failure, timeout, HTTP error). */
export const NO_RESPONSE_CODE = -1;

export function retryClass(code: number): RetryClass {
  if (code === NO_RESPONSE_CODE) return "transient";
  return ERROR_CODES[code]?.retry ?? "permanent";
}

export function explainCode(code: number): string {
  if (code === NO_RESPONSE_CODE) return "no answer from the Chat API";
  return ERROR_CODES[code]?.meaning ?? "unlisted error code";
}

/** A call that did not end with ErrorCode 0, after every retry it was allowed. */
export class ChatApiError extends Error {
  override readonly name = "ChatApiError";
  constructor(
    readonly command: string,
    readonly code: number,
    readonly info: string,
    readonly attempts: number,
  ) {
    super(`${command} failed with ErrorCode ${code} (${explainCode(code)}): ${info || "no ErrorInfo"}`);
  }
}
