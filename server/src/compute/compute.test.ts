import { afterAll, describe, expect, it } from "vitest";
import { fitOutlines } from "../modules/exports/dicom/contours.js";
import { writeSegmentation } from "../modules/exports/dicom/seg.js";
import { niftiImageVolume } from "../modules/exports/nifti/write.js";
import { writeMeasurementReportSR } from "../modules/exports/dicom/sr.js";
import { ctImage, sourceOf } from "../modules/exports/dicom/test-sources.js";
import type { ExportRoi } from "../modules/exports/dicom/types.js";
import { threadedCompute } from "./compute.js";

// The export's DICOM writers on the compute threads: the same files as written inline (both are
// deterministic for the same input), and a Segmentation with no segment answered as null, not thrown.
const compute = threadedCompute();
afterAll(() => compute.close());

const source = sourceOf(ctImage());
const common = {
  source,
  reader: { id: "reader-1", displayName: "Reader Ünal 1" },
  project: { id: "project-1", name: "Chest" },
  caseKey: "case-7",
  version: 2,
  submittedAt: new Date("2026-02-03T04:05:06Z"),
};
const rois: ExportRoi[] = [
  { id: "a", className: "Nodule", kind: "rectangle", points: [[10.25, 12], [20.5, 30.75]] },
  { id: "b", className: "Consolidation", kind: "freehand", points: [[1, 1], [40.5, 3.25], [33, 50], [8.125, 44]] },
];

describe("DICOM export writers on a thread", () => {
  it("write the same SR and SEG as inline", async () => {
    const sr = { ...common, labels: [{ name: "Pneumonia", value: true, confidence: 80 }], rois };
    expect(Buffer.from(await compute.run("dicomSr", sr)).equals(Buffer.from(writeMeasurementReportSR(sr)))).toBe(true);
    const seg = { ...common, rois };
    expect(Buffer.from((await compute.run("dicomSeg", seg))!).equals(Buffer.from(writeSegmentation(seg)))).toBe(true);
  });

  it("answer null for a Segmentation with nothing to segment, and pass other errors on", async () => {
    expect(await compute.run("dicomSeg", { ...common, rois: [] })).toBeNull();
    await expect(compute.run("dicomSr", { ...common, labels: [], rois: [{ id: "d", className: "Nodule", kind: "freehand", points: [[1, 1]] }] })).rejects.toThrow();
  });

  it("move whole buffers to the thread (emptied here) and copy shared ones, with the same answer", async () => {
    const file = ctImage();
    const volume = { suffix: "", rows: 64, columns: 64, slices: [{ sopInstanceUid: "1.2.3", frame: 1 }], geometry: null, spacing: [1, 1, 1] as [number, number, number], notes: [] };
    const inline = niftiImageVolume({ volume, files: [{ sopInstanceUid: "1.2.3", bytes: file }] });
    const whole = file.slice();
    const moved = await compute.runMoving("niftiImage", [whole], { volume, files: [{ sopInstanceUid: "1.2.3", bytes: whole }] });
    expect(whole.byteLength).toBe(0);
    const pooled = new Uint8Array(file.length + 8);
    pooled.set(file, 4);
    const shared = pooled.subarray(4, 4 + file.length);
    const copied = await compute.runMoving("niftiImage", [shared], { volume, files: [{ sopInstanceUid: "1.2.3", bytes: shared }] });
    expect(shared.byteLength).toBe(file.length);
    for (const answer of [moved, copied]) expect("channels" in answer && Buffer.from(answer.channels[0]!).equals(Buffer.from((inline as { channels: Uint8Array[] }).channels[0]!))).toBe(true);
  });

  it("simplify an import's traced outlines on the thread as inline (the import's path for large masks)", async () => {
    const comb = Array.from({ length: 300 }, (_, i): Array<[number, number]> => [[2 * i, 0], [2 * i + 1, 0], [2 * i + 1, 1], [2 * i + 2, 1]]).flat();
    const outlines = [[...comb, [600, 10], [0, 10]] as Array<[number, number]>];
    const inline = fitOutlines(outlines, 800);
    expect(inline?.tolerance).toBe(0.75);
    expect(await compute.run("fitOutlines", outlines, 800)).toEqual(inline);
  });
});
