import { appendFileSync, createWriteStream, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecallResult } from "../recall/run.js";

/** GitHub caps a step's outputs at 1 MB in all; `results` keeps below this (in bytes) to leave room for the rest. */
const RESULTS_OUTPUT_LIMIT = 900_000;
/** Room kept for the closing `truncated` entry. */
const TRUNCATION_MARKER_ROOM = 1024;
/** GitHub caps a step summary at 1 MiB; the rows keep below this many bytes. */
const SUMMARY_ROWS_LIMIT = 800_000;
const SUMMARY_FLUSH_ROWS = 200;

function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\|/g, "\\|");
}

/**
 * Takes results as they complete: writes each to the results file (JSON Lines), appends rows to
 * the job summary in chunks, and keeps the `results` output within GitHub's size limit.
 */
export class ResultReport {
  readonly resultsFile: string;
  private readonly file: WriteStream;
  private resultsJson = "";
  private resultsBytes = 0;
  private resultsOmitted = 0;
  private pendingRows: string[] = [];
  private summaryBytes = 0;
  private rowsOmitted = 0;

  constructor(total: number) {
    this.resultsFile = join(
      process.env.RUNNER_TEMP || tmpdir(),
      `tencent-chat-recall-${process.pid}-${Date.now()}.jsonl`,
    );
    this.file = createWriteStream(this.resultsFile);
    this.appendSummary(
      `## Tencent Cloud Chat recall\n\n${total} call(s) of delete_group_msg_by_sender.\n\n` +
        `| group | topic | sender | status | ErrorCode | ErrorInfo | attempts |\n|---|---|---|---|---|---|---|\n`,
    );
  }

  add(result: RecallResult): void {
    const json = JSON.stringify(result);
    this.file.write(json + "\n");
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
    const row =
      `| ${cell(result.group)} | ${cell(result.topic ?? "")} | ${cell(result.sender)} | ` +
      `${result.actionStatus === "OK" ? "✅ OK" : "❌ FAIL"} | ${result.errorCode} | ${cell(result.errorInfo)} | ${result.attempts} |\n`;
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

  async finish(closing: string): Promise<void> {
    this.flushRows();
    const omitted = this.rowsOmitted
      ? `\n${this.rowsOmitted} more row(s) left out to fit GitHub's summary size limit; every result is in the file named by the \`results-file\` output.\n`
      : "";
    this.appendSummary(`${omitted}\n${closing}\n`);
    await new Promise<void>((resolve, reject) =>
      this.file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  private flushRows(): void {
    if (this.pendingRows.length === 0) return;
    this.appendSummary(this.pendingRows.join(""));
    this.pendingRows = [];
  }

  private appendSummary(markdown: string): void {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (path) appendFileSync(path, markdown);
  }
}
