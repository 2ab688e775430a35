import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES, type ManifestDicomEntry } from "../../../testing/shared-fixtures.js";
import type { Dcmjs, DcmjsDataset } from "./dcmjs.js";
import { readDicomFile, type DicomFile } from "./read.js";
import { BE, IMPLICIT, LE, ascii, concat, element, encapsulatedPixelData, imageDataset, part10, sequence, us } from "./synthetic.js";
import { DicomWriteError, IMPLEMENTATION_CLASS_UID, writeDicomFile } from "./write.js";

const dcmjs = require("dcmjs") as Dcmjs;
// dcmjs, used here as an independent reader, logs every dictionary placeholder VR it meets.
dcmjs.log.getLogger("validation.dcmjs").setLevel("silent");

const EXPLICIT_LE_UID = "1.2.840.10008.1.2.1";
const IMPLICIT_LE_UID = "1.2.840.10008.1.2";
const BIG_ENDIAN_UID = "1.2.840.10008.1.2.2";
const DEFLATED_UID = "1.2.840.10008.1.2.1.99";
const JPEG_BASELINE_UID = "1.2.840.10008.1.2.4.50";

const hasDcmdump = (() => {
  try {
    execFileSync("dcmdump", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const value = (ds: DcmjsDataset, key: string) => ds[key]?.Value?.[0];
const roundTrip = (file: DicomFile) => readDicomFile(writeDicomFile(file), `${file.name} (rewritten)`);
const personName = (ds: DcmjsDataset) => {
  const pn = value(ds, "00100010") as { Alphabetic?: string; Ideographic?: string; Phonetic?: string } | undefined;
  return pn && [pn.Alphabetic ?? "", pn.Ideographic ?? "", pn.Phonetic ?? ""].join("=").replace(/=+$/, "");
};
function dcmjsRead(bytes: Uint8Array) {
  return dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Binary values as "length:sha256", an odd length counted with the one zero byte that writing
 * must add (PS3.5 7.1.1: values have even length); group lengths, which writing drops, left out.
 */
function comparable(ds: DcmjsDataset): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, el] of Object.entries(ds)) {
    if (key.endsWith("0000") || key === "7FE00001" || key === "7FE00002") continue;
    out[key] = {
      vr: el.vr,
      Value: (el.Value ?? []).map((v) => {
        if (el.vr === "SQ") return comparable(v as DcmjsDataset);
        if (!(v instanceof ArrayBuffer)) return v;
        const bytes = new Uint8Array(v);
        const even = bytes.length % 2 ? concat(bytes, Uint8Array.of(0)) : bytes;
        return `${even.length}:${createHash("sha256").update(even).digest("hex")}`;
      }),
    };
  }
  return out;
}

describe("writeDicomFile on data sets built in memory (no fixtures needed)", () => {
  it("writes preamble, DICM and file meta with a correct group length", () => {
    const out = writeDicomFile(readDicomFile(part10(EXPLICIT_LE_UID, imageDataset()), "a.dcm"));
    expect(out.subarray(0, 128).every((b) => b === 0)).toBe(true);
    expect(Buffer.from(out.subarray(128, 132)).toString("latin1")).toBe("DICM");
    const view = new DataView(out.buffer, out.byteOffset);
    expect([view.getUint16(132, true), view.getUint16(134, true)]).toEqual([0x0002, 0x0000]);
    const groupLength = view.getUint32(140, true);
    // The first element after the group is the data set's, not group 0002's.
    expect(view.getUint16(144 + groupLength, true)).toBe(0x0008);
    const reread = readDicomFile(out, "a.dcm");
    expect(value(reread.meta, "00020012")).toBe(IMPLEMENTATION_CLASS_UID);
    expect(value(reread.meta, "00020003")).toBe("1.2.3.4");
  });

  it.each([
    ["explicit VR little endian", LE, EXPLICIT_LE_UID],
    ["implicit VR little endian", IMPLICIT, IMPLICIT_LE_UID],
    ["explicit VR big endian", BE, BIG_ENDIAN_UID],
  ])("keeps %s and every value, pixels included", (_label, syntax, uid) => {
    const original = readDicomFile(part10(uid, imageDataset({ syntax, rows: 5, columns: 3 })), "img.dcm");
    const out = writeDicomFile(original);
    const reread = readDicomFile(out, "img.dcm");
    expect(reread.transferSyntaxUID).toBe(uid);
    expect(reread.dict).toEqual(original.dict);
    // dcmjs, an independent reader, sees the same pixels.
    expect(new Uint8Array(dcmjsRead(out).dict["7FE00010"]!.Value![0] as ArrayBuffer)).toEqual(new Uint8Array(original.dict["7FE00010"]!.Value![0] as ArrayBuffer));
  });

  it("gives a bare data set (no preamble, no meta) a Part 10 header", () => {
    const original = readDicomFile(imageDataset({ syntax: IMPLICIT }), "bare.dcm");
    const reread = readDicomFile(writeDicomFile(original), "bare.dcm");
    expect([reread.hasPreamble, reread.hasFileMeta, reread.transferSyntaxUID]).toEqual([true, true, IMPLICIT_LE_UID]);
    expect(reread.dict).toEqual(original.dict);
  });

  it("writes a deflated data set back as explicit VR little endian and says so in the meta", () => {
    const original = readDicomFile(part10(DEFLATED_UID, deflateRawSync(imageDataset())), "dfl.dcm");
    const out = writeDicomFile(original);
    const reread = readDicomFile(out, "dfl.dcm");
    expect(reread.transferSyntaxUID).toBe(EXPLICIT_LE_UID);
    expect(value(dcmjsRead(out).meta, "00020010")).toBe(EXPLICIT_LE_UID);
    expect(reread.dict).toEqual(original.dict);
  });

  it("writes text as UTF-8 under ISO_IR 192, so ISO 2022 names survive and other readers see them", () => {
    const name = ascii("Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B");
    const original = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset({ specificCharacterSet: "\\ISO 2022 IR 87", patientName: name })), "jp.dcm");
    const out = writeDicomFile(original);
    expect(Buffer.from(out).includes(Buffer.from("山田^太郎", "utf8"))).toBe(true);
    const reread = readDicomFile(out, "jp.dcm");
    expect(reread.specificCharacterSet).toBe("ISO_IR 192");
    expect(personName(reread.dict)).toBe("Yamada^Tarou=山田^太郎=やまだ^たろう");
    expect(dcmjsRead(out).dict["00100010"]!.Value).toEqual([{ Alphabetic: "Yamada^Tarou", Ideographic: "山田^太郎", Phonetic: "やまだ^たろう" }]);
  });

  it("declares ISO_IR 192 when Unicode text is written into a data set that declared no character set", () => {
    const file = readDicomFile(part10(EXPLICIT_LE_UID, imageDataset()), "a.dcm");
    file.dict["00100010"] = { vr: "PN", Value: [{ Alphabetic: "Müller^Jürgen" }] };
    const reread = roundTrip(file);
    expect(reread.specificCharacterSet).toBe("ISO_IR 192");
    expect(personName(reread.dict)).toBe("Müller^Jürgen");
  });

  it("writes an item's own character set as ISO_IR 192 too", () => {
    const item = concat(element(0x00080005, "CS", "ISO_IR 100"), element(0x00100010, "PN", ascii("J\xe9r\xf4me")));
    const file = readDicomFile(part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), sequence(0x00081140, [item]))), "sq.dcm");
    const reread = roundTrip(file);
    const rereadItem = (reread.dict["00081140"]!.Value as DcmjsDataset[])[0]!;
    expect(personName(rereadItem)).toBe("Jérôme");
  });

  it("writes DS and IS back exactly as read, even invalid ones", () => {
    const file = readDicomFile(part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), element(0x00180050, "DS", "1.0000000e-6"), element(0x00200013, "IS", "1A"))), "ds.dcm");
    const out = Buffer.from(writeDicomFile(file));
    expect(out.includes(Buffer.from("1.0000000e-6"))).toBe(true);
    expect(out.includes(Buffer.from("1A"))).toBe(true);
  });

  it("drops group lengths, which rewriting would make wrong", () => {
    const withGroupLength = concat(element(0x00080000, "UL", Uint8Array.of(12, 0, 0, 0)), element(0x00080016, "UI", "1.2"));
    const reread = roundTrip(readDicomFile(part10(EXPLICIT_LE_UID, withGroupLength), "gl.dcm"));
    expect(Object.keys(reread.dict)).toEqual(["00080016"]);
  });

  it("writes encapsulated frames one fragment each, with an offset table other readers follow", () => {
    const jpeg = (n: number) => Uint8Array.of(0xff, 0xd8, 0xff, n);
    const dataset = concat(
      element(0x00080016, "UI", "1.2"),
      element(0x00280008, "IS", "2"),
      us(0x00280010, [2]),
      us(0x00280011, [2]),
      encapsulatedPixelData([jpeg(1), Uint8Array.of(5, 6), jpeg(2)]),
    );
    const original = readDicomFile(part10(JPEG_BASELINE_UID, dataset), "enc.dcm");
    const out = writeDicomFile(original);
    const frames = (f: DcmjsDataset) => f["7FE00010"]!.Value!.map((v) => Array.from(new Uint8Array(v as ArrayBuffer)));
    expect(frames(readDicomFile(out, "enc.dcm").dict)).toEqual([
      [0xff, 0xd8, 0xff, 1, 5, 6],
      [0xff, 0xd8, 0xff, 2],
    ]);
    expect(frames(dcmjsRead(out).dict)).toEqual(frames(original.dict)); // dcmjs groups by the offset table
  });

  it("refuses native pixels (an icon) under a compressed transfer syntax rather than mislabel them", () => {
    const icon = concat(us(0x00280010, [2]), us(0x00280011, [2]), us(0x00280100, [8]), element(0x7fe00010, "OB", Uint8Array.of(1, 2, 3, 4)));
    const dataset = concat(element(0x00080016, "UI", "1.2"), sequence(0x00880200, [icon]), encapsulatedPixelData([Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)]));
    const file = readDicomFile(part10(JPEG_BASELINE_UID, dataset), "icon.dcm");
    expect(() => writeDicomFile(file)).toThrow(/native pixels \(e\.g\. an icon\) cannot be written under compressed transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50/);
    // The same icon in an uncompressed file is fine.
    const plain = readDicomFile(part10(EXPLICIT_LE_UID, concat(element(0x00080016, "UI", "1.2"), sequence(0x00880200, [icon]))), "icon.dcm");
    expect(roundTrip(plain).dict).toEqual(plain.dict);
  });

  it("refuses to rewrite a DICOMDIR", () => {
    const dicomdir = readDicomFile(part10(EXPLICIT_LE_UID, concat(element(0x00041130, "CS", "X"), sequence(0x00041220, [])), undefined), "DICOMDIR");
    dicomdir.meta["00020002"] = { vr: "UI", Value: ["1.2.840.10008.1.3.10"] };
    expect(() => writeDicomFile(dicomdir)).toThrow(DicomWriteError);
    expect(() => writeDicomFile(dicomdir)).toThrow("a DICOMDIR cannot be rewritten");
  });
});

// ---------------------------------------------------------------------------------------------

const manifest = loadManifest();

describe.skipIf(!manifest)(`round trip of the shared DICOM fixtures (${manifest ? "present" : NO_FIXTURES})`, () => {
  const readable = (manifest?.dicom ?? []).filter((e) => e.expectedToParse);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "concord-dicom-write-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  describe.each(readable.map((e) => [e.path, e] as const))("%s", (entryPath, entry) => {
    const original = () => readDicomFile(fs.readFileSync(path.join(manifest!.dir, entryPath)), path.basename(entryPath));

    if (entryPath.endsWith("/DICOMDIR")) {
      it("is refused: a DICOMDIR's offsets would not survive rewriting", () => {
        expect(() => writeDicomFile(original())).toThrow(DicomWriteError);
      });
      return;
    }

    it("writes and reads back the same UID, geometry, pixel bytes, name and every other value", () => {
      const before = original();
      const out = writeDicomFile(before);
      const after = readDicomFile(out, before.name);
      expect(after.sopInstanceUID).toBe(before.sopInstanceUID);
      expect([after.rows, after.columns, after.frames]).toEqual([before.rows, before.columns, before.frames]);
      expect(personName(after.dict)).toBe(personName(before.dict));
      const pixels = (f: DicomFile) => (f.dict["7FE00010"]?.Value ?? []) as ArrayBuffer[];
      expect(pixels(after).length).toBe(pixels(before).length);
      pixels(before).forEach((frame, i) => {
        const a = new Uint8Array(frame);
        const b = new Uint8Array(pixels(after)[i]!);
        // Same bytes; an odd-length value gains the one padding byte the standard requires.
        expect(b.length).toBe(a.length + (a.length % 2));
        expect(createHash("sha256").update(b.subarray(0, a.length)).digest("hex")).toBe(createHash("sha256").update(a).digest("hex"));
      });
      expect(comparable(after.dict)).toEqual(comparable(before.dict));
      // Where dcmjs could read the original (see the manifest's crossCheck), it reads the copy.
      const crossCheck = (entry as ManifestDicomEntry & { crossCheck?: { dcmjs_0_52_2?: string } }).crossCheck;
      if (crossCheck?.dcmjs_0_52_2 === "ok") expect(() => dcmjsRead(out)).not.toThrow();
    });

    it.skipIf(!hasDcmdump)(`DCMTK reads the written file${hasDcmdump ? "" : " (dcmdump not installed)"}`, () => {
      const file = path.join(scratch, entryPath.replace(/\//g, "_"));
      fs.writeFileSync(file, writeDicomFile(original()));
      expect(() => execFileSync("dcmdump", ["-q", file], { stdio: ["ignore", "ignore", "pipe"] })).not.toThrow();
    });
  });
});
