import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // graphql ships an ESM and a CJS build; everything must share one or schemas "come from another realm".
      { find: /^graphql$/, replacement: path.join(root, "node_modules/graphql/index.js") },
      { find: /^@concord\/server\/(.*)$/, replacement: path.join(root, "server/src/$1.ts") },
      { find: /^@concord\/workers\/(.*)$/, replacement: path.join(root, "workers/src/$1.ts") },
    ],
  },
  test: {
    include: ["server/src/**/*.test.ts", "workers/src/**/*.test.ts", "client/src/**/*.test.ts"],
    globalSetup: ["server/src/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, which left a core
    // idle while tests waited on PostgreSQL, Redis, Orthanc and their servers. Each file has its own
    // database, Redis prefix and free ports, so files run side by side. Measured on 2 cores (the whole
    // suite, idle machine): 1 worker 817 s, 2 workers 658 s, 3 workers 671 s.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    server: { deps: { inline: [] } },
  },
});
