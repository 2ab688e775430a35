import type { EntityManager } from "typeorm";
import type { Role } from "../../access/roles.js";
import { InvitationEntity } from "../accounts/accounts.entity.js";

/** An open invitation (neither accepted nor withdrawn) as a project's managers list it. */
export interface OpenInvitationRow {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedBy: { id: string; name: string } | null;
}

// The only code that queries the database for invitations.
export class InvitationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Withdraws the project's open invitations to this address; their ids. */
  async withdrawOpen(projectId: string, email: string): Promise<string[]> {
    // An UPDATE answers [rows, count].
    const [rows]: [Array<{ id: string }>, number] = await this.em.query(
      `UPDATE invitations SET revoked_at = now() WHERE project_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [projectId, email],
    );
    return rows.map((r) => r.id);
  }

  async insert(data: { projectId: string; email: string; role: Role; tokenHash: string; invitedBy: string; expiresAt: Date }): Promise<string> {
    const [row] = await this.em.query(
      `INSERT INTO invitations (project_id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [data.projectId, data.email, data.role, data.tokenHash, data.invitedBy, data.expiresAt],
    );
    return row.id;
  }

  /** The project's open invitations (or the one with `id`), newest first, with the inviter's name. */
  async open(projectId: string, id?: string): Promise<OpenInvitationRow[]> {
    const rows: Array<{ id: string; email: string; role: Role; created_at: Date; expires_at: Date; invited_by: string | null; inviter: string | null }> = await this.em.query(
      `SELECT i.id, i.email, i.role, i.created_at, i.expires_at, i.invited_by, u.name AS inviter
         FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
        WHERE i.project_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND ($2::uuid IS NULL OR i.id = $2::uuid)
        ORDER BY i.created_at DESC, i.id`,
      [projectId, id ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      invitedBy: r.invited_by ? { id: r.invited_by, name: r.inviter ?? "" } : null,
    }));
  }

  /** The invitation whose token has this hash, whatever its state; locked for update when asked. */
  byTokenHash(tokenHash: string, lock = false): Promise<InvitationEntity | null> {
    const q = this.em.createQueryBuilder(InvitationEntity, "i").where("i.tokenHash = :h", { h: tokenHash });
    if (lock) q.setLock("pessimistic_write");
    return q.getOne();
  }

  /** What an invitation's page shows besides the invitation: its project, who invited, whether the address has an account. */
  async previewFacts(invitation: InvitationEntity): Promise<{ projectName: string; archived: boolean; inviterName: string | null; accountExists: boolean }> {
    const [row] = await this.em.query(
      `SELECT p.name AS project_name, p.archived_at IS NOT NULL AS archived, u.name AS inviter,
              EXISTS (SELECT 1 FROM users a WHERE a.email = $3) AS account_exists
         FROM projects p LEFT JOIN users u ON u.id = $2 WHERE p.id = $1`,
      [invitation.projectId, invitation.invitedBy, invitation.email],
    );
    return { projectName: row.project_name, archived: row.archived, inviterName: row.inviter ?? null, accountExists: row.account_exists };
  }

  async markWithdrawn(id: string): Promise<void> {
    await this.em.update(InvitationEntity, { id }, { revokedAt: new Date() });
  }

  async markAccepted(id: string, userId: string): Promise<void> {
    await this.em.update(InvitationEntity, { id }, { acceptedAt: new Date(), acceptedBy: userId });
  }
}
