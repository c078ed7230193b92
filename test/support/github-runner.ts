import { runStep, type StepOptions, type StepResult } from "../../scripts/support/runner.js";
import { parseWorkflowCommands, type WorkflowCommand } from "./workflow-commands.js";

export interface StepRun extends StepResult {
  /** The workflow commands the runner would act on, from stdout and stderr, as it parses them. */
  commands: WorkflowCommand[];
  /** Lines the runner would show as they are. */
  lines: string[];
  /** Values of add-mask commands. */
  masks: string[];
  /** Messages of error annotations. */
  errors: string[];
  /** Messages of warning annotations. */
  warnings: string[];
}

/** Runs `node dist/index.cjs` as the GitHub runner does, and reads what it wrote as the runner reads it. */
export async function runAction(inputs: Record<string, string>, options: StepOptions = {}): Promise<StepRun> {
  const step = await runStep(inputs, options);
  const parsed = parseWorkflowCommands(`${step.stdout}\n${step.stderr}`);
  const data = (command: string) => parsed.commands.filter((c) => c.command === command).map((c) => c.data);
  return {
    ...step,
    commands: parsed.commands,
    lines: parsed.lines,
    masks: data("add-mask"),
    errors: data("error"),
    warnings: data("warning"),
  };
}

/** Everything the runner shows or keeps of a step, with `::add-mask::` commands (which it hides) left out. */
export function visibleText(run: StepRun): string {
  const shown = run.commands
    .filter((c) => c.command !== "add-mask")
    .map((c) => `${c.data} ${JSON.stringify(c.properties)}`);
  return [...run.lines, ...shown, JSON.stringify(run.outputs), run.summary, ...run.resultsFile].join("\n");
}
