import type { MigrationInterface, QueryRunner } from "typeorm";

// The model registry and predictions (issue 6). A version's ONNX bytes live in the row (bytea), not
// under the data dir: with Redis, `concord worker` processes on other hosts read them from the shared
// database (the data dir is per host), and the bytes commit in the same transaction as the version's
// ledger leaf. Models are small (the platform's own are tens of kilobytes; uploads are capped by the
// GraphQL body limit). Heatmaps are 8-bit maps at reduced resolution, one per label, concatenated.
export class Models1765100000000 implements MigrationInterface {
  name = "Models1765100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE models (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        task text NOT NULL CHECK (task IN ('binary', 'multilabel', 'regression')),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      )`);
    await q.query(`
      CREATE TABLE model_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        onnx bytea NOT NULL,
        sha256 text NOT NULL,
        metadata jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('VALIDATING', 'READY', 'REFUSED')),
        refusal text,
        metrics jsonb,
        source text NOT NULL CHECK (source IN ('UPLOADED', 'TRAINED')),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ready_at timestamptz,
        -- The training job that made it: a retried job finds its version instead of adding another.
        train_job text UNIQUE,
        UNIQUE (model_id, version),
        CHECK ((status = 'REFUSED') = (refusal IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX model_versions_project_idx ON model_versions (project_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE predictions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        model_version_id uuid NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
        outputs jsonb NOT NULL,
        method text NOT NULL CHECK (method IN ('cam', 'occlusion', 'none')),
        heatmap_width integer NOT NULL DEFAULT 0 CHECK (heatmap_width >= 0),
        heatmap_height integer NOT NULL DEFAULT 0 CHECK (heatmap_height >= 0),
        heatmaps bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, model_version_id)
      )`);
    await q.query(`CREATE INDEX predictions_version_idx ON predictions (model_version_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS predictions`);
    await q.query(`DROP TABLE IF EXISTS model_versions`);
    await q.query(`DROP TABLE IF EXISTS models`);
  }
}
