// A segmentation model's suggested regions on the case page: drawn over the image as read-only
// suggestions, and turned into the reader's own ROIs only when they ask, as the viewer would
// report them drawn (roi.ts).

import { normaliseRectangle, roundPoint, type Point2 } from "../viewer/imageCoordinates";
import type { Roi, RoiKind, ShownRoi } from "../viewer/roi";
import { fillOutline as fill, outlineOf, type Shape } from "../viewer/shapeFill";

/** One region as predictionRegions answers it. */
export interface SuggestedRegion {
  label: string;
  /** The project's ROI class named like the label; null when none is. */
  roiClassId: string | null;
  /** That class's shape; null: either (taken as a freehand outline). */
  roiShape: RoiKind | null;
  sopInstanceUid: string;
  /** 1-based. */
  frame: number;
  /** The closed outline in image pixel coordinates, first point not repeated. */
  points: ReadonlyArray<ReadonlyArray<number>>;
  pixels: number;
}

/** The axis-aligned box around the points, [[minX, minY], [maxX, maxY]]; null without points. */
export function boundingBox(points: ReadonlyArray<readonly [number, number]>): [Point2, Point2] | null {
  return points.length ? normaliseRectangle(points) : null;
}

/** Twice the signed area of a polygon. */
function shoelace(points: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * The region's shape as a ROI of `kind`: its outline, or its bounding box for a rectangle. Null
 * when it has no area or a point is not two finite numbers (the server would refuse it).
 */
export function regionShape(region: Pick<SuggestedRegion, "points">, kind: RoiKind): { kind: RoiKind; points: Point2[] } | null {
  const outline: Point2[] = [];
  for (const p of region.points) {
    if (p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
    outline.push(roundPoint([p[0]!, p[1]!]));
  }
  if (kind === "RECTANGLE") {
    const box = boundingBox(outline);
    return box && box[0][0] < box[1][0] && box[0][1] < box[1][1] ? { kind, points: box } : null;
  }
  return outline.length >= 3 && shoelace(outline) !== 0 ? { kind, points: outline } : null;
}

/** The kind a region takes: a RECTANGLE class takes its bounding box, any other its outline. */
export const regionKind = (region: Pick<SuggestedRegion, "roiShape">): RoiKind => (region.roiShape === "RECTANGLE" ? "RECTANGLE" : "FREEHAND");

/**
 * The region as one of the reader's own ROIs, with a new id: of its label's class, freehand, or
 * the bounding box for a RECTANGLE class, marked as taken from `modelVersionId`'s suggestion (the
 * server then tells whether the reader changed it). Null when the label names no ROI class, or the
 * shape could not be stored.
 */
export function regionRoi(region: SuggestedRegion, id: string, modelVersionId: string): Roi | null {
  // A model's regions are areas: a point class (landmarks) or a line class (lengths) never takes one.
  if (!region.roiClassId || region.roiShape === "POINT" || region.roiShape === "LINE") return null;
  const shape = regionShape(region, regionKind(region));
  return shape ? { id, classId: region.roiClassId, ...shape, sopInstanceUid: region.sopInstanceUid, frame: region.frame, suggestedBy: modelVersionId } : null;
}

/** Drawn for a label that names no ROI class: no class colour to take. */
export const UNMATCHED_CLASS_PREFIX = "suggestion-without-class:";

/**
 * The region as the viewer shows a suggestion: read-only, in the shape it would be taken with, in
 * its class's colour (a class id the viewer does not know, for a label without one: neutral).
 */
export function suggestionShown(region: SuggestedRegion, id: string): ShownRoi | null {
  const shape = regionShape(region, regionKind(region));
  if (!shape) return null;
  return {
    id,
    classId: region.roiClassId ?? `${UNMATCHED_CLASS_PREFIX}${region.label}`,
    ...shape,
    sopInstanceUid: region.sopInstanceUid,
    frame: region.frame,
    readOnly: true,
    suggested: true,
  };
}

/** The same region (label, image, frame, outline) from any fetch of the prediction: what is taken once is known again. */
export function regionKey(region: Pick<SuggestedRegion, "label" | "sopInstanceUid" | "frame" | "points">): string {
  return JSON.stringify([region.label, region.sopInstanceUid, region.frame, region.points]);
}

/** A ROI's place and shape, as one string: a region taken unchanged has its suggestion's. */
const shapeKey = (r: Pick<Roi, "sopInstanceUid" | "frame" | "classId" | "kind" | "points">) => JSON.stringify([r.sopInstanceUid, r.frame, r.classId, r.kind, r.points]);

/** A suggested region with what the page needs of it, worked out once per prediction, not on every edit. */
export interface Suggestion {
  region: SuggestedRegion;
  /** regionKey(region). */
  key: string;
  /** The ROI it is taken as (its id left empty); null when it cannot be taken. */
  roi: Roi | null;
}

export function suggestionsOf(regions: readonly SuggestedRegion[], modelVersionId: string): Suggestion[] {
  return regions.map((region) => ({ region, key: regionKey(region), roi: regionRoi(region, "", modelVersionId) }));
}

/** Each takeable suggestion's shape as taken (shapeKey) → its regionKey. */
export function suggestionShapes(suggestions: readonly Suggestion[]): Map<string, string> {
  return new Map(suggestions.flatMap((s) => (s.roi ? [[shapeKey(s.roi), s.key] as const] : [])));
}

/**
 * The suggestions (by regionKey) the reader's regions already hold as taken and unchanged: a region
 * taken from `modelVersionId` on the same image and frame, of the suggestion's class, in the shape
 * it was taken with. A page visited again so knows what was taken before; a region the reader has
 * changed since no longer holds its suggestion (as the server's suggestionChanged says).
 */
export function heldSuggestions(shapes: ReadonlyMap<string, string>, current: readonly Roi[], modelVersionId: string): Set<string> {
  const keys = new Set<string>();
  for (const r of current) {
    const key = r.suggestedBy === modelVersionId ? shapes.get(shapeKey(r)) : undefined;
    if (key) keys.add(key);
  }
  return keys;
}

// ---- suggestions the reader's own regions already cover

/** Overlap (intersection over union) from which a reader's region counts as already drawn where a suggestion is. */
export const COVERED_IOU = 0.5;
/** Samples per side of the grid two shapes are compared on: enough for 0.5 against 0.4, cheap on every edit. */
const GRID = 96;

type Box = [Point2, Point2];
const boxesMeet = (a: Box, b: Box) => a[1][0] > b[0][0] && b[1][0] > a[0][0] && a[1][1] > b[0][1] && b[1][1] > a[0][1];

/** Intersection over union of two shapes' areas, sampled on a grid over the box around both; 0 when their boxes do not meet. */
export function shapeOverlap(a: Shape, b: Shape): number {
  const oa = outlineOf(a);
  const ob = outlineOf(b);
  const ba = boundingBox(oa);
  const bb = boundingBox(ob);
  if (!ba || !bb || !boxesMeet(ba, bb)) return 0;
  const box: [Point2, Point2] = [
    [Math.min(ba[0][0], bb[0][0]), Math.min(ba[0][1], bb[0][1])],
    [Math.max(ba[1][0], bb[1][0]), Math.max(ba[1][1], bb[1][1])],
  ];
  const ma = fill(oa, box, GRID, GRID);
  const mb = fill(ob, box, GRID, GRID);
  let both = 0;
  let either = 0;
  for (let i = 0; i < ma.length; i++) {
    both += ma[i]! & mb[i]!;
    either += ma[i]! | mb[i]!;
  }
  return either ? both / either : 0;
}

/**
 * The suggestions (by regionKey) a region of the reader's own already covers: one of the same
 * class on the same image and frame overlapping it by COVERED_IOU or more, whether drawn or taken
 * from a model. Adding such a suggestion would put a second region where the reader has one.
 * `taken`: suggestions taken already (the reader's copy of one covers it; it is not counted again).
 */
export function coveredSuggestions(suggestions: readonly Suggestion[], current: readonly Roi[], taken: ReadonlySet<string>): Set<string> {
  // It runs on every edit of the reader's regions: each box is worked out once (a suggestion's once
  // per prediction), and only shapes whose boxes meet are compared.
  const byPlace = new Map<string, Array<{ roi: Roi; box: Box }>>();
  for (const r of current) {
    const box = boundingBox(outlineOf(r));
    if (!box) continue;
    const at = JSON.stringify([r.sopInstanceUid, r.frame, r.classId]);
    const list = byPlace.get(at);
    if (list) list.push({ roi: r, box });
    else byPlace.set(at, [{ roi: r, box }]);
  }
  const covered = new Set<string>();
  for (const s of suggestions) {
    const { key, roi } = s;
    if (!roi || taken.has(key)) continue;
    const mine = byPlace.get(JSON.stringify([roi.sopInstanceUid, roi.frame, roi.classId]));
    if (!mine) continue;
    const box = suggestionBox(s);
    if (box && mine.some((m) => boxesMeet(m.box, box) && shapeOverlap(m.roi, roi) >= COVERED_IOU)) covered.add(key);
  }
  return covered;
}

const suggestionBoxes = new WeakMap<Suggestion, Box | null>();
function suggestionBox(s: Suggestion): Box | null {
  let box = suggestionBoxes.get(s);
  if (box === undefined) suggestionBoxes.set(s, (box = s.roi ? boundingBox(outlineOf(s.roi)) : null));
  return box;
}

/** What one annotation may hold: the server's MAX_ROIS and MAX_TOTAL_POINTS (annotations.service.ts). */
export const MAX_ROIS = 1000;
export const MAX_TOTAL_POINTS = 200_000;

/** Why `adding` cannot join the reader's `current` regions in one annotation; null when it can. */
export function overAnnotationLimits(current: readonly Roi[], adding: readonly Roi[]): string | null {
  const rois = current.length + adding.length;
  if (rois > MAX_ROIS) return `An annotation holds at most ${MAX_ROIS} regions: you have ${current.length}, and these are ${adding.length}.`;
  const points = [...current, ...adding].reduce((n, r) => n + r.points.length, 0);
  if (points > MAX_TOTAL_POINTS) return `An annotation holds at most ${MAX_TOTAL_POINTS} points: these regions would make ${points}.`;
  return null;
}
