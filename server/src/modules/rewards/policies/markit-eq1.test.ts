import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NO_REWARD_VECTORS, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { parseAiCsv, parseLabelsCsv, type RewardInputs } from "../inputs.js";
import { runPolicy } from "./index.js";

const dir = rewardVectorsDir();

interface Expected {
  tolerance: number;
  budget: number;
  kappa_threshold: number;
  scenarios: Record<string, Record<string, unknown>>;
}

/** Walks `expected` and compares every leaf with the same path in `actual`; returns the mismatches. */
function mismatches(expected: unknown, actual: unknown, tolerance: number, at = "$"): string[] {
  if (expected === null || typeof expected !== "object") {
    if (typeof expected === "number") {
      return typeof actual === "number" && Math.abs(actual - expected) <= tolerance ? [] : [`${at}: expected ${expected}, got ${String(actual)}`];
    }
    return Object.is(expected, actual) ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (actual === null || typeof actual !== "object") return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
  const out: string[] = [];
  if (Array.isArray(expected) && (!Array.isArray(actual) || actual.length !== expected.length)) out.push(`${at}: length differs`);
  for (const [key, value] of Object.entries(expected)) out.push(...mismatches(value, (actual as Record<string, unknown>)[key], tolerance, `${at}.${key}`));
  return out;
}

/** Leaves compared, to show the walk did not pass by finding nothing. */
function leaves(x: unknown): number {
  return x !== null && typeof x === "object" ? Object.values(x).reduce<number>((n, v) => n + leaves(v), 0) : 1;
}

describe.skipIf(!dir)("markit-eq1 policies against the syn3 test vectors", () => {
  // Skipped without the vectors: NO_REWARD_VECTORS.
  void NO_REWARD_VECTORS;
  const read = (name: string) => fs.readFileSync(path.join(dir!, name), "utf8");
  const expected = JSON.parse(read("syn3_expected.json")) as Expected;
  const inputs: RewardInputs = { votes: parseLabelsCsv(read("syn3_annotations.csv"), "syn3_annotations.csv"), ai: parseAiCsv(read("syn3_ai.csv"), "syn3_ai.csv") };
  const params = { budget: expected.budget, kappaThreshold: expected.kappa_threshold };

  // The vectors' "eq1" block is our "scores"; "agreement" belongs to the statistics module and
  // "sign_variant" is not defined by REWARD.md, so neither is compared here.
  const compared = (scenario: Record<string, unknown>) => ({
    config: scenario.config,
    per_label: scenario.per_label,
    kappa_vs_ai: scenario.kappa_vs_ai,
    filter_passed: scenario.filter_passed,
    scores: scenario.eq1,
  });

  it.each([
    ["syn3_reference", "markit-eq1"],
    ["syn3_proposed", "markit-eq1-safe"],
  ])("%s: %s reproduces every number", (scenario, policy) => {
    const want = compared(expected.scenarios[scenario]!);
    const got = runPolicy(policy, inputs, params);
    expect(mismatches(want, got, expected.tolerance)).toEqual([]);
    expect(leaves(want)).toBeGreaterThan(60);
  });

  it("whole tokens add up to the budget in both scenarios", () => {
    for (const policy of ["markit-eq1", "markit-eq1-safe"]) {
      const ints = Object.values(runPolicy(policy, inputs, params).scores.reward_int!);
      expect(ints.reduce((a, b) => a + b, 0)).toBe(expected.budget);
    }
  });

  it("the result does not depend on the order of the rows", () => {
    const shuffled: RewardInputs = { votes: [...inputs.votes].reverse(), ai: [...inputs.ai!].reverse() };
    for (const policy of ["markit-eq1", "markit-eq1-safe"]) {
      expect(JSON.stringify(runPolicy(policy, shuffled, params))).toBe(JSON.stringify(runPolicy(policy, inputs, params)));
    }
  });
});

describe("markit-eq1 edges (REWARD.md)", () => {
  const vote = (caseId: string, reader: string, value: boolean, label = "L") => ({ caseId, label, reader, value });

  it("with exactly 3 votes every vote is worth ±1/3 of the label weight, whatever the case's difficulty", () => {
    const votes = [vote("a", "A", true), vote("a", "B", true), vote("a", "C", true), vote("b", "A", true), vote("b", "B", true), vote("b", "C", false)];
    const r = runPolicy("markit-eq1", { votes });
    const w = r.per_label.L!.weight;
    expect(r.scores.S_per_label.A!.L).toBeCloseTo((2 / 3) * w, 12);
    expect(r.scores.S_per_label.C!.L).toBeCloseTo(0, 12);
  });

  it("a lone vote counts in markit-eq1 but not in markit-eq1-safe", () => {
    const votes = [vote("a", "A", true), vote("a", "B", true), vote("b", "A", false), vote("c", "C", true)];
    expect(runPolicy("markit-eq1", { votes }).per_label.L!.cells_counted).toBe(3);
    expect(runPolicy("markit-eq1-safe", { votes }).per_label.L!.cells_counted).toBe(1);
  });

  it("markit-eq1-safe pays nobody when every clipped score is 0; markit-eq1 reports the undefined share", () => {
    // Every cell a 1–1 tie: D = 1/2, so D~ = 0 and every S is 0.
    const votes = [vote("a", "A", true), vote("a", "B", false), vote("b", "A", false), vote("b", "B", true)];
    const safe = runPolicy("markit-eq1-safe", { votes });
    expect(Object.values(safe.scores.reward_int!)).toEqual([0, 0]);
    const raw = runPolicy("markit-eq1", { votes });
    expect(Object.values(raw.scores.reward).every(Number.isNaN)).toBe(true);
    expect(raw.scores.reward_int).toBeNull();
  });

  it("rejects a budget that is not a whole number of tokens and an unknown policy", () => {
    const votes = [vote("a", "A", true), vote("a", "B", true)];
    expect(() => runPolicy("markit-eq1", { votes }, { budget: 10.5 })).toThrow(/budget/);
    expect(() => runPolicy("markit-eq2", { votes })).toThrow(/unknown policy 'markit-eq2'/);
  });

  it("rejects two answers by one reader on one cell", () => {
    expect(() => runPolicy("markit-eq1", { votes: [vote("a", "A", true), vote("a", "A", false)] })).toThrow(/two answers by 'A'/);
  });
});
