import fs from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES, type ManifestDicomEntry } from "../../../testing/shared-fixtures.js";
import type { Dcmjs, DcmjsDataset } from "./dcmjs.js";
import { DicomReadError, readDicomFile, type DicomReadErrorCode, type DicomReadOptions } from "./read.js";
import {
  BE,
  IMPLICIT,
  LE,
  ascii,
  concat,
  definedSequence,
  element,
  encapsulatedPixelData,
  fileMeta,
  header,
  imageDataset,
  part10,
  sequence,
  UNDEFINED,
  us,
} from "./synthetic.js";

const dcmjs = require("dcmjs") as Dcmjs;

const EXPLICIT_LE_UID = "1.2.840.10008.1.2.1";
const IMPLICIT_LE_UID = "1.2.840.10008.1.2";
const BIG_ENDIAN_UID = "1.2.840.10008.1.2.2";
const DEFLATED_UID = "1.2.840.10008.1.2.1.99";
const JPEG_BASELINE_UID = "1.2.840.10008.1.2.4.50";

const value = (ds: DcmjsDataset, key: string) => ds[key]?.Value?.[0];
const bytesOf = (ds: DcmjsDataset, key: string, frame = 0) => new Uint8Array(ds[key]!.Value![frame] as ArrayBuffer);
/** PN as DICOM writes it: component groups joined by "=", trailing empty groups left out. */
function personName(ds: DcmjsDataset, key = "00100010"): string | undefined {
  const pn = value(ds, key) as { Alphabetic?: string; Ideographic?: string; Phonetic?: string } | undefined;
  return pn && [pn.Alphabetic ?? "", pn.Ideographic ?? "", pn.Phonetic ?? ""].join("=").replace(/=+$/, "");
}

/** The DicomReadError thrown by `read`, or a failed expectation if none was thrown. */
function refusal(read: () => unknown): DicomReadError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DicomReadError);
    return error as DicomReadError;
  }
  throw new Error("expected a DicomReadError, but the file was read");
}

function refused(bytes: Uint8Array, name: string, options?: DicomReadOptions): DicomReadError {
  return refusal(() => readDicomFile(bytes, name, options));
}

describe("readDicomFile on files built in memory (no fixtures needed)", () => {
  it("reads a Part 10 image: UIDs, geometry, pixel bytes and patient name", () => {
    const file = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset({ rows: 4, columns: 3 })), "ok.dcm");
    expect(file.transferSyntaxUID).toBe(EXPLICIT_LE_UID);
    expect([file.sopClassUID, file.sopInstanceUID, file.studyInstanceUID, file.seriesInstanceUID]).toEqual([
      "1.2.840.10008.5.1.4.1.1.7",
      "1.2.3.4",
      "1.2.3",
      "1.2.3.1",
    ]);
    expect([file.rows, file.columns, file.frames, file.hasPixelData]).toEqual([4, 3, 1, true]);
    expect(file.hasPreamble && file.hasFileMeta).toBe(true);
    expect(Array.from(bytesOf(file.dict, "7FE00010"))).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(file.dict["00100010"]).toEqual({ vr: "PN", Value: [{ Alphabetic: "Doe^Jane" }] });
    expect(value(file.meta, "00020010")).toBe(EXPLICIT_LE_UID);
    expect(file.warnings).toEqual([]);
  });

  it("keeps the first of an element given twice, and leaves out command and file meta elements in the data set, saying so", () => {
    const dataset = concat(
      element(0x00000010, "UI", "1.2.840.10008.5.1.4.1.1.7"), // a command element (group 0000)
      element(0x00020010, "UI", IMPLICIT_LE_UID), // file meta, but in the data set
      element(0x00030010, "LO", "reserved group"),
      element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
      element(0x00080018, "UI", "1.2.3.4"),
      element(0x00080018, "UI", "1.2.3.99"), // the same element again
      sequence(0x00081140, [concat(element(0x00081155, "UI", "1.2.3.5"), element(0x00081155, "UI", "1.2.3.6"), element(0x00000100, "US", new Uint8Array([1, 0])))]),
      element(0x00100010, "PN", "Doe^Jane"),
    );
    const file = readDicomFile(part10(EXPLICIT_LE_UID, dataset), "odd.dcm");
    expect(Object.keys(file.dict)).toEqual(["00030010", "00080016", "00080018", "00081140", "00100010"]);
    expect(file.sopInstanceUID).toBe("1.2.3.4");
    const item = (file.dict["00081140"]!.Value as DcmjsDataset[])[0]!;
    expect(Object.keys(item)).toEqual(["00081155"]);
    expect(item["00081155"]!.Value).toEqual(["1.2.3.5"]);
    expect(file.warnings).toEqual([
      "element (0000,0010) RETIRED_CommandRecognitionCode at byte 254 was left out: command elements (group 0000) do not belong in a data set",
      "element (0002,0010) TransferSyntaxUID at byte 288 was left out: file meta elements (group 0002) belong in the file meta information only",
      "element (0008,0018) SOPInstanceUID appears twice in the data set; the second, at byte 386, was left out",
      "element (0008,1155) ReferencedSOPInstanceUID appears twice in an item of (0008,1140) ReferencedImageSequence; the second, at byte 438, was left out",
      "element (0000,0100) CommandField at byte 454 was left out: command elements (group 0000) do not belong in a data set",
    ]);
  });

  describe("files without the 128-byte preamble and DICM", () => {
    it.each([
      ["explicit VR little endian", LE, EXPLICIT_LE_UID],
      ["implicit VR little endian", IMPLICIT, IMPLICIT_LE_UID],
      ["explicit VR big endian", BE, BIG_ENDIAN_UID],
    ])("detects a bare %s data set by its first elements", (label, syntax, uid) => {
      const file = readDicomFile(imageDataset({ syntax, rows: 2, columns: 2 }), "bare.dcm");
      expect(file.transferSyntaxUID).toBe(uid);
      expect(file.hasPreamble || file.hasFileMeta).toBe(false);
      expect([file.rows, file.columns, file.sopInstanceUID]).toEqual([2, 2, "1.2.3.4"]);
      expect(personName(file.dict)).toBe("Doe^Jane");
      expect(file.warnings.join()).toContain(`read as ${label}`);
      // The made-up meta lets the file be written back as Part 10.
      expect(value(file.meta, "00020010")).toBe(uid);
      expect(value(file.meta, "00020003")).toBe("1.2.3.4");
    });

    it("reads 16-bit values of a big endian data set in the right byte order", () => {
      const file = readDicomFile(concat(element(0x00080016, "UI", "1.2", BE), us(0x00280010, [0x0102], BE)), "be.dcm");
      expect(value(file.dict, "00280010")).toBe(0x0102);
    });

    it("reads file meta that starts at byte 0 (preamble and DICM stripped)", () => {
      const bytes = concat(fileMeta(IMPLICIT_LE_UID), imageDataset({ syntax: IMPLICIT }));
      const file = readDicomFile(bytes, "nopreamble.dcm");
      expect(file.hasFileMeta).toBe(true);
      expect(file.hasPreamble).toBe(false);
      expect(file.transferSyntaxUID).toBe(IMPLICIT_LE_UID);
      expect(personName(file.dict)).toBe("Doe^Jane");
    });

    it("reads a data set encoded implicit VR although its meta says explicit (a common writer bug)", () => {
      const file = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset({ syntax: IMPLICIT })), "liar.dcm");
      expect(personName(file.dict)).toBe("Doe^Jane");
      expect(file.warnings).toContain(
        "the transfer syntax says explicit VR little endian but the data set is implicit VR little endian; read as it is",
      );
      // What the data set really is, so a writer re-encodes it correctly.
      expect(file.transferSyntaxUID).toBe(IMPLICIT_LE_UID);
      expect(value(file.meta, "00020010")).toBe(IMPLICIT_LE_UID);
    });

    it("refuses bytes that are no data set, e.g. one stray byte before the first element", () => {
      const error = refused(concat(Uint8Array.of(0x20), imageDataset()), "shifted.dcm");
      expect(error.code).toBe("NOT_DICOM");
      expect(error.message).toBe("shifted.dcm: not a DICOM file (no DICM marker and no recognisable data set)");
    });
  });

  describe("deflated transfer syntax", () => {
    it("inflates the data set with node:zlib and reads it", () => {
      const dataset = imageDataset({ rows: 8, columns: 8, bitsAllocated: 8 });
      const file = readDicomFile(part10(DEFLATED_UID, deflateRawSync(dataset)), "dfl.dcm");
      expect(file.transferSyntaxUID).toBe(DEFLATED_UID);
      expect([file.rows, file.columns]).toEqual([8, 8]);
      expect(Array.from(bytesOf(file.dict, "7FE00010"))).toEqual(Array.from({ length: 64 }, (_, i) => i));
    });

    it("refuses a deflated data set that does not inflate", () => {
      const error = refused(part10(DEFLATED_UID, ascii("this is not deflate data at all")), "broken.dcm");
      expect(error.code).toBe("DEFLATE");
      expect(error.message).toMatch(/^broken\.dcm: its deflated data set is corrupt/);
    });

    it("stops a deflate bomb at maxInflatedBytes", () => {
      const bomb = deflateRawSync(concat(element(0x00080016, "UI", "1.2"), element(0x00091010, "UN", new Uint8Array(1_000_000))));
      expect(bomb.length).toBeLessThan(2000);
      const error = refused(part10(DEFLATED_UID, bomb), "bomb.dcm", { maxInflatedBytes: 100_000 });
      expect(error.code).toBe("LIMIT");
      expect(error.message).toContain("inflates to more than 100000 bytes");
    });
  });

  describe("truncation and impossible lengths", () => {
    it("refuses native Pixel Data cut off by the end of the file", () => {
      const whole = part10(EXPLICIT_LE_UID, imageDataset({ rows: 16, columns: 16 }));
      const error = refused(whole.subarray(0, whole.length - 100), "cut.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.message).toBe("cut.dcm: truncated: Pixel Data declares 512 bytes but only 412 remain");
    });

    it("refuses native Pixel Data shorter than rows x columns x bits x frames", () => {
      const short = imageDataset({ rows: 4, columns: 4, frames: 2, pixels: new Uint8Array(40) });
      const error = refused(part10(EXPLICIT_LE_UID, short), "short.dcm");
      expect(error.code).toBe("PIXEL_DATA_TOO_SHORT");
      expect(error.reason).toBe("truncated: Pixel Data holds 40 bytes but 4×4 pixels × 1 sample × 16 bits × 2 frames need 64");
    });

    it("accepts native Pixel Data with padding beyond what the image needs", () => {
      const file = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset({ rows: 3, columns: 3, bitsAllocated: 8, pixels: new Uint8Array(10) })), "pad.dcm");
      expect(bytesOf(file.dict, "7FE00010").length).toBe(10);
    });

    it("names the element and the bytes when a value length runs past the end", () => {
      const bytes = part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), header(0x00100010, "PN", 0xfff0), ascii("Doe^Jane")));
      const error = refused(bytes, "y.dcm");
      expect(error.code).toBe("BAD_LENGTH");
      expect(error.message).toBe("y.dcm: element (0010,0010) PatientName declares 65520 bytes but only 8 remain");
    });

    it("refuses an element that runs past the end of its sequence item", () => {
      const item = concat(header(0x00081150, "UI", 40), ascii("1.2.3.4"), Uint8Array.of(0));
      const bytes = part10(EXPLICIT_LE_UID, concat(definedSequence(0x00081140, [item]), element(0x00100010, "PN", "Doe^J")));
      const error = refused(bytes, "item.dcm");
      expect(error.code).toBe("BAD_LENGTH");
      expect(error.reason).toBe("element (0008,1150) ReferencedSOPClassUID declares 40 bytes but only 8 remain in its sequence item");
    });

    it("refuses encapsulated Pixel Data without a sequence delimiter", () => {
      const pixels = encapsulatedPixelData([Uint8Array.of(0xff, 0xd8, 1, 2)], { withoutDelimiter: true });
      const error = refused(part10(JPEG_BASELINE_UID, concat(element(0x00080016, "UI", "1.2"), pixels)), "nodelim.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.reason).toBe(
        "truncated: encapsulated Pixel Data has no sequence delimiter: the end of the file comes after the Basic Offset Table and 1 fragment",
      );
    });

    it("refuses an encapsulated fragment cut off by the end of the file", () => {
      const whole = part10(JPEG_BASELINE_UID, concat(element(0x00080016, "UI", "1.2"), encapsulatedPixelData([new Uint8Array(1000)])));
      const error = refused(whole.subarray(0, whole.length - 508), "frag.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.reason).toBe("truncated: Pixel Data fragment 1 declares 1000 bytes but only 500 remain");
    });

    it("refuses an undefined-length sequence that never ends", () => {
      const item = element(0x00081150, "UI", "1.2.3");
      const error = refused(part10(EXPLICIT_LE_UID, sequence(0x00081140, [item], LE, { withoutSequenceDelimiter: true })), "seq.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.reason).toBe(
        "sequence (0008,1140) ReferencedImageSequence has no end: its sequence delimiter is missing (the end of the file comes first)",
      );
    });

    it("refuses an undefined-length item that never ends", () => {
      const item = element(0x00081150, "UI", "1.2.3");
      const bytes = part10(EXPLICIT_LE_UID, sequence(0x00081140, [item], LE, { withoutItemDelimiters: true, withoutSequenceDelimiter: true }));
      const error = refused(bytes, "item.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.reason).toContain("an item of sequence (0008,1140) ReferencedImageSequence has no end: its item delimiter is missing");
    });

    it("refuses a file cut inside its file meta information", () => {
      const error = refused(part10(EXPLICIT_LE_UID, imageDataset()).subarray(0, 150), "meta.dcm");
      expect(error.code).toBe("TRUNCATED");
      expect(error.reason).toBe("truncated: the file ends inside its file meta information (an element header at byte 144 has 6 of its 8 bytes)");
    });

    it("refuses file meta without a Transfer Syntax UID", () => {
      const error = refused(part10(null, imageDataset({ syntax: IMPLICIT })), "nots.dcm");
      expect(error.code).toBe("MISSING_TRANSFER_SYNTAX");
      expect(error.reason).toContain("no Transfer Syntax UID (0002,0010)");
    });

    it("refuses a Transfer Syntax UID that is not a UID", () => {
      const error = refused(part10("\u00fe\u00ff2.840.10008.1.2", imageDataset({ syntax: IMPLICIT })), "ts.dcm");
      expect(error.code).toBe("MALFORMED");
      expect(error.reason).toBe('its Transfer Syntax UID (0002,0010) "\\xfe\\xff2.840.10008.1.2" is not a UID, so how the data set is encoded is unknown');
    });

    it("refuses Pixel Data stored otherwise than its transfer syntax says (one value under a compressed syntax, fragments under an uncompressed one)", () => {
      const native = refused(part10("1.2.840.10008.1.2.4.50", imageDataset({ bitsAllocated: 8 })), "native.dcm");
      expect(native.code).toBe("MALFORMED");
      expect(native.reason).toBe(
        "its Pixel Data is one value of defined length, but its transfer syntax 1.2.840.10008.1.2.4.50 keeps pixels encapsulated (undefined length, in fragments)",
      );
      const fragments = encapsulatedPixelData([Uint8Array.of(1, 2, 3, 4)]);
      const encapsulated = refused(part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7"), element(0x00080018, "UI", "1.2.3.4"), fragments)), "frag.dcm");
      expect(encapsulated.code).toBe("MALFORMED");
      expect(encapsulated.reason).toBe(`its Pixel Data is encapsulated (undefined length, in fragments), but its transfer syntax ${EXPLICIT_LE_UID} keeps pixels uncompressed in one value`);
    });

    it("refuses an invalid VR in an explicit VR data set", () => {
      const bad = concat(element(0x00080016, "UI", "1.2"), header(0x00100010, "PN", 4), ascii("Doe^"));
      bad[12 + 4] = 0x3f; // after the 12-byte UI element, the PN header's VR: "PN" -> "?N"
      const error = refused(part10(EXPLICIT_LE_UID, bad), "vr.dcm");
      expect(error.code).toBe("MALFORMED");
      expect(error.reason).toContain('element (0010,0010) PatientName has an invalid value representation "?N"');
    });
  });

  describe("not DICOM at all", () => {
    it.each([
      ["empty.dcm", new Uint8Array(0), "NOT_DICOM", "not a DICOM file: the file is empty (0 bytes)"],
      ["notes.dcm", ascii("Patient notes: nothing to see here, just text with a .dcm name\n"), "NOT_DICOM", "not a DICOM file (no DICM marker and no recognisable data set)"],
      ["photo.dcm", Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), "NOT_DICOM", "not a DICOM file (no DICM marker and no recognisable data set)"],
      ["dicm.dcm", concat(new Uint8Array(128), ascii("DICM")), "NO_DATASET", "has the DICM marker but nothing after it: no file meta information and no data set"],
      ["metaonly.dcm", part10(EXPLICIT_LE_UID, new Uint8Array(0)), "NO_DATASET", "has file meta information but no data set after it"],
    ] as const)("%s", (name, bytes, code, reason) => {
      const error = refused(bytes, name);
      expect([error.code, error.message]).toEqual([code, `${name}: ${reason}`]);
    });
  });

  describe("limits protect the server", () => {
    it("refuses a file larger than maxFileBytes before parsing it", () => {
      const error = refused(new Uint8Array(1000), "big.dcm", { maxFileBytes: 999 });
      expect([error.code, error.reason]).toEqual(["LIMIT", "the file is 1000 bytes, more than the 999 allowed"]);
    });

    it("refuses more elements than maxElements", () => {
      const many = concat(element(0x00080016, "UI", "1.2"), ...Array.from({ length: 500 }, (_, i) => element(0x00090000 + 0x1000 + i, "LO", "x")));
      expect(readDicomFile(many, "many.dcm").dict["000911F3"]).toBeDefined();
      const error = refused(many, "many.dcm", { maxElements: 100 });
      expect([error.code, error.reason]).toEqual(["LIMIT", "more than 100 elements and items; refused to protect the server"]);
    });

    it("refuses sequences nested deeper than maxDepth", () => {
      let nested = element(0x00081150, "UI", "1.2");
      for (let i = 0; i < 40; i++) nested = sequence(0x00081140, [nested]);
      const bytes = part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), nested));
      expect(readDicomFile(bytes, "deep.dcm", { maxDepth: 40 }).dict["00081140"]).toBeDefined();
      const error = refused(bytes, "deep.dcm");
      expect(error.code).toBe("LIMIT");
      expect(error.reason).toBe("sequences are nested more than 32 levels deep (at (0008,1140) ReferencedImageSequence)");
    });

    it("refuses more decoded values than maxValues", () => {
      const ds = element(0x00200032, "DS", Array.from({ length: 3000 }, () => "1").join("\\"));
      const error = refused(concat(element(0x00080016, "UI", "1.2"), ds), "values.dcm", { maxValues: 1000 });
      expect(error.code).toBe("LIMIT");
    });

    it("gets through a file of nothing but zero-length elements quickly", () => {
      const empties = concat(element(0x00080016, "UI", "1.2"), ...Array.from({ length: 20_000 }, (_, i) => header(0x00091000 + i, "OB", 0)));
      const started = Date.now();
      expect(Object.keys(readDicomFile(empties, "empties.dcm").dict)).toHaveLength(20_001);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe("VR UN", () => {
    it("reads an undefined-length UN element as the sequence it is (CP-246: items in implicit VR)", () => {
      const item = concat(header(0x00081150, "UI", 4, IMPLICIT), ascii("1.23"));
      // Explicit VR header "UN", undefined length; items and delimiters encoded implicit VR.
      const implicitItems = sequence(0x0009100c, [item], IMPLICIT).subarray(8);
      const bytes = concat(element(0x00080016, "UI", "1.2"), header(0x0009100c, "UN", UNDEFINED, LE), implicitItems);
      const file = readDicomFile(part10(EXPLICIT_LE_UID, bytes), "un.dcm");
      expect(file.dict["0009100C"]!.vr).toBe("SQ");
      expect(value((file.dict["0009100C"]!.Value as DcmjsDataset[])[0]!, "00081150")).toBe("1.23");
    });

    it("reads a standard element stored as UN through the dictionary's VR", () => {
      const bytes = part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), element(0x00100010, "UN", "Doe^Jane"), element(0x00280010, "UN", Uint8Array.of(0x00, 0x02))));
      const file = readDicomFile(bytes, "un.dcm");
      expect(file.dict["00100010"]).toEqual({ vr: "PN", Value: [{ Alphabetic: "Doe^Jane" }] });
      expect(file.dict["00280010"]).toEqual({ vr: "US", Value: [512] });
    });

    it("refuses a standard sequence stored as UN unless allowUnknownVrSequences is set", () => {
      const item = concat(header(0x00080100, "SH", 6, IMPLICIT), ascii("113691"));
      const items = concat(Uint8Array.of(0xfe, 0xff, 0x00, 0xe0), new Uint8Array(new Uint32Array([item.length]).buffer), item);
      const bytes = part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), element(0x00189346, "UN", items)));
      const error = refused(bytes, "unsq.dcm");
      expect(error.code).toBe("UN_SEQUENCE");
      expect(error.reason).toContain("sequence (0018,9346) CTDIPhantomTypeCodeSequence is stored with VR UN");
      const file = readDicomFile(bytes, "unsq.dcm", { allowUnknownVrSequences: true });
      expect(value((file.dict["00189346"]!.Value as DcmjsDataset[])[0]!, "00080100")).toBe("113691");
    });
  });

  describe("encapsulated frames", () => {
    const jpeg = (n: number) => Uint8Array.of(0xff, 0xd8, 0xff, n);
    const spec = (frames: number, pixels: Uint8Array) =>
      concat(element(0x00080016, "UI", "1.2"), element(0x00280008, "IS", String(frames)), us(0x00280010, [2]), us(0x00280011, [2]), pixels);

    it("groups fragments into frames by the Basic Offset Table", () => {
      const pixels = encapsulatedPixelData([jpeg(1), Uint8Array.of(1, 2), jpeg(2)], { offsets: [0, 24] });
      const file = readDicomFile(part10(JPEG_BASELINE_UID, spec(2, pixels)), "bot.dcm");
      expect(file.dict["7FE00010"]!.Value!.map((f) => Array.from(new Uint8Array(f as ArrayBuffer)))).toEqual([
        [0xff, 0xd8, 0xff, 1, 1, 2],
        [0xff, 0xd8, 0xff, 2],
      ]);
    });

    it("without an offset table, splits where a codestream starts", () => {
      const pixels = encapsulatedPixelData([jpeg(1), Uint8Array.of(1, 2), jpeg(2), Uint8Array.of(3, 4)]);
      const file = readDicomFile(part10(JPEG_BASELINE_UID, spec(2, pixels)), "nobot.dcm");
      expect(file.dict["7FE00010"]!.Value!.map((f) => (f as ArrayBuffer).byteLength)).toEqual([6, 6]);
    });

    it("refuses fewer fragments than frames", () => {
      const error = refused(part10(JPEG_BASELINE_UID, spec(3, encapsulatedPixelData([jpeg(1), jpeg(2)]))), "few.dcm");
      expect([error.code, error.reason]).toEqual(["PIXEL_DATA_FRAMES", "encapsulated Pixel Data has 2 fragments for 3 frames; every frame needs at least one"]);
    });
  });

  it("decodes ISO 2022 Japanese with code extensions into PN component groups", () => {
    const name = ascii("Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B");
    const file = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset({ specificCharacterSet: "\\ISO 2022 IR 87", patientName: name })), "jp.dcm");
    expect(file.dict["00100010"]!.Value).toEqual([{ Alphabetic: "Yamada^Tarou", Ideographic: "山田^太郎", Phonetic: "やまだ^たろう" }]);
    expect(file.specificCharacterSet).toBe("\\ISO 2022 IR 87");
    expect(value(file.dict, "00080005")).toBe("ISO_IR 192");
  });

  it("keeps the exact DS/IS text so an invalid value survives (and reads Number of Frames leniently)", () => {
    const file = readDicomFile(concat(element(0x00080016, "UI", "1.2"), element(0x00180050, "DS", "1.0000000e-6"), element(0x00280008, "IS", "1A"), us(0x00280010, [1]), us(0x00280011, [1]), us(0x00280100, [8]), element(0x7fe00010, "OB", Uint8Array.of(7, 0))), "is.dcm");
    expect(file.dict["00180050"]!.Value).toEqual([0.000001]);
    expect(file.dict["00180050"]!._rawValue).toEqual(["1.0000000e-6"]);
    expect(file.dict["00280008"]!.Value).toEqual([null]);
    expect(file.frames).toBe(1);
    expect(file.warnings).toContain('Number of Frames "1A" is not a valid number; read as 1');
  });
});

// ---------------------------------------------------------------------------------------------
// The shared public test files: every manifest entry is its own test.

const manifest = loadManifest();

/** Why each file the manifest says must not parse is refused: code and words of the message. */
const REFUSALS: Record<string, { code: DicomReadErrorCode; words: string[] }> = {
  "dicom/malformed/no_meta.dcm": { code: "NOT_DICOM", words: ["not a DICOM file", "no DICM marker and no recognisable data set"] },
  "dicom/malformed/MR_truncated.dcm": { code: "TRUNCATED", words: ["truncated", "Pixel Data declares 8192 bytes but only 8130 remain"] },
  "dicom/malformed/emri_small_jpeg_2k_lossless_too_short.dcm": {
    code: "TRUNCATED",
    words: ["encapsulated Pixel Data has no sequence delimiter", "after the Basic Offset Table and 10 fragments"],
  },
  "dicom/malformed/meta_missing_tsyntax.dcm": { code: "MISSING_TRANSFER_SYNTAX", words: ["no Transfer Syntax UID (0002,0010)"] },
  "dicom/malformed/bad_sequence.dcm": { code: "UN_SEQUENCE", words: ["sequence (0018,9346) CTDIPhantomTypeCodeSequence", "VR UN"] },
  "dicom/malformed/derived_CT_small_truncated_300B.dcm": {
    code: "TRUNCATED",
    words: ["truncated", "inside its file meta information", "(0002,0012) ImplementationClassUID declares 18 bytes but only 16 remain"],
  },
  "dicom/malformed/derived_rsna_cxr_truncated_in_pixeldata.dcm": {
    code: "TRUNCATED",
    words: ["truncated", "Pixel Data fragment 1 declares 126268 bytes but only 75360 remain"],
  },
  "dicom/malformed/derived_empty_0B.dcm": { code: "NOT_DICOM", words: ["the file is empty (0 bytes)"] },
  "dicom/malformed/derived_not_dicom.dcm": { code: "NOT_DICOM", words: ["not a DICOM file", "no DICM marker"] },
  "dicom/malformed/derived_preamble_only.dcm": { code: "NO_DATASET", words: ["DICM marker but nothing after it", "no data set"] },
  "dicom/malformed/derived_MR_small_bad_length.dcm": { code: "BAD_LENGTH", words: ["element (0010,0010) PatientName declares 65520 bytes but only 9116 remain"] },
};

/** pydicom's documented values (tests/test_charset.py, FILE_PATIENT_NAMES), checked by decoding. */
const PATIENT_NAMES: Record<string, string> = {
  "chrArab.dcm": "قباني^لنزار",
  "chrFren.dcm": "Buc^Jérôme",
  "chrFrenMulti.dcm": "Buc^Jérôme",
  "chrGerm.dcm": "Äneas^Rüdiger",
  "chrGreek.dcm": "Διονυσιος",
  "chrH31.dcm": "Yamada^Tarou=山田^太郎=やまだ^たろう",
  "chrHbrw.dcm": "שרון^דבורה",
  "chrI2.dcm": "Hong^Gildong=洪^吉洞=홍^길동",
  "chrJapMulti.dcm": "やまだ^たろう",
  "chrJapMultiExplicitIR6.dcm": "やまだ^たろう",
  "chrKoreanMulti.dcm": "김희중",
  "chrRuss.dcm": "Люкceмбypг",
  "chrX1.dcm": "Wang^XiaoDong=王^小東",
  "chrX2.dcm": "Wang^XiaoDong=王^小东",
};

describe.skipIf(!manifest)(`the shared DICOM fixtures (${manifest ? "present" : NO_FIXTURES})`, () => {
  const entries = manifest?.dicom ?? [];
  const read = (entry: ManifestDicomEntry, options?: DicomReadOptions) =>
    readDicomFile(fs.readFileSync(path.join(manifest!.dir, entry.path)), path.basename(entry.path), options);
  const byPath = (p: string) => entries.find((e) => e.path === p)!;

  it("has a refusal reason for exactly the files the manifest says must not parse", () => {
    expect(entries.filter((e) => !e.expectedToParse).map((e) => e.path).sort()).toEqual(Object.keys(REFUSALS).sort());
  });

  describe.each(entries.filter((e) => e.expectedToParse).map((e) => [e.path, e] as const))("%s", (_path, entry) => {
    it("reads, with the manifest's SOP class, transfer syntax, geometry and character set", () => {
      const file = read(entry);
      if (entry.sopClassUID !== null) expect(file.sopClassUID).toBe(entry.sopClassUID);
      if (entry.transferSyntaxUID !== null) expect(file.transferSyntaxUID).toBe(entry.transferSyntaxUID);
      if (entry.rows !== null) expect(file.rows).toBe(entry.rows);
      if (entry.columns !== null) expect(file.columns).toBe(entry.columns);
      if (entry.frames !== null) expect(file.frames).toBe(entry.frames);
      if (entry.specificCharacterSet !== null) expect(file.specificCharacterSet).toBe(entry.specificCharacterSet);
      expect(file.hasPixelData).toBe(entry.hasPixelData);
      expect(file.hasFileMeta).toBe(entry.hasFileMeta);
      if (file.hasPixelData && entry.frames !== null && "7FE00010" in file.dict) {
        // One ArrayBuffer per frame when encapsulated, one for all frames when native.
        const native = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"].includes(file.transferSyntaxUID);
        expect(file.dict["7FE00010"]!.Value).toHaveLength(native ? 1 : entry.frames);
      }
    });
  });

  describe.each(entries.filter((e) => !e.expectedToParse).map((e) => [e.path, e] as const))("%s", (_path, entry) => {
    it("is refused with a DicomReadError that names the file and says why", () => {
      const expected = REFUSALS[entry.path]!;
      const error = refusal(() => read(entry));
      expect(error.code).toBe(expected.code);
      expect(error.message.startsWith(`${path.basename(entry.path)}: `)).toBe(true);
      for (const words of expected.words) expect(error.message).toContain(words);
    });
  });

  describe.each(Object.entries(PATIENT_NAMES))("charset/%s", (file, expected) => {
    it("decodes Patient's Name to the right Unicode text", () => {
      expect(personName(read(byPath(`dicom/charset/${file}`)).dict)).toBe(expected);
    });
  });

  it.each(["chrSQEncoding.dcm", "chrSQEncoding1.dcm"])("charset/%s: a sequence item's own or inherited character set decodes its name", (name) => {
    const file = read(byPath(`dicom/charset/${name}`));
    const item = (file.dict["00321064"]!.Value as DcmjsDataset[])[0]!;
    expect(personName(item)).toBe("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
  });

  it("reads a bare data set and a meta-without-preamble copy of CT_small exactly like the original", () => {
    const original = read(byPath("dicom/ct/CT_small.dcm"));
    for (const p of ["dicom/odd/derived_CT_small_no_preamble.dcm", "dicom/odd/derived_CT_small_dataset_only.dcm"]) {
      expect(read(byPath(p)).dict).toEqual(original.dict);
    }
  });

  it("reads the same MR pixels from implicit, explicit, big endian and deflate-free copies", () => {
    const reference = bytesOf(read(byPath("dicom/transfer-syntax/MR_small.dcm")).dict, "7FE00010");
    expect(bytesOf(read(byPath("dicom/transfer-syntax/MR_small_implicit.dcm")).dict, "7FE00010")).toEqual(reference);
    const bigEndian = bytesOf(read(byPath("dicom/transfer-syntax/MR_small_bigendian.dcm")).dict, "7FE00010");
    const swapped = bigEndian.map((_, i) => bigEndian[i ^ 1]!);
    expect(swapped).toEqual(reference);
    expect(reference.length).toBe(64 * 64 * 2);
  });

  it("inflates the deflated image to the pixels dcmjs (with its bundled pako) reads", () => {
    const entry = byPath("dicom/transfer-syntax/image_dfl.dcm");
    const bytes = fs.readFileSync(path.join(manifest!.dir, entry.path));
    const ours = bytesOf(readDicomFile(bytes, "image_dfl.dcm").dict, "7FE00010");
    const theirs = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(ours.length).toBe(512 * 512);
    expect(ours).toEqual(new Uint8Array(theirs.dict["7FE00010"]!.Value![0] as ArrayBuffer));
  });

  it("splits fragmented multi-frame pixel data without an offset table into whole JPEG frames", () => {
    for (const [p, frames] of [
      ["dicom/multiframe/CT0012.fragmented_no_bot_jpeg_ls.80.dcm", 2],
      ["dicom/multiframe/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm", 8],
    ] as const) {
      const values = read(byPath(p)).dict["7FE00010"]!.Value as ArrayBuffer[];
      expect(values).toHaveLength(frames);
      for (const frame of values) {
        const b = new Uint8Array(frame);
        const end = b[b.length - 1] === 0 ? b.length - 1 : b.length; // an odd codestream is padded with one zero
        expect([b[0], b[1], b[end - 2], b[end - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]); // SOI ... EOI
      }
    }
  });

  it("reads private and UN-encoded sequences dcmjs fails on", () => {
    const un = read(byPath("dicom/odd/UN_sequence.dcm")).dict["4453100C"]!;
    expect(un.vr).toBe("SQ");
    const series = ((un.Value as DcmjsDataset[])[0]!["00081115"]!.Value as DcmjsDataset[])[0]!;
    expect(value((series["00081199"]!.Value as DcmjsDataset[])[0]!, "00081155")).toBe("1.2.840.113619.2.327.3.185221411.476.1398588726.278.80");
    const nested = read(byPath("dicom/odd/nested_priv_SQ.dcm")).dict["00010001"]!;
    const inner = ((nested.Value as DcmjsDataset[])[0]!["00010001"]!.Value as DcmjsDataset[])[0]!;
    expect(Buffer.from(inner["00010001"]!.Value![0] as ArrayBuffer).toString("latin1")).toBe("Double Nested SQ");
  });

  it("reads elements stored as UN through the dictionary (explicit_VR-UN.dcm)", () => {
    const file = read(byPath("dicom/odd/explicit_VR-UN.dcm"));
    expect(file.dict["00100010"]).toEqual({ vr: "PN", Value: [{ Alphabetic: "PANCREAS_0001" }] });
    expect(file.dict["00280030"]!.Value).toEqual([0.859375, 0.859375]);
  });

  it("reads bad_sequence.dcm's UN sequence when the caller opts in", () => {
    const file = read(byPath("dicom/malformed/bad_sequence.dcm"), { allowUnknownVrSequences: true });
    const item = (file.dict["00189346"]!.Value as DcmjsDataset[])[0]!;
    expect(value(item, "00080104")).toBe("IEC Body Dosimetry Phantom");
  });
});
