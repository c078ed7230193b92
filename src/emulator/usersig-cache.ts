import { verifyUserSig, type UserSigCheck, type UserSigClaims } from "../chat/usersig.js";

/**
 * How far ahead of the server's clock a UserSig's `TLS.time` may be: 5 minutes. Tencent documents no
 * not-before check nor any skew; the emulator refuses a UserSig signed further in the future, as a
 * strict server would, so that a signer on a clock running ahead (or a UserSig dated ahead on purpose)
 * shows up here rather than in production, while a client a few seconds or minutes off still works.
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * TLSSigAPIv2 writes the base64 of a UserSig with `*`, `-` and `_` in place of `+`, `/` and `=`; the
 * standard alphabet's three are not decoded. (A `+` left unescaped in a query string reads as a space.)
 */
const URL_SAFE_USERSIG = /^[A-Za-z0-9*_-]+$/;

/** Claims longer than a real UserSig's are not cached (a small deflated UserSig can inflate to megabytes). */
const CACHED_FIELD_CHARS = 256;

type EmulatorUserSigCheck =
  | UserSigCheck
  | { ok: false; reason: "not-url-safe" }
  | { ok: false; reason: "future"; claims: UserSigClaims };

interface Verified {
  secretKey: string;
  check: UserSigCheck;
}

function cacheable(check: UserSigCheck): boolean {
  const claims = check.claims as (UserSigClaims & { sig?: unknown }) | undefined;
  if (!claims) return true;
  const sig = typeof claims.sig === "string" ? claims.sig : "";
  return claims.identifier.length <= CACHED_FIELD_CHARS && sig.length <= CACHED_FIELD_CHARS;
}

/**
 * Remembers the signature checks of recent UserSigs (decoding and HMAC are the costly part of a
 * call); expiry and a time ahead of the clock are still judged against the current time on every use.
 */
export class UserSigCache {
  private readonly entries = new Map<string, Verified>();

  constructor(private readonly capacity = 1024) {}

  check(
    userSig: string,
    secretKey: string,
    nowSeconds = Math.floor(Date.now() / 1000),
  ): EmulatorUserSigCheck {
    if (!URL_SAFE_USERSIG.test(userSig)) return { ok: false, reason: "not-url-safe" };
    let entry = this.entries.get(userSig);
    if (!entry || entry.secretKey !== secretKey) {
      // An instant before any expiry, so that the cached result says nothing about it.
      entry = { secretKey, check: verifyUserSig(userSig, secretKey, Number.NEGATIVE_INFINITY) };
      if (cacheable(entry.check)) {
        this.entries.set(userSig, entry);
        if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
      }
    }
    const { check } = entry;
    if (check.ok && nowSeconds > check.claims.time + check.claims.expire) {
      return { ok: false, reason: "expired", claims: check.claims };
    }
    if (check.ok && check.claims.time > nowSeconds + MAX_CLOCK_SKEW_SECONDS) {
      return { ok: false, reason: "future", claims: check.claims };
    }
    return check;
  }
}
