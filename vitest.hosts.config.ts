import { defineConfig } from "vitest/config";

/*
 * `npm run test:hosts`: the real hosts (Pulumi's engine, act) built from source into .tools/bin/ by
 * scripts/hosts/build-tools.sh, against the emulator on loopback. Slow and heavy, so apart from
 * `npm test`; its files end in .hosts.ts so that vitest.config.ts does not pick them up.
 */
export default defineConfig({
  test: {
    include: ["test/hosts/**/*.hosts.ts"],
    globalSetup: ["test/global-setup.ts", "test/hosts/tools-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Each suite starts a CLI, node programs and plugins: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
