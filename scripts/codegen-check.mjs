#!/usr/bin/env node
// Fails when client/src/generated/ is not what `npm run codegen` would write from the committed
// schema and the client's .graphql documents. It regenerates into a temporary directory and
// compares, so it works on an uncommitted tree and never touches the working copy.
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const { config } = await loadCodegenConfig({ configFilePath: path.join(root, "codegen.yml") });
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-codegen-"));

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

const problems = [];
try {
  const targets = Object.keys(config.generates);
  const generates = {};
  const pairs = targets.map((target, i) => {
    const scratch = path.join(temp, String(i), path.basename(target)) + (target.endsWith("/") ? "/" : "");
    generates[scratch] = config.generates[target];
    return { committed: path.join(root, target), fresh: scratch };
  });
  await generate({ ...config, generates, silent: true, watch: false, cwd: root }, true);

  for (const { committed, fresh } of pairs) {
    const isDir = fresh.endsWith("/");
    const names = isDir ? [...new Set([...listFiles(committed), ...listFiles(fresh)])].sort() : [""];
    for (const name of names) {
      const a = path.join(committed, name);
      const b = path.join(fresh, name);
      const shown = path.relative(root, a);
      if (!fs.existsSync(a)) problems.push(`${shown}: missing (codegen would create it)`);
      else if (!fs.existsSync(b)) problems.push(`${shown}: not produced by codegen any more (delete it)`);
      else if (fs.readFileSync(a, "utf8") !== fs.readFileSync(b, "utf8")) problems.push(`${shown}: differs from a fresh generation`);
    }
  }
} catch (error) {
  console.error(`codegen:check could not generate: ${error?.message ?? error}`);
  process.exitCode = 2;
} finally {
  fs.rmSync(temp, { recursive: true, force: true });
}

if (process.exitCode === 2) process.exit(2);
if (problems.length) {
  console.error("The generated GraphQL client types are out of date:");
  for (const p of problems) console.error(`  - ${p}`);
  console.error("Run `npm run codegen` and commit client/src/generated/.");
  process.exit(1);
}
console.log("codegen:check: client/src/generated/ is up to date.");
