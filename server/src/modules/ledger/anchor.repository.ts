import type { EntityManager } from "typeorm";

export interface AnchorRow {
  id: string;
  chain: string;
  treeSize: number;
  root: Buffer;
  memo: string;
  txHash: string;
  height: number | null;
  createdAt: Date;
  checkedAt: Date | null;
  checkOk: boolean | null;
  checkMessage: string | null;
}

// Advisory lock (two-int form, beside the integrator's 73031/1) held by the one process anchoring.
export const LOCK_ANCHOR: readonly [number, number] = [73031, 2];

const anchorOf = (r: Record<string, unknown>): AnchorRow => ({
  id: String(r.id),
  chain: r.chain as string,
  treeSize: Number(r.tree_size),
  root: r.root as Buffer,
  memo: r.memo as string,
  txHash: r.tx_hash as string,
  height: r.height === null ? null : Number(r.height),
  createdAt: r.created_at as Date,
  checkedAt: (r.checked_at as Date | null) ?? null,
  checkOk: (r.check_ok as boolean | null) ?? null,
  checkMessage: (r.check_message as string | null) ?? null,
});

// The only code that queries ledger_anchors.
export class AnchorRepository {
  constructor(private readonly em: EntityManager) {}

  /** Takes the anchoring lock for this transaction; false when another process holds it. */
  async tryLock(): Promise<boolean> {
    const [row] = await this.em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS ok`, [...LOCK_ANCHOR]);
    return row.ok === true;
  }

  async forHead(chain: string, treeSize: number): Promise<AnchorRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_anchors WHERE chain = $1 AND tree_size = $2`, [chain, treeSize]);
    return rows[0] ? anchorOf(rows[0]) : null;
  }

  async insert(a: Pick<AnchorRow, "chain" | "treeSize" | "root" | "memo" | "txHash" | "height">): Promise<AnchorRow> {
    const [row] = await this.em.query(
      `INSERT INTO ledger_anchors (chain, tree_size, root, memo, tx_hash, height) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [a.chain, a.treeSize, a.root, a.memo, a.txHash, a.height],
    );
    return anchorOf(row);
  }

  async get(id: string): Promise<AnchorRow | null> {
    if (!/^[1-9][0-9]{0,18}$/.test(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_anchors WHERE id = $1`, [id]);
    return rows[0] ? anchorOf(rows[0]) : null;
  }

  /** The result of reading an anchor back; the height too, when the chain reported it. */
  async recordCheck(id: string, check: { ok: boolean; message: string; height: number | null }): Promise<AnchorRow> {
    const [rows] = await this.em.query(
      `UPDATE ledger_anchors SET checked_at = now(), check_ok = $2, check_message = $3, height = coalesce($4, height) WHERE id = $1 RETURNING *`,
      [id, check.ok, check.message, check.height],
    );
    return anchorOf(rows[0]);
  }

  /** Newest first. */
  async recent(limit: number): Promise<AnchorRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_anchors ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(anchorOf);
  }

  /** Anchors of this chain never read back, or not found on chain when last read (no height), oldest first. */
  async needingCheck(chain: string, limit: number): Promise<AnchorRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT * FROM ledger_anchors WHERE chain = $1 AND (checked_at IS NULL OR (check_ok = false AND height IS NULL)) ORDER BY id LIMIT $2`,
      [chain, limit],
    );
    return rows.map(anchorOf);
  }
}
