import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { classCode, labelCode, writePart10, writePart10WithDcmjs } from "./codes.js";
import { dcmjs } from "./dcmjs.js";
import { readMeasurementReportSR } from "./sr-import.js";
import { closedOutline, COMPREHENSIVE_3D_SR, measurementReportDataset, measurementReportUids, writeMeasurementReportSR } from "./sr.js";
import { hasTool, iodErrors, NO_DICOM3TOOLS } from "../../../testing/tools.js";
import { ctImage, NO_DCMTK, secondaryCaptureImage, sourceOf } from "./test-sources.js";
import type { MeasurementReportInput, Point, SourceImage } from "./types.js";

const run = promisify(execFile);
const ct = sourceOf(ctImage());
const sc = sourceOf(secondaryCaptureImage());

function report(overrides: Partial<MeasurementReportInput> = {}): MeasurementReportInput {
  return {
    source: ct,
    reader: { id: "0b6f2d9e-reader", displayName: "Reader Ünal 7" },
    project: { id: "4f1c-project", name: "Lung nodules" },
    caseKey: "case-0042",
    labels: [
      { name: "Pneumonia", value: true, confidence: 80 },
      { name: "Pleural effusion", value: false, confidence: 0 },
      { name: "Cardiomegaly", value: true, confidence: null },
    ],
    rois: [
      { id: "roi-a", className: "Nodule", kind: "rectangle", points: [[10.25, 12], [20.5, 30.75]] },
      { id: "roi-b", className: "Consolidation", kind: "freehand", points: [[1, 1], [40.5, 3.25], [33, 50], [8.125, 44]] },
      { id: "roi-c", className: "Nodule", kind: "freehand", points: [[50, 50], [60, 50], [60, 60], [50, 60]] },
    ],
    version: 3,
    submittedAt: new Date("2026-03-04T05:06:07.089Z"),
    ...overrides,
  };
}

/** A report with points (landmarks) besides an outline: one on a pixel's centre, one on the image's bottom-right corner. */
const withPoints = (source = ct) =>
  report({
    source,
    rois: [
      { id: "roi-a", className: "Nodule", kind: "rectangle", points: [[10.25, 12], [20.5, 30.75]] },
      { id: "pt-1", className: "Carina", kind: "point", points: [[10.5, 20.5]] },
      { id: "pt-2", className: "Carina", kind: "point", points: [[source.columns, source.rows]] },
    ],
  });

/** A report with lines (lengths) besides an outline: one drawn from its lower end, one along the image's bottom edge. */
const withLines = (source: SourceImage = ct) =>
  report({
    source,
    rois: [
      { id: "roi-a", className: "Nodule", kind: "rectangle", points: [[10.25, 12], [20.5, 30.75]] },
      { id: "ln-1", className: "Diameter", kind: "line", points: [[13, 24], [10, 20]] },
      { id: "ln-2", className: "Diameter", kind: "line", points: [[0, source.rows], [source.columns, source.rows]] },
    ],
  });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-sr-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function saved(bytes: Uint8Array, name: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe("writeMeasurementReportSR", () => {
  it("reads back to the same labels and ROIs, on the source image", () => {
    const input = report();
    const back = readMeasurementReportSR(writeMeasurementReportSR(input));
    expect(back.warnings).toEqual([]);
    expect(back.labels).toEqual(input.labels.map((l) => ({ ...l, sopInstanceUid: ct.sopInstanceUid })));
    expect(back.rois.map(({ trackingUid: _, ...r }) => r)).toEqual(
      input.rois.map((r) => ({ id: r.id, className: r.className, kind: r.kind, points: r.points, sopInstanceUid: ct.sopInstanceUid, frame: null })),
    );
    expect(back.images).toEqual([
      { sopClassUid: ct.sopClassUid, sopInstanceUid: ct.sopInstanceUid, studyInstanceUid: ct.studyInstanceUid, seriesInstanceUid: ct.seriesInstanceUid, frameOfReferenceUid: ct.frameOfReferenceUid },
    ]);
    expect(back.observer).toEqual({ personName: "Reader Ünal 7" });
    expect(back.studyInstanceUid).toBe(ct.studyInstanceUid);
  });

  it("names each region's frame on a multi-frame image, and no frame on a single-frame one", () => {
    const multi = { ...sc, frames: 6 };
    const rois = report().rois.map((r, i) => ({ ...r, frame: [3, 1, 6][i]! }));
    const back = readMeasurementReportSR(writeMeasurementReportSR(report({ source: multi, rois })));
    expect(back.warnings).toEqual([]);
    expect(back.rois.map((r) => [r.id, r.sopInstanceUid, r.frame])).toEqual(rois.map((r) => [r.id, sc.sopInstanceUid, r.frame]));
    const single = readMeasurementReportSR(writeMeasurementReportSR(report({ source: sc, rois })));
    expect(single.rois.map((r) => r.frame)).toEqual([null, null, null]);
  });

  it("round-trips random outlines, coordinates as float32 (FL) holds them", () => {
    const random = seededRandom(1500);
    const rois = Array.from({ length: 20 }, (_, i) => {
      const n = 3 + Math.floor(random() * 30);
      const points = Array.from({ length: n }, (): Point => [random() * 64, random() * 64]);
      return i % 2
        ? { id: `r${i}`, className: `Class ${i % 3}`, kind: "freehand" as const, points }
        : { id: `r${i}`, className: `Class ${i % 3}`, kind: "rectangle" as const, points: [[i, i + 1], [i + 10.5 + random(), i + 20]] as Point[] };
    });
    const back = readMeasurementReportSR(writeMeasurementReportSR(report({ rois })));
    expect(back.rois.map((r) => [r.id, r.className, r.kind, r.points])).toEqual(rois.map((r) => [r.id, r.className, r.kind, r.points.map(([x, y]) => [Math.fround(x), Math.fround(y)])]));
  });

  it("gives the same bytes and UIDs on a re-export, new ones for another version or reader", () => {
    const a = writeMeasurementReportSR(report());
    expect(Buffer.from(writeMeasurementReportSR(report())).equals(Buffer.from(a))).toBe(true);
    const uids = measurementReportUids(report());
    expect(uids.instance).toMatch(/^2\.25\.\d{1,39}$/);
    expect(measurementReportUids(report({ version: 4 })).instance).not.toBe(uids.instance);
    expect(measurementReportUids(report({ reader: { id: "other", displayName: "x" } })).instance).not.toBe(uids.instance);
    expect(measurementReportUids(report({ version: 4 })).series).toBe(uids.series);
  });

  it("parses with dcmjs as a Comprehensive 3D SR with Explicit VR Little Endian file meta", () => {
    const bytes = writeMeasurementReportSR(report({ source: sc }));
    const file = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer);
    const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.meta);
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, any>;
    expect(meta.TransferSyntaxUID).toBe("1.2.840.10008.1.2.1");
    expect(meta.MediaStorageSOPClassUID).toBe(COMPREHENSIVE_3D_SR);
    expect(meta.MediaStorageSOPInstanceUID).toBe(ds.SOPInstanceUID);
    expect(ds.SOPClassUID).toBe(COMPREHENSIVE_3D_SR);
    expect(ds.Modality).toBe("SR");
    expect(ds.StudyInstanceUID).toBe(sc.studyInstanceUid);
    expect(ds.PatientID).toBe("ANON-SC");
    expect(ds.ContentTemplateSequence[0].TemplateIdentifier).toBe("1500");
    expect(ds.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID).toBe(sc.sopInstanceUid);
    // No geometry on a Secondary Capture: the image library entry has no frame of reference.
    expect(JSON.stringify(ds)).not.toContain("112227");
  });

  it("writes exactly the bytes dcmjs's DicomDict.write() writes", () => {
    for (const source of [ct, sc]) {
      const ds = measurementReportDataset(report({ source }));
      expect(Buffer.from(writePart10(ds)).equals(Buffer.from(writePart10WithDcmjs(ds)))).toBe(true);
    }
  });

  it("never writes the reader's id or anything but the display name about them", () => {
    const bytes = Buffer.from(writeMeasurementReportSR(report({ reader: { id: "reader-uuid-123", displayName: "Reader 9" } })));
    expect(bytes.includes("reader-uuid-123")).toBe(false);
    expect(bytes.includes("Reader 9")).toBe(true);
  });

  it("writes a point as an Image Region of graphic type POINT, its one column/row pair as stored (the outline's origin), and reads it back as that point", () => {
    const input = withPoints();
    const ds = measurementReportDataset(input) as Record<string, any>;
    const meaning = (item: Record<string, any>) => item.ConceptNameCodeSequence?.[0]?.CodeMeaning;
    const groups = ds.ContentSequence.find((c: Record<string, any>) => meaning(c) === "Imaging Measurements").ContentSequence as Array<Record<string, any>>;
    const written = groups.map((g) => {
      const region = g.ContentSequence.find((c: Record<string, any>) => meaning(c) === "Image Region");
      const shape = g.ContentSequence.find((c: Record<string, any>) => meaning(c) === "ROI shape").ConceptCodeSequence[0];
      return [region.ValueType, region.GraphicType, region.GraphicData, `${shape.CodeValue}/${shape.CodingSchemeDesignator}`];
    });
    expect(written).toEqual([
      ["SCOORD", "POLYLINE", [10.25, 12, 20.5, 12, 20.5, 30.75, 10.25, 30.75, 10.25, 12], "RECTANGLE/99CONCORD"],
      ["SCOORD", "POINT", [10.5, 20.5], "POINT/99CONCORD"],
      ["SCOORD", "POINT", [64, 64], "POINT/99CONCORD"],
    ]);
    const back = readMeasurementReportSR(writeMeasurementReportSR(input));
    expect(back.warnings).toEqual([]);
    expect(back.rois.map((r) => [r.id, r.className, r.kind, r.points, r.sopInstanceUid])).toEqual(input.rois.map((r) => [r.id, r.className, r.kind, r.points, ct.sopInstanceUid]));
    expect(Buffer.from(writePart10(measurementReportDataset(input))).equals(Buffer.from(writePart10WithDcmjs(measurementReportDataset(input))))).toBe(true);
  });

  it("writes a line as an open POLYLINE of its two ends as drawn, with its Length: in mm by each axis's spacing, else in pixels; and reads it back as that line", () => {
    const meaning = (item: Record<string, any>) => item.ConceptNameCodeSequence?.[0]?.CodeMeaning;
    const written = (input: MeasurementReportInput) => {
      const ds = measurementReportDataset(input) as Record<string, any>;
      const groups = ds.ContentSequence.find((c: Record<string, any>) => meaning(c) === "Imaging Measurements").ContentSequence as Array<Record<string, any>>;
      return groups.map((g) => {
        const region = g.ContentSequence.find((c: Record<string, any>) => meaning(c) === "Image Region");
        const shape = g.ContentSequence.find((c: Record<string, any>) => meaning(c) === "ROI shape").ConceptCodeSequence[0];
        const length = g.ContentSequence.find((c: Record<string, any>) => c.ValueType === "NUM");
        const measured = length?.MeasuredValueSequence[0];
        const concept = length?.ConceptNameCodeSequence[0];
        return [
          region.GraphicType,
          region.GraphicData,
          `${shape.CodeValue}/${shape.CodingSchemeDesignator}`,
          ...(length ? [`${concept.CodeValue}/${concept.CodingSchemeDesignator} ${concept.CodeMeaning}`, length.RelationshipType, measured.NumericValue, measured.MeasurementUnitsCodeSequence[0].CodeValue] : []),
        ];
      });
    };
    // Rows 0.5 mm apart, columns 0.8 mm: the line of 3 columns and 4 rows is hypot(3 × 0.8, 4 × 0.5) mm, not hypot(3 × 0.5, 4 × 0.8).
    const spaced = { ...ct, spacing: [0.5, 0.8] as const };
    const input = withLines(spaced);
    const inMm = written(input);
    expect(inMm.map((g) => g.slice(0, 3))).toEqual([
      ["POLYLINE", [10.25, 12, 20.5, 12, 20.5, 30.75, 10.25, 30.75, 10.25, 12], "RECTANGLE/99CONCORD"],
      ["POLYLINE", [13, 24, 10, 20], "LINE/99CONCORD"],
      ["POLYLINE", [0, 64, 64, 64], "LINE/99CONCORD"],
    ]);
    expect(inMm[0]).toHaveLength(3); // an area has no Length
    expect(inMm[1]!.slice(3, 5)).toEqual(["410668003/SCT Length", "CONTAINS"]);
    expect(inMm[1]![5]).toBe(3.1241); // hypot(2.4, 2) = 3.12409987…, to 0.0001
    expect(inMm[1]![6]).toBe("mm");
    expect(inMm[2]!.slice(5)).toEqual([51.2, "mm"]);
    // An image without a spacing (a PNG upload): the same line measured in pixels, and said so.
    const inPixels = written(withLines(sc));
    expect(inPixels[1]!.slice(5)).toEqual([5, "{pixels}"]);
    expect(inPixels[2]!.slice(5)).toEqual([sc.columns, "{pixels}"]);

    const back = readMeasurementReportSR(writeMeasurementReportSR(input));
    expect(back.warnings).toEqual([]);
    expect(back.rois.map((r) => [r.id, r.className, r.kind, r.points, r.sopInstanceUid])).toEqual(input.rois.map((r) => [r.id, r.className, r.kind, r.points, ct.sopInstanceUid]));
    expect(Buffer.from(writePart10(measurementReportDataset(input))).equals(Buffer.from(writePart10WithDcmjs(measurementReportDataset(input))))).toBe(true);
  });

  it("refuses a line that is not two ends, and a line's outline (it has none)", () => {
    expect(() => writeMeasurementReportSR(report({ rois: [{ id: "l", className: "Diameter", kind: "line", points: [[1, 1], [2, 2], [3, 1]] }] }))).toThrow(/a line is two \[x, y\] ends/);
    expect(() => closedOutline({ kind: "line", points: [[1, 1], [2, 2]] })).toThrow(/no outline/);
  });

  it("refuses a point that is not one [x, y], and a point's outline (it has none)", () => {
    expect(() => writeMeasurementReportSR(report({ rois: [{ id: "p", className: "Carina", kind: "point", points: [[1, 1], [2, 2]] }] }))).toThrow(/a point is one \[x, y\]/);
    expect(() => closedOutline({ kind: "point", points: [[1, 1]] })).toThrow(/no outline/);
  });

  it("writes an empty Imaging Measurements container when the reader gave neither labels nor ROIs", () => {
    const back = readMeasurementReportSR(writeMeasurementReportSR(report({ labels: [], rois: [] })));
    expect(back).toMatchObject({ labels: [], rois: [], warnings: [] });
  });
});

describe.skipIf(!hasTool("dciodvfy"))(`dicom3tools finds our SR conformant${hasTool("dciodvfy") ? "" : ` (${NO_DICOM3TOOLS})`}`, () => {
  it("dciodvfy finds no error in a report of a CT image or of a Secondary Capture", () => {
    for (const [name, source] of [["ct", ct], ["sc", sc]] as const) expect(iodErrors(writeMeasurementReportSR(report({ source }))).map((e) => `${name}: ${e}`)).toEqual([]);
  });

  it("dciodvfy finds no error in a report with points (SCOORD POINT)", () => {
    for (const [name, source] of [["ct", ct], ["sc", sc]] as const) expect(iodErrors(writeMeasurementReportSR(withPoints(source))).map((e) => `${name}: ${e}`)).toEqual([]);
  });

  it("dciodvfy finds no error in a report with lines (an open SCOORD POLYLINE and a Length NUM, in mm or in pixels)", () => {
    for (const [name, source] of [["ct", { ...ct, spacing: [0.5, 0.5] as const }], ["sc", sc]] as const) expect(iodErrors(writeMeasurementReportSR(withLines(source))).map((e) => `${name}: ${e}`)).toEqual([]);
  });
});

describe.skipIf(!hasTool("dsrdump") || !hasTool("dcmdump"))(`DCMTK reads our SR${hasTool("dsrdump") ? "" : ` (${NO_DCMTK})`}`, () => {
  // DCMTK 3.6.7 cannot VR-check UTF-8 text and says so once per file; that is about DCMTK, not the file.
  const dcmtkNoise = (text: string) => text.split("\n").filter((l) => l.trim() && !/VR checker does not support this Specific Character Set/.test(l));

  it("dsrdump checks the content tree (relationship constraints on) and prints our concepts and coordinates", async () => {
    for (const [name, source] of [["ct", ct], ["sc", sc]] as const) {
      const file = saved(writeMeasurementReportSR(report({ source })), `${name}-sr.dcm`);
      // Default dsrdump refuses content that breaks the IOD's relationship constraints; -v reports every problem it sees.
      const { stdout, stderr } = await run("dsrdump", ["-v", "+Pl", "+Pc", "+Pt", "+Pu", file]);
      expect(dcmtkNoise(stderr)).toEqual([]);
      expect(stdout).toContain("Comprehensive 3D SR Document");
      expect(stdout).toContain('<CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>  # TID 1500 (DCMR)');
      expect(stdout).toContain('(121008,DCM,"Person Observer Name")="Reader Ünal 7"');
      expect(stdout).toContain(`<has concept mod CODE:(121058,DCM,"Procedure reported")`);
      expect(stdout).toContain('<contains CONTAINER:(125007,DCM,"Measurement Group")=SEPARATE>  # TID 1410 (DCMR)');
      expect(stdout).toContain('(112039,DCM,"Tracking Identifier")="roi-a"');
      const nodule = classCode("Nodule");
      expect(stdout).toContain(`(121071,DCM,"Finding")=(${nodule.CodeValue},99CONCORD,"Nodule")`);
      expect(stdout).toContain('(111030,DCM,"Image Region")=(POLYLINE,10.25/12,20.5/12,20.5/30.75,10.25/30.75,10.25/12)');
      expect(stdout).toContain('(111030,DCM,"Image Region")=(POLYLINE,1/1,40.5/3.25,33/50,8.125/44,1/1)');
      expect(stdout).toContain(`<selected from IMAGE:(121324,DCM,"Source Image")=(`);
      expect(stdout).toContain(ct === source ? `(CT image,"${ct.sopInstanceUid}")` : `(SC image,"${sc.sopInstanceUid}")`);
      expect(stdout).toContain(`(${labelCode("Pneumonia").CodeValue},99CONCORD,"Pneumonia")=(52101004,SCT,"Present")`);
      expect(stdout).toContain(`(${labelCode("Pleural effusion").CodeValue},99CONCORD,"Pleural effusion")=(272519000,SCT,"Absent")`);
      expect(stdout).toContain('<has properties NUM:(CONFIDENCE,99CONCORD,"Confidence")="80" (%,UCUM,"percent")>');
    }
  });

  it("dsrdump reads a point as a POINT Image Region selected from the source image", async () => {
    const file = saved(writeMeasurementReportSR(withPoints()), "points-sr.dcm");
    const { stdout, stderr } = await run("dsrdump", ["-v", "+Pl", "+Pc", "+Pt", "+Pu", file]);
    expect(dcmtkNoise(stderr)).toEqual([]);
    expect(stdout).toContain('(111030,DCM,"Image Region")=(POINT,10.5/20.5)');
    expect(stdout).toContain('(111030,DCM,"Image Region")=(POINT,64/64)');
    expect(stdout).toContain('(SHAPE,99CONCORD,"ROI shape")=(POINT,99CONCORD,"Point")');
  });

  it("dsrdump reads a line as a two-point POLYLINE Image Region and its Length as a NUM in mm, or in pixels without a spacing", async () => {
    for (const [name, source, length] of [["ct", { ...ct, spacing: [0.5, 0.5] as const }, '"2.5" (mm,UCUM,"millimeter")'], ["sc", sc, '"5" ({pixels},UCUM,"pixels")']] as const) {
      const file = saved(writeMeasurementReportSR(withLines(source)), `${name}-lines-sr.dcm`);
      const { stdout, stderr } = await run("dsrdump", ["-v", "+Pl", "+Pc", "+Pt", "+Pu", file]);
      expect(dcmtkNoise(stderr)).toEqual([]);
      expect(stdout).toContain('(111030,DCM,"Image Region")=(POLYLINE,13/24,10/20)');
      expect(stdout).toContain('(SHAPE,99CONCORD,"ROI shape")=(LINE,99CONCORD,"Line")');
      expect(stdout).toContain(`<contains NUM:(410668003,SCT,"Length")=${length}>`);
    }
  });

  it("dsrdump refuses a content tree that breaks the relationship constraints (so the check above means something)", async () => {
    const ds = measurementReportDataset(report()) as { ContentSequence: Array<{ ContentSequence?: Array<{ ContentSequence?: Array<{ RelationshipType: string }> }> }> };
    ds.ContentSequence.at(-1)!.ContentSequence![0]!.ContentSequence![0]!.RelationshipType = "CONTAINS"; // confidence NUM under a CODE
    const file = saved(writePart10(ds), "broken-sr.dcm");
    const failed = await run("dsrdump", ["-v", file]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Cannot add "contains NUM" to CODE');
  });

  it("dcmdump reads the whole file without errors or warnings", async () => {
    const file = saved(writeMeasurementReportSR(report({ reader: { id: "r", displayName: "Reader 7" } })), "ascii-sr.dcm");
    const { stdout, stderr } = await run("dcmdump", ["-v", "+L", file]);
    expect(stderr.trim()).toBe("");
    expect(stdout).not.toMatch(/error|warning/i);
    expect(stdout).toContain("(0002,0010) UI =LittleEndianExplicit");
    expect(stdout).toContain("(0002,0002) UI =Comprehensive3DSRStorage");
  });
});
