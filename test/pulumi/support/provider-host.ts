import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { once } from "node:events";
import type { ServiceError } from "@grpc/grpc-js";

// The gRPC stubs shipped in @pulumi/pulumi are CommonJS without an ESM entry.
const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const structproto = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb.js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");
const provproto = require("@pulumi/pulumi/proto/provider_pb.js");
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js");

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf classes carry no types here */

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const TYPE = "pulumi-nodejs:dynamic/tencent-chat:GroupMessageRecall";

export type Props = Record<string, unknown>;

/** Everything the host said: responses, errors, engine log messages and its stdout and stderr. */
export interface Transcript {
  responses: unknown[];
  errors: string[];
  logs: string[];
  stdout: string;
  stderr: string;
}

export interface ProviderHost {
  transcript: Transcript;
  configure(config: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }>;
  check(
    news: Props,
    olds?: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }>;
  create(props: Props, preview?: boolean): Promise<{ id: string; properties: Props }>;
  update(olds: Props, news: Props): Promise<Props>;
  read(id: string, props: Props): Promise<{ id: string; properties: Props }>;
  delete(id: string, props: Props): Promise<void>;
  close(): Promise<void>;
}

/** A stand-in for the engine's Engine service, which plugins may send log messages to. */
async function startEngine(logs: string[]): Promise<{ address: string; stop(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(enginerpc.EngineService, {
    log: (call: any, callback: any) => {
      logs.push(call.request.getMessage());
      callback(null, new emptyproto.Empty());
    },
    getRootResource: (_: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
    setRootResource: (_: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
    startDebugging: (_: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
    requirePulumiVersion: (_: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

async function readPort(child: ChildProcess, transcript: Transcript): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no port from the provider host: ${transcript.stderr}`)),
      60_000,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      transcript.stdout += chunk.toString();
      const line = /^(\d+)\r?\n/m.exec(transcript.stdout);
      if (line) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the provider host exited with ${code}: ${transcript.stderr}`));
    });
  });
}

const struct = (value: Props) => structproto.Struct.fromJavaScript(value);

/**
 * Starts the dynamic provider host the way the engine starts the `pulumi-resource-pulumi-nodejs`
 * plugin: from the program's directory, with the engine's address as its argument; it answers on
 * the port it prints.
 */
export async function startProviderHost(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
  const transcript: Transcript = { responses: [], errors: [], logs: [], stdout: "", stderr: "" };
  const engine = await startEngine(transcript.logs);
  const plugin = join(cwd, "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs");
  const child = spawn(plugin, [engine.address], {
    cwd,
    env: { ...withoutTencentChat(process.env), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr!.on("data", (chunk: Buffer) => (transcript.stderr += chunk.toString()));
  let port: number;
  try {
    port = await readPort(child, transcript);
  } catch (error) {
    await stop(child);
    await engine.stop();
    throw error;
  }
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const urn = `urn:pulumi:dev::consumer::${TYPE}::purge`;

  function call<T>(method: string, request: unknown, read: (response: any) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      client[method](request, (error: ServiceError | null, response: any) => {
        if (error) {
          transcript.errors.push(error.message);
          reject(error);
          return;
        }
        const result = read(response);
        transcript.responses.push({ method, result });
        resolve(result);
      });
    });
  }

  return {
    transcript,
    configure(config) {
      const request = new provproto.ConfigureRequest();
      request.setArgs(struct(config));
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      return call("configure", request, (r) => ({
        acceptSecrets: r.getAcceptsecrets(),
        supportsPreview: r.getSupportspreview(),
      }));
    },
    check(news, olds = {}) {
      const request = new provproto.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      return call("check", request, (r) => ({
        inputs: r.getInputs().toJavaScript(),
        failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
      }));
    },
    diff(olds, news) {
      const request = new provproto.DiffRequest();
      request.setId("id");
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      return call("diff", request, (r) => ({ changes: r.getChanges(), replaces: r.getReplacesList() }));
    },
    create(props, preview = false) {
      const request = new provproto.CreateRequest();
      request.setUrn(urn);
      request.setProperties(struct(props));
      request.setPreview(preview);
      return call("create", request, (r) => ({
        id: r.getId(),
        properties: r.getProperties().toJavaScript(),
      }));
    },
    update(olds, news) {
      const request = new provproto.UpdateRequest();
      request.setId("id");
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      return call("update", request, (r) => r.getProperties().toJavaScript());
    },
    read(id, props) {
      const request = new provproto.ReadRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setProperties(struct(props));
      return call("read", request, (r) => ({ id: r.getId(), properties: r.getProperties().toJavaScript() }));
    },
    async delete(id, props) {
      const request = new provproto.DeleteRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setProperties(struct(props));
      await call("delete", request, () => undefined);
    },
    async close() {
      client.close();
      await stop(child);
      await engine.stop();
    },
  };
}

/** The test's own environment must not leak credentials into the host. */
function withoutTencentChat(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("TENCENT_CHAT_")));
}

/** Ends the plugin script and the node process it started (one process group). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  process.kill(-child.pid!, "SIGTERM");
  await exited;
}
