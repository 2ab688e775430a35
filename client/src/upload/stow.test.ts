import { describe, expect, it } from "vitest";
import { multipartBody, nrrdDataFileName, planBatches, planUpload, stowUrl } from "./stow";

const file = (name: string, size: number) => Object.assign(new Blob([new Uint8Array(size)]), { name, lastModified: 0, webkitRelativePath: "" }) as unknown as File;

/** A File as a folder upload gives it: its name, and its path under the chosen folder. */
const picked = (path: string, content: string | number) => {
  const f = new File([typeof content === "number" ? new Uint8Array(content) : content], path.slice(path.lastIndexOf("/") + 1));
  if (path.includes("/")) Object.defineProperty(f, "webkitRelativePath", { value: path });
  return f;
};
const nhdr = (dataFile: string) => `NRRD0004\ntype: uint8\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: ${dataFile}\n`;
const names = (plans: Array<{ files: File[] }>) => plans.map((b) => b.files.map((f) => f.webkitRelativePath || f.name));

describe("browser uploads", () => {
  it("puts Concord's case naming and upload id in the STOW-RS URL only when given", () => {
    expect(stowUrl("p 1")).toBe("/dicomweb/projects/p%201/studies");
    expect(stowUrl("p", { caseKeys: "PATIENT_ID", uploadId: "u-1" })).toBe("/dicomweb/projects/p/studies?caseKeys=PATIENT_ID&upload=u-1");
    expect(stowUrl("p", { caseKeys: null, uploadId: "u" })).toBe("/dicomweb/projects/p/studies?upload=u");
  });

  it("plans batches by count and size, a large file alone", () => {
    const files = [file("a", 10), file("b", 10), file("c", 10), file("big", 1000), file("d", 10)];
    expect(planBatches(files, 2, 100).map((b) => b.files.map((f) => f.name))).toEqual([["a", "b"], ["c"], ["big"], ["d"]]);
    expect(planBatches([], 2, 100)).toEqual([]);
  });

  it("builds a multipart/related body naming each file", async () => {
    const body = await multipartBody([file("x.dcm", 3), file('évil"\r\nname.png', 1)], "B").text();
    expect(body).toContain("--B\r\nContent-Type: application/dicom\r\nContent-Location: x.dcm\r\n\r\n");
    expect(body).toContain("Content-Location: %C3%A9vil%22%0D%0Aname.png\r\n");
    expect(body.endsWith("--B--\r\n")).toBe(true);
  });

  it("reads the data file a detached NRRD header names, only in its single-file form", () => {
    expect(nrrdDataFileName(nhdr("vol.raw"))).toBe("vol.raw");
    expect(nrrdDataFileName("NRRD0005\r\n# a comment\r\nDataFile:  sub/v.raw.gz \r\n")).toBe("sub/v.raw.gz");
    expect(nrrdDataFileName("NRRD0004\ntype: uint8\n")).toBeNull();
    expect(nrrdDataFileName(nhdr("LIST"))).toBeNull();
    expect(nrrdDataFileName(nhdr("slice%03d.raw 1 10 1"))).toBeNull();
    expect(nrrdDataFileName("NRRD0004\ndata file:=note\n")).toBeNull();
    expect(nrrdDataFileName("NRRD0004\n\ndata file: after.raw\n")).toBeNull();
    expect(nrrdDataFileName("not nrrd\ndata file: x.raw\n")).toBeNull();
  });

  it("keeps an NRRD header with its data file in one batch, where the limits would split them", async () => {
    const files = [picked("a.dcm", 10), picked("b.dcm", 10), picked("vol.nhdr", nhdr("vol.raw")), picked("c.dcm", 10), picked("vol.raw", 60), picked("d.dcm", 10)];
    // By count: planBatches alone would part them; planned as one group, they share a batch.
    expect(names(planBatches(files, 2, 1000))).toEqual([["a.dcm", "b.dcm"], ["vol.nhdr", "c.dcm"], ["vol.raw", "d.dcm"]]);
    expect(names(await planUpload(files, 2, 1000))).toEqual([["a.dcm", "b.dcm"], ["vol.nhdr", "vol.raw"], ["c.dcm", "d.dcm"]]);
    // By size: the pair is over the limit, so it goes alone.
    expect(names(await planUpload(files, 25, 50))).toEqual([["a.dcm", "b.dcm"], ["vol.nhdr", "vol.raw"], ["c.dcm", "d.dcm"]]);
    // Files without companions are planned as planBatches plans them.
    const plain = [picked("a.dcm", 10), picked("b.dcm", 10), picked("c.dcm", 10), picked("big.dcm", 1000), picked("d.dcm", 10)];
    expect(names(await planUpload(plain, 2, 100))).toEqual(names(planBatches(plain, 2, 100)));
    expect(await planUpload([], 2, 100)).toEqual([]);
  });

  it("resolves the data file against the header's folder, and groups nothing across folders", async () => {
    const files = [
      picked("s1/vol.nhdr", nhdr("./data/vol.raw")),
      picked("s2/vol.raw", 10),
      picked("s2/vol.nhdr", nhdr("../s1/data/vol.raw")),
      picked("x.dcm", 10),
      picked("s1/data/vol.raw", 10),
      picked("s3/vol.nhdr", nhdr("vol.raw")),
      picked("s3/other/vol.raw", 10),
    ];
    // s1's data file is named by both headers: the three travel together; s2/vol.raw is named by none,
    // and s3's header names a file not chosen (s3/vol.raw), so the same stem elsewhere is not its data.
    expect(names(await planUpload(files, 1, 1000))).toEqual([
      ["s1/vol.nhdr", "s2/vol.nhdr", "s1/data/vol.raw"],
      ["s2/vol.raw"],
      ["x.dcm"],
      ["s3/vol.nhdr"],
      ["s3/other/vol.raw"],
    ]);
  });

  it("batches a header normally when the file it names is not chosen", async () => {
    const files = [picked("a.nhdr", nhdr("missing.raw")), picked("b.nhdr", nhdr("LIST")), picked("missing.img", 10), picked("c.dcm", 10)];
    expect(names(await planUpload(files, 1, 1000))).toEqual([["a.nhdr"], ["b.nhdr"], ["missing.img"], ["c.dcm"]]);
  });

  it("pairs a NIfTI .hdr with the .img of the same stem in the same folder", async () => {
    const files = [
      picked("p/brain.hdr", 348),
      picked("p/brain.nii", 10),
      picked("q/brain.img", 10),
      picked("p/brain.img", 100),
      picked("q/other.hdr", 348),
      picked("brain.img", 10),
    ];
    expect(names(await planUpload(files, 1, 200))).toEqual([["p/brain.hdr", "p/brain.img"], ["p/brain.nii"], ["q/brain.img"], ["q/other.hdr"], ["brain.img"]]);
    // Without folders (files chosen one by one), by name alone.
    expect(names(await planUpload([picked("t1.hdr", 348), picked("t1.nii.gz", 10), picked("t1.img", 10)], 1, 1000))).toEqual([["t1.hdr", "t1.img"], ["t1.nii.gz"]]);
  });
});
