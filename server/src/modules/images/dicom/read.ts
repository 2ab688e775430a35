/*
 * Reading DICOM files for ingest: bytes in, dcmjs's denaturalized data set out, or a
 * DicomReadError that tells the data owner what is wrong with the file.
 *
 * Parser choice: dcmjs. Its denaturalized data set ({"00100010": {vr, Value}}) is the form the
 * rest of the platform passes around, its data dictionary gives the VRs of implicit VR files, and
 * its DicomDict.write produces Part 10 files, so reading and writing share one model;
 * dicom-parser only reads, yields byte offsets rather than values and would need a second model
 * for writing. But dcmjs's reader cannot be trusted with the structure of an uploaded file: it
 * returns partial data for truncated files and impossible lengths, refuses raw data sets without
 * preamble, throws on ISO 2022 character sets, and fails on nested or UN-encoded private
 * sequences (see the fixture manifest's crossCheck). So the element structure is walked here
 * (parse.ts, checking every length against the bytes really present), text is decoded here
 * (charset.ts) and values are shaped exactly as dcmjs shapes them (convert.ts); dcmjs provides
 * the dictionary and, in write.ts, the writer.
 */
import { inflateRawSync, inflateSync } from "node:zlib";
import { convertDataset, declaredCharacterSet, numberOfFrames, type ConvertContext } from "./convert.js";
import { PIXEL_DATA } from "./dictionary.js";
import type { DcmjsDataset } from "./dcmjs.js";
import { DicomReadError, type DicomReadErrorCode } from "./errors.js";
import { DatasetParser, detectRawSyntax, looksLikeDataset, printable, type RawDataset } from "./parse.js";
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_LE,
  hasNativePixels,
  syntaxOf,
  uidOfSyntax,
  type Syntax,
} from "./transfer-syntax.js";
import { isValidUid } from "./uid.js";

export { DicomReadError, type DicomReadErrorCode } from "./errors.js";

export interface DicomReadOptions {
  /** Larger files are refused before parsing. Default 2 GiB. */
  maxFileBytes?: number;
  /** A deflated data set may not inflate beyond this (a zip bomb is small). Default 2 GiB. */
  maxInflatedBytes?: number;
  /** Data elements, sequence items and pixel fragments together. Default 1,000,000. */
  maxElements?: number;
  /** Sequences within sequences. Default 32. */
  maxDepth?: number;
  /** Numbers and strings decoded into JavaScript values (a 2 GiB "1\1\1..." would otherwise
   * become a billion of them). Default 50,000,000. */
  maxValues?: number;
  /** Read standard sequences stored as VR UN with implicit VR items (CP-246) instead of
   * refusing the file. Default false; see parse.ts. */
  allowUnknownVrSequences?: boolean;
}

export const DEFAULT_READ_LIMITS = {
  maxFileBytes: 2 * 1024 ** 3,
  maxInflatedBytes: 2 * 1024 ** 3,
  maxElements: 1_000_000,
  maxDepth: 32,
  maxValues: 50_000_000,
} as const;

export interface DicomFile {
  name: string;
  /** File meta information (group 0002). Made up from the data set when the file had none. */
  meta: DcmjsDataset;
  /** The data set, text decoded to Unicode (its Specific Character Set now says ISO_IR 192). */
  dict: DcmjsDataset;
  /** How the data set was encoded; for a file without meta, the encoding that was detected. */
  transferSyntaxUID: string;
  /** SOP Class UID (0008,0016), else the file meta's Media Storage SOP Class UID. */
  sopClassUID?: string;
  /** SOP Instance UID (0008,0018), else the file meta's Media Storage SOP Instance UID. */
  sopInstanceUID?: string;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  /** Specific Character Set as the file declared it, e.g. "\ISO 2022 IR 87". */
  specificCharacterSet?: string;
  rows?: number;
  columns?: number;
  /** Number of Frames, 1 for a single-frame image, undefined without pixel data. */
  frames?: number;
  hasPixelData: boolean;
  hasPreamble: boolean;
  hasFileMeta: boolean;
  /** What was odd but readable, in words for the data owner. */
  warnings: string[];
}

const DICM = [0x44, 0x49, 0x43, 0x4d];

export function readDicomFile(bytes: Uint8Array, name: string, options: DicomReadOptions = {}): DicomFile {
  const limits = { ...DEFAULT_READ_LIMITS, ...definedOnly(options) };
  const fail = (code: DicomReadErrorCode, reason: string) => new DicomReadError(name, code, reason);
  const parseLimits = {
    maxElements: limits.maxElements,
    maxDepth: limits.maxDepth,
    allowUnknownVrSequences: options.allowUnknownVrSequences ?? false,
  };

  if (bytes.length > limits.maxFileBytes) {
    throw fail("LIMIT", `the file is ${bytes.length} bytes, more than the ${limits.maxFileBytes} allowed`);
  }
  if (bytes.length === 0) throw fail("NOT_DICOM", "not a DICOM file: the file is empty (0 bytes)");

  const warnings: string[] = [];
  const hasPreamble = bytes.length >= 132 && startsWith(bytes, 128, DICM);
  let metaStart: number | null = null;
  if (hasPreamble) {
    if (bytes.length === 132) {
      throw fail("NO_DATASET", "has the DICM marker but nothing after it: no file meta information and no data set");
    }
    metaStart = 132;
  } else if (startsWith(bytes, 0, DICM)) {
    warnings.push('the file starts with "DICM" without the 128-byte preamble');
    metaStart = 4;
  } else if (bytes.length >= 8 && bytes[0] === 0x02 && bytes[1] === 0x00 && isAsciiUpper(bytes[4]) && isAsciiUpper(bytes[5])) {
    // File meta group (0002,xxxx) right at the start: the preamble and DICM were stripped.
    warnings.push("the file has no 128-byte preamble and DICM marker; its file meta information starts at byte 0");
    metaStart = 0;
  }

  let meta: RawDataset = [];
  let datasetStart: number;
  let syntax: Syntax;
  let transferSyntaxUID: string;
  let metaParser: DatasetParser | null = null;
  if (metaStart !== null) {
    metaParser = new DatasetParser(bytes, name, parseLimits, "file meta information");
    const group = metaParser.parseMetaGroup(metaStart);
    meta = group.elements;
    datasetStart = group.next;
    if (meta.length === 0) {
      // DICM followed directly by a data set: read it as a file without meta.
      const detected = detectRawSyntax(bytes.subarray(datasetStart));
      if (!detected) throw fail("NOT_DICOM", "has the DICM marker but neither file meta information nor a recognisable data set after it");
      warnings.push("the file has no file meta information after its DICM marker");
      syntax = detected;
      transferSyntaxUID = uidOfSyntax(detected);
    } else {
      const tsElement = meta.find((e) => e.tag === 0x00020010);
      transferSyntaxUID = tsElement ? uidText(tsElement.value) : "";
      if (!transferSyntaxUID) {
        throw fail(
          "MISSING_TRANSFER_SYNTAX",
          "the file meta information has no Transfer Syntax UID (0002,0010), so how the data set is encoded is unknown",
        );
      }
      if (!isValidUid(transferSyntaxUID)) {
        throw fail("MALFORMED", `its Transfer Syntax UID (0002,0010) "${printable(transferSyntaxUID.slice(0, 80))}" is not a UID, so how the data set is encoded is unknown`);
      }
      syntax = syntaxOf(transferSyntaxUID);
    }
    if (datasetStart === bytes.length) {
      throw fail("NO_DATASET", "has file meta information but no data set after it");
    }
  } else {
    const detected = detectRawSyntax(bytes);
    if (!detected) throw fail("NOT_DICOM", "not a DICOM file (no DICM marker and no recognisable data set)");
    warnings.push(
      `the file has no preamble and no file meta information; read as ${describeSyntax(detected)}, judging by its first elements`,
    );
    datasetStart = 0;
    syntax = detected;
    transferSyntaxUID = uidOfSyntax(detected);
  }

  let datasetBytes = bytes;
  if (transferSyntaxUID === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    datasetBytes = inflate(bytes.subarray(datasetStart), limits.maxInflatedBytes, name, warnings);
    datasetStart = 0;
    syntax = EXPLICIT_LE;
    if (datasetBytes.length === 0) throw fail("NO_DATASET", "its deflated data set is empty");
  }

  // Some writers declare one VR encoding and use the other; the first elements tell.
  const actual = actualSyntax(datasetBytes.subarray(datasetStart), syntax);
  let correctedSyntaxUID: string | null = null;
  if (actual !== syntax) {
    warnings.push(`the transfer syntax says ${describeSyntax(syntax)} but the data set is ${describeSyntax(actual)}; read as it is`);
    syntax = actual;
    // Uncompressed: the encoding found is the transfer syntax (big endian OW bytes stay big
    // endian, so a writer must know). Compressed: the pixel data still needs the declared one.
    if (hasNativePixels(transferSyntaxUID) && transferSyntaxUID !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
      correctedSyntaxUID = uidOfSyntax(actual);
      transferSyntaxUID = correctedSyntaxUID;
    }
  }

  const parser = new DatasetParser(datasetBytes, name, parseLimits, "data set");
  const raw = parser.parseAll(datasetStart, syntax);
  // Pixel Data is one plain value under the uncompressed syntaxes and fragments under every other
  // (PS3.5 A.4); a file that says one and holds the other would be stored as neither.
  const pixelData = raw.find((e) => e.tag === PIXEL_DATA);
  if (pixelData && (pixelData.fragments !== undefined) === hasNativePixels(transferSyntaxUID)) {
    throw fail(
      "MALFORMED",
      pixelData.fragments
        ? `its Pixel Data is encapsulated (undefined length, in fragments), but its transfer syntax ${transferSyntaxUID} keeps pixels uncompressed in one value`
        : `its Pixel Data is one value of defined length, but its transfer syntax ${transferSyntaxUID} keeps pixels encapsulated (undefined length, in fragments)`,
    );
  }
  warnings.push(...(metaParser?.warnings ?? []), ...parser.warnings);

  const ctx: ConvertContext = { fileName: name, warnings, maxValues: limits.maxValues, valueCount: 0 };
  const metaDict = convertDataset(meta, null, ctx); // group 0002 is ASCII: the default decoder
  if (correctedSyntaxUID) metaDict["00020010"] = { vr: "UI", Value: [correctedSyntaxUID] };
  const dict = convertDataset(raw, null, ctx);

  const hasPixelData = "7FE00010" in dict || "7FE00008" in dict || "7FE00009" in dict;
  const str = (key: string) => {
    const v = dict[key]?.Value?.[0];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const num = (key: string) => {
    const v = dict[key]?.Value?.[0];
    return typeof v === "number" ? v : undefined;
  };
  const hasFileMeta = metaStart !== null && meta.length > 0;
  // A data set without SOP Class/Instance UID (a DICOMDIR, some test files) is still identified
  // by its file meta; the data set wins when both are present.
  const metaStr = (key: string) => {
    const v = hasFileMeta ? metaDict[key]?.Value?.[0] : undefined;
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const file: DicomFile = {
    name,
    meta: hasFileMeta ? metaDict : synthesizedMeta(dict, transferSyntaxUID),
    dict,
    transferSyntaxUID,
    sopClassUID: str("00080016") ?? metaStr("00020002"),
    sopInstanceUID: str("00080018") ?? metaStr("00020003"),
    studyInstanceUID: str("0020000D"),
    seriesInstanceUID: str("0020000E"),
    specificCharacterSet: declaredCharacterSet(raw),
    rows: num("00280010"),
    columns: num("00280011"),
    frames: hasPixelData ? numberOfFrames(dict, warnings) : undefined,
    hasPixelData,
    hasPreamble,
    hasFileMeta,
    warnings,
  };
  return file;
}

/** File meta for a raw data set, so writing it back yields a conformant Part 10 file. */
function synthesizedMeta(dict: DcmjsDataset, transferSyntaxUID: string): DcmjsDataset {
  const meta: DcmjsDataset = {};
  const sopClass = dict["00080016"]?.Value?.[0];
  const sopInstance = dict["00080018"]?.Value?.[0];
  if (typeof sopClass === "string") meta["00020002"] = { vr: "UI", Value: [sopClass] };
  if (typeof sopInstance === "string") meta["00020003"] = { vr: "UI", Value: [sopInstance] };
  meta["00020010"] = { vr: "UI", Value: [transferSyntaxUID] };
  return meta;
}

/**
 * Deflated Explicit VR Little Endian (PS3.5 A.5) is raw deflate (RFC 1951) of the whole data
 * set. node:zlib does it in Node without dcmjs's bundled pako; maxOutputLength stops zip bombs.
 */
function inflate(deflated: Uint8Array, maxBytes: number, name: string, warnings: string[]): Uint8Array {
  const options = { maxOutputLength: maxBytes };
  try {
    return inflateRawSync(deflated, options);
  } catch (rawError) {
    if (tooLarge(rawError)) throw new DicomReadError(name, "LIMIT", `its deflated data set inflates to more than ${maxBytes} bytes`);
    try {
      // Some writers wrap the stream in a zlib header, against the standard; accept it.
      const inflated = inflateSync(deflated, options);
      warnings.push("the deflated data set has a zlib header, which the standard does not allow");
      return inflated;
    } catch (error) {
      if (tooLarge(error)) throw new DicomReadError(name, "LIMIT", `its deflated data set inflates to more than ${maxBytes} bytes`);
      throw new DicomReadError(name, "DEFLATE", `its deflated data set is corrupt and cannot be inflated (${(rawError as Error).message})`);
    }
  }
}

function tooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
}

/** `declared` unless the data set's first elements only make sense in another encoding. */
function actualSyntax(dataset: Uint8Array, declared: Syntax): Syntax {
  if (looksLikeDataset(dataset, declared, false)) return declared;
  return detectRawSyntax(dataset) ?? declared;
}

function describeSyntax(syntax: Syntax): string {
  if (!syntax.explicit) return "implicit VR little endian";
  return syntax.littleEndian ? "explicit VR little endian" : "explicit VR big endian";
}

function uidText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").replace(/[\0 ]+$/, "").trim();
}

function startsWith(bytes: Uint8Array, at: number, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

function isAsciiUpper(b: number | undefined): boolean {
  return b !== undefined && b >= 0x41 && b <= 0x5a;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
