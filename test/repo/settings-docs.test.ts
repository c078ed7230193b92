import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { settingsDocs } from "../../scripts/settings-docs.js";
import { SETTINGS } from "../../src/recall/settings.js";

const generated = await settingsDocs();

describe("what users read of the settings comes from their one declaration", () => {
  it.each([...generated.keys()])("%s is as `npm run docs` writes it", (path) => {
    expect(readFileSync(path, "utf8"), `${path} differs from the settings: run npm run docs`).toBe(
      generated.get(path),
    );
  });

  it("gives action.yml every setting, whole, with its default", () => {
    const { inputs } = parse(generated.get("action.yml")!) as {
      inputs: Record<string, { description: string; default?: string }>;
    };
    expect(Object.keys(inputs)).toEqual(SETTINGS.map((s) => s.name));
    for (const spec of SETTINGS) {
      expect(inputs[spec.name]!.description).toContain(spec.description);
      expect(inputs[spec.name]!.default).toBe(spec.default);
    }
  });

  it("gives the README a row for every input and every Pulumi argument", () => {
    const readme = generated.get("README.md")!;
    for (const spec of SETTINGS) {
      expect(readme).toMatch(new RegExp(`^\\| \`${spec.name}\` +\\|`, "m"));
      if (spec.property) expect(readme).toMatch(new RegExp(`^\\| \`${spec.property}\` +\\|`, "m"));
    }
  });
});
