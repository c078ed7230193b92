const UINT64_MAX = 2n ** 64n - 1n;

interface Position {
  sdkAppId: number;
  /** The GroupType filter the cursor was issued for; "" for all types. */
  groupType: string;
  index: number;
}

export type CursorLookup = { index: number } | { problem: string };

/**
 * The `Next` cursors get_appid_group_list has issued: opaque uint64 values, each naming a position
 * in one app's listing (for one GroupType filter). Only the newest `capacity` are remembered.
 */
export class ListingCursors {
  private readonly issued = new Map<bigint, Position>();
  private next: bigint;

  constructor(
    base = 1n,
    private readonly capacity = 100_000,
  ) {
    if (base < 1n || base > UINT64_MAX) {
      throw new RangeError("listingCursorBase must be a uint64 above 0");
    }
    this.next = base;
  }

  issue(sdkAppId: number, groupType: string, index: number): bigint {
    const cursor = this.next;
    if (cursor > UINT64_MAX) throw new RangeError("listing cursors ran past 2^64 - 1");
    this.next++;
    this.issued.set(cursor, { sdkAppId, groupType, index });
    if (this.issued.size > this.capacity) this.issued.delete(this.issued.keys().next().value!);
    return cursor;
  }

  find(cursor: bigint, sdkAppId: number, groupType: string): CursorLookup {
    const position = this.issued.get(cursor);
    if (!position || position.sdkAppId !== sdkAppId) {
      return { problem: `Next ${cursor} is not a cursor this service issued; start again with Next 0` };
    }
    if (position.groupType !== groupType) {
      const issuedFor = position.groupType === "" ? "no GroupType" : `GroupType ${position.groupType}`;
      return { problem: `Next ${cursor} was issued for ${issuedFor}; send the same GroupType` };
    }
    return { index: position.index };
  }
}
