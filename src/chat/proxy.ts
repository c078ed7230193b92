/** The environment variables a proxy is read from. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** A proxy setting that cannot be used; its message names the variable and never shows a password. */
export class ProxyError extends Error {
  override readonly name = "ProxyError";
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const BAD_ESCAPE = "has a % that does not start an escape such as %40; write a % itself as %25";

/**
 * The proxy for https calls that the environment names (`https_proxy`, else `HTTPS_PROXY`), read as
 * @actions/http-client reads it, but for two things: a value without a scheme (`proxy.local:3128`)
 * is an http:// proxy, as curl takes it, and a value that cannot be used is a ProxyError instead of
 * a crash at the first call. Undefined when none is set.
 */
function configuredProxy(env: ProxyEnv): URL | undefined {
  const name = env.https_proxy ? "https_proxy" : "HTTPS_PROXY";
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(SCHEME.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxyError(`${name}: not a proxy URL such as http://proxy.example.com:3128.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProxyError(
      `${name}: the proxy URL has scheme ${JSON.stringify(url.protocol)}; only http:// and https:// proxies are supported.`,
    );
  }
  if (!url.hostname) throw new ProxyError(`${name}: not a proxy URL such as http://proxy.example.com:3128.`);
  for (const [part, text] of [
    ["user name", url.username],
    ["password", url.password],
  ] as const) {
    try {
      decodeURIComponent(text);
    } catch {
      throw new ProxyError(`${name}: the ${part} in the proxy URL ${BAD_ESCAPE}.`);
    }
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.startsWith("127.") ||
    host.startsWith("[::1]") ||
    host.startsWith("[0:0:0:0:0:0:0:1]")
  );
}

/**
 * Whether a call to `url` goes around the proxy, by @actions/http-client's rules: loopback always;
 * else when `no_proxy` (else `NO_PROXY`), a comma-separated list compared without case, has `*`, the
 * host, the host with the URL's port (`host:443`), a domain the host is under (`example.com` or
 * `.example.com`).
 */
function bypassesProxy(url: URL, env: ProxyEnv): boolean {
  if (!url.hostname) return false;
  if (isLoopback(url.hostname)) return true;
  const noProxy = env.no_proxy || env.NO_PROXY || "";
  if (!noProxy) return false;
  const port = url.port
    ? Number(url.port)
    : url.protocol === "http:"
      ? 80
      : url.protocol === "https:"
        ? 443
        : undefined;
  const host = url.hostname.toUpperCase();
  const hosts = port === undefined ? [host] : [host, `${host}:${port}`];
  return noProxy
    .split(",")
    .map((item) => item.trim().toUpperCase())
    .filter(Boolean)
    .some(
      (item) =>
        item === "*" ||
        hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith(".") && h.endsWith(item))),
    );
}

/** The proxy an https call to `url` goes through, or undefined when it goes directly. Throws ProxyError when the setting cannot be used. */
export function proxyFor(url: URL, env: ProxyEnv): URL | undefined {
  return bypassesProxy(url, env) ? undefined : configuredProxy(env);
}

/**
 * Why the proxy the environment names cannot be used, or undefined when it can or none is set: for
 * a front door to refuse the run before any call. With `urls` (the base URLs calls go to), only a
 * proxy that one of them would go through is checked. Plain http calls (loopback only) use no proxy.
 */
export function proxyProblem(env: ProxyEnv = process.env, urls?: readonly string[]): string | undefined {
  if (urls && !urls.some((url) => usesProxy(url, env))) return undefined;
  try {
    configuredProxy(env);
    return undefined;
  } catch (error) {
    if (error instanceof ProxyError) return error.message;
    throw error;
  }
}

function usesProxy(base: string, env: ProxyEnv): boolean {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return false;
  }
  return url.protocol === "https:" && !bypassesProxy(url, env);
}
