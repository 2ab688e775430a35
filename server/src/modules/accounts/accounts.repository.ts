import { IsNull, type EntityManager } from "typeorm";
import { preparedQuery } from "../../platform/database/prepared.js";
import { ApiTokenEntity, LoginAttemptEntity, PasswordResetEntity, SessionEntity, UserEntity } from "./accounts.entity.js";

/** A row of the administrators' list of accounts. */
export interface AccountRow {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  projects: number;
}

const ACCOUNT_ROW = `
  SELECT u.id, u.email, u.name, u.admin, u.disabled_at, u.created_at,
         (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_seen_at,
         (SELECT count(*)::int FROM memberships m WHERE m.user_id = u.id) AS projects
    FROM users u`;

const accountRow = (r: { id: string; email: string; name: string; admin: boolean; disabled_at: Date | null; created_at: Date; last_seen_at: Date | null; projects: number }): AccountRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  admin: r.admin,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  projects: r.projects,
});

// The only code that queries the database for accounts, sessions, API tokens and login attempts.
export class AccountsRepository {
  constructor(private readonly em: EntityManager) {}

  findUserById(id: string): Promise<UserEntity | null> {
    return this.em.findOneBy(UserEntity, { id });
  }

  findUsersByIds(ids: string[]): Promise<UserEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.em.createQueryBuilder(UserEntity, "u").where("u.id IN (:...ids)", { ids }).getMany();
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.em.findOneBy(UserEntity, { email });
  }

  /** Includes the password hash, which is never selected otherwise. */
  findCredentials(email: string): Promise<UserEntity | null> {
    return this.em
      .createQueryBuilder(UserEntity, "u")
      .addSelect("u.passwordHash")
      .where("u.email = :email", { email })
      .getOne();
  }

  /** Includes the password hash, which is never selected otherwise. */
  findCredentialsById(id: string): Promise<UserEntity | null> {
    return this.em.createQueryBuilder(UserEntity, "u").addSelect("u.passwordHash").where("u.id = :id", { id }).getOne();
  }

  async insertUser(data: Pick<UserEntity, "email" | "name" | "passwordHash"> & { admin?: boolean }): Promise<UserEntity> {
    const { passwordHash: _hash, ...user } = await this.em.save(this.em.create(UserEntity, { admin: false, disabledAt: null, ...data }));
    return user as UserEntity;
  }

  /**
   * Holds, until the transaction ends, the lock under which "is there an administrator yet?" is
   * asked and answered, so two first sign-ups cannot both become one.
   */
  async lockAdmins(): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock(hashtext('concord.admins'))`);
  }

  async countAdmins(exceptDisabled = true): Promise<number> {
    const [row] = await this.em.query(`SELECT count(*)::int AS n FROM users WHERE admin ${exceptDisabled ? "AND disabled_at IS NULL" : ""}`);
    return row.n;
  }

  async updateUser(id: string, patch: Partial<Pick<UserEntity, "name" | "passwordHash" | "admin" | "disabledAt">>): Promise<void> {
    await this.em.update(UserEntity, { id }, patch);
  }

  /** One page of accounts by e-mail address, after `after`; `search` matches a part of the address or name. */
  async accounts(search: string | null, after: string | null, limit: number): Promise<{ rows: AccountRow[]; total: number }> {
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const matching = `($1::text IS NULL OR u.email ILIKE $1 OR u.name ILIKE $1)`;
    const rows = await this.em.query(
      `${ACCOUNT_ROW} WHERE ${matching} AND ($2::text IS NULL OR u.email > $2) ORDER BY u.email LIMIT $3`,
      [pattern, after, limit],
    );
    const [count] = await this.em.query(`SELECT count(*)::int AS n FROM users u WHERE ${matching}`, [pattern]);
    return { rows: rows.map(accountRow), total: count.n };
  }

  async account(id: string): Promise<AccountRow | null> {
    const [row] = await this.em.query(`${ACCOUNT_ROW} WHERE u.id = $1`, [id]);
    return row ? accountRow(row) : null;
  }

  /** The account an OpenID Connect identity is linked to, noting this sign-on. */
  async userOfIdentity(issuer: string, subject: string): Promise<string | null> {
    const [rows] = await this.em.query(`UPDATE user_identities SET last_login_at = now() WHERE issuer = $1 AND subject = $2 RETURNING user_id`, [issuer, subject]);
    return (rows as Array<{ user_id: string }>)[0]?.user_id ?? null;
  }

  async linkIdentity(userId: string, issuer: string, subject: string): Promise<void> {
    await this.em.query(`INSERT INTO user_identities (issuer, subject, user_id) VALUES ($1, $2, $3)`, [issuer, subject, userId]);
  }

  /** Is some project's invitation to this address open (not accepted, withdrawn nor expired)? */
  async openInvitationFor(email: string): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM invitations WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() LIMIT 1`,
      [email],
    );
    return rows.length > 0;
  }

  insertSession(userId: string, tokenHash: string, expiresAt: Date, userAgent: string | null): Promise<SessionEntity> {
    return this.em.save(this.em.create(SessionEntity, { userId, tokenHash, expiresAt, lastSeenAt: new Date(), userAgent }));
  }

  listSessions(userId: string): Promise<SessionEntity[]> {
    return this.em
      .createQueryBuilder(SessionEntity, "s")
      .where("s.userId = :userId AND s.expiresAt > now()", { userId })
      .orderBy("s.lastSeenAt", "DESC")
      .getMany();
  }

  /** Ends the user's sessions, but for `keep`; how many ended. */
  async deleteSessions(userId: string, keep: string | null = null): Promise<number> {
    const r = await this.em.query(`DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)`, [userId, keep]);
    return Number(r[1] ?? 0);
  }

  async deleteUserSession(userId: string, id: string): Promise<boolean> {
    const r = await this.em.delete(SessionEntity, { id, userId });
    return (r.affected ?? 0) > 0;
  }

  async revokeAllApiTokens(userId: string): Promise<number> {
    const r = await this.em.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    return Number(r[1] ?? 0);
  }

  /**
   * A new one-time link to set the user's password; the user's earlier open ones are withdrawn,
   * except that a link its owner asked for ("Forgot your password?") leaves an administrator's standing.
   */
  async insertPasswordReset(userId: string, tokenHash: string, expiresAt: Date, createdBy: string | null, selfService = false): Promise<PasswordResetEntity> {
    await this.withdrawPasswordLinks(userId, selfService);
    const { tokenHash: _t, ...row } = await this.em.save(this.em.create(PasswordResetEntity, { userId, tokenHash, expiresAt, createdBy, usedAt: null, revokedAt: null, selfService }));
    return row as PasswordResetEntity;
  }

  /** Withdraws the user's open password links (only the self-service ones when asked). */
  async withdrawPasswordLinks(userId: string, selfServiceOnly = false): Promise<void> {
    await this.em.query(
      `UPDATE password_resets SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND (NOT $2 OR self_service)`,
      [userId, selfServiceOnly],
    );
  }

  /** Was a self-service password link made for the user within the last `withinMs`? */
  async recentSelfServiceLink(userId: string, withinMs: number): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM password_resets WHERE user_id = $1 AND self_service AND created_at > now() - $2 * interval '1 millisecond' LIMIT 1`, [userId, withinMs]);
    return rows.length > 0;
  }

  /** The password link with this token hash, whatever its state, locked for update when asked. */
  findPasswordReset(tokenHash: string, lock = false): Promise<PasswordResetEntity | null> {
    const q = this.em.createQueryBuilder(PasswordResetEntity, "r").where("r.tokenHash = :tokenHash", { tokenHash });
    if (lock) q.setLock("pessimistic_write");
    return q.getOne();
  }

  async markPasswordResetUsed(id: string): Promise<void> {
    await this.em.update(PasswordResetEntity, { id }, { usedAt: new Date() });
  }

  /**
   * The live session with this token hash. Every request with a cookie asks this, so it is a named
   * prepared statement answering only what authentication uses (no entity mapping).
   */
  async findLiveSession(tokenHash: string): Promise<Pick<SessionEntity, "id" | "userId" | "lastSeenAt"> | null> {
    const [row] = await preparedQuery<{ id: string; user_id: string; last_seen_at: Date }>(
      this.em,
      "auth-session",
      `SELECT id, user_id, last_seen_at FROM sessions WHERE token_hash = $1 AND expires_at > now()`,
      [tokenHash],
    );
    return row ? { id: row.id, userId: row.user_id, lastSeenAt: row.last_seen_at } : null;
  }

  async touchSession(id: string): Promise<void> {
    await this.em.update(SessionEntity, { id }, { lastSeenAt: new Date() });
  }

  async deleteSession(id: string): Promise<void> {
    await this.em.delete(SessionEntity, { id });
  }

  insertApiToken(data: Pick<ApiTokenEntity, "userId" | "name" | "prefix" | "tokenHash" | "expiresAt">): Promise<ApiTokenEntity> {
    return this.em.save(this.em.create(ApiTokenEntity, { ...data, lastUsedAt: null, revokedAt: null }));
  }

  listApiTokens(userId: string): Promise<ApiTokenEntity[]> {
    return this.em.find(ApiTokenEntity, { where: { userId, revokedAt: IsNull() }, order: { createdAt: "DESC" } });
  }

  findApiToken(userId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.em.findOneBy(ApiTokenEntity, { id, userId, revokedAt: IsNull() });
  }

  async revokeApiToken(id: string): Promise<void> {
    await this.em.update(ApiTokenEntity, { id }, { revokedAt: new Date() });
  }

  /** The live (neither revoked nor expired) API token with this hash; a prepared statement, as findLiveSession. */
  async findLiveApiToken(tokenHash: string): Promise<Pick<ApiTokenEntity, "id" | "userId" | "lastUsedAt"> | null> {
    const [row] = await preparedQuery<{ id: string; user_id: string; last_used_at: Date | null }>(
      this.em,
      "auth-api-token",
      `SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [tokenHash],
    );
    return row ? { id: row.id, userId: row.user_id, lastUsedAt: row.last_used_at } : null;
  }

  async touchApiToken(id: string): Promise<void> {
    await this.em.update(ApiTokenEntity, { id }, { lastUsedAt: new Date() });
  }

  async recordLoginAttempt(accountKey: string, address: string, succeeded: boolean): Promise<void> {
    await this.em.insert(LoginAttemptEntity, { accountKey, address, succeeded });
  }

  /** Failures since `since` for this account and for this address; a success resets the account's count. */
  async recentFailures(accountKey: string, address: string, since: Date): Promise<{ account: number; address: number }> {
    const [row] = await this.em.query(
      `SELECT
         (SELECT count(*) FROM login_attempts a
           WHERE a.account_key = $1 AND a.at > $3 AND NOT a.succeeded
             AND a.at > coalesce((SELECT max(at) FROM login_attempts s
                                   WHERE s.account_key = $1 AND s.succeeded), '-infinity')) AS account,
         (SELECT count(*) FROM login_attempts WHERE address = $2 AND at > $3 AND NOT succeeded) AS address`,
      [accountKey, address, since],
    );
    return { account: Number(row.account), address: Number(row.address) };
  }

  async purgeExpired(loginAttemptsBefore: Date): Promise<{ sessions: number; loginAttempts: number }> {
    const s = await this.em.query(`DELETE FROM sessions WHERE expires_at <= now()`);
    const a = await this.em.query(`DELETE FROM login_attempts WHERE at < $1`, [loginAttemptsBefore]);
    return { sessions: Number(s[1] ?? 0), loginAttempts: Number(a[1] ?? 0) };
  }
}
