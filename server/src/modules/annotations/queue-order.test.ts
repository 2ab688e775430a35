import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, buildLabel } from "../../testing/fixtures.js";
import { buildProject, buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";

const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id key } } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id queueOrder } }`;

// Active learning (issue 6): with queue order MOST_UNCERTAIN, nextCase hands out first the cases the
// project's latest ready classification or segmentation model is least sure about.
describe("reading queue order", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let reader: Caller;
  let readerId: string;
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;

  beforeAll(async () => {
    server = await startTestServer();
    owner = (await buildUser(server, "owner")).caller;
    const r = await buildUser(server, "reader");
    reader = r.caller;
    readerId = r.id;
    (reader as Caller & { email: string }).email = r.email;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  /** A project of four cases (a, b, c, d in upload order), one reader per case, a model's predictions for three. */
  async function project(order: "DEFAULT" | "MOST_UNCERTAIN" | "RANDOM"): Promise<{ projectId: string; label: string }> {
    const projectId = await buildProject(owner, { readersPerCase: 1 });
    const readerEmail = (reader as Caller & { email: string }).email;
    await owner.ok(GRANT_ROLE, { projectId, input: { email: readerEmail, role: "ANNOTATOR" } });
    const label = await buildLabel(owner, projectId, { name: "Effusion" });
    for (const [i, key] of ["a", "b", "c", "d"].entries()) await stowOk(server, projectId, owner, [{ name: `${key}.png`, bytes: chestPng(8, 8, i) }]);
    expect((await owner.ok<{ updateProjectSettings: { queueOrder: string } }>(SETTINGS, { id: projectId, input: { queueOrder: order } })).updateProjectSettings.queueOrder).toBe(order);
    // A ready binary model and its predictions, written directly: the order only reads them.
    const [model] = await sql<{ id: string }>(`INSERT INTO models (project_id, name, task) VALUES ($1, 'm', 'binary') RETURNING id`, [projectId]);
    const version = async (n: number, status: string) =>
      (await sql<{ id: string }>(
        `INSERT INTO model_versions (model_id, project_id, version, onnx, sha256, metadata, status, refusal, source, ready_at)
         VALUES ($1, $2, $3::int, '\\x00', 'x', '{}', $4, CASE WHEN $4 = 'REFUSED' THEN 'no' END, 'UPLOADED', now() + make_interval(secs => $3::int)) RETURNING id`,
        [model!.id, projectId, n, status],
      ))[0]!.id;
    const ready = await version(1, "READY");
    const refused = await version(2, "REFUSED");
    const cases = Object.fromEntries((await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])).map((c) => [c.key, c.id]));
    const predict = (v: string, key: string, p: number) =>
      sql(`INSERT INTO predictions (project_id, case_id, model_version_id, outputs, method) VALUES ($1, $2, $3, $4, 'none')`, [projectId, cases[key], v, JSON.stringify([{ label: "Effusion", value: p }])]);
    await predict(ready, "a", 0.9); // sure: margin 0.4
    await predict(ready, "b", 0.2); // margin 0.3
    await predict(ready, "c", 0.55); // nearly a coin toss
    // A refused version's predictions do not count.
    await predict(refused, "d", 0.5);
    return { projectId, label };
  }

  async function readAll(projectId: string, label: string): Promise<string[]> {
    const order: string[] = [];
    for (;;) {
      const next = (await reader.ok<{ nextCase: { case: { id: string; key: string } } | null }>(NEXT, { projectId })).nextCase;
      if (!next) return order;
      order.push(next.case.key);
      await reader.ok(SUBMIT, { caseId: next.case.id, input: { labels: [{ labelId: label, value: true, confidence: 60 }], rois: [] } });
    }
  }

  it("MOST_UNCERTAIN: the model's closest calls first, cases without a prediction last", async () => {
    const p = await project("MOST_UNCERTAIN");
    expect(await readAll(p.projectId, p.label)).toEqual(["c", "b", "a", "d"]);
  });

  /** A ready segmentation model (after the classifier) and its predictions' hesitant shares for a, b and d. */
  async function segmenter(projectId: string): Promise<void> {
    const [model] = await sql<{ id: string }>(`INSERT INTO models (project_id, name, task) VALUES ($1, 'seg', 'segmentation') RETURNING id`, [projectId]);
    const [v] = await sql<{ id: string }>(
      `INSERT INTO model_versions (model_id, project_id, version, onnx, sha256, metadata, status, source, ready_at)
       VALUES ($1, $2, 1, '\\x00', 'y', '{}', 'READY', 'TRAINED', now() + interval '1 hour') RETURNING id`,
      [model!.id, projectId],
    );
    const cases = Object.fromEntries((await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])).map((c) => [c.key, c.id]));
    const regions = (hesitant: number) => JSON.stringify({ regions: [], notes: [], hesitant });
    for (const [key, hesitant] of [["a", 0.02], ["b", 0.3], ["d", 0]] as const)
      await sql(`INSERT INTO predictions (project_id, case_id, model_version_id, outputs, method, regions) VALUES ($1, $2, $3, '[]', 'none', $4)`, [projectId, cases[key], v!.id, regions(hesitant)]);
  }

  it("MOST_UNCERTAIN with a segmentation model alone: the images it hesitates over most first", async () => {
    const p = await project("MOST_UNCERTAIN");
    await segmenter(p.projectId);
    await sql(`UPDATE model_versions v SET status = 'REFUSED', refusal = 'no' FROM models m WHERE m.id = v.model_id AND m.project_id = $1 AND m.task = 'binary'`, [p.projectId]);
    // b, then a, then d (sure: nothing to hesitate over), then c, which the segmentation model has not seen.
    expect(await readAll(p.projectId, p.label)).toEqual(["b", "a", "d", "c"]);
  });

  it("MOST_UNCERTAIN with a classifier and a segmentation model: each model's least sure cases first", async () => {
    const p = await project("MOST_UNCERTAIN");
    await segmenter(p.projectId);
    // Ranks among each model's predictions (0: least sure): the classifier c 0, b 0.5, a 1; the
    // segmentation model b 0, a 0.5, d 1. The better of the two: b 0 and c 0 (oldest first), a 0.5, d 1.
    expect(await readAll(p.projectId, p.label)).toEqual(["b", "c", "a", "d"]);
  });

  it("RANDOM: the reader's own order, a hash of the reader and the case, whatever the model says", async () => {
    const p = await project("RANDOM");
    const cases = await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [p.projectId]);
    const hash = (caseId: string) => createHash("md5").update(`${readerId}:${caseId}`).digest("hex");
    const expected = [...cases].sort((x, y) => hash(x.id).localeCompare(hash(y.id))).map((c) => c.key);
    expect(await readAll(p.projectId, p.label)).toEqual(expected);
  });

  it("DEFAULT ignores the model: the oldest case first", async () => {
    const p = await project("DEFAULT");
    expect(await readAll(p.projectId, p.label)).toEqual(["a", "b", "c", "d"]);
  });
});
