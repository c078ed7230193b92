import * as core from "@actions/core";
import { redactUserSig } from "../chat/endpoint.js";
import { explainCode } from "../chat/errors.js";
import {
  createClient,
  describeFailure,
  describeTarget,
  runRecall,
  type RecallResult,
} from "../recall/run.js";
import { InputError } from "../recall/validate.js";
import { readInputs } from "./inputs.js";
import { ResultReport } from "./report.js";

function logResult(result: RecallResult): void {
  if (result.actionStatus === "OK") {
    core.info(`OK   ${describeTarget(result)} (${result.attempts} attempt(s))`);
  } else {
    core.error(describeFailure(result), { title: "Tencent Cloud Chat recall failed" });
  }
}

/** The Action: inputs → recall of every (group or topic, sender) pair → outputs, summary, exit code. */
export async function run(): Promise<void> {
  try {
    const { targets, connection } = readInputs();
    core.info(
      `Recalling the messages of ${targets.length} (group or topic, sender) pair(s) at up to ${connection.maxCallsPerSecond} calls/s.`,
    );
    const report = new ResultReport(targets.length);
    const client = createClient(connection, {
      onSecret: (secret) => core.setSecret(secret),
      onRetry: (e) =>
        core.info(
          `Retrying ${e.command} (attempt ${e.attempt} got ErrorCode ${e.code}, ${explainCode(e.code)}: ${e.info}) in ${Math.round(e.delayMs)} ms`,
        ),
    });
    const summary = await runRecall(client, targets, (result) => {
      report.add(result);
      logResult(result);
    }).finally(() => client.close());

    const first = summary.firstFailure;
    const closing = first
      ? `**${summary.failed} of ${targets.length} call(s) failed.** First: ${describeFailure(first)}`
      : `All ${targets.length} call(s) succeeded.`;
    await report.finish(closing);
    core.setOutput("action-status", first ? "FAIL" : "OK");
    core.setOutput("error-code", first?.errorCode ?? 0);
    core.setOutput("error-info", first?.errorInfo ?? "");
    core.setOutput("succeeded", summary.succeeded);
    core.setOutput("failed", summary.failed);
    core.setOutput("results", report.resultsOutput());
    core.setOutput("results-file", report.resultsFile);
    core.info(closing.replace(/\*\*/g, ""));
    if (first) process.exitCode = 1;
  } catch (error) {
    if (error instanceof InputError) core.setFailed(error.message);
    else core.setFailed(`Unexpected failure: ${redactUserSig((error as Error).message)}`);
  }
}
