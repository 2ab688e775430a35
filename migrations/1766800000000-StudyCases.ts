import type { MigrationInterface, QueryRunner } from "typeorm";

// A case can be a whole study (projects.case_unit STUDY): every series of it, read together (a
// mammogram's views, an MR's sequences, a current and a prior). A study case has series_id and
// instance_id NULL; one per study. instances.study_id (the study of its series, kept with it) lets
// every query that finds a case's images use an index for each kind of case.
export class StudyCases1766800000000 implements MigrationInterface {
  name = "StudyCases1766800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_case_unit_check`);
    await q.query(`ALTER TABLE projects ADD CONSTRAINT projects_case_unit_check CHECK (case_unit IN ('IMAGE', 'SERIES', 'STUDY'))`);
    await q.query(`ALTER TABLE instances ADD COLUMN study_id uuid REFERENCES studies(id) ON DELETE CASCADE`);
    await q.query(`UPDATE instances i SET study_id = se.study_id FROM series se WHERE se.id = i.series_id`);
    await q.query(`ALTER TABLE instances ALTER COLUMN study_id SET NOT NULL`);
    await q.query(`CREATE INDEX instances_study_idx ON instances (study_id)`);
    await q.query(`CREATE UNIQUE INDEX cases_study_case_idx ON cases (study_id) WHERE series_id IS NULL AND instance_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM cases WHERE series_id IS NULL AND instance_id IS NULL`);
    await q.query(`DROP INDEX IF EXISTS cases_study_case_idx`);
    await q.query(`ALTER TABLE instances DROP COLUMN IF EXISTS study_id`);
    await q.query(`UPDATE projects SET case_unit = 'SERIES' WHERE case_unit = 'STUDY'`);
    await q.query(`ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_case_unit_check`);
    await q.query(`ALTER TABLE projects ADD CONSTRAINT projects_case_unit_check CHECK (case_unit IN ('IMAGE', 'SERIES'))`);
  }
}
