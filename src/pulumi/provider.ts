import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./sources.js";

/*
 * This object is serialized into every resource's `__provider` property and evaluated by Pulumi's
 * dynamic provider host. Its methods capture nothing but `operations`: the code that does the work is
 * loaded by package name from the program's node_modules when the host runs them, because a captured
 * ES module would be written into the state as text (or fail to serialize at all). It holds no
 * credentials: stack configuration is read by `configure` inside the host, the environment at
 * operation time.
 */

interface RecallProvider extends pulumi.dynamic.ResourceProvider {
  stackConfig?: StackConfig;
}

function operations(): Promise<typeof import("./operations.js")> {
  const specifier: string = "tencent-chat-recall/pulumi/operations";
  return import(specifier);
}

export const recallProvider: RecallProvider = {
  async configure(request) {
    this.stackConfig = (await operations()).readStackConfig(request.config);
  },
  async check(_olds, news) {
    return (await operations()).check(news, this.stackConfig);
  },
  async diff(_id, olds, news) {
    return (await operations()).diff(olds, news);
  },
  async create(inputs) {
    return (await operations()).create(inputs, this.stackConfig);
  },
  async update(_id, olds, news) {
    return (await operations()).update(olds, news);
  },
  async read(id, props) {
    return { id, props };
  },
  async delete() {
    // A recall cannot be undone: deleting the resource only forgets it.
  },
};
