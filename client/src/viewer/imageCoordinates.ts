// World (patient, millimetres) <-> image pixel coordinates for one displayed image, without
// Cornerstone: the same geometry the stack viewport renders (its vtkImageData), passed in as data.
//
// Image pixel coordinates are continuous: (0, 0) is the outer top-left corner of the top-left
// pixel, x grows along the row (columns), y down the column (rows), one unit per pixel; the pixel
// in column c and row r covers [c, c + 1] x [r, r + 1], its centre is (c + 0.5, r + 0.5). This
// matches Cornerstone's worldToImageCoords and the usual bounding-box convention of datasets.

export type Vec3 = readonly [number, number, number];
export type Point2 = [number, number];

export interface ImagePlane {
  /** World position of the centre of the first (top-left) pixel (Image Position (Patient)). */
  origin: Vec3;
  /** Unit vector along a row (x grows), and along a column (y grows). */
  rowCosines: Vec3;
  columnCosines: Vec3;
  /** Millimetres between pixel centres along x (columns) and along y (rows). */
  spacing: readonly [number, number];
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export function imageToWorld(plane: ImagePlane, [x, y]: readonly [number, number]): [number, number, number] {
  const { origin: o, rowCosines: r, columnCosines: c } = plane;
  const u = (x - 0.5) * plane.spacing[0];
  const v = (y - 0.5) * plane.spacing[1];
  return [o[0] + r[0] * u + c[0] * v, o[1] + r[1] * u + c[1] * v, o[2] + r[2] * u + c[2] * v];
}

/** The image point a world point projects to (its distance from the image plane is dropped). */
export function worldToImage(plane: ImagePlane, world: Vec3): Point2 {
  const d: Vec3 = [world[0] - plane.origin[0], world[1] - plane.origin[1], world[2] - plane.origin[2]];
  return [dot(d, plane.rowCosines) / plane.spacing[0] + 0.5, dot(d, plane.columnCosines) / plane.spacing[1] + 0.5];
}

/**
 * The plane of a vtkImageData-like description (what StackViewport.getImageData() answers):
 * origin, spacing, and the 3x3 direction whose first three numbers are the direction of the
 * image's i axis (the row cosines) and the next three that of its j axis (the column cosines).
 */
export function planeOf(image: { origin: ArrayLike<number>; spacing: ArrayLike<number>; direction: ArrayLike<number> }): ImagePlane {
  const d = image.direction;
  const n = (v: number | undefined, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
  return {
    origin: [n(image.origin[0], 0), n(image.origin[1], 0), n(image.origin[2], 0)],
    rowCosines: [n(d[0], 1), n(d[1], 0), n(d[2], 0)],
    columnCosines: [n(d[3], 0), n(d[4], 1), n(d[5], 0)],
    spacing: [n(image.spacing[0], 1) || 1, n(image.spacing[1], 1) || 1],
  };
}

/** Image points rounded to 1/100 pixel: enough for any ROI, and stable across round trips. */
export function roundPoint([x, y]: readonly [number, number]): Point2 {
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
}

/** A rectangle's two opposite corners in any order as [top-left, bottom-right]. */
export function normaliseRectangle(points: ReadonlyArray<readonly [number, number]>): [Point2, Point2] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
  ];
}

/** The four corners of an axis-aligned image rectangle in Cornerstone's RectangleROI handle order. */
export function rectangleCorners([[x0, y0], [x1, y1]]: readonly [readonly [number, number], readonly [number, number]]): Point2[] {
  return [
    [x0, y0],
    [x1, y0],
    [x0, y1],
    [x1, y1],
  ];
}
