import type { MigrationInterface, QueryRunner } from "typeorm";

// A manager's exclusion of a case from its project: the image is unusable, the wrong one, a
// duplicate, or outside the study's inclusion criteria. An excluded case keeps its images, readings
// and history, but leaves the queue, the progress counts, the review's statistics, reward epochs,
// exports and model training; including it again brings it all back. One row per case: excluding
// it again replaces the reason.
export class CaseExclusions1766400000000 implements MigrationInterface {
  name = "CaseExclusions1766400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_exclusions (
        case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('IMAGE_QUALITY', 'WRONG_IMAGE', 'DUPLICATE', 'INCLUSION_CRITERIA', 'OTHER')),
        note text CHECK (char_length(note) BETWEEN 1 AND 1000),
        excluded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        excluded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_exclusions_project_idx ON case_exclusions (project_id, excluded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_exclusions`);
  }
}
