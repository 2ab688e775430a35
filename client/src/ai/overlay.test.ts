import { describe, expect, it } from "vitest";
import { formatOutput, imageSizeFromBox, overlayMatrix } from "./overlay";

/** Applies a CSS matrix(a, b, c, d, e, f) to a point. */
function apply(matrix: string, [x, y]: [number, number]): [number, number] {
  const [a, b, c, d, e, f] = matrix.slice(7, -1).split(",").map(Number) as [number, number, number, number, number, number];
  return [a * x + c * y + e, b * x + d * y + f];
}

describe("overlayMatrix", () => {
  it("carries the overlay's corners onto the image's corners when panned and zoomed", () => {
    const m = overlayMatrix(200, 100, [30, 40], [430, 40], [30, 240])!;
    expect(apply(m, [0, 0])).toEqual([30, 40]);
    expect(apply(m, [200, 100])).toEqual([430, 240]);
    expect(apply(m, [50, 25])).toEqual([130, 90]);
  });

  it("follows a horizontal flip and a quarter turn", () => {
    const flipped = overlayMatrix(10, 10, [100, 0], [0, 0], [100, 100])!;
    expect(apply(flipped, [10, 0])).toEqual([0, 0]);
    expect(apply(flipped, [2, 5])).toEqual([80, 50]);
    const turned = overlayMatrix(10, 20, [0, 0], [0, 30], [-60, 0])!;
    expect(apply(turned, [10, 20])).toEqual([-60, 30]);
  });

  it("refuses a degenerate mapping or size", () => {
    expect(overlayMatrix(0, 10, [0, 0], [1, 0], [0, 1])).toBeNull();
    expect(overlayMatrix(10, 10, [0, 0], [5, 5], [10, 10])).toBeNull();
  });
});

describe("imageSizeFromBox", () => {
  it("recovers the size from one pixel's steps and the covered box", () => {
    expect(imageSizeFromBox([2, 0], [0, 2], { width: 512, height: 448 })).toEqual({ columns: 256, rows: 224 });
    // A quarter turn: columns run down the canvas.
    expect(imageSizeFromBox([0, 1.5], [-1.5, 0], { width: 336, height: 384 })).toEqual({ columns: 256, rows: 224 });
    expect(imageSizeFromBox([1, 1], [1, 1], { width: 10, height: 10 })).toBeNull();
  });
});

describe("formatOutput", () => {
  it("shows probabilities as whole percentages and regression values as numbers", () => {
    expect(formatOutput(0.834, "MULTILABEL")).toBe("83 %");
    expect(formatOutput(1.2, "BINARY")).toBe("100 %");
    expect(formatOutput(12.3456, "REGRESSION")).toBe("12.3");
  });

  it("shows a segmentation label's share of the image to a tenth of a percent, never as a probability", () => {
    expect(formatOutput(0.1234, "SEGMENTATION")).toBe("12.3 % of the image");
    expect(formatOutput(0, "SEGMENTATION")).toBe("0.0 % of the image");
    expect(formatOutput(0.0001, "SEGMENTATION")).toBe("< 0.1 % of the image");
    expect(formatOutput(1, "SEGMENTATION")).toBe("100.0 % of the image");
  });
});
