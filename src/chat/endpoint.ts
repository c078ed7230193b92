const REGIONS = {
  china: { main: "console.tim.qq.com", backup: "adminapi.my-imcloud.com" },
  singapore: { main: "adminapisgp.im.qcloud.com", backup: "adminapisgp.my-imcloud.com" },
  seoul: { main: "adminapikr.im.qcloud.com", backup: "adminapikr.my-imcloud.com" },
  frankfurt: { main: "adminapiger.im.qcloud.com", backup: "adminapiger.my-imcloud.com" },
  mumbai: { main: "adminapiind.im.qcloud.com", backup: "adminapiind.my-imcloud.com" },
  "silicon-valley": { main: "adminapiusa.im.qcloud.com", backup: "adminapiusa.my-imcloud.com" },
  jakarta: { main: "adminapiidn.im.qcloud.com", backup: "adminapiidn.my-imcloud.com" },
  tokyo: { main: "adminapijpn.im.qcloud.com", backup: "adminapijpn.my-imcloud.com" },
  riyadh: { main: "adminapiksa.im.qcloud.com" },
} as const satisfies Record<string, { main: string; backup?: string }>;

export type Region = keyof typeof REGIONS;
export const REGION_NAMES = Object.keys(REGIONS) as Region[];

export function isRegion(value: string): value is Region {
  return Object.hasOwn(REGIONS, value);
}

/**
 * The base URLs to try, in order: an explicit endpoint alone, else the region's main domain and,
 * where Tencent publishes one, its backup domain.
 */
export function baseUrls(region: Region, endpoint?: string): string[] {
  if (endpoint) return [endpoint.replace(/\/+$/, "")];
  const domains: { main: string; backup?: string } = REGIONS[region];
  return [domains.main, domains.backup].filter((d) => d !== undefined).map((d) => `https://${d}`);
}

interface CallerIdentity {
  sdkAppId: number;
  identifier: string;
  userSig: string;
}

/** The path and query of one call: `/v4/<command>?sdkappid=...&identifier=...&usersig=...&random=...&contenttype=json`. */
export function commandPath(command: string, caller: CallerIdentity, random: number): string {
  const e = encodeURIComponent;
  return `/v4/${command}?sdkappid=${caller.sdkAppId}&identifier=${e(caller.identifier)}&usersig=${e(caller.userSig)}&random=${random}&contenttype=json`;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether an endpoint may be used: https anywhere, http only on loopback. */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "is not a URL";
  }
  if (/[?#]/.test(endpoint)) return "must not carry a query (?) or fragment (#): give the base URL only";
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    const host = url.hostname;
    if (LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host)) return undefined;
    return "uses http on a host that is not loopback; use https (http is allowed only for 127.0.0.0/8, localhost and [::1])";
  }
  return `has protocol ${url.protocol}; use https`;
}
