import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { GRANT_ROLE, buildLabel, buildTeam, buildTeamProject, errorCode, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { GET_EXPORT, START_EXPORT, runExportJob } from "../../testing/exports.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { putRoi } from "../collab/collab.document.js";
import { EXPORT_COLUMNS } from "../annotations/annotations.service.js";
import { majorityOf } from "../review/stats/groups.js";
import { cocoGeometry } from "./formats.js";

const LIST = `query($projectId: ID!) { exports(projectId: $projectId) { id status } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const COLLAB_UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;


describe("export jobs", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let reader2: { caller: Caller; id: string; email: string };
  const cases: Record<string, string> = {};
  const sops: Record<string, string> = {};
  let l1: string, l2: string, box: string, outline: string;
  const owner = () => team.OWNER.caller;
  let stopWorker: (() => Promise<void>) | undefined;

  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;
  const base = () => server.graphqlUrl.replace(/\/graphql$/, "");

  const runExport = (input: Record<string, unknown>, who: Caller = owner()) => runExportJob(server, who, projectId, input);

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    team = await buildTeam(server);
    reader2 = await buildUser(server, "reader2");
    projectId = await buildTeamProject(team);
    await owner().ok(GRANT_ROLE, { projectId, input: { email: reader2.email, role: "ANNOTATOR" } });
    await stowOk(server, projectId, owner(), ["case-a", "case-b", "case-c"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(20, 10, i) })));
    for (const r of await sql<{ id: string; key: string; sop: string }>(
      `SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [projectId],
    )) {
      cases[r.key] = r.id;
      sops[r.key] = r.sop;
    }
    l1 = await buildLabel(owner(), projectId, { name: "Effusion" });
    l2 = await buildLabel(owner(), projectId, { name: "Nodule, solitary" });
    box = await buildLabel(owner(), projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    outline = await buildLabel(owner(), projectId, { name: "Outline", kind: "ROI", roiShape: "FREEHAND" });
    const r1 = team.ANNOTATOR.caller;
    await r1.ok(SUBMIT, {
      caseId: cases["case-a"],
      input: {
        labels: [{ labelId: l1, value: true, confidence: 80 }, { labelId: l2, value: true, confidence: 40 }],
        rois: [
          { classId: box, kind: "RECTANGLE", points: [[2, 1], [12, 6]] },
          { classId: outline, kind: "FREEHAND", points: [[1, 1], [9, 1], [5, 7]] },
        ],
      },
    });
    await reader2.caller.ok(SUBMIT, { caseId: cases["case-a"], input: { labels: [{ labelId: l1, value: true, confidence: 60 }], rois: [] } });
    await r1.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: l1, value: false, confidence: 100 }], rois: [] } });
    await reader2.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: l1, value: true, confidence: 20 }], rois: [] } });
    // A consensus region on case-b, drawn by the reviewer on the shared layer.
    const doc = new Y.Doc();
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-000000000001", classId: box, kind: "RECTANGLE", points: [[3, 2], [8, 9]] });
    await team.REVIEWER.caller.ok(COLLAB_UPDATE, { caseId: cases["case-b"], layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("CSV_LABELS for all readers writes the label CSV's rows, downloadable with the hash it reports", async () => {
    const { job, body } = await runExport({ format: "CSV_LABELS", scope: "ALL_READERS" });
    const rows = parseCsv(body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual(EXPORT_COLUMNS.labels);
    // case-a: r1 two labels, reader2 l1 ticked and l2 implicit; case-b: two readers × two labels.
    expect(rows).toHaveLength(8);
    expect(job.items).toBe(8);
    expect(rows.find((r) => r.case === "case-a" && r.annotator === team.ANNOTATOR.id && r.label === "Effusion")).toMatchObject({ value: "1", confidence: "80" });
    expect(job.fileName).toMatch(/\.csv$/);
    // The export is on the ledger, committing to the file's hash.
    const [leaf] = await sql<{ payload_sha256: Buffer; event_type: string }>(`SELECT payload_sha256, event_type FROM ledger_leaves WHERE object_id = $1`, [job.id]);
    expect(leaf?.event_type).toBe("export");
    expect(leaf!.payload_sha256).toEqual(
      canonicalSha256({ format: "CSV_LABELS", scope: "ALL_READERS", readerId: null, allVersions: false, items: 8, bytes: job.bytes, sha256: job.sha256 }),
    );
  });

  it("one reader's export has only that reader's rows", async () => {
    const { body } = await runExport({ format: "CSV_LABELS", scope: "READER", readerId: reader2.id });
    const rows = parseCsv(body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(4);
    expect(new Set(rows.map((r) => r.annotator))).toEqual(new Set([reader2.id]));
  });

  it("consensus labels are the majority vote (a tie is left empty), consensus ROIs the shared layer", async () => {
    const { body } = await runExport({ format: "CSV_LABELS", scope: "CONSENSUS" });
    const rows = parseCsv(body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    const value = (c: string, l: string) => rows.find((r) => r.case === c && r.label === l)?.value;
    expect(rows.every((r) => r.annotator === "consensus")).toBe(true);
    expect(value("case-a", "Effusion")).toBe("1"); // 2 of 2
    expect(value("case-a", "Nodule, solitary")).toBe(""); // 1 of 2 (reader2's implicit no): a tie
    expect(value("case-b", "Effusion")).toBe(""); // 1 of 2
    expect(value("case-c", "Effusion")).toBeUndefined(); // nobody read it

    const rois = parseCsv((await runExport({ format: "CSV_ROIS", scope: "CONSENSUS" })).body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rois).toEqual([expect.objectContaining({ case: "case-b", annotator: "consensus", class: "Box", kind: "RECTANGLE", class_id: box })]);
    expect(JSON.parse(rois[0]!.points!)).toEqual([[3, 2], [8, 9]]);
  });

  it("COCO: images with their sizes, categories from labels and ROI classes, boxes and polygons, classification results", async () => {
    const { body } = await runExport({ format: "COCO", scope: "ALL_READERS" });
    const coco = JSON.parse(body.toString("utf8"));
    expect(coco.images).toHaveLength(3);
    const image = coco.images.find((i: { concord_case: string }) => i.concord_case === "case-a");
    expect(image).toMatchObject({ width: 20, height: 10, sop_instance_uid: sops["case-a"] });
    expect(coco.categories.map((c: { name: string; supercategory: string }) => `${c.supercategory}:${c.name}`).sort()).toEqual(
      ["classification:Effusion", "classification:Nodule, solitary", "roi:Box", "roi:Outline"].sort(),
    );
    const cat = (name: string) => coco.categories.find((c: { name: string }) => c.name === name).id;
    expect(coco.annotations).toHaveLength(2);
    const rect = coco.annotations.find((a: { category_id: number }) => a.category_id === cat("Box"));
    expect(rect).toMatchObject({ image_id: image.id, bbox: [2, 1, 10, 5], area: 50, segmentation: [[2, 1, 12, 1, 12, 6, 2, 6]], iscrowd: 0, concord_reader: team.ANNOTATOR.id });
    // Drawn, not taken from a model's suggestion.
    expect(rect).toMatchObject({ concord_suggested_by: null, concord_suggestion_changed: null });
    const free = coco.annotations.find((a: { category_id: number }) => a.category_id === cat("Outline"));
    expect(free).toMatchObject({ bbox: [1, 1, 8, 6], area: 24, segmentation: [[1, 1, 9, 1, 5, 7]] });
    expect(coco.image_labels).toHaveLength(8);
    expect(coco.image_labels).toContainEqual({ image_id: image.id, category_id: cat("Effusion"), value: 1, confidence: 80, concord_reader: team.ANNOTATOR.id });
  });

  it("a case excluded from the project is in no export: not its images, readings, consensus labels or regions; COCO says how many were left out; included again, it is back", async () => {
    const csv = async (input: Record<string, unknown>) => parseCsv((await runExport(input)).body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    const coco = async (scope: string) => JSON.parse((await runExport({ format: "COCO", scope })).body.toString("utf8"));
    const seen = async () => {
      const readers = await coco("ALL_READERS");
      const consensus = await coco("CONSENSUS");
      const caseOf = new Map<number, string>(readers.images.map((i: { id: number; concord_case: string }) => [i.id, i.concord_case]));
      const cases = (rows: Array<{ image_id: number }>) => [...new Set(rows.map((r) => caseOf.get(r.image_id)))].sort();
      return {
        consensusLabels: [...new Set((await csv({ format: "CSV_LABELS", scope: "CONSENSUS" })).map((r) => r.case))].sort(),
        consensusRois: (await csv({ format: "CSV_ROIS", scope: "CONSENSUS" })).map((r) => r.case),
        readerLabels: [...new Set((await csv({ format: "CSV_LABELS", scope: "ALL_READERS" })).map((r) => r.case))].sort(),
        images: readers.images.map((i: { concord_case: string }) => i.concord_case).sort(),
        excluded: [readers.info.concord_excluded_cases, consensus.info.concord_excluded_cases],
        imageLabels: cases(readers.image_labels),
        consensusImageLabels: cases(consensus.image_labels),
        consensusAnnotations: cases(consensus.annotations),
      };
    };
    const before = await seen();
    expect(before).toEqual({
      consensusLabels: ["case-a", "case-b"],
      consensusRois: ["case-b"],
      readerLabels: ["case-a", "case-b"],
      images: ["case-a", "case-b", "case-c"],
      excluded: [0, 0],
      imageLabels: ["case-a", "case-b"],
      consensusImageLabels: ["case-a", "case-b"],
      consensusAnnotations: ["case-b"],
    });
    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'DUPLICATE')`, [cases["case-b"], projectId]);
    try {
      expect(await seen()).toEqual({
        consensusLabels: ["case-a"],
        consensusRois: [],
        readerLabels: ["case-a"],
        images: ["case-a", "case-c"],
        excluded: [1, 1],
        imageLabels: ["case-a"],
        consensusImageLabels: ["case-a"],
        consensusAnnotations: [],
      });
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [cases["case-b"]]);
    }
    expect(await seen()).toEqual(before);
  });

  it("points (landmarks): a CSV row of kind POINT with its one [x, y], and in COCO a keypoint of a one-keypoint category, for readers and the consensus", async () => {
    const project = await buildTeamProject(team);
    await stowOk(server, project, owner(), [{ name: "apex.png", bytes: chestPng(20, 10, 9) }]);
    const [c] = await sql<{ id: string; key: string; sop: string }>(`SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`, [project]);
    const apex = await buildLabel(owner(), project, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    const lesion = await buildLabel(owner(), project, { name: "Lesion", kind: "ROI", roiShape: "FREEHAND" });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c!.id, input: { rois: [{ classId: apex, kind: "POINT", points: [[4.5, 3.5]] }, { classId: lesion, kind: "FREEHAND", points: [[1, 1], [9, 1], [5, 7]] }] } });
    const doc = new Y.Doc();
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-0000000000a1", classId: apex, kind: "POINT", points: [[15, 2]] });
    await team.REVIEWER.caller.ok(COLLAB_UPDATE, { caseId: c!.id, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    const exported = (input: Record<string, unknown>) => runExportJob(server, owner(), project, input);

    // CSV_ROIS: the documented columns; a point is kind POINT with points [[x, y]], on the case's image, frame 1.
    const csv = (body: Buffer) => parseCsv(body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    const rows = csv((await exported({ format: "CSV_ROIS", scope: "ALL_READERS" })).body);
    expect(Object.keys(rows[0]!)).toEqual(EXPORT_COLUMNS.rois);
    const point = rows.find((r) => r.kind === "POINT")!;
    expect(point).toMatchObject({ case: c!.key, annotator: team.ANNOTATOR.id, class: "Apex", class_id: apex, sop_instance_uid: c!.sop, frame: "1", version: "1", suggested_by: "" });
    expect(JSON.parse(point.points!)).toEqual([[4.5, 3.5]]);
    expect(rows.map((r) => r.kind).sort()).toEqual(["FREEHAND", "POINT"]);
    const consensus = csv((await exported({ format: "CSV_ROIS", scope: "CONSENSUS" })).body);
    expect(consensus.map((r) => [r.class, r.kind, JSON.parse(r.points!)])).toEqual([["Apex", "POINT", [[15, 2]]]]);

    // COCO: the point class is a keypoint category; a point a keypoint annotation with no polygon; the area class as before.
    const coco = JSON.parse((await exported({ format: "COCO", scope: "ALL_READERS" })).body.toString("utf8"));
    const category = (name: string) => coco.categories.find((x: { name: string }) => x.name === name);
    expect(category("Apex")).toEqual({ id: category("Apex").id, name: "Apex", supercategory: "roi", keypoints: ["point"], skeleton: [], concord_label_id: apex });
    expect(category("Lesion")).not.toHaveProperty("keypoints");
    const byCategory = (name: string) => coco.annotations.find((x: { category_id: number }) => x.category_id === category(name).id);
    expect(byCategory("Apex")).toMatchObject({ image_id: coco.images[0].id, keypoints: [4.5, 3.5, 2], num_keypoints: 1, bbox: [4.5, 3.5, 0, 0], area: 0, segmentation: [], iscrowd: 0, concord_reader: team.ANNOTATOR.id });
    expect(byCategory("Lesion")).toMatchObject({ segmentation: [[1, 1, 9, 1, 5, 7]], area: 24 });
    expect(byCategory("Lesion")).not.toHaveProperty("keypoints");
    const consensusCoco = JSON.parse((await exported({ format: "COCO", scope: "CONSENSUS" })).body.toString("utf8"));
    expect(consensusCoco.annotations).toEqual([expect.objectContaining({ category_id: category("Apex").id, keypoints: [15, 2, 2], num_keypoints: 1, bbox: [15, 2, 0, 0], area: 0, segmentation: [], concord_reader: "consensus" })]);
  });

  it("lines (lengths): a CSV row of kind LINE with its two ends as drawn, and in COCO two keypoints (start, end) of a category whose skeleton joins them, for readers and the consensus", async () => {
    const project = await buildTeamProject(team);
    await stowOk(server, project, owner(), [{ name: "span.png", bytes: chestPng(20, 10, 11) }]);
    const [c] = await sql<{ id: string; key: string; sop: string }>(`SELECT c.id, c.key, i.sop_instance_uid AS sop FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`, [project]);
    const span = await buildLabel(owner(), project, { name: "Span", kind: "ROI", roiShape: "LINE" });
    const apex = await buildLabel(owner(), project, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    // Drawn from the right-hand end: the order is kept.
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: c!.id, input: { rois: [{ classId: span, kind: "LINE", points: [[16, 8.5], [1, 0.5]] }, { classId: apex, kind: "POINT", points: [[4.5, 3.5]] }] } });
    const doc = new Y.Doc();
    putRoi(doc, { id: "6f1d2c3b-0000-4000-8000-0000000000b1", classId: span, kind: "LINE", points: [[2, 2], [5, 6]] });
    await team.REVIEWER.caller.ok(COLLAB_UPDATE, { caseId: c!.id, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    const exported = (input: Record<string, unknown>) => runExportJob(server, owner(), project, input);

    // CSV_ROIS: a line is kind LINE with points [[x0, y0], [x1, y1]], on the case's image, frame 1.
    const csv = (body: Buffer) => parseCsv(body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    const rows = csv((await exported({ format: "CSV_ROIS", scope: "ALL_READERS" })).body);
    const line = rows.find((r) => r.kind === "LINE")!;
    expect(line).toMatchObject({ case: c!.key, annotator: team.ANNOTATOR.id, class: "Span", class_id: span, sop_instance_uid: c!.sop, frame: "1", version: "1", suggested_by: "" });
    expect(JSON.parse(line.points!)).toEqual([[16, 8.5], [1, 0.5]]);
    expect(rows.map((r) => r.kind).sort()).toEqual(["LINE", "POINT"]);
    const consensus = csv((await exported({ format: "CSV_ROIS", scope: "CONSENSUS" })).body);
    expect(consensus.map((r) => [r.class, r.kind, JSON.parse(r.points!)])).toEqual([["Span", "LINE", [[2, 2], [5, 6]]]]);

    // COCO: the line class a keypoint category of its two ends; a line two visible keypoints, its ends' box and its length; points keep their one-keypoint category.
    const coco = JSON.parse((await exported({ format: "COCO", scope: "ALL_READERS" })).body.toString("utf8"));
    const category = (name: string) => coco.categories.find((x: { name: string }) => x.name === name);
    expect(category("Span")).toEqual({ id: category("Span").id, name: "Span", supercategory: "roi", keypoints: ["start", "end"], skeleton: [[1, 2]], concord_label_id: span });
    expect(category("Apex")).toMatchObject({ keypoints: ["point"], skeleton: [] });
    const byCategory = (name: string) => coco.annotations.find((x: { category_id: number }) => x.category_id === category(name).id);
    expect(byCategory("Span")).toMatchObject({ image_id: coco.images[0].id, keypoints: [16, 8.5, 2, 1, 0.5, 2], num_keypoints: 2, bbox: [1, 0.5, 15, 8], area: 0, segmentation: [], iscrowd: 0, concord_reader: team.ANNOTATOR.id, concord_length_px: 17 });
    expect(byCategory("Apex")).toMatchObject({ keypoints: [4.5, 3.5, 2], num_keypoints: 1 });
    const consensusCoco = JSON.parse((await exported({ format: "COCO", scope: "CONSENSUS" })).body.toString("utf8"));
    expect(consensusCoco.annotations).toEqual([expect.objectContaining({ category_id: category("Span").id, keypoints: [2, 2, 2, 5, 6, 2], num_keypoints: 2, bbox: [2, 2, 3, 4], concord_length_px: 5, concord_reader: "consensus" })]);
  });

  it("CSV_TIMES: per reader and label (and per case) the mean with its 95 % interval, median and quartiles, and all readers pooled", async () => {
    // Times set directly (the API bounds them by the server's clock): r1 spent 2 s and 4 s on
    // Effusion in cases of 10 s and 20 s; reader2 3 s on it in a case of 6 s; nothing else timed.
    const r1 = team.ANNOTATOR.id;
    const setTimes = async (reader: string, caseKey: string, caseSeconds: number, effusion: number) => {
      const [a] = await sql<{ id: string }>(`SELECT id FROM annotations WHERE case_id = $1 AND reader_id = $2 AND status = 'SUBMITTED'`, [cases[caseKey], reader]);
      await sql(`UPDATE annotations SET case_seconds = $2 WHERE id = $1`, [a!.id, caseSeconds]);
      await sql(`UPDATE label_values SET seconds = CASE WHEN label_id = $2 THEN $3::double precision ELSE NULL END WHERE annotation_id = $1`, [a!.id, l1, effusion]);
    };
    await setTimes(r1, "case-a", 10, 2);
    await setTimes(r1, "case-b", 20, 4);
    await setTimes(reader2.id, "case-a", 6, 3);
    await sql(`UPDATE annotations SET case_seconds = NULL WHERE case_id = $1 AND reader_id = $2`, [cases["case-b"], reader2.id]);
    await sql(`UPDATE label_values v SET seconds = NULL FROM annotations a WHERE a.id = v.annotation_id AND a.case_id = $1 AND a.reader_id = $2`, [cases["case-b"], reader2.id]);

    const rows = parseCsv((await runExport({ format: "CSV_TIMES", scope: "ALL_READERS" })).body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    const row = (who: string, label: string) => rows.find((r) => r.annotator === who && r.label === label);
    expect(row(r1, "(case)")).toMatchObject({ n: "2", mean_seconds: "15", median_seconds: "15", ci95_low: "-48.531", ci95_high: "78.531", sd_seconds: "7.071" });
    expect(row(r1, "Effusion")).toMatchObject({ n: "2", mean_seconds: "3", ci95_low: "-9.706", ci95_high: "15.706", q1_seconds: "2.5", q3_seconds: "3.5" });
    expect(row(reader2.id, "Effusion")).toMatchObject({ n: "1", mean_seconds: "3", ci95_low: "", ci95_high: "" });
    // Pooled over readers: 2, 4 and 3 s: t(0.975, 2) = 4.303 gives 3 ± 2.484.
    expect(row("(all readers)", "Effusion")).toMatchObject({ n: "3", mean_seconds: "3", median_seconds: "3", ci95_low: "0.516", ci95_high: "5.484", sd_seconds: "1" });
    expect(row(r1, "Nodule, solitary")).toBeUndefined(); // never timed
    // One reader's summary has no pooled rows.
    const mine = parseCsv((await runExport({ format: "CSV_TIMES", scope: "READER", readerId: reader2.id })).body.toString("utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(mine.map((r) => `${r.annotator === reader2.id ? "me" : r.annotator}:${r.label}`)).toEqual(["me:(case)", "me:Effusion"]);
  });

  it("needs data.export: readers and viewers cannot start, see or download exports", async () => {
    const { job } = await runExport({ format: "CSV_ROIS", scope: "ALL_READERS" });
    for (const role of ["ANNOTATOR", "VIEWER", "REVIEWER", "TRAINEE"] as const) {
      const who = team[role].caller;
      expect(errorCode(await who.gql(START_EXPORT, { projectId, input: { format: "CSV_LABELS", scope: "ALL_READERS" } }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(GET_EXPORT, { id: job.id }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(LIST, { projectId }))).toBe("NOT_FOUND");
      expect((await fetch(`${base()}${job.downloadUrl}`, { headers: { cookie: who.cookie! } })).status).toBe(404);
    }
    expect((await fetch(`${base()}${job.downloadUrl}`)).status).toBe(404);
    // A manager may.
    expect((await team.MANAGER.caller.ok<{ exports: Array<{ id: string }> }>(LIST, { projectId })).exports.map((e) => e.id)).toContain(job.id);
  });

  it("refuses a scope without its reader, a reader outside the project, or a reader with another scope", async () => {
    const outsider = await buildUser(server, "outsider");
    for (const input of [
      { format: "CSV_LABELS", scope: "READER" },
      { format: "CSV_LABELS", scope: "READER", readerId: outsider.id },
      { format: "CSV_LABELS", scope: "ALL_READERS", readerId: reader2.id },
    ]) {
      const r = await owner().gql(START_EXPORT, { projectId, input });
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
    }
    expect(await sql(`SELECT 1 FROM export_jobs WHERE project_id = $1 AND scope = 'READER' AND reader_id = $2`, [projectId, outsider.id])).toHaveLength(0);
  });

  it("expired exports are purged, file and row", async () => {
    const { job } = await runExport({ format: "CSV_LABELS", scope: "ALL_READERS" });
    await sql(`UPDATE export_jobs SET expires_at = now() - interval '1 second' WHERE id = $1`, [job.id]);
    expect((await fetch(`${base()}${job.downloadUrl}`, { headers: { cookie: owner().cookie! } })).status).toBe(404);
    expect(await server.services.exports.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await sql(`SELECT 1 FROM export_jobs WHERE id = $1`, [job.id])).toHaveLength(0);
  });
});

describe("export geometry and votes", () => {
  it("majority: more than half decides, a tie is null", () => {
    expect([majorityOf(3, 2), majorityOf(3, 1), majorityOf(2, 1), majorityOf(1, 1), majorityOf(4, 0)]).toEqual([true, false, null, true, false]);
  });
  it("COCO geometry: a rectangle from any two corners, a polygon's area by the shoelace formula", () => {
    expect(cocoGeometry("RECTANGLE", [[12, 6], [2, 1]])).toEqual({ segmentation: [[2, 1, 12, 1, 12, 6, 2, 6]], bbox: [2, 1, 10, 5], area: 50 });
    expect(cocoGeometry("FREEHAND", [[0, 0], [4, 0], [4, 3], [0, 3]]).area).toBe(12);
    expect(cocoGeometry("FREEHAND", [[0, 0], [0, 3], [4, 3], [4, 0]]).area).toBe(12); // either winding
  });
  it("COCO geometry: a point is a visible keypoint with an empty box and no polygon", () => {
    expect(cocoGeometry("POINT", [[4.5, 3.5]])).toEqual({ segmentation: [], bbox: [4.5, 3.5, 0, 0], area: 0, keypoints: [4.5, 3.5, 2], num_keypoints: 1 });
  });
  it("COCO geometry: a line is its two ends as visible keypoints in the order drawn, boxed, with no polygon and its length in pixels", () => {
    // Drawn right to left and upwards: the keypoints keep that order, the box is the ends' box.
    expect(cocoGeometry("LINE", [[12, 9], [4, 3]])).toEqual({ segmentation: [], bbox: [4, 3, 8, 6], area: 0, keypoints: [12, 9, 2, 4, 3, 2], num_keypoints: 2, concord_length_px: 10 });
    expect(cocoGeometry("LINE", [[1.5, 2], [1.5, 7]])).toMatchObject({ bbox: [1.5, 2, 0, 5], concord_length_px: 5 });
  });
});
