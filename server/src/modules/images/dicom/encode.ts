/*
 * Encoding a data set in dcmjs's denaturalized form ({"00100010": {vr, Value}}) as a DICOM Part 10
 * file: 128-byte preamble, "DICM", file meta information (explicit VR little endian, with its
 * group length), then the data set in the meta's transfer syntax.
 *
 * The bytes are exactly those dcmjs 0.52's DicomDict.write({fragmentMultiframe: false,
 * allowInvalidVRLength: true}) produces for the data sets read.ts and deidentify.ts make, and
 * encode.test.ts checks that on every shared fixture. dcmjs builds a stream object, a text encoder
 * and a copy of the bytes for every element; for a small image that was three quarters of the CPU
 * time of ingesting it (parse, de-identify, write). Here each element is written once into one
 * growing buffer. Its rules, as dcmjs has them:
 *
 * - Elements in ascending tag order (keys sorted as strings); sequences and their items with
 *   undefined length and delimiters.
 * - Text: multiple values joined by "\", padded to even length with a space (UI: a NUL). AE AS CS
 *   DA DS DT IS TM UI UR are written one byte per character; LO LT PN SH ST UC UT as UTF-8.
 *   DS and IS carry `_rawValue` (the strings read): written instead of Value while Value still
 *   equals their parsed form, so "1.0000000e-6" stays as it was. A DS number longer than 16
 *   characters is shortened the way dcmjs does.
 * - Numbers (US SS UL SL FL FD AT UV) in the transfer syntax's byte order.
 * - Binary (OB OW OF OD UN): the first value's bytes, padded with a zero byte to even length.
 *   VRs dcmjs has no class for (OL OV SV) are written as UN. Pixel Data under an encapsulated
 *   transfer syntax: a Basic Offset Table, one fragment per frame, a sequence delimiter.
 * - Explicit VR: VRs with a 16-bit length whose value is 64 KiB or more are written as UN with a
 *   32-bit length.
 * - Compressed and unknown transfer syntaxes are explicit VR little endian.
 */
import type { DcmjsDataset, DcmjsElement } from "./dcmjs.js";

const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
/** Pixel Data is encapsulated under every transfer syntax but these (dcmjs's list, and PS3.5 A.4). */
const UNENCAPSULATED = new Set([IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]);

const PIXEL_DATA = 0x7fe00010;
/** Unused bytes at the end of the output buffer that are not worth a copy to get rid of. */
const MAX_SLACK = 64 * 1024;
const UNDEFINED_LENGTH = 0xffffffff;
const SPACE = 0x20;
const BACKSLASH = "\\";

type Kind = "ascii" | "text" | "person" | "number" | "sequence" | "binary";
type NumberType = "u16" | "i16" | "u32" | "i32" | "f32" | "f64" | "at" | "u64";

interface VrRule {
  /** The VR written in an explicit VR header. */
  written: string;
  kind: Kind;
  /** A 32-bit length field in explicit VR (PS3.5 Table 7.1-1, as dcmjs has it). */
  long: boolean;
  pad: number;
  number?: NumberType;
}

const rule = (written: string, kind: Kind, long: boolean, pad: number, number?: NumberType): VrRule => ({ written, kind, long, pad, ...(number ? { number } : {}) });
const UN_RULE = rule("UN", "binary", true, 0);
const RULES: Record<string, VrRule> = {
  AE: rule("AE", "ascii", false, SPACE),
  AS: rule("AS", "ascii", false, SPACE),
  CS: rule("CS", "ascii", false, SPACE),
  DA: rule("DA", "ascii", false, SPACE),
  DS: rule("DS", "ascii", false, SPACE),
  DT: rule("DT", "ascii", false, SPACE),
  IS: rule("IS", "ascii", false, SPACE),
  TM: rule("TM", "ascii", false, SPACE),
  UI: rule("UI", "ascii", false, 0),
  UR: rule("UR", "ascii", true, SPACE),
  LO: rule("LO", "text", false, SPACE),
  LT: rule("LT", "text", false, SPACE),
  SH: rule("SH", "text", false, SPACE),
  ST: rule("ST", "text", false, SPACE),
  UC: rule("UC", "text", true, SPACE),
  UT: rule("UT", "text", true, SPACE),
  PN: rule("PN", "person", false, SPACE),
  US: rule("US", "number", false, 0, "u16"),
  SS: rule("SS", "number", false, 0, "i16"),
  UL: rule("UL", "number", false, 0, "u32"),
  SL: rule("SL", "number", false, 0, "i32"),
  FL: rule("FL", "number", false, 0, "f32"),
  FD: rule("FD", "number", false, 0, "f64"),
  AT: rule("AT", "number", false, 0, "at"),
  UV: rule("UV", "number", true, 0, "u64"),
  SQ: rule("SQ", "sequence", true, 0),
  OB: rule("OB", "binary", true, 0),
  OW: rule("OW", "binary", true, 0),
  OF: rule("OF", "binary", true, 0),
  OD: rule("OD", "binary", true, 0),
  UN: UN_RULE,
};
const NUMBER_SIZE: Record<NumberType, number> = { u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8, at: 4, u64: 8 };
/** The binary VRs whose Pixel Data dcmjs encapsulates; others (OF, OD...) keep one plain value. */
const ENCAPSULABLE = new Set(["OB", "OW", "UN"]);

interface Syntax {
  implicit: boolean;
  littleEndian: boolean;
  encapsulated: boolean;
}

const EXPLICIT_LE: Syntax = { implicit: false, littleEndian: true, encapsulated: false };

function syntaxOf(transferSyntaxUid: string): Syntax {
  return {
    implicit: transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN,
    littleEndian: transferSyntaxUid !== EXPLICIT_VR_BIG_ENDIAN,
    encapsulated: !UNENCAPSULATED.has(transferSyntaxUid),
  };
}

/**
 * A growing output buffer, zero-filled, in an ArrayBuffer of its own: what follows the bytes
 * written is zeros, never memory of anything else, however the buffer is passed on.
 */
class Output {
  buf: Buffer;
  view: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.buf = Buffer.from(new ArrayBuffer(Math.max(capacity, 256)));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.from(new ArrayBuffer(Math.max(this.buf.length + (this.buf.length >> 1), this.pos + n)));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number, le: boolean): void {
    this.reserve(2);
    this.view.setUint16(this.pos, v, le);
    this.pos += 2;
  }

  u32(v: number, le: boolean): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v, le);
    this.pos += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  latin1(s: string): void {
    this.reserve(s.length);
    this.pos += this.buf.write(s, this.pos, s.length, "latin1");
  }

  utf8(s: string, byteLength: number): void {
    this.reserve(byteLength);
    this.pos += this.buf.write(s, this.pos, byteLength, "utf8");
  }

  /**
   * The bytes written, at the start of an ArrayBuffer of their own (so it can be moved between
   * threads). The buffer was sized for them, so it is used as it is unless much of it is left over.
   */
  result(): Uint8Array {
    if (this.buf.length - this.pos <= MAX_SLACK) return new Uint8Array(this.buf.buffer, 0, this.pos);
    const out = new Uint8Array(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    return out;
  }
}

/** The Part 10 file for `meta` (group 0002, without its group length) and `dict`. */
export function encodePart10(meta: DcmjsDataset, dict: DcmjsDataset): Uint8Array {
  const out = new Output(1024 + estimatedSize(dict));
  out.reserve(132);
  out.buf.fill(0, 0, 128);
  out.pos = 128;
  out.latin1("DICM");

  // (0002,0000) UL, then the group it measures; a meta without a transfer syntax says explicit VR little endian.
  if (!meta["00020010"]) meta = { ...meta, "00020010": { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] } };
  const metaOut = new Output(1024);
  writeDataset(metaOut, meta, EXPLICIT_LE);
  out.u16(0x0002, true);
  out.u16(0x0000, true);
  out.latin1("UL");
  out.u16(4, true);
  out.u32(metaOut.pos, true);
  out.bytes(metaOut.buf.subarray(0, metaOut.pos));

  const ts = meta["00020010"]?.Value?.[0];
  writeDataset(out, dict, syntaxOf(typeof ts === "string" ? ts : EXPLICIT_VR_LITTLE_ENDIAN));
  return out.result();
}

/** At least the size of the encoded data set, rarely much more: the output is allocated once. */
function estimatedSize(ds: DcmjsDataset): number {
  let n = 0;
  for (const key in ds) {
    const element = ds[key]!;
    n += 16;
    const values = element.Value;
    if (!Array.isArray(values)) continue;
    for (const v of values) {
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) n += v.byteLength + 10;
      else if (typeof v === "string") n += 3 * v.length + 1; // UTF-8: at most 3 bytes per UTF-16 unit
      else if (element.vr === "SQ" && v !== null && typeof v === "object") n += 16 + estimatedSize(v as DcmjsDataset);
      else n += element.vr === "PN" ? 3 * personNameText([v]).length + 1 : 24;
    }
  }
  return n;
}

function writeDataset(out: Output, ds: DcmjsDataset, syntax: Syntax): void {
  for (const key of Object.keys(ds).sort()) writeElement(out, key, ds[key]!, syntax);
}

function writeElement(out: Output, key: string, element: DcmjsElement, syntax: Syntax): void {
  const tag = ((parseInt(key.slice(0, 4), 16) << 16) | parseInt(key.slice(4), 16)) >>> 0;
  const vr = element.vr;
  const r = RULES[vr] ?? UN_RULE;
  const le = syntax.littleEndian;
  const values = valuesToWrite(vr, element);
  out.u16(tag >>> 16, le);
  out.u16(tag & 0xffff, le);

  switch (r.kind) {
    case "ascii":
    case "text":
    case "person": {
      const text = r.kind === "person" ? personNameText(values) : joinedText(vr, values);
      const unicode = r.kind !== "ascii";
      const length = unicode ? Buffer.byteLength(text, "utf8") : text.length;
      const padded = length + (length & 1);
      header(out, r, padded, syntax);
      if (unicode) out.utf8(text, length);
      else out.latin1(text);
      if (length & 1) out.u8(r.pad);
      return;
    }
    case "number": {
      const list = values === null || values === undefined || (values as unknown) === "" ? [] : Array.isArray(values) ? values : [values];
      const type = r.number!;
      header(out, r, list.length * NUMBER_SIZE[type], syntax);
      for (const v of list) writeNumber(out, type, v, le);
      return;
    }
    case "sequence": {
      header(out, r, UNDEFINED_LENGTH, syntax);
      if (Array.isArray(values)) {
        for (const item of values) {
          out.u16(0xfffe, le);
          out.u16(0xe000, le);
          out.u32(UNDEFINED_LENGTH, le);
          writeDataset(out, item as DcmjsDataset, syntax);
          out.u16(0xfffe, le);
          out.u16(0xe00d, le);
          out.u32(0, le);
        }
      }
      out.u16(0xfffe, le);
      out.u16(0xe0dd, le);
      out.u32(0, le);
      return;
    }
    case "binary": {
      if (tag === PIXEL_DATA && syntax.encapsulated && ENCAPSULABLE.has(vr)) {
        header(out, r, UNDEFINED_LENGTH, syntax);
        writeFragments(out, Array.isArray(values) ? values : [], le);
        return;
      }
      const first = Array.isArray(values) ? values[0] : undefined;
      const bytes = first instanceof ArrayBuffer ? new Uint8Array(first) : ArrayBuffer.isView(first) ? new Uint8Array(first.buffer, first.byteOffset, first.byteLength) : EMPTY;
      header(out, r, bytes.length + (bytes.length & 1), syntax);
      out.bytes(bytes);
      if (bytes.length & 1) out.u8(0);
      return;
    }
  }
}

const EMPTY = new Uint8Array(0);

/** Tag already written; VR and length as the syntax has them. */
function header(out: Output, r: VrRule, length: number, syntax: Syntax): void {
  const le = syntax.littleEndian;
  if (syntax.implicit) {
    out.u32(length, le);
    return;
  }
  const big16 = !r.long && length >= 0x10000 && length !== UNDEFINED_LENGTH;
  if (r.long || big16) {
    out.latin1(big16 ? "UN" : r.written);
    out.u16(0, le);
    out.u32(length, le);
  } else {
    out.latin1(r.written);
    out.u16(length, le);
  }
}

/** Basic Offset Table, one fragment per frame (odd ones padded with a zero byte), sequence delimiter. */
function writeFragments(out: Output, frames: unknown[], le: boolean): void {
  const parts = frames.map((f) => (f instanceof ArrayBuffer ? new Uint8Array(f) : ArrayBuffer.isView(f) ? new Uint8Array(f.buffer, f.byteOffset, f.byteLength) : EMPTY));
  out.u16(0xfffe, le);
  out.u16(0xe000, le);
  out.u32(parts.length * 4, le);
  let offset = 0;
  for (const p of parts) {
    out.u32(offset, le);
    offset += 8 + p.length + (p.length & 1);
  }
  for (const p of parts) {
    out.u16(0xfffe, le);
    out.u16(0xe000, le);
    out.u32(p.length + (p.length & 1), le);
    out.bytes(p);
    if (p.length & 1) out.u8(0);
  }
  out.u16(0xfffe, le);
  out.u16(0xe0dd, le);
  out.u32(0, le);
}

function writeNumber(out: Output, type: NumberType, v: unknown, le: boolean): void {
  const size = NUMBER_SIZE[type];
  out.reserve(size);
  const view = out.view;
  const at = out.pos;
  switch (type) {
    case "u16":
      view.setUint16(at, toInt(v), le);
      break;
    case "i16":
      view.setInt16(at, toInt(v), le);
      break;
    case "u32":
      view.setUint32(at, toInt(v), le);
      break;
    case "i32":
      view.setInt32(at, toInt(v), le);
      break;
    case "f32":
      view.setFloat32(at, toFloat(v), le);
      break;
    case "f64":
      view.setFloat64(at, toFloat(v), le);
      break;
    case "at": {
      const n = v as number;
      view.setUint16(at, toInt(n >> 16), le);
      view.setUint16(at + 2, toInt(n & 0xffff), le);
      break;
    }
    case "u64":
      view.setBigUint64(at, v as bigint, le);
      break;
  }
  out.pos += size;
}

function toInt(v: unknown): number {
  if (typeof v === "number") return v;
  if (isNaN(v as number)) throw new Error(`Not a number: ${String(v)}`);
  return typeof v === "string" ? parseInt(v, 10) : (v as number);
}

function toFloat(v: unknown): number {
  return typeof v === "string" ? parseFloat(v) : (v as number);
}

/**
 * Value, or for DS and IS the strings as read (`_rawValue`) while Value still equals what they
 * parse to: a value nobody changed is written back exactly as it was.
 */
function valuesToWrite(vr: string, element: DcmjsElement): unknown {
  const raw = element._rawValue;
  if (!raw || (vr !== "DS" && vr !== "IS")) return element.Value;
  const parse = vr === "DS" ? parseDecimal : parseInteger;
  const parsed = Array.isArray(raw) ? raw.map(parse) : parse(raw);
  return deepEqual(element.Value, parsed) ? raw : element.Value;
}

function parseDecimal(s: unknown): number | null {
  if (s === null || s === undefined) return null;
  const cleaned = String(s).trim().replace(/[^0-9.\\\-+e]/gi, "");
  if (cleaned === "") return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

function parseInteger(s: unknown): number | null {
  if (s === null || s === undefined) return null;
  const trimmed = String(s).trim();
  if (trimmed === "" || !/^[+-]?\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!kb.includes(k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * A text element's values as written: joined by "\"; DS and IS numbers as text. (dcmjs writes a DS
 * or IS element without any Value as the text "undefined"; here it is empty. Nothing Concord
 * reads or de-identifies has such an element.)
 */
function joinedText(vr: string, values: unknown): string {
  if (values === null || values === undefined || values === "") return "";
  const list = Array.isArray(values) ? values : [values];
  if (list.length === 0) return "";
  const one = vr === "DS" ? decimalText : vr === "IS" ? integerText : vr === "LO" || vr === "LT" || vr === "SH" || vr === "ST" || vr === "UC" || vr === "UT" ? encodedText : asciiText;
  if (list.length === 1) return one(list[0]);
  let s = one(list[0]);
  for (let i = 1; i < list.length; i++) s += BACKSLASH + one(list[i]);
  return s;
}

// One character per byte: dcmjs writes `value || ""`, so null and undefined are empty.
const asciiText = (v: unknown): string => (v ? String(v) : "");
// UTF-8 text goes through a TextEncoder, which reads undefined as "" and null as "null".
const encodedText = (v: unknown): string => (v === undefined ? "" : String(v));

function integerText(v: unknown): string {
  if (typeof v === "string") return v;
  return v === null ? "" : String(v);
}

/** dcmjs's DS text: a number that does not fit 16 characters is shortened, by exponent or by decimals. */
function decimalText(v: unknown): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  const str = String(v);
  if (str.length <= 16) return str;
  const value = v as number;
  const signChars = value < 0 ? 1 : 0;
  const logval = Math.log10(Math.abs(value));
  if (logval < -4 || logval >= 14 - signChars) {
    const trunc = value.toExponential(16 - signChars);
    if (trunc.length <= 16) return trunc;
    return value.toExponential(16 - (trunc.length - 16) - signChars);
  }
  const trunc = value.toFixed(16 - signChars);
  if (trunc.length <= 16) return trunc;
  return value.toFixed(16 - signChars - (trunc.length - 16));
}

/** PN values as one string: component groups joined by "=" (trailing empty ones dropped), values by "\". */
function personNameText(values: unknown): string {
  if (typeof values === "string" || values instanceof String) return String(values);
  const list = (Array.isArray(values) ? values : [values]).filter(Boolean);
  return list
    .map((v) => {
      if (typeof v === "string" || v instanceof String) return String(v);
      const pn = v as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
      return [pn.Alphabetic ?? "", pn.Ideographic ?? "", pn.Phonetic ?? ""].join("=").replace(/=*$/, "");
    })
    .join(BACKSLASH);
}
