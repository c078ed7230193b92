// The Action's entry point. It is CommonJS so that Node starts it without its ES module loader,
// which costs a fresh runner several milliseconds on every step.
require("./action/main.ts").run();
