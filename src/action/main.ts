import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  describeDuration,
  describeEnd,
  describeOutcome,
  describePair,
  describePlan,
  describeProgress,
  describeRetry,
  runFailed,
} from "../recall/describe.js";
import { InputError } from "../recall/input-error.js";
import { resolveSettings } from "../recall/resolve.js";
import { hadNothing, NOTHING_TO_RECALL } from "../recall/result.js";
import { RecallSession } from "../recall/session.js";
import type { Progress, RecallSummary, ResultEvent } from "../recall/types.js";
import { secretsOf } from "../recall/secret-settings.js";
import { countsMade, type RecallSettings, type Source } from "../recall/settings.js";
import { describeCause, FailureCauses } from "./causes.js";
import { codeSpan } from "./markdown.js";
import { ResultReport } from "./report.js";
import { annotate, debug, fail, getInput, mask, setOutput } from "./runner.js";
import { StepLog } from "./step-log.js";

const FAILURE_TITLE = "Tencent Cloud Chat recall failed";
/** GitHub shows this many error annotations of a step; later failures are logged as lines. */
const MAX_FAILURE_ANNOTATIONS = 10;
/** A progress line this often, so a long run shows it is alive. */
const PROGRESS_INTERVAL_MS = 5000;

function inputSource(): Source {
  return { get: (spec) => ({ values: [getInput(spec.name)] }), label: (spec) => `Input "${spec.name}"` };
}

/** Logs each result, a line each; failures are annotated at the end, once per cause. */
function resultRenderer(log: StepLog): (event: ResultEvent) => void {
  return ({ result, message }) => {
    const counted = result.messages === null ? "" : `, ${result.messages} message(s)`;
    const nothing = hadNothing(result) ? `: ${NOTHING_TO_RECALL}` : "";
    if (result.outcome === "recalled")
      log.pair(`OK   ${describePair(result)} (${result.attempts} attempt(s)${counted})${nothing}`);
    if (result.outcome === "dry-run")
      log.pair(`DRY  ${describePair(result)}${nothing || `: ${result.messages} message(s) to recall`}`);
    if (result.outcome === "failed") log.pair(`FAIL ${message!}`);
  };
}

/** Annotates the failures, once per cause, the causes that failed most pairs first, as many as GitHub shows. */
function annotateCauses(causes: FailureCauses, log: StepLog): void {
  const all = causes.list();
  for (const cause of all.slice(0, MAX_FAILURE_ANNOTATIONS))
    annotate("error", describeCause(cause), FAILURE_TITLE);
  const more = all.length - MAX_FAILURE_ANNOTATIONS + causes.uncounted;
  if (more > 0)
    log.line(`${more} more cause(s) of failure are in the log above, the job summary and the results.`);
}

/** How the run ended, for the top of the job summary: the verdict, then what it did and how fast. */
function verdictMarkdown(
  summary: RecallSummary,
  settings: RecallSettings,
  progress: Progress,
  causes: FailureCauses,
): string {
  const outcome = describeOutcome(summary, settings);
  const seconds = progress.elapsedMs / 1000;
  const lines = [
    `### ${runFailed(summary) ? "❌" : "✅"} ${outcome}`,
    ...(summary.stopCause ? [`Stopped early: ${codeSpan(summary.stopCause.message)}`] : []),
    // The failures by cause follow; without them (a stop), the first failure is said here.
    ...(summary.firstFailure && causes.list().length === 0
      ? [`First failure: ${codeSpan(summary.firstFailure.message!)}`]
      : []),
    ...(summary.archiveFile ? [`Archive: ${codeSpan(summary.archiveFile)}`] : []),
    `Took ${describeDuration(seconds)}${seconds > 0 ? `, ${(progress.done / seconds).toFixed(1)} pairs/s` : ""}.`,
  ];
  return lines.join("\n\n");
}

/** Sets the outputs; when they cannot be written, why (the first failure), else undefined. */
function writeOutputs(summary: RecallSummary, settings: RecallSettings, report: ResultReport) {
  try {
    setOutputs(summary, settings, report);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A count the run made, or empty when it did not count it: never a 0 that was not counted. */
function counted(count: number | undefined, made: boolean): number | string {
  return made && count !== undefined ? count : "";
}

function setOutputs(summary: RecallSummary, settings: RecallSettings, report: ResultReport): void {
  const first = summary.firstFailure?.result;
  const { stopCause } = summary;
  setOutput("action-status", runFailed(summary) ? "FAIL" : "OK");
  setOutput("error-code", first?.errorCode ?? stopCause?.code ?? 0);
  setOutput("error-info", first?.errorInfo ?? stopCause?.message ?? "");
  setOutput("succeeded", summary.recalled);
  setOutput("failed", summary.failed);
  setOutput("skipped", summary.skipped);
  setOutput("not-attempted", summary.notAttempted);
  const made = countsMade(settings);
  setOutput("matched-messages", counted(summary.matchedMessages, made.matched));
  setOutput("recalled-messages", counted(summary.recalledMessages, made.recalled));
  setOutput("remaining-messages", counted(summary.remainingMessages, made.remaining));
  setOutput("archived-messages", counted(summary.archivedMessages, summary.archiveFile !== undefined));
  setOutput("archive-file", summary.archiveFile ?? "");
  setOutput("results", report.resultsOutput());
  setOutput("results-file", report.resultsFile);
}

/** The Action: inputs → one recall session → log, annotations, outputs, summary and exit code. */
export async function run(): Promise<void> {
  const inputs = [inputSource()];
  const secrets = secretsOf(inputs, mask);
  const log = new StepLog();
  const crash = (error: unknown): void => {
    log.close();
    fail(`Unexpected failure: ${secrets.redact(error instanceof Error ? error.message : String(error))}`);
  };
  // What is left running after an error nobody caught could hold the step open: end it.
  const crashOut = (error: unknown): never => {
    crash(error);
    process.exit();
  };
  process.on("uncaughtException", crashOut);
  process.on("unhandledRejection", crashOut);
  try {
    const settings = resolveSettings(inputs, {
      baseDirectory: process.env.GITHUB_WORKSPACE || process.cwd(),
      baseDirectoryName: "the workspace",
      defaultArchive: join(
        process.env.RUNNER_TEMP || tmpdir(),
        `tencent-chat-recall-${process.pid}-archive.jsonl`,
      ),
    });
    const warn = (message: string): void => annotate("warning", secrets.redact(message));
    const render = resultRenderer(log);
    const causes = new FailureCauses();
    const session = new RecallSession(settings, {
      secrets,
      events: {
        result: (event) => {
          report.add(event.result);
          causes.add(event);
          render(event);
        },
        retry: (e) => debug(describeRetry(e)),
        warning: warn,
        notice: (message) => log.line(message),
        stopped: (cause) => annotate("error", cause.message, "Tencent Cloud Chat recall stopped"),
      },
    });
    const plan = describePlan(settings);
    const report = new ResultReport(plan, warn);
    process.once("SIGINT", () => session.cancel());
    process.once("SIGTERM", () => session.cancel(0));
    log.line(plan);
    const progress = setInterval(() => log.line(describeProgress(session.progress)), PROGRESS_INTERVAL_MS);
    const summary = await session.run().finally(() => clearInterval(progress));
    const end = describeEnd(summary, settings);
    log.line(end);
    annotateCauses(causes, log);
    if (summary.archiveFile) log.line(`Archive: ${summary.archiveFile}`);
    const unwritten = writeOutputs(summary, settings, report);
    if (unwritten) {
      // The recall is done, but the workflow cannot see how it went: say so, and where the results are.
      const results = report.resultsFile
        ? `the results are in ${report.resultsFile}`
        : "no results file could be written either; the results are in this log and the job summary";
      fail(
        secrets.redact(
          `The recall ended: ${end} But its outputs could not be written to GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT ?? ""}): ${unwritten}. The workflow cannot read them, so the step fails; ${results}.`,
        ),
      );
    }
    const verdict =
      verdictMarkdown(summary, settings, session.progress, causes) +
      (unwritten
        ? `\n\n**The step's outputs could not be written** (GITHUB_OUTPUT: ${codeSpan(secrets.redact(unwritten))}), so the step failed${report.resultsFile ? `; the results are in ${codeSpan(report.resultsFile)}` : ""}.`
        : "");
    report.finish({ markdown: verdict, causes: causes.list() });
    if (runFailed(summary)) process.exitCode = 1;
  } catch (error) {
    log.close();
    if (error instanceof InputError) fail(secrets.redact(error.message));
    else crash(error);
  }
}
