import { IsNull, type EntityManager } from "typeorm";
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

  async findLiveSession(tokenHash: string): Promise<SessionEntity | null> {
    return this.em
      .createQueryBuilder(SessionEntity, "s")
      .where("s.tokenHash = :tokenHash AND s.expiresAt > now()", { tokenHash })
      .getOne();
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

  async findLiveApiToken(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.em
      .createQueryBuilder(ApiTokenEntity, "t")
      .where("t.tokenHash = :tokenHash AND t.revokedAt IS NULL AND (t.expiresAt IS NULL OR t.expiresAt > now())", {
        tokenHash,
      })
      .getOne();
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
