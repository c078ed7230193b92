export { GroupMessageRecall, type GroupMessageRecallArgs } from "./resource.js";
