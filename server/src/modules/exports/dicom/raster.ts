import type { Point } from "./types.js";

/**
 * The pixels of a rows x columns grid whose centres (x + 0.5, y + 0.5) lie inside the polygon,
 * by the even-odd rule, set to 1 in `mask` (row-major, one byte per pixel). A centre exactly on a
 * left or top edge is inside, on a right or bottom edge outside, so a rectangle [x0, x1] x [y0, y1]
 * covers the centres in [x0, x1) x [y0, y1) and two ROIs that share an edge never share a pixel.
 * The outline may be open or closed (first point repeated); points outside the image are clipped.
 */
export function fillPolygon(mask: Uint8Array, rows: number, columns: number, polygon: Point[]): void {
  const closed = polygon.length > 1 && polygon[0]![0] === polygon.at(-1)![0] && polygon[0]![1] === polygon.at(-1)![1];
  const n = closed ? polygon.length - 1 : polygon.length;
  if (n < 3) return;
  // Each edge adds its crossing to the scan lines it spans, so the work follows the outline's
  // length, not rows x edges (a 200-vertex outline on a 2048-row image).
  const crossings: Array<number[] | undefined> = new Array(rows);
  for (let i = 0; i < n; i++) {
    const p = polygon[i]!;
    const q = polygon[i + 1 === n ? 0 : i + 1]!;
    const x1 = p[0];
    const y1 = p[1];
    const x2 = q[0];
    const y2 = q[1];
    if (y1 === y2) continue;
    // Half-open in y: the rows whose centre yc has min(y1, y2) <= yc < max(y1, y2), so a vertex on a
    // scan line counts for exactly one of its two edges.
    const from = Math.max(0, Math.ceil(Math.min(y1, y2) - 0.5));
    const to = Math.min(rows - 1, Math.ceil(Math.max(y1, y2) - 0.5) - 1);
    const slope = (x2 - x1) / (y2 - y1);
    for (let row = from; row <= to; row++) (crossings[row] ??= []).push(x1 + (row + 0.5 - y1) * slope);
  }
  for (let row = 0; row < rows; row++) {
    const xs = crossings[row];
    if (!xs) continue;
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Centres c with a <= c < b: columns from ceil(a - 0.5) to ceil(b - 0.5) - 1.
      const first = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const end = Math.min(columns, Math.ceil(xs[k + 1]! - 0.5));
      if (first < end) mask.fill(1, row * columns + first, row * columns + end);
    }
  }
}

/** Frames of one byte per pixel packed as DICOM 1-bit pixel data: bit i of the whole stream is pixel i, least significant bit first, frames not padded to a byte (PS3.5 8.1.1). */
export function packBits(frames: Uint8Array[]): Uint8Array {
  const total = frames.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(Math.ceil(total / 8) + (Math.ceil(total / 8) % 2)); // even length
  let bit = 0;
  for (const frame of frames) {
    let i = 0;
    if ((bit & 7) === 0) {
      // Byte-aligned (every frame of a grid whose size is a multiple of 8): eight pixels at a time.
      for (let byte = bit >> 3; i + 8 <= frame.length; i += 8, byte++) {
        out[byte] =
          (frame[i]! & 1) | ((frame[i + 1]! & 1) << 1) | ((frame[i + 2]! & 1) << 2) | ((frame[i + 3]! & 1) << 3) |
          ((frame[i + 4]! & 1) << 4) | ((frame[i + 5]! & 1) << 5) | ((frame[i + 6]! & 1) << 6) | ((frame[i + 7]! & 1) << 7);
      }
      bit += i;
    }
    for (; i < frame.length; i++, bit++) if (frame[i]) out[bit >> 3]! |= 1 << (bit & 7);
  }
  return out;
}

export function unpackBits(bytes: Uint8Array, pixelsPerFrame: number, frames: number): Uint8Array[] {
  return Array.from({ length: frames }, (_, f) => {
    const mask = new Uint8Array(pixelsPerFrame);
    for (let i = 0; i < pixelsPerFrame; i++) {
      const bit = f * pixelsPerFrame + i;
      mask[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    return mask;
  });
}
