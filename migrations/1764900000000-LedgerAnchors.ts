import type { MigrationInterface, QueryRunner } from "typeorm";

// Anchors of signed tree heads on public chains: which head went into which transaction, and what
// reading it back found. One anchor per head and chain, so a retried job never anchors twice.
export class LedgerAnchors1764900000000 implements MigrationInterface {
  name = "LedgerAnchors1764900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_anchors (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- The chain, e.g. "cosmos:cosmoshub-4".
        chain text NOT NULL CHECK (chain ~ '^[a-z0-9]+:[A-Za-z0-9_.-]{1,50}$'),
        tree_size bigint NOT NULL REFERENCES ledger_heads (tree_size),
        root bytea NOT NULL CHECK (length(root) = 32),
        memo text NOT NULL CHECK (octet_length(memo) BETWEEN 1 AND 512),
        tx_hash text NOT NULL CHECK (tx_hash ~ '^[0-9A-Za-z]{1,128}$'),
        height bigint CHECK (height > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        checked_at timestamptz,
        check_ok boolean,
        check_message text,
        CHECK ((checked_at IS NULL) = (check_ok IS NULL)),
        UNIQUE (chain, tree_size),
        UNIQUE (chain, tx_hash)
      )`);
    await q.query(`CREATE INDEX ledger_anchors_recent_idx ON ledger_anchors (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ledger_anchors`);
  }
}
