import type { MigrationInterface, QueryRunner } from "typeorm";

// The local DICOM store's index (studies, series, instances; de-identified UIDs only), cases, upload
// batches with a result per file, and the per-project secret that keys UID replacement.
export class Imaging1764400000000 implements MigrationInterface {
  name = "Imaging1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN deid_retain_dates boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE project_secrets (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        deid_key bytea NOT NULL CHECK (length(deid_key) = 32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE studies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        study_instance_uid text NOT NULL,
        patient_id text NOT NULL,
        study_date text,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, study_instance_uid)
      )`);
    await q.query(`
      CREATE TABLE series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        series_instance_uid text NOT NULL,
        modality text NOT NULL DEFAULT '',
        series_number integer,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, series_instance_uid)
      )`);
    await q.query(`CREATE INDEX series_study_idx ON series (study_id)`);
    await q.query(`
      CREATE TABLE instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        series_id uuid NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        sop_class_uid text NOT NULL,
        transfer_syntax_uid text NOT NULL,
        instance_number integer,
        rows integer,
        columns integer,
        frames integer NOT NULL DEFAULT 1,
        storage_key text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL,
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, sop_instance_uid)
      )`);
    await q.query(`CREATE INDEX instances_series_idx ON instances (series_id, instance_number)`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key text NOT NULL,
        study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        series_id uuid REFERENCES series(id) ON DELETE CASCADE,
        instance_id uuid REFERENCES instances(id) ON DELETE CASCADE,
        report text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, key)
      )`);
    await q.query(`CREATE INDEX cases_project_idx ON cases (project_id, created_at, id)`);

    await q.query(`
      CREATE TABLE upload_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        source text NOT NULL CHECK (source IN ('GRAPHQL', 'STOW', 'DIMSE', 'DICOMWEB')),
        status text NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
        total integer NOT NULL DEFAULT 0,
        stored integer NOT NULL DEFAULT 0,
        refused integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE upload_results (
        batch_id uuid NOT NULL REFERENCES upload_batches(id) ON DELETE CASCADE,
        position integer NOT NULL,
        file_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('STORED', 'DUPLICATE', 'REFUSED', 'IGNORED')),
        message text,
        instance_id uuid REFERENCES instances(id) ON DELETE SET NULL,
        PRIMARY KEY (batch_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["upload_results", "upload_batches", "cases", "instances", "series", "studies", "project_secrets"]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`ALTER TABLE projects DROP COLUMN IF EXISTS deid_retain_dates`);
  }
}
