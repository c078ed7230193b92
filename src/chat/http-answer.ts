/** Answers longer than this are not read: the attempt fails instead. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** A status line and headers longer than this are not an answer we read. */
const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line (with its extensions) longer than this is not one. */
const MAX_CHUNK_LINE_BYTES = 1024;
const HEAD_END = "\r\n\r\n";
const OVER_LIMIT = `answer is over the ${MAX_ANSWER_BYTES}-byte limit`;

/** What an answer's head says about its body and the connection. */
interface Head {
  status: number;
  /** The body's length in bytes, "chunked", or "close" when it ends with the connection. */
  length: number | "chunked" | "close";
  /** Whether the connection may carry another request after this answer. */
  reusable: boolean;
  /** How long the server keeps the connection open while it is idle, when it says (`Keep-Alive: timeout=`). */
  keepAliveMs: number | undefined;
  retryAfter: string | undefined;
}

export type AnswerRead =
  ({ body: string } & Pick<Head, "status" | "reusable" | "keepAliveMs" | "retryAfter">) | { problem: string };

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/;
const DIGITS = /^\d{1,15}$/;
const KEEP_ALIVE_TIMEOUT = /(?:^|,)\s*timeout\s*=\s*(\d{1,9})\s*(?:,|$)/i;
/** A chunk size: hex digits, leading zeros aside, few enough to be a number. */
const CHUNK_SIZE = /^0*([0-9a-f]{1,8})$/i;
const STATUS_LINE_START = "HTTP/1.";
const NOT_A_STATUS_LINE = "the answer does not start with an HTTP/1.x status line";

/** Reads an answer's status line and headers (latin1 text up to the blank line), or says why it cannot. */
function readHead(text: string): Head | string {
  const lines = text.split("\r\n");
  const statusLine = STATUS_LINE.exec(lines[0]!);
  if (!statusLine) return NOT_A_STATUS_LINE;
  const status = Number(statusLine[2]);
  let length: number | undefined;
  let chunked: boolean | undefined;
  let connection = "";
  let keepAliveMs: number | undefined;
  let retryAfter: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0 || /\s/.test(line.slice(0, colon)))
      return "the answer has an HTTP header line it cannot be read by";
    const value = line.slice(colon + 1).trim();
    switch (line.slice(0, colon).toLowerCase()) {
      case "content-length":
        if (!DIGITS.test(value) || (length !== undefined && length !== Number(value)))
          return "the answer's Content-Length cannot be read";
        length = Number(value);
        break;
      case "transfer-encoding":
        chunked = /(?:^|,)\s*chunked$/i.test(value);
        break;
      case "connection":
        connection += `,${value.toLowerCase()}`;
        break;
      case "keep-alive": {
        const seconds = KEEP_ALIVE_TIMEOUT.exec(value)?.[1];
        if (seconds !== undefined) keepAliveMs = Number(seconds) * 1000;
        break;
      }
      case "retry-after":
        retryAfter ??= value;
        break;
    }
  }
  const tokens = connection.split(",").map((token) => token.trim());
  let reusable = statusLine[1] === "1" ? !tokens.includes("close") : tokens.includes("keep-alive");
  let body: Head["length"];
  if (status === 204 || status === 304) body = 0;
  else if (chunked !== undefined) {
    // A transfer coding wins over Content-Length; one that is not chunked ends with the connection.
    // An answer with both is suspect: its connection is not used again.
    body = chunked ? "chunked" : "close";
    if (length !== undefined) reusable = false;
  } else body = length ?? "close";
  if (body === "close") reusable = false;
  return { status, length: body, reusable, keepAliveMs, retryAfter };
}

/**
 * Reads one HTTP/1.1 answer from a connection's bytes as they come: its status, its body (by
 * Content-Length, chunked, or up to the end of the connection) and whether the connection may be
 * used again. Interim (1xx) answers are skipped. A body over MAX_ANSWER_BYTES is a problem, found
 * from its declared length before any of it is read where the server declares one.
 */
export class AnswerReader {
  /** Whether any byte of the answer came. */
  started = false;
  private pending: Buffer | undefined;
  private head: Head | undefined;
  private readonly parts: Buffer[] = [];
  private size = 0;
  /** Of a chunked body: bytes left of the current chunk, 0 while a size line is awaited, -1 in the trailers. */
  private chunkLeft = 0;
  /** Whether the CRLF after a chunk's data is still to come. */
  private awaitingChunkEnd = false;

  /** Takes the next bytes: the answer once it is whole, a problem once it cannot be read, else undefined. */
  read(chunk: Buffer): AnswerRead | undefined {
    this.started = true;
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    while (!this.head) {
      const end = data.indexOf(HEAD_END);
      if (end < 0) {
        // Not an answer at all: said at once, not after 64 KiB or the timeout.
        if (!STATUS_LINE_START.startsWith(data.toString("latin1", 0, STATUS_LINE_START.length)))
          return { problem: NOT_A_STATUS_LINE };
        return this.wait(data, MAX_HEAD_BYTES, "the answer's HTTP head is over 64 KiB");
      }
      const head = readHead(data.toString("latin1", 0, end));
      if (typeof head === "string") return { problem: head };
      data = data.subarray(end + HEAD_END.length);
      if (head.status < 200) {
        if (head.status === 101) return { problem: "the server switched protocols" };
        continue;
      }
      if (typeof head.length === "number" && head.length > MAX_ANSWER_BYTES)
        return { problem: `answer of ${head.length} bytes is over the ${MAX_ANSWER_BYTES}-byte limit` };
      this.head = head;
    }
    const { length } = this.head;
    if (length === "chunked") return this.readChunks(data);
    if (length === "close") return this.keep(data);
    const taken = Math.min(length - this.size, data.length);
    this.keep(data.subarray(0, taken));
    // Bytes past the answer were not asked for: the connection is not used again.
    return this.size === length ? this.answer(data.length === taken) : undefined;
  }

  /** The connection ended: the answer, when its body was to end with the connection; else a problem. */
  end(): AnswerRead {
    if (this.head?.length === "close") return this.answer(false);
    return {
      problem: this.started
        ? "connection closed in the middle of the answer"
        : "network error: the connection closed before an answer",
    };
  }

  private readChunks(data: Buffer): AnswerRead | undefined {
    let at = 0;
    while (at < data.length) {
      if (this.chunkLeft > 0) {
        const taken = Math.min(this.chunkLeft, data.length - at);
        const over = this.keep(data.subarray(at, at + taken));
        if (over) return over;
        this.chunkLeft -= taken;
        at += taken;
        continue;
      }
      const lineEnd = data.indexOf("\r\n", at);
      if (lineEnd < 0)
        return this.wait(data.subarray(at), MAX_CHUNK_LINE_BYTES, "a chunk size line is too long");
      const line = data.toString("latin1", at, lineEnd);
      at = lineEnd + 2;
      if (this.chunkLeft < 0) {
        // A trailer line, or the blank line that ends the answer.
        if (line === "") return this.answer(at === data.length);
        continue;
      }
      if (this.awaitingChunkEnd) {
        if (line !== "") return { problem: "a chunk is longer than its size says" };
        this.awaitingChunkEnd = false;
        continue;
      }
      const size = CHUNK_SIZE.exec(line.split(";", 1)[0]!.trim());
      if (!size) return { problem: "a chunk size cannot be read" };
      const bytes = parseInt(size[1]!, 16);
      if (this.size + bytes > MAX_ANSWER_BYTES) return { problem: OVER_LIMIT };
      if (bytes === 0) this.chunkLeft = -1;
      else {
        this.chunkLeft = bytes;
        this.awaitingChunkEnd = true;
      }
    }
    return undefined;
  }

  /** Keeps bytes of the body; a problem once it is over the limit. */
  private keep(piece: Buffer): AnswerRead | undefined {
    if (piece.length === 0) return undefined;
    this.size += piece.length;
    if (this.size > MAX_ANSWER_BYTES) return { problem: OVER_LIMIT };
    this.parts.push(piece);
    return undefined;
  }

  /** Keeps the start of a line for the next bytes, unless it is already too long to be one. */
  private wait(data: Buffer, limit: number, problem: string): AnswerRead | undefined {
    if (data.length > limit) return { problem };
    this.pending = data;
    return undefined;
  }

  private answer(nothingAfter: boolean): AnswerRead {
    const { status, reusable, keepAliveMs, retryAfter } = this.head!;
    const body =
      this.parts.length === 1 ? this.parts[0]!.toString("utf8") : Buffer.concat(this.parts).toString("utf8");
    return { status, body, keepAliveMs, retryAfter, reusable: reusable && nothingAfter };
  }
}
