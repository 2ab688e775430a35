// NIfTI-1 and NIfTI-2 files written from the published layout (nifti1.h, nifti2.h): the NIfTI
// export of images and label masks, and the tests of the readers, which write their inputs with it
// rather than with a reader, so that a reader's mistake about an offset or a field shows as a
// failing test instead of being repeated here.

/** The sample encodings both formats share (NIfTI datatype codes and NRRD type names map onto them). */
export type SampleType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "rgb24";

export const SAMPLE_WIDTH: Record<SampleType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8, rgb24: 1 };

/** NIfTI datatype codes (nifti1.h DT_*). */
export const NIFTI_DATATYPE = {
  binary: 1,
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  complex64: 32,
  float64: 64,
  rgb24: 128,
  int8: 256,
  uint16: 512,
  uint32: 768,
  int64: 1024,
  uint64: 1280,
  float128: 1536,
  complex128: 1792,
  complex256: 2048,
  rgba32: 2304,
} as const;

const BITPIX: Record<number, number> = { 1: 1, 2: 8, 4: 16, 8: 32, 16: 32, 32: 64, 64: 64, 128: 24, 256: 8, 512: 16, 768: 32, 1024: 64, 1280: 64, 1536: 128, 1792: 128, 2048: 256, 2304: 32 };
const SAMPLE_OF_DATATYPE: Record<number, SampleType> = { 2: "uint8", 4: "int16", 8: "int32", 16: "float32", 64: "float64", 128: "rgb24", 256: "int8", 512: "uint16", 768: "uint32", 1024: "int64", 1280: "uint64" };

/** Samples as bytes, in the given byte order. rgb24 takes one value a component (three a voxel). */
export function encodeSamples(type: SampleType, values: ArrayLike<number | bigint>, littleEndian = true): Uint8Array {
  const width = SAMPLE_WIDTH[type];
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * width;
    const n = Number(v);
    switch (type) {
      case "int8":
        view.setInt8(at, n);
        break;
      case "uint8":
      case "rgb24":
        view.setUint8(at, n);
        break;
      case "int16":
        view.setInt16(at, n, littleEndian);
        break;
      case "uint16":
        view.setUint16(at, n, littleEndian);
        break;
      case "int32":
        view.setInt32(at, n, littleEndian);
        break;
      case "uint32":
        view.setUint32(at, n, littleEndian);
        break;
      case "int64":
        view.setBigInt64(at, BigInt(v), littleEndian);
        break;
      case "uint64":
        view.setBigUint64(at, BigInt(v), littleEndian);
        break;
      case "float32":
        view.setFloat32(at, n, littleEndian);
        break;
      case "float64":
        view.setFloat64(at, n, littleEndian);
        break;
    }
  }
  return out;
}

export interface NiftiOptions {
  /** 1 (348-byte header) or 2 (540-byte header). Default 1. */
  version?: 1 | 2;
  /** Default true. */
  littleEndian?: boolean;
  /** A NIfTI datatype code (NIFTI_DATATYPE). */
  datatype: number;
  /** Default: the datatype's own. */
  bitpix?: number;
  /** The sizes, dim[1] onwards. */
  dims: number[];
  /** dim[0]; default dims.length. */
  rank?: number;
  /** pixdim[1] onwards; default all 1. */
  pixdim?: number[];
  /** qfac: pixdim[0]; default 1. */
  qfac?: number;
  /** Default 352 (NIfTI-1) or 544 (NIfTI-2), or 0 for a header-only "ni1" file. */
  voxOffset?: number;
  sclSlope?: number;
  sclInter?: number;
  qformCode?: number;
  /** quatern_b, quatern_c, quatern_d. */
  quatern?: [number, number, number];
  qoffset?: [number, number, number];
  sformCode?: number;
  /** srow_x, srow_y, srow_z, four numbers each. */
  srow?: [number[], number[], number[]];
  /** Spatial unit in bits 0-2 (1 metre, 2 mm, 3 micron), time unit in bits 3-5. */
  xyztUnits?: number;
  descrip?: string;
  auxFile?: string;
  intentName?: string;
  /** The samples as numbers (or bigints for 64-bit integers), encoded by the datatype in the file's byte order. */
  values?: ArrayLike<number | bigint>;
  /** The image bytes exactly as they go into the file (for datatypes with no encoder here). */
  rawData?: Uint8Array;
  /** "ni1": a header only (its image goes in a separate .img, see niftiPair). */
  magic?: "n+1" | "ni1";
}

function text(bytes: Uint8Array, at: number, size: number, value: string | undefined) {
  if (value === undefined) return;
  bytes.set(Buffer.from(value, "latin1").subarray(0, size), at);
}

/** The image bytes of a NIfTI file: values encoded by its datatype and byte order, or rawData as given. */
export function niftiImage(opts: NiftiOptions): Uint8Array {
  if (opts.rawData) return opts.rawData;
  const type = SAMPLE_OF_DATATYPE[opts.datatype];
  if (!type) return new Uint8Array(0);
  const voxels = opts.dims.reduce((a, b) => a * b, 1);
  const values = opts.values ?? new Array<number>(voxels * (type === "rgb24" ? 3 : 1)).fill(0);
  return encodeSamples(type, values, opts.littleEndian ?? true);
}

/** A NIfTI-1 or NIfTI-2 file: header, empty extension flag, image (or the header alone for "ni1"). */
export function niftiFile(opts: NiftiOptions): Uint8Array {
  const two = opts.version === 2;
  const le = opts.littleEndian ?? true;
  const headerOnly = opts.magic === "ni1";
  if (two && headerOnly) throw new Error("niftiFile: NIfTI-2 has no header-only form here");
  const headerSize = two ? 540 : 348;
  const dataAt = opts.voxOffset ?? (headerOnly ? 0 : two ? 544 : 352);
  const image = headerOnly ? new Uint8Array(0) : niftiImage(opts);
  const bytes = new Uint8Array(headerOnly ? 348 : Math.max(dataAt, headerSize + 4) + image.length);
  const view = new DataView(bytes.buffer);
  const i16 = (at: number, v: number) => view.setInt16(at, v, le);
  const i32 = (at: number, v: number) => view.setInt32(at, v, le);
  const i64 = (at: number, v: number) => view.setBigInt64(at, BigInt(v), le);
  const f32 = (at: number, v: number) => view.setFloat32(at, v, le);
  const f64 = (at: number, v: number) => view.setFloat64(at, v, le);
  const int = two ? i64 : i16;
  const real = two ? f64 : f32;
  const step = two ? 8 : 4;

  const dim = [opts.rank ?? opts.dims.length, ...opts.dims];
  while (dim.length < 8) dim.push(1);
  const pixdim = [opts.qfac ?? 1, ...(opts.pixdim ?? opts.dims.map(() => 1))];
  while (pixdim.length < 8) pixdim.push(1);
  const quatern = opts.quatern ?? [0, 0, 0];
  const qoffset = opts.qoffset ?? [0, 0, 0];
  const srow = opts.srow ?? [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];

  i32(0, headerSize);
  if (two) bytes.set(Buffer.from("n+2\0\r\n\x1a\n", "latin1"), 4);
  i16(two ? 12 : 70, opts.datatype);
  i16(two ? 14 : 72, opts.bitpix ?? BITPIX[opts.datatype] ?? 0);
  dim.slice(0, 8).forEach((d, i) => int((two ? 16 : 40) + i * (two ? 8 : 2), d));
  pixdim.slice(0, 8).forEach((p, i) => real((two ? 104 : 76) + i * step, p));
  if (two) i64(168, dataAt);
  else f32(108, dataAt);
  real(two ? 176 : 112, opts.sclSlope ?? 0);
  real(two ? 184 : 116, opts.sclInter ?? 0);
  if (two) i32(500, opts.xyztUnits ?? 0);
  else bytes[123] = opts.xyztUnits ?? 0;
  text(bytes, two ? 240 : 148, 80, opts.descrip);
  text(bytes, two ? 320 : 228, 24, opts.auxFile);
  if (two) {
    i32(344, opts.qformCode ?? 0);
    i32(348, opts.sformCode ?? 0);
  } else {
    i16(252, opts.qformCode ?? 0);
    i16(254, opts.sformCode ?? 0);
  }
  quatern.forEach((q, i) => real((two ? 352 : 256) + i * step, q));
  qoffset.forEach((q, i) => real((two ? 376 : 268) + i * step, q));
  srow.forEach((row, r) => row.forEach((v, c) => real((two ? 400 : 280) + (r * 4 + c) * step, v)));
  text(bytes, two ? 508 : 328, 16, opts.intentName);
  if (!two) text(bytes, 344, 4, headerOnly ? "ni1\0" : "n+1\0");
  if (!headerOnly) bytes.set(image, Math.max(dataAt, headerSize + 4));
  return bytes;
}

/** A NIfTI-1 header/image pair: a "ni1" .hdr and its .img. */
export function niftiPair(opts: Omit<NiftiOptions, "magic" | "version">): { hdr: Uint8Array; img: Uint8Array } {
  return { hdr: niftiFile({ ...opts, magic: "ni1" }), img: niftiImage(opts) };
}

