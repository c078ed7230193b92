import { describe, expect, it } from "vitest";
import { proxyFor, proxyProblem } from "../src/chat/proxy.js";

const TARGET = new URL("https://adminapisgp.im.qcloud.com");

function via(env: Record<string, string>, url: string | URL = TARGET): string | undefined {
  return proxyFor(typeof url === "string" ? new URL(url) : url, env)?.href;
}

describe("the proxy an https call goes through", () => {
  it.each([
    [{ https_proxy: "http://proxy.local:3128" }, "http://proxy.local:3128/"],
    [{ HTTPS_PROXY: "https://proxy.local:3129" }, "https://proxy.local:3129/"],
    [{ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }, "http://lower:1/"],
    [{ https_proxy: "", HTTPS_PROXY: "http://upper:2" }, "http://upper:2/"],
    [{ https_proxy: "  http://proxy.local:3128  " }, "http://proxy.local:3128/"],
    [{ http_proxy: "http://plain:1", all_proxy: "http://all:2" }, undefined],
    [{}, undefined],
  ])("with %j: %s", (env, proxy) => {
    expect(via(env)).toBe(proxy);
  });

  it.each([
    ["proxy.local:3128", "http://proxy.local:3128/"],
    ["localhost:3128", "http://localhost:3128/"],
    ["127.0.0.1:3128", "http://127.0.0.1:3128/"],
    ["proxy.local", "http://proxy.local/"],
    ["user:secret@proxy.local:3128", "http://user:secret@proxy.local:3128/"],
    ["HTTP://Proxy.Local:3128", "http://proxy.local:3128/"],
  ])("takes a proxy without a scheme, %j, for http, as curl does", (value, proxy) => {
    expect(via({ https_proxy: value })).toBe(proxy);
  });

  it("never proxies loopback", () => {
    for (const host of [
      "localhost",
      "LocalHost",
      "127.0.0.1:9",
      "127.1.2.3",
      "[::1]",
      "[0:0:0:0:0:0:0:1]:443",
    ]) {
      expect(via({ https_proxy: "http://proxy.local:3128" }, `https://${host}`)).toBeUndefined();
    }
  });

  it.each([
    ["*", undefined],
    ["adminapisgp.im.qcloud.com", undefined],
    ["ADMINAPISGP.IM.QCLOUD.COM", undefined],
    ["qcloud.com", undefined],
    [".qcloud.com", undefined],
    ["im.qcloud.com", undefined],
    ["other.example, qcloud.com", undefined],
    [" , qcloud.com ,", undefined],
    ["adminapisgp.im.qcloud.com:443", undefined],
    ["adminapisgp.im.qcloud.com:8443", "http://proxy.local:3128/"],
    ["cloud.com", "http://proxy.local:3128/"],
    [".adminapisgp.im.qcloud.com", "http://proxy.local:3128/"],
    ["adminapisgp", "http://proxy.local:3128/"],
    ["", "http://proxy.local:3128/"],
  ])("with no_proxy %j: %s", (noProxy, proxy) => {
    expect(via({ https_proxy: "http://proxy.local:3128", no_proxy: noProxy })).toBe(proxy);
    expect(via({ https_proxy: "http://proxy.local:3128", NO_PROXY: noProxy })).toBe(proxy);
  });

  it("reads no_proxy before NO_PROXY, and compares the port of the URL", () => {
    const env = { https_proxy: "http://p:1", no_proxy: "a.example", NO_PROXY: "b.example" };
    expect(via(env, "https://a.example")).toBeUndefined();
    expect(via(env, "https://b.example")).toBe("http://p:1/");
    expect(via({ https_proxy: "http://p:1", no_proxy: "b.example:8443" }, "https://b.example:8443")).toBe(
      undefined,
    );
  });
});

describe("a proxy setting that cannot be used", () => {
  it.each([
    [
      { https_proxy: "http://alice:pa%zzword@proxy.local:3128" },
      "https_proxy: the password in the proxy URL has a % that does not start an escape such as %40; write a % itself as %25.",
    ],
    [
      { HTTPS_PROXY: "http://al%ice:password@proxy.local:3128" },
      "HTTPS_PROXY: the user name in the proxy URL has a % that does not start an escape such as %40; write a % itself as %25.",
    ],
    [
      { https_proxy: "http://alice:%E0%A4%A@proxy.local:3128" },
      "https_proxy: the password in the proxy URL has a % that does not start an escape such as %40; write a % itself as %25.",
    ],
    [
      { https_proxy: "socks5://alice:secret@proxy.local:1080" },
      'https_proxy: the proxy URL has scheme "socks5:"; only http:// and https:// proxies are supported.',
    ],
    [
      { https_proxy: "http://alice:secret@proxy.local:99999" },
      "https_proxy: not a proxy URL such as http://proxy.example.com:3128.",
    ],
    [{ https_proxy: "http://" }, "https_proxy: not a proxy URL such as http://proxy.example.com:3128."],
  ])("%j is refused, naming the variable", (env, problem) => {
    expect(proxyProblem(env)).toBe(problem);
    expect(() => proxyFor(TARGET, env)).toThrow(problem);
  });

  it.each([
    "http://a:pa%zzword@p:1",
    "pa%zzword@p:1",
    "socks5://a:pa%zzword@p:1",
    "http://a:pa%zzword@p:x",
    "http://a:pa%zzword@",
  ])("%j is refused without showing its password", (value) => {
    const problem = proxyProblem({ https_proxy: value });
    expect(problem).toBeDefined();
    expect(problem).not.toContain("zz");
  });

  it("matters only where a call would go through it", () => {
    const env = { https_proxy: "http://a:%zz@p:1", no_proxy: "qcloud.com" };
    expect(
      proxyProblem(env, ["https://adminapisgp.im.qcloud.com", "https://adminapisgp.my-imcloud.com"]),
    ).toMatch(/^https_proxy: the password/);
    expect(proxyProblem(env, ["https://adminapisgp.im.qcloud.com"])).toBeUndefined();
    expect(proxyProblem(env, ["http://127.0.0.1:8080", "https://localhost:8443"])).toBeUndefined();
    expect(proxyFor(TARGET, env)).toBeUndefined();
  });

  it("is no problem when no proxy is set, or a good one", () => {
    expect(proxyProblem({})).toBeUndefined();
    expect(proxyProblem({ https_proxy: "http://a:b%40c@proxy.local:3128" })).toBeUndefined();
  });
});
