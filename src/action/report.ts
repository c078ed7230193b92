import { appendFileSync, closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PairResult } from "../recall/types.js";
import { code, tableRow } from "./markdown.js";

/** GitHub caps a step's outputs at 1 MB in all; `results` keeps below this (in bytes) to leave room for the rest. */
const RESULTS_OUTPUT_LIMIT = 900_000;
/** Room kept for the closing `truncated` entry. */
const TRUNCATION_MARKER_ROOM = 1024;
/** GitHub caps a step summary at 1 MiB; the rows keep below this many bytes. */
const SUMMARY_ROWS_LIMIT = 800_000;
const SUMMARY_FLUSH_ROWS = 200;
/** Results are written to their file in chunks of about this many characters. */
const RESULTS_FLUSH_CHARS = 64 * 1024;

const OUTCOME_CELLS: Record<PairResult["outcome"], string> = {
  recalled: "✅ recalled",
  "dry-run": "🔍 dry run",
  skipped: "⏭️ skipped",
  failed: "❌ failed",
  "not-attempted": "⛔ not attempted",
};

/**
 * The results file, JSON Lines, written in chunks with plain writes: a write stream would load
 * Node's whole stream and file-handle machinery into every step's start-up.
 */
class ResultsFile {
  private pending = "";
  private broken = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** Creates the file in the first directory that takes it (RUNNER_TEMP, then the system's temporary directory). */
  static create(warn: (message: string) => void): ResultsFile | undefined {
    const name = `tencent-chat-recall-${process.pid}-${Date.now()}.jsonl`;
    const dirs = [process.env.RUNNER_TEMP, tmpdir()].filter((d): d is string => Boolean(d));
    for (const dir of [...new Set(dirs)]) {
      const path = join(dir, name);
      try {
        return new ResultsFile(path, openSync(path, "wx"), warn);
      } catch {
        // try the next directory
      }
    }
    warn(`No results file was written: neither RUNNER_TEMP nor ${tmpdir()} could be written to.`);
    return undefined;
  }

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= RESULTS_FLUSH_CHARS) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (!this.broken && this.pending) {
      try {
        appendFileSync(this.fd, this.pending);
      } catch (error) {
        this.broken = true;
        this.warn(`The results file ${this.path} could not be written: ${(error as Error).message}`);
      }
    }
    this.pending = "";
  }
}

/**
 * Takes results as they complete: writes each to the results file (JSON Lines), appends rows to
 * the job summary in chunks, and keeps the `results` output within GitHub's size limit.
 */
export class ResultReport {
  readonly resultsFile: string;
  private readonly file: ResultsFile | undefined;
  private resultsJson = "";
  private resultsBytes = 0;
  private resultsOmitted = 0;
  private pendingRows: string[] = [];
  private summaryBytes = 0;
  private rowsOmitted = 0;
  private summaryBroken = false;

  constructor(
    heading: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = ResultsFile.create(warn);
    this.resultsFile = this.file?.path ?? "";
    this.appendSummary(
      `## Tencent Cloud Chat recall\n\n${heading}\n\n` +
        tableRow(["group", "topic", "sender", "outcome", "ErrorCode", "ErrorInfo", "messages", "attempts"]) +
        tableRow(["---", "---", "---", "---", "---", "---", "---", "---"]),
    );
  }

  add(result: PairResult): void {
    const json = JSON.stringify(result);
    this.file?.write(json + "\n");
    const jsonBytes = Buffer.byteLength(json) + 1;
    if (
      !this.resultsOmitted &&
      this.resultsBytes + jsonBytes + TRUNCATION_MARKER_ROOM < RESULTS_OUTPUT_LIMIT
    ) {
      this.resultsJson += (this.resultsJson ? "," : "") + json;
      this.resultsBytes += jsonBytes;
    } else {
      this.resultsOmitted++;
    }
    const row = tableRow([
      code(result.group),
      code(result.topic ?? ""),
      code(result.sender),
      OUTCOME_CELLS[result.outcome],
      String(result.errorCode),
      code(result.errorInfo),
      result.messages === null ? "" : String(result.messages),
      String(result.attempts),
    ]);
    const rowBytes = Buffer.byteLength(row);
    if (!this.rowsOmitted && this.summaryBytes + rowBytes < SUMMARY_ROWS_LIMIT) {
      this.summaryBytes += rowBytes;
      this.pendingRows.push(row);
      if (this.pendingRows.length >= SUMMARY_FLUSH_ROWS) this.flushRows();
    } else {
      this.rowsOmitted++;
    }
  }

  /** The `results` output: every result, or as many as fit followed by a `truncated` marker. */
  resultsOutput(): string {
    const marker = this.resultsOmitted
      ? `${this.resultsJson ? "," : ""}${JSON.stringify({ truncated: true, omitted: this.resultsOmitted, resultsFile: this.resultsFile })}`
      : "";
    return `[${this.resultsJson}${marker}]`;
  }

  /** Ends the summary with `closing` (Markdown of ours; outside text in it already escaped) and closes the file. */
  finish(closing: string): void {
    this.flushRows();
    const omitted = this.rowsOmitted
      ? `\n${this.rowsOmitted} more row(s) left out to fit GitHub's summary size limit; every result is in the file named by the \`results-file\` output.\n`
      : "";
    this.appendSummary(`${omitted}\n${closing}\n`);
    this.file?.close();
  }

  private flushRows(): void {
    if (this.pendingRows.length === 0) return;
    this.appendSummary(this.pendingRows.join(""));
    this.pendingRows = [];
  }

  private appendSummary(markdown: string): void {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path || this.summaryBroken) return;
    try {
      appendFileSync(path, markdown);
    } catch (error) {
      this.summaryBroken = true;
      this.warn(`The job summary could not be written: ${(error as Error).message}`);
    }
  }
}
