import { ImageConversionError } from "./secondary-capture.js";
import { BYTES_PER_VOXEL, type Vec3, type Volume, type VoxelType } from "./volume.js";

// NIfTI-1 and NIfTI-2 (nifti.nimh.nih.gov), read here rather than with nifti-reader-js: that
// package is published as an ES module for `import` only, which the CommonJS ingest worker cannot
// load synchronously, and its readImage ignores dimensions 6 and 7 and never checks that the
// file holds the data its header promises. The header is a fixed layout of some 40 fields.
//
// Geometry follows the standard's order of preference as nibabel and FSL read it: the sform
// (srow_x/y/z) when sform_code > 0, else the qform (quaternion, offsets, pixdim, qfac) when
// qform_code > 0, else no placement at all (pixdim gives spacing only). NIfTI's world is RAS+;
// DICOM's is LPS+, so x and y change sign.

export const MAX_VOLUME_BYTES = 2 * 1024 ** 3;

const TYPES: Record<number, VoxelType> = {
  2: "uint8",
  4: "int16",
  8: "int32",
  16: "float32",
  64: "float64",
  128: "rgb24",
  256: "int8",
  512: "uint16",
  768: "uint32",
  1024: "int64",
  1280: "uint64",
};
const UNSUPPORTED: Record<number, string> = {
  1: "1-bit (binary)",
  32: "complex (64-bit)",
  1536: "128-bit floating point",
  1792: "complex (128-bit)",
  2048: "complex (256-bit)",
  2304: "RGBA",
};

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** "n+1", "ni1" (a header whose image is a separate .img) or "n+2"; null when the bytes are not NIfTI. */
export function niftiMagic(bytes: Uint8Array): "n+1" | "ni1" | "n+2" | null {
  if (bytes.length < 348) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = (le: boolean) => view.getInt32(0, le);
  if ((size(true) === 348 || size(false) === 348) && bytes[347] === 0) {
    const m = ascii(bytes, 344, 347);
    if (m === "n+1" || m === "ni1") return m;
  }
  if (bytes.length >= 540 && (size(true) === 540 || size(false) === 540) && ascii(bytes, 4, 12) === "n+2\0\r\n\x1a\n") return "n+2";
  return null;
}

export function readNifti(bytes: Uint8Array, fileName: string, maxBytes = MAX_VOLUME_BYTES): Volume {
  const fail = (reason: string) => new ImageConversionError(fileName, reason);
  const magic = niftiMagic(bytes);
  if (!magic) throw fail("not a NIfTI-1 or NIfTI-2 file (no n+1 or n+2 header)");
  if (magic === "ni1") throw fail("a NIfTI header whose image is in a separate .img file: upload the .hdr and its .img together");
  const two = magic === "n+2";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, true) === (two ? 540 : 348);
  const i16 = (at: number) => view.getInt16(at, le);
  const i32 = (at: number) => view.getInt32(at, le);
  const f32 = (at: number) => view.getFloat32(at, le);
  const f64 = (at: number) => view.getFloat64(at, le);
  const i64 = (at: number) => Number(view.getBigInt64(at, le));
  const int = two ? i64 : i16;
  const real = two ? f64 : f32;
  const step = two ? 8 : 4;

  const datatype = i16(two ? 12 : 70);
  const bitpix = i16(two ? 14 : 72);
  const dim = Array.from({ length: 8 }, (_, i) => int((two ? 16 : 40) + i * (two ? 8 : 2)));
  const pixdim = Array.from({ length: 8 }, (_, i) => real((two ? 104 : 76) + i * step));
  const voxOffset = two ? i64(168) : f32(108);
  const sclSlope = real(two ? 176 : 112);
  const sclInter = real(two ? 184 : 116);
  const qformCode = two ? i32(344) : i16(252);
  const sformCode = two ? i32(348) : i16(254);
  const quatern = [0, 1, 2].map((i) => real((two ? 352 : 256) + i * step));
  const qoffset = [0, 1, 2].map((i) => real((two ? 376 : 268) + i * step)) as Vec3;
  const srow = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => real((two ? 400 : 280) + (r * 4 + c) * step)));
  const xyztUnits = two ? i32(500) : bytes[123]!;

  const type = TYPES[datatype];
  if (!type) throw fail(UNSUPPORTED[datatype] ? `${UNSUPPORTED[datatype]} voxels (datatype ${datatype}) have no DICOM image form` : `datatype ${datatype} is not a NIfTI data type`);
  if (bitpix !== BYTES_PER_VOXEL[type] * 8) throw fail(`datatype ${datatype} (${type}) has ${BYTES_PER_VOXEL[type] * 8} bits a voxel, but bitpix says ${bitpix}`);
  const rank = dim[0]!;
  if (!(rank >= 1 && rank <= 7)) throw fail(`dim[0] is ${rank}: the number of dimensions must be 1 to 7`);
  const sizes = dim.slice(1, rank + 1);
  const bad = sizes.findIndex((s) => !(Number.isSafeInteger(s) && s >= 1));
  if (bad >= 0) throw fail(`dim[${bad + 1}] is ${sizes[bad]}: every size must be at least 1`);
  const voxels = sizes.reduce((a, b) => a * b, 1);
  const dataBytes = voxels * BYTES_PER_VOXEL[type];
  if (dataBytes > maxBytes) throw fail(`the image is ${dataBytes} bytes, more than the ${maxBytes} allowed`);
  const minOffset = two ? 544 : 352;
  if (!(Number.isInteger(voxOffset) && voxOffset >= minOffset)) throw fail(`vox_offset is ${voxOffset}: a single-file NIfTI's image starts at byte ${minOffset} or later`);
  if (voxOffset + dataBytes > bytes.length) {
    throw fail(`truncated: the header promises ${dataBytes} bytes of image data from byte ${voxOffset}, the file holds ${Math.max(bytes.length - voxOffset, 0)}`);
  }

  // The voxels in a buffer of their own (a copy even of a Node Buffer, whose slice is a view), little-endian.
  const data = new Uint8Array(bytes.subarray(voxOffset, voxOffset + dataBytes));
  const width = type === "rgb24" ? 1 : BYTES_PER_VOXEL[type];
  if (!le && width > 1) {
    for (let i = 0; i < data.length; i += width) data.subarray(i, i + width).reverse();
  }

  // Lengths in mm (xyzt_units: 1 metre, 2 mm, 3 micron; 0 unknown, taken as mm).
  const unit = ({ 1: 1000, 2: 1, 3: 0.001 } as Record<number, number>)[xyztUnits & 7] ?? 1;
  let affine: number[][] | null = null;
  if (sformCode > 0) {
    affine = srow;
  } else if (qformCode > 0) {
    let [b, c, d] = quatern as [number, number, number];
    let a2 = 1 - (b * b + c * c + d * d);
    if (a2 < 1e-7) {
      // As nifti1_io: a unit vector (b, c, d), a rotation by 180 degrees.
      const n = Math.hypot(b, c, d) || 1;
      [b, c, d] = [b / n, c / n, d / n];
      a2 = 0;
    }
    const a = Math.sqrt(a2);
    const R = [
      [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
      [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
      [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
    ];
    const qfac = pixdim[0]! < 0 ? -1 : 1;
    const p = [pixdim[1]!, pixdim[2]!, pixdim[3]! * qfac];
    affine = R.map((row, r) => [row[0]! * p[0]!, row[1]! * p[1]!, row[2]! * p[2]!, qoffset[r]!]);
  }
  const lps = (v: number[]): Vec3 => [-v[0]! * unit, -v[1]! * unit, v[2]! * unit];
  const geometry = affine
    ? {
        origin: lps(affine.map((row) => row[3]!)),
        steps: [0, 1, 2].map((k) => lps(affine!.map((row) => row[k]!))) as [Vec3, Vec3, Vec3],
      }
    : null;
  // scl_slope 0 means the values are meant as stored (and colour is never scaled).
  const scaled = Number.isFinite(sclSlope) && sclSlope !== 0 && type !== "rgb24";
  const slope = scaled ? sclSlope : 1;
  const intercept = scaled && Number.isFinite(sclInter) ? sclInter : 0;
  const spacing = [1, 2, 3].map((i) => (Number.isFinite(pixdim[i]!) && pixdim[i]! > 0 && i <= rank ? pixdim[i]! * unit : 0)) as Vec3;
  return { format: two ? "NIfTI-2" : "NIfTI-1", sizes, type, data, slope, intercept, geometry, spacing };
}
