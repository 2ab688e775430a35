import type { MigrationInterface, QueryRunner } from "typeorm";

// Export jobs (issue 9): one row per requested export, run by a worker, its file kept under the data
// dir's exports/ folder until expires_at. The file itself is not in the database.
export class Exports1765000000000 implements MigrationInterface {
  name = "Exports1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE export_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        format text NOT NULL CHECK (format ~ '^[A-Z][A-Z0-9_]{1,31}$'),
        scope text NOT NULL CHECK (scope IN ('ALL_READERS', 'READER', 'CONSENSUS')),
        reader_id uuid,
        all_versions boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        items integer,
        bytes bigint,
        sha256 text,
        file_name text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        expires_at timestamptz,
        CHECK ((scope = 'READER') = (reader_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX export_jobs_project_idx ON export_jobs (project_id, created_at DESC)`);
    await q.query(`CREATE INDEX export_jobs_expiry_idx ON export_jobs (expires_at) WHERE expires_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS export_jobs`);
  }
}
