import { verifyUserSig, type UserSigCheck } from "../chat/usersig.js";

interface Verified {
  secretKey: string;
  check: UserSigCheck;
}

/**
 * Remembers the signature checks of recent UserSigs (decoding and HMAC are the costly part of a
 * call); expiry is still judged against the current time on every use.
 */
export class UserSigCache {
  private readonly entries = new Map<string, Verified>();

  constructor(private readonly capacity = 1024) {}

  check(userSig: string, secretKey: string, nowSeconds = Math.floor(Date.now() / 1000)): UserSigCheck {
    let entry = this.entries.get(userSig);
    if (!entry || entry.secretKey !== secretKey) {
      // An instant before any expiry, so that the cached result says nothing about it.
      entry = { secretKey, check: verifyUserSig(userSig, secretKey, Number.NEGATIVE_INFINITY) };
      this.entries.set(userSig, entry);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    const { check } = entry;
    if (check.ok && nowSeconds > check.claims.time + check.claims.expire) {
      return { ok: false, reason: "expired", claims: check.claims };
    }
    return check;
  }
}
