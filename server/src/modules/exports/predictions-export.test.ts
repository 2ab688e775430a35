import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { buildProject, buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { runExportJob } from "../../testing/exports.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { ExportReads } from "./exports.repository.js";
import { PAGE, PREDICTION_COLUMNS } from "./formats.js";
import { DEFAULT_SPLIT, splitBucket, splitOfBucket } from "../cases/splits.js";
import { HOLDOUT_PERCENT, isHeldOut } from "../ai/holdout.js";

// The predictions CSV of a project with more predictions than one page (200): read page by page,
// each page after the last prediction of the one before, in (case key, model name, version) order.
// Every prediction must come out once, in that order, whatever falls at a page's end.

const CASES = 150;
const LABELS = ["Effusion", "Nodule"];
/** Pages the export may read before it is taken to be going round in circles (450 predictions need 4). */
const MAX_PAGES = 20;

interface Inserted {
  caseKey: string;
  model: string;
  version: number;
  versionId: string;
  values: number[];
}

const id = (p: { caseKey: string; model: string; version: number | string }) => `${p.caseKey}\t${p.model}\t${p.version}`;

describe("the predictions CSV past one page", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let projectId: string;
  let stopWorker: (() => Promise<void>) | undefined;
  const inserted: Inserted[] = [];
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;
  const reads = () => new ExportReads(server.platform.db.dataSource.manager);

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs run in `concord worker` processes: one runs here, as a worker would.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    owner = (await buildUser(server, "owner")).caller;
    projectId = await buildProject(owner);
    await stowOk(server, projectId, owner, [{ name: "template.png", bytes: chestPng(12, 12, 1) }]);
    // Cases c-1 … c-150 of the one uploaded image, written directly: in text order c-10 comes before
    // c-9 and c-100 before c-11, so case keys are not in the order they were made.
    const cases = await sql<{ id: string; key: string }>(
      `WITH t AS (SELECT study_id, series_id, instance_id FROM cases WHERE project_id = $1 LIMIT 1)
       INSERT INTO cases (project_id, key, study_id, series_id, instance_id)
       SELECT $1, 'c-' || g, t.study_id, t.series_id, t.instance_id FROM t, generate_series(1, $2::int) g RETURNING id, key`,
      [projectId, CASES],
    );
    const [image] = await sql<{ sop: string }>(`SELECT sop_instance_uid AS sop FROM instances WHERE project_id = $1`, [projectId]);
    // Two ready models, one's name a prefix of the other's; "cxr" has versions 9 and 10 (9 first as
    // numbers, 10 first as text). Their ONNX bytes are never read: the export only reads predictions.
    const versions: Array<{ model: string; version: number; id: string }> = [];
    for (const [model, numbers] of [["cxr-lite", [1]], ["cxr", [10, 9]]] as const) {
      const [m] = await sql<{ id: string }>(`INSERT INTO models (project_id, name, task) VALUES ($1, $2, 'multilabel') RETURNING id`, [projectId, model]);
      for (const version of numbers) {
        const [v] = await sql<{ id: string }>(
          `INSERT INTO model_versions (model_id, project_id, version, onnx, sha256, metadata, status, source, ready_at)
           VALUES ($1, $2, $3, '\\x00', 'x', '{}', 'READY', 'UPLOADED', now()) RETURNING id`,
          [m!.id, projectId, version],
        );
        versions.push({ model, version, id: v!.id });
      }
    }
    // Every case has a prediction of each version: 450, each label's value different.
    cases.forEach((c, i) =>
      versions.forEach((v, j) => inserted.push({ caseKey: c.key, model: v.model, version: v.version, versionId: v.id, values: LABELS.map((_, k) => (i * 7 + j * 3 + k) / 1000) })),
    );
    await sql(
      `INSERT INTO predictions (project_id, case_id, model_version_id, outputs, method)
       SELECT $1, c, v, o, 'none' FROM unnest($2::uuid[], $3::uuid[], $4::jsonb[]) AS t(c, v, o)`,
      [
        projectId,
        inserted.map((p) => cases.find((c) => c.key === p.caseKey)!.id),
        inserted.map((p) => p.versionId),
        inserted.map((p) => JSON.stringify(LABELS.map((label, k) => ({ label, value: p.values[k], sopInstanceUid: image!.sop, frame: 1 })))),
      ],
    );
  }, 60_000);
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("every prediction once, as a case row per label, in (case key, model name, version) order as PostgreSQL sorts them", async () => {
    // The order PostgreSQL gives the stored predictions, read at once.
    const order = await sql<{ key: string; name: string; version: number }>(
      `SELECT c.key, m.name, v.version FROM predictions p JOIN cases c ON c.id = p.case_id JOIN model_versions v ON v.id = p.model_version_id JOIN models m ON m.id = v.model_id
        WHERE p.project_id = $1 ORDER BY c.key, m.name, v.version`,
      [projectId],
    );
    expect(order).toHaveLength(inserted.length);
    // The pages end inside a case: the first page's last prediction and the next are of one case and
    // different models, the second page's last and the next of one case and model, different versions.
    const at = (n: number) => order[n - 1]!;
    expect(at(PAGE + 1).key).toBe(at(PAGE).key);
    expect(at(PAGE + 1).name).not.toBe(at(PAGE).name);
    expect([at(2 * PAGE + 1).key, at(2 * PAGE + 1).name]).toEqual([at(2 * PAGE).key, at(2 * PAGE).name]);
    expect(at(2 * PAGE + 1).version).not.toBe(at(2 * PAGE).version);

    // Each page the export reads, counted: a keyset that does not move on would read forever.
    const read = ExportReads.prototype.predictions;
    const pages = vi.spyOn(ExportReads.prototype, "predictions").mockImplementation(function (this: ExportReads, ...args) {
      if (pages.mock.calls.length > MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages of predictions read`);
      return read.apply(this, args);
    });
    let rows: Array<Record<string, string>>;
    let items: number | null;
    try {
      const { job, body } = await runExportJob(server, owner, projectId, { format: "CSV_PREDICTIONS", scope: "ALL_READERS" });
      rows = parseCsv(body, { columns: true }) as Array<Record<string, string>>;
      items = job.items;
      // Read in pages of 200: never the whole project at once.
      const mine = pages.mock.calls.filter((c) => c[0] === projectId);
      expect(mine.length).toBeGreaterThanOrEqual(Math.ceil(inserted.length / PAGE));
      expect(new Set(mine.map((c) => c[2]))).toEqual(new Set([PAGE]));
    } finally {
      pages.mockRestore();
    }

    expect(Object.keys(rows[0]!)).toEqual(PREDICTION_COLUMNS);
    // No prediction has slices: only case rows.
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(["case"]));
    expect(rows).toHaveLength(inserted.length * LABELS.length);
    expect(items).toBe(rows.length);

    // Each (case, model, version, label) exactly once, with the version and value stored.
    const seen = new Map<string, number>();
    for (const r of rows) {
      const key = `${id({ caseKey: r.case!, model: r.model!, version: r.version! })}\t${r.label}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen].filter(([, n]) => n !== 1)).toEqual([]);
    const byId = new Map(inserted.map((p) => [id(p), p]));
    expect(seen.size).toBe(inserted.length * LABELS.length);
    for (const r of rows) {
      const p = byId.get(id({ caseKey: r.case!, model: r.model!, version: r.version! }));
      expect(p, `${r.case} ${r.model} v${r.version}`).toBeDefined();
      expect(r.model_version_id).toBe(p!.versionId);
      expect(Number(r.value)).toBe(p!.values[LABELS.indexOf(r.label!)]);
    }

    // The predictions in PostgreSQL's order, each's labels together.
    const sequence = rows.filter((_, i) => i % LABELS.length === 0).map((r) => id({ caseKey: r.case!, model: r.model!, version: r.version! }));
    expect(sequence).toEqual(order.map((o) => id({ caseKey: o.key, model: o.name, version: o.version })));
    expect(rows.map((r) => r.label)).toEqual(order.flatMap(() => LABELS));
  });

  it("says each row's case split, and whether the version learnt from the case: by the split it was trained by, by the case id's hash for one trained before splits, empty for an uploaded one", async () => {
    const version = (model: string, n: number) => inserted.find((p) => p.model === model && p.version === n)!.versionId;
    const [bySplit, beforeSplits, uploaded] = [version("cxr", 10), version("cxr", 9), version("cxr-lite", 1)];
    await sql(`UPDATE model_versions SET source = 'TRAINED', held_out_split = '{"trainPercent": 40, "validationPercent": 30, "groupBy": "CASE"}' WHERE id = $1`, [bySplit]);
    await sql(`UPDATE model_versions SET source = 'TRAINED' WHERE id = $1`, [beforeSplits]);
    try {
      const rows = parseCsv((await runExportJob(server, owner, projectId, { format: "CSV_PREDICTIONS", scope: "ALL_READERS" })).body, { columns: true }) as Array<Record<string, string>>;
      const caseIds = new Map((await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])).map((c) => [c.key, c.id]));
      // Every case is of the one uploaded image's patient: one split for all, as the project's 70/15/15 by patient puts it.
      const [study] = await sql<{ patient_id: string }>(`SELECT patient_id FROM studies WHERE project_id = $1`, [projectId]);
      const split = splitOfBucket(splitBucket(projectId, study!.patient_id), DEFAULT_SPLIT);
      expect(new Set(rows.map((r) => r.split))).toEqual(new Set([split]));
      const expected = (r: Record<string, string>) => {
        const caseId = caseIds.get(r.case!)!;
        if (r.model_version_id === bySplit) return splitBucket(projectId, caseId) < 40 ? "1" : "0";
        if (r.model_version_id === beforeSplits) return isHeldOut(caseId, HOLDOUT_PERCENT) ? "0" : "1";
        expect(r.model_version_id).toBe(uploaded);
        return "";
      };
      expect(rows.map((r) => r.learnt)).toEqual(rows.map(expected));
      // Both sides of both trained versions are there, so a wrong rule shows.
      for (const v of [bySplit, beforeSplits]) expect(new Set(rows.filter((r) => r.model_version_id === v).map((r) => r.learnt))).toEqual(new Set(["0", "1"]));
      // The two trained versions differ on some case: the split is not the hash.
      expect(rows.filter((r) => r.model_version_id === bySplit).map((r) => r.learnt)).not.toEqual(rows.filter((r) => r.model_version_id === beforeSplits).map((r) => r.learnt));
    } finally {
      await sql(`UPDATE model_versions SET source = 'UPLOADED', held_out_split = NULL WHERE id = ANY($1::uuid[])`, [[bySplit, beforeSplits]]);
    }
  });

  it("leaves out the predictions of cases excluded from the project, on every page; included again, they are back", async () => {
    // Cases whose predictions fall on the first, second and last pages.
    const keys = ["c-1", "c-40", "c-99"];
    const excluded = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 AND key = ANY($2::text[])`, [projectId, keys]);
    expect(excluded).toHaveLength(keys.length);
    const exported = async () => parseCsv((await runExportJob(server, owner, projectId, { format: "CSV_PREDICTIONS", scope: "ALL_READERS" })).body, { columns: true }) as Array<Record<string, string>>;
    await sql(
      `INSERT INTO case_exclusions (case_id, project_id, reason) SELECT id, $1, 'INCLUSION_CRITERIA' FROM unnest($2::uuid[]) AS id`,
      [projectId, excluded.map((c) => c.id)],
    );
    try {
      const rows = await exported();
      expect(rows.filter((r) => keys.includes(r.case!))).toEqual([]);
      expect(rows).toHaveLength((inserted.length - keys.length * 3) * LABELS.length);
      // The progress bar's total counts what the pages hold.
      expect(await reads().predictionCount(projectId)).toBe(inserted.length - keys.length * 3);
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE project_id = $1`, [projectId]);
    }
    expect(await exported()).toHaveLength(inserted.length * LABELS.length);
    expect(await reads().predictionCount(projectId)).toBe(inserted.length);
  });
});
