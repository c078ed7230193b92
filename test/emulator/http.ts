import { request } from "node:http";
import { expect } from "vitest";
import { signUserSig } from "../../src/chat/usersig.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { APP_ID, SECRET_KEY } from "../support/emulator.js";

export const GET_GROUP_INFO = "group_open_http_svc/get_group_info";
export const GET_HISTORY = "group_open_http_svc/group_msg_get_simple";
export const RECALL_BY_SENDER = "group_open_http_svc/delete_group_msg_by_sender";
export const RECALL_BY_SEQ = "group_open_http_svc/group_msg_recall";
export const LIST_GROUPS = "group_open_http_svc/get_appid_group_list";
export const GET_TOPIC = "million_group_open_http_svc/get_topic";
export const SEND_MESSAGE = "group_open_http_svc/send_group_msg";
export const CREATE_GROUP = "group_open_http_svc/create_group";
export const JOINED_GROUPS = "group_open_http_svc/get_joined_group_list";
export const ADD_MEMBERS = "group_open_http_svc/add_group_member";
export const ACCOUNT_CHECK = "im_open_login_svc/account_check";
export const ACCOUNT_IMPORT = "im_open_login_svc/account_import";
export const ACCOUNT_DELETE = "im_open_login_svc/account_delete";

/** Starts an emulator with the test app; the caller closes it. */
export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({
    apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY, admins: ["administrator"] }],
    ...options,
  });
}

export interface Call {
  command?: string;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  identifier?: string;
  sig?: string;
}

const sigs = new Map<string, string>();

/** A fresh admin UserSig per identifier, reused within the test run. */
export function userSig(identifier = "administrator"): string {
  let sig = sigs.get(identifier);
  if (!sig)
    sigs.set(identifier, (sig = signUserSig(SECRET_KEY, { identifier, sdkAppId: APP_ID, expire: 3600 })));
  return sig;
}

export function callPath(call: Call = {}): string {
  const identifier = call.identifier ?? "administrator";
  const query = new URLSearchParams({
    sdkappid: String(APP_ID),
    identifier,
    usersig: call.sig ?? userSig(identifier),
    random: String(Math.floor(Math.random() * 2 ** 32)),
    contenttype: "json",
    ...call.query,
  });
  return `/v4/${call.command ?? GET_GROUP_INFO}?${query}`;
}

/** A raw HTTP call, so the emulator's checks are exercised independently of our client; answers the body text. */
export async function postText(
  emulator: Emulator,
  call: Call = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(emulator.url + callPath(call), {
    method: "POST",
    body: call.rawBody ?? JSON.stringify(call.body ?? { GroupIdList: ["@TGS#X"] }),
  });
  return { status: res.status, text: await res.text() };
}

export async function post(emulator: Emulator, call: Call = {}): Promise<Record<string, unknown>> {
  const { status, text } = await postText(emulator, call);
  expect(status).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

export interface RawResponse {
  status?: number;
  contentType?: string;
  body: string;
  error?: string;
}

/** One request over node:http with full control of method, target, headers and body chunks. */
export function rawRequest(
  emulator: Emulator,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number>;
    body?: (Buffer | string)[];
  },
): Promise<RawResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (response: RawResponse) => {
      if (!settled) resolve(response);
      settled = true;
    };
    const req = request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        method: options.method ?? "POST",
        path: options.path ?? callPath(),
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        const contentType = res.headers["content-type"];
        const status = {
          ...(res.statusCode ? { status: res.statusCode } : {}),
          ...(contentType ? { contentType } : {}),
        };
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => settle({ ...status, body }));
        res.on("error", (error) => settle({ ...status, body, error: error.message }));
        res.on("close", () => settle({ ...status, body, error: "closed before the end of the body" }));
      },
    );
    req.on("error", (error) => settle({ body: "", error: error.message }));
    for (const chunk of options.body ?? []) req.write(chunk);
    req.end();
  });
}
