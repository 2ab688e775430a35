import { normalQuantile } from "./times.js";

// A model's scores against a binary reference: the ROC curve, its area, and DeLong's variance of
// that area (DeLong, DeLong and Clarke-Pearson 1988), worked out from midranks as Sun and Xu (2014)
// do, so it takes O(n log n) rather than a pass over every positive-negative pair.

export interface RocPoint {
  /** Cases scoring at least this are called positive; null for the curve's start (none called). */
  threshold: number | null;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** The curve's corners, from (0, 0) to (1, 1): one point per distinct score, highest first. Empty without both classes. */
export function rocCurve(scores: readonly number[], truth: readonly boolean[]): RocPoint[] {
  const positives = truth.filter(Boolean).length;
  const negatives = truth.length - positives;
  if (!positives || !negatives) return [];
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const curve: RocPoint[] = [{ threshold: null, falsePositiveRate: 0, truePositiveRate: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; ) {
    const threshold = scores[order[k]!]!;
    // Tied scores are called together: one point for all of them.
    while (k < order.length && scores[order[k]!] === threshold) {
      if (truth[order[k]!]) tp++;
      else fp++;
      k++;
    }
    curve.push({ threshold, falsePositiveRate: fp / negatives, truePositiveRate: tp / positives });
  }
  return curve;
}

/** 1-based ranks, ties sharing the mean of the ranks they span. */
function midranks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let t = i; t <= j; t++) ranks[order[t]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

export interface AucEstimate {
  /** The probability a random positive scores above a random negative, ties counting one half. */
  auc: number;
  /** DeLong's variance of it; null with fewer than two of either class. */
  variance: number | null;
}

/** The area under the ROC curve with DeLong's variance; null without both classes. */
export function delongAuc(scores: readonly number[], truth: readonly boolean[]): AucEstimate | null {
  const x = scores.filter((_, i) => truth[i]);
  const y = scores.filter((_, i) => !truth[i]);
  const m = x.length;
  const n = y.length;
  if (!m || !n) return null;
  const all = midranks([...x, ...y]);
  const rx = midranks(x);
  const ry = midranks(y);
  // Each positive's share of negatives below it (ties half), and each negative's share of positives above it.
  const v10 = x.map((_, i) => (all[i]! - rx[i]!) / n);
  const v01 = y.map((_, j) => 1 - (all[m + j]! - ry[j]!) / m);
  const auc = v10.reduce((a, b) => a + b, 0) / m;
  if (m < 2 || n < 2) return { auc, variance: null };
  const s10 = v10.reduce((a, v) => a + (v - auc) ** 2, 0) / (m - 1);
  const s01 = v01.reduce((a, v) => a + (v - auc) ** 2, 0) / (n - 1);
  return { auc, variance: s10 / m + s01 / n };
}

/** A two-sided normal confidence interval of the area, clipped to [0, 1]; null without a variance. */
export function aucInterval(estimate: AucEstimate, level = 0.95): [number, number] | null {
  if (estimate.variance === null) return null;
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(estimate.variance);
  return [Math.max(0, estimate.auc - half), Math.min(1, estimate.auc + half)];
}
