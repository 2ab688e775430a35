// A ROI's shape filled on a grid of pixel centres (even-odd, as the SEG export rasterises outlines):
// for the overlap of a suggestion with the reader's regions (ai/regions.ts) and a ROI's statistics
// (roiStats.ts).

import { normaliseRectangle, type Point2 } from "./imageCoordinates";
import type { Roi } from "./roi";

export type Shape = Pick<Roi, "kind" | "points">;
/** A shape's outline: a rectangle's two corners become its four, in order around it. */
export function outlineOf(r: Shape): ReadonlyArray<readonly [number, number]> {
  if (r.kind !== "RECTANGLE" || r.points.length !== 2) return r.points;
  const [[x0, y0], [x1, y1]] = normaliseRectangle(r.points);
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}

/**
 * The filled shape (even-odd) sampled at the centres of a cols × rows grid over `box`: each edge
 * adds its crossing to the rows whose centre line it spans (from its lower end, up to but not
 * including its upper), then each row is filled between pairs of crossings.
 */
export function fillOutline(outline: ReadonlyArray<readonly [number, number]>, box: [Point2, Point2], cols: number, rows: number): Uint8Array {
  const mask = new Uint8Array(cols * rows);
  const x0 = box[0][0];
  const y0 = box[0][1];
  const sx = (box[1][0] - x0) / cols;
  const sy = (box[1][1] - y0) / rows;
  const crossings: number[][] = Array.from({ length: rows }, () => []);
  const n = outline.length;
  for (let i = 0; i < n; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % n]!;
    const ay = a[1];
    const by = b[1];
    if (ay === by) continue;
    const from = Math.max(0, Math.ceil((Math.min(ay, by) - y0) / sy - 0.5));
    const to = Math.min(rows - 1, Math.ceil((Math.max(ay, by) - y0) / sy - 0.5) - 1);
    const slope = (b[0] - a[0]) / (by - ay);
    for (let j = from; j <= to; j++) crossings[j]!.push(a[0] + (y0 + (j + 0.5) * sy - ay) * slope);
  }
  for (let j = 0; j < rows; j++) {
    const xs = crossings[j]!;
    if (xs.length < 2) continue;
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const first = Math.max(0, Math.ceil((xs[k]! - x0) / sx - 0.5));
      const last = Math.min(cols - 1, Math.floor((xs[k + 1]! - x0) / sx - 0.5));
      for (let i = first; i <= last; i++) mask[j * cols + i] = 1;
    }
  }
  return mask;
}

