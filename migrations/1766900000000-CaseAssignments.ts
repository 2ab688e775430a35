import type { MigrationInterface, QueryRunner } from "typeorm";

// Managers assign cases to readers: a reader study's design (each reader a subset, a split-plot
// MRMC design, a trainee's course). An assignment holds one of the case's reader slots for its
// reader until they submit or skip it; with projects.assigned_reading, readers read only the cases
// assigned to them.
export class CaseAssignments1766900000000 implements MigrationInterface {
  name = "CaseAssignments1766900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN assigned_reading boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE case_assignments (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        reader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        assigned_by uuid REFERENCES users(id) ON DELETE SET NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, reader_id)
      )`);
    await q.query(`CREATE INDEX case_assignments_reader_idx ON case_assignments (project_id, reader_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_assignments`);
    await q.query(`ALTER TABLE projects DROP COLUMN IF EXISTS assigned_reading`);
  }
}
