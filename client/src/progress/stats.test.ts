import { describe, expect, it } from "vitest";
import { boxCells, boxSummary, formatSeconds, formatTick, linearScale, logScale, logTicks, niceNumber, niceTicks, quantile, sortedFinite } from "./stats";

describe("quantile (type 7, linear interpolation)", () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it("matches R's quantile(1:10) and NumPy's default", () => {
    // R: quantile(1:10) → 1.00 3.25 5.50 7.75 10.00
    expect(quantile(oneToTen, 0)).toBe(1);
    expect(quantile(oneToTen, 0.25)).toBeCloseTo(3.25, 12);
    expect(quantile(oneToTen, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantile(oneToTen, 0.75)).toBeCloseTo(7.75, 12);
    expect(quantile(oneToTen, 1)).toBe(10);
    // R: quantile(c(1, 3, 7, 15), 0.9) → 12.6
    expect(quantile([1, 3, 7, 15], 0.9)).toBeCloseTo(12.6, 12);
  });

  it("handles one value, none, and out-of-range p", () => {
    expect(quantile([4.2], 0.25)).toBe(4.2);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2], -1)).toBe(1);
    expect(quantile([1, 2], 2)).toBe(2);
  });

  it("sorts numerically and drops non-finite values", () => {
    expect(sortedFinite([10, 9, 100, Number.NaN, 1, Number.POSITIVE_INFINITY])).toEqual([1, 9, 10, 100]);
  });
});

describe("boxSummary", () => {
  it("puts whiskers at the furthest values within 1.5 × IQR and the rest as outliers", () => {
    // q1 3.25, q3 7.75, IQR 4.5: fences at -3.5 and 14.5.
    const box = boxSummary([100, 9, 8, 7, 6, 5, 4, 3, 2, 1])!;
    expect(box).toMatchObject({ n: 10, min: 1, max: 100, lowerWhisker: 1, upperWhisker: 9, outliers: [100] });
    expect(box.q1).toBeCloseTo(3.25, 12);
    expect(box.median).toBeCloseTo(5.5, 12);
    expect(box.q3).toBeCloseTo(7.75, 12);
  });

  it("finds outliers on both sides", () => {
    // Sorted: 0.2 4 5 5 6 6 7 30 → q1 4.75, q3 6.25, IQR 1.5: fences at 2.5 and 8.5.
    const box = boxSummary([5, 6, 4, 30, 7, 5, 6, 0.2])!;
    expect(box.q1).toBeCloseTo(4.75, 12);
    expect(box.median).toBeCloseTo(5.5, 12);
    expect(box.q3).toBeCloseTo(6.25, 12);
    expect(box).toMatchObject({ lowerWhisker: 4, upperWhisker: 7, outliers: [0.2, 30] });
  });

  it("summarises a single time as a flat box, and no times as null", () => {
    expect(boxSummary([12])).toEqual({ n: 1, min: 12, q1: 12, median: 12, q3: 12, max: 12, lowerWhisker: 12, upperWhisker: 12, outliers: [] });
    expect(boxSummary([])).toBeNull();
    expect(boxSummary([Number.NaN])).toBeNull();
  });
});

describe("axis ticks", () => {
  it("picks Heckbert's nice numbers", () => {
    expect(niceNumber(13.7, false)).toBe(20);
    expect(niceNumber(5, true)).toBe(5);
    expect(niceNumber(0.028, true)).toBeCloseTo(0.02, 12);
    expect(niceNumber(0.031, true)).toBeCloseTo(0.05, 12);
    expect(niceNumber(0.028, false)).toBeCloseTo(0.05, 12);
    expect(niceNumber(7.2, true)).toBe(10);
    expect(niceNumber(0, true)).toBe(0);
  });

  it("covers the data with round linear ticks", () => {
    expect(niceTicks(0, 13.7)).toEqual({ min: 0, max: 15, step: 5, ticks: [0, 5, 10, 15] });
    expect(niceTicks(0, 87)).toEqual({ min: 0, max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceTicks(0, 0.7).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    // Range 0.6 → 1, step 1/4 → 0.2; the axis starts below and ends above the data.
    expect(niceTicks(2.3, 2.9).ticks).toEqual([2.2, 2.4, 2.6, 2.8, 3]);
  });

  it("gives an axis around a single value or none", () => {
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const around = niceTicks(10, 10);
    expect(around.min).toBeLessThan(10);
    expect(around.max).toBeGreaterThan(10);
  });

  it("labels a log axis with 1-2-5 steps, decades over a wide span, every integer mantissa over a narrow one", () => {
    expect(logTicks(0.8, 45).ticks).toEqual([0.5, 1, 2, 5, 10, 20, 50]);
    expect(logTicks(0.1, 100_000).ticks).toEqual([0.1, 1, 10, 100, 1000, 10_000, 100_000]);
    expect(logTicks(21.7, 39.9).ticks).toEqual([20, 30, 40]);
    expect(logTicks(3, 3).ticks).toEqual([3, 4]);
    expect(logTicks(1, 1).ticks).toEqual([1, 2]);
  });
});

describe("scales and formatting", () => {
  it("maps linearly and logarithmically", () => {
    const x = linearScale(0, 20, 100, 300);
    expect(x(0)).toBe(100);
    expect(x(5)).toBe(150);
    expect(x(20)).toBe(300);
    const lx = logScale(1, 100, 0, 200);
    expect(lx(1)).toBeCloseTo(0, 9);
    expect(lx(10)).toBeCloseTo(100, 9);
    expect(lx(100)).toBeCloseTo(200, 9);
    expect(lx(0)).toBeCloseTo(0, 9); // at or below zero goes to the floor
  });

  it("formats ticks and seconds", () => {
    expect(formatTick(0.1 + 0.2)).toBe("0.3");
    expect(formatTick(100)).toBe("100");
    expect(formatSeconds(4.63)).toBe("4.6");
    expect(formatSeconds(13.95)).toBe("14.0");
    expect(formatSeconds(123.6)).toBe("124");
    expect(formatSeconds(null)).toBe("—");
  });
});

describe("a box's numbers in a table row", () => {
  it("are its count, the five numbers in seconds and its outliers' count", () => {
    expect(boxCells(boxSummary([10, 20, 30, 40, 200])!)).toEqual(["5", "10.0", "20.0", "30.0", "40.0", "200", "1"]);
  });
});
