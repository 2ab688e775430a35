import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Caller, buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { chestDicom, chestPng, stow, type StowPart } from "../../testing/images.js";

/** A DICOM file with fixed UIDs: sent twice, it is the same instance. */
const dicomFile = (seed: number): Buffer => chestDicom(seed);

// Ingest goes in groups of files (prepared together, stored and indexed in one transaction); what a
// caller sees must be as if files went in one by one, in order.

const RESULTS = `query($id: ID!) { uploadBatch(id: $id) { status total stored refused results { position fileName status message } } }`;
const CASE_KEYS = `query($projectId: ID!) { cases(projectId: $projectId, first: 200) { edges { node { key } } totalCount } }`;

describe("ingest in groups", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ caller: owner } = await buildUser(server, "owner"));
    token = (await owner.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "g" }) { token } }`)).createApiToken.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  const upload = async (projectId: string, parts: StowPart[]) => {
    // The upload's id chosen here: an upload that fails answers without one.
    const id = randomUUID();
    const answer = await stow(server, projectId, { token }, parts, { upload: id });
    const { uploadBatch } = await owner.ok<{ uploadBatch: { status: string; total: number; stored: number; refused: number; results: Array<{ position: number; fileName: string; status: string; message: string | null }> } }>(
      RESULTS,
      { id },
    );
    return { http: answer.status, ...uploadBatch };
  };
  const caseKeys = async (projectId: string) =>
    (await owner.ok<{ cases: { edges: Array<{ node: { key: string } }> } }>(CASE_KEYS, { projectId })).cases.edges.map((e) => e.node.key);

  it("keys cases by file name, numbering repeats, and lists them in upload order across groups", async () => {
    const projectId = await buildProject(owner);
    const names = ["a.png", "a.png", "b.png", ...Array.from({ length: 36 }, (_, i) => `c${i}.png`), "a.png", "a-2.png"];
    const first = await upload(projectId, names.map((name, i) => ({ name, bytes: chestPng(8, 8, i + 1) })));
    expect([first.http, first.total, first.stored, first.refused]).toEqual([200, 41, 41, 0]);
    // "a-2.png" wants the key a-2, which the second a.png took: it is numbered in turn.
    const expected = ["a", "a-2", "b", ...Array.from({ length: 36 }, (_, i) => `c${i}`), "a-3", "a-2-2"];
    expect(await caseKeys(projectId)).toEqual(expected);
    await upload(projectId, [{ name: "a.png", bytes: chestPng(8, 8, 100) }]);
    expect((await caseKeys(projectId)).at(-1)).toBe("a-4");
  });

  it("stores a file sent twice in one request once, and a file sent again as a duplicate", async () => {
    const projectId = await buildProject(owner);
    const bytes = dicomFile(7);
    const once = await upload(projectId, [
      { name: "x.dcm", bytes },
      { name: "y.png", bytes: chestPng(8, 8, 8) },
      { name: "x-again.dcm", bytes },
    ]);
    expect(once.results.map((r) => [r.position, r.status])).toEqual([
      [0, "STORED"],
      [1, "STORED"],
      [2, "DUPLICATE"],
    ]);
    expect(once.results[2]!.message).toBe("x-again.dcm: already in the project");
    const again = await upload(projectId, [{ name: "x.dcm", bytes }]);
    expect([again.http, again.results[0]!.status, again.stored]).toEqual([200, "DUPLICATE", 1]);
    const [{ n }] = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(n).toBe(2);
    expect(await caseKeys(projectId)).toEqual(["x", "y"]);
  });

  it("keeps each file's place and fate when some are refused", async () => {
    const projectId = await buildProject(owner);
    const r = await upload(projectId, [
      { name: "one.png", bytes: chestPng(8, 8, 1) },
      { name: "junk.dcm", bytes: Buffer.from("not an image at all") },
      { name: "two.png", bytes: chestPng(8, 8, 2) },
    ]);
    expect([r.http, r.total, r.stored, r.refused]).toEqual([202, 3, 2, 1]);
    expect(r.results.map((x) => [x.position, x.fileName, x.status])).toEqual([
      [0, "one.png", "STORED"],
      [1, "junk.dcm", "REFUSED"],
      [2, "two.png", "STORED"],
    ]);
    expect(await caseKeys(projectId)).toEqual(["one", "two"]);
  });

  // Concurrent uploads to one project may be indexed together (one transaction for the groups that
  // wait on the project's ingest lock): each must still come out as if they went in one by one.
  it("keeps uploads sent at the same time apart: unique case keys, one instance per file, each batch its own results", async () => {
    const projectId = await buildProject(owner);
    const shared = dicomFile(11);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, u) =>
        upload(projectId, [
          { name: "same.png", bytes: chestPng(8, 8, 200 + u) },
          { name: `own-${u}.png`, bytes: chestPng(8, 8, 300 + u) },
          { name: "shared.dcm", bytes: shared },
        ]),
      ),
    );
    for (const a of answers) {
      expect([a.http, a.status, a.total, a.stored, a.refused]).toEqual([200, "DONE", 3, 3, 0]);
      expect(a.results.map((r) => r.position)).toEqual([0, 1, 2]);
      expect(a.results.slice(0, 2).map((r) => r.status)).toEqual(["STORED", "STORED"]);
    }
    // The shared file went in once; every other upload of it is a duplicate of that instance.
    expect(answers.map((a) => a.results[2]!.status).sort()).toEqual(["DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "STORED"]);
    const [{ n }] = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM instances WHERE project_id = $1`, [projectId]);
    expect(n).toBe(13);
    const keys = await caseKeys(projectId);
    expect(keys).toHaveLength(13);
    expect(new Set(keys).size).toBe(13);
    expect(keys.filter((k) => k === "same" || /^same-[2-6]$/.test(k)).sort()).toEqual(["same", "same-2", "same-3", "same-4", "same-5", "same-6"]);
  });

  // When the transaction of groups indexed together fails, each group is tried again alone: one
  // upload's failure is not the others', and the failed one leaves nothing half-stored.
  it("retries the groups of a failed shared transaction one by one", async () => {
    const projectId = await buildProject(owner);
    const db = server.platform.db.dataSource;
    // A result row named poison.png makes its transaction fail, as a broken group would.
    await db.query(`CREATE OR REPLACE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.file_name = 'poison.png' THEN RAISE EXCEPTION 'poisoned for the test'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER test_poison BEFORE INSERT ON upload_results FOR EACH ROW EXECUTE FUNCTION test_poison()`);
    // The project's ingest lock, held here: the first upload's transaction waits for it, and the
    // uploads after it queue up to be indexed together once it is released.
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('ingest:' || $1::text))`, [projectId]);
      const queued = () => (server.services.images as unknown as { indexQueues: Map<string, unknown[]> }).indexQueues.get(projectId)?.length ?? -1;
      const until = async (what: () => Promise<boolean> | boolean) => {
        for (let i = 0; i < 500 && !(await what()); i++) await new Promise((r) => setTimeout(r, 20));
        expect(await what()).toBe(true);
      };
      const first = upload(projectId, [{ name: "first.png", bytes: chestPng(8, 8, 401) }]);
      // The first upload's transaction waits on the lock; the queue behind it is empty.
      await until(async () => queued() === 0 && (await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0);
      const later = [
        upload(projectId, [{ name: "ok-1.png", bytes: chestPng(8, 8, 402) }]),
        upload(projectId, [
          { name: "good.png", bytes: chestPng(8, 8, 403) },
          { name: "poison.png", bytes: chestPng(8, 8, 404) },
        ]),
        upload(projectId, [{ name: "ok-2.png", bytes: chestPng(8, 8, 405) }]),
      ];
      await until(() => queued() === 3);
      await holder.query(`SELECT pg_advisory_unlock(hashtext('ingest:' || $1::text))`, [projectId]);
      const [a, ok1, poisoned, ok2] = await Promise.all([first, ...later]);
      for (const r of [a, ok1, ok2]) expect([r.http, r.status, r.stored, r.refused]).toEqual([200, "DONE", 1, 0]);
      // The poisoned upload failed as a whole (its good file too: a group is indexed or not at all).
      expect(poisoned.http).toBeGreaterThanOrEqual(500);
      expect([poisoned.status, poisoned.stored]).toEqual(["FAILED", 0]);
      expect((await caseKeys(projectId)).sort()).toEqual(["first", "ok-1", "ok-2"]);
      const rows: Array<{ storage_key: string }> = await db.query(`SELECT storage_key FROM instances WHERE project_id = $1`, [projectId]);
      expect(rows).toHaveLength(3);
      // Its files were taken out of the store again: only the indexed ones remain.
      const dir = path.join(server.platform.config.dataDir, "dicom");
      const files = (await fs.readdir(path.join(dir, projectId), { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
      expect(files.map((f) => path.relative(dir, path.join(f.parentPath, f.name))).sort()).toEqual(rows.map((r) => r.storage_key).sort());
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      await holder.release();
      await db.query(`DROP TRIGGER IF EXISTS test_poison ON upload_results`);
      await db.query(`DROP FUNCTION IF EXISTS test_poison()`);
    }
  });
});
