import { describe, expect, it } from "vitest";
import { blandAltmanLayout } from "./blandAltman";

describe("the Bland–Altman plot's layout", () => {
  it("holds every point, the bias, the limits and zero, with round ticks", () => {
    const l = blandAltmanLayout({ bias: 1.5, lowerLimit: -3.2, upperLimit: 6.2, points: [{ mean: 12, difference: 4 }, { mean: 31, difference: -1 }] }, 200, 100)!;
    expect(l.x.min).toBeLessThanOrEqual(12);
    expect(l.x.max).toBeGreaterThanOrEqual(31);
    // The limits lie beyond the points: the y axis covers them.
    expect(l.y.min).toBeLessThanOrEqual(-3.2);
    expect(l.y.max).toBeGreaterThanOrEqual(6.2);
    for (const v of [l.y.min, l.y.max]) expect(Number.isInteger(v)).toBe(true);
    // y grows upwards: a larger difference is higher on the plot (a smaller SVG y).
    expect(l.yOf(4)).toBeLessThan(l.yOf(-1));
    expect(l.yOf(l.y.min)).toBeCloseTo(100, 12);
    expect(l.yOf(l.y.max)).toBeCloseTo(0, 12);
    expect(l.at(l.x.min, 0).x).toBeCloseTo(0, 12);
    expect(l.at(l.x.max, 0).x).toBeCloseTo(200, 12);
  });

  it("puts zero on the axis even when every difference has one sign, and draws nothing without points", () => {
    const l = blandAltmanLayout({ bias: 5, lowerLimit: null, upperLimit: null, points: [{ mean: 10, difference: 5 }] }, 100, 100)!;
    expect(l.y.min).toBeLessThanOrEqual(0);
    expect(l.y.max).toBeGreaterThanOrEqual(5);
    expect(blandAltmanLayout({ bias: null, lowerLimit: null, upperLimit: null, points: [] }, 100, 100)).toBeNull();
  });
});
