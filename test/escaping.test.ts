import { describe, expect, it } from "vitest";
import { code, codeSpan } from "../src/action/markdown.js";
import { logLine } from "../src/action/runner.js";
import { jsonLine, terminalText } from "../src/cli/terminal.js";
import { parseWorkflowCommands } from "./support/workflow-commands.js";

describe("a runner log line", () => {
  it.each([
    "::error::x",
    "  ::warning::x",
    "\u0085::notice::x",
    "\t\u00a0::add-mask::x",
    "a\n::error::x",
    "a\r::error::x",
    "a ##[error]x",
    "::stop-commands::t",
  ])("never becomes a command: %j", (text) => {
    const parsed = parseWorkflowCommands(logLine(text));
    expect(parsed.commands).toEqual([]);
    expect(parsed.lines).toHaveLength(1);
  });

  it("encodes CR and LF, and leaves % as it is: a plain line is no command's data", () => {
    expect(logLine("50% a\r\nb")).toBe("50% a%0D%0Ab");
  });

  it("is bounded", () => {
    expect(logLine("x".repeat(100_000)).length).toBeLessThan(5000);
  });
});

describe("a Markdown code span", () => {
  it.each([
    ["plain", "` plain `"],
    ["a | b", "` a \\| b `"],
    ["with `tick` and ``two``", "``` with `tick` and ``two`` ```"],
    ["line\nbreak", "` line break `"],
    ["", ""],
  ])("%j → %j", (text, span) => {
    expect(code(text)).toBe(span);
  });

  it("escapes pipes only in table cells: outside a table the backslash would show", () => {
    expect(codeSpan("a | b")).toBe("` a | b `");
    expect(codeSpan("with `tick`\nand more")).toBe("`` with `tick` and more ``");
  });
});

describe("terminal output", () => {
  it("shows control characters and bidirectional overrides as escapes", () => {
    expect(terminalText("a\u001b[31mred\u0007\u009b2J\u202e\nb\tc")).toBe(
      "a\\u001b[31mred\\u0007\\u009b2J\\u202e\\u000ab\tc",
    );
  });

  it("writes JSON lines that are still JSON and carry no raw control character", () => {
    const line = jsonLine({ info: "x\u001b]0;title\u0007\u009b\u2066" });
    expect([...line].filter((c) => c.charCodeAt(0) < 0x20 || /[\u007f-\u009f\u2066]/.test(c))).toEqual([]);
    expect(JSON.parse(line)).toEqual({ info: "x\u001b]0;title\u0007\u009b\u2066" });
  });
});
