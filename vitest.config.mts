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
    server: { deps: { inline: [] } },
  },
});
