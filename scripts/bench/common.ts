import { pairsOf } from "../../src/recall/plan.js";
import { type RecallSettings } from "../../src/recall/settings.js";
import { resolveSettings } from "../../src/recall/resolve.js";

export const SDK_APP_ID = 1400000001;
export const SECRET_KEY = "bench-secret-key-7d1e";
/** The API's documented ceiling per SDKAppID and command. */
export const CEILING = 200;

export interface Shape {
  groups: number;
  senders: number;
}

/** What a phase of the benchmark found: lines to print, targets met or missed, figures to keep. */
export interface PhaseReport {
  title: string;
  lines: string[];
  targets: { text: string; met: boolean }[];
  figures: Record<string, unknown>;
}

export function groupIds(prefix: string, shape: Pick<Shape, "groups">): string[] {
  return Array.from({ length: shape.groups }, (_, i) => `${prefix}-group-${String(i).padStart(5, "0")}`);
}

/** A step's inputs that call `url` as the benchmark app's admin, at `callsPerSecond` (the API's ceiling). */
export function appInputs(url: string, callsPerSecond = CEILING): Record<string, string> {
  return {
    "sdk-app-id": String(SDK_APP_ID),
    "secret-key": SECRET_KEY,
    endpoint: url,
    "max-calls-per-second": String(callsPerSecond),
  };
}

/** A step's inputs for every (group, sender) pair of `shape`. */
export function recallInputs(prefix: string, shape: Shape, url: string, more: Record<string, string> = {}) {
  return {
    ...appInputs(url),
    group: groupIds(prefix, shape).join("\n"),
    sender: Array.from({ length: shape.senders }, (_, i) => `user-${String(i).padStart(3, "0")}`).join(","),
    preflight: "false",
    ...more,
  };
}

/** The settings the Action derives from such inputs. */
export function settingsFor(inputs: Record<string, string>): RecallSettings {
  return resolveSettings([
    { get: (spec) => ({ values: [inputs[spec.name] ?? ""] }), label: (spec) => spec.name },
  ]);
}

export function pairCount(settings: RecallSettings): number {
  return [...pairsOf(settings.scopes, settings.senders)].length;
}
