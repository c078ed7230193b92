import type { ActionRun } from "../action.js";
import { mebibytes, round } from "../stats.js";

export function actionFigures(run: ActionRun, calls: number) {
  return {
    exitCode: run.exitCode,
    calls,
    succeeded: Number(run.outputs.succeeded ?? NaN),
    failed: Number(run.outputs.failed ?? NaN),
    seconds: round(run.wallMs / 1000, 2),
    callsPerSecond: round(calls / (run.wallMs / 1000)),
    retries: run.retries,
    maxRssBytes: run.maxRssBytes,
    resultsOutputBytes: Buffer.byteLength(run.outputs.results ?? ""),
    resultsTruncated: (run.outputs.results ?? "").includes('"truncated":true'),
    resultsFileBytes: run.resultsFileBytes,
  };
}

type ActionFigures = ReturnType<typeof actionFigures>;

export function actionLine(label: string, f: ActionFigures): string {
  return (
    `${label.padEnd(34)} exit ${f.exitCode}, ${f.succeeded} OK, ${f.failed} failed, ${f.seconds} s` +
    ` (${f.callsPerSecond} calls/s incl. start-up), retries ${f.retries} | max RSS ${mebibytes(f.maxRssBytes)}` +
    ` | results output ${mebibytes(f.resultsOutputBytes)}${f.resultsTruncated ? " (truncated)" : ""},` +
    ` results file ${mebibytes(f.resultsFileBytes)}`
  );
}
