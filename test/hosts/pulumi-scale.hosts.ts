import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createProject, tail, type PulumiProject } from "./support/pulumi.js";

const APP_ID = 1400000001;
const SECRET_KEY = "hosts-scale-key-71c0e2";
const GROUPS = 20;
const SENDERS = 10; // 20 groups × 10 senders = 200 resources
const CEILING = 50;
const RECALL = "group_open_http_svc/delete_group_msg_by_sender";

let emulator: Emulator;
let project: PulumiProject;
const groups: string[] = [];
const senders = Array.from({ length: SENDERS }, (_, i) => `spammer-${i}`);

beforeAll(async () => {
  // The emulator answers 60007 past CEILING calls a second to any command: a provider whose
  // resources did not share one limiter would meet it.
  emulator = await startEmulator({
    apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }],
    rateLimitPerSecond: CEILING,
  });
  for (const sender of [...senders, "alice"]) emulator.state.importAccount(APP_ID, sender);
  for (let g = 0; g < GROUPS; g++) {
    const groupId = emulator.state.createGroup(APP_ID, { type: "Public" });
    groups.push(groupId);
    for (const sender of senders) {
      emulator.state.sendMessage(APP_ID, groupId, sender, `spam from ${sender}`);
      emulator.state.sendMessage(APP_ID, groupId, "alice", "a reply");
    }
  }
  project = await createProject(
    { "tencent-chat:sdkAppId": String(APP_ID), "tencent-chat:endpoint": emulator.url },
    { "tencent-chat:secretKey": SECRET_KEY },
  );
  await writeFile(
    join(project.dir, "many.js"),
    `"use strict";
const { GroupMessageRecall } = require("tencent-chat-recall/pulumi");
const groups = ${JSON.stringify(groups)};
const senders = ${JSON.stringify(senders)};
const statuses = [];
groups.forEach((groupId, g) =>
  senders.forEach((senderAccount) =>
    statuses.push(new GroupMessageRecall("recall-" + g + "-" + senderAccount, { groupId, senderAccount, maxCallsPerSecond: ${CEILING} }).actionStatus),
  ),
);
exports.count = statuses.length;
`,
  );
}, 180_000);

afterAll(async () => {
  await project?.remove();
  await emulator?.close();
});

describe("200 GroupMessageRecall resources in one `pulumi up`", () => {
  it("stay under the ceiling together, every command's busiest second at most the ceiling, and all recall", async () => {
    emulator.resetStats();
    const up = await project.operation("up", {}, "many.js");
    expect(up.ok, tail(up.text)).toBe(true);
    expect(up.outputs?.count?.value).toBe(GROUPS * SENDERS);
    expect(up.summary?.resourceChanges).toMatchObject({ create: GROUPS * SENDERS + 1 });

    const stats = emulator.stats();
    expect(stats[RECALL]?.accepted).toBe(GROUPS * SENDERS);
    for (const [command, tally] of Object.entries(stats)) {
      // The server counts a sliding second as calls arrive, which a loaded machine may bunch up:
      // a rare rate-limited answer is retried; the busiest second is what must stay at the ceiling.
      expect(tally.rateLimited, command).toBeLessThanOrEqual(Math.ceil(tally.accepted / 100));
      expect(tally.busiestSecond, command).toBeLessThanOrEqual(CEILING);
    }
    for (const groupId of groups) {
      const recalled = emulator.state.history(APP_ID, groupId).filter((m) => m.recalled);
      expect(recalled.map((m) => m.from).sort()).toEqual([...senders].sort());
    }

    const destroy = await project.operation("destroy", {}, "many.js");
    expect(destroy.ok, tail(destroy.text)).toBe(true);
  }, 600_000);
});
