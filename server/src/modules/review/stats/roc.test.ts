import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { aucInterval, delongAuc, rocCurve } from "./roc.js";

describe("ROC curve", () => {
  it("steps through the distinct scores, highest first, tied scores as one point", () => {
    // Positives 0.9 and 0.4, negatives 0.7, 0.4 and 0.1.
    const curve = rocCurve([0.9, 0.7, 0.4, 0.4, 0.1], [true, false, true, false, false]);
    expect(curve).toEqual([
      { threshold: null, falsePositiveRate: 0, truePositiveRate: 0 },
      { threshold: 0.9, falsePositiveRate: 0, truePositiveRate: 0.5 },
      { threshold: 0.7, falsePositiveRate: 1 / 3, truePositiveRate: 0.5 },
      { threshold: 0.4, falsePositiveRate: 2 / 3, truePositiveRate: 1 },
      { threshold: 0.1, falsePositiveRate: 1, truePositiveRate: 1 },
    ]);
    expect(rocCurve([0.2, 0.3], [true, true])).toEqual([]);
  });
});

describe("DeLong's AUC and its variance", () => {
  /** The definitions, pair by pair: V10 per positive, V01 per negative, their sample variances. */
  function bruteForce(scores: number[], truth: boolean[]) {
    const x = scores.filter((_, i) => truth[i]);
    const y = scores.filter((_, i) => !truth[i]);
    const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
    const v10 = x.map((a) => y.reduce((s, b) => s + psi(a, b), 0) / y.length);
    const v01 = y.map((b) => x.reduce((s, a) => s + psi(a, b), 0) / x.length);
    const auc = v10.reduce((s, v) => s + v, 0) / x.length;
    const s10 = v10.reduce((s, v) => s + (v - auc) ** 2, 0) / (x.length - 1);
    const s01 = v01.reduce((s, v) => s + (v - auc) ** 2, 0) / (y.length - 1);
    return { auc, variance: s10 / x.length + s01 / y.length };
  }

  it("agrees with the pair-by-pair definitions, ties included", () => {
    const rnd = seededRandom(5);
    for (let round = 0; round < 20; round++) {
      const n = 8 + Math.floor(rnd() * 60);
      const truth = Array.from({ length: n }, (_, i) => i < 2 || (i >= 4 && rnd() < 0.4));
      // Scores on a coarse grid, so many tie, higher for positives on the whole.
      const scores = truth.map((t) => Math.round((rnd() + (t ? 0.4 : 0)) * 8) / 8);
      const got = delongAuc(scores, truth)!;
      const want = bruteForce(scores, truth);
      expect(got.auc).toBeCloseTo(want.auc, 12);
      expect(got.variance!).toBeCloseTo(want.variance, 12);
    }
  });

  it("gives a 95% interval around the area that narrows with more cases, and none with fewer than two of a class", () => {
    const rnd = seededRandom(9);
    const sample = (n: number) => {
      const truth = Array.from({ length: n }, (_, i) => i % 3 === 0);
      return { truth, scores: truth.map((t) => rnd() + (t ? 0.5 : 0)) };
    };
    const small = sample(30);
    const large = sample(600);
    const [lo, hi] = aucInterval(delongAuc(small.scores, small.truth)!)!;
    const [lo2, hi2] = aucInterval(delongAuc(large.scores, large.truth)!)!;
    const a = delongAuc(small.scores, small.truth)!.auc;
    expect(lo).toBeLessThan(a);
    expect(hi).toBeGreaterThan(a);
    expect(hi2 - lo2).toBeLessThan((hi - lo) / 2);
    // 1.96 standard errors each side.
    const e = delongAuc(large.scores, large.truth)!;
    expect((hi2 - lo2) / 2).toBeCloseTo(1.959964 * Math.sqrt(e.variance!), 5);
    expect(aucInterval(delongAuc([0.9, 0.2, 0.1], [true, false, false])!)).toBeNull();
    expect(delongAuc([0.9, 0.2], [true, true])).toBeNull();
  });
});
