import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../paths.js";

// The reward/agreement test vectors beside the repository (never copied in):
// ../shared/testdata/reward, or testdata/reward next to CONCORD_FIXTURES.
export function rewardVectorsDir(): string | null {
  const shared = process.env.CONCORD_FIXTURES ? path.dirname(path.resolve(process.env.CONCORD_FIXTURES)) : path.join(repoRoot(), "..", "shared");
  const dir = path.join(shared, "testdata", "reward");
  return fs.existsSync(path.join(dir, "validation_expected.json")) ? dir : null;
}

export const NO_REWARD_VECTORS = "needs ../shared/testdata/reward (the reward and agreement test vectors are not in the repository)";

/** A small CSV reader for the vectors (no quoting in them): rows as header-keyed records. */
export function readVectorCsv(dir: string, name: string): Array<Record<string, string>> {
  const lines = fs.readFileSync(path.join(dir, name), "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0]!.split(",").map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? "").trim()]));
  });
}

export function readVectorJson<T = unknown>(dir: string, name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as T;
}
