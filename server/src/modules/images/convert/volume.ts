import { EXPLICIT_VR_LITTLE_ENDIAN } from "../dicom/transfer-syntax.js";
import { convertedUids, dicomNow, ImageConversionError, type ConversionOptions, type DicomElements, type DicomParts } from "./secondary-capture.js";

// NIfTI and NRRD volumes become one multi-frame Secondary Capture instance each (PS3.3 A.8.3–A.8.5),
// so the one pipeline (de-identify, store, serve, view as a stack) handles them as it does PNG.
//
// - Geometry is kept in DICOM's patient space (LPS): the readers turn RAS and the other NRRD spaces
//   into it. Shared functional groups carry the orientation and spacing, per-frame groups each
//   slice's position, so a volume-aware reader can rebuild the volume exactly.
// - Each slice is turned in its plane (flips, and a transpose for a slice stored with the
//   head-foot axis across) so that a stack viewer shows it as radiologists expect: patient left on
//   the screen's right, anterior or superior up. The positions follow, so nothing is lost.
// - Values: 8-bit unsigned data is kept as it is; other integers are kept exactly when their range
//   fits 16 bits (shifted, with the shift in Rescale Intercept); anything else (floating point,
//   wide integers) is scaled linearly to 16 bits, Rescale Slope and Intercept giving the original
//   values back to within one step of 1/65,535 of the range.
// - Nothing of the header's free text (NIfTI description, aux_file, intent name, extensions; NRRD
//   content and key/value pairs, comments) is carried over: it can name the patient.

export type Vec3 = [number, number, number];
export type VoxelType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "rgb24";

export const BYTES_PER_VOXEL: Record<VoxelType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
  rgb24: 3,
};

/** A volume as read from a NIfTI or NRRD file, before it becomes DICOM. */
export interface Volume {
  /** "NIfTI-1", "NIfTI-2" or "NRRD". */
  format: string;
  /** Axis sizes, the fastest first: columns, rows, slices, then any further axes (time...). */
  sizes: number[];
  type: VoxelType;
  /** The samples in data order, little-endian (readers swap big-endian data), starting at offset 0 of its own buffer. */
  data: Uint8Array;
  /** Stored value × slope + intercept = the value meant (NIfTI scl_slope/scl_inter; 1 and 0 otherwise). */
  slope: number;
  intercept: number;
  /**
   * Where the first voxel's centre is and the step from one voxel to the next along each of the
   * first three axes, in mm in DICOM patient space (LPS); null when the file places the volume
   * nowhere (only spacings).
   */
  geometry: { origin: Vec3; steps: [Vec3, Vec3, Vec3] } | null;
  /** mm between voxel centres along the first three axes when geometry is null; 0 where unknown. */
  spacing: Vec3;
}

export const MULTIFRAME_BYTE_SC = "1.2.840.10008.5.1.4.1.1.7.2";
export const MULTIFRAME_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3";
export const MULTIFRAME_TRUE_COLOR_SC = "1.2.840.10008.5.1.4.1.1.7.4";
const SLICE_LOCATION_VECTOR = 0x00182005;
/** DICOM's Rows and Columns are 16-bit; Number of Frames an IS of at most 2^31 - 1; a value's length 32-bit. */
const MAX_SIDE = 65535;
const MAX_PIXEL_BYTES = 0xfffffffe;
/**
 * Each frame has its own item of position in the file and in the index's metadata; a 4-D series of
 * 300 volumes of 60 slices is 18,000. A header with a million 1-pixel slices is refused, not built.
 */
export const MAX_FRAMES = 50_000;


/** A decimal string (DS) of at most 16 characters: exact when the shortest exact form fits, else as close as fits. */
export function decimal(n: number): string {
  if (n === 0) return "0";
  const exact = String(n);
  if (exact.length <= 16) return exact;
  for (let digits = 16; digits > 1; digits--) {
    const rounded = Number(n.toPrecision(digits));
    const plain = String(rounded);
    if (Number.isFinite(rounded) && plain.length <= 16) return plain;
    const exponent = n.toExponential(digits - 1);
    if (exponent.length <= 16) return exponent;
  }
  return n.toExponential(0);
}

const length = (v: Vec3) => Math.hypot(v[0], v[1], v[2]);
const scale = (v: Vec3, k: number): Vec3 => [v[0] * k, v[1] * k, v[2] * k];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const dominant = (v: Vec3) => [0, 1, 2].reduce((best, i) => (Math.abs(v[i]!) > Math.abs(v[best]!) ? i : best), 0);

/** The in-plane turn that shows a slice as radiologists expect, from the directions of its columns and rows. */
export function displayTurn(columnStep: Vec3, rowStep: Vec3): { transpose: boolean; flipColumns: boolean; flipRows: boolean } {
  // A slice stored with the head-foot axis running across is turned so that it runs down.
  const transpose = dominant(columnStep) === 2 && dominant(rowStep) !== 2;
  const across = transpose ? rowStep : columnStep;
  const down = transpose ? columnStep : rowStep;
  const a = dominant(across);
  const d = dominant(down);
  return {
    transpose,
    // Across: towards the patient's left (+x) or back (+y).
    flipColumns: a !== 2 && across[a]! < 0,
    // Down: towards the feet (-z), or else the left or back.
    flipRows: d === 2 ? down[2] > 0 : down[d]! < 0,
  };
}

export type Samples = ArrayLike<number> | BigInt64Array | BigUint64Array;

/** A typed array over `buffer` for `count` samples of `type` (bytes for colour: three a voxel). */
export function samplesView(type: VoxelType, buffer: ArrayBufferLike, count: number): Samples {
  switch (type) {
    case "int8":
      return new Int8Array(buffer, 0, count);
    case "uint8":
    case "rgb24":
      return new Uint8Array(buffer, 0, type === "rgb24" ? count * 3 : count);
    case "int16":
      return new Int16Array(buffer, 0, count);
    case "uint16":
      return new Uint16Array(buffer, 0, count);
    case "int32":
      return new Int32Array(buffer, 0, count);
    case "uint32":
      return new Uint32Array(buffer, 0, count);
    case "int64":
      return new BigInt64Array(buffer, 0, count);
    case "uint64":
      return new BigUint64Array(buffer, 0, count);
    case "float32":
      return new Float32Array(buffer, 0, count);
    case "float64":
      return new Float64Array(buffer, 0, count);
  }
}

function samplesOf(volume: Volume, count: number): Samples {
  const { data } = volume;
  return samplesView(volume.type, data.byteOffset === 0 ? data.buffer : new Uint8Array(data).buffer, count);
}

/** How stored 16-bit values are made from the file's: stored = round((raw - offset) * factor). */
interface Mapping {
  offset: number;
  factor: number;
  min: number;
  max: number;
}

function mappingOf(samples: Samples, type: VoxelType): Mapping {
  let min = Infinity;
  let max = -Infinity;
  let integral = type !== "float32" && type !== "float64";
  const big = type === "int64" || type === "uint64";
  for (let i = 0; i < samples.length; i++) {
    const v = big ? Number((samples as BigInt64Array)[i]!) : (samples as ArrayLike<number>)[i]!;
    if (!Number.isFinite(v)) continue; // NaN and infinities are stored as 0
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (min === Infinity) return { offset: 0, factor: 1, min: 0, max: 0 };
  // Whole numbers that fit 16 bits are kept exactly (shifted up when some are negative).
  if (integral && max - min <= 65535) return { offset: min >= 0 && max <= 65535 ? 0 : min, factor: 1, min, max };
  return { offset: min, factor: max > min ? 65535 / (max - min) : 1, min, max };
}

export function volumeToDicom(volume: Volume, fileName: string, opts: ConversionOptions = {}): DicomParts {
  const sizes = [...volume.sizes];
  while (sizes.length < 3) sizes.push(1);
  const [columns, rows] = sizes as [number, number];
  const slices = sizes[2]!;
  const frames = sizes.slice(2).reduce((a, b) => a * b, 1);
  const count = columns * rows * frames;
  const rgb = volume.type === "rgb24";
  if (!sizes.every((s) => Number.isInteger(s) && s >= 1)) throw new ImageConversionError(fileName, `axis sizes ${volume.sizes.join(" × ")} are not all whole numbers of at least 1`);
  if (volume.data.byteLength < count * BYTES_PER_VOXEL[volume.type]) throw new ImageConversionError(fileName, `the image data is ${volume.data.byteLength} bytes, short of the ${count * BYTES_PER_VOXEL[volume.type]} its sizes need`);

  let turn = { transpose: false, flipColumns: false, flipRows: false };
  let geometry = volume.geometry;
  if (geometry && (length(geometry.steps[0]) === 0 || length(geometry.steps[1]) === 0 || ![geometry.origin, ...geometry.steps].flat().every(Number.isFinite))) geometry = null;
  if (geometry) turn = displayTurn(geometry.steps[0], geometry.steps[1]);
  const outColumns = turn.transpose ? rows : columns;
  const outRows = turn.transpose ? columns : rows;
  if (outColumns > MAX_SIDE || outRows > MAX_SIDE) throw new ImageConversionError(fileName, `a slice of ${columns} × ${rows} voxels is larger than DICOM's ${MAX_SIDE} rows or columns`);
  const bytesOut = rgb ? 3 : volume.type === "uint8" && volume.slope === 1 && volume.intercept === 0 ? 1 : 2;
  if (count * bytesOut > MAX_PIXEL_BYTES) throw new ImageConversionError(fileName, `${count} voxels make more than the 4 GB one DICOM instance can hold`);
  if (frames > MAX_FRAMES) throw new ImageConversionError(fileName, `${frames} slices (${sizes.slice(2).join(" × ")}) are more than the ${MAX_FRAMES} frames one image may have here: split the volume`);

  const samples = samplesOf(volume, count);
  const mapping = rgb || bytesOut === 1 ? null : mappingOf(samples, volume.type);
  // Output pixel (x, y) of each slice comes from input column and row:
  const sourceOf = (x: number, y: number): [number, number] => {
    const a = turn.flipColumns ? outColumns - 1 - x : x;
    const b = turn.flipRows ? outRows - 1 - y : y;
    return turn.transpose ? [b, a] : [a, b];
  };
  const plane = columns * rows;
  const pixelBytes = count * bytesOut;
  const pixels = new Uint8Array(pixelBytes + (pixelBytes % 2));
  const words = bytesOut === 2 ? new Uint16Array(pixels.buffer, 0, count) : null;
  const big = volume.type === "int64" || volume.type === "uint64";
  let o = 0;
  for (let f = 0; f < frames; f++) {
    const base = f * plane;
    for (let y = 0; y < outRows; y++) {
      for (let x = 0; x < outColumns; x++, o++) {
        const [c, r] = sourceOf(x, y);
        const i = base + r * columns + c;
        if (rgb) {
          const s = samples as Uint8Array;
          pixels[o * 3] = s[i * 3]!;
          pixels[o * 3 + 1] = s[i * 3 + 1]!;
          pixels[o * 3 + 2] = s[i * 3 + 2]!;
        } else if (words) {
          const v = big ? Number((samples as BigInt64Array)[i]!) : (samples as ArrayLike<number>)[i]!;
          // Clamped: (max - min) × 65535 / (max - min) may round one step past 65535, which would wrap.
          words[o] = Number.isFinite(v) ? Math.min(65535, Math.max(0, Math.round((v - mapping!.offset) * mapping!.factor))) : 0;
        } else {
          pixels[o] = (samples as Uint8Array)[i]!;
        }
      }
    }
  }

  const sopClass = rgb ? MULTIFRAME_TRUE_COLOR_SC : bytesOut === 1 ? MULTIFRAME_BYTE_SC : MULTIFRAME_WORD_SC;
  const uid = convertedUids(opts.digest);
  const sopInstanceUid = uid("instance");
  const { date, time } = dicomNow();
  const el = (vr: string, ...values: unknown[]) => ({ vr, Value: values });
  const strings = (vr: string, values: string[]) => ({ vr, Value: values });
  const meta: DicomElements = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": el("UI", sopClass),
    "00020003": el("UI", sopInstanceUid),
    "00020010": el("UI", EXPLICIT_VR_LITTLE_ENDIAN),
    // The implementation's UID and version are set by the writer (write.ts), as for every file.
  };
  const dict: DicomElements = {
    "00080005": el("CS", "ISO_IR 192"),
    "00080008": strings("CS", ["DERIVED", "SECONDARY"]),
    "00080016": el("UI", sopClass),
    "00080018": el("UI", sopInstanceUid),
    "00080020": el("DA", date),
    "00080023": el("DA", date),
    "00080030": el("TM", time),
    "00080033": el("TM", time),
    "00080050": { vr: "SH" },
    "00080060": el("CS", opts.modality ?? "OT"),
    "00080064": el("CS", "WSD"),
    "00080090": { vr: "PN" },
    "00100010": { vr: "PN" },
    "00100020": el("LO", opts.patientId ?? ""),
    "00100030": { vr: "DA" },
    "00100040": { vr: "CS" },
    "0020000D": el("UI", uid("study")),
    "0020000E": el("UI", uid("series")),
    "00200010": { vr: "SH" },
    "00200011": el("IS", "1"),
    "00200013": el("IS", "1"),
    "00200020": { vr: "CS" },
    "00200060": { vr: "CS" },
    "00280002": el("US", rgb ? 3 : 1),
    "00280004": el("CS", rgb ? "RGB" : "MONOCHROME2"),
    "00280008": el("IS", String(frames)),
    "00280010": el("US", outRows),
    "00280011": el("US", outColumns),
    "00280100": el("US", bytesOut === 2 ? 16 : 8),
    "00280101": el("US", bytesOut === 2 ? 16 : 8),
    "00280102": el("US", bytesOut === 2 ? 15 : 7),
    "00280103": el("US", 0),
    "00280301": el("CS", "NO"),
    "00282110": el("CS", "00"),
    "7FE00010": { vr: bytesOut === 2 ? "OW" : "OB", Value: [pixels.buffer] },
  };
  if (rgb) dict["00280006"] = el("US", 0);
  else dict["20500020"] = el("CS", "IDENTITY");
  if (frames > 1) dict["00280009"] = el("AT", SLICE_LOCATION_VECTOR);

  if (bytesOut === 1) {
    // Byte SC: values as stored, said so (PS3.3 C.8.6.3).
    dict["00281052"] = el("DS", "0");
    dict["00281053"] = el("DS", "1");
    dict["00281054"] = el("LO", "US");
  }
  if (mapping) {
    const slope = volume.slope / mapping.factor;
    const intercept = volume.intercept + volume.slope * mapping.offset;
    dict["00281052"] = el("DS", decimal(intercept));
    dict["00281053"] = el("DS", decimal(slope));
    dict["00281054"] = el("LO", "US");
    // One window for the whole volume (a viewer would otherwise pick one per slice).
    const ends = [mapping.min, mapping.max].map((v) => v * volume.slope + volume.intercept);
    const width = Math.abs(ends[1]! - ends[0]!);
    if (width >= 1) {
      dict["00281050"] = el("DS", decimal((ends[0]! + ends[1]!) / 2));
      dict["00281051"] = el("DS", decimal(width));
    }
  }

  // Geometry: where every slice is, and how far apart its pixels are.
  const sliceSpacing = geometry ? length(geometry.steps[2]) : volume.spacing[2];
  let pixelSpacing: [number, number] | null = null;
  if (geometry) {
    const [s0, s1, s2] = geometry.steps;
    const [c0, r0] = sourceOf(0, 0);
    const origin = add(add(geometry.origin, scale(s0, c0)), scale(s1, r0));
    const across = scale(turn.transpose ? s1 : s0, turn.flipColumns ? -1 : 1);
    const down = scale(turn.transpose ? s0 : s1, turn.flipRows ? -1 : 1);
    pixelSpacing = [length(down), length(across)];
    const orientation = [...scale(across, 1 / length(across)), ...scale(down, 1 / length(down))].map(decimal);
    // A slice's position along the normal to its plane, for Slice Location Vector.
    const n: Vec3 = [across[1] * down[2] - across[2] * down[1], across[2] * down[0] - across[0] * down[2], across[0] * down[1] - across[1] * down[0]];
    const normal = scale(n, 1 / (length(n) || 1));
    const positions = Array.from({ length: frames }, (_, f) => add(origin, scale(s2, f % slices)));
    dict["00200052"] = el("UI", uid("frame-of-reference"));
    dict["00201040"] = { vr: "LO" };
    dict["52009229"] = {
      vr: "SQ",
      Value: [
        {
          "00289110": { vr: "SQ", Value: [{ "00280030": strings("DS", pixelSpacing.map(decimal)), "00180050": el("DS", decimal(sliceSpacing || 1)) }] },
          "00209116": { vr: "SQ", Value: [{ "00200037": strings("DS", orientation) }] },
        },
      ],
    };
    dict["52009230"] = { vr: "SQ", Value: positions.map((p) => ({ "00209113": { vr: "SQ", Value: [{ "00200032": strings("DS", p.map(decimal)) }] } })) };
    if (frames > 1) dict["00182005"] = strings("DS", positions.map((p) => decimal(p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2])));
  } else {
    // Placed nowhere: no functional groups (they would need a position and orientation for each
    // frame), only the spacing, for measurements.
    const [sc, sr] = volume.spacing;
    if (sc > 0 && sr > 0) pixelSpacing = [sr, sc];
    if (frames > 1) dict["00182005"] = strings("DS", Array.from({ length: frames }, (_, f) => decimal((f % slices) * (sliceSpacing || 1))));
  }
  if (pixelSpacing) {
    // Also at the top level (SC Image module), for readers that look nowhere else.
    dict["00280030"] = strings("DS", pixelSpacing.map(decimal));
  }
  return { meta, dict };
}
