import type { EntityManager } from "typeorm";
import { isUuid, requireAccess, requireActor, type Actor } from "../../access/access.js";
import type { Role } from "../../access/roles.js";
import type { Config } from "../../config.js";
import type { Context } from "../../context.js";
import { AppError, conflict, forbidden, invalid, notFound, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Mailer } from "../../platform/mail.js";
import { InvitationEntity } from "../accounts/accounts.entity.js";
import { AccountsRepository } from "../accounts/accounts.repository.js";
import { emailProblems, linkState, normaliseEmail, requireValidLink, type AccountsService, type LinkState } from "../accounts/accounts.service.js";
import { formatExpiry, mailLink, newLinkSecret, type IssuedLink } from "../accounts/links.js";
import { hashPassword, passwordProblems } from "../accounts/passwords.js";
import { sha256 } from "../accounts/secrets.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { InvitationsRepository } from "./invitations.repository.js";
import { ProjectsRepository, type MemberRow } from "./projects.repository.js";
import type { ProjectsService } from "./projects.service.js";

export interface InvitationRow {
  id: string;
  projectId: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedBy: { id: string; name: string } | null;
  state: LinkState;
}

/** What the invitation page shows to whoever holds the link. */
export interface InvitationPreview {
  projectName: string;
  role: Role;
  email: string;
  invitedByName: string | null;
  expiresAt: Date;
  state: LinkState;
  /** An account with the invited address exists: the invitee logs in to accept instead of making one. */
  accountExists: boolean;
}

/**
 * Inviting someone into a project by e-mail address: a manager's way in for people who have no
 * account yet, which works with sign-up closed. The link is shown to the manager (and e-mailed when
 * a mail server is set); whoever opens it makes the account for that address, or logs in with it,
 * and gets the role once.
 */
export class InvitationsService {
  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly projects: ProjectsService,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  /**
   * Invites an address with a role (members.grant; only owners invite owners). An address whose
   * account is not a member yet is granted the role at once, as grantRole does; an address already
   * a member is refused. Inviting an address again withdraws its earlier invitation.
   */
  async invite(actorIn: Actor | null, projectId: string, emailInput: string, role: Role): Promise<{ member: MemberRow | null; invitation: InvitationRow | null; link: IssuedLink | null }> {
    const actor = requireActor(actorIn);
    const email = normaliseEmail(emailInput);
    const problems: FieldProblem[] = emailProblems(email);
    if (problems.length) throw invalid(problems);
    const access = await requireAccess(this.db.dataSource.manager, actor, "members.grant", projectId);
    if (role === "OWNER" && access.role !== "OWNER") throw forbidden("Only an owner can grant or change the owner role");
    const existing = await new AccountsRepository(this.db.dataSource.manager).findUserByEmail(email);
    if (existing) {
      if (existing.disabledAt) throw invalid([{ field: "email", message: "belongs to a disabled account; ask an administrator to enable it" }]);
      const membership = await new ProjectsRepository(this.db.dataSource.manager).findMembership(projectId, existing.id);
      if (membership) throw conflict(`This account is already a member (${membership.role}); change its role in the list`, "email");
      return { member: await this.projects.grantRole(actor, projectId, email, role), invitation: null, link: null };
    }
    const secret = newLinkSecret(this.config, "invite", this.config.links.invitationTtlMs);
    const { invitation, projectName, inviterName } = await this.db.tx(async (em) => {
      await this.projects.writable(em, actor, "members.grant", projectId);
      const repo = new InvitationsRepository(em);
      const withdrawn = await repo.withdrawOpen(projectId, email);
      const id = await repo.insert({ projectId, email, role, tokenHash: secret.tokenHash, invitedBy: actor.userId, expiresAt: secret.expiresAt });
      for (const w of withdrawn) await this.ledger.record(em, { type: "invitation.revoke", actorId: actor.userId, projectId, objectId: w, change: { invitationId: w, replacedBy: id } });
      // The address stays out of the ledger: the entry names the invitation and the role.
      await this.ledger.record(em, { type: "invitation.create", actorId: actor.userId, projectId, objectId: id, change: { invitationId: id, projectId, role } });
      const invitation = (await this.rows(em, projectId, id))[0]!;
      const project = await new ProjectsRepository(em).findProject(projectId);
      return { invitation, projectName: project!.name, inviterName: invitation.invitedBy!.name };
    });
    await this.projects.publish(projectId, "MEMBERS_CHANGED");
    const link = await mailLink(this.mailer, this.log, secret, {
      to: email,
      subject: `Invitation to "${projectName}" on Concord`,
      text: `${inviterName} invites you to the project "${projectName}" on Concord (${this.config.publicUrl}) as ${role.toLowerCase().replace("_", " ")}.\n\nAccept before ${formatExpiry(secret.expiresAt)}:\n\n${secret.url}\n\nThe link works once.\n`,
    }, { invitationId: invitation.id, kind: "invitation" });
    return { member: null, invitation, link };
  }

  /** The project's invitations not accepted nor withdrawn, newest first, expired ones marked (members.view). */
  async list(actor: Actor | null, projectId: string): Promise<InvitationRow[]> {
    await requireAccess(this.db.dataSource.manager, actor, "members.view", projectId);
    return this.rows(this.db.dataSource.manager, projectId);
  }

  async revoke(actorIn: Actor | null, projectId: string, invitationId: string): Promise<boolean> {
    const actor = requireActor(actorIn);
    await this.db.tx(async (em) => {
      const access = await this.projects.writable(em, actor, "members.grant", projectId);
      const [row] = isUuid(invitationId) ? await this.rows(em, projectId, invitationId) : [];
      if (!row) throw notFound("Invitation");
      if (row.role === "OWNER" && access.role !== "OWNER") throw forbidden("Only an owner can withdraw an invitation to the owner role");
      await new InvitationsRepository(em).markWithdrawn(row.id);
      await this.ledger.record(em, { type: "invitation.revoke", actorId: actor.userId, projectId, objectId: row.id, change: { invitationId: row.id } });
    });
    await this.projects.publish(projectId, "MEMBERS_CHANGED");
    return true;
  }

  /** What the link's page shows; null for a token that names no invitation. */
  async preview(token: string): Promise<InvitationPreview | null> {
    const em = this.db.dataSource.manager;
    const invitation = await this.byToken(em, token);
    if (!invitation) return null;
    const facts = await new InvitationsRepository(em).previewFacts(invitation);
    return {
      projectName: facts.projectName,
      role: invitation.role as Role,
      email: invitation.email,
      invitedByName: facts.inviterName,
      expiresAt: invitation.expiresAt,
      state: facts.archived ? "WITHDRAWN" : linkState({ ...invitation, usedAt: invitation.acceptedAt }),
      accountExists: facts.accountExists,
    };
  }

  /**
   * Accepts an invitation, once. Logged in: as the account of the invited address. Not logged in:
   * makes that account (even with sign-up closed) with the name and password given, and logs it in.
   * An account that exists must log in first. A member already keeps the role they have.
   */
  async accept(token: string, input: { name?: string | null; password?: string | null }, ctx: Context): Promise<{ projectId: string; role: Role }> {
    let passwordHash: string | null = null;
    if (!ctx.actor) {
      // Hashing is slow: check what can be checked before the transaction, and again inside it.
      const invitation = await this.byToken(this.db.dataSource.manager, token);
      if (invitation && !(await new AccountsRepository(this.db.dataSource.manager).findUserByEmail(invitation.email))) {
        const name = input.name?.trim() ?? "";
        const problems: FieldProblem[] = [];
        if (!name) problems.push({ field: "name", message: "must not be empty" });
        else if (name.length > 100) problems.push({ field: "name", message: "must be 1 to 100 characters" });
        problems.push(...passwordProblems(input.password ?? "", invitation.email, name));
        if (problems.length) throw invalid(problems);
        passwordHash = await hashPassword(input.password!);
      }
    }
    const result = await this.db.tx(async (em) => {
      const invitation = await this.byToken(em, token, true);
      requireValidLink("Invitation", invitation ? linkState({ ...invitation, usedAt: invitation.acceptedAt }) : null);
      const inv = invitation!;
      const accounts = new AccountsRepository(em);
      const repo = new ProjectsRepository(em);
      const project = await repo.lockProject(inv.projectId);
      if (!project || project.archivedAt) throw forbidden("This invitation was withdrawn: its project is archived");
      let userId: string;
      let session: { token: string; expiresAt: Date } | null = null;
      const owner = await accounts.findUserByEmail(inv.email);
      if (ctx.actor) {
        const me = await accounts.findUserById(ctx.actor.userId);
        if (!me || me.email !== inv.email) throw forbidden(`This invitation is for ${inv.email}; log out and accept it as that account`);
        userId = me.id;
      } else if (owner) {
        throw new AppError("UNAUTHENTICATED", `An account with ${inv.email} exists: log in, then open the link again`);
      } else {
        if (!passwordHash) throw invalid([{ field: "password", message: "must be given to make your account" }]);
        const user = await accounts.insertUser({ email: inv.email, name: input.name!.trim(), passwordHash });
        await this.ledger.record(em, { type: "user.create", actorId: user.id, projectId: null, objectId: user.id, change: { userId: user.id, admin: false, invitationId: inv.id } });
        userId = user.id;
        session = await this.accounts.openSession(accounts, user.id, ctx.userAgent);
      }
      const current = await repo.findMembership(inv.projectId, userId);
      const role = (current?.role ?? inv.role) as Role;
      if (!current) {
        await repo.upsertMembership(inv.projectId, userId, role, inv.invitedBy ?? userId);
        await this.ledger.record(em, { type: "role.grant", actorId: inv.invitedBy, projectId: inv.projectId, objectId: userId, change: { projectId: inv.projectId, userId, role, previousRole: null, invitationId: inv.id } });
        await repo.touchProject(inv.projectId);
      }
      await new InvitationsRepository(em).markAccepted(inv.id, userId);
      return { projectId: inv.projectId, role, userId, added: !current, session };
    });
    if (result.session) ctx.cookies?.setSession(result.session.token, result.session.expiresAt);
    await this.projects.publish(result.projectId, "MEMBERS_CHANGED");
    if (result.added) await this.projects.tellMember(result.userId, "ADDED", result.projectId, result.role);
    return { projectId: result.projectId, role: result.role };
  }

  private byToken(em: EntityManager, token: string, lock = false): Promise<InvitationEntity | null> {
    if (!token || token.length > 200) return Promise.resolve(null);
    return new InvitationsRepository(em).byTokenHash(sha256(token), lock);
  }

  private async rows(em: EntityManager, projectId: string, id?: string): Promise<InvitationRow[]> {
    return (await new InvitationsRepository(em).open(projectId, id)).map((r) => ({
      ...r,
      projectId,
      state: linkState({ expiresAt: r.expiresAt, usedAt: null, revokedAt: null }),
    }));
  }
}
