import { existsSync } from "node:fs";
import { readFile, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createProject, installPackage, tail, type PulumiProject } from "./support/pulumi.js";
import { REPO, run, scratch } from "./support/tools.js";

/*
 * A stack made with the package as it was before the real hosts came (the commit before 29b53b1 in
 * the log), then the program upgraded to the package packed from the working tree: the state the old
 * package wrote meets the new provider code, which the dynamic-provider host loads by package name.
 */
const OLD_COMMIT = "bbf18f5";
const APP_ID = 1400000001;
const SECRET_KEY = "hosts-upgrade-key-0b9d33";
const GROUP = "@TGS#2C5SZEAEF";

let emulator: Emulator;
let project: PulumiProject;
let oldTree: { dir: string; remove: () => Promise<void> };
let newTarball: string;
let oldHttpClient: string;
let newPackage: { dir: string; remove: () => Promise<void> };

/** git archive (reads the repository, changes nothing), built without type-checking, packed. */
async function packOld(): Promise<string> {
  oldTree = await scratch("tcr-hosts-old-tree-");
  const tree = join(oldTree.dir, "tree");
  await run("bash", [
    "-c",
    `mkdir -p "${tree}" && git -C "${REPO}" archive ${OLD_COMMIT} | tar -x -C "${tree}"`,
  ]);
  // Its own dependencies' types differ from today's node_modules; the JavaScript it emits does not.
  await symlink(join(REPO, "node_modules"), join(tree, "node_modules"), "dir");
  await run(
    process.execPath,
    [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--noCheck"],
    {
      cwd: tree,
    },
  );
  if (!existsSync(join(tree, "lib/pulumi/operations.js")))
    throw new Error("the old tree did not build lib/pulumi");
  const { stdout } = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--silent", "--pack-destination", oldTree.dir],
    {
      cwd: tree,
    },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  return join(oldTree.dir, filename);
}

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
  emulator.state.createGroup(APP_ID, { type: "Public", groupId: GROUP });
  for (const [from, text] of [
    ["leckie", "spam"],
    ["alice", "hello"],
    ["leckie", "more spam"],
  ]) {
    emulator.state.importAccount(APP_ID, from!);
    emulator.state.sendMessage(APP_ID, GROUP, from!, text!);
  }
  const oldTarball = await packOld();
  project = await createProject(
    { "tencent-chat:sdkAppId": String(APP_ID), "tencent-chat:endpoint": emulator.url },
    { "tencent-chat:secretKey": SECRET_KEY },
    async (consumer) => {
      // The new package, as createConsumer packed it, kept for the upgrade.
      newPackage = await scratch("tcr-hosts-new-package-");
      const { stdout } = await run(
        "npm",
        ["pack", "--ignore-scripts", "--json", "--silent", "--pack-destination", newPackage.dir],
        {
          cwd: join(consumer.dir, "node_modules/tencent-chat-recall"),
        },
      );
      newTarball = join(newPackage.dir, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
      // The old package with the dependencies it declared (its own @actions/* majors), as npm
      // installs them for a user; the @pulumi/pulumi peer stays the program's.
      await installPackage(consumer.dir, oldTarball);
      const packageDir = join(consumer.dir, "node_modules/tencent-chat-recall");
      await run(
        "npm",
        [
          "install",
          "--omit=dev",
          "--omit=peer",
          "--no-package-lock",
          "--ignore-scripts",
          "--no-audit",
          "--no-fund",
          "--prefer-offline",
        ],
        { cwd: packageDir, timeout: 300_000 },
      );
      const manifest = join(packageDir, "node_modules/@actions/http-client/package.json");
      oldHttpClient = (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
    },
  );
}, 600_000);

afterAll(async () => {
  await project?.remove();
  await oldTree?.remove();
  await newPackage?.remove();
  await emulator?.close();
});

describe("upgrading the package under an existing stack", () => {
  it("the old package's stack previews with no changes under the new package; refresh and destroy work", async () => {
    expect(oldHttpClient).toBe("2.1.1"); // the old package runs with the dependencies it declared
    const up = await project.operation("up");
    expect(up.ok, tail(up.text)).toBe(true);
    const recalled = () =>
      emulator.state
        .history(APP_ID, GROUP)
        .filter((m) => m.recalled)
        .map((m) => m.from);
    expect(recalled()).toEqual(["leckie", "leckie"]);

    const before = await readFile(
      join(project.dir, "node_modules/tencent-chat-recall/lib/pulumi/operations.js"),
      "utf8",
    );
    await installPackage(project.dir, newTarball);
    const after = await readFile(
      join(project.dir, "node_modules/tencent-chat-recall/lib/pulumi/operations.js"),
      "utf8",
    );
    expect(after).not.toBe(before); // the upgrade changed the provider's code

    const calls = emulator.requestCount;
    const preview = await project.operation("preview");
    expect(preview.ok, tail(preview.text)).toBe(true);
    expect(preview.changeSummary).toEqual({ same: 2 });

    const refresh = await project.operation("refresh");
    expect(refresh.ok, tail(refresh.text)).toBe(true);
    expect(refresh.summary?.resourceChanges).toEqual({ same: 2 });
    expect(emulator.requestCount).toBe(calls);

    const again = await project.operation("preview");
    expect(again.changeSummary).toEqual({ same: 2 });

    const destroy = await project.operation("destroy");
    expect(destroy.ok, tail(destroy.text)).toBe(true);
    expect(destroy.summary?.resourceChanges).toMatchObject({ delete: 2 });
    expect(emulator.requestCount).toBe(calls);
  }, 600_000);
});
