import * as http from "node:http";
import type * as https from "node:https";
import type { Socket } from "node:net";
import type { Tunnel } from "./connection.js";
import { notTls } from "./http-outcome.js";

/** Where the server (or proxy) of a URL listens, and whether it is spoken to over TLS. */
export function addressOf(url: URL): { host: string; port: number; tls: boolean } {
  const tls = url.protocol === "https:";
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port) || (tls ? 443 : 80), tls };
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "proxy-authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}

/**
 * A tunnel through `proxy` to `authority` (host:port): a CONNECT, over TLS for an https:// proxy
 * (verified with `tlsOptions`), bounded by `timeoutMs`. Cancelling it destroys the CONNECT even
 * while the proxy has not answered.
 */
export function openTunnel(
  proxy: URL,
  authority: string,
  timeoutMs: number,
  tls: { https: typeof https; options: (host: string) => https.RequestOptions },
): Tunnel {
  const address = addressOf(proxy);
  const connect = (address.tls ? tls.https : http).request({
    host: address.host,
    port: address.port,
    method: "CONNECT",
    path: authority,
    headers: { host: authority, ...proxyAuthorization(proxy) },
    agent: false,
    timeout: timeoutMs,
    ...(address.tls ? tls.options(address.host) : {}),
  });
  const ready = new Promise<Socket>((resolve, reject) => {
    connect.once("connect", (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new Error(`the proxy answered CONNECT with HTTP ${res.statusCode}`));
    });
    connect.once("timeout", () =>
      connect.destroy(new Error(`the proxy did not answer within ${timeoutMs} ms`)),
    );
    connect.once("error", (error) =>
      // Named here, or the endpoint would be blamed for the proxy.
      reject(
        notTls(error)
          ? new Error(
              `the proxy ${proxy.host} does not speak TLS (https); give it as http:// if it is plain HTTP`,
            )
          : error,
      ),
    );
  });
  connect.end();
  return { ready, cancel: () => connect.destroy() };
}
