import { describe, expect, it } from "vitest";
import { aggregateSlices, labelsByImage } from "./series.js";

describe("a classifier's outputs over a case's images", () => {
  // Three images, two labels.
  const values = [
    [0.2, 0.9],
    [0.7, 0.1],
    [0.7, 0.4],
  ];

  it("max: each label's highest output, and the first image that has it", () => {
    expect(aggregateSlices(values, "max")).toEqual([
      { value: 0.7, best: 1 },
      { value: 0.9, best: 0 },
    ]);
  });

  it("mean: each label's mean, the heatmap still from its highest image", () => {
    const [a, b] = aggregateSlices(values, "mean");
    expect(a!.value).toBeCloseTo(1.6 / 3, 12);
    expect(b!.value).toBeCloseTo(1.4 / 3, 12);
    expect([a!.best, b!.best]).toEqual([1, 0]);
  });

  it("one image is itself; negative outputs (regression) are compared as they are", () => {
    expect(aggregateSlices([[-3, 2]], "max")).toEqual([{ value: -3, best: 0 }, { value: 2, best: 0 }]);
    expect(aggregateSlices([[-3], [-1], [-2]], "max")).toEqual([{ value: -1, best: 1 }]);
    expect(() => aggregateSlices([], "max")).toThrow(/no image/);
  });

  it("groups the labels by the image their heatmap is made on: one run per image", () => {
    expect([...labelsByImage([{ value: 1, best: 2 }, { value: 1, best: 0 }, { value: 1, best: 2 }])]).toEqual([
      [2, [0, 2]],
      [0, [1]],
    ]);
  });
});
