import { describe, expect, it } from "vitest";
import { boundingBox, coveredSuggestions, heldSuggestions, shapeOverlap, MAX_ROIS, suggestionShapes, suggestionsOf, MAX_TOTAL_POINTS, overAnnotationLimits, regionKey, regionRoi, suggestionShown, UNMATCHED_CLASS_PREFIX, type SuggestedRegion } from "./regions";
import type { Roi } from "../viewer/roi";

/** A disc's outline, roughly: an octagon around (100, 80) with a radius of 20. */
const OUTLINE = [
  [92, 60],
  [108, 60],
  [120, 72],
  [120, 88],
  [108, 100],
  [92, 100],
  [80, 88],
  [80, 72],
];

const region = (patch: Partial<SuggestedRegion> = {}): SuggestedRegion => ({
  label: "nodule",
  roiClassId: "class-1",
  roiShape: "FREEHAND",
  sopInstanceUid: "1.2.3",
  frame: 2,
  points: OUTLINE,
  pixels: 1100,
  ...patch,
});

describe("boundingBox", () => {
  it("is the top-left and bottom-right corners of the points, in any order", () => {
    expect(boundingBox([[5, 9], [1, 12], [7, 3]])).toEqual([[1, 3], [7, 12]]);
    expect(boundingBox([])).toBeNull();
  });
});

describe("regionRoi", () => {
  it("takes the outline as a freehand ROI of the label's class, on the region's image and frame, marked as the model version's suggestion", () => {
    expect(regionRoi(region(), "id-1", "version-1")).toEqual({
      id: "id-1",
      classId: "class-1",
      kind: "FREEHAND",
      points: OUTLINE,
      sopInstanceUid: "1.2.3",
      frame: 2,
      suggestedBy: "version-1",
    });
    // A class that takes either shape: the outline too.
    expect(regionRoi(region({ roiShape: null }), "id-2", "version-1")?.kind).toBe("FREEHAND");
  });

  it("takes the bounding box for a RECTANGLE class", () => {
    expect(regionRoi(region({ roiShape: "RECTANGLE" }), "id-1", "version-2")).toEqual({
      id: "id-1",
      classId: "class-1",
      kind: "RECTANGLE",
      points: [[80, 60], [120, 100]],
      sopInstanceUid: "1.2.3",
      frame: 2,
      suggestedBy: "version-2",
    });
  });

  it("takes nothing for a label without a class, or a shape the server would refuse", () => {
    expect(regionRoi(region({ roiClassId: null, roiShape: null }), "id-1", "version-1")).toBeNull();
    expect(regionRoi(region({ points: [[1, 1], [2, 2]] }), "id-1", "version-1")).toBeNull();
    expect(regionRoi(region({ points: [[1, 1], [2, 2], [3, 3]] }), "id-1", "version-1")).toBeNull();
    expect(regionRoi(region({ roiShape: "RECTANGLE", points: [[1, 1], [1, 5], [1, 9]] }), "id-1", "version-1")).toBeNull();
    expect(regionRoi(region({ points: [[1, 1], [Number.NaN, 2], [3, 1]] }), "id-1", "version-1")).toBeNull();
    // A point class (landmarks) or a line class (lengths) takes no area.
    expect(regionRoi(region({ roiShape: "POINT" }), "id-1", "version-1")).toBeNull();
    expect(regionRoi(region({ roiShape: "LINE" }), "id-1", "version-1")).toBeNull();
  });

  it("rounds points as the viewer reports a drawn region", () => {
    expect(regionRoi(region({ points: [[1.123456, 1], [5, 1.987654], [3, 4]] }), "id-1", "version-1")?.points).toEqual([[1.12, 1], [5, 1.99], [3, 4]]);
  });
});

describe("suggestionShown", () => {
  it("is read-only and marked a suggestion, in the shape it would be taken with", () => {
    const shown = suggestionShown(region({ roiShape: "RECTANGLE" }), "s-1");
    expect(shown).toMatchObject({ id: "s-1", classId: "class-1", kind: "RECTANGLE", points: [[80, 60], [120, 100]], readOnly: true, suggested: true });
  });

  it("shows a label without a class as its outline, under a class id no project has", () => {
    const shown = suggestionShown(region({ roiClassId: null, roiShape: null }), "s-1");
    expect(shown).toMatchObject({ classId: `${UNMATCHED_CLASS_PREFIX}nodule`, kind: "FREEHAND", points: OUTLINE, readOnly: true, suggested: true });
  });
});

describe("regionKey", () => {
  it("is the same for the same region from another fetch, and differs by label, image, frame or outline", () => {
    const key = regionKey(region());
    expect(regionKey(region({ roiClassId: "class-2", pixels: 3 }))).toBe(key);
    expect(regionKey(region({ label: "lung" }))).not.toBe(key);
    expect(regionKey(region({ sopInstanceUid: "1.2.4" }))).not.toBe(key);
    expect(regionKey(region({ frame: 1 }))).not.toBe(key);
    expect(regionKey(region({ points: OUTLINE.slice(1) }))).not.toBe(key);
  });
});

describe("overAnnotationLimits", () => {
  const roi = (points: number) => ({ ...regionRoi(region(), "x", "version-1")!, points: Array.from({ length: points }, (_, i) => [i, i % 3] as [number, number]) });
  it("lets regions join while the annotation holds at most its regions and points, and says which limit they pass", () => {
    expect(overAnnotationLimits([roi(3)], [roi(3)])).toBeNull();
    expect(overAnnotationLimits(Array.from({ length: MAX_ROIS - 1 }, () => roi(3)), [roi(3)])).toBeNull();
    expect(overAnnotationLimits(Array.from({ length: MAX_ROIS - 1 }, () => roi(3)), [roi(3), roi(3)])).toBe(
      `An annotation holds at most ${MAX_ROIS} regions: you have ${MAX_ROIS - 1}, and these are 2.`,
    );
    expect(overAnnotationLimits([roi(MAX_TOTAL_POINTS - 10)], [roi(10)])).toBeNull();
    expect(overAnnotationLimits([roi(MAX_TOTAL_POINTS - 10)], [roi(11)])).toContain(`at most ${MAX_TOTAL_POINTS} points`);
  });
});

describe("heldSuggestions", () => {
  const disc = region();
  const box = region({ label: "mass", roiClassId: "class-2", roiShape: "RECTANGLE", frame: 1 });
  const taken = [regionRoi(disc, "a", "version-1")!, regionRoi(box, "b", "version-1")!];

  it("knows the suggestions the reader's regions hold unchanged, as taken from this version (a rectangle class as its box)", () => {
    expect(heldSuggestions(suggestionShapes(suggestionsOf([disc, box], "version-1")), taken, "version-1")).toEqual(new Set([regionKey(disc), regionKey(box)]));
  });

  it("not once changed (moved, reclassified, on another frame), nor taken from another version, nor drawn alike", () => {
    const [d, b] = taken;
    const moved = { ...d!, points: d!.points.map(([x, y]) => [x + 1, y] as [number, number]) };
    const shapes = suggestionShapes(suggestionsOf([disc, box], "version-1"));
    expect(heldSuggestions(shapes, [moved, { ...b!, classId: "class-1" }], "version-1")).toEqual(new Set());
    expect(heldSuggestions(shapes, [{ ...d!, frame: 1 }, b!], "version-1")).toEqual(new Set([regionKey(box)]));
    expect(heldSuggestions(shapes, taken, "version-2")).toEqual(new Set());
    expect(heldSuggestions(shapes, taken.map(({ suggestedBy: _s, ...drawn }) => drawn), "version-1")).toEqual(new Set());
  });
});

describe("suggestions the reader's own regions already cover", () => {
  const square = (x: number, y: number, side: number): Roi => ({
    id: `own-${x}-${y}`,
    classId: "class-1",
    kind: "FREEHAND",
    points: [[x, y], [x + side, y], [x + side, y + side], [x, y + side]],
    sopInstanceUid: "1.2.3",
    frame: 2,
  });

  it("measures overlap as intersection over union of the filled shapes, a rectangle's two corners as its box", () => {
    expect(shapeOverlap(square(0, 0, 10), square(0, 0, 10))).toBeCloseTo(1, 6);
    // Half of each: 50 / 150.
    expect(shapeOverlap(square(0, 0, 10), square(5, 0, 10))).toBeCloseTo(1 / 3, 2);
    expect(shapeOverlap(square(0, 0, 10), square(20, 0, 10))).toBe(0);
    // A rectangle given by its corners in any order, against the same box drawn freehand; and inside a larger one.
    expect(shapeOverlap({ kind: "RECTANGLE", points: [[10, 10], [0, 0]] }, square(0, 0, 10))).toBeCloseTo(1, 6);
    expect(shapeOverlap({ kind: "RECTANGLE", points: [[0, 0], [5, 5]] }, square(0, 0, 10))).toBeCloseTo(0.25, 2);
    // The octagon inside its bounding box: its area over the box's (1,600 less four corners of 72: 1,312).
    expect(shapeOverlap({ kind: "FREEHAND", points: OUTLINE as Array<[number, number]> }, { kind: "RECTANGLE", points: [[80, 60], [120, 100]] })).toBeCloseTo(1312 / 1600, 2);
  });

  it("covers a suggestion with a region of its class on its image and frame overlapping it by half or more, drawn or taken from another model", () => {
    const suggestions = suggestionsOf([region(), region({ points: [[0, 0], [30, 0], [30, 30], [0, 30]] })], "version-2");
    const [disc, corner] = suggestions.map((s) => s.key);
    const drawn = { ...square(82, 62, 36) };
    expect(coveredSuggestions(suggestions, [drawn], new Set())).toEqual(new Set([disc]));
    // Taken from version 1, the same place: covered too (a second copy would be a duplicate).
    expect(coveredSuggestions(suggestions, [{ ...drawn, suggestedBy: "version-1" }], new Set())).toEqual(new Set([disc]));
    // Not when it is another class, image or frame, or overlaps less than half.
    for (const other of [{ classId: "class-2" }, { sopInstanceUid: "9.9" }, { frame: 1 }]) expect(coveredSuggestions(suggestions, [{ ...drawn, ...other }], new Set()).size).toBe(0);
    expect(coveredSuggestions(suggestions, [square(100, 80, 20)], new Set()).size).toBe(0);
    // A suggestion already taken is taken, not covered; one that names no class cannot be.
    expect(coveredSuggestions(suggestions, [drawn], new Set([disc!]))).toEqual(new Set());
    expect(coveredSuggestions(suggestionsOf([region({ roiClassId: null })], "v"), [drawn], new Set()).size).toBe(0);
    expect(coveredSuggestions(suggestions, [square(0, 0, 30)], new Set())).toEqual(new Set([corner]));
  });
});
