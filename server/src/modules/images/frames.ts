import { multipartRelatedWriter } from "../../platform/dicomweb/multipart.js";
import type { DcmjsDataset, DcmjsElement } from "./dicom/dcmjs.js";
import type { DicomFile } from "./dicom/read.js";
import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, hasNativePixels } from "./dicom/transfer-syntax.js";

/*
 * WADO-RS frames and bulk data (PS3.18 §10.4, §8.7.3.3): which representation we can answer
 * with, what a client's Accept header allows, and the bytes themselves, cut from a parsed file.
 *
 * Native pixel data is always answered as Explicit VR Little Endian octets (big endian data is
 * swapped), each frame exactly Rows × Columns × Samples × Bits Allocated / 8 bytes. Encapsulated
 * pixel data is answered as it is stored, one frame's compressed bytes per part (no fragment
 * items), labelled with the media type of PS3.18 Table 8.7.3-5 and a transfer-syntax parameter,
 * which is what @cornerstonejs/dicom-image-loader reads to pick its decoder. Nothing is
 * transcoded yet: a client that cannot take the stored syntax gets 406.
 */

export const ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.98";
export const OCTET_STREAM = "application/octet-stream";
const PIXEL_DATA = "7FE00010";

/** An error a WADO-RS route answers with its status and message (as JSON). */
export class WadoError extends Error {
  constructor(
    readonly status: 400 | 404 | 406,
    message: string,
  ) {
    super(message);
  }
}

// ---- transfer syntaxes and media types (PS3.18 Table 8.7.3-5)

const SYNTAX_MEDIA_TYPES: Array<[RegExp, string]> = [
  // JPEG baseline, extended, lossless and the retired JPEG processes (.50 to .66), JPEG lossless SV1 (.70)
  [/^1\.2\.840\.10008\.1\.2\.4\.(5\d|6[0-6]|70)$/, "image/jpeg"],
  [/^1\.2\.840\.10008\.1\.2\.5$/, "image/dicom-rle"],
  [/^1\.2\.840\.10008\.1\.2\.4\.8[01]$/, "image/jls"],
  [/^1\.2\.840\.10008\.1\.2\.4\.9[01]$/, "image/jp2"],
  [/^1\.2\.840\.10008\.1\.2\.4\.9[23]$/, "image/jpx"],
  [/^1\.2\.840\.10008\.1\.2\.4\.20[123]$/, "image/jphc"],
  [/^1\.2\.840\.10008\.1\.2\.4\.11[012]$/, "image/jxl"],
  [/^1\.2\.840\.10008\.1\.2\.4\.10[01]$/, "video/mpeg"],
  [/^1\.2\.840\.10008\.1\.2\.4\.10[2-6]$/, "video/mp4"],
  [/^1\.2\.840\.10008\.1\.2\.4\.10[78]$/, "video/H265"],
];

/** Older names clients still send (and Cornerstone knows): the same thing. */
const MEDIA_TYPE_ALIASES: Record<string, string> = {
  "image/x-jls": "image/jls",
  "image/x-dicom-rle": "image/dicom-rle",
  "video/h265": "video/H265",
};

const SYNTAX_NAMES: Record<string, string> = {
  "1.2.840.10008.1.2.4.50": "JPEG Baseline",
  "1.2.840.10008.1.2.4.51": "JPEG Extended",
  "1.2.840.10008.1.2.4.57": "JPEG Lossless",
  "1.2.840.10008.1.2.4.70": "JPEG Lossless SV1",
  "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
  "1.2.840.10008.1.2.4.81": "JPEG-LS Near-Lossless",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
  "1.2.840.10008.1.2.4.91": "JPEG 2000",
  "1.2.840.10008.1.2.4.201": "HTJ2K Lossless",
  "1.2.840.10008.1.2.4.202": "HTJ2K Lossless RPCL",
  "1.2.840.10008.1.2.4.203": "HTJ2K",
  "1.2.840.10008.1.2.5": "RLE Lossless",
};

export function syntaxName(uid: string): string {
  return SYNTAX_NAMES[uid] ? `${SYNTAX_NAMES[uid]} (${uid})` : uid;
}

/** The media type of compressed frames in this transfer syntax; octet-stream when PS3.18 names none. */
export function mediaTypeOfSyntax(transferSyntaxUid: string): string {
  return SYNTAX_MEDIA_TYPES.find(([re]) => re.test(transferSyntaxUid))?.[1] ?? OCTET_STREAM;
}

/** Pixel data one plain value (or, encapsulated uncompressed, plain frames): served as native octets. */
export function isNativeSyntax(transferSyntaxUid: string): boolean {
  return hasNativePixels(transferSyntaxUid) || transferSyntaxUid === ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN;
}

/** What frames of an instance stored in `storedSyntax` are answered as. */
export interface Representation {
  mediaType: string;
  transferSyntaxUid: string;
  native: boolean;
}

export function representationOf(storedSyntax: string): Representation {
  if (isNativeSyntax(storedSyntax)) return { mediaType: OCTET_STREAM, transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, native: true };
  return { mediaType: mediaTypeOfSyntax(storedSyntax), transferSyntaxUid: storedSyntax, native: false };
}

/** The Content-Type of one part (or a single-part answer). */
export function partContentType(rep: Representation): string {
  return `${rep.mediaType}; transfer-syntax=${rep.transferSyntaxUid}`;
}

// ---- Accept

export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\\" && quoted) i++;
    else if (c === sep && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** An Accept header as media ranges, highest quality first (stable); q=0 ranges are dropped. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: "*/*", params: {}, q: 1 }];
  const ranges: MediaRange[] = [];
  for (const item of splitOutsideQuotes(header, ",")) {
    const [type, ...rest] = splitOutsideQuotes(item, ";").map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq <= 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .replace(/\\(.)/g, "$1");
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    if (!(q > 0)) continue;
    ranges.push({ type: type.toLowerCase(), params, q: Math.min(q, 1) });
  }
  return ranges.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map(({ r }) => r);
}

function canonicalType(type: string): string {
  const t = type.trim().toLowerCase();
  return MEDIA_TYPE_ALIASES[t] ?? t;
}

/** Does a media type (with an optional transfer-syntax parameter) from the client cover `rep`? */
function typeCovers(type: string, transferSyntax: string | undefined, rep: Representation): boolean {
  const t = canonicalType(type);
  const wanted = canonicalType(rep.mediaType);
  const typeMatches = t === "*/*" || t === "*" || t === wanted || (t.endsWith("/*") && wanted.startsWith(t.slice(0, -1)));
  if (transferSyntax === "*") return typeMatches || t === OCTET_STREAM;
  if (transferSyntax) return transferSyntax === rep.transferSyntaxUid && (typeMatches || t === OCTET_STREAM);
  // Without a transfer-syntax parameter, octet-stream means Explicit VR Little Endian (PS3.18
  // §8.7.3.3.1); a compressed media type means that compression, whichever of its syntaxes we hold.
  return typeMatches;
}

export type Negotiated = { multipart: boolean };

/**
 * Which form of `rep` the Accept header allows: multipart/related (any number of parts) or,
 * when `singlePartAllowed` (one frame), the bare media type. Throws 406 when none.
 */
export function negotiateBulk(accept: string | undefined, rep: Representation, singlePartAllowed: boolean): Negotiated {
  for (const range of parseAccept(accept)) {
    if (range.type === "*/*") return { multipart: true };
    if (range.type === "multipart/related" || range.type === "multipart/*") {
      if (typeCovers(range.params.type ?? "*/*", range.params["transfer-syntax"], rep)) return { multipart: true };
    } else if (singlePartAllowed && typeCovers(range.type, range.params["transfer-syntax"], rep)) {
      return { multipart: false };
    }
  }
  if (rep.native) {
    throw new WadoError(406, `this pixel data is served as multipart/related; type="${OCTET_STREAM}"; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`);
  }
  throw new WadoError(
    406,
    `this instance's pixel data is stored as ${syntaxName(rep.transferSyntaxUid)} and is not transcoded yet: accept multipart/related; type="${rep.mediaType}", or type="${OCTET_STREAM}"; transfer-syntax=*`,
  );
}

// ---- frame lists

export const MAX_FRAMES_PER_REQUEST = 10_000;

/** "1" or "1,3,5" (1-based, in the order asked, repeats allowed); 400 for anything else. */
export function parseFrameList(text: string): number[] {
  const items = text.split(",");
  if (items.length > MAX_FRAMES_PER_REQUEST) throw new WadoError(400, `at most ${MAX_FRAMES_PER_REQUEST} frames per request`);
  return items.map((item) => {
    const t = item.trim();
    if (!/^\d{1,9}$/.test(t) || Number(t) < 1) {
      throw new WadoError(400, `frame list "${text.slice(0, 100)}" is not a comma-separated list of frame numbers from 1`);
    }
    return Number(t);
  });
}

export function checkFrameNumbers(frames: number[], count: number): void {
  const beyond = frames.find((n) => n > count);
  if (beyond !== undefined) throw new WadoError(404, `frame ${beyond} is beyond this instance's ${count} frame${count === 1 ? "" : "s"}`);
}

// ---- pixel data

const num = (ds: DcmjsDataset, key: string, fallback: number): number => {
  const v = ds[key]?.Value?.[0];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
};

function toBytes(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(0);
}

/** A copy of `bytes` with every `size`-byte word reversed (big to little endian). */
export function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const whole = bytes.length - (bytes.length % size);
  for (let i = 0; i < whole; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  out.set(bytes.subarray(whole), whole);
  return out;
}

/** The word size a big endian value of this VR is swapped by (1: bytes, nothing to swap). */
function wordSize(vr: string, bitsAllocated: number, isPixelData: boolean): number {
  if (isPixelData) {
    if (vr === "OB") return 1;
    return bitsAllocated >= 32 ? bitsAllocated / 8 : 2; // OW: 16-bit words; 8- and 1-bit samples are packed in them
  }
  return { OW: 2, OF: 4, OL: 4, OD: 8, OV: 8 }[vr] ?? 1;
}

/** Bits `start`..`start + count` of LSB-first packed `bytes`, re-packed from bit 0. */
export function bitSlice(bytes: Uint8Array, start: number, count: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(count / 8));
  if (start % 8 === 0) {
    out.set(bytes.subarray(start / 8, start / 8 + out.length));
    if (count % 8) out[out.length - 1]! &= (1 << (count % 8)) - 1;
    return out;
  }
  for (let i = 0; i < count; i++) {
    const bit = start + i;
    if ((bytes[bit >> 3]! >> (bit & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/**
 * The pixel data of one parsed file, for frames and bulk data. Parsed once per request; the
 * native little endian bytes are made (for big endian files) at most once.
 */
export class PixelData {
  readonly frameCount: number;
  readonly representation: Representation;
  private nativeLE: Uint8Array | null = null;

  private constructor(
    private readonly file: DicomFile,
    private readonly element: DcmjsElement,
  ) {
    this.frameCount = file.frames ?? num(file.dict, "00280008", 1);
    this.representation = representationOf(file.transferSyntaxUID);
  }

  static of(file: DicomFile): PixelData | null {
    const element = file.dict[PIXEL_DATA];
    return element && element.Value?.length ? new PixelData(file, element) : null;
  }

  get native(): boolean {
    return this.representation.native;
  }

  get transferSyntaxUid(): string {
    return this.file.transferSyntaxUID;
  }

  /** Bits of one native frame: Rows × Columns × samples stored × Bits Allocated. */
  get frameBits(): number {
    const ds = this.file.dict;
    const photometric = String(ds["00280004"]?.Value?.[0] ?? "");
    const samples = /_422$/.test(photometric) ? 2 : num(ds, "00280002", 1);
    return num(ds, "00280010", 0) * num(ds, "00280011", 0) * samples * num(ds, "00280100", 8);
  }

  /** The whole native pixel data value, little endian. */
  nativeValue(): Uint8Array {
    if (this.nativeLE) return this.nativeLE;
    const values = this.element.Value!;
    let bytes: Uint8Array;
    if (this.file.transferSyntaxUID === ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN) {
      const frames = values.map(toBytes);
      bytes = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
      let at = 0;
      for (const f of frames) {
        bytes.set(f, at);
        at += f.length;
      }
    } else {
      bytes = toBytes(values[0]);
      if (this.file.transferSyntaxUID === EXPLICIT_VR_BIG_ENDIAN) {
        const size = wordSize(this.element.vr, num(this.file.dict, "00280100", 8), true);
        if (size > 1) bytes = swapBytes(bytes, size);
      }
    }
    this.nativeLE = bytes;
    return bytes;
  }

  /** Frame `n` (1-based): native little endian octets, or the stored compressed bytes. */
  frame(n: number): Uint8Array {
    if (n < 1 || n > this.frameCount) throw new WadoError(404, `frame ${n} is beyond this instance's ${this.frameCount} frames`);
    if (!this.native) return toBytes(this.element.Value![n - 1]);
    const bits = this.frameBits;
    if (bits <= 0) throw new WadoError(404, "this instance's pixel data has no Rows, Columns or Bits Allocated, so its frames cannot be cut");
    const value = this.nativeValue();
    if (bits % 8 !== 0) return bitSlice(value, (n - 1) * bits, bits); // 1-bit frames need not start on a byte
    const size = bits / 8;
    return value.subarray((n - 1) * size, n * size);
  }

  /** Every frame's compressed bytes, in order (encapsulated pixel data). */
  encapsulatedFrames(): Uint8Array[] {
    return this.element.Value!.map(toBytes);
  }
}

/**
 * The value of a bulk data element: a top-level tag ("00282000"), or a path into sequences
 * ("00880200/1/7FE00010", item numbers from 1). A tag not at the top level is looked for in
 * sequence items too, depth first. Big endian values are swapped by their VR's word size.
 */
export function bulkValue(file: DicomFile, path: string[]): { vr: string; bytes: Uint8Array } | null {
  const tags = path.map((s) => s.toUpperCase());
  if (tags.length % 2 !== 1 || tags.some((t, i) => (i % 2 === 0 ? !/^[0-9A-F]{8}$/.test(t) : !/^\d{1,6}$/.test(t)))) {
    throw new WadoError(400, `bulk data path "${path.join("/").slice(0, 100)}" is not a tag like 7FE00010 or a path like 00880200/1/7FE00010`);
  }
  let dataset: DcmjsDataset | undefined = file.dict;
  for (let i = 0; i < tags.length - 1 && dataset; i += 2) {
    const sequence: DcmjsElement | undefined = dataset[tags[i]!];
    const items: DcmjsDataset[] | undefined = sequence?.vr === "SQ" ? (sequence.Value as DcmjsDataset[] | undefined) : undefined;
    dataset = items?.[Number(tags[i + 1]) - 1];
  }
  if (!dataset) return null;
  const tag = tags[tags.length - 1]!;
  const element = dataset[tag] ?? (tags.length === 1 ? findNested(file.dict, tag) : undefined);
  if (!element || element.vr === "SQ" || !["OB", "OD", "OF", "OL", "OV", "OW", "UN"].includes(element.vr)) return null;
  let bytes = toBytes(element.Value?.[0]);
  if (file.transferSyntaxUID === EXPLICIT_VR_BIG_ENDIAN) {
    const size = wordSize(element.vr, 8, false);
    if (size > 1) bytes = swapBytes(bytes, size);
  }
  return { vr: element.vr, bytes };
}

function findNested(dataset: DcmjsDataset, tag: string): DcmjsElement | undefined {
  for (const element of Object.values(dataset)) {
    if (element.vr !== "SQ") continue;
    for (const item of (element.Value ?? []) as DcmjsDataset[]) {
      const found = item[tag] ?? findNested(item, tag);
      if (found) return found;
    }
  }
  return undefined;
}

// ---- multipart/related answers

export interface MultipartBody {
  contentType: string;
  length: number;
  chunks: Buffer[];
}

/**
 * A multipart/related body with one Content-Type per part, as chunks (no copy of the parts).
 * Part headers are written "Content-Type:" exactly: Cornerstone's parser matches that spelling.
 */
export function multipartBody(parts: Array<{ contentType: string; body: Uint8Array }>, type: string): MultipartBody {
  const writer = multipartRelatedWriter(type);
  const chunks = [...parts.flatMap((p) => writer.part(p.body, p.contentType)), writer.end];
  return { contentType: writer.contentType, length: chunks.reduce((n, c) => n + c.length, 0), chunks };
}
