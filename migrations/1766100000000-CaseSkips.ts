import type { MigrationInterface, QueryRunner } from "typeorm";

// A reader's skip of a case: they will not read it (the image is not diagnostic, it is the wrong
// image, it is outside their expertise...). The queue no longer hands them that case and its slot
// goes to another reader; they, or a manager, may return it to their queue, and submitting the case
// withdraws it. One row per reader and case: skipping again replaces the reason.
export class CaseSkips1766100000000 implements MigrationInterface {
  name = "CaseSkips1766100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_skips (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        reader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('IMAGE_QUALITY', 'WRONG_IMAGE', 'OUTSIDE_EXPERTISE', 'OTHER')),
        note text CHECK (char_length(note) BETWEEN 1 AND 1000),
        skipped_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, reader_id)
      )`);
    await q.query(`CREATE INDEX case_skips_project_idx ON case_skips (project_id, skipped_at)`);
    await q.query(`CREATE INDEX case_skips_reader_idx ON case_skips (reader_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_skips`);
  }
}
