import { gzipSync } from "node:zlib";
import { concat } from "../modules/images/dicom/synthetic.js";

// Writers of small NIfTI and NRRD files for tests, from the published layouts (nifti1.h, nifti2.h,
// teem.sourceforge.net/nrrd/format.html) rather than from the readers, so that a reader's mistake
// about an offset or a field shows as a failing test instead of being repeated here.

/** The sample encodings both formats share (NIfTI datatype codes and NRRD type names map onto them). */
export type SampleType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64" | "rgb24";

const WIDTH: Record<SampleType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8, rgb24: 1 };

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
  const width = WIDTH[type];
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

/** NRRD type names (as the format lists them) for the sample encodings. */
const NRRD_SAMPLE: Record<string, SampleType> = {
  "signed char": "int8",
  int8: "int8",
  int8_t: "int8",
  uchar: "uint8",
  "unsigned char": "uint8",
  uint8: "uint8",
  uint8_t: "uint8",
  short: "int16",
  "short int": "int16",
  "signed short": "int16",
  int16: "int16",
  ushort: "uint16",
  "unsigned short": "uint16",
  uint16: "uint16",
  int: "int32",
  "signed int": "int32",
  int32: "int32",
  uint: "uint32",
  "unsigned int": "uint32",
  uint32: "uint32",
  longlong: "int64",
  "long long": "int64",
  int64: "int64",
  ulonglong: "uint64",
  "unsigned long long": "uint64",
  uint64: "uint64",
  float: "float32",
  double: "float64",
};

export type NrrdVector = number[] | null;

export interface NrrdOptions {
  /** The magic's version digit. Default 4. */
  version?: number;
  /** An NRRD type name ("short", "unsigned char", "float"...). */
  type: string;
  sizes: number[];
  /** Default sizes.length. */
  dimension?: number;
  /** Written as given ("raw", "ascii", "hex", "gzip"...). Default "raw". */
  encoding?: string;
  /** Default "little" for multi-byte samples, omitted for single bytes; null omits it. */
  endian?: "little" | "big" | null;
  space?: string;
  /** One vector or null ("none") an axis, or the field's text as it is. */
  spaceDirections?: NrrdVector[] | string;
  spaceOrigin?: number[] | string;
  spacings?: number[];
  kinds?: string[];
  byteSkip?: number;
  lineSkip?: number;
  /** A detached header: "data file: ..." and no data (the data: nrrdData). */
  dataFile?: string;
  content?: string;
  /** "key:=value" lines. */
  keyValues?: Record<string, string>;
  /** "# ..." lines, after the magic. */
  comments?: string[];
  /** Further "field: value" lines, written as given. */
  fields?: Record<string, string>;
  /** Fields left out of the header (by name, as written: "type", "sizes", "encoding"...). */
  omit?: string[];
  /** The samples, encoded by the type (and endian for binary encodings). */
  values?: ArrayLike<number | bigint>;
  /** The samples' bytes exactly as they go into the data (before gzip), instead of values. */
  rawData?: Uint8Array;
  /** Lines of text between the header and the data (for line skip). */
  skippedLines?: string[];
  /** Bytes before the data (for byte skip; inside the compression for gzip, as the format says). */
  skippedBytes?: Uint8Array;
  /** Line ends of the header. Default "\n". */
  newline?: "\n" | "\r\n";
}

const vectorText = (v: number[]) => `(${v.join(",")})`;

/** The NRRD header's lines. */
export function nrrdHeaderLines(opts: NrrdOptions): string[] {
  const omit = new Set(opts.omit ?? []);
  const sample = NRRD_SAMPLE[opts.type.toLowerCase()];
  const encoding = opts.encoding ?? "raw";
  const lines: string[] = [`NRRD000${opts.version ?? 4}`];
  for (const c of opts.comments ?? []) lines.push(`# ${c}`);
  const field = (name: string, value: string | undefined) => {
    if (value !== undefined && !omit.has(name)) lines.push(`${name}: ${value}`);
  };
  field("type", opts.type);
  field("dimension", String(opts.dimension ?? opts.sizes.length));
  if (opts.space !== undefined) field("space", opts.space);
  field("sizes", opts.sizes.join(" "));
  if (opts.spaceDirections !== undefined) {
    field("space directions", typeof opts.spaceDirections === "string" ? opts.spaceDirections : opts.spaceDirections.map((v) => (v ? vectorText(v) : "none")).join(" "));
  }
  if (opts.spacings) field("spacings", opts.spacings.join(" "));
  if (opts.kinds) field("kinds", opts.kinds.join(" "));
  const endian = opts.endian === undefined ? (sample && WIDTH[sample] > 1 ? "little" : undefined) : (opts.endian ?? undefined);
  field("endian", endian);
  field("encoding", encoding);
  if (opts.spaceOrigin !== undefined) field("space origin", typeof opts.spaceOrigin === "string" ? opts.spaceOrigin : vectorText(opts.spaceOrigin));
  if (opts.byteSkip !== undefined) field("byte skip", String(opts.byteSkip));
  if (opts.lineSkip !== undefined) field("line skip", String(opts.lineSkip));
  if (opts.content !== undefined) field("content", opts.content);
  for (const [name, value] of Object.entries(opts.fields ?? {})) field(name, value);
  for (const [key, value] of Object.entries(opts.keyValues ?? {})) lines.push(`${key}:=${value}`);
  if (opts.dataFile !== undefined) field("data file", opts.dataFile);
  return lines;
}

/** The data of an NRRD file as it follows the header (or fills its detached data file). */
export function nrrdData(opts: NrrdOptions): Uint8Array {
  const sample = NRRD_SAMPLE[opts.type.toLowerCase()];
  const encoding = (opts.encoding ?? "raw").toLowerCase();
  const little = opts.endian !== "big";
  const skippedLines = Buffer.from((opts.skippedLines ?? []).map((l) => `${l}\n`).join(""), "latin1");
  const skippedBytes = opts.skippedBytes ?? new Uint8Array(0);
  let body: Uint8Array;
  if (encoding === "ascii" || encoding === "text" || encoding === "txt") {
    const values = Array.from(opts.values ?? [], String);
    const perLine = opts.sizes[0] ?? 1;
    const rows: string[] = [];
    for (let i = 0; i < values.length; i += perLine) rows.push(values.slice(i, i + perLine).join(" "));
    body = Buffer.from(rows.map((r) => `${r}\n`).join(""), "latin1");
  } else {
    const samples = opts.rawData ?? (sample && opts.values ? encodeSamples(sample, opts.values, little) : new Uint8Array(0));
    if (encoding === "hex") {
      const hex = Buffer.from(samples).toString("hex");
      body = Buffer.from(`${(hex.match(/.{1,32}/g) ?? []).join("\n")}\n`, "latin1");
    } else if (encoding === "gzip" || encoding === "gz") {
      body = gzipSync(Buffer.concat([skippedBytes, samples]));
      return concat(skippedLines, body);
    } else {
      // raw, and any other encoding name (written as raw bytes, for a reader to refuse).
      body = samples;
    }
  }
  return concat(skippedLines, skippedBytes, body);
}

/** An NRRD file: header, blank line, data; or, with dataFile, the detached header alone. */
export function nrrdFile(opts: NrrdOptions): Uint8Array {
  const nl = opts.newline ?? "\n";
  const lines = nrrdHeaderLines(opts);
  if (opts.dataFile !== undefined) return Buffer.from(`${lines.join(nl)}${nl}`, "latin1");
  return concat(Buffer.from(`${lines.join(nl)}${nl}${nl}`, "latin1"), nrrdData(opts));
}

/** Byte arrays one after the other (the DICOM test writer's helper, by the name these tests use). */
export { concat as concatBytes } from "../modules/images/dicom/synthetic.js";
