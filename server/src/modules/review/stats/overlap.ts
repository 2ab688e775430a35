// Overlap of two readers' ROIs (Dice, IoU) on the image pixel grid. Pure, no I/O.
import type { Point } from "../../annotations/geometry.js";
import type { RoiShape } from "../../projects/projects.entity.js";

/** An ROI as stored (kind RECTANGLE/FREEHAND/POINT/LINE, pixel coordinates; see annotations/geometry.ts); lower case is accepted too. */
export interface OverlapRoi {
  kind: RoiShape | "rectangle" | "freehand";
  points: ReadonlyArray<Readonly<Point> | readonly [number, number]>;
}

/**
 * Rasterise the union of ROIs onto a width × height grid (row-major, 1 = inside).
 * A pixel (column i, row j) is inside a shape when its centre (i + 0.5, j + 0.5) is, by the even-odd
 * rule; edges are half-open (a centre exactly on a left/top edge is in, on a right/bottom edge out),
 * so two shapes sharing an edge never both take the same pixel. Rectangles are the bounding box of
 * their points. A point (a landmark) or a line (a length) encloses no pixel: compare points with
 * matchPoints (points.ts), lines with matchLines (lines.ts).
 * Parts outside the image are clipped; several ROIs combine as a union.
 */
export function roiMask(rois: ReadonlyArray<OverlapRoi>, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image size must be non-negative integers, got ${width}x${height}`);
  }
  const mask = new Uint8Array(width * height);
  for (const roi of rois) {
    const kind = roi.kind.toUpperCase();
    let poly: ReadonlyArray<readonly [number, number]>;
    if (kind === "RECTANGLE") {
      if (roi.points.length < 2) continue;
      const xs = roi.points.map((p) => p[0]);
      const ys = roi.points.map((p) => p[1]);
      const x0 = Math.min(...xs);
      const x1 = Math.max(...xs);
      const y0 = Math.min(...ys);
      const y1 = Math.max(...ys);
      poly = [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ];
    } else if (kind === "FREEHAND") {
      if (roi.points.length < 3) continue;
      poly = roi.points;
    } else if (kind === "POINT" || kind === "LINE") {
      continue;
    } else {
      throw new RangeError(`unknown ROI kind ${roi.kind}`);
    }
    fillPolygon(mask, poly, width, height);
  }
  return mask;
}

/** Even-odd scanline fill of one closed polygon into mask (OR). */
function fillPolygon(mask: Uint8Array, poly: ReadonlyArray<readonly [number, number]>, width: number, height: number): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of poly) {
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // Rows whose centre j + 0.5 lies in [minY, maxY).
  const rowStart = Math.max(0, Math.ceil(minY - 0.5));
  const rowEnd = Math.min(height - 1, Math.ceil(maxY - 0.5) - 1);
  const xs: number[] = [];
  const n = poly.length;
  for (let j = rowStart; j <= rowEnd; j++) {
    const cy = j + 0.5;
    xs.length = 0;
    for (let e = 0; e < n; e++) {
      const [x1, y1] = poly[e]!;
      const [x2, y2] = poly[(e + 1) % n]!;
      // Half-open in y: an edge counts for rows with min(y1, y2) ≤ cy < max(y1, y2).
      if (y1 <= cy !== y2 <= cy) xs.push(x1 + ((cy - y1) * (x2 - x1)) / (y2 - y1));
    }
    xs.sort((a, b) => a - b);
    const row = j * width;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Columns whose centre i + 0.5 lies in [xs[k], xs[k+1]).
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const to = Math.min(width - 1, Math.ceil(xs[k + 1]! - 0.5) - 1);
      for (let i = from; i <= to; i++) mask[row + i] = 1;
    }
  }
}

function counts(a: Uint8Array, b: Uint8Array): { a: number; b: number; both: number } {
  if (a.length !== b.length) throw new RangeError(`masks differ in size (${a.length} and ${b.length} pixels)`);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x) na++;
    if (y) nb++;
    if (x && y) both++;
  }
  return { a: na, b: nb, both };
}

/** Dice = 2|A ∩ B| / (|A| + |B|); null when both masks are empty. */
export function dice(a: Uint8Array, b: Uint8Array): number | null {
  const c = counts(a, b);
  return c.a + c.b === 0 ? null : (2 * c.both) / (c.a + c.b);
}

/** IoU (Jaccard) = |A ∩ B| / |A ∪ B|; null when both masks are empty. */
export function iou(a: Uint8Array, b: Uint8Array): number | null {
  const c = counts(a, b);
  const union = c.a + c.b - c.both;
  return union === 0 ? null : c.both / union;
}

export interface RoiOverlap {
  pixelsA: number;
  pixelsB: number;
  intersection: number;
  dice: number | null;
  iou: number | null;
}

/** Both measures for two readers' ROIs of one class on one image. */
export function roiOverlap(a: ReadonlyArray<OverlapRoi>, b: ReadonlyArray<OverlapRoi>, width: number, height: number): RoiOverlap {
  const c = counts(roiMask(a, width, height), roiMask(b, width, height));
  const union = c.a + c.b - c.both;
  return {
    pixelsA: c.a,
    pixelsB: c.b,
    intersection: c.both,
    dice: c.a + c.b === 0 ? null : (2 * c.both) / (c.a + c.b),
    iou: union === 0 ? null : c.both / union,
  };
}
