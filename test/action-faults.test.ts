import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { decodeUserSig, inflateUserSig, userSigAsBase64 } from "../src/chat/usersig.js";
import { appInputs, emulatorWithGroup, recalledSenders, SECRET_KEY } from "./support/emulator.js";
import { FaultServer, type Behaviour } from "./support/fault-server.js";
import { runAction, visibleText, type StepRun } from "./support/github-runner.js";

let faults: FaultServer | undefined;

afterEach(async () => {
  await faults?.close();
  faults = undefined;
});

function inputs(endpoint: string, more: Record<string, string> = {}): Record<string, string> {
  return appInputs(endpoint, { group: "@TGS#AAA", preflight: "false", "max-attempts": "2", ...more });
}

async function step(script: Behaviour[] | ((body: string) => Behaviour), more: Record<string, string> = {}) {
  faults = await FaultServer.start(typeof script === "function" ? (request) => script(request.body) : script);
  return runAction(inputs(faults.url, more));
}

const OK: Behaviour = { json: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" } };

/** The Markdown of the summary with our code spans taken out: what is left must be ours alone. */
function outsideCodeSpans(summary: string): string {
  return summary.replace(/(`+) [^\n]*? \1/g, "");
}

describe("answers that must never turn the step green", () => {
  it.each([
    [{ ActionStatus: "FAIL", ErrorCode: 0, ErrorInfo: "odd" }, "-2"],
    [{ ErrorCode: 0 }, "-2"],
    [{ ActionStatus: "OK", ErrorCode: "0" }, "-2"],
    [{ ActionStatus: "OK" }, "-2"],
    [{ ActionStatus: "FAIL", ErrorCode: -1, ErrorInfo: "server says -1" }, "-1"],
  ])("fails the step on %j", async (json, code) => {
    const run = await step([{ json }]);
    expect(run.exitCode).toBe(1);
    expect(run.outputs["action-status"]).toBe("FAIL");
    expect(run.outputs["error-code"]).toBe(code);
    expect(run.outputs.succeeded).toBe("0");
    expect(run.errors).toHaveLength(1);
  });

  it("reports a FAIL with ErrorCode 0 as an inconsistent answer, with its ErrorInfo", async () => {
    const run = await step([{ json: { ActionStatus: "FAIL", ErrorCode: 0, ErrorInfo: "odd" } }]);
    expect(run.errors[0]).toContain(
      'code -2 (the answer was inconsistent): ActionStatus "FAIL" with ErrorCode 0: odd',
    );
  });

  it("retries a 200 that is not JSON, and reports it when attempts run out", async () => {
    const run = await step([{ body: "<html><h1>502</h1></html>" }]);
    expect(run.exitCode).toBe(1);
    expect(run.outputs["error-code"]).toBe("-1");
    expect(faults!.requests).toHaveLength(2);
    expect(run.errors[0]).toContain(
      "no answer after 2 attempt(s): HTTP 200 with a body that is not a Chat API answer",
    );
  });

  it("keeps the outputs small when the server sends a huge ErrorInfo", async () => {
    const run = await step([
      { json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: "x".repeat(5_000_000) } },
    ]);
    expect(run.outputs["error-info"]!.length).toBeLessThan(1100);
    expect(run.stdout.length + run.summary.length).toBeLessThan(20_000);
  });

  it("keeps the summary within GitHub's 1 MiB when every row is wide, measuring rows as they render", async () => {
    // Each pipe of an ErrorInfo takes two bytes in the table, where its JSON takes one.
    const senders = Array.from({ length: 700 }, (_, i) => `s${String(i).padStart(4, "0")}`);
    const run = await step(
      [{ json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: "|".repeat(990) } }],
      { sender: senders.join("\n"), "max-calls-per-second": "2000" },
    );
    expect(run.exitCode).toBe(1);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    const rows = run.summary.split("\n").filter((line) => line.startsWith("| ` @TGS#AAA `"));
    expect(rows.length).toBeGreaterThan(300);
    expect(run.summary).toContain(
      `${700 - rows.length} more row(s) left out to fit GitHub's summary size limit`,
    );
  });
});

describe("the runner log, summary and outputs are the Action's alone", () => {
  const HOSTILE = [
    "line\n::error::injected from a new line",
    "\r::warning title=x::carriage return",
    "\u0085::notice::after a next-line character",
    "inline ##[error]legacy command",
    "%0A::add-mask::encoded newline",
    "::stop-commands::token",
    "![image](https://evil.example/x.png) [link](https://evil.example) <details><summary>x</summary>",
    "# heading | cell ` backtick ``",
  ].join(" ");

  function commandsOtherThanOurs(run: StepRun) {
    return run.commands.filter(
      (c) => !["add-mask", "error", "warning", "debug", "group", "endgroup"].includes(c.command),
    );
  }

  it("shows a hostile ErrorInfo as data: no command, annotation or Markdown comes of it", async () => {
    const run = await step([{ json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: HOSTILE } }]);

    expect(run.exitCode).toBe(1);
    expect(commandsOtherThanOurs(run)).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("line\n::error::injected from a new line");
    expect(run.warnings).toEqual([]);
    expect(run.commands.filter((c) => c.command === "error")).toHaveLength(1);
    expect(run.lines.join("\n")).not.toMatch(/^\s*::/m);
    const rest = outsideCodeSpans(run.summary);
    for (const markup of ["<details", "![", "](", "evil.example", "# heading", "##["])
      expect(rest).not.toContain(markup);
    expect(run.summary).toContain("evil.example");
  });

  it("shows hostile IDs from the inputs as data, in the log and in the summary", async () => {
    const group = "team ##[error]x ::warning::y";
    const sender = "::error::me";
    const run = await step([OK], { group: `${group}\n`, sender: `${sender}\n` });

    expect(run.exitCode).toBe(0);
    expect(commandsOtherThanOurs(run)).toEqual([]);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.lines.some((line) => line.includes("##%5Berror]x") && line.includes(sender))).toBe(true);
    expect(outsideCodeSpans(run.summary)).not.toContain("##[");
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ group, sender });
  });

  it("keeps every form of the UserSig and the secret key out of everything the runner shows or keeps", async () => {
    faults = await FaultServer.start((request) => {
      const sig = request.query.get("usersig")!;
      const std = userSigAsBase64(sig);
      const echoes = [
        sig,
        std,
        encodeURIComponent(std),
        inflateUserSig(sig),
        decodeUserSig(sig)!.sig,
        SECRET_KEY,
      ];
      return { json: { ActionStatus: "FAIL", ErrorCode: 10004, ErrorInfo: `echo ${echoes.join(" ")}` } };
    });
    const run = await runAction(inputs(faults.url));
    const sig = run.masks.find((m) => m.startsWith("eJ") && decodeUserSig(m) !== undefined)!;
    const shown = visibleText(run);
    for (const form of [
      sig,
      userSigAsBase64(sig),
      inflateUserSig(sig)!,
      decodeUserSig(sig)!.sig,
      SECRET_KEY,
    ]) {
      expect(run.masks).toContain(form);
      expect(shown).not.toContain(form);
    }
    expect(run.errors[0]).toContain("echo *** *** *** *** *** ***");
    const firstOther = run.stdout.split("\n").findIndex((line) => !line.startsWith("::add-mask::"));
    expect(
      run.stdout
        .split("\n")
        .slice(firstOther)
        .some((line) => line.startsWith("::add-mask::") && line.includes(SECRET_KEY)),
    ).toBe(false);
  });
});

describe("the results file", () => {
  it("goes to the system's temporary directory when RUNNER_TEMP is not set", async () => {
    faults = await FaultServer.start([OK]);
    const run = await runAction(inputs(faults.url), { env: { RUNNER_TEMP: undefined } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs["results-file"]).toMatch(/tencent-chat-recall-.*\.jsonl$/);
    expect(run.resultsFile).toHaveLength(1);
    rmSync(run.outputs["results-file"]!, { force: true });
  });

  it("is skipped with a warning when no directory can be written, and the run goes on", async () => {
    faults = await FaultServer.start([OK]);
    const run = await runAction(inputs(faults.url), {
      env: { RUNNER_TEMP: "/nonexistent/runner-temp", TMPDIR: "/nonexistent/tmp" },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs["action-status"]).toBe("OK");
    expect(run.outputs["results-file"]).toBe("");
    expect(run.warnings).toEqual([expect.stringContaining("No results file was written")]);
  });
});

describe("when every call would fail", () => {
  it("stops after a failure of the whole app, with one annotation naming the cause and the fix", async () => {
    const groups = Array.from({ length: 30 }, (_, i) => `@TGS#G${i}`).join("\n");
    const senders = Array.from({ length: 10 }, (_, i) => `s${i}`).join("\n");
    const run = await step(
      [{ json: { ActionStatus: "FAIL", ErrorCode: 70016, ErrorInfo: "key not found" } }],
      {
        group: groups,
        sender: senders,
      },
    );

    expect(run.exitCode).toBe(1);
    expect(faults!.requests.length).toBeLessThan(40);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("ErrorCode 70016 (key not found) concerns the whole app");
    expect(run.errors[0]).toContain(`check that endpoint ${faults!.url} serves this SDKAppID`);
    expect(Number(run.outputs.failed)).toBe(faults!.requests.length);
    expect(Number(run.outputs.failed) + Number(run.outputs["not-attempted"])).toBe(300);
    expect(run.summary).toContain("⛔ not attempted");
    expect(run.resultsFile).toHaveLength(300);
  });
});

describe("a stalled proxy", () => {
  let proxy: Server | undefined;
  afterEach(() => proxy?.close());

  it("bounds each attempt by request-timeout, and the process exits when the work is done", async () => {
    proxy = createServer(() => {
      // accepts CONNECT and never answers
    });
    await new Promise<void>((resolve) => proxy!.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as { port: number }).port;
    const started = performance.now();
    const run = await runAction(
      {
        ...inputs("https://chat.example.test"),
        "request-timeout": "1",
        "max-attempts": "2",
      },
      { env: { https_proxy: `http://127.0.0.1:${port}` }, timeoutMs: 20_000 },
    );
    expect(run.exitCode).toBe(1);
    // Generous, on real time: unbounded, the step would wait until it is killed after 20 s.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.outputs["error-code"]).toBe("-1");
    expect(run.errors[0]).toContain("no answer after 2 attempt(s)");
    expect(existsSync(run.outputs["results-file"] ?? "")).toBe(false);
  });
});

describe("a proxy that cannot be used", () => {
  it("is refused before any call, naming the variable and never the password", async () => {
    const run = await runAction(inputs("https://chat.example.test"), {
      env: { https_proxy: "http://moderator:s3cr%zzet@proxy.example.test:3128" },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringContaining("https_proxy")]);
    expect(run.stdout + run.stderr).not.toContain("s3cr");
    expect(run.outputs).toEqual({});
  });
});

describe("cancellation", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "on %s stops starting calls, then writes the outputs, the summary and the results file, and fails",
    async (signal) => {
      let calls = 0;
      faults = await FaultServer.start(() => (++calls <= 3 ? OK : { hang: true }));
      const senders = Array.from({ length: 200 }, (_, i) => `s${i}`).join("\n");
      const started = performance.now();
      const more = { sender: senders, "max-calls-per-second": "20", "request-timeout": "60" };
      const run = await runAction(inputs(faults.url, more), {
        signals: [{ signal, onOutput: "OK   sender" }],
      });

      // Generous, on real time: uncut, a hanging call would hold the step for its 60 s request timeout.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(run.exitCode).toBe(1);
      expect(Number(run.outputs.succeeded)).toBeGreaterThanOrEqual(1);
      const notAttempted = Number(run.outputs["not-attempted"]);
      expect(notAttempted).toBeGreaterThan(150);
      expect(Number(run.outputs.succeeded) + Number(run.outputs.failed) + notAttempted).toBe(200);
      expect(run.resultsFile).toHaveLength(200);
      expect(run.summary).toContain("✅ recalled");
      expect(run.summary).toMatch(/^## Tencent Cloud Chat recall\n\n### ❌ .* not attempted\./);
      expect(run.errors).toEqual([expect.stringContaining("The run was cancelled.")]);
    },
  );
});

describe("many failures", () => {
  const groups = Array.from({ length: 15 }, (_, i) => `@TGS#G${i}`).join("\n");

  it("annotates one cause once, with how many pairs it failed, and logs every pair", async () => {
    const run = await step([{ json: { ActionStatus: "FAIL", ErrorCode: 10010, ErrorInfo: "gone" } }], {
      group: groups,
    });
    expect(run.errors).toEqual([expect.stringMatching(/ \(15 pairs failed this way: .*; and 12 more\)$/)]);
    expect(run.lines.filter((line) => line.startsWith("FAIL Recall of sender mallory"))).toHaveLength(15);
    expect(run.outputs.failed).toBe("15");
  });

  it("spends GitHub's ten visible annotations on ten distinct causes, most pairs first", async () => {
    let n = 0;
    const run = await step(
      () => ({ json: { ActionStatus: "FAIL", ErrorCode: 10010, ErrorInfo: `gone ${n++ % 12}` } }),
      { group: groups },
    );
    expect(run.errors).toHaveLength(10);
    expect(run.errors.slice(0, 3).every((e) => e.includes("(2 pairs failed this way"))).toBe(true);
    expect(run.lines).toContain(
      "2 more cause(s) of failure are in the log above, the job summary and the results.",
    );
  });
});

describe("an https:// proxy", () => {
  const TLS = new URL("./support/tls/", import.meta.url).pathname;
  const credentials = { key: readFileSync(`${TLS}key.pem`), cert: readFileSync(`${TLS}cert.pem`) };
  const closers: (() => unknown)[] = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  const listen = async (server: Server): Promise<number> => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    return (server.address() as { port: number }).port;
  };
  const splice = (a: Socket, b: Socket): void => {
    a.pipe(b).pipe(a);
    a.on("error", () => b.destroy());
    b.on("error", () => a.destroy());
  };

  it("is spoken to over TLS, and tunnels the recall to the https endpoint", async () => {
    const { emulator, groupId } = await emulatorWithGroup();
    closers.push(() => emulator.close());
    const emulatorPort = Number(new URL(emulator.url).port);
    // https://chat.example.test, served by the emulator behind TLS.
    const server = await listen(
      createTlsServer(credentials, (socket) => splice(socket, connect(emulatorPort, "127.0.0.1"))),
    );
    const tunnels: string[] = [];
    const proxy = createHttpsServer(credentials);
    proxy.on("connect", (request, client: Socket, head: Buffer) => {
      tunnels.push(request.url!);
      const upstream = connect(server, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        splice(client, upstream);
      });
    });
    const proxyPort = await listen(proxy);

    const run = await runAction(
      { ...inputs("https://chat.example.test"), group: groupId },
      {
        env: {
          https_proxy: `https://127.0.0.1:${proxyPort}`,
          NODE_EXTRA_CA_CERTS: `${TLS}cert.pem`,
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs["action-status"]).toBe("OK");
    expect(tunnels).toEqual(["chat.example.test:443"]);
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
  });

  it("checks the certificate of an endpoint given as an IP address, behind a proxy, against that address", async () => {
    // Every tunnel leads to a TLS server whose certificate names 127.0.0.1, not 192.0.2.10.
    const server = await listen(createTlsServer(credentials, (socket) => socket.end()));
    const tunnels: string[] = [];
    const proxy = createServer((client) => {
      client.once("data", (request) => {
        tunnels.push(/^CONNECT (\S+)/.exec(request.toString("latin1"))![1]!);
        const upstream = connect(server, "127.0.0.1", () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          splice(client, upstream);
        });
      });
    });
    const proxyPort = await listen(proxy);

    const run = await runAction(
      { ...inputs("https://192.0.2.10"), "max-attempts": "1" },
      { env: { https_proxy: `http://127.0.0.1:${proxyPort}`, NODE_EXTRA_CA_CERTS: `${TLS}cert.pem` } },
    );
    expect(run.exitCode).toBe(1);
    expect(tunnels).toEqual(["192.0.2.10:443"]);
    expect(run.errors[0]).toContain("IP: 192.0.2.10 is not in the cert's list");
  });

  it("speaks TLS to an https endpoint directly, resuming the first connection's session on later ones", async () => {
    // Answers take 200 ms, so that calls 5 ms apart need connections opened after the first handshake.
    const { emulator, groupId } = await emulatorWithGroup({ latency: { fixedMs: 200 } });
    closers.push(() => emulator.close());
    const emulatorPort = Number(new URL(emulator.url).port);
    const resumed: boolean[] = [];
    const server = await listen(
      createTlsServer(credentials, (socket) => {
        resumed.push(socket.isSessionReused());
        splice(socket, connect(emulatorPort, "127.0.0.1"));
      }),
    );
    const senders = ["mallory", ...Array.from({ length: 39 }, (_, i) => `bystander-${i}`)];

    const run = await runAction(
      { ...inputs(`https://127.0.0.1:${server}`), group: groupId, sender: senders.join("\n") },
      { env: { NODE_EXTRA_CA_CERTS: `${TLS}cert.pem` } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.succeeded).toBe("40");
    expect(recalledSenders(emulator, groupId)).toEqual(["mallory", "mallory"]);
    expect(resumed[0]).toBe(false);
    expect(resumed.filter(Boolean).length).toBeGreaterThan(0);
  });
});
