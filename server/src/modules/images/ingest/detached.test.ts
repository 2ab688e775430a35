import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NO_FIXTURES, sharedFixturesDir } from "../../../testing/shared-fixtures.js";
import { concatBytes, NIFTI_DATATYPE, niftiFile, niftiPair, nrrdData, nrrdFile, type NiftiOptions, type NrrdOptions } from "../../../testing/volumes.js";
import { niftiMagic, readNifti } from "../convert/nifti.js";
import { readNrrd } from "../convert/nrrd.js";
import { readDicomFile } from "../dicom/read.js";
import type { Expanded } from "./archives.js";
import { joinDetached } from "./detached.js";
import { prepareInstance } from "./prepare.js";
import { IngestRefusal, type PrepareOptions } from "./prepared.js";

const opts: PrepareOptions = { projectKey: new Uint8Array(32).fill(9), retainLongitudinalModifiedDates: false };

const VALUES = Array.from({ length: 4 * 3 * 2 }, (_, n) => n * 300 - 3000);
const NRRD: NrrdOptions = {
  type: "short",
  sizes: [4, 3, 2],
  values: VALUES,
  space: "right-anterior-superior",
  spaceDirections: [
    [0.5, 0, 0],
    [0, 0.5, 0],
    [0, 0, 2],
  ],
  spaceOrigin: [1, 2, 3],
  kinds: ["domain", "domain", "domain"],
};
const nhdr = (dataFile: string, more: Partial<NrrdOptions> = {}) => nrrdFile({ ...NRRD, ...more, dataFile });
const file = (name: string, bytes: Uint8Array): Expanded => ({ name, bytes });
const bytesOf = (e: Expanded | undefined) => {
  if (!e || !("bytes" in e)) throw new Error(`no bytes in ${JSON.stringify(e)}`);
  return e.bytes;
};
const int16s = (data: Uint8Array) => [...new Int16Array(data.buffer, data.byteOffset, data.byteLength / 2)];

/** What a stored file holds: its size and its pixel data. */
function stored(name: string, bytes: Uint8Array) {
  const out = prepareInstance({ name, bytes }, opts);
  const back = readDicomFile(out.bytes, name);
  return { rows: out.rows, columns: out.columns, frames: out.frames, sopClassUid: out.sopClassUid, pixels: Buffer.from(back.dict["7FE00010"]!.Value![0] as ArrayBuffer).toString("hex") };
}

describe("joinDetached: NRRD", () => {
  it("joins a header and its data file in the same folder", () => {
    const files = [file("study/ball.nhdr", nhdr("ball.raw")), { name: "study/notes.txt", refused: "study/notes.txt: not an image" }, file("study/ball.raw", nrrdData(NRRD))];
    const out = joinDetached(files);
    expect(out).toHaveLength(3);
    expect(out[0]!.name).toBe("study/ball.nhdr");
    const joined = bytesOf(out[0]);
    expect(Buffer.from(joined).toString("latin1")).not.toMatch(/data ?file/i);
    const v = readNrrd(joined, "study/ball.nhdr");
    expect(int16s(v.data)).toEqual(VALUES);
    expect(v.sizes).toEqual([4, 3, 2]);
    expect(v.geometry?.origin).toEqual([-1, -2, 3]);
    expect(out[1]).toBe(files[1]);
    expect(out[2]).toEqual({ name: "study/ball.raw", ignored: "study/ball.raw: the image data of study/ball.nhdr, stored with it" });
    // The input is left as it was.
    expect(files[0]).toEqual(file("study/ball.nhdr", nhdr("ball.raw")));
  });

  it.each([
    ["a/b/h.nhdr", "./x.raw", "a/b/x.raw"],
    ["a/b/h.nhdr", "../sub/x.raw", "a/sub/x.raw"],
    ["a/b/h.nhdr", "sub/./deeper/../x.raw", "a/b/sub/x.raw"],
    ["a\\b\\h.nhdr", "x.raw", "a\\b\\x.raw"],
    ["h.nhdr", "x.raw", "x.raw"],
  ])("resolves %s naming %s to %s", (header, dataFile, dataName) => {
    // A decoy beside the header, of the name a resolution that ignored "./" and "../" would find.
    const decoy = dataName.replace(/\\/g, "/") !== "a/b/x.raw" ? [file("a/b/x.raw", new Uint8Array(48))] : [];
    const files = [...decoy, file(dataName, nrrdData(NRRD)), file(header, nhdr(dataFile))];
    const out = joinDetached(files);
    expect(int16s(readNrrd(bytesOf(out.find((f) => f.name === header)), header).data)).toEqual(VALUES);
    expect(out.find((f) => f.name === dataName)).toEqual({ name: dataName, ignored: `${dataName}: the image data of ${header}, stored with it` });
    if (decoy.length) expect(out[0]).toBe(files[0]);
  });

  it("stores the joined volume as it stores the attached form", () => {
    const attached = stored("vol.nrrd", nrrdFile(NRRD));
    expect(attached).toMatchObject({ rows: 3, columns: 4, frames: 2 });
    const joined = joinDetached([file("up/vol.nhdr", nhdr("vol.raw")), file("up/vol.raw", nrrdData(NRRD))]);
    expect(stored("up/vol.nhdr", bytesOf(joined[0]))).toEqual(attached);
    // Gzip data, skips and big-endian samples survive the join too.
    const packed: NrrdOptions = { ...NRRD, encoding: "gzip", endian: "big", lineSkip: 1, byteSkip: 3, skippedLines: ["a line"], skippedBytes: new Uint8Array([7, 7, 7]) };
    const joinedPacked = joinDetached([file("up/vol.nhdr", nhdr("vol.raw.gz", packed)), file("up/vol.raw.gz", nrrdData(packed))]);
    expect(stored("up/vol.nhdr", bytesOf(joinedPacked[0]))).toEqual(attached);
  });

  it("leaves a header whose data file is missing, and ingest refuses it naming that file", () => {
    const files = [file("up/h.nhdr", nhdr("missing.raw")), file("up/other.raw", nrrdData(NRRD))];
    const out = joinDetached(files);
    expect(out).toEqual(files);
    expect(out[0]).toBe(files[0]);
    expect(() => prepareInstance({ name: "up/h.nhdr", bytes: bytesOf(out[0]) }, opts)).toThrow(IngestRefusal);
    expect(() => prepareInstance({ name: "up/h.nhdr", bytes: bytesOf(out[0]) }, opts)).toThrow(/^up\/h\.nhdr: its data is in "missing\.raw", which was not uploaded with it$/);
    // The lone data file is refused for want of a header.
    expect(() => prepareInstance({ name: "up/other.raw", bytes: bytesOf(out[1]) }, opts)).toThrow(/^up\/other\.raw: raw image data with no header/);
  });

  it("does not join a data file of the same name in another folder", () => {
    const files = [file("a/h.nhdr", nhdr("x.raw")), file("b/x.raw", nrrdData(NRRD)), file("a/sub/x.raw", nrrdData(NRRD))];
    expect(joinDetached(files)).toEqual(files);
  });

  it("leaves headers it cannot join for their reader to refuse", () => {
    const list = file("up/list.nhdr", nhdr("LIST"));
    const self = file("up/self.nhdr", nhdr("self.nhdr"));
    const broken = file("up/broken.nhdr", new TextEncoder().encode("NRRD0004\ndata file: x.raw\n" + "y".repeat(10)));
    const files = [list, self, broken, file("up/x.raw", nrrdData(NRRD))];
    const out = joinDetached(files);
    expect(out[0]).toBe(list);
    expect(out[1]).toBe(self);
    expect(() => prepareInstance({ name: "up/list.nhdr", bytes: bytesOf(out[0]) }, opts)).toThrow(/^up\/list\.nhdr: data file "LIST": data split over several files is not supported/);
  });

  const fixtures = sharedFixturesDir();
  const dir = fixtures ? path.join(fixtures, "nrrd") : "";
  const present = fixtures !== null && ["BallBinary30x30x30.nhdr", "BallBinary30x30x30.raw", "BallBinary30x30x30.nrrd"].every((n) => fs.existsSync(path.join(dir, n)));
  it.skipIf(!present)(`joins the pynrrd ball's .nhdr and .raw to what its .nrrd stores (${present ? "fixtures present" : `${NO_FIXTURES}; nrrd/BallBinary30x30x30.*`})`, () => {
    const load = (n: string) => new Uint8Array(fs.readFileSync(path.join(dir, n)));
    const out = joinDetached([file("ball/BallBinary30x30x30.nhdr", load("BallBinary30x30x30.nhdr")), file("ball/BallBinary30x30x30.raw", load("BallBinary30x30x30.raw"))]);
    expect(out[1]).toMatchObject({ ignored: expect.stringContaining("ball/BallBinary30x30x30.nhdr") });
    const joined = stored("ball/BallBinary30x30x30.nhdr", bytesOf(out[0]));
    expect(joined).toEqual(stored("BallBinary30x30x30.nrrd", load("BallBinary30x30x30.nrrd")));
    expect(joined).toMatchObject({ rows: 30, columns: 30, frames: 30 });
  });
});

describe("joinDetached: NIfTI .hdr and .img", () => {
  const NIFTI: Omit<NiftiOptions, "magic" | "version"> = {
    datatype: NIFTI_DATATYPE.int16,
    dims: [4, 3, 2],
    pixdim: [0.5, 0.5, 2],
    values: VALUES,
    qformCode: 1,
    qoffset: [10, 20, 30],
    sclSlope: 2,
    sclInter: 1,
  };

  it.each([true, false])("joins a ni1 pair into a readable n+1 file (little endian: %s)", (littleEndian) => {
    const { hdr, img } = niftiPair({ ...NIFTI, littleEndian });
    expect(niftiMagic(hdr)).toBe("ni1");
    expect(hdr.length).toBe(348);
    const files = [file("scans/t1.hdr", hdr), file("scans/t1.img", img)];
    const out = joinDetached(files);
    const joined = bytesOf(out[0]);
    expect(niftiMagic(joined)).toBe("n+1");
    expect(joined.length).toBe(352 + 48);
    const v = readNifti(joined, "scans/t1.hdr");
    expect(v).toEqual(readNifti(niftiFile({ ...NIFTI, littleEndian }), "t1.nii"));
    expect(int16s(v.data)).toEqual(VALUES);
    expect([v.slope, v.intercept]).toEqual([2, 1]);
    expect(out[1]).toEqual({ name: "scans/t1.img", ignored: "scans/t1.img: the image data of scans/t1.hdr, stored with it" });
    expect(stored("scans/t1.hdr", joined)).toEqual(stored("t1.nii", niftiFile({ ...NIFTI, littleEndian })));
  });

  it("leaves a lone header or a .img in another folder, and ingest refuses each", () => {
    const { hdr, img } = niftiPair(NIFTI);
    const files = [file("a/t1.hdr", hdr), file("b/t1.img", img)];
    const out = joinDetached(files);
    expect(out).toEqual(files);
    expect(() => prepareInstance({ name: "a/t1.hdr", bytes: hdr }, opts)).toThrow(/^a\/t1\.hdr: a NIfTI header whose image is in a separate \.img file/);
    expect(() => prepareInstance({ name: "b/t1.img", bytes: img }, opts)).toThrow(/^b\/t1\.img: raw image data with no header/);
    // A single-file NIfTI is never joined with a .img beside it.
    const single = [file("c/t1.hdr", niftiFile(NIFTI)), file("c/t1.img", img)];
    expect(joinDetached(single)).toEqual(single);
  });

  it("joins an upper-case T1.HDR and T1.IMG", () => {
    const { hdr, img } = niftiPair(NIFTI);
    const out = joinDetached([file("old/T1.HDR", hdr), file("old/T1.IMG", img)]);
    expect(niftiMagic(bytesOf(out[0]))).toBe("n+1");
    expect(int16s(readNifti(bytesOf(out[0]), "old/T1.HDR").data)).toEqual(VALUES);
    expect(out[1]).toMatchObject({ ignored: "old/T1.IMG: the image data of old/T1.HDR, stored with it" });
  });

  // In a .hdr/.img pair vox_offset is where the image starts in the .img (nifti1.h): the bytes
  // before it are not voxels.
  it("honours a ni1 header's vox_offset into its .img", () => {
    const { hdr, img } = niftiPair({ ...NIFTI, voxOffset: 16 });
    const out = joinDetached([file("t1.hdr", hdr), file("t1.img", concatBytes(new Uint8Array(16).fill(0x55), img))]);
    expect(int16s(readNifti(bytesOf(out[0]), "t1.hdr").data)).toEqual(VALUES);
  });
});
