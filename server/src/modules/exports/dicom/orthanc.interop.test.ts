import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMultipartRelated } from "../../../platform/dicomweb/multipart.js";
import { hasOrthanc, NO_ORTHANC, startOrthanc, type OrthancPeer } from "../../../testing/orthanc.js";
import { writeSegmentation } from "./seg.js";
import { writeMeasurementReportSR } from "./sr.js";
import { ctImage, secondaryCaptureImage, sourceOf } from "./test-sources.js";
import type { MeasurementReportInput } from "./types.js";

type DicomJson = Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }>;

// Orthanc as a real archive: it takes our SR and SEG over STOW-RS, next to the images they describe.
describe.skipIf(!hasOrthanc())(`Orthanc stores our SR and SEG${hasOrthanc() ? "" : ` (${NO_ORTHANC})`}`, () => {
  let orthanc: OrthancPeer;
  beforeAll(async () => {
    orthanc = await startOrthanc();
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  async function stow(files: Uint8Array[]): Promise<DicomJson> {
    const { body, contentType } = buildMultipartRelated(files.map((f) => Buffer.from(f)));
    const res = await fetch(`${orthanc.dicomWebUrl}/studies`, { method: "POST", headers: { "content-type": contentType, accept: "application/dicom+json" }, body });
    expect(res.status).toBe(200);
    return (await res.json()) as DicomJson;
  }

  it.each([
    ["a CT image with geometry", ctImage],
    ["a Secondary Capture from a PNG", () => secondaryCaptureImage()],
  ])("accepts the image, then the SR and SEG about it, for %s", async (_name, makeImage) => {
    const image = makeImage();
    const source = sourceOf(image);
    const input: MeasurementReportInput = {
      source,
      reader: { id: "reader-1", displayName: "Reader 1" },
      project: { id: "project-1", name: "Interop" },
      caseKey: "case-1",
      labels: [{ name: "Finding A", value: true, confidence: 40 }],
      rois: [
        { id: "roi-1", className: "Lesion", kind: "rectangle", points: [[2, 2], [12.5, 9]] },
        { id: "roi-2", className: "Organ", kind: "freehand", points: [[5, 5], [25, 6], [15, 20]] },
      ],
      version: 1,
      submittedAt: new Date("2026-01-01T12:00:00Z"),
    };
    const sr = writeMeasurementReportSR(input);
    const seg = writeSegmentation(input);

    const first = await stow([image]);
    expect(first["00081198"]?.Value ?? []).toEqual([]);
    const answer = await stow([sr, seg]);
    // Failed SOP Sequence (0008,1198) empty (Orthanc sends it without items); both in Referenced SOP Sequence (0008,1199).
    expect(answer["00081198"]?.Value ?? []).toEqual([]);
    const stored = (answer["00081199"]?.Value ?? []).map((item) => item["00081155"]?.Value?.[0]);
    expect(stored).toHaveLength(2);

    const res = await fetch(`${orthanc.dicomWebUrl}/studies/${source.studyInstanceUid}/instances`, { headers: { accept: "application/dicom+json" } });
    const instances = (await res.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(instances.map((i) => i["00080016"]?.Value?.[0]).sort()).toEqual([source.sopClassUid, "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.88.34"].sort());
    expect(instances.map((i) => i["00080018"]?.Value?.[0])).toEqual(expect.arrayContaining(stored));
  });
});
