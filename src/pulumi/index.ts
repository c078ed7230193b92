export type { GroupMessageRecallArgs } from "./args.js";
export { GroupMessageRecall } from "./resource.js";
