import type { MigrationInterface, QueryRunner } from "typeorm";

// Deleting cases for good: a subject withdrew their consent, an image shows what de-identification
// cannot remove (a name burnt into the pixels), or the wrong files went in. The case, its images
// and everything made from them go (readings, drafts, comments, adjudications, predictions, gold
// labels); what stays is this record of the deletion: which case, when, by whom and why. It has no
// foreign key to the case, which is gone; the note is the deleter's own words and stays out of the
// ledger, whose `case.delete` leaf holds the case id and the reason only.
export class CaseDeletions1767100000000 implements MigrationInterface {
  name = "CaseDeletions1767100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_deletions (
        case_id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        case_key text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('CONSENT_WITHDRAWN', 'IDENTIFIABLE_DATA', 'WRONG_UPLOAD', 'DUPLICATE', 'OTHER')),
        note text CHECK (char_length(note) BETWEEN 1 AND 1000),
        images integer NOT NULL CHECK (images >= 0),
        readings integer NOT NULL CHECK (readings >= 0),
        files_left integer NOT NULL DEFAULT 0 CHECK (files_left >= 0),
        deleted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        deleted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_deletions_project_idx ON case_deletions (project_id, deleted_at DESC, case_id)`);
    // Images deleted because their subject withdrew consent, or because they identify the patient,
    // stay out: the same file uploaded again (de-identification gives it the same SOP Instance UID
    // in the project) is refused. Only the de-identified UID is kept.
    await q.query(`
      CREATE TABLE deleted_instances (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        case_id uuid NOT NULL REFERENCES case_deletions(case_id) ON DELETE CASCADE,
        PRIMARY KEY (project_id, sop_instance_uid)
      )`);
    // Deleting images checks (and cascades to) the rows that refer to them: without these, each
    // instance, series or study deleted would scan the cases and the upload results.
    await q.query(`CREATE INDEX cases_instance_idx ON cases (instance_id)`);
    await q.query(`CREATE INDEX cases_series_idx ON cases (series_id)`);
    await q.query(`CREATE INDEX cases_study_idx ON cases (study_id)`);
    await q.query(`CREATE INDEX upload_results_instance_idx ON upload_results (instance_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ["cases_instance_idx", "cases_series_idx", "cases_study_idx", "upload_results_instance_idx"]) await q.query(`DROP INDEX IF EXISTS ${index}`);
    await q.query(`DROP TABLE IF EXISTS deleted_instances`);
    await q.query(`DROP TABLE IF EXISTS case_deletions`);
  }
}
