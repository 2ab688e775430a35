import { afterAll, describe, expect, it } from "vitest";
import { writeSegmentation } from "../modules/exports/dicom/seg.js";
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
});
