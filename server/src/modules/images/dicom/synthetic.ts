/*
 * Hand-built DICOM bytes, independent of any DICOM library, so the reader is tested on a machine
 * without the shared fixtures and so a data owner's broken file can be reproduced in a few lines.
 * Nothing here validates: it writes exactly the bytes asked for, broken ones included.
 */
import type { Syntax } from "./transfer-syntax.js";

export type { Syntax };

export const LE: Syntax = { explicit: true, littleEndian: true };
export const IMPLICIT: Syntax = { explicit: false, littleEndian: true };
export const BE: Syntax = { explicit: true, littleEndian: false };

const LONG_VRS = new Set("OB OD OF OL OV OW SQ SV UC UN UR UT UV".split(" "));
export const UNDEFINED = 0xffffffff;

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** Text padded to an even length: UI with NUL, everything else with a space. */
export function padded(text: string | Uint8Array, vr: string): Uint8Array {
  const bytes = typeof text === "string" ? ascii(text) : text;
  return bytes.length % 2 === 0 ? bytes : concat(bytes, Uint8Array.of(vr === "UI" ? 0 : 0x20));
}

/** An element header with the given length (which may lie), followed by `value`. */
export function header(tag: number, vr: string, length: number, syntax: Syntax = LE): Uint8Array {
  const long = syntax.explicit && LONG_VRS.has(vr);
  const out = new Uint8Array(syntax.explicit ? (long ? 12 : 8) : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, syntax.littleEndian);
  view.setUint16(2, tag & 0xffff, syntax.littleEndian);
  if (!syntax.explicit) {
    view.setUint32(4, length, true);
  } else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, length, syntax.littleEndian);
    else view.setUint16(6, length, syntax.littleEndian);
  }
  return out;
}

export function element(tag: number, vr: string, value: Uint8Array | string, syntax: Syntax = LE): Uint8Array {
  const bytes = typeof value === "string" ? padded(value, vr) : value;
  return concat(header(tag, vr, bytes.length, syntax), bytes);
}

export function us(tag: number, values: number[], syntax: Syntax = LE): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v, syntax.littleEndian));
  return element(tag, "US", bytes, syntax);
}

function itemTag(tag: number, length: number, syntax: Syntax): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, syntax.littleEndian);
  view.setUint16(2, tag & 0xffff, syntax.littleEndian);
  view.setUint32(4, length, syntax.littleEndian);
  return out;
}

export interface SequenceOptions {
  /** Leave out the sequence delimiter of an undefined-length sequence. */
  withoutSequenceDelimiter?: boolean;
  /** Leave out the item delimiters of undefined-length items. */
  withoutItemDelimiters?: boolean;
}

/** A sequence of undefined length with undefined-length items (what most writers produce). */
export function sequence(tag: number, items: Uint8Array[], syntax: Syntax = LE, options: SequenceOptions = {}): Uint8Array {
  const body = concat(
    ...items.map((item) =>
      concat(itemTag(0xfffee000, UNDEFINED, syntax), item, options.withoutItemDelimiters ? new Uint8Array() : itemTag(0xfffee00d, 0, syntax)),
    ),
  );
  const end = options.withoutSequenceDelimiter ? new Uint8Array() : itemTag(0xfffee0dd, 0, syntax);
  return concat(header(tag, "SQ", UNDEFINED, syntax), body, end);
}

/** A sequence with a defined length and defined-length items. */
export function definedSequence(tag: number, items: Uint8Array[], syntax: Syntax = LE): Uint8Array {
  const body = concat(...items.map((item) => concat(itemTag(0xfffee000, item.length, syntax), item)));
  return concat(header(tag, "SQ", body.length, syntax), body);
}

/** Encapsulated Pixel Data: Basic Offset Table item, one item per fragment, sequence delimiter. */
export function encapsulatedPixelData(fragments: Uint8Array[], options: { offsets?: number[]; withoutDelimiter?: boolean } = {}): Uint8Array {
  const table = new Uint8Array((options.offsets ?? []).length * 4);
  const tableView = new DataView(table.buffer);
  (options.offsets ?? []).forEach((o, i) => tableView.setUint32(i * 4, o, true));
  return concat(
    header(0x7fe00010, "OB", UNDEFINED, LE),
    itemTag(0xfffee000, table.length, LE),
    table,
    ...fragments.map((f) => concat(itemTag(0xfffee000, f.length, LE), f)),
    options.withoutDelimiter ? new Uint8Array() : itemTag(0xfffee0dd, 0, LE),
  );
}

/** File meta information (always explicit VR little endian) with a correct group length. */
export function fileMeta(transferSyntaxUID: string | null, sopClassUID = "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID = "1.2.3.4"): Uint8Array {
  const body = concat(
    element(0x00020001, "OB", Uint8Array.of(0, 1)),
    element(0x00020002, "UI", sopClassUID),
    element(0x00020003, "UI", sopInstanceUID),
    transferSyntaxUID === null ? new Uint8Array() : element(0x00020010, "UI", transferSyntaxUID),
    element(0x00020012, "UI", "1.2.3.999"),
  );
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, body.length, true);
  return concat(element(0x00020000, "UL", length), body);
}

/** Preamble, "DICM", file meta and data set: a Part 10 file. */
export function part10(transferSyntaxUID: string | null, dataset: Uint8Array, meta: Uint8Array = fileMeta(transferSyntaxUID)): Uint8Array {
  return concat(new Uint8Array(128), ascii("DICM"), meta, dataset);
}

export interface ImageSpec {
  rows?: number;
  columns?: number;
  bitsAllocated?: number;
  frames?: number;
  patientName?: string | Uint8Array;
  specificCharacterSet?: string;
  /** Pixel bytes; by default exactly rows x columns x bits/8 x frames of a ramp. */
  pixels?: Uint8Array;
  syntax?: Syntax;
  /** Default 1.2.3.4, 1.2.3 and 1.2.3.1. */
  sopInstanceUid?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  /** Default MONOCHROME2. */
  photometric?: string;
  /** Each written only when given. */
  modality?: string;
  patientId?: string;
  instanceNumber?: number;
  /** Bits Stored, with High Bit one less and Pixel Representation 0 (unsigned). */
  bitsStored?: number;
}

/** A small Secondary Capture image data set, elements in ascending tag order. */
export function imageDataset(spec: ImageSpec = {}): Uint8Array {
  const { rows = 4, columns = 3, bitsAllocated = 16, frames = 1, syntax = LE } = spec;
  const size = (rows * columns * bitsAllocated * frames) / 8;
  const pixels = spec.pixels ?? Uint8Array.from({ length: size }, (_, i) => i & 0xff);
  const name = spec.patientName ?? "Doe^Jane";
  const none = new Uint8Array();
  const { bitsStored } = spec;
  return concat(
    spec.specificCharacterSet ? element(0x00080005, "CS", spec.specificCharacterSet, syntax) : none,
    element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7", syntax),
    element(0x00080018, "UI", spec.sopInstanceUid ?? "1.2.3.4", syntax),
    spec.modality ? element(0x00080060, "CS", spec.modality, syntax) : none,
    element(0x00100010, "PN", padded(name, "PN"), syntax),
    spec.patientId ? element(0x00100020, "LO", spec.patientId, syntax) : none,
    element(0x0020000d, "UI", spec.studyInstanceUid ?? "1.2.3", syntax),
    element(0x0020000e, "UI", spec.seriesInstanceUid ?? "1.2.3.1", syntax),
    spec.instanceNumber !== undefined ? element(0x00200013, "IS", String(spec.instanceNumber), syntax) : none,
    us(0x00280002, [1], syntax),
    element(0x00280004, "CS", spec.photometric ?? "MONOCHROME2", syntax),
    frames > 1 ? element(0x00280008, "IS", String(frames), syntax) : none,
    us(0x00280010, [rows], syntax),
    us(0x00280011, [columns], syntax),
    us(0x00280100, [bitsAllocated], syntax),
    bitsStored !== undefined ? concat(us(0x00280101, [bitsStored], syntax), us(0x00280102, [bitsStored - 1], syntax), us(0x00280103, [0], syntax)) : none,
    element(0x7fe00010, bitsAllocated > 8 ? "OW" : "OB", pixels, syntax),
  );
}
