import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { Subscription, buildReadingProject, buildTeam, errorCode, trackSubscriptions, type Account, type Team } from "../../testing/fixtures.js";
import { runExportJob } from "../../testing/exports.js";
import { buildProject, buildUser, startTestServer, type Caller, type GqlResult } from "../../testing/harness.js";
import { chestDicom, chestPng, stow, type DicomValue } from "../../testing/images.js";
import { annotationChannel } from "../annotations/annotations.service.js";
import { ExportsRepository } from "../exports/exports.repository.js";
import { canonicalSha256 } from "../ledger/canonical.js";

// Deleting cases for good (withdrawn consent, identifiable pixels, wrong uploads): the case, its
// images and files and everything made from them go; a record and a ledger leaf stay.

const DELETE = `mutation($projectId: ID!, $caseIds: [ID!]!, $reason: DeletionReason!, $note: String) {
  deleteCases(projectId: $projectId, caseIds: $caseIds, reason: $reason, note: $note) { cases images readings filesLeft exportsRemoved } }`;
const DELETIONS = `query($projectId: ID!) { caseDeletions(projectId: $projectId) { caseId caseKey reason note images readings filesLeft deletedByName } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const SKIP = `mutation($caseId: ID!) { skipCase(caseId: $caseId, reason: IMAGE_QUALITY) { caseId } }`;
const ASSIGN = `mutation($projectId: ID!, $caseIds: [ID!]!, $readerIds: [ID!]!) { assignReaders(projectId: $projectId, caseIds: $caseIds, readerIds: $readerIds) { changed } }`;
const COMMENT = `mutation($caseId: ID!, $body: String!) { addCaseComment(caseId: $caseId, body: $body) { id } }`;
const EXCLUDE = `mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: DUPLICATE) { id } }`;
const CASES = `query($projectId: ID!) { cases(projectId: $projectId, first: 200) { totalCount edges { node { id key images } } } }`;
const EXPORTS = `query($projectId: ID!) { exports(projectId: $projectId) { id } }`;
const EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind caseId readerId } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { caseUnit } }`;
const ARCHIVE = `mutation($id: ID!) { archiveProject(id: $id) { id } }`;

type Outcome = { cases: number; images: number; readings: number; filesLeft: number; exportsRemoved: number };

describe("deleting cases", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Account[];
  let outsider: Account;
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  let stopWorker: (() => Promise<void>) | undefined;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);

  const projectWith = (keys: string[]) => buildReadingProject(server, team, readers, keys);
  const del = (by: Caller, projectId: string, caseIds: string[], reason = "CONSENT_WITHDRAWN", note: string | null = null) => by.gql<{ deleteCases: Outcome }>(DELETE, { projectId, caseIds, reason, note });
  const deleted = async (by: Caller, projectId: string, caseIds: string[], reason = "CONSENT_WITHDRAWN", note: string | null = null) => {
    const r = await del(by, projectId, caseIds, reason, note);
    if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data.deleteCases;
  };
  const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>).map((p) => `${p.field}: ${p.message}`);
  const batchResults = async (batchId: string) =>
    (await owner().ok<{ uploadBatch: { results: Array<{ status: string; message: string | null }> } }>(`query($id: ID!) { uploadBatch(id: $id) { results { status message } } }`, { id: batchId })).uploadBatch.results;
  const keys = async (projectId: string) =>
    (await owner().ok<{ cases: { edges: Array<{ node: { key: string } }> } }>(CASES, { projectId })).cases.edges.map((e) => e.node.key).sort();
  /** The instances, with their files, that the project's index knows. */
  const instances = (projectId: string) => sql<{ id: string; sop_instance_uid: string; storage_key: string; study_uid: string; series_uid: string }>(
    `SELECT i.id, i.sop_instance_uid, i.storage_key, st.study_instance_uid AS study_uid, se.series_instance_uid AS series_uid
       FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE i.project_id = $1`,
    [projectId],
  );
  const caseImages = (caseId: string) =>
    sql<{ id: string; storage_key: string; sop_instance_uid: string; study_uid: string; series_uid: string }>(
      `SELECT i.id, i.storage_key, i.sop_instance_uid, st.study_instance_uid AS study_uid, se.series_instance_uid AS series_uid
         FROM cases c JOIN instances i ON i.id = c.instance_id OR (c.instance_id IS NULL AND i.series_id = c.series_id) OR (c.instance_id IS NULL AND c.series_id IS NULL AND i.study_id = c.study_id)
         JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE c.id = $1`,
      [caseId],
    );
  /** Rows naming these cases in every table with a case_id column but the deletion's own record: what deleting them must leave at none. */
  const rowsNaming = async (caseIds: string[]) => {
    const tables = await sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'case_id' AND table_name NOT IN ('case_deletions', 'deleted_instances') ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE case_id = ANY($1::uuid[])`, [caseIds]);
      if (row!.n) counts[table_name] = row!.n;
    }
    return counts;
  };
  const wado = (projectId: string, i: { study_uid: string; series_uid: string; sop_instance_uid: string }, who: Caller = owner()) =>
    fetch(`${server.url}/dicomweb/projects/${projectId}/studies/${i.study_uid}/series/${i.series_uid}/instances/${i.sop_instance_uid}`, {
      headers: { cookie: who.cookie!, accept: "multipart/related; type=\"application/dicom\"" },
    }).then(async (res) => (await res.arrayBuffer(), res.status));

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, exports run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    subscriptions = trackSubscriptions(server.platform.bus);
    const [t, o, ...r] = await Promise.all([buildTeam(server), buildUser(server, "outsider"), buildUser(server, "reader1"), buildUser(server, "reader2")]);
    team = t;
    outsider = o;
    readers = r;
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("deletes the cases with their images, files, readings and all made from them; keeps a record and a ledger leaf; leaves the other cases as they were", async () => {
    const f = await projectWith(["a", "b", "c"]);
    const [r1, r2] = readers as [Account, Account];
    const input = { labels: [{ labelId: f.label, value: true, confidence: 60 }] };
    await r1.caller.ok(SUBMIT, { caseId: f.cases.a, input });
    await r2.caller.ok(SAVE, { caseId: f.cases.a, input });
    await r2.caller.ok(SKIP, { caseId: f.cases.b });
    await r1.caller.ok(SUBMIT, { caseId: f.cases.c, input });
    await owner().ok(ASSIGN, { projectId: f.projectId, caseIds: [f.cases.a, f.cases.c], readerIds: [r2.id] });
    await owner().ok(COMMENT, { caseId: f.cases.a, body: "Look at the left base." });
    await owner().ok(EXCLUDE, { caseId: f.cases.b });
    // An export made before: it holds case a's reading.
    const made = await runExportJob(server, owner(), f.projectId, { format: "CSV_LABELS", scope: "ALL_READERS" });
    expect(made.body.toString("utf8")).toContain("a,");
    const exportFile = `${server.platform.config.dataDir}/exports/${f.projectId}/${made.job.id}.export`;
    await expect(import("node:fs/promises").then((fs) => fs.access(exportFile))).resolves.toBeUndefined();

    const doomed = [f.cases.a!, f.cases.b!];
    const images = { a: (await caseImages(f.cases.a!))[0]!, b: (await caseImages(f.cases.b!))[0]!, c: (await caseImages(f.cases.c!))[0]! };
    for (const i of Object.values(images)) expect(await server.platform.store.has(i.storage_key)).toBe(true);
    expect(await wado(f.projectId, images.a)).toBe(200);
    expect(Object.keys(await rowsNaming(doomed)).sort()).toEqual(expect.arrayContaining(["annotations", "case_assignments", "case_claims", "case_comments", "case_exclusions", "case_skips"]));
    const before = { c: await rowsNaming([f.cases.c!]) };

    const listener = new Subscription<{ annotationEvents: { kind: string; caseId: string | null } }>(r1.caller, EVENTS, { projectId: f.projectId });
    try {
      await subscriptions.waitFor(annotationChannel(f.projectId), 1);
      const outcome = await deleted(owner(), f.projectId, doomed, "CONSENT_WITHDRAWN", "  Subject 7 withdrew on 1 December.  ");
      expect(outcome).toEqual({ cases: 2, images: 2, readings: 2, filesLeft: 0, exportsRemoved: 1 });
      const heard = [(await listener.nextData()).annotationEvents, (await listener.nextData()).annotationEvents];
      expect(heard.map((e) => `${e.kind}:${e.caseId}`).sort()).toEqual(doomed.map((id) => `DELETED:${id}`).sort());
    } finally {
      await listener.close();
    }

    // Everything that named the cases is gone; case c keeps all it had.
    expect(await rowsNaming(doomed)).toEqual({});
    expect(await rowsNaming([f.cases.c!])).toEqual(before.c);
    expect(await keys(f.projectId)).toEqual(["c"]);
    const left = await instances(f.projectId);
    expect(left.map((i) => i.id)).toEqual([images.c.id]);
    expect(await sql(`SELECT 1 FROM studies WHERE study_instance_uid IN ($1, $2)`, [images.a.study_uid, images.b.study_uid])).toEqual([]);
    expect(await sql(`SELECT 1 FROM series WHERE series_instance_uid IN ($1, $2)`, [images.a.series_uid, images.b.series_uid])).toEqual([]);
    // Their files are gone from the store, and the DICOMweb routes no longer know them.
    expect(await server.platform.store.has(images.a.storage_key)).toBe(false);
    expect(await server.platform.store.has(images.b.storage_key)).toBe(false);
    expect(await server.platform.store.has(images.c.storage_key)).toBe(true);
    expect(await wado(f.projectId, images.a)).toBe(404);
    expect(await wado(f.projectId, images.c)).toBe(200);
    // The upload's outcome no longer names the file, which could name the patient.
    const results = await sql<{ file_name: string; message: string | null; instance_id: string | null }>(
      `SELECT r.file_name, r.message, r.instance_id FROM upload_results r JOIN upload_batches b ON b.id = r.batch_id WHERE b.project_id = $1 ORDER BY r.file_name`,
      [f.projectId],
    );
    expect(results).toEqual([
      { file_name: "(deleted)", message: "Deleted later (CONSENT_WITHDRAWN)", instance_id: null },
      { file_name: "(deleted)", message: "Deleted later (CONSENT_WITHDRAWN)", instance_id: null },
      { file_name: "c.png", message: null, instance_id: images.c.id },
    ]);
    // The earlier export is gone, file and all.
    expect((await owner().ok<{ exports: unknown[] }>(EXPORTS, { projectId: f.projectId })).exports).toEqual([]);
    await expect(import("node:fs/promises").then((fs) => fs.access(exportFile))).rejects.toThrow();

    // What stays: a record per case, and a ledger leaf with the case id and the reason only.
    const records = (await owner().ok<{ caseDeletions: Array<Record<string, unknown> & { caseKey: string }> }>(DELETIONS, { projectId: f.projectId })).caseDeletions;
    expect(records.map((r) => ({ ...r, caseId: undefined })).sort((x, y) => x.caseKey.localeCompare(y.caseKey))).toEqual([
      { caseId: undefined, caseKey: "a", reason: "CONSENT_WITHDRAWN", note: "Subject 7 withdrew on 1 December.", images: 1, readings: 2, filesLeft: 0, deletedByName: expect.any(String) },
      { caseId: undefined, caseKey: "b", reason: "CONSENT_WITHDRAWN", note: "Subject 7 withdrew on 1 December.", images: 1, readings: 0, filesLeft: 0, deletedByName: expect.any(String) },
    ]);
    expect(records.map((r) => r.caseId).sort()).toEqual([...doomed].sort());
    const leaves = await sql<{ object_id: string; payload_sha256: Buffer }>(`SELECT object_id, payload_sha256 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'case.delete'`, [f.projectId]);
    expect(leaves.map((l) => [l.object_id, l.payload_sha256.toString("hex")]).sort()).toEqual(
      doomed.map((caseId) => [caseId, canonicalSha256({ caseId, reason: "CONSENT_WITHDRAWN", images: 1 }).toString("hex")]).sort(),
    );

    // The reader's next save of a deleted case finds no case; the queue hands out what is left.
    expect(errorCode(await r2.caller.gql(SAVE, { caseId: f.cases.a, input }))).toBe("NOT_FOUND");

    // Deleted because consent was withdrawn, the same file uploaded again stays out (de-identification
    // gives it the same SOP Instance UID in the project); the rest of the upload goes in.
    const again = await stow(server, f.projectId, owner(), [
      { name: "a again.png", bytes: chestPng(16, 12, 0) },
      { name: "d.png", bytes: chestPng(16, 12, 9) },
    ]);
    expect(again.status).toBe(202);
    const today = new Date().toISOString().slice(0, 10);
    expect(await batchResults(again.batchId)).toEqual([
      { status: "REFUSED", message: `a again.png: not stored: this image was deleted from the project on ${today} because its subject withdrew consent, and stays out` },
      { status: "STORED", message: null },
    ]);
    expect(await keys(f.projectId)).toEqual(["c", "d"]);
    expect((await instances(f.projectId)).map((i) => i.sop_instance_uid)).not.toContain(images.a.sop_instance_uid);
    expect(await server.platform.store.has(images.a.storage_key)).toBe(false);
  });

  it("is for owners, managers and data owners; refuses the whole call, storing nothing, when any case is not the project's or the input is wrong", async () => {
    const f = await projectWith(["a", "b", "c", "d"]);
    const other = await projectWith(["x"]);
    for (const role of ["ANNOTATOR", "REVIEWER", "TRAINEE", "VIEWER"] as const) {
      expect(errorCode(await del(team[role].caller, f.projectId, [f.cases.a!]))).toBe("NOT_FOUND");
      expect(errorCode(await team[role].caller.gql(DELETIONS, { projectId: f.projectId }))).toBe("NOT_FOUND");
    }
    expect(errorCode(await del(outsider.caller, f.projectId, [f.cases.a!]))).toBe("NOT_FOUND");
    expect(errorCode(await del(readers[0]!.caller, f.projectId, [f.cases.a!]))).toBe("NOT_FOUND");

    // A case of another project among them: nothing is deleted, and the entry is named.
    let r = await del(owner(), f.projectId, [f.cases.a!, other.cases.x!]);
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(fields(r)).toEqual(["caseIds[1]: is not a case of this project"]);
    r = await del(owner(), f.projectId, [f.cases.a!, "nope"]);
    expect(fields(r)).toEqual(['caseIds[1]: "nope" is not an id']);
    r = await del(owner(), f.projectId, [f.cases.a!], "OTHER");
    expect(fields(r)).toEqual(["note: say why the cases are deleted when the reason is OTHER"]);
    r = await del(owner(), f.projectId, [f.cases.a!], "DUPLICATE", "x".repeat(1001));
    expect(fields(r)).toEqual(["note: must be at most 1000 characters (it has 1001)"]);
    r = await del(owner(), f.projectId, []);
    expect(fields(r)).toEqual(["caseIds: must name at least one case"]);
    expect(await keys(f.projectId)).toEqual(["a", "b", "c", "d"]);
    expect(await keys(other.projectId)).toEqual(["x"]);
    expect((await instances(f.projectId)).length).toBe(4);

    // Managers and data owners may; the record says who.
    expect((await deleted(team.MANAGER.caller, f.projectId, [f.cases.a!], "WRONG_UPLOAD")).cases).toBe(1);
    expect((await deleted(team.DATA_OWNER.caller, f.projectId, [f.cases.b!, f.cases.b!], "OTHER", "Uploaded twice by the scanner")).cases).toBe(1);
    const records = (await team.DATA_OWNER.caller.ok<{ caseDeletions: Array<{ caseKey: string; reason: string; deletedByName: string }> }>(DELETIONS, { projectId: f.projectId })).caseDeletions;
    expect(records.map((x) => [x.caseKey, x.reason])).toEqual([
      ["b", "OTHER"],
      ["a", "WRONG_UPLOAD"],
    ]);
    // Deleted as a wrong upload, the same file may come back.
    const back = await stow(server, f.projectId, owner(), [{ name: "a.png", bytes: chestPng(16, 12, 0) }]);
    expect(await batchResults(back.batchId)).toEqual([{ status: "STORED", message: null }]);
    expect(await keys(f.projectId)).toEqual(["a", "c", "d"]);
    await deleted(owner(), f.projectId, [(await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 AND key = 'a'`, [f.projectId]))[0]!.id], "DUPLICATE");
    // A case already deleted is no case of the project.
    expect(fields(await del(owner(), f.projectId, [f.cases.a!]))).toEqual(["caseIds[0]: is not a case of this project"]);

    await owner().ok(ARCHIVE, { id: f.projectId });
    expect(errorCode(await del(owner(), f.projectId, [f.cases.c!]))).toBe("PROJECT_ARCHIVED");
    expect(await keys(f.projectId)).toEqual(["c", "d"]);
  });

  it("fails an export that was running when cases were deleted, as its file may hold them", async () => {
    const f = await projectWith(["a", "b"]);
    await readers[0]!.caller.ok(SUBMIT, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: true, confidence: 60 }] } });
    const insert = () =>
      sql<{ id: string }>(`INSERT INTO export_jobs (project_id, requested_by, format, scope) VALUES ($1, $2, 'CSV_LABELS', 'ALL_READERS') RETURNING id`, [f.projectId, team.OWNER.id]).then((r) => r[0]!.id);
    // The deletion commits just after the export has started: right after it counted the project's deletions.
    const count = vi.spyOn(ExportsRepository.prototype, "deletionCount");
    let deleteOnce = true;
    count.mockImplementation(async (projectId: string) => {
      const real = (await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM case_deletions WHERE project_id = $1`, [projectId]))[0].n as number;
      if (deleteOnce) {
        deleteOnce = false;
        await deleted(owner(), f.projectId, [f.cases.a!], "CONSENT_WITHDRAWN");
      }
      return real;
    });
    try {
      const running = await insert();
      await expect(server.services.exports.run(running)).rejects.toThrow(/cases were deleted from the project while this export ran/);
      expect(await sql(`SELECT status, error, file_name FROM export_jobs WHERE id = $1`, [running])).toEqual([
        { status: "FAILED", error: "cases were deleted from the project while this export ran, and it may hold them; make the export again", file_name: null },
      ]);
    } finally {
      count.mockRestore();
    }
    // Made again, it holds what is left.
    const again = await insert();
    expect((await server.services.exports.run(again))?.status).toBe("DONE");
  });

  describe("cases of several images", () => {
    let caller: Caller;
    beforeAll(async () => {
      caller = owner();
    });
    const dicom = (seed: number, study: string, series: string, instanceNumber: number): Buffer => {
      const tags: Record<string, DicomValue> = {
        "00080018": ["UI", `1.2.826.0.1.3680043.10.9.${seed}`],
        "0020000D": ["UI", study],
        "0020000E": ["UI", series],
        "00200011": ["IS", 1],
        "00200013": ["IS", instanceNumber],
        "00080060": ["CS", "CT"],
      };
      return chestDicom(seed, tags);
    };
    const projectOf = async (caseUnit: string) => {
      const projectId = await buildProject(caller);
      await caller.ok(SETTINGS, { id: projectId, input: { caseUnit } });
      return projectId;
    };
    const casesOf = async (projectId: string) =>
      (await caller.ok<{ cases: { edges: Array<{ node: { id: string; key: string; images: number } }> } }>(CASES, { projectId })).cases.edges.map((e) => e.node);

    it("a study case takes every series of its study, and the study goes; another study stays whole", async () => {
      const projectId = await projectOf("STUDY");
      const parts = [
        ...[1, 2, 3].map((i) => ({ name: `p1/CT/IM${i}.dcm`, bytes: dicom(10 + i, "1.2.9.1", "1.2.9.1.1", i) })),
        ...[1, 2].map((i) => ({ name: `p1/CT2/IM${i}.dcm`, bytes: dicom(20 + i, "1.2.9.1", "1.2.9.1.2", i) })),
        ...[1, 2].map((i) => ({ name: `p2/CT/IM${i}.dcm`, bytes: dicom(30 + i, "1.2.9.2", "1.2.9.2.1", i) })),
      ];
      expect((await stow(server, projectId, caller, parts)).status).toBe(200);
      const list = await casesOf(projectId);
      expect(list.map((c) => [c.key, c.images])).toEqual([
        ["p1", 5],
        ["p2", 2],
      ]);
      const files = (await instances(projectId)).map((i) => i.storage_key);
      // De-identification gave the series new UIDs: study p2's, as stored.
      const p2Series = (await caseImages(list[1]!.id)).map((i) => i.series_uid);
      expect(await deleted(caller, projectId, [list[0]!.id], "IDENTIFIABLE_DATA")).toEqual({ cases: 1, images: 5, readings: 0, filesLeft: 0, exportsRemoved: 0 });
      const left = await instances(projectId);
      expect(p2Series).toHaveLength(2);
      expect(left.map((i) => i.series_uid).sort()).toEqual(p2Series.sort());
      expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM series WHERE project_id = $1`, [projectId]))[0]!.n).toBe(1);
      expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM studies WHERE project_id = $1`, [projectId]))[0]!.n).toBe(1);
      const kept = new Set(left.map((i) => i.storage_key));
      for (const key of files) expect(await server.platform.store.has(key)).toBe(kept.has(key));
    });

    it("refuses to delete images that another case also holds (the project's case unit changed), and deletes them together", async () => {
      const projectId = await projectOf("IMAGE");
      expect((await stow(server, projectId, caller, [1, 2].map((i) => ({ name: `s/IM${i}.dcm`, bytes: dicom(40 + i, "1.2.9.3", "1.2.9.3.1", i) })))).status).toBe(200);
      await caller.ok(SETTINGS, { id: projectId, input: { caseUnit: "SERIES" } });
      // A new series of the same study under the new unit; and a series case over the old images.
      await stow(server, projectId, caller, [{ name: `s2/IM1.dcm`, bytes: dicom(50, "1.2.9.3", "1.2.9.3.2", 1) }]);
      const imageCases = Object.fromEntries((await casesOf(projectId)).map((c) => [c.key, c]));
      await sql(`INSERT INTO cases (project_id, key, study_id, series_id) SELECT c.project_id, 'whole series', c.study_id, i.series_id FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.id = $1`, [
        imageCases.IM1!.id,
      ]);
      const byKey = Object.fromEntries((await casesOf(projectId)).map((c) => [c.key, c]));
      expect(Object.keys(byKey).sort()).toEqual(["IM1", "IM2", "s2", "whole series"]);

      let r = await del(caller, projectId, [byKey["whole series"]!.id]);
      expect(fields(r)).toEqual(['caseIds: the images of these cases are also those of other cases, which deleting them would take too: "IM1", "IM2"; delete them together']);
      r = await del(caller, projectId, [byKey.IM1!.id]);
      expect(fields(r)).toEqual(['caseIds: the images of these cases are also those of other cases, which deleting them would take too: "whole series"; delete them together']);
      expect((await instances(projectId)).length).toBe(3);

      expect(await deleted(caller, projectId, [byKey.IM1!.id, byKey.IM2!.id, byKey["whole series"]!.id], "DUPLICATE")).toEqual({ cases: 3, images: 2, readings: 0, filesLeft: 0, exportsRemoved: 0 });
      expect((await casesOf(projectId)).map((c) => c.key)).toEqual(["s2"]);
      expect((await instances(projectId)).map((i) => i.id)).toEqual((await caseImages(byKey.s2!.id)).map((i) => i.id));
      // The study keeps its other series.
      expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM studies WHERE project_id = $1`, [projectId]))[0]!.n).toBe(1);
    });
  });

  it("a reader still reading a deleted case hears of it, even in blind reading", async () => {
    const f = await buildReadingProject(server, team, readers, ["a", "b"], { blindReading: true });
    const listener = new Subscription<{ annotationEvents: { kind: string; caseId: string | null; readerId: string | null } }>(readers[1]!.caller, EVENTS, { projectId: f.projectId });
    try {
      await subscriptions.waitFor(annotationChannel(f.projectId), 1);
      await deleted(owner(), f.projectId, [f.cases.b!], "WRONG_UPLOAD");
      expect((await listener.nextData()).annotationEvents).toEqual({ kind: "DELETED", caseId: f.cases.b, readerId: null });
    } finally {
      await listener.close();
    }
    expect(await keys(f.projectId)).toEqual(["a"]);
  });
});
