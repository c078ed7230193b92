import { endGroup, info, startGroup } from "./runner.js";

/**
 * The step's log: each pair's line goes into a collapsed group, closed whenever a line of the run's
 * own (the plan, progress, the outcome) is written, so a log of 20,000 pairs stays readable.
 * Failures are annotations besides, visible whether their group is open or not.
 */
export class StepLog {
  private grouped = false;

  pair(text: string): void {
    if (!this.grouped) startGroup("Pairs");
    this.grouped = true;
    info(text);
  }

  line(text: string): void {
    this.close();
    info(text);
  }

  close(): void {
    if (this.grouped) endGroup();
    this.grouped = false;
  }
}
