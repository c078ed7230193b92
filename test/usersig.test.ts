import { createRequire } from "node:module";
import { deflateSync, inflateSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeUserSig, signUserSig, verifyUserSig } from "../src/chat/usersig.js";

const require = createRequire(import.meta.url);
const TLSSigAPIv2 = require("tls-sig-api-v2") as {
  Api: new (sdkAppId: number, key: string) => { genUserSig(userId: string, expire: number): string };
};

const fromUrlSafe = (s: string) => s.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
const toUrlSafe = (s: string) => s.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");

const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP = 1400000001;

afterEach(() => {
  vi.useRealTimers();
});

describe("UserSig (TLSSigAPIv2)", () => {
  it("signs exactly what Tencent's tls-sig-api-v2 signs for the same inputs and time", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T10:00:00Z"));
    const official = new TLSSigAPIv2.Api(APP, KEY).genUserSig("administrator", 86400);
    const ours = signUserSig(KEY, { identifier: "administrator", sdkAppId: APP, expire: 86400 });

    expect(decodeUserSig(ours)).toEqual(decodeUserSig(official));
    expect(ours).toBe(official);
    expect(decodeUserSig(ours)).toMatchObject({
      identifier: "administrator",
      sdkAppId: APP,
      time: Date.parse("2026-11-22T10:00:00Z") / 1000,
      expire: 86400,
    });
  });

  it("verifies the official library's output, and the official format decodes ours", () => {
    const official = new TLSSigAPIv2.Api(APP, KEY).genUserSig("leckie", 600);
    expect(verifyUserSig(official, KEY)).toMatchObject({
      ok: true,
      claims: { identifier: "leckie", sdkAppId: APP },
    });

    const ours = signUserSig(KEY, { identifier: "leckie", sdkAppId: APP, expire: 600 });
    const doc = JSON.parse(inflateSync(Buffer.from(fromUrlSafe(ours), "base64")).toString()) as object;
    expect(Object.keys(doc)).toEqual([
      "TLS.ver",
      "TLS.identifier",
      "TLS.sdkappid",
      "TLS.time",
      "TLS.expire",
      "TLS.sig",
    ]);
    expect(verifyUserSig(ours, KEY).ok).toBe(true);
  });

  it("rejects a wrong key, a tampered document, garbage, and an expired sig", () => {
    const sig = signUserSig(KEY, { identifier: "administrator", sdkAppId: APP, expire: 60, time: 1_000 });
    expect(verifyUserSig(sig, "another-key", 1_000)).toMatchObject({ ok: false, reason: "bad-signature" });
    expect(verifyUserSig("not-a-sig", KEY)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyUserSig(sig, KEY, 1_060)).toMatchObject({ ok: true });
    expect(verifyUserSig(sig, KEY, 1_061)).toMatchObject({ ok: false, reason: "expired" });

    const doc = JSON.parse(inflateSync(Buffer.from(fromUrlSafe(sig), "base64")).toString()) as Record<
      string,
      unknown
    >;
    doc["TLS.identifier"] = "someone-else";
    const tampered = toUrlSafe(deflateSync(Buffer.from(JSON.stringify(doc))).toString("base64"));
    expect(verifyUserSig(tampered, KEY, 1_000)).toMatchObject({
      ok: false,
      reason: "bad-signature",
      claims: { identifier: "someone-else" },
    });
  });

  it("keys the HMAC with the secret key's UTF-8 bytes", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const key = "clé-secrète-密钥";
    const official = new TLSSigAPIv2.Api(APP, key).genUserSig("administrator", 100);
    expect(signUserSig(key, { identifier: "administrator", sdkAppId: APP, expire: 100 })).toBe(official);
  });
});
