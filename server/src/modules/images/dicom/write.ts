/*
 * Writing a data set back as a DICOM Part 10 file: 128-byte preamble, "DICM", file meta
 * information with its group length, then the data set. encode.ts does the encoding (byte for byte
 * as dcmjs's DicomDict.write, several times faster); this module decides what it is given.
 *
 * - Text is written as UTF-8 with Specific Character Set "ISO_IR 192". readDicomFile decodes
 *   every character set to Unicode, so re-encoding in the original (ISO 2022 escape sequences,
 *   GB18030...) would need an encoder per character set for no gain; UTF-8 holds all of them.
 * - The transfer syntax stays the one the data set was read in (implicit VR stays implicit,
 *   compressed pixel data stays compressed, big endian stays big endian because its OW values are
 *   kept in that byte order), except Deflated Explicit VR Little Endian, which is written
 *   uncompressed as Explicit VR Little Endian: dcmjs writes no deflated data sets, and pixel
 *   data, the bulk of an image, rarely deflates.
 * - Encapsulated pixel data is written one fragment per frame with a Basic Offset Table, so
 *   frames stay addressable; the Extended Offset Table, which pointed into the old layout, and
 *   group lengths (retired, and wrong once anything changes) are dropped.
 * - A DICOMDIR is refused: its records point at byte offsets in the file, which rewriting moves.
 *   So is native Pixel Data (an icon, say) inside a compressed transfer syntax: dcmjs would
 *   encapsulate it and label raw pixels as compressed.
 */
import type { DcmjsDataset, DcmjsElement } from "./dcmjs.js";
import { DECODED_CHARACTER_SET, NATIVE_PIXELS } from "./convert.js";
import { encodePart10 } from "./encode.js";
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, hasNativePixels } from "./transfer-syntax.js";

/** Identifies Concord as the writer of a file (PS3.10 §7.1); a UUID-derived UID, never changed. */
export const IMPLEMENTATION_CLASS_UID = "2.25.75839079994943346179328704103331231226";
export const IMPLEMENTATION_VERSION_NAME = "CONCORD_1";

const MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";
const TEXT_VRS = new Set(["SH", "LO", "ST", "LT", "UC", "UT", "PN"]);
const EXTENDED_OFFSET_TABLE = ["7FE00001", "7FE00002"];

export class DicomWriteError extends Error {
  override readonly name = "DicomWriteError";
}

export interface DicomFileParts {
  meta: DcmjsDataset;
  dict: DcmjsDataset;
}

/** The transfer syntax writeDicomFile uses for a data set read in `transferSyntaxUID`. */
export function writtenTransferSyntax(transferSyntaxUID: string | undefined): string {
  if (!transferSyntaxUID || transferSyntaxUID === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return EXPLICIT_VR_LITTLE_ENDIAN;
  return transferSyntaxUID;
}

export function writeDicomFile(file: DicomFileParts): Uint8Array {
  const { meta, dict } = part10Parts(file);
  return encodePart10(meta, dict);
}

/** The file meta and data set writeDicomFile encodes, or a DicomWriteError saying why the file cannot be written. */
export function part10Parts(file: DicomFileParts): DicomFileParts {
  const readIn = firstString(file.meta["00020010"]);
  const transferSyntaxUID = writtenTransferSyntax(readIn);
  const sopClass = firstString(file.dict["00080016"]) ?? firstString(file.meta["00020002"]);
  if (sopClass === MEDIA_STORAGE_DIRECTORY || "00041220" in file.dict) {
    throw new DicomWriteError("a DICOMDIR cannot be rewritten: its directory records point at byte offsets that rewriting would move");
  }

  if (!hasNativePixels(transferSyntaxUID) && hasNativePixelData(file.dict)) {
    throw new DicomWriteError(
      `Pixel Data read as native pixels (e.g. an icon) cannot be written under compressed transfer syntax ${transferSyntaxUID}: it would be labelled as compressed`,
    );
  }
  const dict = prepareDataset(file.dict, true);
  if (!("00080005" in dict) && hasNonAsciiText(dict)) {
    dict["00080005"] = { vr: "CS", Value: [DECODED_CHARACTER_SET] };
  }

  return { meta: fileMeta(file.meta, dict, transferSyntaxUID), dict };
}

function fileMeta(source: DcmjsDataset, dict: DcmjsDataset, transferSyntaxUID: string): DcmjsDataset {
  const meta: DcmjsDataset = {};
  for (const [key, element] of Object.entries(source)) {
    if (key.startsWith("0002") && key !== "00020000") meta[key] = element; // dcmjs computes the group length
  }
  meta["00020001"] ??= { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] };
  const sopClass = firstString(dict["00080016"]);
  const sopInstance = firstString(dict["00080018"]);
  if (sopClass) meta["00020002"] = { vr: "UI", Value: [sopClass] };
  if (sopInstance) meta["00020003"] = { vr: "UI", Value: [sopInstance] };
  meta["00020010"] = { vr: "UI", Value: [transferSyntaxUID] };
  meta["00020012"] = { vr: "UI", Value: [IMPLEMENTATION_CLASS_UID] };
  meta["00020013"] = { vr: "SH", Value: [IMPLEMENTATION_VERSION_NAME] };
  return meta;
}

/**
 * A copy of the data set as it will be written. Elements that do not change are shared, not
 * copied, so the encoder still sees their `_rawValue` (the exact DS/IS strings read).
 */
function prepareDataset(dataset: DcmjsDataset, topLevel: boolean): DcmjsDataset {
  const out: DcmjsDataset = {};
  for (const [key, element] of Object.entries(dataset)) {
    if (key.endsWith("0000") || (topLevel && EXTENDED_OFFSET_TABLE.includes(key))) continue;
    if (key === "00080005") {
      out[key] = { vr: "CS", Value: [DECODED_CHARACTER_SET] };
    } else if (element.vr === "SQ") {
      const items = (element.Value ?? []) as DcmjsDataset[];
      out[key] = { vr: "SQ", Value: items.map((item) => prepareDataset(item, false)) };
    } else {
      out[key] = element;
    }
  }
  return out;
}

function hasNativePixelData(dataset: DcmjsDataset): boolean {
  return Object.entries(dataset).some(([key, element]) => {
    if (element.vr === "SQ") return ((element.Value ?? []) as DcmjsDataset[]).some(hasNativePixelData);
    return key === "7FE00010" && NATIVE_PIXELS in element;
  });
}

function hasNonAsciiText(dataset: DcmjsDataset): boolean {
  return Object.values(dataset).some((element: DcmjsElement) => {
    if (element.vr === "SQ") return ((element.Value ?? []) as DcmjsDataset[]).some(hasNonAsciiText);
    if (!TEXT_VRS.has(element.vr)) return false;
    // Values are strings, or for PN objects of component-group strings.
    const strings = (element.Value ?? []).flatMap((v) => (typeof v === "object" && v !== null ? Object.values(v) : [v]));
    return strings.some((s) => typeof s === "string" && /[^\x00-\x7f]/.test(s));
  });
}

function firstString(element: DcmjsElement | undefined): string | undefined {
  const v = element?.Value?.[0];
  return typeof v === "string" && v !== "" ? v : undefined;
}
