import { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../testing/harness.js";
import { StudyCases1766800000000 } from "../../../../migrations/1766800000000-StudyCases.js";
import { migrations } from "../../../../migrations/index.js";

// The study cases migration on a database that already holds images: every instance gets its
// series' study, and the projects' case unit takes STUDY; down returns to where it was.

describe("migration StudyCases1766800000000", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const source = (list: typeof migrations) => new DataSource({ type: "postgres", url: db.url, migrations: list, migrationsTableName: "migrations", logging: false });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("gives existing instances their study, allows STUDY, and goes down again", async () => {
    const at = migrations.indexOf(StudyCases1766800000000);
    expect(at).toBeGreaterThan(0);
    const before = source(migrations.slice(0, at));
    await before.initialize();
    await before.runMigrations({ transaction: "each" });
    const [user] = await before.query(`INSERT INTO users (email, name, password_hash) VALUES ('a@b.test', 'A', 'x') RETURNING id`);
    const [project] = await before.query(`INSERT INTO projects (name, mode, blind_reading, readers_per_case, created_by) VALUES ('P', 'STANDARD', false, 1, $1) RETURNING id`, [user.id]);
    const studies: string[] = [];
    for (const uid of ["1.1", "1.2"]) {
      const [study] = await before.query(`INSERT INTO studies (project_id, study_instance_uid, patient_id) VALUES ($1, $2, 'x') RETURNING id`, [project.id, uid]);
      const [series] = await before.query(`INSERT INTO series (project_id, study_id, series_instance_uid) VALUES ($1, $2, $3) RETURNING id`, [project.id, study.id, `${uid}.1`]);
      for (const n of [1, 2]) {
        await before.query(
          `INSERT INTO instances (project_id, series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, storage_key, size_bytes, sha256, metadata)
           VALUES ($1, $2, $3, '1.2.840.10008.5.1.4.1.1.7', '1.2.840.10008.1.2.1', 'k', 1, 'h', '{}')`,
          [project.id, series.id, `${uid}.1.${n}`],
        );
      }
      studies.push(study.id);
    }
    await expect(before.query(`UPDATE projects SET case_unit = 'STUDY'`)).rejects.toThrow(/case_unit/);
    await before.destroy();

    const after = source(migrations.slice(0, at + 1));
    await after.initialize();
    try {
      expect((await after.runMigrations({ transaction: "each" })).map((m) => m.name)).toEqual(["StudyCases1766800000000"]);
      const rows: Array<{ sop_instance_uid: string; study_id: string }> = await after.query(`SELECT sop_instance_uid, study_id FROM instances ORDER BY sop_instance_uid`);
      expect(rows.map((r) => [r.sop_instance_uid, r.study_id])).toEqual([
        ["1.1.1.1", studies[0]],
        ["1.1.1.2", studies[0]],
        ["1.2.1.1", studies[1]],
        ["1.2.1.2", studies[1]],
      ]);
      await after.query(`UPDATE projects SET case_unit = 'STUDY'`);
      // One study case per study.
      await after.query(`INSERT INTO cases (project_id, key, study_id) SELECT project_id, 's1', id FROM studies WHERE id = $1`, [studies[0]]);
      await expect(after.query(`INSERT INTO cases (project_id, key, study_id) SELECT project_id, 's1-again', id FROM studies WHERE id = $1`, [studies[0]])).rejects.toThrow(/cases_study_case_idx/);

      await after.undoLastMigration({ transaction: "each" });
      expect((await after.query(`SELECT case_unit FROM projects`))[0].case_unit).toBe("SERIES");
      expect((await after.query(`SELECT count(*)::int AS n FROM cases`))[0].n).toBe(0);
      expect(await after.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'instances' AND column_name = 'study_id'`)).toEqual([]);
    } finally {
      await after.destroy();
    }
  });
});
