import type { MigrationInterface, QueryRunner } from "typeorm";

// What a case is and how it is named at ingest.
// - projects.case_unit: one case per image (IMAGE) or per series (SERIES, a CT or MR series read as
//   one stack). A series case has series_id set and instance_id NULL; one per series.
// - projects.case_key_source: the default naming of new cases (an upload may choose another).
// - case_key_mappings / case_key_map_entries: a CSV mapping from an original identifier (file name,
//   PatientID or accession number) to a case key. The identifiers are identifying, so they are kept
//   only as an HMAC under the project's de-identification key; the case keys are kept as given.
export class CaseKeys1764550000000 implements MigrationInterface {
  name = "CaseKeys1764550000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN case_unit text NOT NULL DEFAULT 'IMAGE' CHECK (case_unit IN ('IMAGE', 'SERIES'))`);
    await q.query(
      `ALTER TABLE projects ADD COLUMN case_key_source text NOT NULL DEFAULT 'FILE_NAME'
         CHECK (case_key_source IN ('FILE_NAME', 'PATIENT_ID', 'ACCESSION_NUMBER', 'MAPPING'))`,
    );
    await q.query(`CREATE UNIQUE INDEX cases_series_case_idx ON cases (series_id) WHERE instance_id IS NULL`);
    await q.query(`
      CREATE TABLE case_key_mappings (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        identifier text NOT NULL CHECK (identifier IN ('FILE_NAME', 'PATIENT_ID', 'ACCESSION_NUMBER')),
        entries integer NOT NULL,
        imported_by uuid REFERENCES users(id) ON DELETE SET NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE case_key_map_entries (
        project_id uuid NOT NULL REFERENCES case_key_mappings(project_id) ON DELETE CASCADE,
        digest bytea NOT NULL CHECK (length(digest) = 32),
        case_key text NOT NULL,
        PRIMARY KEY (project_id, digest)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_key_map_entries`);
    await q.query(`DROP TABLE IF EXISTS case_key_mappings`);
    await q.query(`DROP INDEX IF EXISTS cases_series_case_idx`);
    await q.query(`ALTER TABLE projects DROP COLUMN IF EXISTS case_key_source`);
    await q.query(`ALTER TABLE projects DROP COLUMN IF EXISTS case_unit`);
  }
}
