import { describe, expect, it } from "vitest";
import { sameRoi, type Roi } from "./roi";

const roi: Roi = { id: "r1", classId: "c1", kind: "FREEHAND", points: [[1, 2], [30, 2], [15, 40]], sopInstanceUid: "1.2.3", frame: 1 };

describe("sameRoi", () => {
  it("is the same shape within the tolerance, and differs by class, kind, image, frame or a point", () => {
    expect(sameRoi(roi, { ...roi, points: [[1.005, 2], [30, 2], [15, 40]] })).toBe(true);
    expect(sameRoi(roi, { ...roi, points: [[1.5, 2], [30, 2], [15, 40]] })).toBe(false);
    expect(sameRoi(roi, { ...roi, classId: "c2" })).toBe(false);
    expect(sameRoi(roi, { ...roi, frame: 2 })).toBe(false);
    expect(sameRoi(roi, { ...roi, sopInstanceUid: "1.2.4" })).toBe(false);
  });

  it("leaves out suggestedBy: the viewer's report of a region taken from a model is the layer's copy of it", () => {
    expect(sameRoi(roi, { ...roi, suggestedBy: "version-1" })).toBe(true);
    expect(sameRoi({ ...roi, suggestedBy: "version-1" }, { ...roi, suggestedBy: null })).toBe(true);
  });
});
