import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES } from "../../../testing/shared-fixtures.js";
import { code, CODES, writePart10 } from "./codes.js";
import { dcmjs } from "./dcmjs.js";
import { readMeasurementReportSR, SrImportError } from "./sr-import.js";
import { measurementReportDataset } from "./sr.js";
import { ctImage, secondaryCaptureImage, sourceOf } from "./test-sources.js";
import type { MeasurementReportInput } from "./types.js";

const sc = sourceOf(secondaryCaptureImage());
const input = (): MeasurementReportInput => ({
  source: sc,
  reader: { id: "reader-1", displayName: "Reader 1" },
  project: { id: "project-1", name: "Chest" },
  caseKey: "case-1",
  labels: [{ name: "Pneumothorax", value: true, confidence: 60 }],
  rois: [{ id: "roi-1", className: "Pneumothorax", kind: "rectangle", points: [[2, 3], [20, 25]] }],
  version: 1,
  submittedAt: new Date("2026-01-01T00:00:00Z"),
});
type Item = Record<string, any>;
const tree = () => measurementReportDataset(input()) as Item;
const child = (item: Item, meaning: string): Item => item.ContentSequence.find((c: Item) => c.ConceptNameCodeSequence?.[0]?.CodeMeaning === meaning);

const manifest = loadManifest();
const tid1500 = manifest?.dicom.find((e) => e.sopClassUID === "1.2.840.10008.5.1.4.1.1.88.34" && e.exercises?.some((x) => x.includes("TID 1500")));

describe("readMeasurementReportSR", () => {
  it.skipIf(!tid1500)(`imports the TID 1500 SR of the shared fixtures (highdicom's sr_document.dcm)${tid1500 ? "" : ` (${NO_FIXTURES})`}`, () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(manifest!.dir, tid1500!.path)));
    const report = readMeasurementReportSR(bytes, tid1500!.path);
    const raw = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Item;
    // Its one measurement group: a CIRCLE around (58, 52) through (69, 52) on the CT image it describes.
    const group = child(child(raw, "Imaging Measurements"), "Measurement Group");
    const region = child(group, "Image Region");
    const [cx, cy, px, py] = region.GraphicData as number[];
    const source = region.ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID as string;
    expect(report.sopInstanceUid).toBe(raw.SOPInstanceUID);
    expect(report.studyInstanceUid).toBe(raw.StudyInstanceUID);
    expect(report.rois).toHaveLength(1);
    const roi = report.rois[0]!;
    expect(roi).toMatchObject({ id: child(group, "Tracking Identifier").TextValue, className: child(group, "Finding").ConceptCodeSequence[0].CodeMeaning, kind: "freehand", sopInstanceUid: source, frame: null });
    expect(roi.className).toBe("Spinal cord");
    expect(roi.points).toHaveLength(64);
    for (const [x, y] of roi.points) expect(Math.hypot(x! - cx!, y! - cy!)).toBeCloseTo(Math.hypot(px! - cx!, py! - cy!), 6);
    expect(report.images.map((i) => i.sopInstanceUid)).toContain(source);
    expect(report.observer?.personName).toBe("Foo");
    expect(report.labels).toEqual([]);
    expect(report.warnings).toContain('Measurement Group "Planar ROI Measurements": CIRCLE read as a 64-vertex freehand outline');
    expect(report.warnings.some((w) => w.includes('NUM "Area of defined region"'))).toBe(true);
  });

  it("skips what it does not know, saying what, and keeps the rest", () => {
    const ds = tree();
    ds.ContentSequence.push({ RelationshipType: "CONTAINS", ValueType: "TEXT", ConceptNameCodeSequence: [{ CodeValue: "121073", CodingSchemeDesignator: "DCM", CodeMeaning: "Impression" }], TextValue: "fine" });
    const group = child(child(ds, "Imaging Measurements"), "Measurement Group");
    group.ContentSequence.push(
      new dcmjs.sr.valueTypes.NumContentItem({ name: CODES.pixelDataRows, value: 12, unit: CODES.pixels, relationshipType: "CONTAINS" }),
    );
    const qualitative = child(ds, "Qualitative Evaluations");
    qualitative.ContentSequence.push(new dcmjs.sr.valueTypes.TextContentItem({ name: CODES.finding, value: "free text", relationshipType: "CONTAINS" }));
    const report = readMeasurementReportSR(writePart10(ds));
    expect(report.labels).toEqual([{ name: "Pneumothorax", value: true, confidence: 60, sopInstanceUid: sc.sopInstanceUid }]);
    expect(report.rois.map((r) => [r.id, r.kind, r.points])).toEqual([["roi-1", "rectangle", [[2, 3], [20, 25]]]]);
    expect(report.warnings).toEqual([
      'Measurement Group "roi-1": skipped NUM "Pixel Data Rows"',
      'Qualitative Evaluations: skipped TEXT "Finding" (not a present/absent finding)',
      'skipped TEXT "Impression" in the report root',
    ]);
  });

  it("takes a code meaning with a backslash (several values once read) as the one text it was", () => {
    const ds = tree();
    const group = child(child(ds, "Imaging Measurements"), "Measurement Group");
    child(group, "Finding").ConceptCodeSequence[0].CodeMeaning = "Left\\Right";
    const evaluation = child(ds, "Qualitative Evaluations").ContentSequence[0];
    evaluation.ConceptNameCodeSequence[0].CodeMeaning = "Pneumo\\thorax";
    const report = readMeasurementReportSR(writePart10(ds));
    expect(report.rois.map((r) => r.className)).toEqual(["Left\\Right"]);
    expect(report.labels.map((l) => l.name)).toEqual(["Pneumo\\thorax"]);
  });

  it("reads an unmarked outline as freehand, a POINT (or a MULTIPOINT of one) as a point, and skips several points and 3D coordinates with a warning", () => {
    const ds = tree();
    const group = child(child(ds, "Imaging Measurements"), "Measurement Group");
    group.ContentSequence = group.ContentSequence.filter((c: Item) => c.ConceptNameCodeSequence[0].CodeMeaning !== "ROI shape");
    const measurements = child(ds, "Imaging Measurements");
    const scoord = (id: string, GraphicType: string, GraphicData: number[]) => {
      const copy = JSON.parse(JSON.stringify(group));
      copy.ContentSequence[0].TextValue = id;
      Object.assign(child(copy, "Image Region"), { GraphicType, GraphicData });
      return copy;
    };
    const volume = JSON.parse(JSON.stringify(group));
    volume.ContentSequence[0].TextValue = "a volume";
    Object.assign(child(volume, "Image Region"), { ValueType: "SCOORD3D", ReferencedFrameOfReferenceUID: "1.2.3", GraphicData: [0, 0, 0, 1, 0, 0, 1, 1, 0] });
    measurements.ContentSequence.push(
      scoord("a point", "POINT", [5.5, 6.25]),
      scoord("one of many", "MULTIPOINT", [7, 8]),
      scoord("two points", "MULTIPOINT", [1, 2, 3, 4]),
      scoord("a bad point", "POINT", [1, 2, 3, 4]),
      volume,
    );
    const report = readMeasurementReportSR(writePart10(ds));
    expect(report.rois.map((r) => [r.id, r.kind, r.points, r.sopInstanceUid])).toEqual([
      ["roi-1", "freehand", [[2, 3], [20, 3], [20, 25], [2, 25]], sc.sopInstanceUid],
      ["a point", "point", [[5.5, 6.25]], sc.sopInstanceUid],
      ["one of many", "point", [[7, 8]], sc.sopInstanceUid],
    ]);
    expect(report.warnings).toEqual([
      'Measurement Group "two points": a MULTIPOINT of 2 points is not one landmark; skipped',
      'Measurement Group "a bad point": POINT with 2 points is malformed; skipped',
      'Measurement Group "a volume": skipped SCOORD3D "Image Region"',
      'Measurement Group "a volume": no 2D Image Region (SCOORD); skipped',
    ]);
  });

  it("reads an open POLYLINE of two distinct points as a line, its ends in the order written, its Length NUM kept quiet; a Length beside an area, a one-place line and a one-point polyline are warnings", () => {
    const ds = tree();
    const group = child(child(ds, "Imaging Measurements"), "Measurement Group");
    group.ContentSequence = group.ContentSequence.filter((c: Item) => c.ConceptNameCodeSequence[0].CodeMeaning !== "ROI shape");
    const measurements = child(ds, "Imaging Measurements");
    const length = (value: number, name = CODES.length) => new dcmjs.sr.valueTypes.NumContentItem({ name, value, unit: CODES.millimetre, relationshipType: "CONTAINS" });
    const scoord = (id: string, GraphicData: number[], ...more: Item[]) => {
      const copy = JSON.parse(JSON.stringify(group));
      copy.ContentSequence[0].TextValue = id;
      Object.assign(child(copy, "Image Region"), { GraphicType: "POLYLINE", GraphicData });
      copy.ContentSequence.push(...more);
      return copy;
    };
    measurements.ContentSequence.push(
      scoord("a line", [9, 8.5, 1.25, 2], length(7.5)),
      // An older report's code for Length (SNOMED RT).
      scoord("an older line", [1, 1, 2, 2], length(1.4, code("G-A22A", "SRT", "Length"))),
      scoord("one place", [4, 4, 4, 4]),
      scoord("one point", [4, 4]),
    );
    // The rectangle's group with a Length of its own: a measurement Concord does not keep.
    group.ContentSequence.push(length(3));
    const report = readMeasurementReportSR(writePart10(ds));
    expect(report.rois.map((r) => [r.id, r.kind, r.points])).toEqual([
      ["roi-1", "freehand", [[2, 3], [20, 3], [20, 25], [2, 25]]],
      ["a line", "line", [[9, 8.5], [1.25, 2]]],
      ["an older line", "line", [[1, 1], [2, 2]]],
    ]);
    expect(report.warnings).toEqual([
      'Measurement Group "roi-1": skipped NUM "Length"',
      'Measurement Group "one place": a polyline whose two points are one place is no line; skipped',
      'Measurement Group "one point": a 1-point polyline is neither a line nor a region; skipped',
    ]);
  });

  it("reads a line nested in its Length NUM (INFERRED FROM a two-point SCOORD), as OHIF writes a length", () => {
    const ds = tree();
    const measurements = child(ds, "Imaging Measurements");
    const group = child(measurements, "Measurement Group");
    const ohif = JSON.parse(JSON.stringify(group));
    ohif.ContentSequence[0].TextValue = "ohif length";
    ohif.ContentSequence = ohif.ContentSequence.filter((c: Item) => c.ConceptNameCodeSequence[0].CodeMeaning !== "ROI shape");
    const region = child(ohif, "Image Region");
    ohif.ContentSequence = ohif.ContentSequence.filter((c: Item) => c !== region);
    const length = new dcmjs.sr.valueTypes.NumContentItem({ name: CODES.length, value: 12.5, unit: CODES.millimetre, relationshipType: "CONTAINS" }) as Item;
    length.ContentSequence = [{ ...region, RelationshipType: "INFERRED FROM", GraphicType: "POLYLINE", GraphicData: [3, 4, 15.5, 4] }];
    ohif.ContentSequence.push(length);
    measurements.ContentSequence.push(ohif);
    const report = readMeasurementReportSR(writePart10(ds));
    expect(report.rois.map((r) => [r.id, r.kind, r.points])).toEqual([
      ["roi-1", "rectangle", [[2, 3], [20, 25]]],
      ["ohif length", "line", [[3, 4], [15.5, 4]]],
    ]);
    expect(report.warnings).toEqual([]);
    // A Length nesting an area rather than a line: the area is read, the Length is a measurement Concord does not keep.
    length.ContentSequence[0].GraphicData = [1, 1, 9, 1, 9, 9, 1, 1];
    const area = readMeasurementReportSR(writePart10(ds));
    expect(area.rois.map((r) => [r.id, r.kind])).toEqual([
      ["roi-1", "rectangle"],
      ["ohif length", "freehand"],
    ]);
    expect(area.warnings).toEqual(['Measurement Group "ohif length": skipped NUM "Length"']);
  });

  it("refuses what is not a TID 1500 report, naming what is missing", () => {
    const expectError = (bytes: Uint8Array, message: string | RegExp) => expect(() => readMeasurementReportSR(bytes, "upload.dcm")).toThrowError(message instanceof RegExp ? message : new RegExp(message.replace(/[()[\]. ]/g, (c) => `\\${c}`)));
    expect(() => readMeasurementReportSR(new Uint8Array([1, 2, 3]), "upload.dcm")).toThrow(SrImportError);
    expectError(new Uint8Array([1, 2, 3]), /^upload\.dcm: not a readable DICOM file/);
    expectError(ctImage(), /upload\.dcm: not a structured report \(SOP Class UID 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2\)/);

    const noContent = tree();
    delete noContent.ContentSequence;
    expectError(writePart10(noContent), "upload.dcm: the report content (Content Sequence (0040,A730)) is missing");

    const noTitle = tree();
    delete noTitle.ConceptNameCodeSequence;
    expectError(writePart10(noTitle), "upload.dcm: the document title (Concept Name Code Sequence (0040,A043)) is missing");

    const otherDocument = tree();
    otherDocument.ConceptNameCodeSequence = [{ CodeValue: "11528-7", CodingSchemeDesignator: "LN", CodeMeaning: "Radiology Report" }];
    delete otherDocument.ContentTemplateSequence;
    expectError(writePart10(otherDocument), 'upload.dcm: the document "Radiology Report" is not a TID 1500 Measurement Report');

    const noStudy = tree();
    delete noStudy.StudyInstanceUID;
    expectError(writePart10(noStudy), "upload.dcm: Study Instance UID (0020,000D) is missing");
  });
});
