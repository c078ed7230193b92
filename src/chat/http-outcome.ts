/** What one HTTP exchange gave: an answer with its status and body, or none at all. */
export type HttpOutcome =
  | { kind: "answer"; status: number; body: string; retryAfterMs?: number }
  | {
      kind: "no-answer";
      reason: string;
      connectFailure: boolean;
      /**
       * Trying again would not change the outcome: nothing was sent (the proxy setting cannot be
       * used), or the server does not speak TLS.
       */
      refused?: true;
    };

const CONNECT_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);

export function noAnswer(reason: string, connectFailure = false): HttpOutcome {
  return { kind: "no-answer", reason, connectFailure };
}

/** Nothing was sent, and trying again would not change that. */
export function refused(reason: string): HttpOutcome {
  return { kind: "no-answer", reason, connectFailure: false, refused: true };
}

/**
 * OpenSSL's words for a TLS handshake answered by something that is not TLS, such as a plain-HTTP
 * server (the emulator) behind an https:// URL; Node gives them as EPROTO with the reason in the message.
 */
const NOT_TLS = /wrong version number|packet length too long|WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/i;

export function notTls(error: Error): boolean {
  return NOT_TLS.test(error.message) || NOT_TLS.test((error as NodeJS.ErrnoException).code ?? "");
}

/** What a failed exchange says: a server that does not speak TLS is named as such, not by OpenSSL's words. */
export function networkFailure(error: NodeJS.ErrnoException): HttpOutcome {
  if (notTls(error)) {
    // Trying again would get the same answer.
    return refused("this endpoint does not speak TLS (https); use http:// for a loopback emulator");
  }
  return noAnswer(
    `network error: ${[error.code, error.message].filter(Boolean).join(" ")}`,
    error.code !== undefined && CONNECT_FAILURES.has(error.code),
  );
}

/** `Retry-After` as seconds or an HTTP date, in ms from now. */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (header.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
