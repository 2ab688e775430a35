// Linked scrolling between the main viewer and the reference viewer (Compare): two series that are
// slices of the same patient space (one Frame of Reference, parallel planes: a CT's soft tissue and
// lung reconstructions, an MR's T1 and T2 axials) scroll together, the reference showing its image
// nearest to the main one's position along the main series' normal.

export type Vec3 = readonly [number, number, number];

/** Where one image lies in patient space (Cornerstone's imagePlaneModule). */
export interface SlicePlane {
  frameOfReferenceUid: string;
  /** Image Position (Patient): the centre of the first pixel, mm. */
  position: Vec3;
  rowCosines: Vec3;
  columnCosines: Vec3;
}

/** Each series' images' positions along the main series' normal (mm), in series order. */
export interface SeriesLink {
  main: number[];
  reference: number[];
}

/** Planes closer to parallel than this (|cos| of the angle between their normals) count as parallel: about 8 degrees. */
const PARALLEL = 0.99;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The unit normal of an image's plane (row × column); null when the cosines make no plane. */
export function normalOf(plane: Pick<SlicePlane, "rowCosines" | "columnCosines">): Vec3 | null {
  const [r, c] = [plane.rowCosines, plane.columnCosines];
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const length = Math.hypot(...n);
  return Number.isFinite(length) && length > 1e-6 ? [n[0] / length, n[1] / length, n[2] / length] : null;
}

/**
 * How the reference series follows the main one, or null when it cannot: an image of either
 * without a plane, another frame of reference, or a plane not parallel to the main series' first
 * image's (antiparallel is parallel: the same slices, looked at from the other side).
 */
export function linkSeries(main: ReadonlyArray<SlicePlane | null>, reference: ReadonlyArray<SlicePlane | null>): SeriesLink | null {
  const first = main[0];
  const normal = first && normalOf(first);
  if (!normal || !reference.length) return null;
  const along = (planes: ReadonlyArray<SlicePlane | null>): number[] | null => {
    const out: number[] = [];
    for (const p of planes) {
      const n = p && normalOf(p);
      if (!p || !n || p.frameOfReferenceUid !== first.frameOfReferenceUid || Math.abs(dot(n, normal)) <= PARALLEL) return null;
      out.push(dot(p.position, normal));
    }
    return out;
  };
  const [m, r] = [along(main), along(reference)];
  return m && r ? { main: m, reference: r } : null;
}

/** Distances closer than this (mm) are a tie: positions computed from cosines differ in their last digits. */
const TIE = 1e-3;

/** The index of the position nearest to `position`; the lower index on a tie. -1 for none. */
export function nearestImage(positions: readonly number[], position: number): number {
  let best = -1;
  for (let i = 0; i < positions.length; i++) {
    if (best < 0 || Math.abs(positions[i]! - position) < Math.abs(positions[best]! - position) - TIE) best = i;
  }
  return best;
}

/** The reference's image for the main series' image `mainIndex`; -1 for none. */
export function linkedImage(link: SeriesLink, mainIndex: number): number {
  const at = link.main[mainIndex];
  return at === undefined ? -1 : nearestImage(link.reference, at);
}
