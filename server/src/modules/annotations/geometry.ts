import type { FieldProblem } from "../../errors.js";
import type { RoiShape } from "../projects/projects.entity.js";

// ROI points are image pixel coordinates: x along columns, y along rows, (0, 0) the top-left corner
// of the top-left pixel, so an image covers [0, columns] x [0, rows]. Rectangles are stored as two
// opposite corners, normalised to [[minX, minY], [maxX, maxY]] (any number of points given; their
// bounding box is kept), so two tools drawing the same box store the same numbers. A point (a
// landmark) is one [x, y] on the image; a line (a stored length) its two ends, on the image, in the
// order drawn.

export type Point = [number, number];

export const MAX_POINTS_PER_ROI = 10_000;
/** How far outside the image a point may be (a fraction of its size): tools let a drag overshoot a little. */
export const IMAGE_MARGIN = 0.05;
/** Without a known image size, coordinates must still be plausible pixel numbers. */
export const MAX_COORDINATE = 1_000_000;

export interface ImageSize {
  columns: number;
  rows: number;
}

/** The points to store, or the problems under `path` (e.g. input.rois[2].points). */
export function normaliseRoi(kind: RoiShape, points: unknown, size: ImageSize | null, path: string): { points: Point[] } | { problems: FieldProblem[] } {
  const fail = (message: string, field = path) => ({ problems: [{ field, message }] });
  if (!Array.isArray(points)) return fail("must be a list of [x, y] points");
  if (points.length > MAX_POINTS_PER_ROI) return fail(`must have at most ${MAX_POINTS_PER_ROI} points`);
  const parsed: Point[] = [];
  for (const [i, p] of points.entries()) {
    if (!Array.isArray(p) || p.length !== 2) return fail("must be [x, y]", `${path}[${i}]`);
    const [x, y] = p as unknown[];
    if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) return fail("must be two finite numbers", `${path}[${i}]`);
    if (Math.abs(x) > MAX_COORDINATE || Math.abs(y) > MAX_COORDINATE) return fail("is not a plausible pixel coordinate", `${path}[${i}]`);
    if (size && !insideImage(x, y, size)) {
      return fail(`lies outside the ${size.columns}x${size.rows} image`, `${path}[${i}]`);
    }
    parsed.push([x, y]);
  }
  if (kind === "POINT") {
    if (parsed.length !== 1) return fail("a point is one [x, y]");
    // A landmark marks a place on the image: no margin for a drag's overshoot.
    if (size && !insideImage(parsed[0]![0], parsed[0]![1], size, 0)) return fail(`lies outside the ${size.columns}x${size.rows} image`, `${path}[0]`);
    return { points: parsed };
  }
  if (kind === "LINE") {
    if (parsed.length !== 2) return fail("a line is two [x, y] ends");
    const [[x0, y0], [x1, y1]] = parsed as [Point, Point];
    if (x0 === x1 && y0 === y1) return fail("a line's two ends must differ");
    // A length is measured between two places on the image: no margin, as for a point.
    for (const [i, [x, y]] of parsed.entries()) if (size && !insideImage(x, y, size, 0)) return fail(`lies outside the ${size.columns}x${size.rows} image`, `${path}[${i}]`);
    return { points: parsed };
  }
  if (kind === "RECTANGLE") {
    if (parsed.length < 2) return fail("a rectangle needs two opposite corners");
    const box = boundingBox(parsed);
    if (box[0]![0] === box[1]![0] || box[0]![1] === box[1]![1]) return fail("a rectangle must have a width and a height");
    return { points: box };
  }
  if (parsed.length < 3) return fail("a freehand region needs at least 3 points");
  if (Math.abs(shoelace(parsed)) === 0) return fail("a freehand region must enclose an area");
  return { points: parsed };
}

function insideImage(x: number, y: number, size: ImageSize, margin = IMAGE_MARGIN): boolean {
  const mx = size.columns * margin;
  const my = size.rows * margin;
  return x >= -mx && x <= size.columns + mx && y >= -my && y <= size.rows + my;
}

/** Twice the signed area of a polygon (positive clockwise on screen, y down). */
export function shoelace(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/** [[minX, minY], [maxX, maxY]] of one point or more: a rectangle as stored, or a suggested outline as a rectangle class takes it. */
export function boundingBox(points: ReadonlyArray<readonly [number, number]>): Point[] {
  let [x0, y0] = points[0]!;
  let [x1, y1] = points[0]!;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [
    [x0, y0],
    [x1, y1],
  ];
}

/** The same points in the same order, each within `tolerance` px (the client rounds to 0.01 px). */
export function samePoints(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>, tolerance = 0.01 + 1e-9): boolean {
  return a.length === b.length && a.every((p, i) => Math.abs(p[0] - b[i]![0]) <= tolerance && Math.abs(p[1] - b[i]![1]) <= tolerance);
}
