import { createHmac, timingSafeEqual } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";

/** What a TLSSigAPIv2 UserSig asserts. `time` is in seconds since the epoch; `expire` is a duration in seconds. */
export interface UserSigClaims {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
}

export const DEFAULT_USERSIG_LIFETIME_SECONDS = 86_400;

export function signUserSig(
  secretKey: string,
  claims: Omit<UserSigClaims, "time"> & { time?: number },
): string {
  const time = claims.time ?? Math.floor(Date.now() / 1000);
  const doc = {
    "TLS.ver": "2.0",
    "TLS.identifier": claims.identifier,
    "TLS.sdkappid": claims.sdkAppId,
    "TLS.time": time,
    "TLS.expire": claims.expire,
    "TLS.sig": hmac(secretKey, { ...claims, time }),
  };
  const packed = deflateSync(Buffer.from(JSON.stringify(doc))).toString("base64");
  return packed.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}

export type UserSigCheck =
  | { ok: true; claims: UserSigClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired"; claims?: UserSigClaims };

/** Decodes a UserSig and checks its HMAC against the secret key and its expiry against `nowSeconds`. */
export function verifyUserSig(
  userSig: string,
  secretKey: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): UserSigCheck {
  const claims = decodeUserSig(userSig);
  if (!claims) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(hmac(secretKey, claims));
  const given = Buffer.from(claims.sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "bad-signature", claims };
  }
  if (nowSeconds > claims.time + claims.expire) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}

/** Reads the claims of a UserSig without checking its signature, or undefined when it is not one. */
export function decodeUserSig(userSig: string): (UserSigClaims & { sig: string }) | undefined {
  try {
    const doc = JSON.parse(inflateUserSig(userSig) ?? "") as Record<string, unknown>;
    const identifier = doc["TLS.identifier"];
    const sdkAppId = doc["TLS.sdkappid"];
    const time = doc["TLS.time"];
    const expire = doc["TLS.expire"];
    const sig = doc["TLS.sig"];
    if (
      doc["TLS.ver"] !== "2.0" ||
      typeof identifier !== "string" ||
      typeof sdkAppId !== "number" ||
      typeof time !== "number" ||
      typeof expire !== "number" ||
      typeof sig !== "string"
    ) {
      return undefined;
    }
    return { identifier, sdkAppId, time, expire, sig };
  } catch {
    return undefined;
  }
}

/** The UserSig in standard base64, as it is before the URL-safe substitutions. */
export function userSigAsBase64(userSig: string): string {
  return userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
}

/** The JSON text a UserSig packs, or undefined when it is not one. */
export function inflateUserSig(userSig: string): string | undefined {
  try {
    return inflateSync(Buffer.from(userSigAsBase64(userSig), "base64")).toString("utf8");
  } catch {
    return undefined;
  }
}

function hmac(secretKey: string, claims: UserSigClaims): string {
  const content =
    `TLS.identifier:${claims.identifier}\n` +
    `TLS.sdkappid:${claims.sdkAppId}\n` +
    `TLS.time:${claims.time}\n` +
    `TLS.expire:${claims.expire}\n`;
  return createHmac("sha256", Buffer.from(secretKey, "utf8")).update(content).digest("base64");
}
