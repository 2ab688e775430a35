import type { MigrationInterface, QueryRunner } from "typeorm";

// Dataset splits: each project's percentages of TRAIN and VALIDATION (TEST takes the rest) and
// what a case's split follows (its patient, its study, or the case). The split of a case is
// computed where it is read (server/src/modules/cases/splits.ts), never stored. A trained model
// version records the split it learnt from TRAIN by, so its held-out cases stay known.
export class DatasetSplits1767200000000 implements MigrationInterface {
  name = "DatasetSplits1767200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projects
        ADD COLUMN split_train smallint NOT NULL DEFAULT 70,
        ADD COLUMN split_validation smallint NOT NULL DEFAULT 15,
        ADD COLUMN split_group text NOT NULL DEFAULT 'PATIENT',
        ADD CONSTRAINT projects_split_check CHECK (split_train BETWEEN 1 AND 100 AND split_validation BETWEEN 0 AND 99 AND split_train + split_validation <= 100),
        ADD CONSTRAINT projects_split_group_check CHECK (split_group IN ('PATIENT', 'STUDY', 'CASE'))`);
    // The split a trained version held its cases out by: {trainPercent, validationPercent, groupBy}.
    // Null for versions trained before (they held out 30 % of cases by a hash of the case id).
    await q.query(`ALTER TABLE model_versions ADD COLUMN held_out_split jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE model_versions DROP COLUMN IF EXISTS held_out_split`);
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_split_group_check, DROP CONSTRAINT IF EXISTS projects_split_check, DROP COLUMN IF EXISTS split_group, DROP COLUMN IF EXISTS split_validation, DROP COLUMN IF EXISTS split_train`);
  }
}
