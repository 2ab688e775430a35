import { gzipSync } from "node:zlib";
import { NIFTI_DATATYPE, niftiFile } from "../../images/convert/nifti-write.js";
import { readDicomFile } from "../../images/dicom/read.js";
import { PixelData } from "../../images/frames.js";
import { decodeFrame, describePixels, RenderError } from "../../images/rendered.js";
import { fillPolygon } from "../dicom/raster.js";
import { closedOutline } from "../dicom/sr.js";
import type { ExportRoi } from "../dicom/types.js";
import { cross, dot, norm, scale, sub, type Vec3 } from "../dicom/plane.js";
import type { ExportVolume } from "./volumes.js";

// NIfTI-1 files (.nii.gz) of a case's volume for the NIfTI export: its image, and a label mask of
// a reading's ROIs (0 background, each ROI class its own value). Runs on the compute threads.
//
// Both files of a volume carry the same affine: sform and qform (code 1, scanner anatomical),
// from the DICOM geometry turned from LPS into NIfTI's RAS (x and y negated), as dcm2niix writes
// them, so tools that read either form (ITK and SimpleITK, nibabel, 3D Slicer) put a voxel where
// the DICOM image has its pixel. The headers say nothing of the patient: the description names
// Concord and the kind of file only.

/** The rows of the sform (RAS, mm): voxel (i, j, k, 1) to world. */
export function rasAffine(geometry: NonNullable<ExportVolume["geometry"]>): [number[], number[], number[]] {
  const [si, sj, sk] = geometry.steps;
  const o = geometry.origin;
  return [
    [-si[0], -sj[0], -sk[0], -o[0]],
    [-si[1], -sj[1], -sk[1], -o[1]],
    [si[2], sj[2], sk[2], o[2]],
  ];
}

/**
 * The qform of an affine (nifti1_io's mat44_to_quatern): the rotation of its columns made unit
 * length and orthogonal (the third from the first two, for a sheared stack), qfac -1 for a
 * left-handed grid, and the quaternion's b, c, d with a >= 0.
 */
export function qformOf(srow: [number[], number[], number[]]): { quatern: Vec3; qfac: 1 | -1 } {
  const col = (c: number): Vec3 => [srow[0]![c]!, srow[1]![c]!, srow[2]![c]!];
  const unit = (v: Vec3): Vec3 => scale(v, 1 / (norm(v) || 1));
  const x = unit(col(0));
  // j made orthogonal to i, then k the normal on the side the stack goes.
  const y = unit(sub(col(1), scale(x, dot(x, col(1)))));
  const n = cross(x, y);
  const qfac = dot(n, col(2)) < 0 ? -1 : 1;
  // With qfac -1 the third column is the normal negated; the rotation is the right-handed one.
  const [r11, r21, r31] = x;
  const [r12, r22, r32] = y;
  const [r13, r23, r33] = n;
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let e: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    e = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      e = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      e = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      e = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / e;
      c = (0.25 * (r23 + r32)) / e;
      a = (0.25 * (r21 - r12)) / e;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      e = -e;
    }
  }
  return { quatern: [b, c, e], qfac };
}

/** A volume's header fields: sizes, spacing, and the affine where it has one. */
function placement(volume: ExportVolume) {
  const dims = [volume.columns, volume.rows, volume.slices.length];
  const base = { dims, pixdim: [...volume.spacing], xyztUnits: 2 /* mm */ };
  if (!volume.geometry) return { ...base, qformCode: 0, sformCode: 0 };
  const srow = rasAffine(volume.geometry);
  const { quatern, qfac } = qformOf(srow);
  return { ...base, qfac, quatern, qoffset: [srow[0]![3]!, srow[1]![3]!, srow[2]![3]!] as Vec3, qformCode: 1, sformCode: 1, srow };
}

/** Images at level 1 (noisy CT-like data came out 1.6 % larger than at 6, in a quarter less time); masks, mostly zeros, at 6. */
const gzip = (bytes: Uint8Array, level = 6) => new Uint8Array(gzipSync(bytes, { level }));
const sliceKey = (sop: string, frame: number) => `${sop}\u0000${frame}`;

export interface LabelMaskInput {
  volume: ExportVolume;
  /** ROIs with the value their class takes in the mask (1...); on images or frames not in the volume they are left out. */
  rois: Array<Pick<ExportRoi, "kind" | "points"> & { sopInstanceUid: string; frame: number; value: number }>;
  /** The highest class value: the mask is 8-bit up to 255, else 16-bit. */
  maxValue: number;
}

/**
 * A reading's label mask as a .nii.gz. A pixel is in an ROI when its centre is (the SEG export's
 * rule, fillPolygon); where ROIs of different classes overlap the higher class value wins, so
 * the mask follows the project's class order. Answers how many ROIs it placed.
 */
export function niftiLabelMask(input: LabelMaskInput): { file: Uint8Array; placed: number } {
  const { volume } = input;
  const plane = volume.rows * volume.columns;
  const wide = input.maxValue > 255;
  const data = wide ? new Uint16Array(plane * volume.slices.length) : new Uint8Array(plane * volume.slices.length);
  const index = new Map(volume.slices.map((s, k) => [sliceKey(s.sopInstanceUid, s.frame), k]));
  // One scratch mask per (slice, class): ROIs of a class add up there (each even-odd within itself).
  const groups = new Map<string, { k: number; value: number; rois: LabelMaskInput["rois"] }>();
  let placed = 0;
  for (const roi of input.rois) {
    const k = index.get(sliceKey(roi.sopInstanceUid, roi.frame));
    if (k === undefined) continue;
    placed++;
    const key = `${k}:${roi.value}`;
    const group = groups.get(key) ?? { k, value: roi.value, rois: [] };
    group.rois.push(roi);
    groups.set(key, group);
  }
  const scratch = new Uint8Array(plane);
  for (const { k, value, rois } of [...groups.values()].sort((a, b) => a.value - b.value)) {
    scratch.fill(0);
    for (const roi of rois) fillPolygon(scratch, volume.rows, volume.columns, closedOutline(roi));
    const at = k * plane;
    for (let p = 0; p < plane; p++) if (scratch[p]) data[at + p] = value;
  }
  const file = niftiFile({
    ...placement(volume),
    datatype: wide ? NIFTI_DATATYPE.uint16 : NIFTI_DATATYPE.uint8,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    descrip: "Concord label mask",
    intentName: "Label",
  });
  return { file: gzip(file), placed };
}

export interface ImageVolumeInput {
  volume: ExportVolume;
  /** The stored files of the volume's images (each once, whatever its frames in the volume). */
  files: Array<{ sopInstanceUid: string; bytes: Uint8Array }>;
}

export type ImageVolume =
  | {
      /** One .nii.gz per channel: grey images one, colour three (red, green, blue), as nnU-Net takes channels. */
      channels: Uint8Array[];
      /** The first image's Modality (CT, MR, CR...), or "" when it has none. */
      modality: string;
      /** "int16" and so on: what the voxels are stored as. */
      type: string;
    }
  | { problem: string };

/**
 * A volume's image as .nii.gz: each slice's frame decoded and through the modality LUT (CT in
 * Hounsfield units), stored as 16- or 32-bit integers where every value is a whole number that
 * fits, else as 32-bit floats; colour as three 8-bit channels. MONOCHROME1 is kept as stored (the
 * values, not their display). Answers a problem, naming the image, for pixel data the server
 * cannot decode or slices that do not match.
 *
 * Grey slices are decoded twice, once to find the values' type and once into the file itself, so
 * that a large series is never held as 32-bit floats beside its file: the work's memory is the
 * stored files and the one .nii being written.
 */
export function niftiImageVolume(input: ImageVolumeInput): ImageVolume {
  const { volume } = input;
  const plane = volume.rows * volume.columns;
  const count = plane * volume.slices.length;
  const bytesOf = new Map(input.files.map((f) => [f.sopInstanceUid, f.bytes]));
  const opened = new Map<string, { pixels: PixelData; d: ReturnType<typeof describePixels>; modality: string }>();
  const open = (sop: string) => {
    let image = opened.get(sop);
    if (image) return image;
    const bytes = bytesOf.get(sop);
    if (!bytes) throw new SliceProblem(`image ${sop} could not be read from the store`);
    const file = readDicomFile(bytes, sop);
    const pixels = PixelData.of(file);
    if (!pixels) throw new SliceProblem(`image ${sop} has no pixel data`);
    const m = file.dict["00080060"]?.Value?.[0];
    image = { pixels, d: describePixels(file.dict), modality: typeof m === "string" ? m.trim() : "" };
    if (image.d.rows !== volume.rows || image.d.columns !== volume.columns) throw new SliceProblem(`image ${sop} is ${image.d.columns} × ${image.d.rows}, not ${volume.columns} × ${volume.rows} as the index says`);
    opened.set(sop, image);
    return image;
  };
  // One slice's grey values at a time, always into the same array: a series is not a heap of garbage slices.
  const scratch = new Float32Array(plane);
  const decode = (k: number) => {
    const slice = volume.slices[k]!;
    const image = open(slice.sopInstanceUid);
    return { image, decoded: decodeFrame(image.pixels.frame(slice.frame), image.pixels.native, image.pixels.transferSyntaxUid, image.d, scratch) };
  };
  const where = placement(volume);
  /** The file with its header written and its voxels still to fill (352 bytes in: aligned for any type). */
  const fileFor = (datatype: number, voxelBytes: number) => {
    const header = niftiFile({ ...where, datatype, rawData: new Uint8Array(0), descrip: "Concord image" });
    const out = new Uint8Array(header.length + count * voxelBytes);
    out.set(header);
    return { out, at: header.length };
  };
  try {
    const first = decode(0);
    const modality = first.image.modality;
    if (first.decoded.kind === "rgb") {
      const channels = [0, 1, 2].map(() => fileFor(NIFTI_DATATYPE.uint8, 1));
      for (let k = 0; k < volume.slices.length; k++) {
        const { decoded } = k === 0 ? first : decode(k);
        if (decoded.kind !== "rgb") return { problem: `image ${volume.slices[k]!.sopInstanceUid} is grey where the volume's first slice is in colour` };
        const { data } = decoded.raster;
        for (let c = 0; c < 3; c++) {
          const { out, at } = channels[c]!;
          for (let p = 0, o = at + k * plane; p < plane; p++, o++) out[o] = data[p * 3 + c]!;
        }
      }
      return { channels: channels.map((c) => gzip(c.out, 1)), modality, type: "uint8" };
    }
    // First pass: the values' range and whether they are whole.
    let whole = true;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < volume.slices.length; k++) {
      const { decoded } = k === 0 ? first : decode(k);
      if (decoded.kind !== "gray") return { problem: `image ${volume.slices[k]!.sopInstanceUid} is in colour where the volume's first slice is grey` };
      const values = decoded.values;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (whole && !Number.isInteger(v)) whole = false;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const type = whole && min >= -32768 && max <= 32767 ? "int16" : whole && min >= -(2 ** 31) && max < 2 ** 31 ? "int32" : "float32";
    const size = type === "int16" ? 2 : 4;
    const { out, at } = fileFor(NIFTI_DATATYPE[type], size);
    const voxels = type === "int16" ? new Int16Array(out.buffer, at, count) : type === "int32" ? new Int32Array(out.buffer, at, count) : new Float32Array(out.buffer, at, count);
    // Second pass: into the file (slice 0 decoded again: the scratch array holds the last slice now).
    for (let k = 0; k < volume.slices.length; k++) {
      const { decoded } = decode(k);
      voxels.set((decoded as Extract<typeof decoded, { kind: "gray" }>).values, k * plane);
    }
    return { channels: [gzip(out, 1)], modality, type };
  } catch (err) {
    if (err instanceof SliceProblem) return { problem: err.message };
    if (err instanceof RenderError) return { problem: `an image's pixel data cannot be decoded by the server: ${err.message}` };
    throw err;
  }
}

/** A slice that cannot go into the volume's image, and why. */
class SliceProblem extends Error {}
