import { describe, expect, it } from "vitest";
import { l2Curve } from "./l2Curve";

describe("l2Curve", () => {
  it("draws lower losses lower, spaces the strengths evenly and marks the chosen one", () => {
    const c = l2Curve(
      [
        { l2: 0.01, loss: 0.5 },
        { l2: 0.1, loss: 0.3 },
        { l2: 1, loss: 0.7 },
      ],
      0.1,
      64,
      18,
      2,
    )!;
    // x: 2, 32, 62; y (SVG, down): the highest loss at the top (2), the lowest at the bottom (16).
    expect(c.path).toBe("M2 9 L32 16 L62 2");
    expect(c.chosen).toEqual({ x: 32, y: 16 });
    expect(c.text).toBe("Mean validation loss by L2: 0.01 → 0.500, 0.1 → 0.300, 1 → 0.700; chosen 0.1");
  });

  it("draws a flat curve across the middle, and marks nothing when the chosen strength was not tried", () => {
    const c = l2Curve(
      [
        { l2: 0.01, loss: 0.4 },
        { l2: 0.1, loss: 0.4 },
      ],
      0.5,
    )!;
    expect(c.path).toBe("M2 9 L62 9");
    expect(c.chosen).toBeNull();
    expect(l2Curve([{ l2: 1, loss: 1 }], 1)).toBeNull();
  });
});
