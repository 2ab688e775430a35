import type { MigrationInterface, QueryRunner } from "typeorm";

// Readers per case by dataset split: a project may want more readers on its VALIDATION and TEST
// cases (the reference standard a model is measured against) than on TRAIN. Null: the project's
// readers_per_case, as before. Which cases need how many is worked out where it is read
// (server/src/modules/cases/splits.ts, readersNeededSql), as the split itself is.
export class ReadersPerSplit1767300000000 implements MigrationInterface {
  name = "ReadersPerSplit1767300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projects
        ADD COLUMN readers_validation smallint,
        ADD COLUMN readers_test smallint,
        ADD CONSTRAINT projects_readers_per_split_check CHECK (readers_validation BETWEEN 1 AND 100 AND readers_test BETWEEN 1 AND 100)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_readers_per_split_check, DROP COLUMN IF EXISTS readers_test, DROP COLUMN IF EXISTS readers_validation`);
  }
}
