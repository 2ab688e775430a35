// A segmentation model's suggested regions on the case page: drawn over the image as read-only
// suggestions, and turned into the reader's own ROIs only when they ask, as the viewer would
// report them drawn (roi.ts).

import { normaliseRectangle, roundPoint, type Point2 } from "../viewer/imageCoordinates";
import type { Roi, RoiKind, ShownRoi } from "../viewer/roi";

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
  if (!region.roiClassId) return null;
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
