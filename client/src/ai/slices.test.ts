import { describe, expect, it } from "vitest";
import { labelSlices, traceIndexAt, tracePoints } from "./slices";

describe("a classifier's prediction over a case's images", () => {
  const prediction = {
    outputs: [
      { label: "Bleed", value: 0.8, sopInstanceUid: "s2", frame: 1 },
      { label: "Clear", value: 0.5, sopInstanceUid: "m", frame: 2 },
    ],
    slices: {
      aggregate: "MAX",
      images: [
        { sopInstanceUid: "s1", frame: 1, values: [0.1, 0.3] },
        { sopInstanceUid: "s2", frame: 1, values: [0.8, 0.2] },
        { sopInstanceUid: "m", frame: 1, values: [0.4, 0.1] },
        { sopInstanceUid: "m", frame: 2, values: [0.2, 0.5] },
      ],
    },
  };

  it("names each label's strongest image by its place in the viewer's order, with the label's trace", () => {
    const [bleed, clear] = labelSlices(prediction);
    expect(bleed).toEqual({ index: 1, count: 4, sopInstanceUid: "s2", frame: 1, values: [0.1, 0.8, 0.4, 0.2], aggregate: "max" });
    // The frame counts: the same instance's frame 2 is the fourth image.
    expect(clear).toMatchObject({ index: 3, values: [0.3, 0.2, 0.1, 0.5] });
    expect(labelSlices({ ...prediction, slices: { ...prediction.slices, aggregate: "MEAN" } })[0]!.aggregate).toBe("mean");
    expect(labelSlices({ ...prediction, slices: { ...prediction.slices, aggregate: "SHARE" } })[0]!.aggregate).toBe("share");
  });

  it("has none for a case of one image, or an output naming no image of the trace", () => {
    expect(labelSlices({ outputs: prediction.outputs, slices: null })).toEqual([null, null]);
    expect(labelSlices({ outputs: [{ label: "Bleed", sopInstanceUid: null, frame: null }], slices: prediction.slices })).toEqual([null]);
  });

  it("draws the trace over its box, bottom 0 and top 1 unless given a range; clicks find the nearest image", () => {
    expect(tracePoints([0, 1, 0.5], 100, 20)).toBe("0,20 50,0 100,10");
    expect(tracePoints([10, 30], 10, 10, [10, 30])).toBe("0,10 10,0");
    expect(tracePoints([2], 10, 10)).toBe("0,0");
    expect([0, 24, 26, 100, 140].map((x) => traceIndexAt(x, 100, 3))).toEqual([0, 0, 1, 2, 2]);
    expect(traceIndexAt(50, 100, 1)).toBe(0);
  });
});
