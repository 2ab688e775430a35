import type { Actor } from "../../access/access.js";
import { isUuid, requireActor } from "../../access/access.js";
import type { Config } from "../../config.js";
import type { Context } from "../../context.js";
import { AppError, conflict, invalid, notFound, unauthenticated, type FieldProblem } from "../../errors.js";
import type { EntityManager } from "typeorm";
import type { Database } from "../../platform/database/index.js";
import type { Logger } from "../../logger.js";
import type { Mailer } from "../../platform/mail.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { formatExpiry, mailLink, newLinkSecret } from "./links.js";
import type { ApiTokenEntity, PasswordResetEntity, SessionEntity, UserEntity } from "./accounts.entity.js";
import { AccountsRepository } from "./accounts.repository.js";
import { dummyHash, hashPassword, passwordProblems, verifyPassword } from "./passwords.js";
import { API_TOKEN_PREFIX_LENGTH, newApiToken, newSessionToken, sha256 } from "./secrets.js";

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A self-service password link ("Forgot your password?") works this long at most, and is sent at most this often per account. */
const SELF_LINK_TTL_MS = 2 * 3600_000;
const SELF_LINK_EVERY_MS = 5 * 60_000;
// Record a session's or token's last use at most this often, not on every request.
const TOUCH_EVERY_MS = 5 * 60_000;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Problems with an e-mail address as a new account's, field-level. */
export function emailProblems(email: string, field = "email"): FieldProblem[] {
  return !EMAIL.test(email) || email.length > 254 ? [{ field, message: "is not a valid e-mail address" }] : [];
}

/** Where a one-time link (invitation or password) stands. */
export type LinkState = "VALID" | "EXPIRED" | "USED" | "WITHDRAWN";

export function linkState(row: { expiresAt: Date; usedAt: Date | null; revokedAt: Date | null }, now = Date.now()): LinkState {
  if (row.usedAt) return "USED";
  if (row.revokedAt) return "WITHDRAWN";
  return row.expiresAt.getTime() <= now ? "EXPIRED" : "VALID";
}

const LINK_REFUSAL: Record<Exclude<LinkState, "VALID">, string> = {
  EXPIRED: "has expired",
  USED: "has already been used",
  WITHDRAWN: "was withdrawn",
};

/** Refuses a link that is not VALID, saying why. */
export function requireValidLink(kind: string, state: LinkState | null): void {
  if (state === null) throw notFound(kind);
  if (state !== "VALID") throw new AppError("FORBIDDEN", `This ${kind.toLowerCase()} ${LINK_REFUSAL[state]}; ask for a new one`);
}

export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly ledger: LedgerService,
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  private repo(em = this.db.dataSource.manager) {
    return new AccountsRepository(em);
  }

  instance(): { signupOpen: boolean; mailEnabled: boolean; ssoName: string | null } {
    return { signupOpen: this.config.signupOpen, mailEnabled: this.config.mail !== null, ssoName: this.config.sso?.name ?? null };
  }

  async signUp(input: SignUpInput, ctx: Context): Promise<UserEntity> {
    if (!this.config.signupOpen) throw new AppError("FORBIDDEN", "Sign-up is closed on this server");
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    problems.push(...emailProblems(email));
    if (!name) problems.push({ field: "name", message: "must not be empty" });
    problems.push(...passwordProblems(input.password, email, name));
    if (problems.length) throw invalid(problems);

    const passwordHash = await hashPassword(input.password);
    const { user, token, expiresAt } = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      if (await repo.findUserByEmail(email)) throw conflict("An account with this e-mail already exists", "email");
      const user = await this.insertSelfMadeAccount(em, { email, name, passwordHash }, "sign-up");
      return { user, ...(await this.openSession(repo, user.id, ctx.userAgent)) };
    }).catch((err: unknown) => {
      // Two sign-ups racing for one address: the unique index decides, the loser gets the same answer.
      if ((err as { code?: string }).code === "23505") throw conflict("An account with this e-mail already exists", "email");
      throw err;
    });
    ctx.cookies?.setSession(token, expiresAt);
    return user;
  }

  /**
   * An account its owner makes (signing up, or a first single sign-on). While no account
   * administers the server, this one does.
   */
  async insertSelfMadeAccount(em: EntityManager, data: { email: string; name: string; passwordHash: string }, via: "sign-up" | "sso"): Promise<UserEntity> {
    const repo = this.repo(em);
    await repo.lockAdmins();
    const admin = (await repo.countAdmins(false)) === 0;
    const user = await repo.insertUser({ ...data, admin });
    await this.ledger.record(em, { type: "user.create", actorId: user.id, projectId: null, objectId: user.id, change: { userId: user.id, admin, via } });
    if (admin) await this.ledger.record(em, { type: "user.admin", actorId: null, projectId: null, objectId: user.id, change: { userId: user.id, admin: true, first: true } });
    return user;
  }

  /** Refuses when this account or this address has failed to give its password too often lately. */
  private async checkAttempts(repo: AccountsRepository, accountKey: string, ip: string): Promise<void> {
    const since = new Date(Date.now() - this.config.login.windowMs);
    const failures = await repo.recentFailures(accountKey, ip, since);
    if (
      failures.account >= this.config.login.maxFailuresPerAccount ||
      failures.address >= this.config.login.maxFailuresPerAddress
    ) {
      throw new AppError("RATE_LIMITED", "Too many failed log-in attempts; try again later", {
        retryAfterSeconds: Math.ceil(this.config.login.windowMs / 1000),
      });
    }
  }

  async logIn(emailInput: string, password: string, ctx: Context): Promise<UserEntity> {
    const email = normaliseEmail(emailInput);
    const accountKey = sha256(email);
    const repo = this.repo();
    await this.checkAttempts(repo, accountKey, ctx.ip);
    const user = await repo.findCredentials(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !ok) {
      await repo.recordLoginAttempt(accountKey, ctx.ip, false);
      throw new AppError("UNAUTHENTICATED", "E-mail or password is incorrect");
    }
    // Said only to whoever knows the password.
    if (user.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled; ask an administrator of this server");
    const { token, expiresAt } = await this.db.tx(async (em) => {
      const r = this.repo(em);
      await r.recordLoginAttempt(accountKey, ctx.ip, true);
      return this.openSession(r, user.id, ctx.userAgent);
    });
    ctx.cookies?.setSession(token, expiresAt);
    const { passwordHash: _omit, ...rest } = user;
    return rest as UserEntity;
  }

  async updateProfile(actorIn: Actor | null, nameInput: string): Promise<UserEntity> {
    const actor = requireActor(actorIn);
    const name = nameInput.trim();
    if (!name) throw invalid([{ field: "name", message: "must not be empty" }]);
    const repo = this.repo();
    await repo.updateUser(actor.userId, { name });
    return (await repo.findUserById(actor.userId))!;
  }

  /**
   * Changes the password after checking the current one (failures count as failed log-ins), and
   * ends every other session of the account: whoever else was logged in has to log in again.
   */
  async changePassword(actorIn: Actor | null, current: string, next: string, ctx: Context): Promise<number> {
    const actor = requireActor(actorIn);
    const repo = this.repo();
    const user = await repo.findCredentialsById(actor.userId);
    if (!user) throw unauthenticated();
    const accountKey = sha256(user.email);
    await this.checkAttempts(repo, accountKey, ctx.ip);
    if (!(await verifyPassword(user.passwordHash, current))) {
      await repo.recordLoginAttempt(accountKey, ctx.ip, false);
      throw invalid([{ field: "currentPassword", message: "is not your password" }]);
    }
    const problems = passwordProblems(next, user.email, user.name).map((p) => ({ ...p, field: "newPassword" }));
    if (next === current) problems.push({ field: "newPassword", message: "must differ from the current one" });
    if (problems.length) throw invalid(problems);
    const passwordHash = await hashPassword(next);
    return this.db.tx(async (em) => {
      const r = this.repo(em);
      await r.updateUser(user.id, { passwordHash });
      await r.recordLoginAttempt(accountKey, ctx.ip, true);
      await this.ledger.record(em, { type: "user.password", actorId: user.id, projectId: null, objectId: user.id, change: { userId: user.id, via: "change" } });
      return r.deleteSessions(user.id, actor.sessionId ?? null);
    });
  }

  sessions(actorIn: Actor | null): Promise<SessionEntity[]> {
    return this.repo().listSessions(requireActor(actorIn).userId);
  }

  async revokeSession(actorIn: Actor | null, id: string): Promise<boolean> {
    const actor = requireActor(actorIn);
    if (!isUuid(id) || !(await this.repo().deleteUserSession(actor.userId, id))) throw notFound("Session");
    return true;
  }

  /** Ends all of the account's sessions but the one asking; how many ended. */
  logOutOtherSessions(actorIn: Actor | null): Promise<number> {
    const actor = requireActor(actorIn);
    return this.repo().deleteSessions(actor.userId, actor.sessionId ?? null);
  }

  /**
   * "Forgot your password?": e-mails a one-time link to set a new password to the account with this
   * address, when there is one, it is not disabled, and no such link was sent in the last few
   * minutes. The answer is the same whatever the case, so it tells nobody which addresses have
   * accounts; an unknown address counts as a failed log-in from the caller's address (the same
   * rate limit). Needs a mail server (SMTP_URL).
   */
  async requestPasswordLink(emailInput: string, ctx: Context): Promise<boolean> {
    if (!this.mailer.enabled) throw new AppError("FORBIDDEN", "This server sends no e-mail; ask an administrator for a link to set your password");
    const email = normaliseEmail(emailInput);
    const problems = emailProblems(email);
    if (problems.length) throw invalid(problems);
    const repo = this.repo();
    await this.checkAttempts(repo, sha256(email), ctx.ip);
    const user = await repo.findUserByEmail(email);
    if (!user || user.disabledAt) {
      if (!user) await repo.recordLoginAttempt(sha256(email), ctx.ip, false);
      return true;
    }
    const secret = newLinkSecret(this.config, "reset-password", Math.min(this.config.links.passwordTtlMs, SELF_LINK_TTL_MS));
    const issued = await this.db.tx(async (em) => {
      const r = this.repo(em);
      // One account's row lock: two requests at once send one link.
      await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [user.id]);
      if (await r.recentSelfServiceLink(user.id, SELF_LINK_EVERY_MS)) return false;
      await r.insertPasswordReset(user.id, secret.tokenHash, secret.expiresAt, null, true);
      return true;
    });
    if (!issued) return true;
    // After the answer's work is done, so the time taken says nothing either.
    void mailLink(this.mailer, this.log, secret, {
      to: user.email,
      subject: "Set a new Concord password",
      text: `${user.name},

someone (you, we hope) asked Concord (${this.config.publicUrl}) for a link to set a new password for this address.
Use it before ${formatExpiry(secret.expiresAt)}:

${secret.url}

The link works once and logs out every session of your account. If you did not ask for it, ignore this message: your password stays as it is.
`,
    }, { userId: user.id, kind: "password-self" });
    return true;
  }

  /** A password link's state and whose account it is, for the page that uses it; null for an unknown token. */
  async passwordLink(token: string): Promise<{ link: PasswordResetEntity; user: UserEntity; state: LinkState } | null> {
    const repo = this.repo();
    const link = await repo.findPasswordReset(sha256(token));
    const user = link ? await repo.findUserById(link.userId) : null;
    if (!link || !user) return null;
    return { link, user, state: user.disabledAt ? "WITHDRAWN" : linkState(link) };
  }

  /**
   * Sets the password of the link's account, once: every session of the account ends, and this
   * request gets a new one.
   */
  async setPasswordWithLink(token: string, password: string, ctx: Context): Promise<UserEntity> {
    const { user, token: session, expiresAt } = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      const link = await repo.findPasswordReset(sha256(token), true);
      const user = link ? await repo.findUserById(link.userId) : null;
      requireValidLink("Password link", link && user ? (user.disabledAt ? "WITHDRAWN" : linkState(link)) : null);
      const problems = passwordProblems(password, user!.email, user!.name);
      if (problems.length) throw invalid(problems);
      await repo.updateUser(user!.id, { passwordHash: await hashPassword(password) });
      await repo.markPasswordResetUsed(link!.id);
      await repo.deleteSessions(user!.id);
      await this.ledger.record(em, { type: "user.password", actorId: user!.id, projectId: null, objectId: user!.id, change: { userId: user!.id, via: "link", linkId: link!.id } });
      return { user: user!, ...(await this.openSession(repo, user!.id, ctx.userAgent)) };
    });
    ctx.cookies?.setSession(session, expiresAt);
    return user;
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

  /** Opens a session for the user (the caller sets its cookie). Also used when an invitation makes an account. */
  async openSession(repo: AccountsRepository, userId: string, userAgent: string | null) {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    await repo.insertSession(userId, sha256(token), expiresAt, userAgent);
    return { token, expiresAt };
  }
}
