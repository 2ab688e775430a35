import { describe, expect, it } from "vitest";
import { aggregateSlices, evenSample, labelsByImage } from "./series.js";

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

describe("an even sample of a case's images", () => {
  it("takes every image of a short case, and of a long one images spread from end to end, each once", () => {
    const images = Array.from({ length: 300 }, (_, i) => i);
    expect(evenSample(images.slice(0, 5), 8)).toEqual([0, 1, 2, 3, 4]);
    expect(evenSample(images.slice(0, 8), 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The middle of each of 8 equal runs.
    expect(evenSample(images.slice(0, 16), 8)).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    const sample = evenSample(images, 8);
    expect(sample).toHaveLength(8);
    expect(new Set(sample).size).toBe(8);
    expect(sample[0]).toBeLessThan(300 / 8);
    expect(sample.at(-1)).toBeGreaterThan(300 - 300 / 8);
    for (let i = 1; i < 8; i++) expect(sample[i]! - sample[i - 1]!).toBeCloseTo(300 / 8, -1);
  });
});
