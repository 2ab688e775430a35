import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { GRANT_ROLE, buildLabel, buildTeam, buildTeamProject, errorCode, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { runExportJob, type ExportJob } from "../../testing/exports.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { loadManifest, NO_FIXTURES } from "../../testing/shared-fixtures.js";
import { NIFTI_DATATYPE, niftiFile } from "../../testing/volumes.js";
import { readNifti } from "../images/convert/nifti.js";
import { fillPolygon } from "./dicom/raster.js";
import { closedOutline } from "./dicom/sr.js";
import { AnnotationsRepository } from "../annotations/annotations.repository.js";
import { putRoi } from "../collab/collab.document.js";
import { fileMeta, imageDataset, part10 } from "../images/dicom/synthetic.js";
import { personName } from "./dicom/codes.js";
import { dcmjs } from "./dicom/dcmjs.js";
import { readSegmentation, segmentMasks } from "./dicom/seg.js";
import { readMeasurementReportSR } from "./dicom/sr-import.js";
import { hasTool } from "../../testing/tools.js";
import { NO_DCMTK, part10Of } from "./dicom/test-sources.js";
import type { ExportRoi } from "./dicom/types.js";
import { caseKeyPath, setDicomExportBatchSize } from "./dicom-formats.js";
import type { ImportedMeasurementReport } from "./dicom/types.js";
import type { ImportLabel } from "./sr-import.repository.js";
import { mapReport } from "./sr-import.service.js";

// These tests find files where the TRAIN split puts them (imagesTr, labelsTr): their projects put every case there. The split's layout has its own test (cases/splits.test.ts).
const ALL_TRAIN = { datasetSplit: { trainPercent: 100, validationPercent: 0 } };

const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const COLLAB_UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;
/** The import with names for a mask's values (an nnU-Net dataset.json's labels). */
const IMPORT_NAMED = `mutation($projectId: ID!, $files: [StructuredReportFile!]!, $maskLabels: [MaskLabelName!]) {
  importStructuredReports(projectId: $projectId, files: $files, maskLabels: $maskLabels) { status message rois warnings annotationId }
}`;
const IMPORT = `mutation($projectId: ID!, $files: [StructuredReportFile!]!) {
  importStructuredReports(projectId: $projectId, files: $files) { fileName status message caseId caseKey annotationId version labels rois warnings }
}`;

interface ImportResult {
  fileName: string;
  status: "IMPORTED" | "REFUSED";
  message: string;
  caseId: string | null;
  caseKey: string | null;
  annotationId: string | null;
  version: number | null;
  labels: number;
  rois: number;
  warnings: string[];
}

/** Slice n of a 2-slice CT series (64x64, 0.5 mm pixels, 1.25 mm apart). */
function ctSlice(u: { study: string; series: string; frame: string; n: number }): Uint8Array {
  const sop = `${u.series}.${u.n}`.slice(0, 64);
  return part10Of({
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
    SOPInstanceUID: sop,
    ImageType: ["ORIGINAL", "PRIMARY", "AXIAL"],
    StudyDate: "20240102",
    Modality: "CT",
    PatientName: "Anon^Series",
    PatientID: "ANON-SERIES",
    StudyInstanceUID: u.study,
    SeriesInstanceUID: u.series,
    SeriesNumber: 1,
    InstanceNumber: u.n,
    FrameOfReferenceUID: u.frame,
    ImagePositionPatient: [-16, -16, 40 + 1.25 * u.n],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    SliceThickness: 1.25,
    PixelSpacing: [0.5, 0.5],
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 64,
    Columns: 64,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: [new Uint16Array(64 * 64).map((_, i) => (i * 7 + u.n) % 4096).buffer],
    _vrMap: { PixelData: "OW" },
  });
}

/** A 20x10 grey image with the spacing attributes given: Pixel Spacing, or a radiograph's Imager Pixel Spacing and magnification factor. */
function spacedImage(u: { sop: string; sopClass: string; modality: string; spacing: Record<string, unknown> }): Uint8Array {
  return part10Of({
    SOPClassUID: u.sopClass,
    SOPInstanceUID: u.sop,
    StudyDate: "20240102",
    Modality: u.modality,
    PatientName: "Anon^Spaced",
    PatientID: "ANON-SPACED",
    StudyInstanceUID: `${u.sop}.1`,
    SeriesInstanceUID: `${u.sop}.2`,
    SeriesNumber: 1,
    InstanceNumber: 1,
    ...u.spacing,
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 10,
    Columns: 20,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: [new Uint16Array(20 * 10).map((_, i) => (i * 11) % 4096).buffer],
    _vrMap: { PixelData: "OW" },
  });
}

/**
 * A 3-frame enhanced CT (16x16) whose geometry is in its functional groups only: shared pixel
 * measures (0.7 mm, 2.5 mm thick) and orientation, per-frame positions 2.5 mm apart, except that
 * frame 2's group has no Plane Position.
 */
function enhancedCt(u: { study: string; series: string; frame: string }): Uint8Array {
  const sop = `${u.series}.1`;
  const ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1";
  return part10Of({
    SOPClassUID: ENHANCED_CT,
    SOPInstanceUID: sop,
    ImageType: ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"],
    StudyDate: "20240102",
    Modality: "CT",
    PatientName: "Anon^Enhanced",
    PatientID: "ANON-ENHANCED",
    StudyInstanceUID: u.study,
    SeriesInstanceUID: u.series,
    SeriesNumber: 1,
    InstanceNumber: 1,
    FrameOfReferenceUID: u.frame,
    NumberOfFrames: 3,
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [{ PixelSpacing: [0.7, 0.7], SliceThickness: 2.5 }],
        PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
      },
    ],
    PerFrameFunctionalGroupsSequence: [1, 2, 3].map((n) => ({
      FrameContentSequence: [{ InStackPositionNumber: n }],
      ...(n === 2 ? {} : { PlanePositionSequence: [{ ImagePositionPatient: [-5.6, -5.6, 10 + 2.5 * (n - 1)] }] }),
    })),
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 16,
    Columns: 16,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: [new Uint16Array(16 * 16 * 3).map((_, i) => (i * 5) % 4096).buffer],
    _vrMap: { PixelData: "OW" },
  });
}

const dcmtk = hasTool("dsrdump") && hasTool("dcmdump");
const manifest = loadManifest();
const tid1500 = manifest?.dicom.find((e) => e.path.endsWith("sr_document.dcm"));
const ctSmall = manifest?.dicom.find((e) => e.path.endsWith("ct/CT_small.dcm"));

describe("DICOM exports and SR import", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let reader2: { caller: Caller; id: string; email: string };
  const cases: Record<string, string> = {};
  const sops: Record<string, string> = {};
  let effusion: string, nodule: string, box: string, outline: string;
  const owner = () => team.OWNER.caller;
  let stopWorker: (() => Promise<void>) | undefined;

  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;

  async function runExport(project: string, input: Record<string, unknown>, timeoutMs = 20_000): Promise<{ job: ExportJob; files: Record<string, Uint8Array> }> {
    const { job, body, contentType } = await runExportJob(server, owner(), project, input, timeoutMs);
    expect(job.fileName).toMatch(/\.zip$/);
    expect(contentType).toContain("application/zip");
    return { job, files: unzipSync(body) };
  }

  /** A reader's latest submission as stored: label values (name, value, confidence) and ROIs in the writers' terms. */
  async function stored(caseId: string, readerId: string) {
    const [a] = await sql<{ id: string; version: number }>(
      `SELECT id, version FROM annotations WHERE case_id = $1 AND reader_id = $2 AND status = 'SUBMITTED' ORDER BY version DESC LIMIT 1`,
      [caseId, readerId],
    );
    const labels = await sql<{ name: string; value: boolean; confidence: number | null; label_id: string; implicit: boolean }>(
      `SELECT d.name, v.value, v.confidence, v.label_id, v.implicit FROM label_values v JOIN label_definitions d ON d.id = v.label_id WHERE v.annotation_id = $1 ORDER BY d.name`,
      [a!.id],
    );
    const rois = await sql<{ id: string; name: string; class_id: string; kind: string; points: Array<[number, number]>; sop_instance_uid: string; frame: number }>(
      `SELECT r.id, d.name, r.class_id, r.kind, r.points, r.sop_instance_uid, r.frame FROM rois r JOIN label_definitions d ON d.id = r.class_id WHERE r.annotation_id = $1 ORDER BY r.id`,
      [a!.id],
    );
    return { version: a!.version, labels, rois };
  }

  const tmpFile = (bytes: Uint8Array) => {
    const file = path.join(os.tmpdir(), `concord-dicom-export-${process.pid}-${Math.random().toString(36).slice(2)}.dcm`);
    fs.writeFileSync(file, bytes);
    return file;
  };

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    team = await buildTeam(server);
    reader2 = await buildUser(server, "reader2");
    projectId = await buildTeamProject(team, ALL_TRAIN);
    await owner().ok(GRANT_ROLE, { projectId, input: { email: reader2.email, role: "ANNOTATOR" } });
    // "case b/1" has a path separator in its key: the archive's paths must not follow it.
    await stowOk(server, projectId, owner(), ["case-a", "case b#1", "case-c"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(20, 10, i) })));
    for (const r of await sql<{ id: string; key: string; sop: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [projectId],
    )) {
      const key = r.key.startsWith("case b") ? "case-b" : r.key;
      cases[key] = r.id;
      sops[key] = r.sop;
    }
    expect(Object.keys(cases).sort()).toEqual(["case-a", "case-b", "case-c"]);
    effusion = await buildLabel(owner(), projectId, { name: "Effusion" });
    nodule = await buildLabel(owner(), projectId, { name: "Nodule, solitary" });
    box = await buildLabel(owner(), projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    outline = await buildLabel(owner(), projectId, { name: "Outline", kind: "ROI", roiShape: "FREEHAND" });
    const r1 = team.ANNOTATOR.caller;
    await r1.ok(SUBMIT, {
      caseId: cases["case-a"],
      input: {
        labels: [{ labelId: effusion, value: true, confidence: 80 }, { labelId: nodule, value: true, confidence: 40 }],
        rois: [
          { classId: box, kind: "RECTANGLE", points: [[2, 1], [12, 6]] },
          { classId: outline, kind: "FREEHAND", points: [[1, 1], [9, 1], [5, 7]] },
        ],
      },
    });
    await reader2.caller.ok(SUBMIT, { caseId: cases["case-a"], input: { labels: [{ labelId: effusion, value: true, confidence: 60 }], rois: [] } });
    await r1.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: false, confidence: 100 }], rois: [] } });
    await reader2.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: true, confidence: 20 }], rois: [] } });
    const doc = new Y.Doc();
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-000000000001", classId: box, kind: "RECTANGLE", points: [[3, 2], [8, 9]] });
    // The consensus layer is not checked when written: regions whose shape does not hold (a freehand
    // of two points, a rectangle without a width) are left out of every export, which still completes.
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-000000000002", classId: outline, kind: "FREEHAND", points: [[1, 1], [4, 4]] });
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-000000000003", classId: box, kind: "RECTANGLE", points: [[5, 1], [5, 9]] });
    await team.REVIEWER.caller.ok(COLLAB_UPDATE, { caseId: cases["case-b"], layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
  }, 60_000);
  afterAll(async () => {
    setDicomExportBatchSize(200);
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  /** A SEG's frames as written: the image and frame each names, its plane's position, segment and dimension index values, and how many pixels it sets. */
  const segFrames = (bytes: Uint8Array) => {
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, any>;
    const masks = readSegmentation(bytes).frames;
    return [ds.PerFrameFunctionalGroupsSequence].flat().map((g: any, i: number) => {
      const source = [[g.DerivationImageSequence].flat()[0]?.SourceImageSequence].flat()[0];
      const position = [g.PlanePositionSequence].flat()[0]?.ImagePositionPatient;
      return {
        image: [source?.ReferencedSOPInstanceUID, source?.ReferencedFrameNumber ?? null],
        position: position ? position.map(Number) : null,
        index: [[g.FrameContentSequence].flat()[0]?.DimensionIndexValues].flat().map(Number),
        pixels: masks[i]!.mask.reduce((n, v) => n + v, 0),
      };
    });
  };

  it("DICOM_SR for all readers: one report per case and reader, each reading back to the labels and ROIs submitted", async () => {
    const { job, files } = await runExport(projectId, { format: "DICOM_SR", scope: "ALL_READERS" });
    const r1 = team.ANNOTATOR.id;
    const bKey = caseKeyPath((await sql<{ key: string }>(`SELECT key FROM cases WHERE id = $1`, [cases["case-b"]]))[0]!.key);
    expect(bKey).not.toContain("/");
    expect(bKey).not.toContain("#");
    expect(Object.keys(files).sort()).toEqual([`case-a/${r1}-v1-sr.dcm`, `case-a/${reader2.id}-v1-sr.dcm`, `${bKey}/${r1}-v1-sr.dcm`, `${bKey}/${reader2.id}-v1-sr.dcm`].sort());
    expect(job.items).toBe(4);
    const names = new Map((await sql<{ id: string; name: string }>(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [[r1, reader2.id]])).map((u) => [u.id, u.name]));
    for (const [name, bytes] of Object.entries(files)) {
      const [dir, file] = name.split("/");
      const caseName = dir === "case-a" ? "case-a" : "case-b";
      const reader = file!.slice(0, 36);
      const report = readMeasurementReportSR(bytes, name);
      const want = await stored(cases[caseName]!, reader);
      expect(report.images.map((i) => i.sopInstanceUid)).toEqual([sops[caseName]]);
      expect(report.observer?.personName).toBe(personName(names.get(reader)!));
      expect(report.labels.map(({ name: n, value, confidence }) => ({ n, value, confidence })).sort((a, b) => a.n.localeCompare(b.n))).toEqual(
        want.labels.map((l) => ({ n: l.name, value: l.value, confidence: l.confidence })),
      );
      expect(report.rois.map(({ id, className, kind, points, sopInstanceUid }) => ({ id, className, kind, points, sopInstanceUid })).sort((a, b) => a.id!.localeCompare(b.id!))).toEqual(
        want.rois.map((r) => ({ id: r.id, className: r.name, kind: r.kind.toLowerCase(), points: r.points, sopInstanceUid: r.sop_instance_uid })),
      );
    }
    // What r1 drew on case-a, as drawn.
    const a1 = readMeasurementReportSR(files[`case-a/${r1}-v1-sr.dcm`]!);
    expect(a1.rois.find((r) => r.className === "Box")).toMatchObject({ kind: "rectangle", points: [[2, 1], [12, 6]] });
    expect(a1.labels.find((l) => l.name === "Effusion")).toMatchObject({ value: true, confidence: 80 });
  });

  it.skipIf(!dcmtk)(`the exported SR and SEG files pass dsrdump and dcmdump${dcmtk ? "" : ` (${NO_DCMTK})`}`, async () => {
    const sr = Object.values((await runExport(projectId, { format: "DICOM_SR", scope: "ALL_READERS" })).files);
    const seg = Object.values((await runExport(projectId, { format: "DICOM_SEG", scope: "ALL_READERS" })).files);
    for (const bytes of [sr[0]!, seg[0]!]) {
      const file = tmpFile(bytes);
      try {
        // execFileSync throws on a non-zero exit.
        execFileSync("dcmdump", ["-q", file], { stdio: "pipe" });
        if (bytes === sr[0]) execFileSync("dsrdump", ["-q", file], { stdio: "pipe" });
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
  });

  it("DICOM_SEG for all readers: a segmentation only where a reader drew ROIs, decoding to the ROIs' masks", async () => {
    const { job, files } = await runExport(projectId, { format: "DICOM_SEG", scope: "ALL_READERS" });
    const r1 = team.ANNOTATOR.id;
    expect(Object.keys(files)).toEqual([`case-a/${r1}-v1-seg.dcm`]);
    expect(job.items).toBe(1);
    const seg = readSegmentation(files[`case-a/${r1}-v1-seg.dcm`]!);
    expect([seg.rows, seg.columns]).toEqual([10, 20]);
    const want = await stored(cases["case-a"]!, r1);
    const rois: ExportRoi[] = want.rois.map((r) => ({ id: r.id, className: r.name, kind: r.kind === "RECTANGLE" ? "rectangle" : "freehand", points: r.points }));
    const masks = segmentMasks({ rois, source: { rows: 10, columns: 20 } as never });
    expect(seg.segments.map((s) => s.label)).toEqual(masks.map((m) => m.className));
    for (const [i, m] of masks.entries()) {
      const frame = seg.frames.find((f) => f.segmentNumber === i + 1)!;
      expect(frame.sourceSopInstanceUid).toBe(sops["case-a"]);
      expect(Array.from(frame.mask)).toEqual(Array.from(m.mask));
      expect(frame.mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    }
  });

  it("consensus: majority-vote labels (ties left out) and the consensus ROI layer, by reader Consensus", async () => {
    const bKey = caseKeyPath((await sql<{ key: string }>(`SELECT key FROM cases WHERE id = $1`, [cases["case-b"]]))[0]!.key);
    const { files } = await runExport(projectId, { format: "DICOM_SR", scope: "CONSENSUS" });
    expect(Object.keys(files).sort()).toEqual(["case-a/consensus-sr.dcm", `${bKey}/consensus-sr.dcm`].sort());
    const a = readMeasurementReportSR(files["case-a/consensus-sr.dcm"]!);
    // Effusion 2 of 2; "Nodule, solitary" 1 of 2 (reader2's implicit no): a tie, left out.
    expect(a.labels.map(({ name, value, confidence }) => ({ name, value, confidence }))).toEqual([{ name: "Effusion", value: true, confidence: null }]);
    expect(a.rois).toEqual([]);
    expect(a.observer?.personName).toBe("Consensus");
    const b = readMeasurementReportSR(files[`${bKey}/consensus-sr.dcm`]!);
    // Effusion 1 of 2: a tie, left out; "Nodule, solitary" no from both (implicit): no.
    expect(b.labels.map(({ name, value, confidence }) => ({ name, value, confidence }))).toEqual([{ name: "Nodule, solitary", value: false, confidence: null }]);
    expect(b.rois).toEqual([expect.objectContaining({ id: "6f1d2c3b-0000-4000-8000-000000000001", className: "Box", kind: "rectangle", points: [[3, 2], [8, 9]], sopInstanceUid: sops["case-b"] })]);

    const segs = (await runExport(projectId, { format: "DICOM_SEG", scope: "CONSENSUS" })).files;
    expect(Object.keys(segs)).toEqual([`${bKey}/consensus-seg.dcm`]);
    const seg = readSegmentation(segs[`${bKey}/consensus-seg.dcm`]!);
    expect(seg.segments.map((s) => s.label)).toEqual(["Box"]);
    const [mask] = segmentMasks({ rois: [{ id: "x", className: "Box", kind: "rectangle", points: [[3, 2], [8, 9]] }], source: { rows: 10, columns: 20 } as never });
    expect(Array.from(seg.frames[0]!.mask)).toEqual(Array.from(mask!.mask));
  });

  it("a case excluded from the project: in no DICOM or NIfTI export, whose notes say how many were left out; an SR into it is refused; included again, it is back", async () => {
    const r1 = team.ANNOTATOR.id;
    const caseId = cases["case-b"]!;
    const bKey = caseKeyPath((await sql<{ key: string }>(`SELECT key FROM cases WHERE id = $1`, [caseId]))[0]!.key);
    const note = "1 case excluded from the project is left out, with its images and readings.";
    const exported = async () => {
      const sr = (await runExport(projectId, { format: "DICOM_SR", scope: "ALL_READERS" })).files;
      const consensus = (await runExport(projectId, { format: "DICOM_SR", scope: "CONSENSUS" })).files;
      const seg = (await runExport(projectId, { format: "DICOM_SEG", scope: "CONSENSUS" })).files;
      const nifti = (await runExport(projectId, { format: "NIFTI", scope: "CONSENSUS" })).files;
      const readme = (files: Record<string, Uint8Array>) => (files["README.txt"] ? Buffer.from(files["README.txt"]).toString("utf8") : null);
      return {
        sr: Object.keys(sr).sort(),
        consensus: Object.keys(consensus).sort(),
        seg: Object.keys(seg).sort(),
        nifti: Object.keys(nifti).filter((f) => f !== "dataset.json").sort(),
        readmes: [readme(sr), readme(consensus), readme(seg)],
        niftiNotes: JSON.parse(Buffer.from(nifti["dataset.json"]!).toString("utf8")).notes ?? [],
      };
    };
    const before = await exported();
    expect(before.sr.filter((f) => f.startsWith(`${bKey}/`))).toHaveLength(2);
    expect(before.consensus).toContain(`${bKey}/consensus-sr.dcm`);
    expect(before.seg).toEqual([`${bKey}/consensus-seg.dcm`]);
    expect(before.nifti).toContain(`labelsTr/${bKey}.nii.gz`);
    expect(before.readmes).toEqual([null, null, null]);
    expect(before.niftiNotes).not.toContain(note.slice(0, -1));
    // r1's report of case-b, to import while the case is excluded.
    const report = (await runExport(projectId, { format: "DICOM_SR", scope: "READER", readerId: r1 })).files[`${bKey}/${r1}-v1-sr.dcm`]!;

    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'DUPLICATE')`, [caseId, projectId]);
    try {
      const during = await exported();
      const withoutB = (files: string[]) => files.filter((f) => !f.startsWith(`${bKey}/`) && !f.includes(`/${bKey}.`) && !f.includes(`/${bKey}_`));
      expect(during.sr).toEqual([...withoutB(before.sr), "README.txt"].sort());
      expect(during.consensus).toEqual([...withoutB(before.consensus), "README.txt"].sort());
      expect(during.seg).toEqual(["README.txt"]);
      expect(during.nifti).toEqual(withoutB(before.nifti));
      expect(during.nifti.length).toBeLessThan(before.nifti.length);
      for (const [i, format] of ["DICOM_SR", "DICOM_SR", "DICOM_SEG"].entries()) expect(during.readmes[i]).toBe(`Concord ${format} export\n\n${note}\n`);
      expect(during.niftiNotes).toContain(note.slice(0, -1));

      // Imported into the excluded case: refused for that file, naming the case; nothing stored.
      const { importStructuredReports: [refused] } = await team.MANAGER.caller.ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
        projectId,
        files: [{ name: "b.dcm", contentBase64: Buffer.from(report).toString("base64") }],
      });
      expect(refused).toMatchObject({ fileName: "b.dcm", status: "REFUSED", caseId, annotationId: null });
      const [{ key }] = await sql<{ key: string }>(`SELECT key FROM cases WHERE id = $1`, [caseId]);
      expect(refused!.message).toBe(`case ${key} is excluded from the project; include it again to import into it`);
      expect(await sql(`SELECT 1 FROM annotations WHERE case_id = $1 AND reader_id = $2`, [caseId, team.MANAGER.id])).toHaveLength(0);
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [caseId]);
    }
    expect(await exported()).toEqual(before);
  });

  it("round trip: a reader's exported SR imported by another user becomes their annotation, the same labels and ROIs", async () => {
    const r1 = team.ANNOTATOR.id;
    const { files } = await runExport(projectId, { format: "DICOM_SR", scope: "READER", readerId: r1 });
    expect(Object.keys(files).every((f) => f.includes(r1))).toBe(true);
    const file = files[`case-a/${r1}-v1-sr.dcm`]!;
    const importer = team.MANAGER;
    const { importStructuredReports: [result] } = await importer.caller.ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId,
      files: [{ name: "a.dcm", contentBase64: Buffer.from(file).toString("base64") }],
    });
    expect(result).toMatchObject({ status: "IMPORTED", caseId: cases["case-a"], caseKey: "case-a", version: 1, labels: 2, rois: 2, warnings: [] });
    const original = await stored(cases["case-a"]!, r1);
    const imported = await stored(cases["case-a"]!, importer.id);
    const same = (s: typeof original) => ({
      labels: s.labels.map(({ label_id, value, confidence }) => ({ label_id, value, confidence })),
      rois: s.rois.map(({ id, class_id, kind, points, sop_instance_uid, frame }) => ({ id, class_id, kind, points, sop_instance_uid, frame })),
    });
    expect(same(imported)).toEqual(same(original));
    expect(imported.rois).toHaveLength(2);

    // Imported again: a new version of the importer's annotation, through revise and submit.
    const { importStructuredReports: [again] } = await importer.caller.ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId,
      files: [{ name: "a.dcm", contentBase64: Buffer.from(file).toString("base64") }],
    });
    expect(again).toMatchObject({ status: "IMPORTED", version: 2 });
    expect(same(await stored(cases["case-a"]!, importer.id))).toEqual(same(original));
  });

  it("refuses per file what is not a report or names no image of the project, storing nothing of it; the others still import", async () => {
    const r1 = team.ANNOTATOR.id;
    const { files } = await runExport(projectId, { format: "DICOM_SR", scope: "READER", readerId: r1 });
    const other = await buildTeamProject(team, ALL_TRAIN);
    await buildLabel(owner(), other, { name: "effusion" });
    const before = await sql(`SELECT id FROM annotations WHERE project_id = $1`, [other]);
    const { importStructuredReports: results } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId: other,
      files: [
        { name: "junk.dcm", contentBase64: Buffer.from("not dicom at all").toString("base64") },
        { name: "elsewhere.dcm", contentBase64: Buffer.from(files[`case-a/${r1}-v1-sr.dcm`]!).toString("base64") },
      ],
    });
    expect(results.map((r) => r.status)).toEqual(["REFUSED", "REFUSED"]);
    expect(results[1]!.message).toContain(sops["case-a"]);
    expect(await sql(`SELECT id FROM annotations WHERE project_id = $1`, [other])).toEqual(before);

    // In its own project, a report whose names the project partly lacks: the known ones import, the rest are warnings.
    await sql(`UPDATE label_definitions SET archived_at = now() WHERE id = $1`, [outline]);
    try {
      const { importStructuredReports: [partial, junk] } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
        projectId,
        files: [
          { name: "a.dcm", contentBase64: Buffer.from(files[`case-a/${r1}-v1-sr.dcm`]!).toString("base64") },
          { name: "junk.dcm", contentBase64: Buffer.from("still not dicom").toString("base64") },
        ],
      });
      expect(partial).toMatchObject({ status: "IMPORTED", labels: 2, rois: 1 });
      expect(partial!.warnings).toEqual([`ROI class "Outline" is not an ROI class of this project; its region is left out`]);
      expect(junk!.status).toBe("REFUSED");
      expect((await stored(cases["case-a"]!, team.OWNER.id)).rois.map((r) => r.name)).toEqual(["Box"]);
    } finally {
      await sql(`UPDATE label_definitions SET archived_at = NULL WHERE id = $1`, [outline]);
    }
  });

  it("importing needs data.upload, and a role that may annotate: the result is the importer's reading", async () => {
    const files = [{ name: "x.dcm", contentBase64: "AAAA" }];
    for (const role of ["ANNOTATOR", "VIEWER", "REVIEWER"] as const) expect(errorCode(await team[role].caller.gql(IMPORT, { projectId, files }))).toBe("NOT_FOUND");
    expect(errorCode(await team.DATA_OWNER.caller.gql(IMPORT, { projectId, files }))).toBe("FORBIDDEN");
  });

  it("every version of one reader (allVersions): a report per submitted version", async () => {
    const importer = team.MANAGER.id;
    const { files } = await runExport(projectId, { format: "DICOM_SR", scope: "READER", readerId: importer, allVersions: true });
    // The round trip imported case-a twice as the manager: versions 1 and 2.
    expect(Object.keys(files).sort()).toEqual([`case-a/${importer}-v1-sr.dcm`, `case-a/${importer}-v2-sr.dcm`]);
    expect(readMeasurementReportSR(files[`case-a/${importer}-v2-sr.dcm`]!).sopInstanceUid).not.toBe(readMeasurementReportSR(files[`case-a/${importer}-v1-sr.dcm`]!).sopInstanceUid);
  });

  it("SEG round trip: a reader's exported segmentation imported by the owner: the same pixels, rectangles as rectangles, the owner's labels kept", async () => {
    const r1 = team.ANNOTATOR.id;
    const { files } = await runExport(projectId, { format: "DICOM_SEG", scope: "READER", readerId: r1 });
    const seg = files[`case-a/${r1}-v1-seg.dcm`]!;
    const before = await stored(cases["case-a"]!, team.OWNER.id);
    const { importStructuredReports: [result] } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId,
      files: [{ name: "a-seg.dcm", contentBase64: Buffer.from(seg).toString("base64") }],
    });
    expect(result).toMatchObject({ status: "IMPORTED", caseId: cases["case-a"], version: before.version + 1, labels: 0, rois: 2, warnings: [] });
    const original = await stored(cases["case-a"]!, r1);
    const imported = await stored(cases["case-a"]!, team.OWNER.id);
    const masks = (rois: typeof original.rois) =>
      segmentMasks({ rois: rois.map((r) => ({ id: r.id, className: r.name, kind: r.kind === "RECTANGLE" ? "rectangle" : "freehand", points: r.points })), source: { rows: 10, columns: 20 } as never });
    expect(masks(imported.rois)).toEqual(masks(original.rois));
    expect(imported.rois.map((r) => [r.name, r.kind, r.sop_instance_uid]).sort()).toEqual([["Box", "RECTANGLE", sops["case-a"]], ["Outline", "FREEHAND", sops["case-a"]]]);
    // A segmentation has no labels: the owner's own values stay as they were, not all turned negative.
    const values = (s: typeof before) => s.labels.map(({ label_id, value, confidence, implicit }) => ({ label_id, value, confidence, implicit }));
    expect(values(imported)).toEqual(values(before));
    expect(before.labels.some((l) => l.value)).toBe(true);
  });

  it("points (landmarks): the SR has each as a SCOORD POINT and imports back as the same point; SEG and NIfTI leave them out, saying so", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    await stowOk(server, project, owner(), ["apex-a", "apex-b"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(20, 10, 20 + i) })));
    const images = await sql<{ id: string; key: string; sop: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1 ORDER BY c.key`,
      [project],
    );
    const [a, b] = images as [(typeof images)[number], (typeof images)[number]];
    const apex = await buildLabel(owner(), project, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    const lesion = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "RECTANGLE" });
    const r1 = team.ANNOTATOR.id;
    // On a pixel's centre (i + 0.5) and on a pixel corner; case b has a point only.
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: a.id,
      input: { rois: [{ classId: apex, kind: "POINT", points: [[4.5, 3.5]] }, { classId: apex, kind: "POINT", points: [[15, 2]] }, { classId: lesion, kind: "RECTANGLE", points: [[2, 1], [12, 6]] }] },
    });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: b.id, input: { rois: [{ classId: apex, kind: "POINT", points: [[19.5, 9.5]] }] } });

    // SR: a Measurement Group per point, its Image Region a POINT with the stored column/row, as the rectangle's POLYLINE has its corners.
    const sr = (await runExport(project, { format: "DICOM_SR", scope: "READER", readerId: r1 })).files;
    const srA = sr[`${caseKeyPath(a.key)}/${r1}-v1-sr.dcm`]!;
    const raw = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(srA.slice().buffer).dict) as Record<string, any>;
    const items = (item: Record<string, any>) => [item.ContentSequence].flat().filter(Boolean) as Array<Record<string, any>>;
    const meaning = (item: Record<string, any>) => [item.ConceptNameCodeSequence].flat()[0]?.CodeMeaning;
    const groups = items(items(raw).find((c) => meaning(c) === "Imaging Measurements")!);
    const regions = groups.map((g) => {
      const region = items(g).find((c) => meaning(c) === "Image Region")!;
      const shape = [items(g).find((c) => meaning(c) === "ROI shape")!.ConceptCodeSequence].flat()[0].CodeValue;
      return [shape, region.GraphicType, [region.GraphicData].flat().map(Number), [items(region)[0]!.ReferencedSOPSequence].flat()[0].ReferencedSOPInstanceUID];
    });
    expect(regions.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      ["POINT", "POINT", [15, 2], a.sop],
      ["POINT", "POINT", [4.5, 3.5], a.sop],
      ["RECTANGLE", "POLYLINE", [2, 1, 12, 1, 12, 6, 2, 6, 2, 1], a.sop],
    ]);
    const readBack = readMeasurementReportSR(sr[`${caseKeyPath(b.key)}/${r1}-v1-sr.dcm`]!);
    expect(readBack.rois.map(({ className, kind, points, sopInstanceUid }) => ({ className, kind, points, sopInstanceUid }))).toEqual([{ className: "Apex", kind: "point", points: [[19.5, 9.5]], sopInstanceUid: b.sop }]);
    expect(readBack.warnings).toEqual([]);

    // Imported by the manager: the same points (and rectangle), ids kept.
    const { importStructuredReports: [back] } = await team.MANAGER.caller.ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId: project,
      files: [{ name: "a-sr.dcm", contentBase64: Buffer.from(srA).toString("base64") }],
    });
    expect(back).toMatchObject({ status: "IMPORTED", caseId: a.id, rois: 3, warnings: [] });
    const same = (s: Awaited<ReturnType<typeof stored>>) => s.rois.map(({ id, class_id, kind, points, sop_instance_uid, frame }) => ({ id, class_id, kind, points, sop_instance_uid, frame }));
    const original = same(await stored(a.id, r1));
    expect(original.filter((r) => r.kind === "POINT")).toHaveLength(2);
    expect(same(await stored(a.id, team.MANAGER.id))).toEqual(original);

    // SEG: the rectangle's segment only; case b (a point alone) has no SEG; README.txt says what was left out and why.
    const seg = await runExport(project, { format: "DICOM_SEG", scope: "READER", readerId: r1 });
    expect(Object.keys(seg.files).sort()).toEqual([`${caseKeyPath(a.key)}/${r1}-v1-seg.dcm`, "README.txt"].sort());
    const decoded = readSegmentation(seg.files[`${caseKeyPath(a.key)}/${r1}-v1-seg.dcm`]!);
    expect(decoded.segments.map((x) => x.label)).toEqual(["Lesion"]);
    expect(decoded.frames.map((f) => f.mask.reduce((n, v) => n + v, 0))).toEqual([50]);
    const readme = Buffer.from(seg.files["README.txt"]!).toString("utf8");
    expect(readme).toContain('3 point ROIs (landmarks) of "Apex" are left out: a point encloses no pixel, so no segment can hold it');

    // NIfTI: no label value for the point class; the mask holds the rectangle only; dataset.json's notes say why.
    const nifti = await runExport(project, { format: "NIFTI", scope: "READER", readerId: r1 });
    const dataset = JSON.parse(Buffer.from(nifti.files["dataset.json"]!).toString("utf8"));
    expect(dataset.labels).toEqual({ background: 0, Lesion: 1 });
    expect(dataset.notes).toContain('3 point ROIs (landmarks) of "Apex" are left out: a point encloses no pixel, so no label value can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the points)');
    const mask = niftiOf(nifti.files[`labelsTr/${caseKeyPath(a.key)}.nii.gz`]);
    expect(Array.from(mask.values).reduce((n, v) => n + v, 0)).toBe(50);
    expect(Array.from(niftiOf(nifti.files[`labelsTr/${caseKeyPath(b.key)}.nii.gz`]).values).every((v) => v === 0)).toBe(true);
  });

  it("lines (lengths): the SR has each as a two-point POLYLINE with its Length, in mm by each axis's spacing (else in pixels), and imports back as the same line; SEG and NIfTI leave lines out, saying so beside the points", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [ctSop, dxSop] = [uid().slice(0, 50), uid().slice(0, 50)];
    expect(ctSop).not.toBe(dxSop);
    // A CT image whose rows are 0.5 mm apart and columns 0.8 mm; a radiograph with only an Imager
    // Pixel Spacing (0.2, 0.3 mm) magnified 1.25 times (0.16, 0.24 mm at the patient); a PNG, no spacing.
    await stowOk(server, project, owner(), [
      { name: "ct.dcm", bytes: spacedImage({ sop: ctSop, sopClass: "1.2.840.10008.5.1.4.1.1.2", modality: "CT", spacing: { PixelSpacing: [0.5, 0.8] } }) },
      { name: "dx.dcm", bytes: spacedImage({ sop: dxSop, sopClass: "1.2.840.10008.5.1.4.1.1.1.1", modality: "DX", spacing: { ImagerPixelSpacing: [0.2, 0.3], EstimatedRadiographicMagnificationFactor: 1.25 } }) },
      { name: "span.png", bytes: chestPng(20, 10, 30) },
    ]);
    // Told apart by their Modality: the stored UIDs are the project's own (de-identification).
    const images = await sql<{ id: string; key: string; sop: string; modality: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop, i.metadata->'00080060'->'Value'->>0 AS modality FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [project],
    );
    const [ct, dx, png] = ["CT", "DX", "OT"].map((m) => images.find((i) => i.modality === m)!) as [(typeof images)[number], (typeof images)[number], (typeof images)[number]];
    const span = await buildLabel(owner(), project, { name: "Span", kind: "ROI", roiShape: "LINE" });
    const lesion = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "RECTANGLE" });
    const apex = await buildLabel(owner(), project, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    const r1 = team.ANNOTATOR.id;
    // 3 columns and 4 rows on each image, drawn from either end.
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: ct.id, input: { rois: [{ classId: span, kind: "LINE", points: [[2, 1], [5, 5]] }, { classId: lesion, kind: "RECTANGLE", points: [[2, 1], [12, 6]] }] } });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: dx.id, input: { rois: [{ classId: span, kind: "LINE", points: [[4, 5], [1, 1]] }] } });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: png.id, input: { rois: [{ classId: span, kind: "LINE", points: [[16, 8.5], [13, 4.5]] }, { classId: apex, kind: "POINT", points: [[4.5, 3.5]] }] } });

    // SR: a Measurement Group per line, its Image Region the two ends as drawn, its Length beside it.
    const sr = (await runExport(project, { format: "DICOM_SR", scope: "READER", readerId: r1 })).files;
    const reportOf = (c: { key: string }) => sr[`${caseKeyPath(c.key)}/${r1}-v1-sr.dcm`]!;
    const lines = (bytes: Uint8Array) => {
      const raw = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, any>;
      const items = (item: Record<string, any>) => [item.ContentSequence].flat().filter(Boolean) as Array<Record<string, any>>;
      const meaning = (item: Record<string, any>) => [item.ConceptNameCodeSequence].flat()[0]?.CodeMeaning;
      return items(items(raw).find((c) => meaning(c) === "Imaging Measurements")!).flatMap((g) => {
        const length = items(g).find((c) => meaning(c) === "Length");
        if (!length) return [];
        const region = items(g).find((c) => meaning(c) === "Image Region")!;
        const measured = [length.MeasuredValueSequence].flat()[0];
        return [[region.GraphicType, [region.GraphicData].flat().map(Number), Number(measured.NumericValue), [measured.MeasurementUnitsCodeSequence].flat()[0].CodeValue]];
      });
    };
    // hypot(3 × 0.8, 4 × 0.5) = 3.1241 mm; hypot(3 × 0.24, 4 × 0.16) = 0.9633 mm; 5 pixels.
    expect(lines(reportOf(ct))).toEqual([["POLYLINE", [2, 1, 5, 5], 3.1241, "mm"]]);
    expect(lines(reportOf(dx))).toEqual([["POLYLINE", [4, 5, 1, 1], 0.9633, "mm"]]);
    expect(lines(reportOf(png))).toEqual([["POLYLINE", [16, 8.5, 13, 4.5], 5, "{pixels}"]]);
    const readBack = readMeasurementReportSR(reportOf(png));
    expect(readBack.rois.map(({ className, kind, points, sopInstanceUid }) => ({ className, kind, points, sopInstanceUid }))).toEqual([
      { className: "Span", kind: "line", points: [[16, 8.5], [13, 4.5]], sopInstanceUid: png.sop },
      { className: "Apex", kind: "point", points: [[4.5, 3.5]], sopInstanceUid: png.sop },
    ]);
    expect(readBack.warnings).toEqual([]);

    // Imported by the manager: the same line (and rectangle), ids and the order of the ends kept.
    const { importStructuredReports: [back] } = await team.MANAGER.caller.ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId: project,
      files: [{ name: "ct-sr.dcm", contentBase64: Buffer.from(reportOf(ct)).toString("base64") }],
    });
    expect(back).toMatchObject({ status: "IMPORTED", caseId: ct.id, rois: 2, warnings: [] });
    const same = (s: Awaited<ReturnType<typeof stored>>) => s.rois.map(({ id, class_id, kind, points, sop_instance_uid, frame }) => ({ id, class_id, kind, points, sop_instance_uid, frame }));
    const original = same(await stored(ct.id, r1));
    expect(original.find((r) => r.kind === "LINE")).toMatchObject({ class_id: span, points: [[2, 1], [5, 5]] });
    expect(same(await stored(ct.id, team.MANAGER.id))).toEqual(original);

    // SEG: the rectangle's segment only; the cases of lines (and a point) alone have none; README.txt says what was left out, points and lines each.
    const seg = await runExport(project, { format: "DICOM_SEG", scope: "READER", readerId: r1 });
    expect(Object.keys(seg.files).sort()).toEqual([`${caseKeyPath(ct.key)}/${r1}-v1-seg.dcm`, "README.txt"].sort());
    const decoded = readSegmentation(seg.files[`${caseKeyPath(ct.key)}/${r1}-v1-seg.dcm`]!);
    expect(decoded.segments.map((x) => x.label)).toEqual(["Lesion"]);
    expect(decoded.frames.map((f) => f.mask.reduce((n, v) => n + v, 0))).toEqual([50]);
    const readme = Buffer.from(seg.files["README.txt"]!).toString("utf8");
    expect(readme).toContain('1 point ROI (landmarks) of "Apex" is left out: a point encloses no pixel, so no segment can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the points).\n');
    expect(readme).toContain('3 line ROIs (lengths) of "Span" are left out: a line encloses no pixel, so no segment can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the lines).\n');

    // NIfTI: no label value for the line (or point) class; the masks hold the rectangle only; dataset.json's notes say why.
    const nifti = await runExport(project, { format: "NIFTI", scope: "READER", readerId: r1 });
    const dataset = JSON.parse(Buffer.from(nifti.files["dataset.json"]!).toString("utf8"));
    expect(dataset.labels).toEqual({ background: 0, Lesion: 1 });
    expect(dataset.notes).toContain('3 line ROIs (lengths) of "Span" are left out: a line encloses no pixel, so no label value can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the lines)');
    expect(dataset.notes).toContain('1 point ROI (landmarks) of "Apex" is left out: a point encloses no pixel, so no label value can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the points)');
    expect(Array.from(niftiOf(nifti.files[`labelsTr/${caseKeyPath(ct.key)}.nii.gz`]).values).reduce((n, v) => n + v, 0)).toBe(50);
    for (const c of [dx, png]) expect(Array.from(niftiOf(nifti.files[`labelsTr/${caseKeyPath(c.key)}.nii.gz`]).values).every((v) => v === 0)).toBe(true);
  });

  const segFixture = (name: string) => manifest?.dicom.find((e) => e.path === `dicom/seg/${name}`);
  const ct2 = manifest?.dicom.filter((e) => e.path.startsWith("dicom/series/dicomdirtests/77654033/CT2/")) ?? [];
  const cr1 = manifest?.dicom.find((e) => e.path === "dicom/series/dicomdirtests/77654033/CR1/6154");
  const segFixtures = manifest && ct2.length === 4 && cr1 && ["seg_image_ct_binary.dcm", "seg_image_ct_binary_fractional.dcm", "seg_image_cr_binary.dcm", "liver.dcm"].every((n) => segFixture(n));
  it.skipIf(!segFixtures)(`imports the shared fixtures' segmentations once the project holds their CT series and CR image (highdicom's), and refuses one whose images it lacks${segFixtures ? "" : ` (${NO_FIXTURES})`}`, async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    const read = (p: string) => new Uint8Array(fs.readFileSync(path.join(manifest!.dir, p)));
    await stowOk(server, project, owner(), [...ct2, cr1!].map((e) => ({ name: path.basename(e.path), bytes: read(e.path) })));
    const segment = await buildLabel(owner(), project, { name: "First Segment", kind: "ROI", roiShape: "FREEHAND" });
    const names = ["seg_image_ct_binary.dcm", "seg_image_ct_binary_fractional.dcm", "seg_image_cr_binary.dcm", "liver.dcm"];
    const { importStructuredReports: results } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId: project,
      files: names.map((n) => ({ name: n, contentBase64: Buffer.from(read(segFixture(n)!.path)).toString("base64") })),
    });
    expect(results.map((r) => r.status)).toEqual(["IMPORTED", "IMPORTED", "IMPORTED", "REFUSED"]);
    const [ct, fractional, cr, liver] = results as [ImportResult, ImportResult, ImportResult, ImportResult];
    // The stored images are de-identified: the files name their original UIDs.
    for (const r of [ct, fractional, cr]) expect(r.warnings.some((w) => w.includes("original UID")), JSON.stringify(r.warnings)).toBe(true);
    expect(fractional.caseId).toBe(ct.caseId);
    expect([ct.version, fractional.version]).toEqual([1, 2]);
    expect(cr.caseId).not.toBe(ct.caseId);
    expect(liver.message).toContain("1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10.23431.1");

    // The CT's SEG without its frames' source references (nor the series list): placed by each frame's plane instead, on the same slices.
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(read(segFixture(names[0]!)!.path).slice().buffer as ArrayBuffer).dict) as Record<string, unknown>;
    const { ReferencedSeriesSequence: _series, SourceImageSequence: _sources, ...rest } = ds;
    const groups = (ds.PerFrameFunctionalGroupsSequence as Array<Record<string, unknown>>).map(({ DerivationImageSequence: _, ...g }) => g);
    const planed = part10Of({ ...(rest as { SOPClassUID: string; SOPInstanceUID: string }), SOPInstanceUID: `${ds.SOPInstanceUID}.9`, PerFrameFunctionalGroupsSequence: groups });
    const { importStructuredReports: [byPlane] } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, { projectId: project, files: [{ name: "by-plane.dcm", contentBase64: Buffer.from(planed).toString("base64") }] });
    expect(byPlane, JSON.stringify(byPlane)).toMatchObject({ status: "IMPORTED", caseId: ct.caseId, rois: ct.rois, version: 3 });
    const sopsOf = async (r: ImportResult) => (await sql<{ sop: string }>(`SELECT DISTINCT sop_instance_uid AS sop FROM rois WHERE annotation_id = $1 ORDER BY 1`, [r.annotationId])).map((x) => x.sop);
    expect(await sopsOf(byPlane!)).toEqual(await sopsOf(ct));

    // Each import's regions set, on the stored images, the pixels the file's frames set (decoded here with dcmjs).
    const setPixels = (bytes: Uint8Array) => {
      const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer).dict) as Record<string, unknown>;
      const px = new Uint8Array((ds.PixelData as ArrayBuffer[])[0]!);
      const n = Number(ds.Rows) * Number(ds.Columns) * Number(ds.NumberOfFrames);
      let count = 0;
      for (let i = 0; i < n; i++) count += Number(ds.BitsAllocated) === 1 ? (px[i >> 3]! >> (i & 7)) & 1 : px[i]! * 2 >= Number(ds.MaximumFractionalValue) ? 1 : 0;
      return count;
    };
    for (const [r, name] of [[ct, names[0]], [fractional, names[1]], [cr, names[2]]] as const) {
      const rois = await sql<{ points: Array<[number, number]>; sop_instance_uid: string; class_id: string }>(`SELECT points, sop_instance_uid, class_id FROM rois WHERE annotation_id = $1`, [r.annotationId]);
      expect(rois.every((x) => x.class_id === segment)).toBe(true);
      const onImages = await sql<{ sop_instance_uid: string }>(`SELECT sop_instance_uid FROM instances WHERE project_id = $1 AND sop_instance_uid = ANY($2::text[])`, [project, rois.map((x) => x.sop_instance_uid)]);
      expect(new Set(onImages.map((x) => x.sop_instance_uid)).size).toBe(new Set(rois.map((x) => x.sop_instance_uid)).size);
      const masks = segmentMasks({ rois: rois.map((x, i) => ({ id: `${i}`, className: x.sop_instance_uid, kind: "freehand" as const, points: x.points })), source: { rows: 16, columns: 16 } as never });
      expect(masks.reduce((n, m) => n + m.mask.reduce((k, v) => k + v, 0), 0), name).toBe(setPixels(read(segFixture(name)!.path)));
    }
  });

  it("a series case: one report per image with something on it (labels on the first), one SEG over the slices with ROIs, geometry from the stored metadata", async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [study, series, frame] = [uid(), uid(), uid()];
    await stowOk(server, project, owner(), [1, 2].map((n) => ({ name: `slice${n}.dcm`, bytes: ctSlice({ study, series, frame, n }) })));
    const [c] = await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [project]);
    const slices = await sql<{ sop: string; metadata: Record<string, { Value?: unknown[] }> }>(
      `SELECT i.sop_instance_uid AS sop, i.metadata FROM instances i WHERE i.project_id = $1 ORDER BY i.instance_number`,
      [project],
    );
    expect(slices).toHaveLength(2);
    const finding = await buildLabel(owner(), project, { name: "Finding" });
    const spot = await buildLabel(owner(), project, { name: "Spot", kind: "ROI", roiShape: "RECTANGLE" });
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: c!.id,
      input: { labels: [{ labelId: finding, value: true, confidence: 60 }], rois: [{ classId: spot, kind: "RECTANGLE", points: [[4, 4], [20, 12]], sopInstanceUid: slices[1]!.sop }] },
    });
    const r1 = team.ANNOTATOR.id;
    const dir = caseKeyPath(c!.key);
    const sr = (await runExport(project, { format: "DICOM_SR", scope: "ALL_READERS" })).files;
    expect(Object.keys(sr).sort()).toEqual([`${dir}/${r1}-v1-${slices[0]!.sop}-sr.dcm`, `${dir}/${r1}-v1-${slices[1]!.sop}-sr.dcm`].sort());
    const first = readMeasurementReportSR(sr[`${dir}/${r1}-v1-${slices[0]!.sop}-sr.dcm`]!);
    expect([first.labels.map((l) => l.name), first.rois]).toEqual([["Finding"], []]);
    const second = readMeasurementReportSR(sr[`${dir}/${r1}-v1-${slices[1]!.sop}-sr.dcm`]!);
    expect([second.labels, second.rois.map((r) => [r.className, r.points, r.sopInstanceUid])]).toEqual([[], [["Spot", [[4, 4], [20, 12]], slices[1]!.sop]]]);
    const seg = (await runExport(project, { format: "DICOM_SEG", scope: "ALL_READERS" })).files;
    expect(Object.keys(seg)).toEqual([`${dir}/${r1}-v1-seg.dcm`]);
    const bytes = seg[`${dir}/${r1}-v1-seg.dcm`]!;
    expect(readSegmentation(bytes).frames.map((f) => f.sourceSopInstanceUid)).toEqual([slices[1]!.sop]);
    // The stored (de-identified) image's identifiers and geometry, as its metadata holds them.
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, any>;
    const meta = slices[1]!.metadata;
    expect(ds.StudyInstanceUID).toBe(meta["0020000D"]!.Value![0]);
    expect(ds.FrameOfReferenceUID).toBe(meta["00200052"]!.Value![0]);
    expect(ds.PatientID).toBe(meta["00100020"]!.Value![0]);
    const plane = ds.PerFrameFunctionalGroupsSequence?.[0]?.PlanePositionSequence?.[0] ?? ds.PerFrameFunctionalGroupsSequence?.PlanePositionSequence;
    expect(plane?.ImagePositionPatient?.map(Number)).toEqual((meta["00200032"]!.Value as number[]).map(Number));
  });

  it("SEG round trip over a series: one SEG for the reader's ROIs on two slices, imported by the owner onto the same slices, pixel for pixel", async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [study, series, frame] = [uid(), uid(), uid()];
    await stowOk(server, project, owner(), [3, 1, 2].map((n) => ({ name: `slice${n}.dcm`, bytes: ctSlice({ study, series, frame, n }) })));
    const [c] = await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [project]);
    const sop = async (n: number) => (await sql<{ sop: string }>(`SELECT sop_instance_uid AS sop FROM instances WHERE project_id = $1 AND instance_number = $2`, [project, n]))[0]!.sop;
    const [s1, s3] = [await sop(1), await sop(3)];
    const organ = await buildLabel(owner(), project, { name: "Organ", kind: "ROI", roiShape: "FREEHAND" });
    const box = await buildLabel(owner(), project, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const drawn = [
      { classId: organ, kind: "FREEHAND", points: [[5, 5], [40, 8], [30, 50], [8, 35]], sopInstanceUid: s1 },
      { classId: box, kind: "RECTANGLE", points: [[10, 12], [30, 20]], sopInstanceUid: s3 },
      { classId: organ, kind: "FREEHAND", points: [[44, 40], [60, 44], [50, 60]], sopInstanceUid: s3 },
    ];
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c!.id, input: { labels: [], rois: drawn } });
    const seg = (await runExport(project, { format: "DICOM_SEG", scope: "READER", readerId: team.ANNOTATOR.id })).files;
    const name = `${caseKeyPath(c!.key)}/${team.ANNOTATOR.id}-v1-seg.dcm`;
    expect(Object.keys(seg)).toEqual([name]);
    // Box, then Organ (segments by name); each segment's slices in position order.
    expect(segFrames(seg[name]!).map((f) => [f.image[0], f.index])).toEqual([[s3, [1, 2]], [s1, [2, 1]], [s3, [2, 2]]]);
    const [back] = (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, { projectId: project, files: [{ name: "reader-seg.dcm", contentBase64: Buffer.from(seg[name]!).toString("base64") }] })).importStructuredReports;
    expect(back).toMatchObject({ status: "IMPORTED", warnings: [] });
    const pixels = (rois: Array<{ class_id?: string; classId?: string; kind: string; points: Array<[number, number]> | number[][]; sop_instance_uid?: string; sopInstanceUid?: string }>) => {
      const out: Record<string, number[]> = {};
      for (const r of rois) {
        const key = `${r.sop_instance_uid ?? r.sopInstanceUid}/${(r.class_id ?? r.classId) === box ? "Box" : "Organ"}`;
        const m = new Uint8Array(64 * 64);
        fillPolygon(m, 64, 64, closedOutline({ kind: r.kind === "RECTANGLE" ? "rectangle" : "freehand", points: r.points as Array<[number, number]> }));
        out[key] = (out[key] ?? new Array(4096).fill(0)).map((v, i) => v | m[i]!);
      }
      return out;
    };
    const imported = await sql<{ class_id: string; kind: string; points: Array<[number, number]>; sop_instance_uid: string }>(`SELECT class_id, kind, points, sop_instance_uid FROM rois WHERE annotation_id = $1`, [back!.annotationId]);
    expect(pixels(imported)).toEqual(pixels(drawn));
  });

  it("a multi-frame image without patient space: the SR names each region's frame, and each frame with ROIs gets its own SEG naming it", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const sopIn = uid();
    const ELE = "1.2.840.10008.1.2.1";
    const dataset = imageDataset({ rows: 16, columns: 16, bitsAllocated: 8, bitsStored: 8, frames: 3, sopInstanceUid: sopIn, studyInstanceUid: uid(), seriesInstanceUid: uid(), modality: "OT" });
    await stowOk(server, project, owner(), [{ name: "cine.dcm", bytes: part10(ELE, dataset, fileMeta(ELE, "1.2.840.10008.5.1.4.1.1.7", sopIn)) }]);
    const [c] = await sql<{ id: string; key: string; sop: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [project],
    );
    const spot = await buildLabel(owner(), project, { name: "Spot", kind: "ROI", roiShape: "RECTANGLE" });
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: c!.id,
      input: {
        rois: [
          { classId: spot, kind: "RECTANGLE", points: [[1, 1], [6, 6]], sopInstanceUid: c!.sop, frame: 1 },
          { classId: spot, kind: "RECTANGLE", points: [[8, 8], [14, 12]], sopInstanceUid: c!.sop, frame: 3 },
        ],
      },
    });
    const [r1, dir] = [team.ANNOTATOR.id, caseKeyPath(c!.key)];
    const sr = (await runExport(project, { format: "DICOM_SR", scope: "ALL_READERS" })).files;
    const report = readMeasurementReportSR(sr[`${dir}/${r1}-v1-sr.dcm`]!);
    expect(report.rois.map((r) => [r.points, r.frame])).toEqual([
      [[[1, 1], [6, 6]], 1],
      [[[8, 8], [14, 12]], 3],
    ]);
    const seg = (await runExport(project, { format: "DICOM_SEG", scope: "ALL_READERS" })).files;
    // A secondary capture has no patient space: a SEG per frame with ROIs, each named by its image and frame.
    expect(Object.keys(seg).sort()).toEqual([`${dir}/${r1}-v1-${c!.sop}-f1-seg.dcm`, `${dir}/${r1}-v1-${c!.sop}-f3-seg.dcm`]);
    for (const frame of [1, 3]) {
      const bytes = seg[`${dir}/${r1}-v1-${c!.sop}-f${frame}-seg.dcm`]!;
      const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, any>;
      const source = [ds.SourceImageSequence].flat()[0];
      expect([source.ReferencedSOPInstanceUID, source.ReferencedFrameNumber]).toEqual([c!.sop, frame]);
      // Only that frame's region in its mask: 25 pixels on frame 1, 24 on frame 3.
      expect(readSegmentation(bytes).frames[0]!.mask.reduce((n, v) => n + v, 0)).toBe(frame === 1 ? 25 : 24);
    }
  });

  it("an enhanced multi-frame image: one SEG over its frames, each in that frame's plane from the image's functional groups; a frame without one alone", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const [study, series, frameOfReference] = ["2.25.71", "2.25.72", "2.25.73"].map((u) => `${u}${Date.now()}${Math.floor(Math.random() * 1e6)}`);
    const bytes = enhancedCt({ study, series, frame: frameOfReference });
    await stowOk(server, project, owner(), [{ name: "enhanced.dcm", bytes }]);
    const [c] = await sql<{ id: string; key: string; sop: string; frame: string; per_frame: number }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop, i.metadata->'00200052'->'Value'->>0 AS frame,
              jsonb_array_length(i.metadata->'52009230'->'Value') AS per_frame
         FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [project],
    );
    expect(c!.per_frame).toBe(3); // the functional groups are kept through de-identification
    const spot = await buildLabel(owner(), project, { name: "Spot", kind: "ROI", roiShape: "RECTANGLE" });
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: c!.id,
      input: { rois: [1, 2, 3].map((frame) => ({ classId: spot, kind: "RECTANGLE", points: [[2, 2], [9, 9]], sopInstanceUid: c!.sop, frame })) },
    });
    const [r1, dir] = [team.ANNOTATOR.id, caseKeyPath(c!.key)];
    const seg = (await runExport(project, { format: "DICOM_SEG", scope: "ALL_READERS" })).files;
    // Frames 1 and 3 lie in patient space: one SEG over both, each frame in its own plane (not the
    // first frame's for both), with the shared spacing and orientation. Frame 2's groups give it no
    // position: its own SEG names the frame, with no plane.
    expect(Object.keys(seg).sort()).toEqual([1, 2].map((f) => `${dir}/${r1}-v1-${c!.sop}-f${f}-seg.dcm`));
    const both = seg[`${dir}/${r1}-v1-${c!.sop}-f1-seg.dcm`]!;
    expect(segFrames(both)).toEqual([
      { image: [c!.sop, 1], position: [-5.6, -5.6, 10], index: [1, 1], pixels: 49 },
      { image: [c!.sop, 3], position: [-5.6, -5.6, 15], index: [1, 2], pixels: 49 },
    ]);
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(both.slice().buffer).dict) as Record<string, any>;
    const shared = [ds.SharedFunctionalGroupsSequence].flat()[0];
    const measures = [shared?.PixelMeasuresSequence].flat()[0];
    expect([ds.FrameOfReferenceUID, [...measures.PixelSpacing.map(Number), Number(measures.SliceThickness)], [[shared?.PlaneOrientationSequence].flat()[0]?.ImageOrientationPatient].flat().map(Number)]).toEqual([
      c!.frame,
      [0.7, 0.7, 2.5],
      [1, 0, 0, 0, 1, 0],
    ]);
    expect([ds.SourceImageSequence].flat().map((r: any) => r.ReferencedFrameNumber)).toEqual([1, 3]);
    const second = seg[`${dir}/${r1}-v1-${c!.sop}-f2-seg.dcm`]!;
    const alone = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(second.slice().buffer).dict) as Record<string, any>;
    expect([segFrames(second), alone.FrameOfReferenceUID ?? null]).toEqual([[{ image: [c!.sop, 2], position: null, index: [1], pixels: 49 }], null]);
  });

  it("a NIfTI volume: ROIs drawn on its slices export as one SEG, each frame in its slice's plane, in patient space", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    // 12 x 10 x 3, 0.5 mm pixels, 2 mm slices, qform identity (RAS) at (1, 2, 3): in LPS each slice
    // is turned both ways for display, so its top-left pixel is at (-1 - 11 x 0.5, -2 - 9 x 0.5, 3 + 2k).
    const values = Array.from({ length: 12 * 10 * 3 }, (_, i) => (i * 7) % 300);
    const volume = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [12, 10, 3], pixdim: [0.5, 0.5, 2], values, qformCode: 1, qoffset: [1, 2, 3] });
    await stowOk(server, project, owner(), [{ name: "sub-07.nii", bytes: volume }]);
    const [c] = await sql<{ id: string; key: string; sop: string; frame: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop, i.metadata->'00200052'->'Value'->>0 AS frame FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [project],
    );
    expect(c!.key).toBe("sub-07");
    const spot = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "RECTANGLE" });
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: c!.id,
      input: { rois: [1, 3].map((frame) => ({ classId: spot, kind: "RECTANGLE", points: [[2, 2], [6, 5]], sopInstanceUid: c!.sop, frame })) },
    });
    const [r1, dir] = [team.ANNOTATOR.id, caseKeyPath(c!.key)];
    const seg = (await runExport(project, { format: "DICOM_SEG", scope: "ALL_READERS" })).files;
    // One SEG over the volume: a frame per slice with ROIs, each in its slice's plane, in position order.
    expect(Object.keys(seg)).toEqual([`${dir}/${r1}-v1-seg.dcm`]);
    const bytes = seg[`${dir}/${r1}-v1-seg.dcm`]!;
    expect(segFrames(bytes)).toEqual([
      { image: [c!.sop, 1], position: [-6.5, -6.5, 3], index: [1, 1], pixels: 12 },
      { image: [c!.sop, 3], position: [-6.5, -6.5, 7], index: [1, 2], pixels: 12 },
    ]);
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, any>;
    const shared = [ds.SharedFunctionalGroupsSequence].flat()[0];
    expect([ds.FrameOfReferenceUID, [[shared?.PlaneOrientationSequence].flat()[0]?.ImageOrientationPatient].flat().map(Number), [[shared?.PixelMeasuresSequence].flat()[0]?.PixelSpacing].flat().map(Number)]).toEqual([
      c!.frame,
      [1, 0, 0, 0, 1, 0],
      [0.5, 0.5],
    ]);
  });

  it.skipIf(!tid1500 || !ctSmall)(`imports the TID 1500 SR of the shared fixtures once the project holds its CT image${tid1500 && ctSmall ? "" : ` (${NO_FIXTURES})`}`, async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const sr = new Uint8Array(fs.readFileSync(path.join(manifest!.dir, tid1500!.path)));
    const referenced = readMeasurementReportSR(sr).rois[0]!.sopInstanceUid;
    const send = async () =>
      (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, { projectId: project, files: [{ name: "sr_document.dcm", contentBase64: Buffer.from(sr).toString("base64") }] }))
        .importStructuredReports[0]!;
    // The image it describes is not in the project yet.
    await stowOk(server, project, owner(), [{ name: "other.png", bytes: chestPng(8, 8, 1) }]);
    const refused = await send();
    expect(refused.status).toBe("REFUSED");
    expect(refused.message).toContain(referenced);
    // Its ROI class, named in other letters.
    const cord = await buildLabel(owner(), project, { name: "SPINAL CORD", kind: "ROI", roiShape: "FREEHAND" });
    await stowOk(server, project, owner(), [{ name: "ct.dcm", bytes: new Uint8Array(fs.readFileSync(path.join(manifest!.dir, ctSmall!.path))) }]);
    const result = await send();
    expect(result.status).toBe("IMPORTED");
    expect(result.rois).toBe(1);
    // The stored image is de-identified: its UID is the project's replacement of the one the report names.
    expect(result.warnings.some((w) => w.includes("original UID"))).toBe(true);
    expect(result.warnings.some((w) => w.includes("CIRCLE"))).toBe(true);
    const [row] = await sql<{ class_id: string; kind: string; points: number[][]; sop_instance_uid: string; key: string }>(
      `SELECT r.class_id, r.kind, r.points, r.sop_instance_uid, c.key FROM rois r JOIN annotations a ON a.id = r.annotation_id JOIN cases c ON c.id = a.case_id WHERE a.id = $1`,
      [result.annotationId],
    );
    expect(row).toMatchObject({ class_id: cord, kind: "FREEHAND", key: result.caseKey });
    expect(row!.points).toHaveLength(64);
    expect(row!.sop_instance_uid).not.toBe(referenced);
    expect((await sql(`SELECT 1 FROM instances WHERE project_id = $1 AND sop_instance_uid = $2`, [project, row!.sop_instance_uid])).length).toBe(1);
  });

  it("a NIfTI label mask made on an uploaded NIfTI lands on its frames, label by label, and one made from a CT series on its slices; one in no image's planes is refused", async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    // The image: 12 x 10 x 3, qform at (1, 2, 3) (as the NIfTI test above); its mask on the same grid.
    const image = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [12, 10, 3], pixdim: [0.5, 0.5, 2], values: Array.from({ length: 360 }, (_, i) => i % 97), qformCode: 1, qoffset: [1, 2, 3] });
    const labels = new Uint8Array(360);
    const voxel = (x: number, y: number, z: number) => z * 120 + y * 12 + x;
    for (let y = 1; y < 4; y++) for (let x = 2; x < 7; x++) labels[voxel(x, y, 1)] = 1; // 15 voxels of label 1 on slice 2
    for (let y = 5; y < 9; y++) for (let x = 8; x < 11; x++) labels[voxel(x, y, 2)] = 2; // 12 of label 2 on slice 3
    labels[voxel(0, 9, 2)] = 2; // and one apart: a second region
    const mask = niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [12, 10, 3], pixdim: [0.5, 0.5, 2], values: labels, qformCode: 1, qoffset: [1, 2, 3] });
    // A CT series of two 64 x 64 slices at z = 41.25 and 42.5 (LPS), and a mask made from it: RAS sform, x and y negated.
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [study, series, frame] = [uid(), uid(), uid()];
    const ct = new Uint8Array(64 * 64 * 2);
    for (let y = 10; y < 20; y++) ct.fill(1, 64 * 64 + y * 64 + 30, 64 * 64 + y * 64 + 40); // 100 voxels on the second slice
    const ctMask = niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [64, 64, 2], pixdim: [0.5, 0.5, 1.25], values: ct, sformCode: 1, srow: [[-0.5, 0, 0, 16], [0, -0.5, 0, 16], [0, 0, 1.25, 41.25]] });
    await stowOk(server, project, owner(), [
      { name: "sub-01.nii", bytes: image },
      ...[1, 2].map((n) => ({ name: `ct/slice${n}.dcm`, bytes: ctSlice({ study, series, frame, n }) })),
    ]);
    const one = await buildLabel(owner(), project, { name: "1", kind: "ROI", roiShape: "FREEHAND" });
    const two = await buildLabel(owner(), project, { name: "Label 2", kind: "ROI", roiShape: "FREEHAND" });
    const nodule = await buildLabel(owner(), project, { name: "Nodule", kind: "ROI", roiShape: "FREEHAND" });
    const elsewhere = niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [12, 10, 3], pixdim: [0.5, 0.5, 2], values: labels, qformCode: 1, qoffset: [1, 2, 30] });
    const gz = (b: Uint8Array) => Buffer.from(gzipSync(b)).toString("base64");
    const { importStructuredReports: results } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, {
      projectId: project,
      files: [
        { name: "sub-01_seg.nii.gz", contentBase64: gz(mask) },
        { name: "nodule.nii.gz", contentBase64: gz(ctMask) },
        { name: "moved.nii.gz", contentBase64: gz(elsewhere) },
      ],
    });
    expect(results.map((r) => [r.status, r.rois])).toEqual([["IMPORTED", 3], ["IMPORTED", 1], ["REFUSED", 0]]);
    expect(results[2]!.message).toContain("no image of this project lies in its slices' planes");
    const [volumeCase] = await sql<{ id: string; sop: string }>(`SELECT c.id, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.project_id = $1 AND i.frames = 3`, [project]);
    expect(results[0]!.caseId).toBe(volumeCase!.id);
    const rois = async (r: ImportResult) =>
      sql<{ class_id: string; points: Array<[number, number]>; sop_instance_uid: string; frame: number }>(`SELECT class_id, points, sop_instance_uid, frame FROM rois WHERE annotation_id = $1 ORDER BY frame, class_id`, [r.annotationId]);
    const onVolume = await rois(results[0]!);
    expect(onVolume.map((r) => [r.class_id === one ? "1" : r.class_id === two ? "Label 2" : "?", r.frame, r.sop_instance_uid])).toEqual(
      [["1", 2, volumeCase!.sop], ["Label 2", 3, volumeCase!.sop], ["Label 2", 3, volumeCase!.sop]].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    // The regions set as many pixels as the labels had voxels, on the turned slices (both axes flipped: see the NIfTI test above).
    const area = (rs: typeof onVolume, rows: number, columns: number) => segmentMasks({ rois: rs.map((r, i) => ({ id: `${i}`, className: `${r.frame}`, kind: "freehand" as const, points: r.points })), source: { rows, columns } as never }).map((m) => m.mask.reduce((n, v) => n + v, 0));
    expect(area(onVolume, 10, 12)).toEqual([15, 13]);
    const label1 = onVolume.find((r) => r.class_id === one)!;
    // Voxels x 2..6, y 1..3 become columns 11 - x and rows 9 - y: columns 5..9, rows 6..8.
    expect(new Set(label1.points.map((p) => p.join(",")))).toEqual(new Set(["5,6", "10,6", "10,9", "5,9"]));

    const onSeries = await rois(results[1]!);
    const sop2 = (await sql<{ sop: string }>(`SELECT sop_instance_uid AS sop FROM instances WHERE project_id = $1 AND instance_number = 2`, [project]))[0]!.sop;
    expect(onSeries.map((r) => [r.class_id, r.sop_instance_uid, r.frame])).toEqual([[nodule, sop2, 1]]);
    expect(new Set(onSeries[0]!.points.map((p) => p.join(",")))).toEqual(new Set(["30,10", "40,10", "40,20", "30,20"]));
  });

  it("names given with the import (an nnU-Net dataset.json's labels) name a mask's values, before its own; bad names are refused whole", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const image = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [8, 6, 2], pixdim: [1, 1, 2], values: Array.from({ length: 96 }, (_, i) => i), qformCode: 1, qoffset: [0, 0, 0] });
    await stowOk(server, project, owner(), [{ name: "sub-02.nii", bytes: image }]);
    const liver = await buildLabel(owner(), project, { name: "Liver", kind: "ROI", roiShape: "FREEHAND" });
    const tumour = await buildLabel(owner(), project, { name: "Tumour", kind: "ROI", roiShape: "FREEHAND" });
    const values = new Uint8Array(96);
    values.fill(1, 48 + 8, 48 + 24); // slice 2, rows 1-2: liver
    values.fill(2, 48 + 32, 48 + 36); // slice 2, row 4, columns 0-3: tumour
    const mask = niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [8, 6, 2], pixdim: [1, 1, 2], values, qformCode: 1, qoffset: [0, 0, 0] });
    const files = [{ name: "sub-02.nii.gz", contentBase64: Buffer.from(gzipSync(mask)).toString("base64") }];
    const unnamed = (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT_NAMED, { projectId: project, files })).importStructuredReports[0]!;
    expect(unnamed.status).toBe("REFUSED");
    expect(unnamed.warnings).toEqual([`ROI class "1" is not an ROI class of this project; its regions are left out`, `ROI class "2" is not an ROI class of this project; its regions are left out`]);
    const maskLabels = [{ value: 1, name: "liver" }, { value: 2, name: "Tumour" }];
    const named = (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT_NAMED, { projectId: project, files, maskLabels })).importStructuredReports[0]!;
    expect(named).toMatchObject({ status: "IMPORTED", rois: 2, warnings: [] });
    const classes = await sql<{ class_id: string; frame: number }>(`SELECT class_id, frame FROM rois WHERE annotation_id = $1 ORDER BY class_id = $2 DESC`, [named.annotationId, liver]);
    expect(classes).toEqual([{ class_id: liver, frame: 2 }, { class_id: tumour, frame: 2 }]);
    const bad = await owner().gql(IMPORT_NAMED, { projectId: project, files, maskLabels: [{ value: 1, name: "a" }, { value: 1, name: "b" }, { value: 0, name: " " }] });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad)).toContain("maskLabels[1].value");
    expect(JSON.stringify(bad)).toContain("maskLabels[2].name");
  });

  const balls = ["nifti/BallBinary30x30x30.nii.gz", "nrrd/BallBinary30x30x30.nrrd", "nrrd/BallBinary30x30x30_gz.nrrd", "nrrd/BallBinary30x30x30_bz2.nrrd"];
  const ballFixtures = manifest && balls.every((p) => [...manifest.nifti, ...manifest.nrrd].some((e) => e.path === p));
  it.skipIf(!ballFixtures)(`the shared fixtures' binary ball, uploaded as a NIfTI, takes its own mask back in each of its forms, voxel for voxel${ballFixtures ? "" : ` (${NO_FIXTURES})`}`, async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    const read = (p: string) => new Uint8Array(fs.readFileSync(path.join(manifest!.dir, p)));
    await stowOk(server, project, owner(), [{ name: "ball.nii.gz", bytes: read(balls[0]!) }]);
    const [image] = await sql<{ sop: string; frames: number }>(`SELECT sop_instance_uid AS sop, frames FROM instances WHERE project_id = $1`, [project]);
    // Its one label value is ITK's 257: the forms' file names differ, the value does not.
    const cls = await buildLabel(owner(), project, { name: "Label 257", kind: "ROI", roiShape: "FREEHAND" });
    const ball = new Uint8Array(gunzipSync(read(balls[0]!)));
    const offset = Math.round(new DataView(ball.buffer, ball.byteOffset).getFloat32(108, true));
    let voxels = 0;
    for (let i = offset; i < ball.length; i += 2) voxels += ball[i]! | (ball[i + 1]! << 8) ? 1 : 0; // int16 data
    expect(voxels).toBeGreaterThan(1000);
    for (const p of balls) {
      const { importStructuredReports: [r] } = await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT, { projectId: project, files: [{ name: path.basename(p), contentBase64: Buffer.from(read(p)).toString("base64") }] });
      expect(r, `${p}: ${r!.message} ${r!.warnings.join("; ")}`).toMatchObject({ status: "IMPORTED" });
      const rois = await sql<{ class_id: string; points: Array<[number, number]>; sop_instance_uid: string; frame: number }>(`SELECT class_id, points, sop_instance_uid, frame FROM rois WHERE annotation_id = $1`, [r!.annotationId]);
      expect(rois.every((x) => x.class_id === cls && x.sop_instance_uid === image!.sop && x.frame >= 1 && x.frame <= image!.frames), p).toBe(true);
      const masks = segmentMasks({ rois: rois.map((x, i) => ({ id: `${i}`, className: `${x.frame}`, kind: "freehand" as const, points: x.points })), source: { rows: 30, columns: 30 } as never });
      expect(masks.reduce((n, m) => n + m.mask.reduce((k, v) => k + v, 0), 0), p).toBe(voxels);
    }
  });

  /** A .nii.gz of the export read back with the ingest's own NIfTI reader: sizes, LPS geometry, values. */
  const niftiOf = (gz: Uint8Array | undefined) => {
    expect(gz, "a file the export should hold").toBeDefined();
    const v = readNifti(new Uint8Array(gunzipSync(gz!)), "export.nii");
    const values = v.type === "int16" ? new Int16Array(v.data.slice().buffer) : v.type === "uint8" ? new Uint8Array(v.data) : v.type === "uint16" ? new Uint16Array(v.data.slice().buffer) : null;
    expect(values, `voxel type ${v.type}`).not.toBeNull();
    return { ...v, values: values! };
  };

  /**
   * Checks that each sampled voxel of `ours` (every `di`-th column and `dj`-th row of each slice)
   * holds the value `theirs` has at the same point in patient space, found by solving their affine
   * (the point must fall on one of their voxel centres); answers how many were compared.
   */
  const samePlaces = (ours: ReturnType<typeof niftiOf>, theirs: Pick<ReturnType<typeof niftiOf>, "sizes" | "geometry" | "values">, di: number, dj: number) => {
    const [nx, ny] = theirs.sizes as [number, number, number];
    const [cx, cy, cz] = ours.sizes as [number, number, number];
    const g = theirs.geometry!;
    const { origin: o, steps: s } = ours.geometry!;
    const t = [0, 1, 2].map((r) => [g.steps[0][r]!, g.steps[1][r]!, g.steps[2][r]!]);
    // Cramer's rule on a 3 x 3 system.
    const det = (x: number[][]) => x[0]![0]! * (x[1]![1]! * x[2]![2]! - x[1]![2]! * x[2]![1]!) - x[0]![1]! * (x[1]![0]! * x[2]![2]! - x[1]![2]! * x[2]![0]!) + x[0]![2]! * (x[1]![0]! * x[2]![1]! - x[1]![1]! * x[2]![0]!);
    const solve = (b: number[]) => [0, 1, 2].map((col) => det(t.map((row, r) => row.map((v, c) => (c === col ? b[r]! : v)))) / det(t));
    let compared = 0;
    for (let k = 0; k < cz; k++) {
      for (let j = 0; j < cy; j += dj) {
        for (let i = 0; i < cx; i += di) {
          const p = [0, 1, 2].map((r) => o[r]! + s[0][r]! * i + s[1][r]! * j + s[2][r]! * k - g.origin[r]!);
          const [a, b, c] = solve(p).map((x) => Math.round(x * 1000) / 1000);
          expect([a, b, c].every((x) => Number.isInteger(x)), `voxel ${i},${j},${k} on their grid`).toBe(true);
          expect(theirs.values[a! + b! * nx + c! * nx * ny], `voxel ${i},${j},${k}`).toBe(ours.values[i + j * cx + k * cx * cy]);
          compared++;
        }
      }
    }
    return compared;
  };

  it("NIFTI (nnU-Net layout): a series case's image and label mask on the DICOM grid, a radiograph's unplaced; the mask imports back to the same pixels", async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [study, series, frame] = [uid(), uid(), uid()];
    // Three slices, uploaded out of order: the volume follows their positions, not the upload.
    await stowOk(server, project, owner(), [
      ...[3, 1, 2].map((n) => ({ name: `ct/slice${n}.dcm`, bytes: ctSlice({ study, series, frame, n }) })),
      { name: "chest.png", bytes: chestPng(20, 10, 7) },
    ]);
    const liver = await buildLabel(owner(), project, { name: "Liver", kind: "ROI", roiShape: "FREEHAND" });
    const lesion = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "RECTANGLE" });
    const ct = (await sql<{ id: string; key: string }>(`SELECT DISTINCT c.id, c.key FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.project_id = $1 AND i.rows = 64`, [project]))[0]!;
    const cxr = (await sql<{ id: string; key: string; sop: string }>(`SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.project_id = $1 AND i.rows = 10`, [project]))[0]!;
    const slice = async (n: number) => (await sql<{ sop: string }>(`SELECT sop_instance_uid AS sop FROM instances WHERE project_id = $1 AND instance_number = $2 AND rows = 64`, [project, n]))[0]!.sop;
    const sop = { 1: await slice(1), 2: await slice(2), 3: await slice(3) };
    // Overlapping on slice 2: the lesion (the later class, value 2) wins its pixels.
    const outline: Array<[number, number]> = [[10, 10], [40, 12], [30, 40], [12, 30]];
    await team.ANNOTATOR.caller.ok(SUBMIT, {
      caseId: ct.id,
      input: {
        labels: [],
        rois: [
          { classId: liver, kind: "FREEHAND", points: outline, sopInstanceUid: sop[2] },
          { classId: lesion, kind: "RECTANGLE", points: [[20, 20], [28, 26]], sopInstanceUid: sop[2] },
          { classId: lesion, kind: "RECTANGLE", points: [[5, 50], [15, 60]], sopInstanceUid: sop[3] },
        ],
      },
    });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: cxr.id, input: { labels: [], rois: [{ classId: lesion, kind: "RECTANGLE", points: [[2, 3], [7, 8]], sopInstanceUid: cxr.sop }] } });
    const name = caseKeyPath(ct.key);
    const chest = caseKeyPath(cxr.key);
    const { files } = await runExport(project, { format: "NIFTI", scope: "READER", readerId: team.ANNOTATOR.id });
    expect(Object.keys(files).sort()).toEqual(
      ["dataset.json", "splits_final.json", `cases/${name}.json`, `cases/${chest}.json`, `imagesTr/${name}_0000.nii.gz`, `imagesTr/${chest}_0000.nii.gz`, `labelsTr/${name}.nii.gz`, `labelsTr/${chest}.nii.gz`].sort(),
    );
    const dataset = JSON.parse(Buffer.from(files["dataset.json"]!).toString("utf8"));
    expect(dataset).toMatchObject({ labels: { background: 0, Liver: 1, Lesion: 2 }, numTraining: 2, file_ending: ".nii.gz" });
    // dataset.json names the channel of the first case written (cases go in key order); the PNG became Secondary Capture (OT).
    expect(dataset.channel_names).toEqual({ 0: ct.key < cxr.key ? "CT" : "OT" });

    // The image: 64 x 64 x 3, slice k the k+1-th along z, at the first slice's position, values as stored.
    const image = niftiOf(files[`imagesTr/${name}_0000.nii.gz`]);
    expect([image.sizes, image.type, image.geometry]).toEqual([[64, 64, 3], "int16", { origin: [-16, -16, 41.25], steps: [[0.5, 0, 0], [0, 0.5, 0], [0, 0, 1.25]] }]);
    for (const n of [1, 2, 3]) for (const i of [0, 1, 777, 4095]) expect(image.values[(n - 1) * 4096 + i]).toBe((i * 7 + n) % 4096);
    const record = JSON.parse(Buffer.from(files[`cases/${name}.json`]!).toString("utf8"));
    expect(record.volumes[0].slices).toEqual([1, 2, 3].map((n) => ({ sopInstanceUid: sop[n as 1 | 2 | 3], frame: 1 })));

    // The mask: on the same grid; each ROI's pixels (their centres inside, as the SEG export) take its class's value.
    const mask = niftiOf(files[`labelsTr/${name}.nii.gz`]);
    expect([mask.sizes, mask.type, mask.geometry]).toEqual([[64, 64, 3], "uint8", image.geometry]);
    const expected = new Uint8Array(64 * 64 * 3);
    const paint = (k: number, value: number, roi: Pick<ExportRoi, "kind" | "points">) => {
      const m = new Uint8Array(4096);
      fillPolygon(m, 64, 64, closedOutline(roi));
      m.forEach((on, p) => on && (expected[k * 4096 + p] = value));
    };
    paint(1, 1, { kind: "freehand", points: outline });
    paint(1, 2, { kind: "rectangle", points: [[20, 20], [28, 26]] });
    paint(2, 2, { kind: "rectangle", points: [[5, 50], [15, 60]] });
    expect(expected.filter((v) => v === 1).length).toBeGreaterThan(400);
    expect(Buffer.from(mask.values).equals(Buffer.from(expected))).toBe(true);

    // The radiograph has no patient geometry: its files are placed nowhere, 20 x 10 x 1.
    const flat = niftiOf(files[`labelsTr/${chest}.nii.gz`]);
    expect([flat.sizes, flat.geometry]).toEqual([[20, 10, 1], null]);
    expect(Array.from(flat.values).reduce((n, v) => n + (v === 2 ? 1 : 0), 0)).toBe(25);
    expect(niftiOf(files[`imagesTr/${chest}_0000.nii.gz`]).sizes).toEqual([20, 10, 1]);
    expect(dataset.notes.join(" ")).toContain("differ in their channels");

    // Round trip: the exported mask, named by the export's dataset.json, imported by the owner lands on the same slices, pixel for pixel.
    const maskLabels = Object.entries(dataset.labels as Record<string, number>).filter(([, v]) => v > 0).map(([n, v]) => ({ value: v, name: n }));
    const [back] = (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT_NAMED, { projectId: project, files: [{ name: `${name}.nii.gz`, contentBase64: Buffer.from(files[`labelsTr/${name}.nii.gz`]!).toString("base64") }], maskLabels })).importStructuredReports;
    expect(back).toMatchObject({ status: "IMPORTED", warnings: [] });
    const again = await sql<{ class_id: string; kind: string; points: Array<[number, number]>; sop_instance_uid: string }>(`SELECT class_id, kind, points, sop_instance_uid FROM rois WHERE annotation_id = $1`, [back!.annotationId]);
    const rebuilt = new Uint8Array(64 * 64 * 3);
    for (const [value, classId] of [[1, liver], [2, lesion]] as const) {
      for (const r of again.filter((x) => x.class_id === classId)) {
        const k = [sop[1], sop[2], sop[3]].indexOf(r.sop_instance_uid);
        const m = new Uint8Array(4096);
        fillPolygon(m, 64, 64, closedOutline({ kind: r.kind === "RECTANGLE" ? "rectangle" : "freehand", points: r.points }));
        m.forEach((on, p) => on && (rebuilt[k * 4096 + p] = value));
      }
    }
    expect(Buffer.from(rebuilt).equals(Buffer.from(expected))).toBe(true);

    // Every reader: masks per reader under readers/, numTraining counting the cases' images.
    const all = await runExport(project, { format: "NIFTI", scope: "ALL_READERS" });
    expect(Object.keys(all.files).filter((f) => f.startsWith("readers/")).sort()).toEqual(
      [`readers/${team.ANNOTATOR.id}/${chest}.nii.gz`, `readers/${team.ANNOTATOR.id}/${name}.nii.gz`, `readers/${team.OWNER.id}/${name}.nii.gz`].sort(),
    );
    expect(Object.keys(all.files).some((f) => f.startsWith("labelsTr/"))).toBe(false);
    expect(JSON.parse(Buffer.from(all.files["dataset.json"]!).toString("utf8")).numTraining).toBe(2);
  });

  it("NIFTI: an uploaded NIfTI volume exports with each value where the original file has it, and a mask on the export imports back onto its frames", async () => {
    const project = await buildTeamProject(team, ALL_TRAIN);
    // 12 x 10 x 3, qform at (1, 2, 3): stored as DICOM with its slices turned for display (see the NIfTI SEG test above).
    const values = Array.from({ length: 360 }, (_, i) => ((i * 7) % 300) - 100);
    const original = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [12, 10, 3], pixdim: [0.5, 0.5, 2], values, qformCode: 1, qoffset: [1, 2, 3] });
    await stowOk(server, project, owner(), [{ name: "sub-08.nii", bytes: original }]);
    const [c] = await sql<{ id: string; key: string; sop: string }>(`SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`, [project]);
    const lesion = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "FREEHAND" });
    const outline: Array<[number, number]> = [[1, 1], [9, 2], [6, 8]];
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c!.id, input: { rois: [{ classId: lesion, kind: "FREEHAND", points: outline, sopInstanceUid: c!.sop, frame: 2 }] } });
    const { files } = await runExport(project, { format: "NIFTI", scope: "READER", readerId: team.ANNOTATOR.id });
    const name = caseKeyPath(c!.key);
    const image = niftiOf(files[`imagesTr/${name}_0000.nii.gz`]);
    const source = readNifti(original, "sub-08.nii");
    expect(samePlaces(image, { ...source, values: new Int16Array(source.data.slice().buffer) }, 1, 1)).toBe(360);
    // The mask, on the export's grid: the outline's pixels on slice 2 only.
    const mask = niftiOf(files[`labelsTr/${name}.nii.gz`]);
    const drawn = new Uint8Array(120);
    fillPolygon(drawn, 10, 12, closedOutline({ kind: "freehand", points: outline }));
    expect([...mask.values.subarray(0, 120), ...mask.values.subarray(240)].every((v) => v === 0)).toBe(true);
    expect([...mask.values.subarray(120, 240)]).toEqual([...drawn]);
    // Imported back (as a model's prediction on the exported image would be), it lands on frame 2 with the same pixels.
    const [back] = (await owner().ok<{ importStructuredReports: ImportResult[] }>(IMPORT_NAMED, { projectId: project, files: [{ name: "pred.nii.gz", contentBase64: Buffer.from(files[`labelsTr/${name}.nii.gz`]!).toString("base64") }], maskLabels: [{ value: 1, name: "Lesion" }] })).importStructuredReports;
    expect(back).toMatchObject({ status: "IMPORTED", warnings: [] });
    const rois = await sql<{ points: Array<[number, number]>; frame: number; sop_instance_uid: string }>(`SELECT points, frame, sop_instance_uid FROM rois WHERE annotation_id = $1`, [back!.annotationId]);
    expect(rois.map((r) => [r.frame, r.sop_instance_uid])).toEqual([[2, c!.sop]]);
    const again = new Uint8Array(120);
    fillPolygon(again, 10, 12, closedOutline({ kind: "freehand", points: rois[0]!.points }));
    expect([...again]).toEqual([...drawn]);
  });

  // dcm2niix (Debian's package; .ci/run installs it) is what research groups convert DICOM series with.
  it.skipIf(!hasTool("dcm2niix"))("NIFTI: a series' exported image puts each value where dcm2niix's conversion of the same files puts it", async () => {
    const project = await buildTeamProject(team, { caseUnit: "SERIES", ...ALL_TRAIN });
    const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 32)}`).toString()}`;
    const [study, series, frame] = [uid(), uid(), uid()];
    const originals = [1, 2, 3, 4].map((n) => ctSlice({ study, series, frame, n }));
    await stowOk(server, project, owner(), originals.map((bytes, i) => ({ name: `s${i}.dcm`, bytes })));
    const spot = await buildLabel(owner(), project, { name: "Spot", kind: "ROI", roiShape: "RECTANGLE" });
    const [c] = await sql<{ id: string; key: string; sop: string }>(`SELECT c.id, c.key, min(i.sop_instance_uid) AS sop FROM cases c JOIN instances i ON i.series_id = c.series_id WHERE c.project_id = $1 GROUP BY c.id`, [project]);
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c!.id, input: { labels: [], rois: [{ classId: spot, kind: "RECTANGLE", points: [[1, 1], [3, 3]], sopInstanceUid: c!.sop }] } });
    const { files } = await runExport(project, { format: "NIFTI", scope: "READER", readerId: team.ANNOTATOR.id });
    const ours = niftiOf(files[`imagesTr/${caseKeyPath(c!.key)}_0000.nii.gz`]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-dcm2niix-"));
    try {
      originals.forEach((bytes, i) => fs.writeFileSync(path.join(dir, `s${i}.dcm`), bytes));
      execFileSync("dcm2niix", ["-z", "n", "-b", "n", "-f", "converted", "-o", dir, dir], { stdio: "pipe" });
      const theirs = readNifti(new Uint8Array(fs.readFileSync(path.join(dir, "converted.nii"))), "converted.nii");
      const theirValues = new Int16Array(theirs.data.slice().buffer);
      expect(theirs.sizes.reduce((a, b) => a * b, 1)).toBe(ours.values.length);
      // Every 5th column and 7th row of each slice: 4 x 13 x 10 voxels, each found in dcm2niix's grid.
      expect(samePlaces(ours, { ...theirs, values: theirValues }, 5, 7)).toBe(4 * 10 * 13);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a few thousand cases export in small batches, complete", async () => {
    const CASES = 3000;
    const project = await buildTeamProject(team, ALL_TRAIN);
    await stowOk(server, project, owner(), [{ name: "template.png", bytes: chestPng(12, 12, 3) }]);
    const label = await buildLabel(owner(), project, { name: "Finding" });
    const cls = await buildLabel(owner(), project, { name: "Spot", kind: "ROI", roiShape: "RECTANGLE" });
    const reader = team.ANNOTATOR.id;
    // Cases of the one uploaded image, each with a submitted annotation: a label value and an ROI.
    await sql(
      `WITH t AS (SELECT study_id, series_id, instance_id FROM cases WHERE project_id = $1 LIMIT 1),
            c AS (INSERT INTO cases (project_id, key, study_id, series_id, instance_id)
                  SELECT $1, 'bulk-' || lpad(g::text, 5, '0'), t.study_id, t.series_id, t.instance_id FROM t, generate_series(1, $2) g RETURNING id, key),
            a AS (INSERT INTO annotations (project_id, case_id, reader_id, version, status, opened_at, submitted_at)
                  SELECT $1, c.id, $3, 1, 'SUBMITTED', now() - interval '1 minute', now() FROM c RETURNING id, case_id),
            v AS (INSERT INTO label_values (annotation_id, label_id, value, confidence)
                  SELECT a.id, $4, (substr(c.key, 6)::int % 2 = 0), 60 FROM a JOIN c ON c.id = a.case_id)
       INSERT INTO rois (annotation_id, id, position, class_id, kind, points, sop_instance_uid, frame)
       SELECT a.id, gen_random_uuid(), 0, $5, 'RECTANGLE', jsonb_build_array(jsonb_build_array(1, 1), jsonb_build_array(2 + substr(c.key, 6)::int % 9, 5)),
              (SELECT i.sop_instance_uid FROM instances i WHERE i.project_id = $1 LIMIT 1), 1
         FROM a JOIN c ON c.id = a.case_id`,
      [project, CASES, reader, label, cls],
    );
    setDicomExportBatchSize(50);
    const batches = vi.spyOn(AnnotationsRepository.prototype, "exportAnnotations");
    try {
      const { job, files } = await runExport(project, { format: "DICOM_SR", scope: "ALL_READERS" }, 180_000);
      expect(job.items).toBe(CASES);
      const names = Object.keys(files);
      expect(names).toHaveLength(CASES);
      for (let g = 1; g <= CASES; g++) expect(files[`bulk-${String(g).padStart(5, "0")}/${reader}-v1-sr.dcm`]).toBeDefined();
      // Read in batches of 50 annotations: never the whole project at once.
      expect(batches.mock.calls.filter((c) => c[0] === project).length).toBeGreaterThanOrEqual(CASES / 50);
      expect(Math.max(...batches.mock.calls.filter((c) => c[0] === project).map((c) => c[3] as number))).toBe(50);
      for (const g of [1, 1500, 2999, 3000]) {
        const report = readMeasurementReportSR(files[`bulk-${String(g).padStart(5, "0")}/${reader}-v1-sr.dcm`]!);
        expect(report.labels.map((l) => [l.name, l.value, l.confidence])).toEqual([["Finding", g % 2 === 0, 60]]);
        expect(report.rois.map((r) => [r.className, r.points])).toEqual([["Spot", [[1, 1], [2 + (g % 9), 5]]]]);
      }
    } finally {
      batches.mockRestore();
      setDicomExportBatchSize(200);
    }
  }, 240_000);
});

describe("mapReport", () => {
  const image = { sopInstanceUid: "1.2.3", caseId: "c1", caseKey: "k1", rows: 10, columns: 20, frames: 1 };
  const report = (rois: ImportedMeasurementReport["rois"]): ImportedMeasurementReport => ({
    sopInstanceUid: "9.9",
    studyInstanceUid: "9.8",
    images: [{ sopClassUid: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUid: "1.2.3" }],
    labels: [{ name: "effusion", value: true, confidence: 50, sopInstanceUid: null }],
    rois,
    warnings: [],
  });
  const labels: ImportLabel[] = [
    { id: "00000000-0000-4000-8000-000000000001", name: "Effusion", kind: "CLASSIFICATION", roiShape: null },
    { id: "00000000-0000-4000-8000-000000000002", name: "Outline", kind: "ROI", roiShape: "FREEHAND" },
  ];
  it("matches names case-insensitively, turns a rectangle into a freehand class's outline, and leaves out what cannot be stored, saying why", async () => {
    const mapped = await mapReport(
      report([
        { id: null, trackingUid: null, className: "OUTLINE", kind: "rectangle", points: [[1, 1], [5, 4]], sopInstanceUid: "1.2.3", frame: null },
        { id: null, trackingUid: null, className: "Outline", kind: "freehand", points: [[1, 1], [50, 1], [5, 7]], sopInstanceUid: "1.2.3", frame: null },
        { id: null, trackingUid: null, className: "Mass", kind: "freehand", points: [[1, 1], [9, 1], [5, 7]], sopInstanceUid: "1.2.3", frame: null },
      ]),
      [image],
      labels,
    );
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    // 50 is not a confidence grade: the value stays, without it.
    expect(mapped.input.labels).toEqual([{ labelId: labels[0]!.id, value: true, confidence: null }]);
    expect(mapped.input.rois!.map((r) => [r.kind, r.points])).toEqual([["FREEHAND", [[1, 1], [5, 1], [5, 4], [1, 4]]]]);
    expect(mapped.warnings).toHaveLength(3);
    expect(mapped.warnings[0]).toContain("confidence 50");
    expect(mapped.warnings[1]).toContain("cannot be stored");
    expect(mapped.warnings[2]).toContain('"Mass" is not an ROI class');
  });
  it("simplifies traced outlines (a mask's, a SEG's) that hold more points than an annotation or a region may, saying so; an SR's are refused as they are", async () => {
    // A comb along the top edge: `teeth` one-pixel teeth (4 points each), closed along the bottom: a traced outline's staircase.
    const comb = (teeth: number, y0 = 0): Array<[number, number]> => [
      ...Array.from({ length: teeth }, (_, i): Array<[number, number]> => [[2 * i, y0], [2 * i + 1, y0], [2 * i + 1, y0 + 1], [2 * i + 2, y0 + 1]]).flat(),
      [2 * teeth, y0 + 10],
      [0, y0 + 10],
    ];
    const wide = { ...image, rows: 40, columns: 6100 };
    const roi = (points: Array<[number, number]>) => ({ id: null, trackingUid: null, className: "Outline", kind: "freehand" as const, points, sopInstanceUid: "1.2.3", frame: null });
    const traced = (rois: ImportedMeasurementReport["rois"]) => ({ ...report(rois), labels: [], grid: { rows: 40, columns: 6100 } });
    // One region of 12,002 points, more than a region may hold (10,000): simplified, not left out.
    const one = await mapReport(traced([roi(comb(3000))]), [wide], labels);
    expect(one.ok).toBe(true);
    if (!one.ok) return;
    expect(one.input.rois!).toHaveLength(1);
    expect(one.input.rois![0]!.points.length).toBeLessThanOrEqual(10_000);
    expect(one.warnings).toEqual([expect.stringMatching(/^the traced outlines hold more points \(12002\) than an annotation or one region may, so they were simplified to \d+, each within 0\.75 pixel/)]);
    // 250 regions of 1,002 points: 250,500 in all, more than an annotation holds (200,000): all simplified together.
    const many = await mapReport(traced(Array.from({ length: 250 }, (_, k) => roi(comb(250, k % 25)))), [wide], labels);
    expect(many.ok).toBe(true);
    if (!many.ok) return;
    expect(many.input.rois!).toHaveLength(250);
    expect(many.input.rois!.reduce((n, r) => n + r.points.length, 0)).toBeLessThanOrEqual(200_000);
    expect(many.warnings[0]).toContain("(250500)");
    // Within the limits, traced outlines stay exact.
    const fits = await mapReport(traced([roi(comb(100))]), [wide], labels);
    expect(fits.ok && fits.input.rois![0]!.points.length).toBe(402);
    expect(fits.warnings).toEqual([]);
    // A report's own outlines (no grid) are what the report says: too many points refuse it, as before.
    const sr = await mapReport({ ...report(Array.from({ length: 250 }, () => roi(comb(250)))), labels: [] }, [wide], labels);
    expect(sr).toMatchObject({ ok: false, message: expect.stringContaining("more regions than an annotation may") });
  });

  it("takes a point for a point class, and leaves out a point for an area class or an area for a point class, saying so for each", async () => {
    const withApex: ImportLabel[] = [...labels, { id: "00000000-0000-4000-8000-000000000003", name: "Apex", kind: "ROI", roiShape: "POINT" }];
    const roi = (className: string, kind: "point" | "rectangle" | "freehand", points: Array<[number, number]>) => ({ id: null, trackingUid: null, className, kind, points, sopInstanceUid: "1.2.3", frame: null });
    const mapped = await mapReport(
      report([
        roi("apex", "point", [[4.5, 3.5]]),
        roi("Outline", "point", [[5, 5]]),
        roi("Apex", "rectangle", [[1, 1], [5, 4]]),
        roi("Apex", "freehand", [[1, 1], [9, 1], [5, 7]]),
        roi("Apex", "point", [[20.5, 3]]),
      ]),
      [image],
      withApex,
    );
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.input.rois!.map((r) => [r.classId, r.kind, r.points])).toEqual([["00000000-0000-4000-8000-000000000003", "POINT", [[4.5, 3.5]]]]);
    expect(mapped.warnings.slice(1)).toEqual([
      'ROI class "Outline" takes areas, not points; a point of it is left out',
      'ROI class "Apex" takes points (landmarks), not areas; a rectangle of it is left out',
      'ROI class "Apex" takes points (landmarks), not areas; a freehand region of it is left out',
      // A landmark must lie on the 20 x 10 image, without the margin a drawn outline may overshoot by.
      'a region of "Apex" cannot be stored (points[0] lies outside the 20x10 image); left out',
    ]);
  });

  it("takes a line for a line class, ends as given, and leaves out a line for an area or point class, or an area or point for a line class, saying so for each", async () => {
    const withSpan: ImportLabel[] = [
      ...labels,
      { id: "00000000-0000-4000-8000-000000000003", name: "Apex", kind: "ROI", roiShape: "POINT" },
      { id: "00000000-0000-4000-8000-000000000004", name: "Span", kind: "ROI", roiShape: "LINE" },
    ];
    const roi = (className: string, kind: "point" | "line" | "rectangle" | "freehand", points: Array<[number, number]>) => ({ id: null, trackingUid: null, className, kind, points, sopInstanceUid: "1.2.3", frame: null });
    const mapped = await mapReport(
      report([
        roi("span", "line", [[12, 9], [4, 3]]),
        roi("Outline", "line", [[1, 1], [5, 5]]),
        roi("Apex", "line", [[1, 1], [5, 5]]),
        roi("Span", "rectangle", [[1, 1], [5, 4]]),
        roi("Span", "freehand", [[1, 1], [9, 1], [5, 7]]),
        roi("Span", "point", [[4.5, 3.5]]),
        roi("Span", "line", [[1, 1], [20.5, 3]]),
      ]),
      [image],
      withSpan,
    );
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.input.rois!.map((r) => [r.classId, r.kind, r.points])).toEqual([["00000000-0000-4000-8000-000000000004", "LINE", [[12, 9], [4, 3]]]]);
    expect(mapped.warnings.slice(1)).toEqual([
      'ROI class "Outline" takes areas, not lines; a line of it is left out',
      'ROI class "Apex" takes points (landmarks), not lines; a line of it is left out',
      'ROI class "Span" takes lines (lengths), not areas; a rectangle of it is left out',
      'ROI class "Span" takes lines (lengths), not areas; a freehand region of it is left out',
      'ROI class "Span" takes lines (lengths), not points; a point of it is left out',
      // Both ends must lie on the 20 x 10 image, without the margin a drawn outline may overshoot by.
      'a region of "Span" cannot be stored (points[1] lies outside the 20x10 image); left out',
    ]);
  });

  it("refuses a report of images in no case, or in several", async () => {
    expect(await mapReport(report([]), [], labels)).toMatchObject({ ok: false, message: expect.stringContaining("1.2.3") });
    expect(await mapReport(report([]), [image, { ...image, sopInstanceUid: "1.2.4", caseId: "c2", caseKey: "k2" }], labels)).toMatchObject({ ok: false, message: expect.stringContaining("2 cases") });
  });
});
