import { IsNull, type EntityManager } from "typeorm";
import { preparedQuery } from "../../platform/database/prepared.js";
import { ApiTokenEntity, LoginAttemptEntity, SessionEntity, UserEntity } from "./accounts.entity.js";

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

  insertUser(data: Pick<UserEntity, "email" | "name" | "passwordHash">): Promise<UserEntity> {
    return this.em.save(this.em.create(UserEntity, data));
  }

  insertSession(userId: string, tokenHash: string, expiresAt: Date): Promise<SessionEntity> {
    return this.em.save(this.em.create(SessionEntity, { userId, tokenHash, expiresAt, lastSeenAt: new Date() }));
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
