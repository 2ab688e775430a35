import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Caller, PASSWORD, buildProject, buildUser, startTestServer, uniqueEmail } from "../../testing/harness.js";

// Running a server with sign-up closed: administrators, accounts made with a password link,
// disabling, your own password and sessions. Invitations are in projects/invitations.test.ts.

const ME = `{ me { id email admin disabled } }`;
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { id } }`;
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { id admin } }`;
const ACCOUNTS = `query($search: String, $first: Int, $after: String) { accounts(search: $search, first: $first, after: $after) { total nextCursor nodes { id email name admin disabledAt projects lastSeenAt } } }`;
const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id email admin } link { url expiresAt emailed emailError } } }`;
const DISABLE = `mutation($userId: ID!, $disabled: Boolean!) { setAccountDisabled(userId: $userId, disabled: $disabled) { id disabledAt } }`;
const SET_ADMIN = `mutation($userId: ID!, $admin: Boolean!) { setAccountAdmin(userId: $userId, admin: $admin) { id admin } }`;
const ISSUE_LINK = `mutation($userId: ID!) { issuePasswordLink(userId: $userId) { url expiresAt emailed } }`;
const PASSWORD_LINK = `query($token: String!) { passwordLink(token: $token) { email name state expiresAt } }`;
const SET_PASSWORD = `mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id email } }`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const SESSIONS = `{ mySessions { id userAgent current lastSeenAt } }`;

const tokenOf = (url: string) => url.split("/").pop()!;
const NEW_PASSWORD = "a quite different passphrase 7";

async function logIn(server: { graphqlUrl: string; wsUrl: string }, email: string, password = PASSWORD) {
  const c = new Caller(server);
  const r = await c.gql(LOG_IN, { input: { email, password } });
  return { caller: c, r };
}

describe("account lifecycle, sign-up closed", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Caller;
  let adminId: string;
  const adminEmail = uniqueEmail("admin");

  beforeAll(async () => {
    server = await startTestServer({ env: { CONCORD_SIGNUP: "closed", PUBLIC_URL: "https://concord.example.org" } });
    // With sign-up closed the first administrator comes from the operator (`concord user create --admin`).
    const { account, link } = await server.services.admin.createAccount("operator", { email: adminEmail, name: "Ada Admin", admin: true });
    adminId = account.id;
    admin = new Caller(server);
    await admin.ok(SET_PASSWORD, { input: { token: tokenOf(link.url), password: PASSWORD } });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("has no self-service password link without a mail server", async () => {
    const r = await new Caller(server).gql(`mutation { requestPasswordLink(email: "${adminEmail}") }`);
    expect(r.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(r.errors![0]!.message).toMatch(/ask an administrator/);
  });

  it("refuses sign-up, and the instance says so", async () => {
    const r = await new Caller(server).gql(SIGN_UP, { input: { email: uniqueEmail(), password: PASSWORD, name: "X" } });
    expect(r.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect((await new Caller(server).ok<{ instance: { signupOpen: boolean; mailEnabled: boolean } }>(`{ instance { signupOpen mailEnabled } }`)).instance).toEqual({ signupOpen: false, mailEnabled: false });
  });

  it("makes an account whose owner sets the password once by the link, which logs them in", async () => {
    const email = uniqueEmail("made");
    const { createAccount } = await admin.ok<{ createAccount: { account: { id: string; email: string; admin: boolean }; link: { url: string; expiresAt: string; emailed: boolean; emailError: string | null } } }>(
      CREATE_ACCOUNT,
      { input: { email: email.toUpperCase(), name: "Rita Reader" } },
    );
    expect(createAccount.account).toMatchObject({ email, admin: false });
    expect(createAccount.link.url).toMatch(/^https:\/\/concord\.example\.org\/reset-password\/[A-Za-z0-9_-]{43}$/);
    expect(createAccount.link.emailed).toBe(false);
    // 72 hours by default.
    expect(Math.abs(Date.parse(createAccount.link.expiresAt) - Date.now() - 72 * 3600_000)).toBeLessThan(60_000);
    const token = tokenOf(createAccount.link.url);
    const stored = await server.platform.db.dataSource.query(`SELECT token_hash FROM password_resets WHERE user_id = $1`, [createAccount.account.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);

    // Nobody can log in before the password is set.
    expect((await logIn(server, email)).r.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");

    const guest = new Caller(server);
    expect((await guest.ok<{ passwordLink: unknown }>(PASSWORD_LINK, { token })).passwordLink).toMatchObject({ email, name: "Rita Reader", state: "VALID" });
    expect((await guest.ok<{ passwordLink: unknown }>(PASSWORD_LINK, { token: "nonsense" })).passwordLink).toBeNull();

    // A weak password is refused with nothing used up.
    const weak = await guest.gql(SET_PASSWORD, { input: { token, password: "short" } });
    expect(weak.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect((await guest.ok<{ passwordLink: { state: string } }>(PASSWORD_LINK, { token })).passwordLink.state).toBe("VALID");

    await guest.ok(SET_PASSWORD, { input: { token, password: NEW_PASSWORD } });
    expect((await guest.ok<{ me: { email: string } }>(ME)).me.email).toBe(email);
    expect((await logIn(server, email, NEW_PASSWORD)).r.errors).toBeUndefined();

    const again = await new Caller(server).gql(SET_PASSWORD, { input: { token, password: "yet another passphrase 9" } });
    expect(again.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(again.errors![0]!.message).toMatch(/already been used/);
    expect((await guest.ok<{ passwordLink: { state: string } }>(PASSWORD_LINK, { token })).passwordLink.state).toBe("USED");

    const dup = await admin.gql(CREATE_ACCOUNT, { input: { email, name: "Again" } });
    expect(dup.errors![0]!.extensions!.code).toBe("CONFLICT");
    const bad = await admin.gql(CREATE_ACCOUNT, { input: { email: "not an address", name: "   " } });
    expect((bad.errors![0]!.extensions!.fields as Array<{ field: string }>).map((f) => f.field).sort()).toEqual(["email", "name"]);
  });

  it("lets only administrators near the accounts", async () => {
    const { account, link } = await server.services.admin.createAccount("operator", { email: uniqueEmail("plain"), name: "Plain" });
    const plain = new Caller(server);
    await plain.ok(SET_PASSWORD, { input: { token: tokenOf(link.url), password: PASSWORD } });
    expect((await plain.ok<{ me: { admin: boolean } }>(ME)).me.admin).toBe(false);
    for (const [query, variables] of [
      [ACCOUNTS, {}],
      [CREATE_ACCOUNT, { input: { email: uniqueEmail(), name: "N" } }],
      [DISABLE, { userId: adminId, disabled: true }],
      [SET_ADMIN, { userId: account.id, admin: true }],
      [ISSUE_LINK, { userId: adminId }],
    ] as const) {
      const r = await plain.gql(query, variables);
      expect(r.errors![0]!.extensions!.code, query).toBe("FORBIDDEN");
      const anonymous = await new Caller(server).gql(query, variables);
      expect(anonymous.errors![0]!.extensions!.code, query).toBe("UNAUTHENTICATED");
    }
    expect((await server.platform.db.dataSource.query(`SELECT admin FROM users WHERE id = $1`, [account.id]))[0].admin).toBe(false);
  });

  it("lists accounts a page at a time, searched by address or name", async () => {
    const tag = `pager${Date.now()}`;
    for (const n of [1, 2, 3]) await server.services.admin.createAccount("operator", { email: `${tag}-${n}@example.org`, name: `Pager ${n}` });
    const first = (await admin.ok<{ accounts: { total: number; nextCursor: string | null; nodes: Array<{ email: string }> } }>(ACCOUNTS, { search: tag, first: 2 })).accounts;
    expect(first.total).toBe(3);
    expect(first.nodes.map((n) => n.email)).toEqual([`${tag}-1@example.org`, `${tag}-2@example.org`]);
    const rest = (await admin.ok<{ accounts: { nextCursor: string | null; nodes: Array<{ email: string }> } }>(ACCOUNTS, { search: tag, first: 2, after: first.nextCursor })).accounts;
    expect(rest.nodes.map((n) => n.email)).toEqual([`${tag}-3@example.org`]);
    expect(rest.nextCursor).toBeNull();
    const byName = (await admin.ok<{ accounts: { total: number } }>(ACCOUNTS, { search: "ada admin" })).accounts;
    expect(byName.total).toBe(1);
    // A search is text, not a pattern.
    expect((await admin.ok<{ accounts: { total: number } }>(ACCOUNTS, { search: "%" })).accounts.total).toBe(0);
  });

  it("disabling ends sessions, revokes API tokens and password links, refuses log-in; enabling lets the password work again", async () => {
    const email = uniqueEmail("leaver");
    const { account, link } = await server.services.admin.createAccount("operator", { email, name: "Leaver" });
    const reader = new Caller(server);
    await reader.ok(SET_PASSWORD, { input: { token: tokenOf(link.url), password: PASSWORD } });
    const projectId = await buildProject(reader);
    const { createApiToken } = await reader.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "script" }) { token } }`);
    const tool = new Caller(server, undefined, createApiToken.token);
    const pending = await admin.ok<{ issuePasswordLink: { url: string } }>(ISSUE_LINK, { userId: account.id });
    const events = reader.ws();
    const stream = events.iterate<{ projectEvents: { kind: string } }>({ query: `subscription($p: ID!) { projectEvents(projectId: $p) { kind } }`, variables: { p: projectId } });
    try {
      const first = stream.next();
      await new Promise((r) => setTimeout(r, 300));
      const { setAccountDisabled } = await admin.ok<{ setAccountDisabled: { disabledAt: string | null } }>(DISABLE, { userId: account.id, disabled: true });
      expect(setAccountDisabled.disabledAt).not.toBeNull();
      // The next event on the reader's open stream finds the session gone and ends it.
      await server.services.projects.publish(projectId, "PROJECT_UPDATED");
      expect((await first).value?.data?.projectEvents.kind).toBe("ACCESS_REVOKED");
    } finally {
      await events.dispose();
    }
    expect((await reader.ok<{ me: unknown }>(ME)).me).toBeNull();
    expect((await tool.ok<{ me: unknown }>(ME)).me).toBeNull();
    const refused = (await logIn(server, email)).r;
    expect(refused.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(refused.errors![0]!.message).toMatch(/disabled/);
    // A wrong password still gets the answer anyone gets: being disabled is said only to whoever knows the password.
    expect((await logIn(server, email, "not the password at all")).r.errors![0]!.message).toBe("E-mail or password is incorrect");
    expect((await new Caller(server).ok<{ passwordLink: { state: string } }>(PASSWORD_LINK, { token: tokenOf(pending.issuePasswordLink.url) })).passwordLink.state).toBe("WITHDRAWN");
    expect((await admin.gql(ISSUE_LINK, { userId: account.id })).errors![0]!.message).toMatch(/disabled/);
    // The project keeps its member.
    expect((await server.platform.db.dataSource.query(`SELECT role FROM memberships WHERE user_id = $1`, [account.id]))[0].role).toBe("OWNER");

    await admin.ok(DISABLE, { userId: account.id, disabled: false });
    const back = await logIn(server, email);
    expect(back.r.errors).toBeUndefined();
    // Tokens revoked while disabled stay revoked.
    expect((await tool.ok<{ me: unknown }>(ME)).me).toBeNull();

    const leaves = await server.platform.db.dataSource.query(
      `SELECT event_type, project_id FROM ledger_leaves WHERE object_id = $1 AND event_type LIKE 'user.%' ORDER BY id`,
      [account.id],
    );
    expect(leaves.map((l: { event_type: string }) => l.event_type)).toEqual(["user.create", "user.password", "user.disable", "user.enable"]);
    expect(leaves.every((l: { project_id: string | null }) => l.project_id === null)).toBe(true);
  });

  it("keeps an administrator: not yourself disabled, not the last one demoted", async () => {
    const self = await admin.gql(DISABLE, { userId: adminId, disabled: true });
    expect(self.errors![0]!.message).toMatch(/your own account/);
    const last = await admin.gql(SET_ADMIN, { userId: adminId, admin: false });
    expect(last.errors![0]!.message).toMatch(/last administrator/);

    const { account, link } = await server.services.admin.createAccount("operator", { email: uniqueEmail("second"), name: "Second" });
    await admin.ok(SET_ADMIN, { userId: account.id, admin: true });
    const second = new Caller(server);
    await second.ok(SET_PASSWORD, { input: { token: tokenOf(link.url), password: PASSWORD } });
    expect((await second.ok<{ me: { admin: boolean } }>(ME)).me.admin).toBe(true);
    // Now the first may step down, and the second may not follow.
    await admin.ok(SET_ADMIN, { userId: adminId, admin: false });
    expect((await second.gql(SET_ADMIN, { userId: account.id, admin: false })).errors![0]!.message).toMatch(/last administrator/);
    expect((await admin.gql(ACCOUNTS, {})).errors![0]!.extensions!.code).toBe("FORBIDDEN");
    await second.ok(SET_ADMIN, { userId: adminId, admin: true });
  });

  it("a new password link withdraws the earlier one", async () => {
    const { account, link } = await server.services.admin.createAccount("operator", { email: uniqueEmail("twice"), name: "Twice" });
    const next = await admin.ok<{ issuePasswordLink: { url: string } }>(ISSUE_LINK, { userId: account.id });
    const guest = new Caller(server);
    const old = await guest.gql(SET_PASSWORD, { input: { token: tokenOf(link.url), password: NEW_PASSWORD } });
    expect(old.errors![0]!.message).toMatch(/withdrawn/);
    await guest.ok(SET_PASSWORD, { input: { token: tokenOf(next.issuePasswordLink.url), password: NEW_PASSWORD } });
  });
});

describe("your own account", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: "3" } });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("makes the first account signed up the administrator, and no later one", async () => {
    const first = await buildUser(server, "first");
    const second = await buildUser(server, "second");
    expect((await first.caller.ok<{ me: { admin: boolean } }>(ME)).me.admin).toBe(true);
    expect((await second.caller.ok<{ me: { admin: boolean } }>(ME)).me.admin).toBe(false);
    expect((await new Caller(server).ok<{ instance: { signupOpen: boolean } }>(`{ instance { signupOpen } }`)).instance.signupOpen).toBe(true);
  });

  it("changes the password after checking the current one, and ends the other sessions only", async () => {
    const { caller, email } = await buildUser(server, "changer");
    const elsewhere = (await logIn(server, email)).caller;
    const wrong = await caller.gql(CHANGE_PASSWORD, { input: { currentPassword: "not my password", newPassword: NEW_PASSWORD } });
    expect(wrong.errors![0]!.extensions!.fields).toEqual([{ field: "currentPassword", message: "is not your password" }]);
    const weak = await caller.gql(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: "password123" } });
    expect((weak.errors![0]!.extensions!.fields as Array<{ field: string }>)[0]!.field).toBe("newPassword");
    const { changePassword } = await caller.ok<{ changePassword: number }>(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(changePassword).toBe(1);
    expect((await caller.ok<{ me: { email: string } }>(ME)).me.email).toBe(email);
    expect((await elsewhere.ok<{ me: unknown }>(ME)).me).toBeNull();
    expect((await logIn(server, email)).r.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect((await logIn(server, email, NEW_PASSWORD)).r.errors).toBeUndefined();
  });

  it("counts wrong current passwords as failed log-ins", async () => {
    const { caller } = await buildUser(server, "guesser");
    for (let i = 0; i < 3; i++) {
      const r = await caller.gql(CHANGE_PASSWORD, { input: { currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD } });
      expect(r.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    }
    const limited = await caller.gql(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(limited.errors![0]!.extensions!.code).toBe("RATE_LIMITED");
  });

  it("lists its sessions with their browsers, ends one, then all others; another's session is not found", async () => {
    const { caller, email } = await buildUser(server, "sessions");
    const phone = new Caller(server);
    const res = await fetch(server.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Mozilla/5.0 (iPhone) Mobile Safari" },
      body: JSON.stringify({ query: LOG_IN, variables: { input: { email, password: PASSWORD } } }),
    });
    phone.cookie = res.headers.get("set-cookie")!.split(";")[0];
    const tablet = (await logIn(server, email)).caller;
    const { mySessions } = await caller.ok<{ mySessions: Array<{ id: string; userAgent: string | null; current: boolean }> }>(SESSIONS);
    expect(mySessions).toHaveLength(3);
    expect(mySessions.filter((s) => s.current)).toHaveLength(1);
    const phoneSession = mySessions.find((s) => s.userAgent?.includes("iPhone"))!;
    expect(phoneSession.current).toBe(false);

    const other = await buildUser(server, "other");
    expect((await other.caller.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: phoneSession.id })).errors![0]!.extensions!.code).toBe("NOT_FOUND");
    await caller.ok(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: phoneSession.id });
    expect((await phone.ok<{ me: unknown }>(ME)).me).toBeNull();
    expect((await tablet.ok<{ me: { email: string } }>(ME)).me.email).toBe(email);
    expect((await caller.ok<{ logOutOtherSessions: number }>(`mutation { logOutOtherSessions }`)).logOutOtherSessions).toBe(1);
    expect((await tablet.ok<{ me: unknown }>(ME)).me).toBeNull();
    expect((await caller.ok<{ mySessions: unknown[] }>(SESSIONS)).mySessions).toHaveLength(1);
  });

  it("changes its name", async () => {
    const { caller } = await buildUser(server, "renamer");
    const r = await caller.ok<{ updateProfile: { name: string } }>(`mutation { updateProfile(input: { name: "  Dr. Renamed " }) { name } }`);
    expect(r.updateProfile.name).toBe("Dr. Renamed");
    const empty = await caller.gql(`mutation { updateProfile(input: { name: "   " }) { name } }`);
    expect(empty.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});
