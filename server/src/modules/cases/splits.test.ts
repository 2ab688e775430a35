import { parse as parseCsv } from "csv-parse/sync";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { GRANT_ROLE, buildLabel, buildTeam, errorCode, type Team } from "../../testing/fixtures.js";
import { runExportJob } from "../../testing/exports.js";
import { buildProject, startTestServer, type GqlResult } from "../../testing/harness.js";
import { chestDicom, chestPng, stowOk } from "../../testing/images.js";
import { caseKeyPath } from "../exports/dicom-formats.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { CASE_SPLITS, splitBucket, splitOfBucket, splitProblems, type CaseSplit } from "./splits.js";

// Dataset splits: each case in TRAIN, VALIDATION or TEST by its patient (or study, or itself), the
// same wherever it is read: the case list and its filter, the counts, cases.csv, COCO and NIfTI.

const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { datasetSplit { trainPercent validationPercent testPercent groupBy } } }`;
const PROJECT = `query($id: ID!) { project(id: $id) { datasetSplit { trainPercent validationPercent testPercent groupBy } } }`;
const CASES = `query($projectId: ID!, $after: String, $filter: CaseFilter) {
  cases(projectId: $projectId, first: 200, after: $after, filter: $filter) { totalCount edges { node { id key split sopInstanceUid } } } }`;
const COUNTS = `query($projectId: ID!) { datasetSplitCounts(projectId: $projectId) { split cases groups } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;

type CaseNode = { id: string; key: string; split: CaseSplit; sopInstanceUid: string };

describe("dataset splits", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let stopWorker: (() => Promise<void>) | undefined;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);
  const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>).map((p) => `${p.field}: ${p.message}`);
  const casesOf = async (projectId: string, filter: Record<string, unknown> = {}) =>
    (await owner().ok<{ cases: { totalCount: number; edges: Array<{ node: CaseNode }> } }>(CASES, { projectId, filter })).cases;
  /** Each case's de-identified patient and study, as stored. */
  const groupsOf = async (projectId: string) =>
    new Map(
      (await sql<{ id: string; patient_id: string; study: string }>(`SELECT c.id, st.patient_id, st.study_instance_uid AS study FROM cases c JOIN studies st ON st.id = c.study_id WHERE c.project_id = $1`, [projectId])).map(
        (r) => [r.id, { patient: r.patient_id, study: r.study }],
      ),
    );

  beforeAll(async () => {
    server = await startTestServer();
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    team = await buildTeam(server);
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("buckets and boundaries: TRAIN below trainPercent, VALIDATION below trainPercent + validationPercent, TEST the rest; percentages checked", () => {
    const s = { trainPercent: 70, validationPercent: 15 };
    expect([0, 69, 70, 84, 85, 99].map((b) => splitOfBucket(b, s))).toEqual(["TRAIN", "TRAIN", "VALIDATION", "VALIDATION", "TEST", "TEST"]);
    expect(splitOfBucket(99, { trainPercent: 100, validationPercent: 0 })).toBe("TRAIN");
    expect(splitProblems(s)).toEqual([]);
    expect(splitProblems({ trainPercent: 80, validationPercent: 30 })).toEqual(["trainPercent and validationPercent add up to 110; together they may be at most 100 (the test split takes the rest)"]);
    expect(splitProblems({ trainPercent: 0, validationPercent: 50 })).toEqual(["trainPercent must be a whole number from 1 to 100"]);
    expect(splitProblems({ trainPercent: 50, validationPercent: 2.5 })).toEqual(["validationPercent must be a whole number from 0 to 99"]);
    // Spread evenly enough over the buckets that the percentages mean what they say.
    const counts = new Array(100).fill(0);
    for (let i = 0; i < 100_000; i++) counts[splitBucket("p", `patient-${i}`)]++;
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });

  it("puts every case of a patient in one split, as the hash of its de-identified Patient ID says, in the list, its filter and the counts; STUDY and CASE group otherwise; percentages move only what crosses a boundary", async () => {
    const projectId = await buildProject(owner(), { datasetSplit: { trainPercent: 40, validationPercent: 30 } });
    expect((await owner().ok<{ project: { datasetSplit: unknown } }>(PROJECT, { id: projectId })).project.datasetSplit).toEqual({ trainPercent: 40, validationPercent: 30, testPercent: 30, groupBy: "PATIENT" });
    // 40 patients, two studies each, one image per study: 80 cases.
    const parts = Array.from({ length: 80 }, (_, i) => ({
      name: `img-${i}.dcm`,
      bytes: chestDicom(i, { "00100020": ["LO", `MRN-${Math.floor(i / 2)}`], "0020000D": ["UI", `1.2.826.0.1.3680043.10.77.${i}`], "00080018": ["UI", `1.2.826.0.1.3680043.10.78.${i}`] }),
    }));
    await stowOk(server, projectId, owner(), parts);
    const groups = await groupsOf(projectId);
    expect(groups.size).toBe(80);
    const patients = new Set([...groups.values()].map((g) => g.patient));
    expect(patients.size).toBe(40);
    expect([...patients].some((p) => p.includes("MRN"))).toBe(false);

    const expected = (by: "patient" | "study" | "case", s: { trainPercent: number; validationPercent: number }) =>
      new Map([...groups].map(([id, g]) => [id, splitOfBucket(splitBucket(projectId, by === "patient" ? g.patient : by === "study" ? g.study : id), s)]));
    const listed = async () => new Map((await casesOf(projectId)).edges.map((e) => [e.node.id, e.node.split]));

    const byPatient = await listed();
    expect(byPatient).toEqual(expected("patient", { trainPercent: 40, validationPercent: 30 }));
    for (const p of patients) expect(new Set([...groups].filter(([, g]) => g.patient === p).map(([id]) => byPatient.get(id))).size).toBe(1);
    for (const split of CASE_SPLITS) expect([...byPatient.values()]).toContain(split);
    // The filter finds each split's cases, and together they are every case once.
    const filtered = await Promise.all(CASE_SPLITS.map(async (split) => ({ split, page: await casesOf(projectId, { split }) })));
    for (const { split, page } of filtered) {
      expect(page.totalCount).toBe([...byPatient.values()].filter((s) => s === split).length);
      expect(page.edges.every((e) => e.node.split === split)).toBe(true);
    }
    // The counts: cases and patients per split.
    const counts = (await owner().ok<{ datasetSplitCounts: Array<{ split: string; cases: number; groups: number }> }>(COUNTS, { projectId })).datasetSplitCounts;
    expect(counts).toEqual(
      CASE_SPLITS.map((split) => {
        const ids = [...byPatient].filter(([, s]) => s === split).map(([id]) => id);
        return { split, cases: ids.length, groups: new Set(ids.map((id) => groups.get(id)!.patient)).size };
      }),
    );

    // Wider TRAIN: no TRAIN case leaves it; the rest as the buckets say.
    await owner().ok(SETTINGS, { id: projectId, input: { datasetSplit: { trainPercent: 60, validationPercent: 20 } } });
    const wider = await listed();
    expect(wider).toEqual(expected("patient", { trainPercent: 60, validationPercent: 20 }));
    for (const [id, s] of byPatient) if (s === "TRAIN") expect(wider.get(id)).toBe("TRAIN");

    // By study (one image each here) and by case: a patient's two cases may part.
    await owner().ok(SETTINGS, { id: projectId, input: { datasetSplit: { trainPercent: 40, validationPercent: 30, groupBy: "STUDY" } } });
    const byStudy = await listed();
    expect(byStudy).toEqual(expected("study", { trainPercent: 40, validationPercent: 30 }));
    expect([...patients].some((p) => new Set([...groups].filter(([, g]) => g.patient === p).map(([id]) => byStudy.get(id))).size > 1)).toBe(true);
    await owner().ok(SETTINGS, { id: projectId, input: { datasetSplit: { trainPercent: 40, validationPercent: 30, groupBy: "CASE" } } });
    expect(await listed()).toEqual(expected("case", { trainPercent: 40, validationPercent: 30 }));

    // Bad percentages are refused, saying which, and change nothing.
    const bad = await owner().gql(SETTINGS, { id: projectId, input: { datasetSplit: { trainPercent: 80, validationPercent: 30 } } });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(fields(bad)).toEqual(["datasetSplit: trainPercent and validationPercent add up to 110; together they may be at most 100 (the test split takes the rest)"]);
    expect((await owner().ok<{ project: { datasetSplit: unknown } }>(PROJECT, { id: projectId })).project.datasetSplit).toEqual({ trainPercent: 40, validationPercent: 30, testPercent: 30, groupBy: "CASE" });
    // Each change of the split is on the ledger with what it became; the refused one is not.
    const leaves = await sql<{ payload_sha256: Buffer }>(`SELECT payload_sha256 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'project.split' ORDER BY id`, [projectId]);
    expect(leaves.map((l) => l.payload_sha256)).toEqual([
      canonicalSha256({ trainPercent: 60, validationPercent: 20, groupBy: "PATIENT" }),
      canonicalSha256({ trainPercent: 40, validationPercent: 30, groupBy: "STUDY" }),
      canonicalSha256({ trainPercent: 40, validationPercent: 30, groupBy: "CASE" }),
    ]);
    // A reader may read the splits but not change them.
    await owner().ok(GRANT_ROLE, { projectId, input: { email: team.ANNOTATOR.email, role: "ANNOTATOR" } });
    expect((await casesOf(projectId)).totalCount).toBe(80);
    expect(errorCode(await team.ANNOTATOR.caller.gql(SETTINGS, { id: projectId, input: { datasetSplit: { trainPercent: 50, validationPercent: 25 } } }))).toBe("NOT_FOUND");
    expect((await team.ANNOTATOR.caller.ok<{ datasetSplitCounts: unknown[] }>(COUNTS, { projectId })).datasetSplitCounts).toHaveLength(3);
  });

  it("exports carry each case's split: cases.csv's split column, COCO's concord_split, NIfTI's TEST cases in imagesTs and labelsTs with splits_final.json naming TRAIN and VALIDATION", async () => {
    const projectId = await buildProject(owner(), { datasetSplit: { trainPercent: 34, validationPercent: 33, groupBy: "CASE" } });
    await owner().ok(GRANT_ROLE, { projectId, input: { email: team.ANNOTATOR.email, role: "ANNOTATOR" } });
    await stowOk(server, projectId, owner(), Array.from({ length: 30 }, (_, i) => ({ name: `cxr-${String(i).padStart(2, "0")}.png`, bytes: chestPng(12, 10, i) })));
    const cases = (await casesOf(projectId)).edges.map((e) => e.node);
    expect(cases).toHaveLength(30);
    const splitOf = new Map(cases.map((c) => [c.key, c.split]));
    for (const split of CASE_SPLITS) expect([...splitOf.values()]).toContain(split);

    // cases.csv
    const res = await fetch(`${server.url}/export/projects/${projectId}/cases.csv`, { headers: { cookie: owner().cookie! } });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(new Map(rows.map((r) => [r.case, r.split]))).toEqual(splitOf);

    // COCO: each image its case's split; info says the settings.
    const coco = JSON.parse((await runExportJob(server, owner(), projectId, { format: "COCO", scope: "ALL_READERS" })).body.toString("utf8"));
    expect(coco.info.concord_dataset_split).toEqual({ train_percent: 34, validation_percent: 33, test_percent: 33, group_by: "CASE" });
    expect(coco.images).toHaveLength(30);
    for (const im of coco.images) expect(im.concord_split).toBe(splitOf.get(im.concord_case));

    // NIfTI: two read cases of each split.
    const lesion = await buildLabel(owner(), projectId, { name: "Lesion", kind: "ROI", roiShape: "FREEHAND" });
    const effusion = await buildLabel(owner(), projectId, { name: "Effusion" });
    const read = CASE_SPLITS.flatMap((split) => cases.filter((c) => c.split === split).slice(0, 2));
    for (const c of read) {
      await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c.id, input: { labels: [{ labelId: effusion, value: true, confidence: 80 }], rois: [{ classId: lesion, kind: "FREEHAND", points: [[1, 1], [8, 2], [5, 7]], sopInstanceUid: c.sopInstanceUid, frame: 1 }] } });
    }
    // labels.csv and the consensus labels: each row carries its case's split.
    const labels = parseCsv(await (await fetch(`${server.url}/export/projects/${projectId}/labels.csv`, { headers: { cookie: owner().cookie! } })).text(), { columns: true }) as Array<Record<string, string>>;
    expect(labels).toHaveLength(read.length);
    for (const r of labels) expect(r.split).toBe(splitOf.get(r.case!));
    const consensus = parseCsv((await runExportJob(server, owner(), projectId, { format: "CSV_LABELS", scope: "CONSENSUS" })).body, { columns: true }) as Array<Record<string, string>>;
    expect(consensus).toHaveLength(read.length);
    for (const r of consensus) expect([r.annotator, r.split]).toEqual(["consensus", splitOf.get(r.case!)]);
    // rois.csv: each reading's rows carry its case's split.
    const rois = parseCsv(await (await fetch(`${server.url}/export/projects/${projectId}/rois.csv`, { headers: { cookie: owner().cookie! } })).text(), { columns: true }) as Array<Record<string, string>>;
    expect(rois).toHaveLength(read.length);
    for (const r of rois) expect(r.split).toBe(splitOf.get(r.case!));
    const zip = unzipSync(new Uint8Array((await runExportJob(server, owner(), projectId, { format: "NIFTI", scope: "READER", readerId: team.ANNOTATOR.id })).body));
    const names = Object.keys(zip);
    for (const c of read) {
      const base = caseKeyPath(c.key);
      const [images, labels] = c.split === "TEST" ? ["imagesTs", "labelsTs"] : ["imagesTr", "labelsTr"];
      expect(names).toContain(`${images}/${base}_0000.nii.gz`);
      expect(names).toContain(`${labels}/${base}.nii.gz`);
      expect(JSON.parse(Buffer.from(zip[`cases/${base}.json`]!).toString("utf8")).split).toBe(c.split);
    }
    expect(names.filter((n) => /^(images|labels)T[rs]\//.test(n))).toHaveLength(12);
    const fold = JSON.parse(Buffer.from(zip["splits_final.json"]!).toString("utf8"));
    const bases = (split: CaseSplit) => read.filter((c) => c.split === split).map((c) => caseKeyPath(c.key)).sort();
    expect(fold).toHaveLength(1);
    expect([...fold[0].train].sort()).toEqual(bases("TRAIN"));
    expect([...fold[0].val].sort()).toEqual(bases("VALIDATION"));
    const dataset = JSON.parse(Buffer.from(zip["dataset.json"]!).toString("utf8"));
    expect(dataset.numTraining).toBe(4);
    expect(dataset.description).toContain("TEST split (33 % of cases) is in imagesTs and labelsTs");
  });
});
