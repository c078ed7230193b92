/**
 * Shows the Action at work: starts the Chat REST emulator, seeds a group where several users
 * posted, runs the built Action (dist/index.cjs) as the GitHub runner does, and prints the history
 * before and after, the step's outputs and its job summary.
 */
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { runStep } from "./support/runner.js";

const APP_ID = 1400000001;
const SECRET_KEY = "demo-secret-key";

function printHistory(title: string, emulator: Emulator, groupId: string): void {
  console.log(`\n${title}`);
  for (const m of emulator.state.history(APP_ID, groupId)) {
    const text = m.recalled ? "(recalled)" : JSON.stringify(m.text);
    console.log(`  #${m.seq}  ${m.from.padEnd(8)} ${text}`);
  }
}

const emulator = await startEmulator({ apps: [{ sdkAppId: APP_ID, secretKey: SECRET_KEY }] });
try {
  const groupId = emulator.state.createGroup(APP_ID, {
    type: "Public",
    groupId: "@TGS#2C5SZEAEF",
    name: "general",
  });
  for (const [from, text] of [
    ["alice", "Good morning, everyone"],
    ["leckie", "Cheap watches here: http://spam.invalid"],
    ["bob", "Morning Alice!"],
    ["leckie", "Limited offer, click now"],
    ["carol", "Stand-up in 5 minutes"],
    ["leckie", "Last chance!!!"],
  ] as const) {
    emulator.state.sendMessage(APP_ID, groupId, from, text);
  }
  console.log(`Chat REST emulator on ${emulator.url}, app ${APP_ID}, group ${groupId}`);
  printHistory("History before:", emulator, groupId);

  const inputs = {
    group: groupId,
    sender: "leckie",
    "sdk-app-id": String(APP_ID),
    "secret-key": SECRET_KEY,
    endpoint: emulator.url,
  };
  console.log(
    `\n$ node dist/index.cjs   # with ${Object.entries(inputs)
      .map(([k, v]) => `INPUT_${k.toUpperCase()}=${k === "secret-key" ? "***" : v}`)
      .join(" ")}`,
  );
  const step = await runStep(inputs);
  console.log(
    step.stdout
      .replace(/^::add-mask::.*\n/gm, "")
      .trimEnd()
      .replace(/^/gm, "  | "),
  );
  console.log(`  exit code ${step.exitCode}`);

  printHistory("History after:", emulator, groupId);
  console.log("\nStep outputs:");
  for (const [name, value] of Object.entries(step.outputs))
    console.log(`  ${name} = ${value === "" ? "(empty: not counted or not made)" : value}`);
  console.log("\nJob summary:\n" + step.summary.replace(/^/gm, "  "));
  process.exitCode = step.exitCode ?? 1;
} finally {
  await emulator.close();
}
