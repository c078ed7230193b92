import type { CommandStats } from "../../../src/emulator/call-stats.js";
import { LIST_GROUPS_COMMAND } from "../../../src/recall/listing.js";
import { RECALL_COMMAND } from "../../../src/recall/strategy-silent.js";
import { runAction, type ActionRun } from "../action.js";
import { appInputs, SDK_APP_ID, type PhaseReport } from "../common.js";
import { withEmulator } from "../emulator.js";
import { acceptedPerSecond, mebibytes, round } from "../stats.js";

/** Fast enough to run 20,000 recalls a few times in a benchmark: this phase is about listing and memory. */
const CEILING = 1000;
const COMMUNITIES = { count: 50, prefix: "c-", topics: 4 };
const AV_CHAT_ROOMS = { count: 50, prefix: "av-" };
const PLAIN_PREFIX = "g-";
const SIZES = { small: 5_000, large: 20_000 };

/** Groups that are neither Communities nor AVChatRooms, for `total` groups in all. */
function plainCount(total: number): number {
  return total - COMMUNITIES.count - AV_CHAT_ROOMS.count;
}

function ids(prefix: string, count: number, community = false): string[] {
  return Array.from({ length: count }, (_, i) => `${community ? "@TGS#_" : ""}${prefix}${i + 1}`);
}

function figures(action: ActionRun, recall: CommandStats | undefined, listingCalls: number) {
  const first = recall?.firstAcceptedAt ?? NaN;
  return {
    exitCode: action.exitCode,
    recalled: Number(action.outputs.succeeded ?? NaN),
    failed: Number(action.outputs.failed ?? NaN),
    seconds: round(action.wallMs / 1000, 2),
    firstRecallMs: round(first - action.startedAtEpochMs),
    callsPerSecond: round(acceptedPerSecond(recall)),
    listingCalls,
    maxRssBytes: action.maxRssBytes,
  };
}

/**
 * Groups of every type (50 Communities with 4 topics, 50 AVChatRooms) and one sender: `group: "*"`
 * with every topic, for 20,000 groups and for 5,000 (memory must stay flat), against the same
 * 20,000 groups listed in a group file.
 */
export async function everywherePhase(): Promise<PhaseReport> {
  const run = (groups: number, everywhere: boolean) =>
    withEmulator(
      {
        rateLimitPerSecond: CEILING,
        latency: { fixedMs: 50 },
        seed: {
          groupBatches: [
            {
              sdkAppId: SDK_APP_ID,
              count: plainCount(groups),
              types: ["Public", "Private", "ChatRoom"],
              idPrefix: PLAIN_PREFIX,
            },
            {
              sdkAppId: SDK_APP_ID,
              count: COMMUNITIES.count,
              types: ["Community"],
              idPrefix: COMMUNITIES.prefix,
              topicsPerCommunity: COMMUNITIES.topics,
            },
            {
              sdkAppId: SDK_APP_ID,
              count: AV_CHAT_ROOMS.count,
              types: ["AVChatRoom"],
              idPrefix: AV_CHAT_ROOMS.prefix,
            },
          ],
        },
      },
      async (url, emulator) => {
        console.log(
          `everywhere: ${groups} groups, ${everywhere ? 'group "*"' : "a group file"}, every topic ...`,
        );
        const listed = [
          ...ids(PLAIN_PREFIX, plainCount(groups)),
          ...ids(COMMUNITIES.prefix, COMMUNITIES.count, true),
        ];
        const inputs = {
          ...appInputs(url, CEILING),
          group: everywhere ? "*" : "",
          ...(everywhere ? {} : { "group-file": "groups.txt", preflight: "false" }),
          topic: "*",
          sender: "spammer",
        };
        const action = await runAction(inputs, { files: { "groups.txt": listed.join("\n") } });
        const stats = await emulator.stats();
        return figures(action, stats[RECALL_COMMAND], stats[LIST_GROUPS_COMMAND]?.accepted ?? 0);
      },
    );
  const everywhere = await run(SIZES.large, true);
  const small = await run(SIZES.small, true);
  const listed = await run(SIZES.large, false);
  const line = (label: string, f: ReturnType<typeof figures>) =>
    `${label.padEnd(18)} exit ${f.exitCode}, ${f.recalled} recalled, ${f.failed} failed in ${f.seconds} s; first recall ${f.firstRecallMs} ms after start;` +
    ` ${f.callsPerSecond} recalls/s; ${f.listingCalls} listing calls; max RSS ${mebibytes(f.maxRssBytes)}`;
  const pairs = plainCount(SIZES.large) + COMMUNITIES.count * COMMUNITIES.topics;
  return {
    title: `Everywhere: groups of every type (${COMMUNITIES.count} Communities with ${COMMUNITIES.topics} topics, ${AV_CHAT_ROOMS.count} AVChatRooms), one sender, every topic, ${CEILING}/s, 50 ms latency, node dist/index.cjs`,
    lines: [
      line(`${SIZES.large}, "*":`, everywhere),
      line(`${SIZES.small}, "*":`, small),
      line(`${SIZES.large}, group file:`, listed),
    ],
    targets: [
      {
        text: `everywhere: ${pairs} recalled, 0 failed: ${everywhere.recalled} recalled, ${everywhere.failed} failed`,
        met: everywhere.recalled === pairs && everywhere.failed === 0,
      },
      {
        text: `everywhere: memory flat, ${SIZES.large} groups within 1.3 x ${SIZES.small}: ${round(everywhere.maxRssBytes / small.maxRssBytes, 2)} x`,
        met: everywhere.maxRssBytes <= 1.3 * small.maxRssBytes,
      },
    ],
    figures: { ceiling: CEILING, everywhere, small, listed },
  };
}
