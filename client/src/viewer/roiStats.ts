// What a radiologist reads off a selected ROI: its area (in mm² where the image has a pixel
// spacing, else in pixels) and the values of the pixels whose centres it covers (their mean,
// standard deviation, least and greatest, in the modality's values: Hounsfield units on CT). A
// point (a landmark) has no area: it reads the pixel it lies in and that pixel's value; a line reads
// its length.
// Cornerstone's own statistics are off for our ROI tools (with many ROIs they were most of each
// frame's time); these are worked out for the selected ROI only.

import { fillOutline, outlineOf, type Shape } from "./shapeFill";
import { toModality, type Rescale } from "./windowLevel";

/** The image's pixels; its rescale to modality values is applied here when the loader left stored values. */
export interface RoiPixels extends Rescale {
  columns: number;
  rows: number;
  /** One value per pixel, row by row; null for a colour image (area only). */
  values: ArrayLike<number> | null;
  /** Millimetres between pixel centres along a row (x) and down a column (y); null: unknown. */
  spacing: readonly [number, number] | null;
  /** The values' unit: "HU" on CT, else "". */
  unit: string;
}

export interface RoiStats {
  /** The outline's own area, not the pixels': a small ROI's pixel count steps. */
  area: number;
  areaUnit: "mm²" | "px²";
  /** Pixels whose centres the ROI covers. */
  pixels: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  unit: string;
  /** A point's pixel (column, row); absent for an area. */
  at?: readonly [number, number];
  /** A line's length, in mm where the image has a pixel spacing (each axis by its own), else in pixels; absent otherwise. */
  length?: number;
  lengthUnit?: "mm" | "px";
}

/** The shoelace area of an outline, in image pixels². */
export function outlineArea(outline: ReadonlyArray<readonly [number, number]>): number {
  let twice = 0;
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i]!;
    const [x1, y1] = outline[(i + 1) % outline.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

export function roiStats(shape: Shape, image: RoiPixels): RoiStats | null {
  if (shape.kind === "POINT") return pointStats(shape.points[0], image);
  if (shape.kind === "LINE") return lineStats(shape.points, image);
  const outline = outlineOf(shape);
  if (outline.length < 3 || !(image.columns > 0 && image.rows > 0)) return null;
  const spacing = image.spacing && image.spacing[0] > 0 && image.spacing[1] > 0 ? image.spacing : null;
  const area = outlineArea(outline) * (spacing ? spacing[0] * spacing[1] : 1);
  // The pixels of the ROI's bounding box, clipped to the image, sampled at their centres.
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(image.columns, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(image.rows, Math.ceil(Math.max(...ys)));
  const cols = x1 - x0;
  const rows = y1 - y0;
  const stats: RoiStats = { area, areaUnit: spacing ? "mm²" : "px²", pixels: 0, mean: null, sd: null, min: null, max: null, unit: image.unit };
  if (cols <= 0 || rows <= 0) return stats;
  const mask = fillOutline(outline, [[x0, y0], [x1, y1]], cols, rows);
  const modality = toModality(image);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      if (!mask[j * cols + i]) continue;
      n++;
      if (!image.values) continue;
      const stored = image.values[(y0 + j) * image.columns + x0 + i]!;
      const v = modality(stored);
      sum += v;
      sumSq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  stats.pixels = n;
  if (n && image.values) {
    const mean = sum / n;
    stats.mean = mean;
    stats.sd = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : 0;
    stats.min = min;
    stats.max = max;
  }
  return stats;
}

/**
 * The pixel an image point lies in and its modality value (null for a colour image); null off the
 * image. Pixel i spans [i, i + 1): a point on the far edge belongs to the last column or row.
 */
export function pixelAt(point: readonly [number, number], image: Omit<RoiPixels, "spacing" | "unit">): { column: number; row: number; value: number | null } | null {
  const [x, y] = point;
  if (!(image.columns > 0 && image.rows > 0 && x >= 0 && y >= 0 && x <= image.columns && y <= image.rows)) return null;
  const column = Math.min(Math.floor(x), image.columns - 1);
  const row = Math.min(Math.floor(y), image.rows - 1);
  const stored = image.values?.[row * image.columns + column];
  return { column, row, value: stored === undefined ? null : toModality(image)(stored) };
}

/** A point's statistics: the pixel it lies in and its value; null for a point off the image. */
function pointStats(point: readonly [number, number] | undefined, image: RoiPixels): RoiStats | null {
  const at = point && pixelAt(point, image);
  if (!at) return null;
  const { column, row, value } = at;
  return { area: 0, areaUnit: image.spacing ? "mm²" : "px²", pixels: 1, mean: value, sd: null, min: value, max: value, unit: image.unit, at: [column, row] };
}

const round = (v: number, digits = 1) => String(Number(v.toFixed(digits)));

/** "123.4 mm² · 523 px · mean 45.2 HU (SD 12.1, 20 to 80)" */
/** A line's length between its two ends: rows and columns each by their own spacing. */
function lineStats(points: ReadonlyArray<readonly [number, number]>, image: Pick<RoiPixels, "spacing" | "unit">): RoiStats | null {
  const [a, b] = points;
  if (!a || !b) return null;
  const spacing = image.spacing && image.spacing[0] > 0 && image.spacing[1] > 0 ? image.spacing : null;
  const length = Math.hypot((b[0] - a[0]) * (spacing?.[0] ?? 1), (b[1] - a[1]) * (spacing?.[1] ?? 1));
  return { area: 0, areaUnit: spacing ? "mm²" : "px²", pixels: 0, mean: null, sd: null, min: null, max: null, unit: image.unit, length, lengthUnit: spacing ? "mm" : "px" };
}

export function formatRoiStats(s: RoiStats): string {
  const unit = s.unit ? ` ${s.unit}` : "";
  // "length 23.4 mm"
  if (s.length !== undefined) return `length ${round(s.length, 1)} ${s.lengthUnit}`;
  // "pixel (26, 26) · 216 HU"
  if (s.at) return `pixel (${s.at[0]}, ${s.at[1]})${s.mean === null ? "" : ` · ${round(s.mean)}${unit}`}`;
  const area = `${round(s.area, s.area < 10 ? 2 : 1)} ${s.areaUnit}`;
  const values = s.mean === null ? "" : ` · mean ${round(s.mean)}${unit} (SD ${round(s.sd ?? 0)}, ${round(s.min!)} to ${round(s.max!)})`;
  return `${area} · ${s.pixels} px${values}`;
}
