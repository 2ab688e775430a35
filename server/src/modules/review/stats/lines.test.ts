import { describe, expect, it } from "vitest";
import { blandAltman, lengthBlandAltman, lineLength, matchLines, midpoint, type LineXY } from "./lines.js";
import { matchingF1 } from "./points.js";

/** A horizontal line of `length` px centred on (x, y). */
const across = (x: number, y: number, length: number): LineXY => [
  [x - length / 2, y],
  [x + length / 2, y],
];

describe("matchLines", () => {
  it("pairs lines by their midpoints within the tolerance, one to one, and gives each pair's length difference, a minus b", () => {
    // a: 10 px long at (5,0), 10 px long at (20,25). b: 12 px long at (8,4), 5 px from (5,0) (3-4-5), and one at (55,50), far from both.
    const a: LineXY[] = [[[0, 0], [10, 0]], [[20, 20], [20, 30]]];
    const b: LineXY[] = [[[2, 4], [14, 4]], [[50, 50], [60, 50]]];
    const m = matchLines(a, b, 10);
    expect(m).toEqual({ pairs: [{ a: 0, b: 0, distance: 5, lengthDifference: -2, lengthDifferenceMm: null, lengthMean: 11, lengthMeanMm: null }], unmatchedA: 1, unmatchedB: 1 });
    expect(matchingF1(m)).toBe(0.5);
    // The other way round the difference changes sign.
    expect(matchLines(b, a, 10).pairs).toEqual([{ a: 0, b: 0, distance: 5, lengthDifference: 2, lengthDifferenceMm: null, lengthMean: 11, lengthMeanMm: null }]);
  });

  it("compares midpoints, not ends or directions: the same line drawn from the other end, a cross, and a shared end", () => {
    // Drawn the other way: the same midpoint and length.
    expect(matchLines([[[0, 0], [30, 40]]], [[[30, 40], [0, 0]]], 10).pairs).toEqual([{ a: 0, b: 0, distance: 0, lengthDifference: 0, lengthDifferenceMm: null, lengthMean: 50, lengthMeanMm: null }]);
    // Crossing at their midpoints (5,5), one across and one down: the same place, equal lengths.
    expect(matchLines([[[0, 5], [10, 5]]], [[[5, 0], [5, 10]]], 10).pairs).toEqual([{ a: 0, b: 0, distance: 0, lengthDifference: 0, lengthDifferenceMm: null, lengthMean: 10, lengthMeanMm: null }]);
    // Sharing an end but 40 px long each way: midpoints (20,0) and (0,20) are 28.3 px apart.
    expect(matchLines([[[0, 0], [40, 0]]], [[[0, 0], [0, 40]]], 10)).toMatchObject({ pairs: [], unmatchedA: 1, unmatchedB: 1 });
    expect(midpoint([[2, 4], [14, 4]])).toEqual([8, 4]);
  });

  it("counts a pair whose midpoints are exactly the tolerance apart, not one beyond it", () => {
    // Midpoints (1,0) and (7,8): a 6-8-10 triangle.
    const a: LineXY[] = [[[0, 0], [2, 0]]];
    const b: LineXY[] = [[[6, 8], [8, 8]]];
    expect(matchLines(a, b, 10).pairs).toEqual([{ a: 0, b: 0, distance: 10, lengthDifference: 0, lengthDifferenceMm: null, lengthMean: 2, lengthMeanMm: null }]);
    expect(matchLines(a, b, 9.999)).toEqual({ pairs: [], unmatchedA: 1, unmatchedB: 1 });
  });

  it("matches optimally, as points are: the most pairs where nearest-first would strand a line", () => {
    // Midpoints a (0,0) (8,0), b (7,0) (15,0): nearest first takes (8,0)–(7,0) and leaves (0,0) 15 px from (15,0).
    const m = matchLines([across(0, 0, 2), across(8, 0, 4)], [across(7, 0, 2), across(15, 0, 2)], 10);
    expect(m.pairs).toEqual([
      { a: 0, b: 0, distance: 7, lengthDifference: 0, lengthDifferenceMm: null, lengthMean: 2, lengthMeanMm: null },
      { a: 1, b: 1, distance: 7, lengthDifference: 2, lengthDifferenceMm: null, lengthMean: 3, lengthMeanMm: null },
    ]);
    expect(matchingF1(m)).toBe(1);
  });

  it("handles empty sets: F1 null when neither has lines, 0 when one has", () => {
    expect(matchLines([], [], 10)).toEqual({ pairs: [], unmatchedA: 0, unmatchedB: 0 });
    expect(matchingF1(matchLines([], [], 10))).toBeNull();
    expect(matchingF1(matchLines([across(0, 0, 4)], [], 10))).toBe(0);
  });

  it("measures lengths in millimetres with rows and columns each by their own spacing", () => {
    // Pixel Spacing [2, 0.5]: 2 mm between rows (down, y), 0.5 mm between columns (across, x).
    const spacing = [2, 0.5] as const;
    // Across 12 px: 12 × 0.5 = 6 mm. Down 6 px: 6 × 2 = 12 mm. A 3-4-5 diagonal: √((3 × 0.5)² + (4 × 2)²) = √66.25 mm.
    expect(lineLength([[0, 10], [12, 10]], spacing)).toBe(6);
    expect(lineLength([[6, 7], [6, 13]], spacing)).toBe(12);
    expect(lineLength([[0, 0], [3, 4]], spacing)).toBeCloseTo(Math.sqrt(66.25), 12);
    expect(lineLength([[0, 0], [3, 4]])).toBe(5);
    // The two cross at (6,10): in pixels the first is 6 longer, in millimetres 6 shorter.
    const m = matchLines([[[0, 10], [12, 10]]], [[[6, 7], [6, 13]]], 10, spacing);
    expect(m.pairs).toEqual([{ a: 0, b: 0, distance: 0, lengthDifference: 6, lengthDifferenceMm: -6, lengthMean: 9, lengthMeanMm: 9 }]);
  });

  it("refuses a tolerance that is not a finite distance of 0 or more, as matchPoints does", () => {
    expect(() => matchLines([across(0, 0, 2)], [across(0, 0, 2)], -1)).toThrow(RangeError);
  });
});

describe("blandAltman", () => {
  it("gives the mean difference and the mean ± 1.96 SD, the SD over n − 1", () => {
    // 2, 4, 6: mean 4; squares of the deviations 4 + 0 + 4 = 8, over 3 − 1: SD 2; limits 4 ∓ 3.92.
    const ba = blandAltman([2, 4, 6]);
    expect(ba.n).toBe(3);
    expect(ba.bias).toBe(4);
    expect(ba.sd).toBe(2);
    expect(ba.lowerLimit).toBeCloseTo(0.08, 12);
    expect(ba.upperLimit).toBeCloseTo(7.92, 12);
    // 1, 3, 5, −1: mean 2, deviations −1 1 3 −3, SD √(20/3).
    const four = blandAltman([1, 3, 5, -1]);
    expect(four.bias).toBe(2);
    expect(four.sd).toBeCloseTo(Math.sqrt(20 / 3), 12);
    expect(four.upperLimit! - four.lowerLimit!).toBeCloseTo(2 * 1.96 * Math.sqrt(20 / 3), 12);
  });

  it("has a bias but no limits with one difference, and nothing without one", () => {
    expect(blandAltman([-1.5])).toEqual({ n: 1, bias: -1.5, sd: null, lowerLimit: null, upperLimit: null });
    expect(blandAltman([])).toEqual({ n: 0, bias: null, sd: null, lowerLimit: null, upperLimit: null });
  });

  it("of lengths: in millimetres when every pair has them, else in pixels", () => {
    const pair = (px: number, mm: number | null) => ({ lengthDifference: px, lengthDifferenceMm: mm, lengthMean: 10 * px, lengthMeanMm: mm === null ? null : 10 * mm });
    const inMm = lengthBlandAltman([pair(4, 2), pair(8, 4), pair(12, 6)]);
    expect(inMm).toMatchObject({ unit: "MM", n: 3, bias: 4, sd: 2 });
    // Each pair a point of the plot, in the same unit: the mean of its two lengths, their difference.
    expect(inMm.points).toEqual([{ mean: 20, difference: 2 }, { mean: 40, difference: 4 }, { mean: 60, difference: 6 }]);
    // One pair on an image without a spacing: the pixels of all three.
    const inPx = lengthBlandAltman([pair(4, 2), pair(8, 4), pair(12, null)]);
    expect(inPx).toMatchObject({ unit: "PX", n: 3, bias: 8, sd: 4 });
    expect(inPx.points.map((p) => p.mean)).toEqual([40, 80, 120]);
    expect(lengthBlandAltman([])).toEqual({ unit: "PX", n: 0, bias: null, sd: null, lowerLimit: null, upperLimit: null, points: [] });
  });

  it("gives a matched pair the mean of its two lengths, in pixels and by the spacing", () => {
    // 3-4-5 against a 6-8-10 line, midpoints 2.5 px apart; rows 2 mm apart, columns 0.5 mm.
    const [p] = matchLines([[[0, 0], [3, 4]]], [[[0, 0], [6, 8]]], 10, [2, 0.5]).pairs;
    expect(p!.lengthMean).toBeCloseTo(7.5, 12);
    expect(p!.lengthDifference).toBeCloseTo(-5, 12);
    expect(p!.lengthMeanMm).toBeCloseTo((Math.hypot(1.5, 8) + Math.hypot(3, 16)) / 2, 12);
    expect(matchLines([[[0, 0], [3, 4]]], [[[0, 0], [6, 8]]], 10).pairs[0]!.lengthMeanMm).toBeNull();
  });
});
