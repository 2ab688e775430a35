// Agreement of two sets of lines (stored lengths of one class on one image and frame): matched one
// to one by the distance between their midpoints, with the matching of points (points.ts), and the
// matched pairs' lengths compared, down to the Bland–Altman figures of their differences. Pure, no I/O.
import { distanceMm } from "../../images/spacing.js";
import { matchPoints, mean, type PointPair, type PointXY } from "./points.js";

/** A line as stored: its two ends in image pixels, in the order drawn (see annotations/geometry.ts). */
export type LineXY = readonly [PointXY, PointXY];

/** The value of z for a two-sided 95 % interval of a normal distribution, as Bland and Altman use it. */
const Z95 = 1.96;

export function midpoint(line: LineXY): PointXY {
  return [(line[0][0] + line[1][0]) / 2, (line[0][1] + line[1][1]) / 2];
}

/** In image pixels; in millimetres with the image's spacing ([between rows, between columns], as points' distances take it). */
export function lineLength(line: LineXY, spacing: readonly [number, number] | null = null): number {
  return spacing ? distanceMm(line[0], line[1], spacing) : Math.hypot(line[1][0] - line[0][0], line[1][1] - line[0][1]);
}

/** A matched pair of lines: `distance` is between their midpoints (image pixels). */
export interface LinePair extends PointPair {
  /** The first set's line's length minus the second's, in image pixels. */
  lengthDifference: number;
  /** The same in millimetres, each length by the image's spacing; null on an image without one. */
  lengthDifferenceMm: number | null;
  /** The mean of the two lengths (a Bland–Altman plot's x), in image pixels, and in millimetres where the image has a spacing. */
  lengthMean: number;
  lengthMeanMm: number | null;
}

export interface LineMatching {
  /** In the order of `a`. */
  pairs: LinePair[];
  unmatchedA: number;
  unmatchedB: number;
}

/**
 * The best one-to-one matching of lines a and b by their midpoints (matchPoints: as many pairs as
 * possible with midpoints at most `tolerance` image pixels apart, then the least total distance),
 * and each pair's difference in length, a minus b. A line's direction plays no part: the same
 * measurement drawn from the other end is the same line. With the image's spacing the differences
 * are in millimetres too.
 */
export function matchLines(a: ReadonlyArray<LineXY>, b: ReadonlyArray<LineXY>, tolerance: number, spacing: readonly [number, number] | null = null): LineMatching {
  const m = matchPoints(a.map(midpoint), b.map(midpoint), tolerance);
  return {
    ...m,
    pairs: m.pairs.map((p) => {
      const [la, lb] = [lineLength(a[p.a]!), lineLength(b[p.b]!)];
      const mm = spacing ? [lineLength(a[p.a]!, spacing), lineLength(b[p.b]!, spacing)] : null;
      return { ...p, lengthDifference: la - lb, lengthDifferenceMm: mm ? mm[0]! - mm[1]! : null, lengthMean: (la + lb) / 2, lengthMeanMm: mm ? (mm[0]! + mm[1]!) / 2 : null };
    }),
  };
}

export interface BlandAltman {
  /** The differences it is over. */
  n: number;
  /** The mean difference; null without one. */
  bias: number | null;
  /** Standard deviation of the differences (n − 1 in the denominator); null with fewer than two. */
  sd: number | null;
  /** bias ∓ 1.96 SD, the 95 % limits of agreement; null with fewer than two differences. */
  lowerLimit: number | null;
  upperLimit: number | null;
}

/** Bland and Altman's figures of paired differences (Lancet 1986): the bias and the 95 % limits of agreement. */
export function blandAltman(differences: readonly number[]): BlandAltman {
  const n = differences.length;
  const bias = mean(differences);
  if (bias === null || n < 2) return { n, bias, sd: null, lowerLimit: null, upperLimit: null };
  const sd = Math.sqrt(differences.reduce((s, d) => s + (d - bias) ** 2, 0) / (n - 1));
  return { n, bias, sd, lowerLimit: bias - Z95 * sd, upperLimit: bias + Z95 * sd };
}

export type LengthUnit = "MM" | "PX";

/** The most pairs a Bland–Altman plot is given (the figures are over all of them): more would only blacken it. */
export const MAX_BLAND_ALTMAN_POINTS = 2000;

/**
 * Bland–Altman of matched lines' length differences, in millimetres when every pair lies on an
 * image with a spacing, else in image pixels: pixels of images with different spacings are not one
 * unit, and millimetres of some pairs only would leave the others out unsaid. With each pair as a
 * point of the plot (the mean of its two lengths, their difference), the first
 * MAX_BLAND_ALTMAN_POINTS of them in the pairs' order.
 */
export function lengthBlandAltman(
  pairs: ReadonlyArray<Pick<LinePair, "lengthDifference" | "lengthDifferenceMm" | "lengthMean" | "lengthMeanMm">>,
): BlandAltman & { unit: LengthUnit; points: Array<{ mean: number; difference: number }> } {
  const mm = pairs.length > 0 && pairs.every((p) => p.lengthDifferenceMm !== null && p.lengthMeanMm !== null);
  const points = pairs.map((p) => (mm ? { mean: p.lengthMeanMm!, difference: p.lengthDifferenceMm! } : { mean: p.lengthMean, difference: p.lengthDifference }));
  return { unit: mm ? "MM" : "PX", ...blandAltman(points.map((p) => p.difference)), points: points.slice(0, MAX_BLAND_ALTMAN_POINTS) };
}
