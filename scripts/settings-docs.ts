import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { parseDocument } from "yaml";
import { argumentTypes, configKey } from "../src/pulumi/names.js";
import { environmentVariable, SETTINGS, type SettingSpec } from "../src/recall/settings.js";

/*
 * Writes what users read about the settings from their one declaration (src/recall/settings.ts):
 * action.yml's inputs, the README's tables of Action inputs and Pulumi arguments, and the Pulumi
 * argument types. `npm run docs` writes them; a test fails when a file differs from what this makes.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The text of an Action input: the setting's description, and what it may be given with. */
function inputDescription(spec: SettingSpec): string {
  return spec.orSetting ? `${spec.description} Give this or ${spec.orSetting}.` : spec.description;
}

function actionYml(current: string): string {
  const doc = parseDocument(current);
  const inputs = Object.fromEntries(
    SETTINGS.map((spec) => [
      spec.name,
      {
        description: inputDescription(spec),
        required: spec.required === true,
        ...(spec.default === undefined ? {} : { default: spec.default }),
      },
    ]),
  );
  doc.set("inputs", doc.createNode(inputs));
  return doc.toString({ lineWidth: 0 });
}

/** A table cell of our own text: pipes and asterisks taken as they are written. */
function cell(text: string): string {
  return text.replace(/[|*]/g, "\\$&");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function actionInputsTable(): string {
  const rows = SETTINGS.map((spec) => [
    `\`${spec.name}\``,
    spec.required ? "yes" : spec.orSetting ? `this or \`${spec.orSetting}\`` : "no",
    spec.default === undefined ? "" : `\`${spec.default}\``,
    cell(spec.description),
  ]);
  return table(["input", "required", "default", "meaning"], rows);
}

const PROPERTIES = SETTINGS.filter((s) => s.property !== undefined);

/** Where else a Pulumi argument is read from when the resource does not set it. */
function fallbacks(spec: SettingSpec): string[] {
  return [
    ...(spec.stackConfig ? [`\`${configKey(spec.property!)}\``] : []),
    ...(spec.environment ? [`\`${environmentVariable(spec)}\``] : []),
  ];
}

function propertyText(spec: SettingSpec): string {
  const where = fallbacks(spec);
  return [
    spec.propertyDescription ?? spec.description,
    ...(where.length ? [`Else ${where.join(", else ")}.`] : []),
    ...(spec.default === undefined ? [] : [`Default \`${spec.default}\`.`]),
  ].join(" ");
}

const TRIGGERS_TEXT = "Any list of values; a change recalls again.";
/** `triggers` is the resource's own argument, listed after what it recalls. */
const TRIGGERS_AT = PROPERTIES.findIndex((s) => s.name === "topic") + 1;

function pulumiArgumentsTable(): string {
  const rows = PROPERTIES.map((spec) => [`\`${spec.property}\``, cell(propertyText(spec))]);
  rows.splice(TRIGGERS_AT, 0, ["`triggers`", TRIGGERS_TEXT]);
  return table(["argument", "meaning"], rows);
}

function propertyType(spec: SettingSpec): string {
  if (spec.choices) return spec.choices.map((c) => JSON.stringify(c)).join(" | ");
  return argumentTypes(spec).join(" | ");
}

function pulumiArgs(): string {
  const member = (spec: SettingSpec) => {
    const required = spec.name === "group" || spec.name === "sender";
    const type = `pulumi.Input<${propertyType(spec)}>`;
    const declared = required ? `${spec.property}: ${type};` : `${spec.property}?: ${type} | undefined;`;
    return `  /** ${propertyText(spec).replace(/\*\//g, "*\\/")} */\n  ${declared}`;
  };
  const members = PROPERTIES.map(member);
  members.splice(
    TRIGGERS_AT,
    0,
    `  /** ${TRIGGERS_TEXT} */\n  triggers?: pulumi.Input<pulumi.Input<unknown>[]> | undefined;`,
  );
  return `// Written by \`npm run docs\` from src/recall/settings.ts.
import type * as pulumi from "@pulumi/pulumi";

export interface GroupMessageRecallArgs {
${members.join("\n")}
}
`;
}

function between(text: string, name: string, content: string): string {
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n\n${text.slice(to)}`;
}

async function formatted(text: string, path: string): Promise<string> {
  const options = await prettier.resolveConfig(path);
  return prettier.format(text, { ...options, filepath: path });
}

/** Every generated file, by path from the repository root, as it should be. */
export async function settingsDocs(): Promise<Map<string, string>> {
  const read = (path: string) => readFileSync(`${ROOT}/${path}`, "utf8");
  let readme = read("README.md");
  readme = between(readme, "settings:action-inputs", actionInputsTable());
  readme = between(readme, "settings:pulumi-arguments", pulumiArgumentsTable());
  const files = new Map([
    ["action.yml", actionYml(read("action.yml"))],
    ["README.md", readme],
    ["src/pulumi/args.ts", pulumiArgs()],
  ]);
  for (const [path, text] of files) files.set(path, await formatted(text, `${ROOT}/${path}`));
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of await settingsDocs()) writeFileSync(`${ROOT}/${path}`, text);
}
