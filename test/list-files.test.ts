import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/emulator/index.js";
import { InputError } from "../src/recall/input-error.js";
import { resolveSettings, type CheckOptions } from "../src/recall/resolve.js";
import type { Source } from "../src/recall/settings.js";
import { RECALL_COMMAND } from "../src/recall/strategy-silent.js";
import { runCli } from "./support/cli-process.js";
import { APP_ID, appInputs, emulatorWithGroup, SECRET_KEY } from "./support/emulator.js";
import { runAction, visibleText } from "./support/github-runner.js";

/** A line no message may ever show: it stands for a secret in a file that is not a list. */
const SECRET_LINE = "TOKEN=s3cr3t-".repeat(6);

const root = mkdtempSync(join(tmpdir(), "list-files-"));
/** The base directory (the workspace); `outside.txt` is beside it. */
const base = join(root, "workspace");
mkdirSync(base);
const outside = join(root, "outside.txt");
writeFileSync(outside, `@TGS#OUTSIDE\n${SECRET_LINE}\n`);
writeFileSync(join(base, "groups.txt"), "# ours\n@TGS#INSIDE\n");

afterAll(() => rmSync(root, { recursive: true, force: true }));

function inputs(values: Record<string, string>): Source {
  return { get: (spec) => ({ values: [values[spec.name] ?? ""] }), label: (spec) => `Input "${spec.name}"` };
}

const BASE_INPUTS = { sender: "mallory", "sdk-app-id": "1400000001", "secret-key": "k" };

function groups(file: string, options: CheckOptions = {}): string[] {
  const settings = resolveSettings([inputs({ ...BASE_INPUTS, "group-file": file })], {
    baseDirectory: base,
    ...options,
  });
  return settings.scopes.map((s) => s.group);
}

function problem(file: string, options: CheckOptions = {}): InputError {
  try {
    groups(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("a list file is read only inside the base directory", () => {
  it("reads a file inside it, by a relative path or a symbolic link that stays inside", () => {
    expect(groups("groups.txt")).toEqual(["@TGS#INSIDE"]);
    symlinkSync(join(base, "groups.txt"), join(base, "inside-link.txt"));
    expect(groups("inside-link.txt")).toEqual(["@TGS#INSIDE"]);
    writeFileSync(join(base, "..groups.txt"), "@TGS#DOTS\n");
    expect(groups("..groups.txt")).toEqual(["@TGS#DOTS"]);
  });

  it.each([
    ["a path through ..", "../outside.txt"],
    ["an absolute path", outside],
    ["/etc/passwd", "/etc/passwd"],
  ])("refuses %s, and shows nothing of the file", (_, file) => {
    const error = problem(file);
    expect(error.setting).toBe("group-file");
    expect(error.message).toMatch(/^Input "group-file": ".*" is outside the base directory \(/);
    expect(error.message).toContain("list files are read only from there");
    expect(error.message).not.toContain("TOKEN");
    expect(error.message).not.toContain("root:");
  });

  it("refuses a symbolic link that leads outside, naming where it leads", () => {
    symlinkSync(outside, join(base, "outside-link.txt"));
    const error = problem("outside-link.txt");
    expect(error.message).toContain(`"outside-link.txt" leads to ${JSON.stringify(outside)}, outside`);
    expect(error.message).not.toContain("TOKEN");
  });

  it("names the base directory as the front door calls it, and what to do", () => {
    const error = problem(outside, {
      baseDirectoryName: "the current directory",
      outsideBaseRemedy: "Pass --allow-files-outside to read it where it is.",
    });
    expect(error.message).toContain("is outside the current directory (");
    expect(error.message).toMatch(/Pass --allow-files-outside to read it where it is\.$/);
  });

  it("reads a file outside when the front door allows it", () => {
    const error = problem(outside, { allowListFilesOutsideBase: true });
    // The file is read: its second line is refused, by line number, without its content.
    expect(error.message).toBe(
      `Input "group-file": line 2 of ${JSON.stringify(outside)} is not a group ID: it is ${SECRET_LINE.length} bytes; the limit is 48 (the line is not shown).`,
    );
  });
});

describe("a list file is a regular file of bounded size", () => {
  it("refuses a directory", () => {
    mkdirSync(join(base, "lists"), { recursive: true });
    expect(problem("lists").message).toMatch(
      /^Input "group-file": ".*lists" is not a regular file \(a directory\): a list file must be a regular file\.$/,
    );
  });

  it("refuses a device, even where files outside are allowed", () => {
    expect(problem("/dev/zero", { allowListFilesOutsideBase: true }).message).toContain(
      "is not a regular file (a device)",
    );
  });

  it("refuses a file larger than 50 MiB", () => {
    const big = join(base, "big.txt");
    writeFileSync(big, "");
    truncateSync(big, 50 * 1024 * 1024 + 1);
    expect(problem("big.txt").message).toMatch(/^Input "group-file": cannot read ".*big\.txt": larger than/);
  });
});

describe("a refused line of a list file", () => {
  it.each([
    [
      "too long",
      `@TGS#OK\n# comment\n\n${SECRET_LINE}\n`,
      4,
      `it is ${SECRET_LINE.length} bytes; the limit is 48`,
    ],
    [
      "not ASCII",
      "@TGS#OK\nTOKEN=caf\u00e9\n",
      2,
      "it holds control or non-ASCII characters; IDs are printable ASCII",
    ],
    ["with a control character", "TOKEN=a\u0007b\n", 1, "it holds control or non-ASCII characters"],
  ])("is named by its line number, never shown: %s", (_, text, line, reason) => {
    writeFileSync(join(base, "bad.txt"), text);
    const error = problem("bad.txt");
    expect(error.setting).toBe("group-file");
    expect(error.message).toContain(
      `Input "group-file": line ${line} of ${JSON.stringify(join(base, "bad.txt"))}`,
    );
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain("TOKEN");
  });

  it("of senders names the kind of ID", () => {
    writeFileSync(join(base, "senders.txt"), "x".repeat(40));
    const error = (() => {
      try {
        resolveSettings([inputs({ ...BASE_INPUTS, group: "@TGS#A", "sender-file": "senders.txt" })], {
          baseDirectory: base,
        });
      } catch (e) {
        return e as InputError;
      }
      throw new Error("expected an InputError");
    })();
    expect(error.setting).toBe("sender-file");
    expect(error.message).toContain("line 1 of");
    expect(error.message).toContain("is not a user ID: it is 40 bytes; the limit is 32");
    expect(error.message).not.toContain("xxxx");
  });
});

describe("the Action's list files", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  /** A workspace of our own (GITHUB_WORKSPACE), where the test can put links and pipes. */
  function workspace(): string {
    return mkdtempSync(join(root, "step-workspace-"));
  }

  it.each([["../../../../../../../../etc/passwd"], ["/etc/passwd"]])(
    "refuses %s, outside the workspace, before any request and showing nothing of it",
    async (file) => {
      ({ emulator } = await emulatorWithGroup());
      const run = await runAction({ ...appInputs(emulator.url), "group-file": file });
      expect(run.exitCode).toBe(1);
      expect(emulator.requests).toEqual([]);
      expect(run.errors).toEqual([
        expect.stringMatching(/^Input "group-file": ".*passwd" is outside the workspace \(/),
      ]);
      expect(run.errors[0]).toContain("Put the file in the workspace");
      expect(visibleText(run)).not.toContain("root:");
    },
  );

  it("refuses a symbolic link in the workspace that leads outside", async () => {
    ({ emulator } = await emulatorWithGroup());
    const dir = workspace();
    symlinkSync("/etc/passwd", join(dir, "groups.txt"));
    const run = await runAction(
      { ...appInputs(emulator.url), "group-file": "groups.txt" },
      { env: { GITHUB_WORKSPACE: dir } },
    );
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toEqual([
      expect.stringContaining('"groups.txt" leads to "/etc/passwd", outside the workspace'),
    ]);
    expect(visibleText(run)).not.toContain("root:");
  });

  it("refuses a named pipe in the workspace at once, rather than wait for a writer", async () => {
    ({ emulator } = await emulatorWithGroup());
    const dir = workspace();
    execFileSync("mkfifo", [join(dir, "groups.txt")]);
    const run = await runAction(
      { ...appInputs(emulator.url), "group-file": "groups.txt" },
      { env: { GITHUB_WORKSPACE: dir }, timeoutMs: 10_000 },
    );
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input "group-file": ".*groups\.txt" is not a regular file \(a named pipe\): a list file must be a regular file\.$/,
      ),
    ]);
  });

  it("names the line of a bad ID without showing it", async () => {
    ({ emulator } = await emulatorWithGroup());
    const run = await runAction(
      { ...appInputs(emulator.url), "group-file": "groups.txt" },
      { files: { "groups.txt": `@TGS#OK\n${SECRET_LINE}` } },
    );
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input "group-file": line 2 of ".*groups\.txt" is not a group ID: it is 78 bytes; the limit is 48 \(the line is not shown\)\.$/,
      ),
    ]);
    expect(visibleText(run)).not.toContain("TOKEN");
  });
});

describe("the command line's list files", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  const recall = (endpoint: string, more: string[]) =>
    runCli(
      ["recall", "--sender", "mallory", "--sdk-app-id", String(APP_ID), "--endpoint", endpoint, ...more],
      {
        TENCENT_CHAT_SECRET_KEY: SECRET_KEY,
      },
    );

  it("refuses a file outside the current directory, and says how to allow it", async () => {
    ({ emulator } = await emulatorWithGroup());
    const run = recall(emulator.url, ["--group-file", "/etc/passwd"]);
    expect(await run.exit).toBe(2);
    const { stderr } = run.output();
    expect(stderr).toContain('--group-file: "/etc/passwd" is outside the current directory (');
    expect(stderr).toContain("--allow-files-outside");
    expect(stderr).not.toContain("root:");
    expect(emulator.requests).toEqual([]);
  });

  it("reads a file outside with --allow-files-outside", async () => {
    let groupId: string;
    ({ emulator, groupId } = await emulatorWithGroup());
    const file = join(root, "cli-groups.txt");
    writeFileSync(file, `# outside\n${groupId}\n`);
    const run = recall(emulator.url, ["--group-file", file, "--allow-files-outside"]);
    expect(await run.exit).toBe(0);
    expect(emulator.requests.filter((r) => r.command === RECALL_COMMAND).map((r) => r.body)).toEqual([
      { GroupId: groupId, Sender_Account: "mallory" },
    ]);
  });

  it("refuses a device even with --allow-files-outside, at once", async () => {
    ({ emulator } = await emulatorWithGroup());
    const run = recall(emulator.url, ["--group-file", "/dev/zero", "--allow-files-outside"]);
    const timer = setTimeout(() => run.child.kill("SIGKILL"), 10_000);
    const exit = await run.exit;
    clearTimeout(timer);
    expect(exit).toBe(2);
    expect(run.output().stderr).toContain('--group-file: "/dev/zero" is not a regular file (a device)');
  });
});
