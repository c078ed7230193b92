import { parseArgs } from "node:util";
import { explainCode } from "../chat/errors.js";
import { createClient, describeFailure, runRecall } from "../recall/run.js";
import {
  environmentVariable,
  parseSettings,
  SETTING_DEFAULTS,
  type RawSettings,
  type SettingName,
} from "../recall/settings.js";

const LIST_SETTINGS = new Set<SettingName>(["group", "sender", "topic"]);

/** Settings that may come from the environment when no flag gives them. */
const FROM_ENVIRONMENT = new Set<SettingName>(["sdk-app-id", "identifier", "region", "endpoint"]);
const CREDENTIALS: SettingName[] = ["secret-key", "user-sig"];

export const RECALL_USAGE = `Usage: tencent-chat-recall recall --group ID --sender ID [options]

Recalls the messages each sender sent among the last 1,000 messages of each group (or topic).
Prints one JSON line per call on stdout; exits 1 when any call failed, 2 on bad input.

  --group ID               group ID (repeat the flag, or separate with commas)
  --sender ID              sender user ID (repeat, or separate with commas)
  --topic ID               Community topic ID(s), each of a listed group
  --sdk-app-id N           SDKAppID                      [env TENCENT_CHAT_SDK_APP_ID]
  --secret-key KEY         app secret key                [env TENCENT_CHAT_SECRET_KEY]
  --user-sig SIG           ready admin UserSig instead   [env TENCENT_CHAT_USER_SIG]
  --identifier ID          app admin account (administrator) [env TENCENT_CHAT_IDENTIFIER]
  --region NAME            china (default), singapore, seoul, frankfurt, mumbai,
                           silicon-valley, jakarta, tokyo, riyadh [env TENCENT_CHAT_REGION]
  --endpoint URL           base URL instead of the region's domain [env TENCENT_CHAT_ENDPOINT]
  --max-attempts N         attempts per call (5)
  --request-timeout S      seconds per HTTP request (10)
  --max-calls-per-second N ceiling on calls per second (200)

Prefer the environment for the secret key: command lines are visible to other processes.`;

export async function recallCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const names = Object.keys(SETTING_DEFAULTS) as SettingName[];
  const { values: parsed } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(
        names.map((n) => [n, { type: "string" as const, multiple: LIST_SETTINGS.has(n) }]),
      ),
      help: { type: "boolean" },
    },
    strict: true,
  });
  const values = parsed as Record<string, string | string[] | boolean | undefined>;
  if (values.help) {
    process.stdout.write(RECALL_USAGE + "\n");
    return 0;
  }
  const given = (name: SettingName): string | undefined => {
    const value = values[name] as string | string[] | undefined;
    return Array.isArray(value) ? value.join("\n") : value;
  };
  // The secret key and the UserSig are one credential: flags win over the environment as a pair.
  const credentialsFromFlags = CREDENTIALS.some((name) => given(name) !== undefined);
  const raw = Object.fromEntries(
    names.map((name) => {
      const readsEnvironment =
        FROM_ENVIRONMENT.has(name) || (CREDENTIALS.includes(name) && !credentialsFromFlags);
      const fromEnv = readsEnvironment ? env[environmentVariable(name)] : undefined;
      return [name, given(name) ?? fromEnv ?? SETTING_DEFAULTS[name]];
    }),
  ) as RawSettings;
  const { targets, connection } = parseSettings(raw, (name) => `--${name}`);

  const client = createClient(connection, {
    onRetry: (e) =>
      process.stderr.write(`retrying after ErrorCode ${e.code} (${explainCode(e.code)}): ${e.info}\n`),
  });
  const summary = await runRecall(client, targets, (result) => {
    process.stdout.write(JSON.stringify(result) + "\n");
    if (result.actionStatus !== "OK") process.stderr.write(describeFailure(result) + "\n");
  }).finally(() => client.close());
  process.stderr.write(`${summary.succeeded} succeeded, ${summary.failed} failed\n`);
  return summary.failed > 0 ? 1 : 0;
}
