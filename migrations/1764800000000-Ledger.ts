import type { MigrationInterface, QueryRunner } from "typeorm";

// The tamper-evident ledger: an RFC 9162 Merkle log of events.
// - ledger_leaves: one row per event. Written pending (seq and leaf_hash null) in the transaction of
//   the change it describes, like an outbox; the integrator gives it the next seq and its leaf hash.
// - ledger_nodes: the root of every completed perfect subtree of level >= 1 (level 0 is
//   ledger_leaves.leaf_hash), so any proof or root is read with O(log n) primary-key lookups.
// - ledger_heads: every signed tree head (a C2SP checkpoint), one per tree size.
export class Ledger1764800000000 implements MigrationInterface {
  name = "Ledger1764800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_leaves (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq bigint UNIQUE CHECK (seq >= 0),
        event_type text NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9_.]{0,63}$'),
        at timestamptz NOT NULL,
        actor text CHECK (actor ~ '^[0-9a-f]{64}$'),
        -- The project the event belongs to (access to its entries), if any; no foreign key: the log outlives projects.
        project_id uuid,
        object_id text NOT NULL CHECK (length(object_id) BETWEEN 1 AND 200),
        payload_sha256 bytea NOT NULL CHECK (length(payload_sha256) = 32),
        leaf_hash bytea CHECK (length(leaf_hash) = 32),
        integrated_at timestamptz,
        CHECK ((seq IS NULL) = (leaf_hash IS NULL) AND (seq IS NULL) = (integrated_at IS NULL))
      )`);
    await q.query(`CREATE INDEX ledger_leaves_pending_idx ON ledger_leaves (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX ledger_leaves_object_idx ON ledger_leaves (object_id, seq)`);
    await q.query(`CREATE INDEX ledger_leaves_project_idx ON ledger_leaves (project_id, seq)`);

    await q.query(`
      CREATE TABLE ledger_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);

    await q.query(`
      CREATE TABLE ledger_heads (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        at timestamptz NOT NULL DEFAULT now(),
        origin text NOT NULL,
        key_id bytea NOT NULL CHECK (length(key_id) = 4),
        signature bytea NOT NULL CHECK (length(signature) = 64),
        checkpoint text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ledger_heads`);
    await q.query(`DROP TABLE IF EXISTS ledger_nodes`);
    await q.query(`DROP TABLE IF EXISTS ledger_leaves`);
  }
}
