import type { Handler } from "./command-call.js";
import type { Body } from "./fields.js";
import { EmulatorError } from "./state.js";

/** The account service's code for a request it cannot read (the group service's is 10004). */
export const ACCOUNT_INVALID_PARAMETER = 70402;
/** Most UserIDs account_check and account_delete take in one call. */
const MAX_ACCOUNT_ITEMS = 100;
const USER_ID_MAX_BYTES = 32;

function invalid(message: string): EmulatorError {
  return new EmulatorError(ACCOUNT_INVALID_PARAMETER, message);
}

/** The UserIDs of a list such as CheckItem: 1 to 100 entries `{"UserID": "..."}`, in request order. */
function userIdItems(body: Body, field: string): string[] {
  const items = body[field];
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ACCOUNT_ITEMS) {
    throw invalid(`${field} must hold 1 to ${MAX_ACCOUNT_ITEMS} entries`);
  }
  return items.map((item: unknown, i) => {
    const userId = (item as { UserID?: unknown } | null)?.UserID;
    if (typeof userId !== "string" || userId === "") {
      throw invalid(`${field}[${i}].UserID must be a non-empty string`);
    }
    return userId;
  });
}

function optionalText(body: Body, field: string): void {
  if (body[field] !== undefined && typeof body[field] !== "string") {
    throw invalid(`${field} must be a string`);
  }
}

export const ACCOUNT_COMMANDS: [string, Handler][] = [
  [
    "im_open_login_svc/account_import",
    ({ state, sdkAppId, body }) => {
      const userId = body.UserID;
      if (typeof userId !== "string" || userId === "" || Buffer.byteLength(userId) > USER_ID_MAX_BYTES) {
        throw invalid(`UserID is required: a non-empty string of at most ${USER_ID_MAX_BYTES} bytes`);
      }
      optionalText(body, "Nick");
      optionalText(body, "FaceUrl");
      state.importAccount(sdkAppId, userId);
      return {};
    },
  ],

  [
    "im_open_login_svc/account_check",
    ({ state, sdkAppId, body }) => ({
      ResultItem: userIdItems(body, "CheckItem").map((userId) => ({
        UserID: userId,
        ResultCode: 0,
        ResultInfo: "",
        AccountStatus: state.isAccount(sdkAppId, userId) ? "Imported" : "NotImported",
      })),
    }),
  ],

  [
    "im_open_login_svc/account_delete",
    ({ state, sdkAppId, body }) => ({
      ResultItem: userIdItems(body, "DeleteItem").map((userId) => {
        state.deleteAccount(sdkAppId, userId);
        return { ResultCode: 0, ResultInfo: "", UserID: userId };
      }),
    }),
  ],
];
