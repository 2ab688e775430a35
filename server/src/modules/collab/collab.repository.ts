import type { EntityManager } from "typeorm";
import { caseIncluded } from "../cases/exclusions.js";
import { preparedQuery } from "../../platform/database/prepared.js";

export interface CollabDocumentRow {
  id: string;
  projectId: string;
  caseId: string;
  layer: string;
}

export interface StoredUpdate {
  id: string;
  data: Uint8Array;
}

// Advisory lock namespace (two-int form) for compacting one document.
const LOCK_COMPACT = 73021;

// The only code that queries the database for collaboration documents and their updates.
export class CollabRepository {
  constructor(private readonly em: EntityManager) {}

  /** The project a case belongs to, or null. */
  async caseProject(caseId: string): Promise<string | null> {
    const rows: Array<{ project_id: string }> = await this.em.query(`SELECT project_id FROM cases WHERE id = $1`, [caseId]);
    return rows[0]?.project_id ?? null;
  }

  /** A page of a project's consensus documents in case key order, after `afterKey`, with their stored updates. */
  async consensusDocuments(projectId: string, afterKey: string | null, limit: number): Promise<Array<{ caseId: string; caseKey: string; updates: Uint8Array[] }>> {
    const rows: Array<{ case_id: string; key: string; updates: Buffer[] }> = await this.em.query(
      `SELECT d.case_id, c.key, array_agg(u.data ORDER BY u.id) AS updates
         FROM collab_documents d JOIN cases c ON c.id = d.case_id JOIN collab_updates u ON u.document_id = d.id
        WHERE d.project_id = $1 AND d.layer = 'consensus' AND ($2::text IS NULL OR c.key > $2) AND ${caseIncluded("c.id")}
        GROUP BY d.case_id, c.key ORDER BY c.key LIMIT $3`,
      [projectId, afterKey, limit],
    );
    return rows.map((r) => ({ caseId: r.case_id, caseKey: r.key, updates: r.updates.map((b) => new Uint8Array(b)) }));
  }

  /** A user's display name, or null. */
  async userName(userId: string): Promise<string | null> {
    const rows: Array<{ name: string }> = await this.em.query(`SELECT name FROM users WHERE id = $1`, [userId]);
    return rows[0]?.name ?? null;
  }

  async findDocument(caseId: string, layer: string): Promise<CollabDocumentRow | null> {
    const rows: Array<Record<string, string>> = await this.em.query(
      `SELECT id, project_id, case_id, layer FROM collab_documents WHERE case_id = $1 AND layer = $2`,
      [caseId, layer],
    );
    const r = rows[0];
    return r ? { id: r.id!, projectId: r.project_id!, caseId: r.case_id!, layer: r.layer! } : null;
  }

  /** The document, created on first write; two first writers at once end with the same row. */
  async ensureDocument(projectId: string, caseId: string, layer: string, readerId: string | null): Promise<CollabDocumentRow> {
    // Every write after the first finds it: one query instead of two.
    const existing = await this.findDocument(caseId, layer);
    if (existing) return existing;
    await this.em.query(
      `INSERT INTO collab_documents (project_id, case_id, layer, reader_id) VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, layer) DO NOTHING`,
      [projectId, caseId, layer, readerId],
    );
    return (await this.findDocument(caseId, layer))!;
  }

  /**
   * Appends an update to the (case, layer) document, creating the document on the first write, in
   * one statement (committed on its own outside a transaction): answers the update's id, the
   * document's id and its size with the update (whether to compact). Two first writes at once: the
   * second's INSERT waits for the first's and does nothing, and its snapshot, taken before, does not
   * see the document yet; it then appends nothing and answers null: run it again.
   */
  async appendEnsuring(
    projectId: string,
    caseId: string,
    layer: string,
    readerId: string | null,
    data: Uint8Array,
    clientId: string | null,
    actorId: string | null,
  ): Promise<{ id: string; documentId: string; rows: number; bytes: number } | null> {
    // The statements of a WITH share one snapshot: `earlier` does not see the row `added` inserts.
    const rows = await preparedQuery<{ id: string; document_id: string; rows: number; bytes: string }>(
      this.em,
      "collab_append_ensuring",
      `WITH found AS (
         SELECT id FROM collab_documents WHERE case_id = $2::uuid AND layer = $3::text
       ), created AS (
         INSERT INTO collab_documents (project_id, case_id, layer, reader_id)
         SELECT $1::uuid, $2::uuid, $3::text, $4::uuid WHERE NOT EXISTS (SELECT 1 FROM found)
         ON CONFLICT (case_id, layer) DO NOTHING
         RETURNING id
       ), doc AS (
         SELECT id FROM found UNION ALL SELECT id FROM created
       ), added AS (
         INSERT INTO collab_updates (document_id, data, client_id, actor_id)
         SELECT id, $5::bytea, $6::text, $7::uuid FROM doc
         RETURNING id, document_id, octet_length(data) AS bytes
       ), earlier AS (
         SELECT count(*)::int AS rows, coalesce(sum(octet_length(data)), 0)::bigint AS bytes
           FROM collab_updates WHERE document_id = (SELECT id FROM doc)
       )
       SELECT added.id, added.document_id, earlier.rows + 1 AS rows, earlier.bytes + added.bytes AS bytes FROM added, earlier`,
      [projectId, caseId, layer, readerId, Buffer.from(data.buffer, data.byteOffset, data.byteLength), clientId, actorId],
    );
    const row = rows[0];
    return row ? { id: String(row.id), documentId: row.document_id, rows: Number(row.rows), bytes: Number(row.bytes) } : null;
  }

  /** Every stored update of the document, oldest first. */
  async updates(documentId: string): Promise<StoredUpdate[]> {
    const rows: Array<{ id: string; data: Buffer }> = await this.em.query(
      `SELECT id, data FROM collab_updates WHERE document_id = $1 ORDER BY id`,
      [documentId],
    );
    return rows.map((r) => ({ id: String(r.id), data: new Uint8Array(r.data) }));
  }

  /** Takes the document's compaction lock for the rest of the transaction, or answers false when another holds it. */
  async tryLockCompaction(documentId: string): Promise<boolean> {
    const [r] = await this.em.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [LOCK_COMPACT, documentId]);
    return r.locked === true;
  }

  async insertSnapshot(documentId: string, data: Uint8Array): Promise<string> {
    const [row] = await this.em.query(
      `INSERT INTO collab_updates (document_id, data, snapshot) VALUES ($1, $2, true) RETURNING id`,
      [documentId, Buffer.from(data.buffer, data.byteOffset, data.byteLength)],
    );
    return String(row.id);
  }

  /** Deletes exactly these rows (never a range: an append committed meanwhile must survive). */
  async deleteUpdates(documentId: string, ids: string[]): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, affected] = (await this.em.query(`DELETE FROM collab_updates WHERE document_id = $1 AND id = ANY($2::bigint[])`, [documentId, ids])) as [unknown[], number];
    return affected;
  }
}
