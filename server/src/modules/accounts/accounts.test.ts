import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Caller, PASSWORD, buildUser, startTestServer, uniqueEmail } from "../../testing/harness.js";

const ME = `{ me { id email name } }`;
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { id email } }`;
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { id } }`;

describe("accounts", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" } });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("signs up with an httpOnly SameSite session cookie, and stores an argon2id hash", async () => {
    const c = new Caller(server);
    const email = uniqueEmail();
    const r = await c.gql<{ signUp: { id: string; email: string } }>(SIGN_UP, { input: { email: email.toUpperCase(), password: PASSWORD, name: "Ann" } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.signUp.email).toBe(email);
    expect(r.cookie).toMatch(/concord_session=[^;]+;/);
    expect(r.cookie).toMatch(/HttpOnly/i);
    expect(r.cookie).toMatch(/SameSite=Lax/i);
    expect((await c.ok<{ me: { email: string } }>(ME)).me.email).toBe(email);
    const [row] = await server.platform.db.dataSource.query(`SELECT password_hash FROM users WHERE email = $1`, [email]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it("refuses a duplicate e-mail, a weak password and a bad address with field-level errors, storing nothing", async () => {
    const { email } = await buildUser(server);
    const c = new Caller(server);
    const dup = await c.gql(SIGN_UP, { input: { email, password: PASSWORD, name: "B" } });
    expect(dup.errors![0]!.extensions!.code).toBe("CONFLICT");
    expect(dup.errors![0]!.extensions!.fields).toEqual([{ field: "email", message: expect.any(String) }]);

    const fresh = uniqueEmail("weak");
    const weak = await c.gql(SIGN_UP, { input: { email: fresh, password: "short", name: "B" } });
    expect(weak.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect((weak.errors![0]!.extensions!.fields as Array<{ field: string }>).map((f) => f.field)).toContain("password");
    const common = await c.gql(SIGN_UP, { input: { email: fresh, password: "password123", name: "B" } });
    expect(common.errors![0]!.message).toMatch(/too common/);

    const bad = await c.gql(SIGN_UP, { input: { email: "not-an-address", password: PASSWORD, name: "B" } });
    expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad.errors![0]!.extensions!.fields)).toContain("email");

    const count = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [fresh]);
    expect(count[0].n).toBe(0);
    expect(c.cookie).toBeUndefined();
  });

  it("logs in and out; a logged-out cookie no longer authenticates", async () => {
    const { email } = await buildUser(server);
    const c = new Caller(server);
    await c.ok(LOG_IN, { input: { email, password: PASSWORD } });
    const cookie = c.cookie!;
    expect((await c.ok<{ me: { email: string } | null }>(ME)).me?.email).toBe(email);
    await c.ok(`mutation { logOut }`);
    expect(c.cookie).toBeUndefined();
    const stale = new Caller(server, cookie);
    expect((await stale.ok<{ me: unknown }>(ME)).me).toBeNull();
  });

  it("gives the same answer for a wrong password and an unknown account", async () => {
    const { email } = await buildUser(server);
    const c = new Caller(server);
    const wrong = await c.gql(LOG_IN, { input: { email, password: "not the password at all" } });
    const unknown = await c.gql(LOG_IN, { input: { email: uniqueEmail("nobody"), password: PASSWORD } });
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(wrong.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("rate-limits failed log-ins per account, even with the right password afterwards", async () => {
    const { email } = await buildUser(server);
    const c = new Caller(server);
    for (let i = 0; i < 3; i++) {
      const r = await c.gql(LOG_IN, { input: { email, password: `wrong password ${i}` } });
      expect(r.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    }
    const limited = await c.gql(LOG_IN, { input: { email, password: PASSWORD } });
    expect(limited.errors![0]!.extensions!.code).toBe("RATE_LIMITED");
    // Another account from the same address is not locked by this one's failures.
    const other = await buildUser(server);
    await new Caller(server).ok(LOG_IN, { input: { email: other.email, password: PASSWORD } });
  });

  it("creates, uses, lists and revokes bearer API tokens, stored hashed", async () => {
    const { caller, email } = await buildUser(server);
    const created = await caller.ok<{ createApiToken: { token: string; apiToken: { id: string; prefix: string } } }>(
      `mutation { createApiToken(input: { name: "ci", expiresInDays: 30 }) { token apiToken { id prefix } } }`,
    );
    const { token, apiToken } = created.createApiToken;
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const rows = await server.platform.db.dataSource.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [apiToken.id]);
    expect(rows[0].token_hash).not.toContain(token);

    const tool = new Caller(server, undefined, token);
    expect((await tool.ok<{ me: { email: string } }>(ME)).me.email).toBe(email);
    const list = await caller.ok<{ apiTokens: Array<{ id: string }> }>(`{ apiTokens { id name prefix } }`);
    expect(list.apiTokens.map((t) => t.id)).toContain(apiToken.id);

    // Someone else cannot revoke it: it does not exist for them.
    const other = await buildUser(server);
    const foreign = await other.caller.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: apiToken.id });
    expect(foreign.errors![0]!.extensions!.code).toBe("NOT_FOUND");

    await caller.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: apiToken.id });
    expect((await tool.ok<{ me: unknown }>(ME)).me).toBeNull();
    const bogus = new Caller(server, undefined, "cct_nonsense");
    expect((await bogus.ok<{ me: unknown }>(ME)).me).toBeNull();
  });

  it("carries the same identity on graphql-ws connections (cookie or bearer), and refuses bad credentials", async () => {
    const { caller, email } = await buildUser(server);
    const viaCookie = caller.ws();
    const viaToken = new Caller(
      server,
      undefined,
      (await caller.ok<{ createApiToken: { token: string } }>(`mutation { createApiToken(input: { name: "ws" }) { token } }`)).createApiToken.token,
    ).ws();
    try {
      for (const client of [viaCookie, viaToken]) {
        const result = await client.iterate<{ me: { email: string } }>({ query: ME }).next();
        expect(result.value?.data?.me.email).toBe(email);
      }
      const bad = new Caller(server, "concord_session=forged").ws();
      await expect(bad.iterate({ query: ME }).next()).rejects.toBeTruthy();
      await bad.dispose();
    } finally {
      await viaCookie.dispose();
      await viaToken.dispose();
    }
  });
});

describe("log-in rate limit per address", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: "100", LOGIN_MAX_FAILURES_PER_ADDRESS: "3" } });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("locks an address that fails across many accounts, including for a correct password", async () => {
    const victim = await buildUser(server);
    const c = new Caller(server);
    for (let i = 0; i < 3; i++) {
      const r = await c.gql(LOG_IN, { input: { email: uniqueEmail(`spray${i}`), password: PASSWORD } });
      expect(r.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    }
    const r = await c.gql(LOG_IN, { input: { email: victim.email, password: PASSWORD } });
    expect(r.errors![0]!.extensions!.code).toBe("RATE_LIMITED");
    expect(r.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    // Attempts are stored without the e-mail address in clear.
    const rows = await server.platform.db.dataSource.query(`SELECT account_key FROM login_attempts`);
    expect(JSON.stringify(rows)).not.toContain("@");
  });
});
