export interface RecordedRequest {
  command: string;
  sdkAppId: string | null;
  identifier: string | null;
  random: string | null;
  /**
   * The parsed JSON body when its text is at most LOGGED_JSON_BYTES; otherwise (a longer body, or one
   * that is not JSON) the first LOGGED_TEXT_CHARS characters of its text.
   */
  body: unknown;
  /** The size of the whole body in bytes (of its text as UTF-8). */
  bodyBytes: number;
  /** True when `body` holds only the start of the body's text. */
  truncated: boolean;
}

/** Largest body text kept parsed; the calls the client makes are far smaller (about 5 KB at most). */
const LOGGED_JSON_BYTES = 16 * 1024;
/** Characters kept of a body that is not kept parsed. */
const LOGGED_TEXT_CHARS = 1000;
/** Default bound of the memory all kept entries take, as estimated by `entrySize`. */
const DEFAULT_REQUEST_LOG_BYTES = 64 * 1024 * 1024;
/** Command strings are cut to this length (an unknown command can be as long as the request line). */
const LOGGED_COMMAND_CHARS = 200;
/** What an entry takes besides its strings and body: the object and its slots. */
const ENTRY_OVERHEAD = 200;
/** What a JSON object or array, or an element of one, takes at most once parsed, besides its text. */
const PARSED_SLOT_BYTES = 32;

/** What a request to keep is made of: the body as received, before the log decides what to keep of it. */
interface ReceivedRequest {
  command: string;
  sdkAppId: string | null;
  identifier: string | null;
  random: string | null;
  /** The body as received. */
  text: string;
  /** The body parsed, or undefined when it is not JSON. */
  parsed: unknown;
}

function stringBytes(value: string | null): number {
  return value === null ? 0 : value.length * 2;
}

/**
 * Memory the parsed form of a JSON text takes at most, without walking it: twice its length (strings
 * are UTF-16 at worst) and a slot per object, array and element (each `{`, `[` and `,`, counted in
 * strings too, which only overestimates).
 */
function parsedSize(text: string): number {
  let slots = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x2c) slots++;
  }
  return text.length * 2 + slots * PARSED_SLOT_BYTES;
}

/** Keeps what a request says, and bounds it: a body is kept parsed only when it is small. */
interface Kept {
  entry: RecordedRequest;
  /** Memory the entry takes, as estimated. */
  size: number;
}

function keep(request: ReceivedRequest): Kept {
  const { text, parsed } = request;
  const bodyBytes = Buffer.byteLength(text);
  const whole = parsed !== undefined && bodyBytes <= LOGGED_JSON_BYTES;
  const body = whole ? parsed : text.slice(0, LOGGED_TEXT_CHARS);
  const command = request.command.slice(0, LOGGED_COMMAND_CHARS);
  const entry: RecordedRequest = {
    command,
    sdkAppId: request.sdkAppId,
    identifier: request.identifier,
    random: request.random,
    body,
    bodyBytes,
    truncated: !whole && text.length > LOGGED_TEXT_CHARS,
  };
  const size =
    ENTRY_OVERHEAD +
    stringBytes(command) +
    stringBytes(request.sdkAppId) +
    stringBytes(request.identifier) +
    stringBytes(request.random) +
    (whole ? parsedSize(text) : stringBytes(body as string));
  return { entry, size };
}

/**
 * The newest requests, at most `capacity` of them (0 keeps none) and at most `maxBytes` of memory as
 * estimated (the oldest go first), and how many were ever received.
 */
export class RequestLog {
  private readonly kept: (Kept | undefined)[] = [];
  /** Index of the oldest kept entry; those before it are dropped, and compacted away now and then. */
  private start = 0;
  private bytes = 0;
  private total = 0;
  private cached: readonly RecordedRequest[] | undefined;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = DEFAULT_REQUEST_LOG_BYTES,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError("requestLogSize must be an integer, 0 or more");
    }
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError("requestLogBytes must be an integer, 0 or more");
    }
  }

  /** How many requests were received, kept or not. */
  get count(): number {
    return this.total;
  }

  /** Counts a request that reached the service; only `record` keeps one. */
  received(): void {
    this.total++;
  }

  /** Keeps a request (one that passed authentication), dropping the oldest past either bound. */
  record(request: ReceivedRequest): void {
    if (this.capacity === 0) return;
    this.cached = undefined;
    const kept = keep(request);
    this.kept.push(kept);
    this.bytes += kept.size;
    while (this.kept.length - this.start > this.capacity || this.bytes > this.maxBytes) {
      this.bytes -= this.kept[this.start]!.size;
      this.kept[this.start++] = undefined;
    }
    if (this.start > 1024 && this.start * 2 > this.kept.length) {
      this.kept.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The kept requests, oldest first, as a frozen array (rebuilt only after new requests). */
  entries(): readonly RecordedRequest[] {
    this.cached ??= Object.freeze(this.kept.slice(this.start).map((kept) => kept!.entry));
    return this.cached;
  }
}
