// The patient directions at the edges of the image, as radiology viewers show them: from Image
// Orientation (Patient), DICOM's patient axes (x to the patient's left, y to the back, z to the
// head). The markers are first the image's own edges (columns running right, rows down, as
// stored); markersOnCanvas turns them with the reader's rotation and flips.

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

type DicomJsonLike = Record<string, { Value?: unknown[] } | undefined>;

const IMAGE_ORIENTATION_PATIENT = "00200037";
const PATIENT_ORIENTATION = "00200020";
const SHARED_GROUPS = "52009229";
const PER_FRAME_GROUPS = "52009230";
const PLANE_ORIENTATION_SEQUENCE = "00209116";

/**
 * Whether an instance (DICOM JSON) gives its plane's direction cosines: Image Orientation
 * (Patient), or a Plane Orientation in its functional groups (enhanced images). Without, the
 * image loader makes up an axial plane, and its markers would be wrong.
 */
export function hasPlaneOrientation(instance: DicomJsonLike): boolean {
  const iop = (item: DicomJsonLike | undefined) => (item?.[IMAGE_ORIENTATION_PATIENT]?.Value?.length ?? 0) === 6;
  if (iop(instance)) return true;
  return [SHARED_GROUPS, PER_FRAME_GROUPS].some((tag) =>
    (instance[tag]?.Value as DicomJsonLike[] | undefined)?.some((group) => (group?.[PLANE_ORIENTATION_SEQUENCE]?.Value as DicomJsonLike[] | undefined)?.some(iop)),
  );
}

const OPPOSITE: Record<string, string> = { L: "R", R: "L", A: "P", P: "A", H: "F", F: "H" };

/**
 * The markers from Patient Orientation (0020,0020), which projection radiographs carry instead of
 * a plane: the patient direction of the rows (towards the right edge), then of the columns
 * (towards the bottom), each as letters of A, P, R, L, H, F ("L\F" for a PA chest). Null when it
 * is absent or not two such values.
 */
export function patientOrientationMarkers(values: readonly unknown[] | null | undefined): OrientationMarkers | null {
  if (!values || values.length !== 2) return null;
  const [row, column] = values.map((v) => (typeof v === "string" ? v.trim().toUpperCase() : ""));
  const valid = (s: string) => /^[LRAPHF]{1,3}$/.test(s);
  if (!valid(row!) || !valid(column!)) return null;
  const opposite = (s: string) => [...s].map((c) => OPPOSITE[c]).join("");
  return { left: opposite(row!), right: row!, top: opposite(column!), bottom: column! };
}

/** An instance's markers when it has no plane: from its Patient Orientation, or none. "plane" when it has one. */
export function markersWithoutPlane(instance: DicomJsonLike): OrientationMarkers | null | "plane" {
  return hasPlaneOrientation(instance) ? "plane" : patientOrientationMarkers(instance[PATIENT_ORIENTATION]?.Value);
}

/**
 * The image's edge markers where the image now lies on the canvas: `x` and `y` are the canvas
 * directions (any length) of the image's rows (+x, its right edge) and columns (+y, its bottom
 * edge) as the view is now rotated and flipped. Each canvas edge takes the image edge whose
 * direction points most towards it.
 */
export function markersOnCanvas(markers: OrientationMarkers, x: readonly [number, number], y: readonly [number, number]): OrientationMarkers {
  const edges: Array<[readonly [number, number], string]> = [
    [x, markers.right],
    [[-x[0], -x[1]], markers.left],
    [y, markers.bottom],
    [[-y[0], -y[1]], markers.top],
  ];
  const towards = (d: readonly [number, number]) => edges.reduce((best, e) => (e[0][0] * d[0] + e[0][1] * d[1] > best[0][0] * d[0] + best[0][1] * d[1] ? e : best))[1];
  return { right: towards([1, 0]), left: towards([-1, 0]), bottom: towards([0, 1]), top: towards([0, -1]) };
}

/**
 * Where an image lies along its series: its Slice Location, else the position of its first pixel
 * along the plane's normal (what Slice Location should say), and its Slice Thickness; null without
 * a plane.
 */
export function slicePosition(
  plane: { sliceLocation?: number; sliceThickness?: number; imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[] } | undefined,
): { location: number; thickness: number | null } | null {
  if (!plane) return null;
  const thickness = Number.isFinite(plane.sliceThickness) && plane.sliceThickness! > 0 ? plane.sliceThickness! : null;
  if (Number.isFinite(plane.sliceLocation)) return { location: plane.sliceLocation!, thickness };
  const [r, c, p] = [plane.rowCosines, plane.columnCosines, plane.imagePositionPatient];
  if (r?.length !== 3 || c?.length !== 3 || p?.length !== 3) return null;
  const normal = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  const location = normal[0]! * p[0]! + normal[1]! * p[1]! + normal[2]! * p[2]!;
  return Number.isFinite(location) ? { location, thickness } : null;
}
