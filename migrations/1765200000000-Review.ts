import type { MigrationInterface, QueryRunner } from "typeorm";

// Review mode (issue 8): reviewers' adjudicated consensus per case and label, and comments on cases.
// Adjudications keep one current row per (case, label) plus an append-only versions table: readers
// of the consensus (heatmap, exports) join a plain unique row, history is never updated in place.
export class Review1765200000000 implements MigrationInterface {
  name = "Review1765200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE adjudications (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        label_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        value boolean NOT NULL,
        note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
        adjudicated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL CHECK (version >= 1),
        PRIMARY KEY (case_id, label_id)
      )`);
    await q.query(`CREATE INDEX adjudications_project_idx ON adjudications (project_id)`);

    // Every adjudication and every clearing (value NULL), in order; the current row is the latest non-cleared one.
    await q.query(`
      CREATE TABLE adjudication_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        label_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        value boolean,
        note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
        adjudicated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, label_id, version)
      )`);

    await q.query(`
      CREATE TABLE case_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_comments_case_idx ON case_comments (case_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["case_comments", "adjudication_versions", "adjudications"]) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
