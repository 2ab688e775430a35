import type { MigrationInterface, QueryRunner } from "typeorm";

// Readers' annotations of cases: versions (one open draft per reader and case, submitted versions
// immutable), label values with confidence grades, regions of interest, the timing the MarkIt paper
// defines (image loaded -> submit, each label click, motionless stretches) and short claims that
// keep two readers from taking the last open slot of a case at once.
export class Annotations1764600000000 implements MigrationInterface {
  name = "Annotations1764600000000";

  async up(q: QueryRunner): Promise<void> {
    // Timing columns are derived from annotation_sessions (raw, as the client reported them) at
    // every save, so statistics and exports read plain columns.
    await q.query(`
      CREATE TABLE annotations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        reader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        status text NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED')),
        opened_at timestamptz NOT NULL,
        loaded_at timestamptz,
        submitted_at timestamptz,
        case_seconds double precision CHECK (case_seconds >= 0),
        click_count integer NOT NULL DEFAULT 0 CHECK (click_count >= 0),
        label_click_count integer NOT NULL DEFAULT 0 CHECK (label_click_count >= 0),
        idle_count integer NOT NULL DEFAULT 0 CHECK (idle_count >= 0),
        idle_seconds double precision NOT NULL DEFAULT 0 CHECK (idle_seconds >= 0),
        idle_threshold_seconds double precision,
        session_count integer NOT NULL DEFAULT 0,
        timing_clamped boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, reader_id, version),
        CHECK ((status = 'SUBMITTED') = (submitted_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX annotations_one_draft ON annotations (case_id, reader_id) WHERE status = 'DRAFT'`);
    await q.query(`CREATE INDEX annotations_project_idx ON annotations (project_id, status, case_id)`);
    await q.query(`CREATE INDEX annotations_reader_idx ON annotations (reader_id)`);

    await q.query(`
      CREATE TABLE label_values (
        annotation_id uuid NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        label_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        value boolean NOT NULL,
        confidence smallint CHECK (confidence IN (0, 20, 40, 60, 80, 100)),
        implicit boolean NOT NULL DEFAULT false,
        seconds double precision CHECK (seconds >= 0),
        clicks integer NOT NULL DEFAULT 0 CHECK (clicks >= 0),
        PRIMARY KEY (annotation_id, label_id)
      )`);
    await q.query(`CREATE INDEX label_values_label_idx ON label_values (label_id)`);

    await q.query(`
      CREATE TABLE rois (
        annotation_id uuid NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        position integer NOT NULL,
        class_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('RECTANGLE', 'FREEHAND')),
        points jsonb NOT NULL CHECK (jsonb_typeof(points) = 'array'),
        sop_instance_uid text NOT NULL,
        frame integer NOT NULL DEFAULT 1 CHECK (frame >= 1),
        PRIMARY KEY (annotation_id, id),
        UNIQUE (annotation_id, position)
      )`);
    await q.query(`CREATE INDEX rois_class_idx ON rois (class_id)`);

    // One row per page load (the client's performance.now() origin). frozen: copied from the
    // version this one revises; it can no longer change.
    await q.query(`
      CREATE TABLE annotation_sessions (
        annotation_id uuid NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        session_id uuid NOT NULL,
        position integer NOT NULL,
        frozen boolean NOT NULL DEFAULT false,
        loaded_at timestamptz NOT NULL,
        started_at timestamptz NOT NULL,
        reported_at timestamptz NOT NULL,
        reported_seconds double precision NOT NULL CHECK (reported_seconds >= 0),
        seconds double precision NOT NULL CHECK (seconds >= 0),
        click_count integer NOT NULL CHECK (click_count >= 0),
        clamped boolean NOT NULL DEFAULT false,
        PRIMARY KEY (annotation_id, session_id)
      )`);
    await q.query(`
      CREATE TABLE annotation_label_clicks (
        annotation_id uuid NOT NULL,
        session_id uuid NOT NULL,
        seq integer NOT NULL,
        label_id uuid NOT NULL REFERENCES label_definitions(id) ON DELETE CASCADE,
        at_seconds double precision NOT NULL CHECK (at_seconds >= 0),
        value boolean NOT NULL,
        confidence smallint CHECK (confidence IN (0, 20, 40, 60, 80, 100)),
        PRIMARY KEY (annotation_id, session_id, seq),
        FOREIGN KEY (annotation_id, session_id) REFERENCES annotation_sessions (annotation_id, session_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE annotation_idle (
        annotation_id uuid NOT NULL,
        session_id uuid NOT NULL,
        seq integer NOT NULL,
        start_seconds double precision NOT NULL CHECK (start_seconds >= 0),
        seconds double precision NOT NULL CHECK (seconds >= 0),
        PRIMARY KEY (annotation_id, session_id, seq),
        FOREIGN KEY (annotation_id, session_id) REFERENCES annotation_sessions (annotation_id, session_id) ON DELETE CASCADE
      )`);

    // A reader's hold on one of a case's open slots, from nextCase; autosaves renew it, submitting ends it.
    await q.query(`
      CREATE TABLE case_claims (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        reader_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (case_id, reader_id)
      )`);
    await q.query(`CREATE INDEX case_claims_project_idx ON case_claims (project_id, expires_at)`);
    await q.query(`CREATE INDEX case_claims_reader_idx ON case_claims (reader_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["case_claims", "annotation_idle", "annotation_label_clicks", "annotation_sessions", "rois", "label_values", "annotations"]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
