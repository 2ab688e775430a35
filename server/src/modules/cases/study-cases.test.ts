import { gunzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { buildLabel, errorCode } from "../../testing/fixtures.js";
import { runExportJob } from "../../testing/exports.js";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { chestDicom, stow, type DicomValue, type StowPart } from "../../testing/images.js";
import { readSegmentation } from "../exports/dicom/seg.js";
import { readNifti } from "../images/convert/nifti.js";
import { caseHoldsInstance } from "./case-images.js";

// Study cases (caseUnit STUDY): one case per DICOM study holding every series of it, made once
// across ingest groups and uploads, read, annotated and exported series by series.

interface Spec {
  seed: number;
  study: string;
  series: string;
  seriesNumber: number;
  instanceNumber: number;
  modality: string;
  rows?: number;
  columns?: number;
  /** Placed in patient space: this slice's z (mm), on one axial grid shared by every series given one. */
  z?: number;
}

/** A small DICOM image of one study and series. */
function dicom(spec: Spec): Buffer {
  const tags: Record<string, DicomValue> = {
    "00080018": ["UI", `1.2.826.0.1.3680043.10.2.${spec.seed}`],
    "0020000D": ["UI", spec.study],
    "0020000E": ["UI", spec.series],
    "00200011": ["IS", spec.seriesNumber],
    "00200013": ["IS", spec.instanceNumber],
    "00080060": ["CS", spec.modality],
  };
  if (spec.z !== undefined) {
    tags["00200052"] = ["UI", `${spec.study}.100`];
    tags["00200032"] = ["DS", 0, 0, spec.z];
    tags["00200037"] = ["DS", 1, 0, 0, 0, 1, 0];
    tags["00280030"] = ["DS", 1, 1];
  }
  return chestDicom(spec.seed, tags, { columns: spec.columns, rows: spec.rows });
}

const CASES = `query($projectId: ID!, $filter: CaseFilter) { cases(projectId: $projectId, first: 200, filter: $filter) {
  totalCount edges { node { id key modality studyInstanceUid seriesInstanceUid sopInstanceUid images series rows columns } } } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { caseUnit } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { rois { kind sopInstanceUid points } } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;

interface CaseNode {
  id: string;
  key: string;
  modality: string | null;
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  images: number;
  series: number;
  rows: number | null;
  columns: number | null;
}

describe("study cases", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;
  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, exports run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    ({ caller: owner } = await buildUser(server, "owner"));
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "k" }) { token } }`)).createApiToken.token;
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  const cases = async (projectId: string, filter: Record<string, unknown> = {}) =>
    (await owner.ok<{ cases: { edges: Array<{ node: CaseNode }> } }>(CASES, { projectId, filter })).cases.edges.map((e) => e.node);
  const upload = async (projectId: string, parts: StowPart[]) => {
    const answer = await stow(server, projectId, { token }, parts);
    expect(answer.status).toBe(200);
  };
  const studyProject = async () => {
    const projectId = await buildProject(owner);
    expect((await owner.ok<{ updateProjectSettings: { caseUnit: string } }>(SETTINGS, { id: projectId, input: { caseUnit: "STUDY" } })).updateProjectSettings.caseUnit).toBe("STUDY");
    return projectId;
  };
  /** The study's instances by series number, from its WADO-RS metadata: what the viewer reads. */
  const instancesBySeries = async (projectId: string, study: string) => {
    const res = await fetch(`${server.url}/dicomweb/projects/${projectId}/studies/${study}/metadata`, { headers: { authorization: `Bearer ${token}` } });
    const list = (await res.json()) as Array<Record<string, { Value?: unknown[] }>>;
    const out = new Map<number, string[]>();
    for (const i of list) {
      const number = Number(i["00200011"]?.Value?.[0]);
      out.set(number, [...(out.get(number) ?? []), String(i["00080018"]!.Value![0])]);
    }
    return out;
  };

  it("makes one case per study, across ingest groups and uploads, holding every series in series order", async () => {
    const projectId = await studyProject();
    // Study 1: a CT series (number 2) and an MR series (number 1), interleaved, 18 files: more
    // than one ingest group. Study 2: one CT series.
    const ct = (i: number) => ({ name: `all/patient 1/CT/IM${i}.dcm`, bytes: dicom({ seed: 100 + i, study: "1.2.3.1", series: "1.2.3.1.1", seriesNumber: 2, instanceNumber: i, modality: "CT" }) });
    const mr = (i: number) => ({ name: `all/patient 1/MR/IM${i}.dcm`, bytes: dicom({ seed: 200 + i, study: "1.2.3.1", series: "1.2.3.1.2", seriesNumber: 1, instanceNumber: i, modality: "MR", rows: 12, columns: 10 }) });
    const other = (i: number) => ({ name: `all/patient 2/CT/IM${i}.dcm`, bytes: dicom({ seed: 300 + i, study: "1.2.3.2", series: "1.2.3.2.1", seriesNumber: 1, instanceNumber: i, modality: "CT" }) });
    await upload(projectId, [...Array.from({ length: 10 }, (_, i) => [ct(i + 1), ...(i < 6 ? [mr(i + 1)] : [])]).flat(), ...[1, 2, 3, 4].map(other)]);
    let list = await cases(projectId);
    expect(list.map((c) => [c.key, c.seriesInstanceUid, c.sopInstanceUid, c.images, c.series, c.modality, c.rows, c.columns])).toEqual([
      // The first image is the MR's (series number 1): 12 rows, 10 columns.
      ["patient 1", null, null, 16, 2, "CT, MR", 12, 10],
      ["patient 2", null, null, 4, 1, "CT", 8, 8],
    ]);

    // A series that comes later joins its study's case, and makes no case of its own.
    const pr = (i: number) => ({ name: `later/patient 1/OT/IM${i}.dcm`, bytes: dicom({ seed: 400 + i, study: "1.2.3.1", series: "1.2.3.1.3", seriesNumber: 3, instanceNumber: i, modality: "OT" }) });
    await upload(projectId, [pr(1), pr(2)]);
    list = await cases(projectId);
    expect(list.map((c) => [c.key, c.images, c.series, c.modality])).toEqual([
      ["patient 1", 18, 3, "CT, MR, OT"],
      ["patient 2", 4, 1, "CT"],
    ]);

    // The modality filter finds a study by any of its series.
    expect((await cases(projectId, { modality: "mr" })).map((c) => c.key)).toEqual(["patient 1"]);
    expect((await cases(projectId, { modality: "CT" })).map((c) => c.key)).toEqual(["patient 1", "patient 2"]);

    // What the viewer loads is the whole study, every series.
    const bySeries = await instancesBySeries(projectId, list[0]!.studyInstanceUid);
    expect([...bySeries].map(([n, sops]) => [n, sops.length]).sort()).toEqual([
      [1, 6],
      [2, 10],
      [3, 2],
    ]);
  });

  it("keeps a reader's ROIs on any image of the study, refuses an image of another study, and exports each series on its own", async () => {
    const projectId = await studyProject();
    const box = await buildLabel(owner, projectId, { name: "Lesion", kind: "ROI", roiShape: "RECTANGLE" });
    // Two series on one grid (a CT's soft tissue and lung reconstructions: same frame of reference,
    // orientation, size and spacing), three slices each, the lung's between the soft tissue's
    // (together they would make one even stack); and another study.
    const slice = (series: 1 | 2, z: number) => ({
      name: `s1/${series === 1 ? "soft" : "lung"}/IM${z}.dcm`,
      bytes: dicom({ seed: 500 + series * 10 + z, study: "1.2.4.1", series: `1.2.4.1.${series}`, seriesNumber: series, instanceNumber: z, modality: "CT", z: z * 2 + series }),
    });
    await upload(projectId, [slice(1, 1), slice(2, 1), slice(1, 2), slice(2, 2), slice(1, 3), slice(2, 3)]);
    await upload(projectId, [{ name: "s2/CT/IM1.dcm", bytes: dicom({ seed: 600, study: "1.2.4.2", series: "1.2.4.2.1", seriesNumber: 1, instanceNumber: 1, modality: "CT" }) }]);
    const [study, otherStudy] = await cases(projectId);
    expect([study!.key, study!.images, study!.series, otherStudy!.key]).toEqual(["s1", 6, 2, "s2"]);
    const bySeries = await instancesBySeries(projectId, study!.studyInstanceUid);
    const [soft, lung] = [bySeries.get(1)!, bySeries.get(2)!];
    const [elsewhere] = (await instancesBySeries(projectId, otherStudy!.studyInstanceUid)).get(1)!;

    // A larger box on the lung series' second slice, a smaller one on the soft tissue's, at the same place.
    const rect = (sop: string, size = 4) => ({ classId: box, kind: "RECTANGLE", points: [[1, 1], [1 + size, 1 + size]], sopInstanceUid: sop, frame: 1 });
    const rois = [rect(lung[1]!), rect(soft[1]!, 2)];
    const refused = await owner.gql(SAVE, { caseId: study!.id, input: { labels: [], rois: [rect(lung[1]!), rect(elsewhere!)] } });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(refused.errors![0]!.message).toContain("input.rois[1].sopInstanceUid");
    const saved = await owner.ok<{ saveDraft: { rois: Array<{ sopInstanceUid: string }> } }>(SAVE, { caseId: study!.id, input: { labels: [], rois } });
    expect(saved.saveDraft.rois.map((r) => r.sopInstanceUid)).toEqual([lung[1], soft[1]]);
    await owner.ok(SUBMIT, { caseId: study!.id, input: { labels: [], rois } });

    const csv = (await runExportJob(server, owner, projectId, { format: "CSV_ROIS", scope: "ALL_READERS" })).body.toString("utf8");
    expect((parseCsv(csv, { columns: true }) as Array<Record<string, string>>).map((r) => [r.case, r.sop_instance_uid])).toEqual([
      ["s1", lung[1]],
      ["s1", soft[1]],
    ]);

    // NIfTI: each series its own volume, though they share a grid, each with its own box.
    const nifti = unzipSync((await runExportJob(server, owner, projectId, { format: "NIFTI", scope: "ALL_READERS" })).body);
    const record = JSON.parse(Buffer.from(nifti["cases/s1.json"]!).toString("utf8")) as { volumes: Array<{ name: string; slices: Array<{ sopInstanceUid: string }> }> };
    expect(record.volumes.map((v) => v.slices.length)).toEqual([3, 3]);
    const lungVolume = record.volumes.find((v) => v.slices.some((s) => s.sopInstanceUid === lung[1]))!;
    expect(lungVolume.slices.map((s) => s.sopInstanceUid).sort()).toEqual([...lung].sort());
    const maskOf = (name: string) => Object.entries(nifti).find(([path]) => path.startsWith("readers/") && path.endsWith(`/${name}.nii.gz`))![1];
    // Label masks are bytes (uint8) up to 255 classes.
    const sums = record.volumes.map((v) => {
      const mask = readNifti(new Uint8Array(gunzipSync(maskOf(v.name))), `${v.name}.nii`);
      expect(mask.type).toBe("uint8");
      return mask.data.reduce((n, x) => n + x, 0);
    });
    const [lungSum, softSum] = [sums[record.volumes.indexOf(lungVolume)]!, sums[1 - record.volumes.indexOf(lungVolume)]!];
    expect(softSum).toBeGreaterThan(0);
    expect(lungSum).toBeGreaterThan(softSum);

    // DICOM SEG: one per series, though they share a grid, each referring to its own series' image.
    const seg = unzipSync((await runExportJob(server, owner, projectId, { format: "DICOM_SEG", scope: "ALL_READERS" })).body);
    const segs = Object.entries(seg).filter(([f]) => f.endsWith(".dcm"));
    expect(segs).toHaveLength(2);
    const referenced = segs.map(([, bytes]) => readSegmentation(bytes).frames.map((f) => f.sourceSopInstanceUid));
    expect(referenced.sort()).toEqual([[lung[1]], [soft[1]]].sort());
  });

  it("finds a case's images through an index of instances for each kind of case, never a scan", async () => {
    const db = server.platform.db.dataSource;
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL enable_seqscan = off`);
      const plan: Array<Record<string, string>> = await runner.query(
        `EXPLAIN SELECT i.id FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")} WHERE c.id = '00000000-0000-0000-0000-000000000000'`,
      );
      const text = plan.map((r) => Object.values(r)[0]).join("\n");
      expect(text).not.toMatch(/Seq Scan on instances/);
      expect(text).toMatch(/instances_study_idx/);
      expect(text).toMatch(/instances_series_idx/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
