import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import { isUuid, requireServerAdmin, type Actor } from "../../access/access.js";
import type { Config } from "../../config.js";
import { conflict, forbidden, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Mailer } from "../../platform/mail.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import type { UserEntity } from "./accounts.entity.js";
import { AccountsRepository, type AccountRow } from "./accounts.repository.js";
import { emailProblems, normaliseEmail } from "./accounts.service.js";
import { formatExpiry, mailLink, newLinkSecret, type IssuedLink } from "./links.js";
import { hashPassword } from "./passwords.js";

/** Who administers: the caller (who must be an administrator), or the operator at the command line (`concord user`). */
export type AdminBy = Actor | null | "operator";

export const MAX_ACCOUNTS_PAGE = 200;

/**
 * The server's accounts, for its administrators (and `concord user`): listing, making accounts
 * (whose owners set their password by a one-time link), disabling and enabling them, granting and
 * taking back administration, and issuing password links. Every change is a ledger entry with no
 * project; an administrator gains nothing inside any project.
 */
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly ledger: LedgerService,
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  /** The acting user's id, after checking they administer the server; null for the operator. */
  private async by(em: EntityManager, by: AdminBy): Promise<string | null> {
    return by === "operator" ? null : (await requireServerAdmin(em, by)).userId;
  }

  async accounts(by: AdminBy, search: string | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<{ rows: AccountRow[]; total: number; nextCursor: string | null }> {
    const em = this.db.dataSource.manager;
    await this.by(em, by);
    const limit = Math.min(Math.max(first ?? 50, 1), MAX_ACCOUNTS_PAGE);
    const { rows, total } = await new AccountsRepository(em).accounts(search?.trim() || null, after || null, limit + 1);
    const page = rows.slice(0, limit);
    return { rows: page, total, nextCursor: rows.length > limit ? page[page.length - 1]!.email : null };
  }

  /**
   * Makes an account whose owner sets the password by the link returned (e-mailed too when a mail
   * server is set). Works with sign-up closed: that is what it is for.
   */
  async createAccount(by: AdminBy, input: { email: string; name: string; admin?: boolean | null }): Promise<{ account: AccountRow; link: IssuedLink }> {
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const problems: FieldProblem[] = [...emailProblems(email)];
    if (!name) problems.push({ field: "name", message: "must not be empty" });
    if (problems.length) throw invalid(problems);
    // Nobody knows this password: the account is usable once its owner sets one by the link.
    const unusable = await hashPassword(randomBytes(32).toString("base64url"));
    const secret = newLinkSecret(this.config, "reset-password", this.config.links.passwordTtlMs);
    const user = await this.db
      .tx(async (em) => {
        const actorId = await this.by(em, by);
        const repo = new AccountsRepository(em);
        if (await repo.findUserByEmail(email)) throw conflict("An account with this e-mail already exists", "email");
        const user = await repo.insertUser({ email, name, passwordHash: unusable, admin: input.admin === true });
        const link = await repo.insertPasswordReset(user.id, secret.tokenHash, secret.expiresAt, actorId);
        await this.ledger.record(em, { type: "user.create", actorId, projectId: null, objectId: user.id, change: { userId: user.id, admin: user.admin, linkId: link.id } });
        return user;
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === "23505") throw conflict("An account with this e-mail already exists", "email");
        throw err;
      });
    const link = await mailLink(this.mailer, this.log, secret, {
      to: email,
      subject: "Your Concord account",
      text: `${name},\n\nan account has been made for you on Concord (${this.config.publicUrl}).\nSet your password here, before ${formatExpiry(secret.expiresAt)}:\n\n${secret.url}\n\nThe link works once.\n`,
    }, { userId: user.id, kind: "account" });
    return { account: await this.account(user.id), link };
  }

  /**
   * Disables an account (it cannot log in; its sessions end, its API tokens and password links are
   * revoked) or enables it again (tokens stay revoked). Its memberships and records stay.
   */
  async setDisabled(by: AdminBy, userId: string, disabled: boolean): Promise<AccountRow> {
    await this.db.tx(async (em) => {
      const actorId = await this.by(em, by);
      const repo = new AccountsRepository(em);
      const user = await this.target(repo, userId);
      if (disabled && actorId === user.id) throw forbidden("You cannot disable your own account");
      if (!!user.disabledAt === disabled) return;
      if (disabled && user.admin) await this.keepAnAdmin(repo, "disable");
      await repo.updateUser(user.id, { disabledAt: disabled ? new Date() : null });
      if (disabled) {
        const sessions = await repo.deleteSessions(user.id);
        const tokens = await repo.revokeAllApiTokens(user.id);
        await repo.withdrawPasswordLinks(user.id);
        await this.ledger.record(em, { type: "user.disable", actorId, projectId: null, objectId: user.id, change: { userId: user.id, sessions, tokens } });
      } else {
        await this.ledger.record(em, { type: "user.enable", actorId, projectId: null, objectId: user.id, change: { userId: user.id } });
      }
    });
    return this.account(userId);
  }

  /** Grants or takes back administration of the server; the last active administrator stays one. */
  async setAdmin(by: AdminBy, userId: string, admin: boolean): Promise<AccountRow> {
    await this.db.tx(async (em) => {
      const actorId = await this.by(em, by);
      const repo = new AccountsRepository(em);
      const user = await this.target(repo, userId);
      if (user.admin === admin) return;
      if (admin && user.disabledAt) throw forbidden("This account is disabled; enable it first");
      if (!admin && !user.disabledAt) await this.keepAnAdmin(repo, "take administration from");
      await repo.updateUser(user.id, { admin });
      await this.ledger.record(em, { type: "user.admin", actorId, projectId: null, objectId: user.id, change: { userId: user.id, admin } });
    });
    return this.account(userId);
  }

  /** A one-time link for the account's owner to set a new password; earlier links are withdrawn. */
  async issuePasswordLink(by: AdminBy, userId: string): Promise<IssuedLink> {
    const secret = newLinkSecret(this.config, "reset-password", this.config.links.passwordTtlMs);
    const user = await this.db.tx(async (em) => {
      const actorId = await this.by(em, by);
      const repo = new AccountsRepository(em);
      const user = await this.target(repo, userId);
      if (user.disabledAt) throw forbidden("This account is disabled; enable it first");
      await repo.insertPasswordReset(user.id, secret.tokenHash, secret.expiresAt, actorId);
      return user;
    });
    return mailLink(this.mailer, this.log, secret, {
      to: user.email,
      subject: "Set your Concord password",
      text: `${user.name},\n\nan administrator of Concord (${this.config.publicUrl}) has sent you a link to set a new password.\nUse it before ${formatExpiry(secret.expiresAt)}:\n\n${secret.url}\n\nThe link works once. Setting a password logs out every session of your account.\n`,
    }, { userId: user.id, kind: "password" });
  }

  /** An account by e-mail address, for `concord user`. */
  async accountIdByEmail(email: string): Promise<string> {
    const user = await new AccountsRepository(this.db.dataSource.manager).findUserByEmail(normaliseEmail(email));
    if (!user) throw notFound("Account");
    return user.id;
  }

  private async target(repo: AccountsRepository, userId: string): Promise<UserEntity> {
    const user = isUuid(userId) ? await repo.findUserById(userId) : null;
    if (!user) throw notFound("Account");
    return user;
  }

  /** Refuses to leave the server without an active administrator. Holds the admin lock until commit. */
  private async keepAnAdmin(repo: AccountsRepository, what: string): Promise<void> {
    await repo.lockAdmins();
    if ((await repo.countAdmins()) <= 1) throw forbidden(`You cannot ${what} the last administrator; make another account an administrator first`);
  }

  private async account(userId: string): Promise<AccountRow> {
    const row = isUuid(userId) ? await new AccountsRepository(this.db.dataSource.manager).account(userId) : null;
    if (!row) throw notFound("Account");
    return row;
  }
}
