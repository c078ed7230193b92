import type { Body } from "./fields.js";
import type { ListingCursors } from "./listing-cursors.js";
import type { EmulatorState } from "./state.js";

/** What a command handler gets: the service's data, the caller's app and the request body. */
export interface CommandCall {
  state: EmulatorState;
  sdkAppId: number;
  body: Body;
  /** The body as received, for fields JSON.parse cannot read exactly. */
  rawBody: string;
  cursors: ListingCursors;
  /** The most groups one page of get_appid_group_list holds, whatever its Limit asks. */
  listingPageLimit: number;
}

/** The members an OK answer carries besides ActionStatus, ErrorCode and ErrorInfo (top-level bigints allowed). */
export type Answer = Record<string, unknown>;

export type Handler = (call: CommandCall) => Answer;
