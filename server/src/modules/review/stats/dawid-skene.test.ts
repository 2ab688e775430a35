import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_REWARD_VECTORS, readVectorCsv, readVectorJson, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { dawidSkene, dawidSkeneBinary } from "./dawid-skene.js";

const VECTORS = rewardVectorsDir();

interface Rater {
  name: string;
  sensitivity: number;
  specificity: number;
}

/** Synthetic binary votes with known rater accuracies; returns the votes and the truth. */
function synthetic(seed: number, items: number, prevalence: number, raters: Rater[], votesPerItem = raters.length) {
  const rnd = seededRandom(seed);
  const truth = new Map<string, boolean>();
  const votes: Array<{ item: string; rater: string; value: boolean }> = [];
  for (let i = 0; i < items; i++) {
    const item = `case${String(i).padStart(5, "0")}`;
    const t = rnd() < prevalence;
    truth.set(item, t);
    // A random subset of the raters votes on each item.
    const order = raters.map((r) => ({ r, k: rnd() })).sort((a, b) => a.k - b.k).slice(0, votesPerItem);
    for (const { r } of order) {
      const correct = rnd() < (t ? r.sensitivity : r.specificity);
      votes.push({ item, rater: r.name, value: correct ? t : !t });
    }
  }
  return { votes, truth };
}

describe("dawidSkene (general)", () => {
  it.skipIf(!VECTORS)(`reproduces the 1979 anaesthetist example from validation_expected.json (${NO_REWARD_VECTORS})`, () => {
    const dir = VECTORS!;
    const want = readVectorJson<{ dawid_skene_1979_anaesthetists: { class_marginals: number[]; log_likelihood: number } }>(dir, "validation_expected.json")
      .dawid_skene_1979_anaesthetists;
    const votes = readVectorCsv(dir, "dawid_skene_1979_table1.csv").map((r) => ({
      item: r.patient!.padStart(2, "0"),
      rater: r.observer!,
      value: Number(r.rating) - 1,
    }));
    expect(votes.length).toBe(45 * 7);
    const res = dawidSkene(votes, { classes: 4 });
    expect(res.converged).toBe(true);
    expect(res.items.length).toBe(45);
    expect(res.raters).toEqual(["1", "2", "3", "4", "5"]);
    res.prior.forEach((p, k) => expect(Math.abs(p - want.class_marginals[k]!)).toBeLessThan(1e-9));
    expect(Math.abs(res.logLikelihood - want.log_likelihood)).toBeLessThan(1e-8);
    // Every confusion row is a distribution.
    for (const m of res.confusion.values()) for (const row of m) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("never decreases the log-likelihood (EM monotonicity) on random categorical data", () => {
    const rnd = seededRandom(99);
    const votes = Array.from({ length: 300 }, () => ({ item: `i${Math.floor(rnd() * 60)}`, rater: `r${Math.floor(rnd() * 4)}`, value: Math.floor(rnd() * 3) }));
    let last = -Infinity;
    for (let it = 1; it <= 15; it++) {
      const ll = dawidSkene(votes, { classes: 3, maxIterations: it, tolerance: 0 }).logLikelihood;
      expect(ll).toBeGreaterThanOrEqual(last - 1e-9);
      last = ll;
    }
  });

  it("is deterministic: vote order does not change a single bit", () => {
    const { votes } = synthetic(4, 200, 0.4, [
      { name: "a", sensitivity: 0.9, specificity: 0.8 },
      { name: "b", sensitivity: 0.7, specificity: 0.9 },
      { name: "c", sensitivity: 0.6, specificity: 0.6 },
    ]);
    const rnd = seededRandom(1);
    const shuffled = votes.map((v) => ({ v, k: rnd() })).sort((a, b) => a.k - b.k).map((x) => x.v);
    const a = dawidSkeneBinary(votes);
    const b = dawidSkeneBinary(shuffled);
    expect([...b.posterior]).toEqual([...a.posterior]);
    expect([...b.sensitivity]).toEqual([...a.sensitivity]);
    expect(b.logLikelihood).toBe(a.logLikelihood);
  });

  it("rejects values outside the classes", () => {
    expect(() => dawidSkene([{ item: "x", rater: "r", value: 3 }], { classes: 3 })).toThrow(RangeError);
    expect(() => dawidSkene([{ item: "x", rater: "r", value: -1 }])).toThrow(RangeError);
  });
});

describe("dawidSkeneBinary", () => {
  it("recovers known sensitivities and specificities, and a random rater gets sensitivity + specificity ≈ 1", () => {
    const raters: Rater[] = [
      { name: "expert", sensitivity: 0.95, specificity: 0.9 },
      { name: "good", sensitivity: 0.85, specificity: 0.8 },
      { name: "picky", sensitivity: 0.6, specificity: 0.97 },
      { name: "eager", sensitivity: 0.9, specificity: 0.7 },
      { name: "random", sensitivity: 0.5, specificity: 0.5 },
    ];
    const { votes, truth } = synthetic(2024, 3000, 0.3, raters);
    const res = dawidSkeneBinary(votes);
    expect(res.converged).toBe(true);
    expect(Math.abs(res.prevalence - 0.3)).toBeLessThan(0.03);
    for (const r of raters) {
      expect(Math.abs(res.sensitivity.get(r.name)! - r.sensitivity)).toBeLessThan(0.05);
      expect(Math.abs(res.specificity.get(r.name)! - r.specificity)).toBeLessThan(0.05);
    }
    const rnd = res.sensitivity.get("random")! + res.specificity.get("random")!;
    expect(Math.abs(rnd - 1)).toBeLessThan(0.06);
    // The posterior is a better truth than a bare majority: most items classified right.
    let right = 0;
    for (const [item, t] of truth) if (res.posterior.get(item)! > 0.5 === t) right++;
    expect(right / truth.size).toBeGreaterThan(0.93);
  });

  it("works with 3 of 6 raters per item", () => {
    const raters: Rater[] = Array.from({ length: 6 }, (_, i) => ({ name: `r${i}`, sensitivity: 0.7 + 0.04 * i, specificity: 0.92 - 0.03 * i }));
    const { votes } = synthetic(77, 4000, 0.45, raters, 3);
    const res = dawidSkeneBinary(votes);
    for (const r of raters) {
      expect(Math.abs(res.sensitivity.get(r.name)! - r.sensitivity)).toBeLessThan(0.06);
      expect(Math.abs(res.specificity.get(r.name)! - r.specificity)).toBeLessThan(0.06);
    }
  });

  it("stays finite with a perfect rater and with unanimous data (smoothing)", () => {
    // Three raters: with two, which of them is "right" is not identifiable.
    const { votes } = synthetic(8, 200, 0.5, [
      { name: "perfect", sensitivity: 1, specificity: 1 },
      { name: "ok", sensitivity: 0.8, specificity: 0.8 },
      { name: "fair", sensitivity: 0.75, specificity: 0.85 },
    ]);
    const res = dawidSkeneBinary(votes);
    for (const v of [...res.posterior.values(), ...res.sensitivity.values(), ...res.specificity.values(), res.prevalence, res.logLikelihood]) {
      expect(Number.isFinite(v)).toBe(true);
    }
    expect(res.sensitivity.get("perfect")!).toBeLessThan(1);
    expect(res.sensitivity.get("perfect")!).toBeGreaterThan(0.98);
    const unanimous = ["a", "b", "c"].flatMap((rater) => ["x", "y"].map((item) => ({ item, rater, value: false })));
    const u = dawidSkeneBinary(unanimous);
    expect(u.posterior.get("x")!).toBeLessThan(0.5);
    expect(Number.isFinite(u.logLikelihood)).toBe(true);
    expect(dawidSkeneBinary([]).posterior.size).toBe(0);
  });
});
