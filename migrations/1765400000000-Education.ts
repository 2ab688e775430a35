import type { MigrationInterface, QueryRunner } from "typeorm";

// Education mode (issue 8): gold labels per case, the pass rule a manager sets, and trainees' certifications.
// Gold ROIs are not stored here: they are the project's consensus collaboration layer.
export class Education1765400000000 implements MigrationInterface {
  name = "Education1765400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gold_labels (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        label_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        value boolean NOT NULL,
        source text NOT NULL CHECK (source IN ('IMPORTED', 'ADJUDICATED')),
        set_by uuid REFERENCES users(id) ON DELETE SET NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, label_id)
      )`);
    await q.query(`CREATE INDEX gold_labels_project_idx ON gold_labels (project_id)`);

    await q.query(`
      CREATE TABLE education_settings (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        pass_accuracy real NOT NULL CHECK (pass_accuracy >= 0 AND pass_accuracy <= 1),
        min_cases integer NOT NULL CHECK (min_cases >= 1),
        target_project_id uuid REFERENCES projects(id) ON DELETE SET NULL,
        grant_role text CHECK (grant_role IN ('ANNOTATOR', 'REVIEWER', 'VIEWER')),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (target_project_id IS DISTINCT FROM project_id)
      )`);

    await q.query(`
      CREATE TABLE education_certifications (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        passed_at timestamptz NOT NULL DEFAULT now(),
        cases integer NOT NULL CHECK (cases >= 0),
        accuracy double precision NOT NULL,
        kappa double precision,
        granted_project_id uuid REFERENCES projects(id) ON DELETE SET NULL,
        granted_role text,
        PRIMARY KEY (project_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["education_certifications", "education_settings", "gold_labels"]) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
