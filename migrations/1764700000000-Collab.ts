import type { MigrationInterface, QueryRunner } from "typeorm";

// Live collaboration: one Yjs document per (case, layer), stored as an append-only list of updates
// that a background compaction folds into a single snapshot row. Layers: "consensus", or
// "reader:<userId>" (that reader's own regions, projected into the rois of their draft).
export class Collab1764700000000 implements MigrationInterface {
  name = "Collab1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE collab_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        layer text NOT NULL CHECK (layer = 'consensus' OR layer ~ '^reader:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
        reader_id uuid REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, layer),
        CHECK ((layer = 'consensus') = (reader_id IS NULL))
      )`);
    await q.query(`CREATE INDEX collab_documents_project_idx ON collab_documents (project_id)`);
    await q.query(`CREATE INDEX collab_documents_reader_idx ON collab_documents (reader_id)`);

    // Yjs updates (format v1), in the order they were acknowledged. snapshot: the merge of earlier
    // rows written by compaction; a document's state is the merge of all its rows, in any order.
    await q.query(`
      CREATE TABLE collab_updates (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES collab_documents(id) ON DELETE CASCADE,
        data bytea NOT NULL,
        snapshot boolean NOT NULL DEFAULT false,
        client_id text,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX collab_updates_document_idx ON collab_updates (document_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS collab_updates`);
    await q.query(`DROP TABLE IF EXISTS collab_documents`);
  }
}
