#!/usr/bin/env node
"use strict";
// The `concord` command. `worker` runs the job workers; everything else is the server's CLI.
const path = require("node:path");
const fs = require("node:fs");

const root = path.join(__dirname, "..");
const command = process.argv[2];
const entry =
  command === "worker"
    ? path.join(root, "workers", "dist", "workers", "src", "main.js")
    : path.join(root, "server", "dist", "server", "src", "cli.js");

if (!fs.existsSync(entry)) {
  console.error(`Concord is not built (${path.relative(process.cwd(), entry)} is missing). Run \`npm run build\` first.`);
  process.exit(1);
}
const mod = require(entry);
const run = command === "worker" ? mod.runWorker : mod.runCli;
run(command === "worker" ? process.argv.slice(3) : process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.message ? err.message : String(err));
    process.exit(1);
  },
);
