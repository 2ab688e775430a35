import { columnStep, dot, gridKey, norm, normalOf, rowStep, scale, sub, type Vec3 } from "../dicom/plane.js";
import type { SourceGeometry, SourceImage } from "../dicom/types.js";

// A case's images as NIfTI volumes, for the NIfTI (nnU-Net) export. NIfTI holds one regular grid
// per file, so the slices of a case are grouped into stacks: the frames of a multi-frame image, or
// the single-frame images of one plane orientation, size and spacing, ordered along the plane's
// normal. Voxel (i, j, k) is column i, row j of slice k, the first axis fastest, which is the
// row-major order of DICOM pixel data, so a slice's pixels go into the file as they are.
//
// Geometry stays in DICOM patient space (LPS) here; the writer turns it into NIfTI's RAS. Where a
// DICOM image has no patient geometry (radiographs, secondary capture), its volume is placed
// nowhere: the file then carries spacing only (qform and sform codes 0), as NIfTI allows.

export type { Vec3 };

export interface VolumeSlice {
  sopInstanceUid: string;
  /** 1-based frame of that image. */
  frame: number;
}

export interface VolumeGeometry {
  /** The centre of voxel (0, 0, 0) in mm, LPS (DICOM's Image Position (Patient) of the first slice). */
  origin: Vec3;
  /** From one voxel to the next along columns (i), rows (j) and slices (k), mm, LPS. */
  steps: [Vec3, Vec3, Vec3];
}

export interface ExportVolume {
  /** Appended to the case's name in file names: "" for a case's only volume, else "-1", "-2"... */
  suffix: string;
  rows: number;
  columns: number;
  /** Slice k of the volume is slices[k]. */
  slices: VolumeSlice[];
  /** null: the images have no patient geometry. */
  geometry: VolumeGeometry | null;
  /** mm between voxel centres along i, j, k (1 where nothing says). */
  spacing: Vec3;
  /** What a user of the file should know (uneven gaps, nominal spacing), in words. */
  notes: string[];
}

/** Two positions closer than this (mm) are one position. */
const SAME_POSITION_MM = 1e-3;
/** Gaps between slices that differ by more than this share of the mean (or 0.01 mm) are uneven. */
const EVEN_GAPS = 0.01;

interface Plane {
  slice: VolumeSlice;
  rows: number;
  columns: number;
  geometry: SourceGeometry | null;
  frameOfReference: string;
}

/** Planes of one stack: same size, frame of reference, orientation and pixel spacing. */
const stackKey = (p: Plane): string => gridKey(p, p.frameOfReference, p.geometry!);

/** One volume of planes of one image that share a plane (a cine, or frames without per-frame geometry): k is time, its spacing nominal. */
function framesInOnePlane(planes: Plane[]): Omit<ExportVolume, "suffix"> {
  const first = planes[0]!;
  const g = first.geometry;
  const notes = planes.length > 1 ? ["the frames share one plane (a time series or cine): the third axis counts frames, its 1 mm spacing is nominal"] : [];
  if (!g) return { rows: first.rows, columns: first.columns, slices: planes.map((p) => p.slice), geometry: null, spacing: [1, 1, 1], notes };
  const k = scale(normalOf(g), g.sliceThickness && g.sliceThickness > 0 && planes.length === 1 ? g.sliceThickness : 1);
  return {
    rows: first.rows,
    columns: first.columns,
    slices: planes.map((p) => p.slice),
    geometry: { origin: [...g.imagePositionPatient] as Vec3, steps: [rowStep(g), columnStep(g), k] },
    spacing: [g.pixelSpacing[1], g.pixelSpacing[0], norm(k)],
    notes,
  };
}

/** A stack of parallel planes ordered along their normal; null when two lie in one position (they cannot be one grid). */
function stack(planes: Plane[]): Omit<ExportVolume, "suffix"> | null {
  const g0 = planes[0]!.geometry!;
  const normal = normalOf(g0);
  const at = (p: Plane) => dot(p.geometry!.imagePositionPatient as Vec3, normal);
  const sorted = [...planes].sort((a, b) => at(a) - at(b));
  if (sorted.length === 1) return framesInOnePlane(sorted);
  const gaps = sorted.slice(1).map((p, i) => at(p) - at(sorted[i]!));
  if (gaps.some((d) => d < SAME_POSITION_MM)) return null;
  const first = sorted[0]!.geometry!.imagePositionPatient as Vec3;
  const last = sorted.at(-1)!.geometry!.imagePositionPatient as Vec3;
  // The step from the first slice's position to the last's, shared out: exact for an even stack,
  // and it keeps a gantry tilt's shear (the positions move along the rows as well as the normal).
  const step = scale(sub(last, first), 1 / (sorted.length - 1));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const notes: string[] = [];
  const lo = Math.min(...gaps);
  const hi = Math.max(...gaps);
  if (hi - lo > Math.max(0.01, EVEN_GAPS * mean)) {
    notes.push(`the slices are not evenly spaced (gaps of ${lo.toFixed(3)} to ${hi.toFixed(3)} mm): the file places them ${mean.toFixed(3)} mm apart, so slices away from the ends sit up to ${maxDrift(gaps, mean).toFixed(3)} mm from where they were taken`);
  }
  return {
    rows: sorted[0]!.rows,
    columns: sorted[0]!.columns,
    slices: sorted.map((p) => p.slice),
    geometry: { origin: [...first] as Vec3, steps: [rowStep(g0), columnStep(g0), step] },
    spacing: [g0.pixelSpacing[1], g0.pixelSpacing[0], norm(step)],
    notes,
  };
}

/**
 * Planes with positions repeated (echoes, b-values or time points of one series or enhanced image)
 * as one stack per repetition, as dcm2niix splits echoes: the n-th plane at each position (in the
 * order given) goes to the n-th stack. Null when that still leaves a stack with a repeated position.
 */
function stacksByRepetition(planes: Plane[]): Array<Omit<ExportVolume, "suffix">> | null {
  const normal = normalOf(planes[0]!.geometry!);
  const seen: number[] = [];
  const parts: Plane[][] = [];
  for (const p of planes) {
    const at = dot(p.geometry!.imagePositionPatient as Vec3, normal);
    const n = seen.filter((x) => Math.abs(x - at) < SAME_POSITION_MM).length;
    seen.push(at);
    (parts[n] ??= []).push(p);
  }
  const stacks = parts.map(stack);
  if (stacks.some((v) => v === null)) return null;
  return stacks.map((v, i) => ({ ...v!, notes: [...v!.notes, `repetition ${i + 1} of ${parts.length} at the same positions (echoes, b-values or time points)`] }));
}

/** How far an evenly spaced stack puts a slice from its own position, at most. */
function maxDrift(gaps: number[], mean: number): number {
  let drift = 0;
  let worst = 0;
  for (const g of gaps) {
    drift += g - mean;
    worst = Math.max(worst, Math.abs(drift));
  }
  return worst;
}

/**
 * The volumes of a case, from its images as the export reads them (in instance order): each
 * multi-frame image with per-frame geometry is a stack of its frames; other multi-frame images
 * are one volume of their frames (one plane); single-frame images with geometry are grouped into
 * stacks by size, frame of reference, orientation and spacing; the rest are one slice each. Planes
 * repeated at one position (a multi-echo series, a 4-D enhanced MR) make a stack per repetition.
 */
export function caseVolumes(sources: SourceImage[]): ExportVolume[] {
  const volumes: Array<Omit<ExportVolume, "suffix">> = [];
  const stacks = new Map<string, Plane[]>();
  const order: Array<{ stack: string } | { volume: Omit<ExportVolume, "suffix"> }> = [];
  const plane = (s: SourceImage, frame: number, geometry: SourceGeometry | null): Plane => ({
    slice: { sopInstanceUid: s.sopInstanceUid, frame },
    rows: s.rows,
    columns: s.columns,
    geometry,
    frameOfReference: s.frameOfReferenceUid ?? "",
  });
  for (const s of sources) {
    const frames = Math.max(1, s.frames ?? 1);
    if (frames > 1) {
      const planes = Array.from({ length: frames }, (_, f) => plane(s, f + 1, s.frameGeometry ? (s.frameGeometry[f] ?? null) : (s.geometry ?? null)));
      const placed = s.frameGeometry && planes.every((p) => p.geometry) && new Set(planes.map(stackKey)).size === 1;
      if (!placed) {
        order.push({ volume: framesInOnePlane(planes.map((p) => ({ ...p, geometry: s.frameGeometry ? null : p.geometry }))) });
        continue;
      }
      const v = stack(planes);
      if (v) order.push({ volume: v });
      else for (const r of stacksByRepetition(planes) ?? [framesInOnePlane(planes)]) order.push({ volume: r });
      continue;
    }
    const p = plane(s, 1, s.geometry ?? null);
    if (!p.geometry) {
      order.push({ volume: framesInOnePlane([p]) });
      continue;
    }
    // A study case's series are volumes of their own, even on one grid (a CT's two reconstructions).
    const key = `${s.seriesInstanceUid}|${stackKey(p)}`;
    if (!stacks.has(key)) {
      stacks.set(key, []);
      order.push({ stack: key });
    }
    stacks.get(key)!.push(p);
  }
  for (const item of order) {
    if ("volume" in item) {
      volumes.push(item.volume);
      continue;
    }
    const planes = stacks.get(item.stack)!;
    const v = stack(planes);
    if (v) volumes.push(v);
    // Images in one position (echoes, or two acquisitions in one series): a stack per repetition.
    else volumes.push(...(stacksByRepetition(planes) ?? planes.map((p) => ({ ...framesInOnePlane([p]), notes: ["another image of the case lies in the same position, so each is a volume of its own"] }))));
  }
  return volumes.map((v, i) => ({ ...v, suffix: volumes.length > 1 ? `-${i + 1}` : "" }));
}
