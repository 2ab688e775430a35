import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProject, buildUser, startTestServer, type TestServer } from "../testing/harness.js";
import { stowOk } from "../testing/images.js";
import { readDicomFile } from "../modules/images/dicom/read.js";
import { DX_FOR_PRESENTATION, randomCxr, SYNTHETIC_MANUFACTURER, syntheticCxrDicom } from "../modules/ai/synthetic-cxr.js";
import { DEMO_FINDINGS, DEMO_HEART_SIZE, DEMO_LANDMARK, DEMO_LINE, DEMO_MODEL_NAME, DEMO_PROJECT_NAME, DEMO_REGIONS_MODEL_NAME, seedDemo } from "./demo.js";

let server: TestServer & { dropDatabase(): Promise<void> };

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await server?.dropDatabase();
});

/** Collects what the demo prints. */
function sink() {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { out, text: () => chunks.join("") };
}

describe("synthetic DICOM through ingest", () => {
  it("a synthetic chest X-ray sent by STOW-RS becomes a case, still marked synthetic", async () => {
    const owner = await buildUser(server, "owner");
    const projectId = await buildProject(owner.caller);
    const bytes = syntheticCxrDicom(randomCxr(11, { bitsStored: 12, view: "PA", prevalence: { pneumothorax: 1 } }));
    await stowOk(server, projectId, { cookie: owner.caller.cookie }, [{ name: "synthetic.dcm", bytes }]);
    const rows = (await server.platform.db.dataSource.query(
      `SELECT c.id, i.rows, i.columns, i.sop_class_uid, i.storage_key FROM cases c JOIN instances i ON i.id = c.instance_id WHERE c.project_id = $1`,
      [projectId],
    )) as Array<{ id: string; rows: number; columns: number; sop_class_uid: string; storage_key: string }>;
    expect(rows).toHaveLength(1);
    expect([rows[0]!.rows, rows[0]!.columns, rows[0]!.sop_class_uid]).toEqual([256, 256, DX_FOR_PRESENTATION]);
    const stored = readDicomFile(new Uint8Array(await server.platform.store.get(rows[0]!.storage_key)), "stored.dcm");
    const text = (tag: string) => stored.dict[tag]?.Value?.[0];
    expect(text("00280301")).toBe("NO");
    expect(text("00080070")).toBe(SYNTHETIC_MANUFACTURER);
    expect(stored.dict["00080008"]?.Value).toEqual(["DERIVED", "SECONDARY"]);
  });
});

describe("concord demo", () => {
  it("seeds 12 cases read by 3 simulated readers, trains a READY model on their consensus and runs it on every case; a second run skips", async () => {
    const first = sink();
    const result = await seedDemo(server.platform, server.services, { cases: 12, out: first.out, bars: false });
    expect(result.created).toBe(true);
    expect(result.cases).toBe(12);
    const q = (sql: string, params: unknown[] = [result.projectId]) => server.platform.db.dataSource.query(sql, params) as Promise<Array<Record<string, unknown>>>;

    const [{ n: cases }] = (await q(`SELECT count(*)::int AS n FROM cases WHERE project_id = $1`)) as [{ n: number }];
    expect(cases).toBe(12);
    const [{ n: submitted, readers }] = (await q(
      `SELECT count(*)::int AS n, count(DISTINCT reader_id)::int AS readers FROM annotations WHERE project_id = $1 AND status = 'SUBMITTED'`,
    )) as [{ n: number; readers: number }];
    expect(submitted).toBe(36);
    expect(readers).toBe(3);
    const labels = await q(`SELECT name, kind FROM label_definitions WHERE project_id = $1 ORDER BY position`);
    expect(labels.filter((l) => l.kind === "CLASSIFICATION").map((l) => l.name)).toEqual([...DEMO_FINDINGS.map((f) => f.label), ...DEMO_HEART_SIZE.grades.map((g) => g.label)]);
    // The heart's size: an ordered, required group that every reading answers with one grade.
    const [group] = await q(`SELECT name, ordinal, required FROM label_groups WHERE project_id = $1`);
    expect(group).toEqual({ name: DEMO_HEART_SIZE.group, ordinal: true, required: true });
    const answers = await q(
      `SELECT a.id, count(*) FILTER (WHERE v.value)::int AS present FROM annotations a JOIN label_values v ON v.annotation_id = a.id
         JOIN label_definitions d ON d.id = v.label_id JOIN label_groups g ON g.id = d.group_id
        WHERE a.project_id = $1 GROUP BY a.id`,
    );
    expect(answers).toHaveLength(36);
    expect(answers.every((a) => a.present === 1)).toBe(true);
    expect(labels.some((l) => l.kind === "ROI")).toBe(true);

    // Readers who found a localised finding boxed it.
    const [{ n: rois }] = (await q(`SELECT count(*)::int AS n FROM rois r JOIN annotations a ON a.id = r.annotation_id WHERE a.project_id = $1 AND r.kind = 'RECTANGLE'`)) as [{ n: number }];
    const localised = await q(
      `SELECT count(*)::int AS n FROM label_values v JOIN annotations a ON a.id = v.annotation_id JOIN label_definitions d ON d.id = v.label_id
        WHERE a.project_id = $1 AND v.value AND d.name IN ('Pneumonia', 'Pneumothorax', 'Atelectasis')`,
    );
    expect(rois).toBeGreaterThan(0);
    expect(rois).toBeLessThanOrEqual(localised[0]!.n as number);
    // And every reader marked the left heart border on every case: one point each, of the point class.
    const points = await q(
      `SELECT d.name, d.roi_shape, count(*)::int AS n, count(DISTINCT a.id)::int AS readings FROM rois r JOIN annotations a ON a.id = r.annotation_id JOIN label_definitions d ON d.id = r.class_id
        WHERE a.project_id = $1 AND r.kind = 'POINT' GROUP BY d.name, d.roi_shape`,
    );
    expect(points).toEqual([{ name: DEMO_LANDMARK, roi_shape: "POINT", n: 36, readings: 36 }]);
    // And drew the heart's width: one line each, its ends about the heart's width apart (a synthetic heart is a third to a half of the 256-pixel film).
    const lines = await q(
      `SELECT d.name, count(*)::int AS n, count(DISTINCT a.id)::int AS readings,
              min(sqrt(power((r.points->1->>0)::float8 - (r.points->0->>0)::float8, 2) + power((r.points->1->>1)::float8 - (r.points->0->>1)::float8, 2))) AS shortest
         FROM rois r JOIN annotations a ON a.id = r.annotation_id JOIN label_definitions d ON d.id = r.class_id
        WHERE a.project_id = $1 AND r.kind = 'LINE' GROUP BY d.name`,
    );
    expect(lines).toEqual([{ name: DEMO_LINE, n: 36, readings: 36, shortest: expect.any(Number) }]);
    expect(lines[0]!.shortest as number).toBeGreaterThan(40);

    // A classifier from the labels and a segmentation model from the boxes, each run on every case.
    const versions = await q(`SELECT m.name, m.task, v.status, v.source, v.metrics FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.project_id = $1 ORDER BY m.name`);
    expect(versions.map(({ metrics: _m, ...v }) => v)).toEqual([
      { name: DEMO_MODEL_NAME, task: "multilabel", status: "READY", source: "TRAINED" },
      { name: DEMO_REGIONS_MODEL_NAME, task: "segmentation", status: "READY", source: "TRAINED" },
    ]);
    const regions = versions[1]!.metrics as Array<{ label: string; holdoutDice: number | null }>;
    expect(regions.map((m) => m.label)).toEqual(["Finding region"]);
    expect(first.text()).toContain(`Model "${DEMO_REGIONS_MODEL_NAME}" v1, trained from the readers' boxes; held-out Dice: Finding region `);
    const [{ n: predictions }] = (await q(`SELECT count(*)::int AS n FROM predictions p JOIN cases c ON c.id = p.case_id WHERE c.project_id = $1`)) as [{ n: number }];
    expect(predictions).toBe(24);

    // The readers' timing was taken as given (not clamped) and has per-label clicks.
    const members = await q(`SELECT role FROM memberships WHERE project_id = $1`);
    expect(members.filter((m) => m.role === "ANNOTATOR")).toHaveLength(3);
    const progress = await server.services.annotations.progress({ userId: (await q(`SELECT created_by FROM projects WHERE id = $1`))[0]!.created_by as string, via: "session" }, result.projectId);
    expect(progress.completeCases).toBe(12);
    expect(progress.labels.length).toBeGreaterThan(0);

    expect(first.text()).toContain(`log in as ${result.ownerEmail} with password ${result.password}`);

    const again = sink();
    const second = await seedDemo(server.platform, server.services, { cases: 12, out: again.out, bars: false });
    expect(second.created).toBe(false);
    expect(again.text()).toContain(`"${DEMO_PROJECT_NAME}" already exists`);
    const [{ n: projects }] = (await q(`SELECT count(*)::int AS n FROM projects WHERE name = $1`, [DEMO_PROJECT_NAME])) as [{ n: number }];
    expect(projects).toBe(1);
  }, 180_000);
});
