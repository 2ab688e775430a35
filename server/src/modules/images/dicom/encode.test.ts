import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES } from "../../../testing/shared-fixtures.js";
import { imageToSecondaryCapture } from "../convert/secondary-capture.js";
import { deidentify } from "../deid/deidentify.js";
import type { Dcmjs, DcmjsDataset } from "./dcmjs.js";
import { encodePart10 } from "./encode.js";
import { DicomReadError, readDicomFile } from "./read.js";
import { BE, IMPLICIT, LE, element, encapsulatedPixelData, imageDataset, part10, sequence, us } from "./synthetic.js";
import { DicomWriteError, part10Parts, type DicomFileParts } from "./write.js";

// encode.ts replaced dcmjs's DicomDict.write for speed; it must produce exactly dcmjs's bytes for
// everything Concord writes: files as read, as de-identified, and images converted from PNG.

const dcmjs = require("dcmjs") as Dcmjs;
// dcmjs names each VR it has no class for (OL, OV, SV) on its validation log while writing.
dcmjs.log.getLogger("validation.dcmjs").setLevel("silent");
dcmjs.log.setLevel("silent");

function dcmjsWrite(parts: DicomFileParts): Uint8Array {
  const written = new dcmjs.data.DicomDict({ ...parts.meta });
  written.dict = parts.dict;
  return new Uint8Array(written.write({ fragmentMultiframe: false, allowInvalidVRLength: true }));
}

/** Both writers' bytes, compared; on a difference, where it is (a byte offset says more than two 10 KB arrays). */
function expectSameBytes(parts: DicomFileParts): void {
  const ours = encodePart10(parts.meta, parts.dict);
  const theirs = dcmjsWrite(parts);
  if (Buffer.compare(ours, theirs) === 0) return;
  let at = 0;
  while (at < ours.length && at < theirs.length && ours[at] === theirs[at]) at++;
  const around = (b: Uint8Array) => Buffer.from(b.subarray(Math.max(0, at - 16), at + 16)).toString("hex");
  expect.fail(`bytes differ at ${at} (lengths ${ours.length} vs dcmjs ${theirs.length}): ours ${around(ours)} dcmjs ${around(theirs)}`);
}

const KEY = new Uint8Array(32).fill(9);
const deidentified = (parts: DicomFileParts, retainDates: boolean) =>
  deidentify(parts, { projectKey: KEY, retainLongitudinalModifiedDates: retainDates, replacementPatientId: "P0123456789ABCDE" });

describe("encodePart10 writes what dcmjs writes, on data sets built in memory", () => {
  const syntaxes = [
    ["explicit VR little endian", "1.2.840.10008.1.2.1", LE],
    ["implicit VR little endian", "1.2.840.10008.1.2", IMPLICIT],
    ["explicit VR big endian", "1.2.840.10008.1.2.2", BE],
  ] as const;
  it.each(syntaxes)("an image in %s, as read and as de-identified", (_, uid, syntax) => {
    const file = readDicomFile(part10(uid, imageDataset({ syntax, rows: 5, columns: 3, bitsAllocated: 8 })), "odd.dcm");
    expectSameBytes(part10Parts(file));
    expectSameBytes(part10Parts(deidentified(file, false)));
    expectSameBytes(part10Parts(deidentified(file, true)));
  });

  it("sequences, nested and empty, in every syntax", () => {
    for (const [, uid, syntax] of syntaxes) {
      const item = (n: number) => element(0x00081155, "UI", `1.2.3.${n}`, syntax);
      const dataset = new Uint8Array([
        ...element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7", syntax),
        ...sequence(0x00081140, [item(1), new Uint8Array([...item(2), ...sequence(0x00089215, [element(0x00080100, "SH", "121322", syntax)], syntax)])], syntax),
        ...sequence(0x00081250, [], syntax),
        ...us(0x00280010, [2], syntax),
      ]);
      expectSameBytes(part10Parts(readDicomFile(part10(uid, dataset), "sequences.dcm")));
    }
  });

  it("encapsulated frames, odd and even, with and without an offset table", () => {
    const frames = [Uint8Array.of(0xff, 0xd8, 1, 2, 3), Uint8Array.of(0xff, 0xd8, 4, 5)];
    const dataset = new Uint8Array([
      ...element(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
      ...element(0x00280008, "IS", "2"),
      ...us(0x00280010, [1]),
      ...us(0x00280011, [1]),
      ...encapsulatedPixelData(frames),
    ]);
    expectSameBytes(part10Parts(readDicomFile(part10("1.2.840.10008.1.2.4.50", dataset), "jpeg.dcm")));
  });

  it("every VR, edge values: long DS numbers, 64 KiB text, multi-valued PN, numbers of each size, odd binary", () => {
    const meta: DcmjsDataset = {
      "00020001": { vr: "OB", Value: [Uint8Array.of(0, 1).buffer] },
      "00020002": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7"] },
      "00020003": { vr: "UI", Value: ["1.2.3"] },
      "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] },
    };
    const withRaw = (element: { vr: string; Value: unknown[] }, raw: string[]) => {
      Object.defineProperty(element, "_rawValue", { value: raw, enumerable: false });
      return element;
    };
    const dict: DcmjsDataset = {
      "00080005": { vr: "CS", Value: ["ISO_IR 192"] },
      "00080008": { vr: "CS", Value: ["ORIGINAL", "PRIMARY", ""] },
      "00080020": { vr: "DA", Value: [] },
      "00080030": { vr: "TM" },
      "00080054": { vr: "AE", Value: ["STORE_SCP"] },
      "00081030": { vr: "LO", Value: ["Étude ☃ \ud800 lone surrogate"] },
      "00100010": { vr: "PN", Value: [{ Alphabetic: "Yamada^Tarou", Ideographic: "山田^太郎", Phonetic: "やまだ^たろう" }, { Alphabetic: "Doe" }, { Ideographic: "李" }] },
      "00101010": { vr: "AS", Value: ["045Y"] },
      "00101030": { vr: "DS", Value: [Math.PI * 1e13, -Math.PI * 1e-6, 1 / 3, -12345678.123456789, 72, null] },
      "00181050": withRaw({ vr: "DS", Value: [0.000001, 2.5] }, ["1.0000000e-6", " 2.50"]),
      "00181060": withRaw({ vr: "DS", Value: [9] }, ["8"]),
      "00200013": withRaw({ vr: "IS", Value: [null] }, ["1A"]),
      "00200012": { vr: "IS", Value: [-3, 400000, null] },
      "00204000": { vr: "LT", Value: ["a\\b " + "x".repeat(70_000)] },
      "00209158": { vr: "LT", Value: ["odd"] },
      "00280009": { vr: "AT", Value: [0x00181063, 0xfffee000] },
      "00280010": { vr: "US", Value: [65535] },
      "00280106": { vr: "SS", Value: [-32768] },
      "00281052": { vr: "UL", Value: [0xffffffff, 0] },
      "00189219": { vr: "SL", Value: [-1] },
      "00189305": { vr: "FL", Value: [1.5, -0.1, Number.NaN] },
      "00189306": { vr: "FD", Value: [Math.E, -0] },
      "00189307": { vr: "UV", Value: [2n ** 64n - 1n] },
      "00189308": { vr: "SV", Value: [new Uint8Array(8).fill(0xab).buffer] },
      "00189309": { vr: "OL", Value: [new Uint8Array(8).fill(1).buffer] },
      "00189310": { vr: "OD", Value: [new Float64Array([1, 2]).buffer] },
      "00189311": { vr: "OF", Value: [new Float32Array([3]).buffer] },
      "00189312": { vr: "UN", Value: [Uint8Array.of(1, 2, 3).buffer] },
      "00189313": { vr: "UC", Value: ["many", "values"] },
      "00189314": { vr: "UR", Value: ["https://example.org/a b"] },
      "00189315": { vr: "UT", Value: ["ü"] },
      "00189316": { vr: "ST", Value: [""] },
      "00189317": { vr: "SH", Value: ["SH"] },
      "00189318": { vr: "UI", Value: ["1.2.3.4", "1.2.840.10008.1.2"] },
      "00189319": { vr: "DT", Value: ["20240102101500.123+0100"] },
      "00189320": { vr: "OB", Value: [] },
      "00189321": { vr: "OW", Value: [new Uint16Array(40_000).fill(7).buffer] },
      "00189322": { vr: "US", Value: Array.from({ length: 33_000 }, (_, i) => i) },
      "00189323": { vr: "SQ", Value: [{}, { "00080100": { vr: "SH", Value: ["X"] } }] },
      "00189324": { vr: "SQ" },
      "00189325": { vr: "PN", Value: [] },
      "00189326": { vr: "PN", Value: ["Plain^String"] },
      // A String object: the output's size estimate does not count it, so the buffer must grow.
      "00189327": { vr: "LO", Value: [new String("y".repeat(100_000))] },
      "7FE00010": { vr: "OB", Value: [Uint8Array.of(1, 2, 3).buffer] },
    };
    expectSameBytes({ meta, dict });
    for (const uid of ["1.2.840.10008.1.2", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1.98"]) {
      expectSameBytes({ meta: { ...meta, "00020010": { vr: "UI", Value: [uid] } }, dict });
    }
  });

  it("hands back its bytes at the start of a buffer with nothing but zeros after them", () => {
    const file = readDicomFile(part10("1.2.840.10008.1.2.1", imageDataset({ rows: 64, columns: 64 })), "image.dcm");
    const bytes = encodePart10(part10Parts(file).meta, part10Parts(file).dict);
    expect(bytes.byteOffset).toBe(0);
    expect(new Uint8Array(bytes.buffer, bytes.byteLength).every((b) => b === 0)).toBe(true);
  });

  it("a meta without a transfer syntax: explicit VR little endian, written into the meta", () => {
    expectSameBytes({ meta: { "00020002": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7"] } }, dict: { "00080060": { vr: "CS", Value: ["OT"] } } });
  });
});

const manifest = loadManifest();

describe.skipIf(!manifest)(`encodePart10 writes what dcmjs writes, on the shared fixtures (${manifest ? "present" : NO_FIXTURES})`, () => {
  const readable = (manifest?.dicom ?? []).filter((e) => e.expectedToParse && !e.path.endsWith("/DICOMDIR"));
  it.each(readable.map((e) => e.path))("%s: as read, and as de-identified with and without the dates option", (entryPath) => {
    let file;
    try {
      file = readDicomFile(fs.readFileSync(path.join(manifest!.dir, entryPath)), path.basename(entryPath));
    } catch (err) {
      if (err instanceof DicomReadError) return; // refused by default options; read.test.ts covers those
      throw err;
    }
    let parts: DicomFileParts;
    try {
      parts = part10Parts(file);
    } catch (err) {
      if (err instanceof DicomWriteError) return; // not writable at all; write.test.ts covers those
      throw err;
    }
    expectSameBytes(parts);
    expectSameBytes(part10Parts(deidentified(file, false)));
    expectSameBytes(part10Parts(deidentified(file, true)));
  });

  const pngs = manifest ? fs.readdirSync(path.join(manifest.dir, "png"), { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith(".png")) : [];
  it.each(pngs.slice(0, 4))("png/%s converted to Secondary Capture, and de-identified", (p) => {
    const parts = imageToSecondaryCapture(fs.readFileSync(path.join(manifest!.dir, "png", p)), p, { modality: "CR", patientId: "X" });
    expectSameBytes(part10Parts(parts as DicomFileParts));
    expectSameBytes(part10Parts(deidentified(parts as DicomFileParts, false)));
  });
});
