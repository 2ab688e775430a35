// The patient directions at the edges of the image, as radiology viewers show them: from Image
// Orientation (Patient), DICOM's patient axes (x to the patient's left, y to the back, z to the
// head). The viewer draws each image as stored (no rotation or flip), so columns run to the right
// of the screen and rows down it.

export type Vec3 = readonly [number, number, number];

export interface OrientationMarkers {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

const LETTERS: ReadonlyArray<readonly [plus: string, minus: string]> = [
  ["L", "R"],
  ["P", "A"],
  ["H", "F"],
];

/**
 * The letters of a direction: its main axis first, then any other it leans towards by at least a
 * quarter (about 15 degrees off the main axis), as "L", "LP" or "LPH".
 */
export function directionLetters(v: Vec3): string {
  return [0, 1, 2]
    .filter((i) => Math.abs(v[i]!) >= 0.25)
    .sort((a, b) => Math.abs(v[b]!) - Math.abs(v[a]!))
    .map((i) => LETTERS[i]![v[i]! > 0 ? 0 : 1])
    .join("");
}

/** The markers for an image's row and column direction cosines; null without a usable orientation. */
export function orientationMarkers(iop: ArrayLike<number | string> | null | undefined): OrientationMarkers | null {
  if (!iop || iop.length !== 6) return null;
  const n = Array.from(iop, Number);
  if (!n.every(Number.isFinite)) return null;
  const row: Vec3 = [n[0]!, n[1]!, n[2]!];
  const column: Vec3 = [n[3]!, n[4]!, n[5]!];
  if (Math.hypot(...row) < 0.5 || Math.hypot(...column) < 0.5) return null;
  const minus = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return { left: directionLetters(minus(row)), right: directionLetters(row), top: directionLetters(minus(column)), bottom: directionLetters(column) };
}
