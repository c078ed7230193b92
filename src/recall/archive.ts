import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import type { HistoryMessage } from "./history.js";
import type { Scope } from "./types.js";

/** The archive stops taking messages at this size: every file we write is bounded. */
const MAX_ARCHIVE_BYTES = 1024 ** 3;

/**
 * The evidence of a run: each message about to be recalled, one JSON line (group, topic, seq,
 * time, sender, and `MsgRandom` and `MsgBody` as the server answered them), appended to a file only
 * its owner may read, and on disk before the write returns.
 */
export class Archive {
  private bytes: number;
  private archived = 0;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    this.bytes = fstatSync(fd).size;
  }

  /** Opens the file to append to; it is created when it does not exist. */
  static open(path: string): Archive {
    return new Archive(path, openSync(path, "a", 0o600));
  }

  /** Messages written so far. */
  get count(): number {
    return this.archived;
  }

  /** Writes the messages of a group or topic; they count as archived once all are on disk, else it throws. */
  write(scope: Scope, messages: readonly HistoryMessage[]): void {
    if (messages.length === 0) return;
    const text = messages
      .map((m) =>
        JSON.stringify({
          group: scope.group,
          topic: scope.topic ?? null,
          seq: m.seq,
          time: m.time,
          sender: m.from,
          MsgRandom: m.random ?? null,
          MsgBody: m.body ?? null,
        }),
      )
      .join("\n");
    const data = Buffer.from(text + "\n");
    if (this.bytes + data.length > MAX_ARCHIVE_BYTES)
      throw new Error(`the archive would pass its limit of ${MAX_ARCHIVE_BYTES} bytes`);
    try {
      for (let at = 0; at < data.length;) at += writeSync(this.fd, data, at);
      fsyncSync(this.fd);
    } catch (error) {
      // A line cut short would join the next one: the file goes back to its last whole line.
      ftruncateSync(this.fd, this.bytes);
      throw error;
    }
    this.bytes += data.length;
    this.archived += messages.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}
