// Regions of interest as the rest of Concord sees them: plain data in image pixel coordinates
// (see imageCoordinates.ts), never Cornerstone annotations.

import type { Point2 } from "./imageCoordinates";

export type RoiKind = "RECTANGLE" | "FREEHAND" | "POINT" | "LINE";

export interface Roi {
  id: string;
  /** The ROI class (a project label of kind ROI). */
  classId: string;
  kind: RoiKind;
  /**
   * RECTANGLE: two corners, [top-left, bottom-right] (x0 <= x1, y0 <= y1).
   * FREEHAND: the closed outline's vertices in order; the last joins the first.
   * POINT: one point (a landmark).
   * LINE: its two ends, in the order drawn (a stored length).
   */
  points: Point2[];
  sopInstanceUid: string;
  /** 1-based frame of a multi-frame instance; 1 for single-frame images. */
  frame: number;
  /**
   * The model version whose suggested region (a segmentation model's predictionRegions) this was
   * taken from; absent or null when drawn. Provenance, not shape: the viewer never reports it (its
   * changes leave it out, and the layer keeps it through them), and whether the reader changed
   * the region since is the server's to work out by comparing shapes.
   */
  suggestedBy?: string | null;
}

/** An ROI handed to the viewer to show; read-only ones (someone else's, or saved) cannot be edited. */
export interface ShownRoi extends Roi {
  readOnly?: boolean;
  /** A model's suggestion, not anyone's ROI: drawn dash-dotted, and neutral grey when its class is not known. */
  suggested?: boolean;
}

export interface RoiClass {
  id: string;
  name: string;
  /** #rrggbb */
  colour: string;
  /** The one shape this class is drawn with; null or absent: either area (rectangle or freehand). */
  shape?: RoiKind | null;
}

export type RoiChange = { change: "created" | "updated"; roi: Roi } | { change: "deleted"; roi: Roi };

/**
 * Same shape within `tolerance` image pixels (the viewer's own echo of a change is ignored).
 * `suggestedBy` is left out: it is not shape, and the viewer's reports never carry it, so the
 * layer's copy of a region it reported (which does) must still count as the same.
 */
export function sameRoi(a: Roi, b: Roi, tolerance = 0.01): boolean {
  if (a.id !== b.id || a.classId !== b.classId || a.kind !== b.kind || a.sopInstanceUid !== b.sopInstanceUid || a.frame !== b.frame) return false;
  if (a.points.length !== b.points.length) return false;
  return a.points.every((p, i) => Math.abs(p[0] - b.points[i]![0]) <= tolerance && Math.abs(p[1] - b.points[i]![1]) <= tolerance);
}
