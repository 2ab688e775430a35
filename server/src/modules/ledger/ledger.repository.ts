import type { EntityManager } from "typeorm";
import { nodeKey, type NodeId } from "./merkle.js";

export interface PendingLeaf {
  id: string;
  eventType: string;
  at: Date;
  actor: string | null;
  projectId: string | null;
  objectId: string;
  payloadSha256: Buffer;
}

export interface LeafRow extends PendingLeaf {
  seq: number;
  leafHash: Buffer;
}

/** A leaf as the API shows it: integrated (seq and leaf hash set) or still pending (both null). */
export interface EntryRow extends PendingLeaf {
  seq: number | null;
  leafHash: Buffer | null;
}

export interface HeadRow {
  treeSize: number;
  root: Buffer;
  at: Date;
  origin: string;
  keyId: Buffer;
  signature: Buffer;
  checkpoint: string;
}

// Advisory lock (two-int form) held by the one integrator that may append to the log.
export const LOCK_INTEGRATE: readonly [number, number] = [73031, 1];

const headOf = (r: Record<string, unknown>): HeadRow => ({
  treeSize: Number(r.tree_size),
  root: r.root as Buffer,
  at: r.at as Date,
  origin: r.origin as string,
  keyId: r.key_id as Buffer,
  signature: r.signature as Buffer,
  checkpoint: r.checkpoint as string,
});

const leafOf = (r: Record<string, unknown>): LeafRow => ({
  id: String(r.id),
  seq: Number(r.seq),
  eventType: r.event_type as string,
  at: r.at as Date,
  actor: (r.actor as string | null) ?? null,
  projectId: (r.project_id as string | null) ?? null,
  objectId: r.object_id as string,
  payloadSha256: r.payload_sha256 as Buffer,
  leafHash: r.leaf_hash as Buffer,
});

const entryOf = (r: Record<string, unknown>): EntryRow => ({
  id: String(r.id),
  seq: r.seq === null ? null : Number(r.seq),
  eventType: r.event_type as string,
  at: r.at as Date,
  actor: (r.actor as string | null) ?? null,
  projectId: (r.project_id as string | null) ?? null,
  objectId: r.object_id as string,
  payloadSha256: r.payload_sha256 as Buffer,
  leafHash: (r.leaf_hash as Buffer | null) ?? null,
});

const ENTRY_COLUMNS = `id, seq, event_type, at, actor, project_id, object_id, payload_sha256, leaf_hash`;

// The only code that queries the database for the ledger.
export class LedgerRepository {
  constructor(private readonly em: EntityManager) {}

  async insertPending(leaf: Omit<PendingLeaf, "id">): Promise<string> {
    const [row] = await this.em.query(
      `INSERT INTO ledger_leaves (event_type, at, actor, project_id, object_id, payload_sha256) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [leaf.eventType, leaf.at, leaf.actor, leaf.projectId, leaf.objectId, leaf.payloadSha256],
    );
    return String(row.id);
  }

  /** Many pending leaves in one statement, in the given order (their ids, hence their log order, follow it). */
  async insertPendingMany(leaves: ReadonlyArray<Omit<PendingLeaf, "id">>): Promise<void> {
    if (!leaves.length) return;
    await this.em.query(
      `INSERT INTO ledger_leaves (event_type, at, actor, project_id, object_id, payload_sha256)
       SELECT e, a, ac, p, o, h FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::bytea[]) WITH ORDINALITY AS t(e, a, ac, p, o, h, n) ORDER BY n`,
      [leaves.map((l) => l.eventType), leaves.map((l) => l.at), leaves.map((l) => l.actor), leaves.map((l) => l.projectId), leaves.map((l) => l.objectId), leaves.map((l) => l.payloadSha256)],
    );
  }

  /** Takes the integrator's lock for this transaction; false when another integrator holds it. */
  async tryLockIntegrator(): Promise<boolean> {
    const [row] = await this.em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS ok`, [...LOCK_INTEGRATE]);
    return row.ok === true;
  }

  /** Committed leaves still waiting for a sequence number, in the order they were recorded. */
  async pending(limit: number): Promise<PendingLeaf[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT id, event_type, at, actor, project_id, object_id, payload_sha256 FROM ledger_leaves WHERE seq IS NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      eventType: r.event_type as string,
      at: r.at as Date,
      actor: (r.actor as string | null) ?? null,
      projectId: (r.project_id as string | null) ?? null,
      objectId: r.object_id as string,
      payloadSha256: r.payload_sha256 as Buffer,
    }));
  }

  /** The number of integrated leaves. */
  async treeSize(): Promise<number> {
    const [row] = await this.em.query(`SELECT max(seq) AS max FROM ledger_leaves`);
    return row.max === null ? 0 : Number(row.max) + 1;
  }

  async assign(leaves: Array<{ id: string; seq: number; leafHash: Buffer }>): Promise<void> {
    if (!leaves.length) return;
    await this.em.query(
      `UPDATE ledger_leaves l SET seq = a.seq, leaf_hash = a.leaf_hash, integrated_at = now()
         FROM unnest($1::bigint[], $2::bigint[], $3::bytea[]) AS a(id, seq, leaf_hash)
        WHERE l.id = a.id AND l.seq IS NULL`,
      [leaves.map((l) => l.id), leaves.map((l) => l.seq), leaves.map((l) => l.leafHash)],
    );
  }

  async insertNodes(nodes: Array<NodeId & { hash: Buffer }>): Promise<void> {
    if (!nodes.length) return;
    await this.em.query(
      `INSERT INTO ledger_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
      [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
    );
  }

  /** The hashes of the given perfect subtrees (level 0: leaf hashes), keyed by nodeKey; missing ones absent. */
  async nodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const leaves = ids.filter((n) => n.level === 0).map((n) => n.index);
    const inner = ids.filter((n) => n.level > 0);
    if (leaves.length) {
      const rows: Array<{ seq: string; leaf_hash: Buffer }> = await this.em.query(
        `SELECT seq, leaf_hash FROM ledger_leaves WHERE seq = ANY($1::bigint[])`,
        [leaves],
      );
      for (const r of rows) out.set(nodeKey({ level: 0, index: Number(r.seq) }), r.leaf_hash);
    }
    if (inner.length) {
      const rows: Array<{ level: number; idx: string; hash: Buffer }> = await this.em.query(
        `SELECT n.level, n.idx, n.hash FROM ledger_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
        [inner.map((n) => n.level), inner.map((n) => n.index)],
      );
      for (const r of rows) out.set(nodeKey({ level: r.level, index: Number(r.idx) }), r.hash);
    }
    return out;
  }

  async insertHead(h: Omit<HeadRow, "at"> & { at: Date }): Promise<void> {
    await this.em.query(
      `INSERT INTO ledger_heads (tree_size, root, at, origin, key_id, signature, checkpoint) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [h.treeSize, h.root, h.at, h.origin, h.keyId, h.signature, h.checkpoint],
    );
  }

  async latestHead(): Promise<HeadRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_heads ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? headOf(rows[0]) : null;
  }

  async head(treeSize: number): Promise<HeadRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_heads WHERE tree_size = $1`, [treeSize]);
    return rows[0] ? headOf(rows[0]) : null;
  }

  /** Every signed head, smallest tree first (one per integration batch: far fewer than leaves). */
  async heads(): Promise<HeadRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_heads ORDER BY tree_size`);
    return rows.map(headOf);
  }

  /** Up to `limit` integrated leaves after `seq`, in seq order. */
  async leavesAfter(seq: number, limit: number): Promise<LeafRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_leaves WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, limit]);
    return rows.map(leafOf);
  }

  /** How many subtrees are stored, and how many leaves wait for integration. */
  async counts(): Promise<{ nodes: number; pending: number }> {
    const [row] = await this.em.query(
      `SELECT (SELECT count(*) FROM ledger_nodes)::bigint AS nodes, (SELECT count(*) FROM ledger_leaves WHERE seq IS NULL)::bigint AS pending`,
    );
    return { nodes: Number(row.nodes), pending: Number(row.pending) };
  }

  async leaf(seq: number): Promise<LeafRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM ledger_leaves WHERE seq = $1`, [seq]);
    return rows[0] ? leafOf(rows[0]) : null;
  }

  async leavesByObject(objectId: string, limit = 100): Promise<LeafRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT * FROM ledger_leaves WHERE object_id = $1 AND seq IS NOT NULL ORDER BY seq LIMIT $2`,
      [objectId, limit],
    );
    return rows.map(leafOf);
  }

  /**
   * A project's entries with seq >= `from`, in seq order, up to `limit`; when the integrated ones run
   * out, its pending entries follow (in the order they were recorded). Two queries so each uses its index.
   */
  async projectEntries(projectId: string, from: number, limit: number): Promise<EntryRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_leaves WHERE project_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [projectId, from, limit],
    );
    if (rows.length < limit) {
      rows.push(
        ...(await this.em.query(`SELECT ${ENTRY_COLUMNS} FROM ledger_leaves WHERE project_id = $1 AND seq IS NULL ORDER BY id LIMIT $2`, [
          projectId,
          limit - rows.length,
        ])),
      );
    }
    return rows.map(entryOf);
  }

  /** A project's entries about one object, integrated ones in seq order, then pending ones. */
  async projectEntriesByObject(projectId: string, objectId: string, limit: number): Promise<EntryRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_leaves WHERE object_id = $1 AND project_id = $2 ORDER BY seq NULLS LAST, id LIMIT $3`,
      [objectId, projectId, limit],
    );
    return rows.map(entryOf);
  }
}
