import { appendFileSync, closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PairResult } from "../recall/types.js";
import type { FailureCause } from "./causes.js";
import { code, tableRow } from "./markdown.js";

/** GitHub caps a step's outputs at 1 MB in all; `results` keeps below this (in bytes) to leave room for the rest. */
const RESULTS_OUTPUT_LIMIT = 900_000;
/** Room kept for the closing `truncated` entry. */
const TRUNCATION_MARKER_ROOM = 1024;
/** GitHub caps a step summary at 1 MiB; the rows keep below this many bytes. */
const SUMMARY_ROWS_LIMIT = 800_000;
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

/** What the summary says before the table: the verdict, and the failures by cause. */
interface Verdict {
  /** Markdown of ours, outside text in it already escaped. */
  markdown: string;
  causes: readonly FailureCause[];
}

/** Above this many rows, the table is folded in a `<details>` block. */
const FOLD_ROWS = 20;
/** Causes listed in the summary at most. */
const LISTED_CAUSES = 20;

/**
 * Takes results as they complete: writes each to the results file (JSON Lines), keeps the
 * `results` output within GitHub's size limit, and keeps the summary's rows (within its size limit)
 * until the end, when the summary is written verdict first, then the failures by cause, then the
 * rows.
 */
export class ResultReport {
  readonly resultsFile: string;
  private readonly file: ResultsFile | undefined;
  private resultsJson = "";
  private resultsBytes = 0;
  private resultsOmitted = 0;
  private readonly rows: PairResult[] = [];
  private rowBytes = 0;
  private rowsOmitted = 0;

  constructor(
    private readonly heading: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = ResultsFile.create(warn);
    this.resultsFile = this.file?.path ?? "";
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
    if (this.rowsOmitted) {
      this.rowsOmitted++;
      return;
    }
    // A row is measured with every column: the table's own rows may leave out topic and reads.
    const rowBytes = Buffer.byteLength(tableRow(rowCells(result, EVERY_COLUMN)));
    if (this.rowBytes + rowBytes < SUMMARY_ROWS_LIMIT) {
      this.rowBytes += rowBytes;
      this.rows.push(result);
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

  /** Writes the summary, verdict first, and closes the results file. */
  finish(verdict: Verdict): void {
    this.appendSummary(
      `## Tencent Cloud Chat recall\n\n${verdict.markdown}\n\n${this.heading}\n\n${causesMarkdown(verdict.causes)}${this.tableMarkdown()}`,
    );
    this.file?.close();
  }

  private tableMarkdown(): string {
    if (this.rows.length === 0) return "";
    const shown: Columns = {
      topics: this.rows.some((r) => r.topic !== null),
      reads: this.rows.some((r) => r.reads > 0),
    };
    const columns = [
      "group",
      ...(shown.topics ? ["topic"] : []),
      "sender",
      "outcome",
      "ErrorCode",
      "ErrorInfo",
      "messages",
      "attempts",
      ...(shown.reads ? ["reads"] : []),
    ];
    const rows = this.rows.map((r) => tableRow(rowCells(r, shown)));
    const table = tableRow(columns) + tableRow(columns.map(() => "---")) + rows.join("");
    const omitted = this.rowsOmitted
      ? `\n${this.rowsOmitted} more row(s) left out to fit GitHub's summary size limit; every result is in the file named by the \`results-file\` output.\n`
      : "";
    const body = `${table}${omitted}`;
    const heading = `Every pair (${this.rows.length + this.rowsOmitted})`;
    if (this.rows.length <= FOLD_ROWS) return `### ${heading}\n\n${body}`;
    return `### Every pair\n\n<details><summary>${heading}</summary>\n\n${body}\n</details>\n`;
  }

  private appendSummary(markdown: string): void {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path) return;
    try {
      appendFileSync(path, markdown);
    } catch (error) {
      this.warn(`The job summary could not be written: ${(error as Error).message}`);
    }
  }
}

/** The table's columns that some runs leave out. */
interface Columns {
  topics: boolean;
  reads: boolean;
}

const EVERY_COLUMN: Columns = { topics: true, reads: true };

function rowCells(r: PairResult, { topics, reads }: Columns): string[] {
  return [
    code(r.group),
    ...(topics ? [code(r.topic ?? "")] : []),
    code(r.sender),
    OUTCOME_CELLS[r.outcome],
    r.actionStatus === "FAIL" ? String(r.errorCode) : "",
    code(r.errorInfo),
    r.messages === null ? "" : String(r.messages),
    String(r.attempts),
    ...(reads ? [String(r.reads)] : []),
  ];
}

/** The failures, a row per cause with how many pairs it failed, most first. */
function causesMarkdown(causes: readonly FailureCause[]): string {
  if (causes.length === 0) return "";
  const rows = causes
    .slice(0, LISTED_CAUSES)
    .map((c) => tableRow([String(c.pairs), code(c.message), code(c.examples.join("; "))]));
  const more =
    causes.length > LISTED_CAUSES
      ? `\n${causes.length - LISTED_CAUSES} more cause(s) in the table below.\n`
      : "";
  return `### Failures by cause\n\n${tableRow(["pairs", "first failure", "pairs it failed"])}${tableRow(["---", "---", "---"])}${rows.join("")}${more}\n`;
}
