import type { SourceGeometry } from "./types.js";

// A DICOM image plane in patient space (LPS, mm), shared by the exports that put planes together:
// the SEG over a series' slices and the NIfTI volumes. Position (i, j) of an image is
// IPP + i * PixelSpacing[1] * IOP[0..2] + j * PixelSpacing[0] * IOP[3..5] (PS3.3 C.7.6.2.1.1).

export type Vec3 = [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3) => Math.sqrt(dot(a, a));

/** From one pixel to the next along a row (column index up), mm. */
export const rowStep = (g: SourceGeometry): Vec3 => scale(g.imageOrientationPatient.slice(0, 3) as Vec3, g.pixelSpacing[1]);
/** From one pixel to the next down a column (row index up), mm. */
export const columnStep = (g: SourceGeometry): Vec3 => scale(g.imageOrientationPatient.slice(3, 6) as Vec3, g.pixelSpacing[0]);
/** The plane's normal (row direction × column direction). */
export const normalOf = (g: SourceGeometry): Vec3 => cross(g.imageOrientationPatient.slice(0, 3) as Vec3, g.imageOrientationPatient.slice(3, 6) as Vec3);

/**
 * Which grid a plane is on: planes with one key share size, frame of reference, orientation and
 * pixel spacing (to 1e-4), so they can be one SEG or one volume.
 */
export function gridKey(size: { rows: number; columns: number }, frameOfReference: string | undefined, g: SourceGeometry): string {
  const r = (v: number) => (Math.round(v * 1e4) / 1e4).toString();
  return [size.rows, size.columns, frameOfReference ?? "", ...g.imageOrientationPatient.map(r), ...g.pixelSpacing.map(r)].join("|");
}
