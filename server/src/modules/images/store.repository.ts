import type { EntityManager } from "typeorm";

export type ExternalStoreAuthKind = "NONE" | "BASIC" | "BEARER";

/** A project's external store, as kept in project_stores (secret included, sealed: never hand this to the API). */
export interface ExternalStoreRow {
  projectId: string;
  kind: "DICOMWEB";
  baseUrl: string;
  auth: ExternalStoreAuthKind;
  username: string | null;
  /** As stored: sealed by SecretBox (platform/secrets.ts), or in clear if stored before sealing existed. */
  secret: string | null;
  updatedAt: Date;
}

// The only code that queries project_stores.
export class StoreRepository {
  constructor(private readonly em: EntityManager) {}

  async find(projectId: string): Promise<ExternalStoreRow | null> {
    const [r] = (await this.em.query(`SELECT project_id, kind, base_url, auth, username, secret, updated_at FROM project_stores WHERE project_id = $1`, [projectId])) as Array<
      Record<string, unknown>
    >;
    return r ? toStoreRow(r) : null;
  }

  async upsert(row: Omit<ExternalStoreRow, "updatedAt" | "kind">): Promise<ExternalStoreRow> {
    await this.em.query(
      `INSERT INTO project_stores (project_id, kind, base_url, auth, username, secret, updated_at)
       VALUES ($1, 'DICOMWEB', $2, $3, $4, $5, now())
       ON CONFLICT (project_id) DO UPDATE
         SET kind = excluded.kind, base_url = excluded.base_url, auth = excluded.auth,
             username = excluded.username, secret = excluded.secret, updated_at = now()`,
      [row.projectId, row.baseUrl, row.auth, row.username, row.secret],
    );
    return (await this.find(row.projectId))!;
  }

  /** Every stored secret, as stored, with the URL of its store. */
  async storedSecrets(): Promise<Array<{ projectId: string; baseUrl: string; secret: string }>> {
    const rows = (await this.em.query(`SELECT project_id, base_url, secret FROM project_stores WHERE secret IS NOT NULL`)) as Array<{
      project_id: string;
      base_url: string;
      secret: string;
    }>;
    return rows.map((r) => ({ projectId: r.project_id, baseUrl: r.base_url, secret: r.secret }));
  }

  /** Replaces a project's secret if it still is `expected` for the store at `baseUrl`; false when either changed meanwhile. */
  async replaceSecret(projectId: string, baseUrl: string, expected: string, secret: string): Promise<boolean> {
    const [, count] = (await this.em.query(`UPDATE project_stores SET secret = $4 WHERE project_id = $1 AND base_url = $2 AND secret = $3`, [
      projectId,
      baseUrl,
      expected,
      secret,
    ])) as [unknown, number];
    return count > 0;
  }

  async delete(projectId: string): Promise<boolean> {
    const [, count] = (await this.em.query(`DELETE FROM project_stores WHERE project_id = $1`, [projectId])) as [unknown, number];
    return count > 0;
  }
}

/** A project_stores row as selected (the table's column names). */
export function toStoreRow(r: Record<string, unknown>): ExternalStoreRow {
  return {
    projectId: r.project_id as string,
    kind: r.kind as "DICOMWEB",
    baseUrl: r.base_url as string,
    auth: r.auth as ExternalStoreAuthKind,
    username: r.username as string | null,
    secret: r.secret as string | null,
    updatedAt: r.updated_at as Date,
  };
}
