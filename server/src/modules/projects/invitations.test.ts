import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../testing/fixtures.js";
import { Caller, PASSWORD, buildProject, buildUser, startTestServer, uniqueEmail } from "../../testing/harness.js";

const INVITE = `mutation($projectId: ID!, $input: InviteMemberInput!) {
  inviteMember(projectId: $projectId, input: $input) {
    member { role user { id email } }
    invitation { id email role state invitedByName expiresAt }
    link { url emailed emailError expiresAt }
  }
}`;
const LIST = `query($projectId: ID!) { projectInvitations(projectId: $projectId) { id email role state } }`;
const PREVIEW = `query($token: String!) { invitation(token: $token) { projectName role email invitedByName state accountExists } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { projectId role } }`;
const REVOKE = `mutation($projectId: ID!, $invitationId: ID!) { revokeInvitation(projectId: $projectId, invitationId: $invitationId) }`;
const MEMBERS = `query($projectId: ID!) { projectMembers(projectId: $projectId) { role user { email disabled } } }`;
const ME = `{ me { email name admin } }`;

type Invited = {
  inviteMember: {
    member: { role: string; user: { id: string; email: string } } | null;
    invitation: { id: string; email: string; role: string; state: string; invitedByName: string; expiresAt: string } | null;
    link: { url: string; emailed: boolean; emailError: string | null; expiresAt: string } | null;
  };
};
const tokenOf = (url: string) => url.split("/").pop()!;

describe("invitations, sign-up closed", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Caller;
  let projectId: string;

  async function account(tag: string) {
    const email = uniqueEmail(tag);
    const { account: a, link } = await server.services.admin.createAccount("operator", { email, name: `Test ${tag}` });
    const caller = new Caller(server);
    await caller.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: tokenOf(link.url), password: PASSWORD } });
    return { caller, email, id: a.id };
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { CONCORD_SIGNUP: "closed" } });
    owner = (await account("owner")).caller;
    projectId = await buildProject(owner, { name: "Chest X-ray study" });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("invites an address without an account; the link makes it, logs it in and grants the role once", async () => {
    const email = uniqueEmail("newcomer");
    const { inviteMember } = await owner.ok<Invited>(INVITE, { projectId, input: { email: ` ${email.toUpperCase()} `, role: "ANNOTATOR" } });
    expect(inviteMember.member).toBeNull();
    expect(inviteMember.invitation).toMatchObject({ email, role: "ANNOTATOR", state: "VALID", invitedByName: "Test owner" });
    expect(inviteMember.link!.url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(inviteMember.link!.emailed).toBe(false);
    // Seven days by default.
    expect(Math.abs(Date.parse(inviteMember.link!.expiresAt) - Date.now() - 7 * 86_400_000)).toBeLessThan(60_000);
    const token = tokenOf(inviteMember.link!.url);
    expect((await owner.ok<{ projectInvitations: Array<{ email: string }> }>(LIST, { projectId })).projectInvitations.map((i) => i.email)).toEqual([email]);

    const guest = new Caller(server);
    expect((await guest.ok<{ invitation: unknown }>(PREVIEW, { token })).invitation).toEqual({
      projectName: "Chest X-ray study",
      role: "ANNOTATOR",
      email,
      invitedByName: "Test owner",
      state: "VALID",
      accountExists: false,
    });

    // What is wrong is said, and nothing is stored.
    const weak = await guest.gql(ACCEPT, { input: { token, name: "Nia Newcomer", password: "short" } });
    expect(weak.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const noName = await guest.gql(ACCEPT, { input: { token, password: PASSWORD } });
    expect((noName.errors![0]!.extensions!.fields as Array<{ field: string }>).map((f) => f.field)).toContain("name");
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);

    const { acceptInvitation } = await guest.ok<{ acceptInvitation: { projectId: string; role: string } }>(ACCEPT, { input: { token, name: "Nia Newcomer", password: PASSWORD } });
    expect(acceptInvitation).toEqual({ projectId, role: "ANNOTATOR" });
    expect((await guest.ok<{ me: { email: string; name: string; admin: boolean } }>(ME)).me).toEqual({ email, name: "Nia Newcomer", admin: false });
    const members = (await owner.ok<{ projectMembers: Array<{ role: string; user: { email: string } }> }>(MEMBERS, { projectId })).projectMembers;
    expect(members.find((m) => m.user.email === email)?.role).toBe("ANNOTATOR");
    expect((await owner.ok<{ projectInvitations: unknown[] }>(LIST, { projectId })).projectInvitations).toEqual([]);
    expect((await guest.ok<{ invitation: { state: string } }>(PREVIEW, { token })).invitation.state).toBe("USED");
    const again = await new Caller(server).gql(ACCEPT, { input: { token, name: "Someone", password: PASSWORD } });
    expect(again.errors![0]!.message).toMatch(/already been used/);

    const [{ id: userId }] = await server.platform.db.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email]);
    const leaves = await server.platform.db.dataSource.query(
      `SELECT event_type, project_id FROM ledger_leaves WHERE object_id IN ($1, $2) ORDER BY id`,
      [inviteMember.invitation!.id, userId],
    );
    expect(leaves).toEqual([
      { event_type: "invitation.create", project_id: projectId },
      { event_type: "user.create", project_id: null },
      { event_type: "role.grant", project_id: projectId },
    ]);
  });

  it("adds an address that has an account at once, and refuses one already a member", async () => {
    const existing = await account("existing");
    const { inviteMember } = await owner.ok<Invited>(INVITE, { projectId, input: { email: existing.email, role: "REVIEWER" } });
    expect(inviteMember.invitation).toBeNull();
    expect(inviteMember.link).toBeNull();
    expect(inviteMember.member).toMatchObject({ role: "REVIEWER", user: { email: existing.email } });
    const twice = await owner.gql(INVITE, { projectId, input: { email: existing.email, role: "VIEWER" } });
    expect(twice.errors![0]!.extensions!.code).toBe("CONFLICT");
    expect(twice.errors![0]!.message).toMatch(/already a member \(REVIEWER\)/);
  });

  it("lets only members who grant roles invite, and only owners invite owners", async () => {
    const manager = await account("manager");
    const annotator = await account("annotator");
    await owner.ok(INVITE, { projectId, input: { email: manager.email, role: "MANAGER" } });
    await owner.ok(INVITE, { projectId, input: { email: annotator.email, role: "ANNOTATOR" } });
    const byAnnotator = await annotator.caller.gql(INVITE, { projectId, input: { email: uniqueEmail(), role: "VIEWER" } });
    expect(byAnnotator.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect((await annotator.caller.gql(LIST, { projectId })).errors![0]!.extensions!.code).toBe("NOT_FOUND");
    const ownerByManager = await manager.caller.gql(INVITE, { projectId, input: { email: uniqueEmail(), role: "OWNER" } });
    expect(ownerByManager.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const r = await manager.caller.ok<Invited>(INVITE, { projectId, input: { email: uniqueEmail("by-manager"), role: "TRAINEE" } });
    expect(r.inviteMember.invitation!.role).toBe("TRAINEE");
    const bad = await owner.gql(INVITE, { projectId, input: { email: "nobody at all", role: "VIEWER" } });
    expect(bad.errors![0]!.extensions!.fields).toEqual([{ field: "email", message: "is not a valid e-mail address" }]);
  });

  it("accepts logged in only as the invited address; an existing account must log in first", async () => {
    const invitee = await account("invitee");
    const email = uniqueEmail("later");
    const { inviteMember } = await owner.ok<Invited>(INVITE, { projectId, input: { email, role: "VIEWER" } });
    const token = tokenOf(inviteMember.link!.url);
    const wrongAccount = await invitee.caller.gql(ACCEPT, { input: { token } });
    expect(wrongAccount.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(wrongAccount.errors![0]!.message).toContain(email);

    // The address gets an account some other way meanwhile (an administrator made it).
    const { account: made, link } = await server.services.admin.createAccount("operator", { email, name: "Late" });
    expect((await new Caller(server).ok<{ invitation: { accountExists: boolean } }>(PREVIEW, { token })).invitation.accountExists).toBe(true);
    const asGuest = await new Caller(server).gql(ACCEPT, { input: { token, name: "Impostor", password: PASSWORD } });
    expect(asGuest.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM memberships WHERE user_id = $1`, [made.id])).toHaveLength(0);

    const late = new Caller(server);
    await late.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: tokenOf(link.url), password: PASSWORD } });
    expect((await late.ok<{ acceptInvitation: { role: string } }>(ACCEPT, { input: { token } })).acceptInvitation.role).toBe("VIEWER");
  });

  it("withdraws: on request, by a new invitation to the address, by expiry, with the project archived", async () => {
    const email = uniqueEmail("withdrawn");
    const first = (await owner.ok<Invited>(INVITE, { projectId, input: { email, role: "VIEWER" } })).inviteMember;
    const second = (await owner.ok<Invited>(INVITE, { projectId, input: { email, role: "ANNOTATOR" } })).inviteMember;
    const guest = new Caller(server);
    expect((await guest.ok<{ invitation: { state: string } }>(PREVIEW, { token: tokenOf(first.link!.url) })).invitation.state).toBe("WITHDRAWN");
    expect((await owner.ok<{ projectInvitations: Array<{ email: string; role: string }> }>(LIST, { projectId })).projectInvitations.filter((i) => i.email === email)).toEqual([
      expect.objectContaining({ role: "ANNOTATOR" }),
    ]);
    await owner.ok(REVOKE, { projectId, invitationId: second.invitation!.id });
    const revoked = await guest.gql(ACCEPT, { input: { token: tokenOf(second.link!.url), name: "W", password: PASSWORD } });
    expect(revoked.errors![0]!.message).toMatch(/withdrawn/);
    expect((await owner.gql(REVOKE, { projectId, invitationId: second.invitation!.id })).errors![0]!.extensions!.code).toBe("NOT_FOUND");

    const third = (await owner.ok<Invited>(INVITE, { projectId, input: { email, role: "VIEWER" } })).inviteMember;
    await server.platform.db.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [third.invitation!.id]);
    expect((await owner.ok<{ projectInvitations: Array<{ id: string; state: string }> }>(LIST, { projectId })).projectInvitations.find((i) => i.id === third.invitation!.id)?.state).toBe("EXPIRED");
    const expired = await guest.gql(ACCEPT, { input: { token: tokenOf(third.link!.url), name: "W", password: PASSWORD } });
    expect(expired.errors![0]!.message).toMatch(/expired/);
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);

    const archivedProject = await buildProject(owner);
    const pending = (await owner.ok<Invited>(INVITE, { projectId: archivedProject, input: { email, role: "VIEWER" } })).inviteMember;
    await owner.ok(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: archivedProject });
    expect((await guest.ok<{ invitation: { state: string } }>(PREVIEW, { token: tokenOf(pending.link!.url) })).invitation.state).toBe("WITHDRAWN");
    const onArchived = await guest.gql(ACCEPT, { input: { token: tokenOf(pending.link!.url), name: "W", password: PASSWORD } });
    expect(onArchived.errors![0]!.message).toMatch(/archived/);
    expect((await owner.gql(INVITE, { projectId: archivedProject, input: { email: uniqueEmail(), role: "VIEWER" } })).errors![0]!.extensions!.code).toBe("PROJECT_ARCHIVED");
  });

  it("shows a disabled member as disabled, and refuses to invite a disabled account", async () => {
    const leaver = await account("leaver");
    await owner.ok(INVITE, { projectId, input: { email: leaver.email, role: "ANNOTATOR" } });
    await server.services.admin.setDisabled("operator", leaver.id, true);
    const members = (await owner.ok<{ projectMembers: Array<{ user: { email: string; disabled: boolean } }> }>(MEMBERS, { projectId })).projectMembers;
    expect(members.find((m) => m.user.email === leaver.email)?.user.disabled).toBe(true);
    const other = await buildProject(owner);
    const r = await owner.gql(INVITE, { projectId: other, input: { email: leaver.email, role: "VIEWER" } });
    expect(r.errors![0]!.extensions!.fields).toEqual([{ field: "email", message: expect.stringMatching(/disabled account/) }]);
  });
});

describe("invitations and password links by e-mail (a real SMTP server on loopback)", () => {
  const received: Array<{ to: string[]; data: string }> = [];
  let refuse: string | null = null;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse && address.address.includes(refuse)) return callback(Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let owner: Awaited<ReturnType<typeof buildUser>>;

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const { port } = smtp.server.address() as AddressInfo;
    server = await startTestServer({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Concord <concord@example.org>", PUBLIC_URL: "https://concord.example.org" } });
    // The first account signed up: the server's administrator.
    owner = await buildUser(server, "mailer");
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it("e-mails the invitation's link to the address, and says when the mail server refused it", async () => {
    const projectId = await buildProject(owner.caller, { name: "Mammography reading" });
    expect((await owner.caller.ok<{ instance: { mailEnabled: boolean } }>(`{ instance { mailEnabled } }`)).instance.mailEnabled).toBe(true);
    const email = uniqueEmail("mailed");
    const { inviteMember } = await owner.caller.ok<Invited>(INVITE, { projectId, input: { email, role: "ANNOTATOR" } });
    expect(inviteMember.link).toMatchObject({ emailed: true, emailError: null });
    const message = received.find((m) => m.to.includes(email))!;
    expect(message).toBeDefined();
    expect(message.data).toMatch(/^From: Concord <concord@example\.org>/m);
    expect(message.data).toContain("Mammography reading");
    // Quoted-printable may fold long lines: compare without soft breaks.
    expect(message.data.replace(/=\r?\n/g, "")).toContain(inviteMember.link!.url);

    refuse = "refused";
    const refusedEmail = uniqueEmail("refused");
    const refused = (await owner.caller.ok<Invited>(INVITE, { projectId, input: { email: refusedEmail, role: "VIEWER" } })).inviteMember;
    expect(refused.link!.emailed).toBe(false);
    expect(refused.link!.emailError).toMatch(/550/);
    // The invitation stands: the manager passes the link on.
    expect(refused.invitation!.state).toBe("VALID");
    expect(received.some((m) => m.to.includes(refusedEmail))).toBe(false);
    refuse = null;
  });

  it("e-mails a link to whoever forgot their password, once in a while, telling nobody which addresses have accounts", async () => {
    const REQUEST = `mutation($email: String!) { requestPasswordLink(email: $email) }`;
    const forgetful = await buildUser(server, "forgetful");
    const adminLink = await owner.caller.ok<{ issuePasswordLink: { url: string } }>(`mutation($id: ID!) { issuePasswordLink(userId: $id) { url } }`, { id: forgetful.id });
    const guest = new Caller(server);
    const before = received.length;
    expect((await guest.ok<{ requestPasswordLink: boolean }>(REQUEST, { email: ` ${forgetful.email.toUpperCase()} ` })).requestPasswordLink).toBe(true);
    const unknown = uniqueEmail("unknown");
    expect((await guest.ok<{ requestPasswordLink: boolean }>(REQUEST, { email: unknown })).requestPasswordLink).toBe(true);
    // Asked again at once: the same answer, no second message.
    expect((await guest.ok<{ requestPasswordLink: boolean }>(REQUEST, { email: forgetful.email })).requestPasswordLink).toBe(true);
    await until(async () => received.length > before);
    await new Promise((r) => setTimeout(r, 300));
    const sent = received.slice(before);
    expect(sent.map((m) => m.to)).toEqual([[forgetful.email]]);
    const url = sent[0]!.data.replace(/=\r?\n/g, "").match(/https:\/\/concord\.example\.org\/reset-password\/[A-Za-z0-9_-]{43}/)![0];
    // Two hours at most; the administrator's link still stands beside it.
    const [row] = await server.platform.db.dataSource.query(`SELECT expires_at FROM password_resets WHERE user_id = $1 AND self_service`, [forgetful.id]);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
    const state = async (u: string) => (await guest.ok<{ passwordLink: { state: string } }>(`query($t: String!) { passwordLink(token: $t) { state } }`, { t: u.split("/").pop() })).passwordLink.state;
    expect(await state(adminLink.issuePasswordLink.url)).toBe("VALID");
    await guest.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: url.split("/").pop(), password: "my new long passphrase 3" } });
    expect((await guest.ok<{ me: { email: string } }>(`{ me { email } }`)).me.email).toBe(forgetful.email);
    // The unknown address counted as a failed log-in from this address; nothing of it was stored.
    const [attempts] = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM login_attempts WHERE NOT succeeded`);
    expect(attempts.n).toBe(1);
    expect((await guest.gql(REQUEST, { email: "not an address" })).errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });

  it("e-mails a password link an administrator issues", async () => {
    const reader = await buildUser(server, "reader");
    const before = received.length;
    const { issuePasswordLink } = await owner.caller.ok<{ issuePasswordLink: { url: string; emailed: boolean } }>(`mutation($id: ID!) { issuePasswordLink(userId: $id) { url emailed } }`, { id: reader.id });
    expect(issuePasswordLink.emailed).toBe(true);
    const message = received.slice(before).find((m) => m.to.includes(reader.email))!;
    expect(message.data.replace(/=\r?\n/g, "")).toContain(issuePasswordLink.url);
  });
});
