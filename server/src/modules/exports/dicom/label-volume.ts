/*
 * Reading a label volume, NIfTI or NRRD (an nnU-Net or MONAI prediction, TotalSegmentator's one
 * file per structure, a 3D Slicer .seg.nrrd), into freehand ROIs slice by slice: each whole-number
 * label value of a slice, region by region, traced as a Segmentation's frames are (contours.ts).
 *
 * The slices are turned and ordered exactly as the volume converter turns and orders an uploaded
 * volume (convert/volume.ts, run here on the label volume itself), so a mask made on the grid of an
 * uploaded NIfTI lands on that image's frames pixel for pixel, and one made from a DICOM series
 * (dcm2niix) lands on the series' slices. Which image that is, the file cannot say (a label volume
 * names no image): `placement` gives each slice's plane in patient space, and the import service
 * finds the project's image frames in those planes (sr-import.service.ts).
 *
 * Label names: those given with the import (an nnU-Net dataset.json's, read by the browser); a
 * .seg.nrrd's SegmentN_Name for SegmentN_LabelValue; a mask holding one label value
 * (0 and 1, or ITK's 0 and 257) is named after its file (liver.nii.gz: "liver"); otherwise the value
 * itself ("2", also matched as "label 2"). A volume whose values are not whole numbers is no label
 * map and is refused.
 */
import { fileStem } from "../../cases/case-keys.js";
import { gunzipAtMost, isGzip, TooLarge } from "../../images/convert/compressed.js";
import { niftiMagic, readNifti } from "../../images/convert/nifti.js";
import { isNrrd, nrrdHeader, readNrrd } from "../../images/convert/nrrd.js";
import { ImageConversionError } from "../../images/convert/secondary-capture.js";
import { BYTES_PER_VOXEL, samplesView, volumeToDicom, type Vec3, type Volume } from "../../images/convert/volume.js";
import { maskOutlines } from "./contours.js";
import { SrImportError } from "./sr-import.js";
import type { Point } from "./types.js";

/**
 * A label volume is read into memory whole, on a compute thread: its data at most this (a 512 x 512
 * x 1,000 CT's label map in 16 bits), whatever its gzip unpacks to, and at most MAX_LABEL_VOXELS.
 */
export const MAX_LABEL_VOLUME_BYTES = 512 * 1024 ** 2;
export const MAX_LABEL_VOXELS = 300_000_000;

export interface LabelVolumeRoi {
  className: string;
  classAliases: string[];
  points: Point[];
  /** The slice it lies on, from 1, in the converter's order. */
  slice: number;
}

export interface LabelVolume {
  rows: number;
  columns: number;
  slices: number;
  /** Each slice's plane in patient space (LPS, mm), as the converter writes it; null when the file places the volume nowhere. */
  placement: { orientation: number[]; positions: Vec3[] } | null;
  rois: LabelVolumeRoi[];
  warnings: string[];
}

export const isLabelVolumeName = (name: string) => /\.(nii(\.gz)?|nrrd|nhdr)$/i.test(name);

/** `given`: names for label values given with the import (an nnU-Net dataset.json's), which win over the file's. */
export function readLabelVolume(bytes: Uint8Array, name: string, given: ReadonlyMap<number, string> = new Map()): LabelVolume {
  const fail = (reason: string) => new SrImportError(`${name}: ${reason}`);
  let raw = bytes;
  try {
    if (isGzip(raw)) raw = gunzipAtMost(raw, MAX_LABEL_VOLUME_BYTES + 1024 * 1024);
  } catch (err) {
    throw fail(err instanceof TooLarge ? `its gzip ${err.message}` : `its gzip cannot be unpacked (${(err as Error).message})`);
  }
  let volume: Volume;
  const names = new Map<number, string>();
  try {
    if (niftiMagic(raw) !== null) volume = readNifti(raw, name, MAX_LABEL_VOLUME_BYTES);
    else if (isNrrd(raw)) {
      volume = readNrrd(raw, name, MAX_LABEL_VOLUME_BYTES);
      for (const [value, label] of slicerSegmentNames(nrrdHeader(raw, name).lines)) names.set(value, label);
    } else throw fail("not a NIfTI or NRRD label volume");
    if (volume.type === "rgb24") throw fail("a colour volume is no label map");
    if (volume.sizes.slice(3).some((s) => s > 1)) throw fail(`it has ${volume.sizes.length} dimensions (${volume.sizes.join(" × ")}); a label map has three`);
    volume = wholeLabels(volume, fail);
  } catch (err) {
    if (err instanceof ImageConversionError) throw fail(err.message.replace(`${name}: `, ""));
    throw err;
  }

  let parts;
  try {
    // The labels as whole numbers, slope 1: the converter keeps those within 16 bits exactly.
    parts = volumeToDicom(volume, name);
  } catch (err) {
    if (err instanceof ImageConversionError) throw fail(err.message.replace(`${name}: `, ""));
    throw err;
  }
  const d = parts.dict;
  const one = (tag: string) => d[tag]?.Value?.[0];
  const rows = Number(one("00280010"));
  const columns = Number(one("00280011"));
  const slices = Number(one("00280008"));
  // Whole numbers within 16 bits are kept exactly: Rescale Slope 1, any shift in the intercept.
  const slope = Number(one("00281053") ?? 1);
  const intercept = Number(one("00281052") ?? 0);
  if (slope !== 1 || !Number.isInteger(intercept)) throw fail("its label values span more than 65,535");
  const pixels = one("7FE00010") as ArrayBuffer;
  const plane = rows * columns;
  const values = Number(one("00280100")) === 16 ? new Uint16Array(pixels, 0, plane * slices) : new Uint8Array(pixels, 0, plane * slices);

  const warnings: string[] = [];
  // Which stored values occur (at most 65,536 of them), in the volume and slice by slice.
  const storedValues = (from: number, to: number): number[] => {
    const seen = new Uint8Array(65536);
    for (let i = from; i < to; i++) seen[values[i]!] = 1;
    const out: number[] = [];
    for (let v = 0; v < 65536; v++) if (seen[v] && v + intercept !== 0) out.push(v + intercept);
    return out;
  };
  const present = new Set(storedValues(0, values.length));
  const negative = [...present].filter((v) => v < 0);
  if (negative.length) warnings.push(`negative label values (${negative.sort((a, b) => a - b).slice(0, 5).join(", ")}${negative.length > 5 ? "…" : ""}) are left out`);
  const single = present.size - negative.length === 1;
  const stem = fileStem(name).replace(/\.seg$/i, "");
  const naming = (v: number): Pick<LabelVolumeRoi, "className" | "classAliases"> => {
    const named = given.get(v) ?? names.get(v);
    if (named) return { className: named, classAliases: [String(v), `label ${v}`] };
    if (single) return { className: stem, classAliases: [String(v), `label ${v}`] };
    return { className: String(v), classAliases: [`label ${v}`] };
  };

  const rois: LabelVolumeRoi[] = [];
  const mask = new Uint8Array(plane);
  for (let s = 0; s < slices; s++) {
    const base = s * plane;
    for (const v of storedValues(base, base + plane).filter((x) => x > 0)) {
      for (let i = 0; i < plane; i++) mask[i] = values[base + i]! + intercept === v ? 1 : 0;
      for (const points of maskOutlines(mask, rows, columns)) rois.push({ ...naming(v), points, slice: s + 1 });
    }
  }
  if (rois.length === 0) warnings.push("no voxel of it holds a label");
  return { rows, columns, slices, placement: placementOf(d, slices), rois, warnings };
}

/**
 * The volume's meant values (stored × slope + intercept) as whole numbers, slope 1: models write
 * label maps as float32 (MONAI) or scaled integers, and the converter would scale those to 16 bits.
 * Refused unless every value is a whole number; NaN counts as background.
 */
function wholeLabels(volume: Volume, fail: (reason: string) => Error): Volume {
  const count = volume.sizes.reduce((a, b) => a * b, 1);
  if (count > MAX_LABEL_VOXELS) throw fail(`${count} voxels are more than the ${MAX_LABEL_VOXELS} a label volume may have here`);
  if (volume.data.byteLength < count * BYTES_PER_VOXEL[volume.type]) return volume; // the converter refuses it, saying what is short
  // Already whole numbers of at most 16 bits, unscaled: the converter keeps them as they are.
  if (["uint8", "int8", "uint16", "int16"].includes(volume.type) && volume.slope === 1 && volume.intercept === 0) return volume;
  const samples = samplesView(volume.type, volume.data.buffer, count);
  const big = volume.type === "int64" || volume.type === "uint64";
  const meant = (i: number) => (big ? Number((samples as BigInt64Array)[i]!) : (samples as ArrayLike<number>)[i]!) * volume.slope + volume.intercept;
  // First whether they are whole, and their range (no copy yet), then into the narrowest array that holds them.
  let min = 0;
  let max = 0;
  for (let i = 0; i < count; i++) {
    const v = meant(i);
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) throw fail(`its values are not all whole numbers (${v} at voxel ${i}): not a label map`);
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const [type, out] = min >= 0 && max <= 255 ? (["uint8", new Uint8Array(count)] as const) : min >= -32768 && max <= 32767 ? (["int16", new Int16Array(count)] as const) : (["int32", new Int32Array(count)] as const);
  for (let i = 0; i < count; i++) {
    const v = meant(i);
    if (!Number.isNaN(v)) out[i] = v;
  }
  return { ...volume, type, data: new Uint8Array(out.buffer), slope: 1, intercept: 0 };
}

/** The planes the converter wrote: shared Plane Orientation, each frame's Plane Position. */
function placementOf(d: ReturnType<typeof volumeToDicom>["dict"], slices: number): LabelVolume["placement"] {
  type Item = Record<string, { Value?: unknown[] }>;
  const shared = d["52009229"]?.Value?.[0] as Item | undefined;
  const perFrame = d["52009230"]?.Value as Item[] | undefined;
  const orientation = ((shared?.["00209116"]?.Value?.[0] as Item | undefined)?.["00200037"]?.Value ?? []).map(Number);
  if (!perFrame || perFrame.length !== slices || orientation.length !== 6) return null;
  const positions = perFrame.map((f) => ((f["00209113"]?.Value?.[0] as Item | undefined)?.["00200032"]?.Value ?? []).map(Number) as Vec3);
  if (positions.some((p) => p.length !== 3 || !p.every(Number.isFinite))) return null;
  return { orientation, positions };
}

/** 3D Slicer's segmentation header: SegmentN_Name and SegmentN_LabelValue key/value pairs (layer 0). */
export function slicerSegmentNames(lines: string[]): Map<number, string> {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const m = /^Segment(\d+)_(Name|LabelValue|Layer):=(.*)$/.exec(line);
    if (m) fields.set(`${m[1]}_${m[2]}`, m[3]!.trim());
  }
  const out = new Map<number, string>();
  for (const [key, name] of fields) {
    if (!key.endsWith("_Name") || !name) continue;
    const n = key.slice(0, -"_Name".length);
    const value = Number(fields.get(`${n}_LabelValue`) ?? Number(n) + 1);
    if (Number.isInteger(value) && value > 0 && Number(fields.get(`${n}_Layer`) ?? 0) === 0 && !out.has(value)) out.set(value, name.slice(0, 64));
  }
  return out;
}
