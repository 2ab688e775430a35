import { gzipSync } from "node:zlib";
import { encodeSamples, SAMPLE_WIDTH, type SampleType } from "../modules/images/convert/nifti-write.js";
import { concat } from "../modules/images/dicom/synthetic.js";

// Writers of small NIfTI and NRRD files for tests, from the published layouts (nifti1.h, nifti2.h,
// teem.sourceforge.net/nrrd/format.html) rather than from the readers, so that a reader's mistake
// about an offset or a field shows as a failing test instead of being repeated here. The NIfTI
// writer is the export's own (nifti-write.ts).

export { encodeSamples, NIFTI_DATATYPE, niftiFile, niftiImage, niftiPair, type NiftiOptions, type SampleType } from "../modules/images/convert/nifti-write.js";

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
  const endian = opts.endian === undefined ? (sample && SAMPLE_WIDTH[sample] > 1 ? "little" : undefined) : (opts.endian ?? undefined);
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
