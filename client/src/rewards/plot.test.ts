import { describe, expect, it } from "vitest";
import { barLayout } from "./plot";

describe("barLayout", () => {
  const opts = { width: 500, band: 20, left: 100, right: 50, bottom: 20 };

  it("scales bars from 0 to a nice maximum at least the largest value", () => {
    const l = barLayout(
      [
        { key: "a", name: "Ann", value: 600 },
        { key: "b", name: "Bo", value: 400 },
      ],
      opts,
    );
    // 0…600 on 350 px: ticks 0, 200, 400, 600 (niceTicks' step for a 600 range is 200).
    expect(l.ticks.map((t) => t.value)).toEqual([0, 200, 400, 600]);
    expect(l.ticks[0]!.x).toBe(100);
    expect(l.ticks.at(-1)!.x).toBe(450);
    expect(l.bars.map((b) => b.length)).toEqual([350, (400 / 600) * 350]);
    expect(l.bars.map((b) => b.y)).toEqual([0, 20]);
    expect(l.height).toBe(2 * 20 + 20);
  });

  it("rounds the axis up past the largest bar", () => {
    const l = barLayout([{ key: "a", name: "Ann", value: 733 }], opts);
    const max = l.ticks.at(-1)!.value;
    expect(max).toBeGreaterThanOrEqual(733);
    expect(l.bars[0]!.length).toBeCloseTo((733 / max) * 350, 9);
    expect(l.bars[0]!.length).toBeLessThanOrEqual(350);
  });

  it("draws no bar for zero, negative, undefined or non-finite values, and keeps their rows", () => {
    const l = barLayout(
      [
        { key: "a", name: "Ann", value: 0 },
        { key: "b", name: "Bo", value: -3.5 },
        { key: "c", name: "Cy", value: null },
        { key: "d", name: "Di", value: Number.NaN },
      ],
      opts,
    );
    expect(l.bars.map((b) => b.length)).toEqual([0, 0, 0, 0]);
    expect(l.bars.map((b) => b.key)).toEqual(["a", "b", "c", "d"]);
    // With nothing to scale the axis still has a range, so no division by zero.
    expect(l.ticks.length).toBeGreaterThan(1);
    expect(l.ticks.every((t) => Number.isFinite(t.x))).toBe(true);
  });

  it("lays out no rows as an empty plot", () => {
    const l = barLayout([], opts);
    expect(l.bars).toEqual([]);
    expect(l.height).toBe(20);
  });
});
