import { ChatApiError, explainCode, isAppWide, NO_ANSWER, WRONG_REGION_CODES } from "../chat/errors.js";
import type { Connection } from "./settings.js";
import type { StopCause } from "./types.js";

/** After this many calls in a row got no answer at all, the server is out of reach: the run stops. */
const NO_ANSWER_STREAK_LIMIT = 5;
/** After the app has answered nothing but "rate limited" for this long, someone else uses its limit: the run stops. */
const ONLY_RATE_LIMITED_MS = 60_000;

/** How the run has been answered lately, besides the failure at hand. */
export interface Streaks {
  /** Calls in a row with no answer at all. */
  noAnswer: number;
  /** Since the last answer that was not "rate limited". */
  onlyRateLimitedMs: number;
}

const FIXES: ReadonlyMap<number, string> = new Map([
  [60004, "check the identifier (an app admin account) and the secret key or user-sig"],
  [60005, "check the identifier (an app admin account) and the secret key or user-sig"],
  [60010, 'set the identifier to an app admin account (new apps have "administrator")'],
  [60016, "enable the SDKAppID in the Chat console"],
  [60020, "buy or renew the plan in the Chat console; it takes about 5 minutes to apply"],
  [
    60021,
    "allow the IP this runs from in the Chat console's IP allow-list, or run it from an allowed network",
  ],
  [70002, "give a secret key or a user-sig"],
  [70003, "give a UserSig signed by TLSSigAPIv2 for this app, or the secret key instead"],
  [70005, "give a UserSig signed by TLSSigAPIv2 for this app, or the secret key instead"],
  [70009, "check the secret key: it is not the one of this SDKAppID"],
  [70013, "the UserSig was signed for another identifier: sign it for this one, or give the secret key"],
  [70014, "the UserSig was signed for another SDKAppID: sign it for this one, or give the secret key"],
  [70050, "fix the credential, then wait a minute before trying again"],
]);

function fixFor(code: number, connection: Connection, signedHere: boolean): string {
  if (WRONG_REGION_CODES.has(code)) {
    return connection.endpoint
      ? `check that endpoint ${connection.endpoint} serves this SDKAppID`
      : `is region "${connection.region}" right for SDKAppID ${connection.sdkAppId}? An app lives in one region, and another region's domain answers this way`;
  }
  if (code === 70001 || code === 70052) {
    return signedHere
      ? "a freshly signed UserSig was refused too: check this machine's clock"
      : "sign a new UserSig, or give the secret key so that one is signed for each run";
  }
  return FIXES.get(code) ?? "check the app's settings in the Chat console";
}

/** The reason to stop the whole run after this failure, if it is one. */
export function stopCauseOf(
  error: ChatApiError,
  streaks: Streaks,
  connection: Connection,
): StopCause | undefined {
  const noAnswerStreak = streaks.noAnswer;
  if (isAppWide(error.code, error.fromServer)) {
    const signedHere = "secretKey" in connection.auth;
    return {
      reason: "app-wide",
      code: error.code,
      message: `ErrorCode ${error.code} (${explainCode(error.code)}) concerns the whole app, so every other call would fail the same way: ${fixFor(error.code, connection, signedHere)}. The server said: ${error.info || "no ErrorInfo"}`,
    };
  }
  if (error.code === NO_ANSWER && !error.fromServer && noAnswerStreak >= NO_ANSWER_STREAK_LIMIT) {
    const where = connection.endpoint ?? `region ${connection.region}`;
    return {
      reason: "no-answer",
      code: NO_ANSWER,
      message: `${noAnswerStreak} calls in a row got no answer from ${where}: check the network, the proxy settings and the ${connection.endpoint ? "endpoint" : "region"}. Last: ${error.info}`,
    };
  }
  if (error.rateLimited && streaks.onlyRateLimitedMs >= ONLY_RATE_LIMITED_MS) {
    const code = `${error.fromServer ? "ErrorCode" : "code"} ${error.code}`;
    return {
      reason: "rate-limited",
      code: error.code,
      message: `For ${Math.round(streaks.onlyRateLimitedMs / 1000)} s the app answered nothing but "rate limited" (${code}: ${error.info || "no ErrorInfo"}): its limit is used by someone else as well, or is lower than max-calls-per-second (${connection.maxCallsPerSecond}/s). Run again later, or lower max-calls-per-second.`,
    };
  }
  return undefined;
}
