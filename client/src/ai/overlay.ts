// Placing an image-sized overlay (a heatmap) over the viewer: the CSS matrix that carries an
// element of columns × rows CSS pixels (one per image pixel, transform-origin at its top-left
// corner) onto the canvas where the image is drawn, from where three image corners land.

export type Point = readonly [number, number];

/**
 * `origin`, `right`, `down`: canvas positions of the image points (0, 0), (columns, 0) and
 * (0, rows). Pan, zoom, flips and rotations are all affine, so three corners fix the mapping.
 */
export function overlayMatrix(columns: number, rows: number, origin: Point, right: Point, down: Point): string | null {
  if (!(columns > 0 && rows > 0)) return null;
  const a = (right[0] - origin[0]) / columns;
  const b = (right[1] - origin[1]) / columns;
  const c = (down[0] - origin[0]) / rows;
  const d = (down[1] - origin[1]) / rows;
  if (![a, b, c, d, origin[0], origin[1]].every(Number.isFinite) || Math.abs(a * d - b * c) < 1e-12) return null;
  return `matrix(${[a, b, c, d, origin[0], origin[1]].map((n) => +n.toFixed(6)).join(", ")})`;
}

/**
 * The image's size in pixels from where one pixel step along each axis lands (`unitX`, `unitY`:
 * canvas vectors) and the axis-aligned box the whole image covers; for when the size is not known
 * otherwise. Null when the two cannot be told apart (a 45° rotation).
 */
export function imageSizeFromBox(unitX: Point, unitY: Point, box: { width: number; height: number }): { columns: number; rows: number } | null {
  const [ax, ay, bx, by] = [Math.abs(unitX[0]), Math.abs(unitX[1]), Math.abs(unitY[0]), Math.abs(unitY[1])];
  // box.width = columns·ax + rows·bx; box.height = columns·ay + rows·by
  const det = ax * by - bx * ay;
  if (Math.abs(det) < 1e-9) return null;
  const columns = (box.width * by - bx * box.height) / det;
  const rows = (ax * box.height - ay * box.width) / det;
  return columns > 0 && rows > 0 ? { columns: Math.round(columns), rows: Math.round(rows) } : null;
}

/**
 * A probability as a whole percentage for people ("83 %"), a regression value to 3 significant
 * digits, or a segmentation label's share of the image's pixels to a tenth of a percent (a share
 * too small to show is "< 0.1 %", not 0).
 */
export function formatOutput(value: number, task: string): string {
  if (task === "REGRESSION") return Number.isFinite(value) ? String(+value.toPrecision(3)) : "–";
  if (task === "SEGMENTATION") {
    if (!Number.isFinite(value)) return "–";
    const percent = Math.min(1, Math.max(0, value)) * 100;
    return `${percent > 0 && percent < 0.05 ? "< 0.1" : percent.toFixed(1)} % of the image`;
  }
  return `${Math.round(Math.min(1, Math.max(0, value)) * 100)} %`;
}
