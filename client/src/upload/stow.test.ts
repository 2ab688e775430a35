import { describe, expect, it } from "vitest";
import { multipartBody, planBatches, stowUrl } from "./stow";

const file = (name: string, size: number) => Object.assign(new Blob([new Uint8Array(size)]), { name, lastModified: 0, webkitRelativePath: "" }) as unknown as File;

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
});
