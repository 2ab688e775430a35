import type { Actor } from "../../access/access.js";
import { isUuid, requireActor } from "../../access/access.js";
import type { Config } from "../../config.js";
import type { Context } from "../../context.js";
import { AppError, conflict, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Database } from "../../platform/database/index.js";
import type { ApiTokenEntity, UserEntity } from "./accounts.entity.js";
import { AccountsRepository } from "./accounts.repository.js";
import { dummyHash, hashPassword, passwordProblems, verifyPassword } from "./passwords.js";
import { API_TOKEN_PREFIX_LENGTH, newApiToken, newSessionToken, sha256 } from "./secrets.js";

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Record a session's or token's last use at most this often, not on every request.
const TOUCH_EVERY_MS = 5 * 60_000;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly config: Config,
  ) {}

  private repo(em = this.db.dataSource.manager) {
    return new AccountsRepository(em);
  }

  async signUp(input: SignUpInput, ctx: Context): Promise<UserEntity> {
    if (!this.config.signupOpen) throw new AppError("FORBIDDEN", "Sign-up is closed on this server");
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    if (!EMAIL.test(email) || email.length > 254) problems.push({ field: "email", message: "is not a valid e-mail address" });
    if (!name) problems.push({ field: "name", message: "must not be empty" });
    problems.push(...passwordProblems(input.password, email, name));
    if (problems.length) throw invalid(problems);

    const passwordHash = await hashPassword(input.password);
    const { user, token, expiresAt } = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      if (await repo.findUserByEmail(email)) throw conflict("An account with this e-mail already exists", "email");
      const user = await repo.insertUser({ email, name, passwordHash });
      return { user, ...(await this.openSession(repo, user.id)) };
    }).catch((err: unknown) => {
      // Two sign-ups racing for one address: the unique index decides, the loser gets the same answer.
      if ((err as { code?: string }).code === "23505") throw conflict("An account with this e-mail already exists", "email");
      throw err;
    });
    ctx.cookies?.setSession(token, expiresAt);
    return user;
  }

  async logIn(emailInput: string, password: string, ctx: Context): Promise<UserEntity> {
    const email = normaliseEmail(emailInput);
    const accountKey = sha256(email);
    const repo = this.repo();
    const since = new Date(Date.now() - this.config.login.windowMs);
    const failures = await repo.recentFailures(accountKey, ctx.ip, since);
    if (
      failures.account >= this.config.login.maxFailuresPerAccount ||
      failures.address >= this.config.login.maxFailuresPerAddress
    ) {
      throw new AppError("RATE_LIMITED", "Too many failed log-in attempts; try again later", {
        retryAfterSeconds: Math.ceil(this.config.login.windowMs / 1000),
      });
    }
    const user = await repo.findCredentials(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !ok) {
      await repo.recordLoginAttempt(accountKey, ctx.ip, false);
      throw new AppError("UNAUTHENTICATED", "E-mail or password is incorrect");
    }
    const { token, expiresAt } = await this.db.tx(async (em) => {
      const r = this.repo(em);
      await r.recordLoginAttempt(accountKey, ctx.ip, true);
      return this.openSession(r, user.id);
    });
    ctx.cookies?.setSession(token, expiresAt);
    const { passwordHash: _omit, ...rest } = user;
    return rest as UserEntity;
  }

  async logOut(ctx: Context): Promise<boolean> {
    if (ctx.actor?.sessionId) await this.repo().deleteSession(ctx.actor.sessionId);
    ctx.cookies?.clearSession();
    return true;
  }

  me(actor: Actor | null): Promise<UserEntity | null> {
    return actor ? this.repo().findUserById(actor.userId) : Promise.resolve(null);
  }

  usersByIds(ids: string[]): Promise<UserEntity[]> {
    return this.repo().findUsersByIds(ids);
  }

  async createApiToken(
    actorIn: Actor | null,
    name: string,
    expiresInDays: number | null | undefined,
  ): Promise<{ token: string; apiToken: ApiTokenEntity }> {
    const actor = requireActor(actorIn);
    const trimmed = name.trim();
    if (!trimmed) throw invalid([{ field: "name", message: "must not be empty" }]);
    const token = newApiToken();
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    const apiToken = await this.repo().insertApiToken({
      userId: actor.userId,
      name: trimmed,
      prefix: token.slice(0, API_TOKEN_PREFIX_LENGTH),
      tokenHash: sha256(token),
      expiresAt,
    });
    return { token, apiToken };
  }

  apiTokens(actor: Actor | null): Promise<ApiTokenEntity[]> {
    return this.repo().listApiTokens(requireActor(actor).userId);
  }

  async revokeApiToken(actorIn: Actor | null, id: string): Promise<boolean> {
    const actor = requireActor(actorIn);
    return this.db.tx(async (em) => {
      const repo = this.repo(em);
      const token = isUuid(id) ? await repo.findApiToken(actor.userId, id) : null;
      if (!token) throw notFound("API token");
      await repo.revokeApiToken(token.id);
      return true;
    });
  }

  /** Who is calling: a browser session cookie or a bearer API token, or nobody. */
  async authenticate(sessionToken: string | undefined, bearer: string | undefined): Promise<Actor | null> {
    const repo = this.repo();
    if (bearer) {
      const token = await repo.findLiveApiToken(sha256(bearer));
      if (!token) return null;
      if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > TOUCH_EVERY_MS) await repo.touchApiToken(token.id);
      return { userId: token.userId, via: "token", tokenId: token.id };
    }
    if (sessionToken) {
      const session = await repo.findLiveSession(sha256(sessionToken));
      if (!session) return null;
      if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await repo.touchSession(session.id);
      }
      return { userId: session.userId, via: "session", sessionId: session.id };
    }
    return null;
  }

  purgeExpired(): Promise<{ sessions: number; loginAttempts: number }> {
    // Keep attempts for a day beyond the window, for investigating abuse; then they go.
    const before = new Date(Date.now() - this.config.login.windowMs - 86_400_000);
    return this.repo().purgeExpired(before);
  }

  private async openSession(repo: AccountsRepository, userId: string) {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    await repo.insertSession(userId, sha256(token), expiresAt);
    return { token, expiresAt };
  }
}
