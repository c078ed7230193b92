import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Consumer } from "./consumer.js";

export interface Registration {
  type: string;
  name: string;
  object: Record<string, unknown>;
}

export interface ProgramRun {
  status: string;
  /** The resource's own properties, to see which outputs it exposes. */
  properties: string[];
  registered: Registration[];
  stderr: string;
}

/*
 * A Pulumi program run under mocks, declaring two recalls the way the README shows. It records what
 * reaches the resource monitor (the protobuf struct, with secrets still wrapped) and prints it.
 */
const BODY = `
async function run(pulumi, load) {
  const registered = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: "recall-" + args.name, state: { ...args.inputs, actionStatus: "OK" } }),
      call: () => ({}),
    },
    "consumer",
    "dev",
    false,
  );
  const monitor = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    registered.push({ type: request.getType(), name: request.getName(), object: request.getObject().toJavaScript() });
    return register(request, callback);
  };
  const { GroupMessageRecall } = await load();
  const purge = new GroupMessageRecall("purge-spammer", {
    groupId: "@TGS#2C5SZEAEF",
    senderAccount: "leckie",
    topicId: undefined,
    triggers: ["incident-4711"],
    sdkAppId: 1400000001,
    secretKey: process.env.RECALL_SECRET_KEY,
    region: "singapore",
  });
  const other = new GroupMessageRecall("purge-other", {
    groupId: "@TGS#2C5SZEAEF",
    senderAccount: "mallory",
    secretKey: pulumi.secret(process.env.RECALL_SECRET_KEY),
    endpoint: "http://127.0.0.1:8080",
  });
  const settled = (output) => new Promise((resolve) => output.apply(resolve));
  const [status] = await Promise.all([settled(purge.actionStatus), settled(other.actionStatus)]);
  process.stdout.write(JSON.stringify({ status, properties: Object.keys(purge), registered }));
}
`;

const PROGRAMS = {
  commonjs: `const pulumi = require("@pulumi/pulumi");
${BODY}
run(pulumi, async () => require("tencent-chat-recall/pulumi")).catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
  module: `import pulumi from "@pulumi/pulumi";
${BODY}
await run(pulumi, () => import("tencent-chat-recall/pulumi"));
`,
};

export async function runProgram(
  consumer: Consumer,
  type: keyof typeof PROGRAMS,
  secretKey: string,
): Promise<ProgramRun> {
  const file = join(consumer.dir, "index.js");
  await writeFile(file, PROGRAMS[type]);
  const { stdout, stderr } = await consumer.node(file, { RECALL_SECRET_KEY: secretKey });
  return { ...(JSON.parse(stdout) as Omit<ProgramRun, "stderr">), stderr };
}
