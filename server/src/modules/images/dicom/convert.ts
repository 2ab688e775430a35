import { characterSetTerms, textDecoderFor, type CharsetDecoder, type TextKind } from "./charset.js";
import type { DcmjsDataset, DcmjsElement } from "./dcmjs.js";
import { PIXEL_DATA, SPECIFIC_CHARACTER_SET, tagKey, tagLabel } from "./dictionary.js";
import { DicomReadError, type DicomReadErrorCode } from "./errors.js";
import type { RawDataset, RawElement } from "./parse.js";

/*
 * Turns the parsed structure into dcmjs's denaturalized data set ({"00100010": {vr, Value}}),
 * with values shaped as dcmjs shapes them (so its naturalizer and writer work on the result):
 * strings trimmed, DS/IS as numbers, PN as {Alphabetic, Ideographic, Phonetic}, binary as
 * ArrayBuffers, sequences as arrays of data sets, encapsulated pixel data as one ArrayBuffer per
 * frame. Where dcmjs is wrong this is not: ST/LT/UT keep their backslashes (they are single
 * valued), an empty number is [] rather than [0], and text is decoded with its own data set's
 * Specific Character Set, which then reads "ISO_IR 192" because the values are now Unicode.
 */

export interface ConvertContext {
  fileName: string;
  warnings: string[];
  maxValues: number;
  valueCount: number;
}

export const DECODED_CHARACTER_SET = "ISO_IR 192";

/**
 * Set (not enumerable) on a Pixel Data element that was read as one native value. dcmjs writes
 * every Pixel Data element of a compressed transfer syntax as encapsulated frames, so the writer
 * uses this mark to refuse what would become raw pixels labelled as compressed.
 */
export const NATIVE_PIXELS = Symbol("native pixel data");

const TEXT_KIND: Record<string, TextKind> = {
  PN: "person-name",
  SH: "multi-valued",
  LO: "multi-valued",
  UC: "multi-valued",
  ST: "text",
  LT: "text",
  UT: "text",
};
/** Default-repertoire (ASCII) string VRs: their bytes are read one character each. */
const ASCII_VRS = new Set(["AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI", "UR"]);
const SINGLE_VALUED_TEXT = new Set(["ST", "LT", "UT", "UR"]);
const NUMBER_SIZES: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, UV: 8, AT: 4 };

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/**
 * A data set, the root or a sequence item: its text is decoded with its own Specific Character
 * Set, else with the one of the data set it is nested in (PS3.5 §6.1.2.5.4 note).
 */
export function convertDataset(raw: RawDataset, inherited: CharsetDecoder | null, ctx: ConvertContext): DcmjsDataset {
  const decoder = datasetDecoder(raw) ?? inherited ?? textDecoderFor([]);
  const dataset: DcmjsDataset = {};
  for (const element of raw) {
    const key = tagKey(element.tag);
    if (key in dataset) ctx.warnings.push(`element ${tagLabel(element.tag)} appears twice; the later one was kept`);
    dataset[key] = convertElement(element, dataset, decoder, ctx);
  }
  const charset = dataset[tagKey(SPECIFIC_CHARACTER_SET)];
  if (charset) charset.Value = [DECODED_CHARACTER_SET];
  for (const warning of decoder.warnings) if (!ctx.warnings.includes(warning)) ctx.warnings.push(warning);
  return dataset;
}

/** The decoder for a data set that declares its own Specific Character Set, else null. */
function datasetDecoder(raw: RawDataset): CharsetDecoder | null {
  const element = raw.find((e) => e.tag === SPECIFIC_CHARACTER_SET);
  if (!element || element.items) return null;
  return textDecoderFor(characterSetTerms(latin1(element.value)));
}

/** What the data set said before decoding, e.g. "\ISO 2022 IR 87"; undefined when absent. */
export function declaredCharacterSet(raw: RawDataset): string | undefined {
  const element = raw.find((e) => e.tag === SPECIFIC_CHARACTER_SET);
  return element && !element.items ? latin1(element.value).replace(/[\0 ]+$/, "") : undefined;
}

function convertElement(element: RawElement, dataset: DcmjsDataset, decoder: CharsetDecoder, ctx: ConvertContext): DcmjsElement {
  if (element.items) {
    return { vr: "SQ", Value: element.items.map((item) => convertDataset(item, decoder, ctx)) };
  }
  if (element.fragments) {
    return { vr: "OB", Value: framesOf(element, dataset, ctx) };
  }
  const vr = resolveVr(element.vr, dataset);
  const bytes = element.value;

  const textKind = TEXT_KIND[vr];
  if (textKind || ASCII_VRS.has(vr)) {
    const text = textKind ? decoder.decode(bytes, textKind) : latin1(bytes);
    return stringElement(vr, text, ctx);
  }
  const size = NUMBER_SIZES[vr];
  if (size) {
    if (bytes.length % size !== 0) {
      ctx.warnings.push(`element ${tagLabel(element.tag)} (${vr}) has ${bytes.length} bytes, not a multiple of ${size}; kept as bytes`);
      return { vr: "UN", Value: [copy(bytes)] };
    }
    return { vr, Value: numbers(vr, bytes, element.littleEndian, ctx) };
  }
  // OB OW OF OD OL OV UN, and VRs dcmjs has no class for (SV): kept as their bytes.
  const binary: DcmjsElement = { vr, Value: [copy(bytes)] };
  if (element.tag === PIXEL_DATA) {
    checkNativePixelLength(bytes.length, dataset, ctx);
    Object.defineProperty(binary, NATIVE_PIXELS, { value: true });
  }
  return binary;
}

/** Dictionary placeholders for "depends on the data set" (PS3.6 "US or SS" and friends). */
function resolveVr(vr: string, dataset: DcmjsDataset): string {
  switch (vr) {
    case "xs":
      return dataset["00280103"]?.Value?.[0] === 1 ? "SS" : "US";
    case "ox":
    case "lt":
      return "OW"; // implicit VR pixel, overlay and LUT data are OW (PS3.5 §A.1)
    case "up":
      return "UL";
    default:
      return /^[A-Z]{2}$/.test(vr) ? vr : "UN";
  }
}

function stringElement(vr: string, text: string, ctx: ConvertContext): DcmjsElement {
  const unpadded = text.replace(/[\0 ]+$/, "");
  if (SINGLE_VALUED_TEXT.has(vr)) return { vr, Value: [unpadded.replace(/\s+$/, "")] };
  const parts = unpadded.split("\\");
  countValues(parts.length, ctx);
  switch (vr) {
    case "PN":
      return { vr, Value: personNames(parts) };
    case "DS":
      return withRawValue({ vr, Value: parts.map(decimalString) }, parts);
    case "IS":
      return withRawValue({ vr, Value: parts.map(integerString) }, parts);
    case "UI":
      return { vr, Value: parts.map((p) => p.replace(/[^0-9.]/g, "")) };
    case "DA":
    case "DT":
    case "TM":
    case "AS":
    case "UC":
      return { vr, Value: parts.map((p) => p.replace(/[\0\s]+$/, "")) };
    default: // AE CS LO SH: leading and trailing spaces are not significant
      return { vr, Value: parts.map((p) => p.replace(/^[\0 ]+|[\0\s]+$/g, "")) };
  }
}

/**
 * dcmjs writes `_rawValue` back when Value still equals its formatted form, so "1.0000000e-6"
 * or an invalid "1A" survive a round trip instead of becoming 0.000001 or empty. Not enumerable,
 * so it stays out of JSON and deep comparisons.
 */
function withRawValue(element: DcmjsElement, raw: string[]): DcmjsElement {
  Object.defineProperty(element, "_rawValue", { value: raw, enumerable: false, writable: true });
  return element;
}

/** dcmjs's DS rule: keep the number-ish characters; not a finite number → null. */
function decimalString(s: string): number | null {
  const cleaned = s.trim().replace(/[^0-9.\-+e]/gi, "");
  if (cleaned === "") return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

function integerString(s: string): number | null {
  const trimmed = s.trim();
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** PN values as dcmjs holds them: component groups split on "=", empty values and groups left out. */
function personNames(values: string[]): Array<{ Alphabetic?: string; Ideographic?: string; Phonetic?: string }> {
  return values.filter(Boolean).map((value) => {
    const [alphabetic, ideographic, phonetic] = value.split("=");
    return {
      ...(alphabetic ? { Alphabetic: alphabetic } : {}),
      ...(ideographic ? { Ideographic: ideographic } : {}),
      ...(phonetic ? { Phonetic: phonetic } : {}),
    };
  });
}

function numbers(vr: string, bytes: Uint8Array, littleEndian: boolean, ctx: ConvertContext): Array<number | bigint> {
  const size = NUMBER_SIZES[vr]!;
  const count = bytes.length / size;
  countValues(count, ctx);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number | bigint>(count);
  for (let i = 0, at = 0; i < count; i++, at += size) {
    switch (vr) {
      case "US":
        out[i] = view.getUint16(at, littleEndian);
        break;
      case "SS":
        out[i] = view.getInt16(at, littleEndian);
        break;
      case "UL":
        out[i] = view.getUint32(at, littleEndian);
        break;
      case "SL":
        out[i] = view.getInt32(at, littleEndian);
        break;
      case "FL":
        out[i] = view.getFloat32(at, littleEndian);
        break;
      case "FD":
        out[i] = view.getFloat64(at, littleEndian);
        break;
      case "UV":
        out[i] = view.getBigUint64(at, littleEndian);
        break;
      case "AT": // group then element, each in the data set's byte order
        out[i] = ((view.getUint16(at, littleEndian) << 16) | view.getUint16(at + 2, littleEndian)) >>> 0;
        break;
    }
  }
  return out;
}

function countValues(n: number, ctx: ConvertContext): void {
  ctx.valueCount += n;
  if (ctx.valueCount > ctx.maxValues) {
    throw new DicomReadError(ctx.fileName, "LIMIT", `more than ${ctx.maxValues} values; refused to protect the server`);
  }
}

/** An ArrayBuffer of exactly these bytes. (Buffer#slice would share the file's whole buffer.) */
function copy(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function fail(ctx: ConvertContext, code: DicomReadErrorCode, reason: string): DicomReadError {
  return new DicomReadError(ctx.fileName, code, reason);
}

function firstNumber(dataset: DcmjsDataset, key: string): number | undefined {
  const v = dataset[key]?.Value?.[0];
  return typeof v === "number" ? v : undefined;
}

/** Number of Frames, leniently: "1A" is read as 1 (with a warning), absent as 1. */
export function numberOfFrames(dataset: DcmjsDataset, warnings: string[]): number {
  const element = dataset["00280008"];
  if (!element) return 1;
  const value = element.Value?.[0];
  if (typeof value === "number" && value >= 1) return value;
  const raw = String(element._rawValue?.[0] ?? "");
  const digits = /^\s*(\d+)/.exec(raw);
  const frames = digits ? Math.max(1, Number(digits[1])) : 1;
  const warning = `Number of Frames "${raw}" is not a valid number; read as ${frames}`;
  if (!warnings.includes(warning)) warnings.push(warning);
  return frames;
}

/**
 * Native pixel data must hold every pixel it describes (PS3.5 §8.1.1); shorter means the image
 * was cut. Longer is allowed (padding). Without the attributes to compute it, nothing to check.
 */
function checkNativePixelLength(length: number, dataset: DcmjsDataset, ctx: ConvertContext): void {
  const rows = firstNumber(dataset, "00280010");
  const columns = firstNumber(dataset, "00280011");
  const bitsAllocated = firstNumber(dataset, "00280100");
  if (!rows || !columns || !bitsAllocated) return;
  const samples = firstNumber(dataset, "00280002") ?? 1;
  const frames = numberOfFrames(dataset, ctx.warnings);
  const photometric = String(dataset["00280004"]?.Value?.[0] ?? "");
  // 4:2:2 subsampled colour carries two samples per pixel, not three (PS3.3 C.7.6.3.1.2).
  const samplesStored = /_422$/.test(photometric) ? 2 : samples;
  const needed = Math.ceil((rows * columns * samplesStored * bitsAllocated * frames) / 8);
  if (length < needed) {
    throw fail(
      ctx,
      "PIXEL_DATA_TOO_SHORT",
      `truncated: Pixel Data holds ${length} bytes but ${rows}×${columns} pixels × ${samplesStored} sample${samplesStored === 1 ? "" : "s"} × ${bitsAllocated} bits × ${frames} frame${frames === 1 ? "" : "s"} need ${needed}`,
    );
  }
}

/**
 * One ArrayBuffer per frame from encapsulated fragments (PS3.5 A.4): by the Basic Offset Table
 * when it matches; else one fragment per frame when the counts agree; else all fragments for a
 * single frame; else split where a JPEG or JPEG 2000 codestream starts.
 */
function framesOf(element: RawElement, dataset: DcmjsDataset, ctx: ConvertContext): ArrayBuffer[] {
  const [offsetTable, ...fragments] = element.fragments!;
  const frames = numberOfFrames(dataset, ctx.warnings);
  if (fragments.length < frames) {
    throw fail(
      ctx,
      "PIXEL_DATA_FRAMES",
      `encapsulated Pixel Data has ${fragments.length} fragment${fragments.length === 1 ? "" : "s"} for ${frames} frame${frames === 1 ? "" : "s"}; every frame needs at least one`,
    );
  }
  countValues(fragments.length, ctx);
  const groups =
    byOffsetTable(offsetTable!, fragments, frames, ctx) ??
    (fragments.length === frames ? fragments.map((f) => [f]) : undefined) ??
    (frames === 1 ? [fragments] : undefined) ??
    byCodestreamStarts(fragments, frames);
  if (!groups) {
    throw fail(
      ctx,
      "PIXEL_DATA_FRAMES",
      `encapsulated Pixel Data has ${fragments.length} fragments for ${frames} frames and no usable offset table, so its frames cannot be told apart`,
    );
  }
  return groups.map(concatenate);
}

function byOffsetTable(table: Uint8Array, fragments: Uint8Array[], frames: number, ctx: ConvertContext): Uint8Array[][] | undefined {
  if (table.length === 0) return undefined;
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const offsets = Array.from({ length: Math.floor(table.length / 4) }, (_, i) => view.getUint32(i * 4, true));
  // Offsets count from the first fragment's item tag; each fragment starts 8 header bytes after the previous one's end.
  const starts: number[] = [];
  let at = 0;
  for (const f of fragments) {
    starts.push(at);
    at += 8 + f.length;
  }
  const firstFragment = offsets.map((o) => starts.indexOf(o));
  const usable =
    table.length % 4 === 0 &&
    offsets.length === frames &&
    firstFragment[0] === 0 &&
    firstFragment.every((index, i) => index >= 0 && (i === 0 || index > firstFragment[i - 1]!));
  if (!usable) {
    ctx.warnings.push("the Basic Offset Table of Pixel Data does not match its fragments; it was ignored");
    return undefined;
  }
  return firstFragment.map((index, i) => fragments.slice(index, firstFragment[i + 1] ?? fragments.length));
}

function byCodestreamStarts(fragments: Uint8Array[], frames: number): Uint8Array[][] | undefined {
  const isStart = (f: Uint8Array) =>
    (f[0] === 0xff && (f[1] === 0xd8 || f[1] === 0x4f)) || // JPEG SOI, JPEG 2000 SOC
    (f[0] === 0 && f[1] === 0 && f[2] === 0 && f[3] === 0x0c && f[4] === 0x6a && f[5] === 0x50); // JP2 signature box
  const starts = fragments.flatMap((f, i) => (isStart(f) ? [i] : []));
  if (starts.length !== frames || starts[0] !== 0) return undefined;
  return starts.map((index, i) => fragments.slice(index, starts[i + 1] ?? fragments.length));
}

function concatenate(parts: Uint8Array[]): ArrayBuffer {
  if (parts.length === 1) return copy(parts[0]!);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}
