import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../platform/database/embedded.js";
import { followSignOn, startOidcProvider } from "../../testing/oidc.js";
import { Caller, buildProject, buildUser, startTestServer, uniqueEmail } from "../../testing/harness.js";
import { safeReturnTo } from "./sso.service.js";

// Single sign-on against a real OpenID Connect provider (oidc-provider) on loopback: the browser's
// redirects are followed as a browser would, cookies and all.

describe("single sign-on (OpenID Connect)", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: Awaited<ReturnType<typeof startOidcProvider>>;
  let origin: string;
  let first: Awaited<ReturnType<typeof buildUser>>;

  beforeAll(async () => {
    const [port, idpPort] = [await freePort(), await freePort()];
    origin = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ port: idpPort, clientId: "concord", clientSecret: "a client secret", redirectUri: `${origin}/auth/sso/callback` });
    server = await startTestServer({
      env: {
        PORT: String(port),
        PUBLIC_URL: origin,
        CONCORD_SIGNUP: "closed",
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: "concord",
        OIDC_CLIENT_SECRET: "a client secret",
        OIDC_NAME: "Hospital SSO",
      },
    });
    const { link } = await server.services.admin.createAccount("operator", { email: uniqueEmail("sso-admin"), name: "Admin", admin: true });
    first = { caller: new Caller(server), email: "", id: "" };
    await first.caller.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: link.url.split("/").pop(), password: "a long enough passphrase 1" } });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
    await idp?.close();
  });

  const signOn = async (sub: string, returnTo = "/projects") => {
    idp.signOnAs(sub);
    const done = await followSignOn(`${origin}/auth/sso/login?returnTo=${encodeURIComponent(returnTo)}`, origin);
    const session = done.cookies.get(origin)?.get("concord_session");
    return { url: done.url, caller: session ? new Caller(server, `concord_session=${session}`) : null };
  };
  const me = async (c: Caller | null) => (await c!.ok<{ me: { email: string; name: string } | null }>(`{ me { email name } }`)).me;

  it("names itself to the log-in page", async () => {
    expect((await new Caller(server).ok<{ instance: { ssoName: string } }>(`{ instance { ssoName } }`)).instance.ssoName).toBe("Hospital SSO");
  });

  it("links an existing account by its verified address on the first sign-on, by subject after; a session with the browser's agent", async () => {
    const existing = await server.services.admin.createAccount("operator", { email: uniqueEmail("linked"), name: "Lin Ked" });
    idp.add({ sub: "sub-linked", email: existing.account.email.toUpperCase(), email_verified: true, name: "Dr Lin Ked" });
    const { url, caller } = await signOn("sub-linked", "/projects/abc/data");
    expect(url.href).toBe(`${origin}/projects/abc/data`);
    expect(await me(caller)).toEqual({ email: existing.account.email, name: "Lin Ked" });
    const sessions = (await caller!.ok<{ mySessions: Array<{ userAgent: string }> }>(`{ mySessions { userAgent } }`)).mySessions;
    expect(sessions.map((s) => s.userAgent)).toEqual(["SignOnTest/1.0"]);

    // The provider's address changes; the subject still finds the account.
    idp.add({ sub: "sub-linked", email: "someone.else@example.org", email_verified: true });
    expect((await me((await signOn("sub-linked")).caller))!.email).toBe(existing.account.email);
    const leaves = await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_leaves WHERE event_type = 'user.identity' AND object_id = $1`, [existing.account.id]);
    expect(leaves[0].n).toBe(1);
  });

  it("refuses an unverified address, an unknown one with sign-up closed, and a disabled account, saying why on the log-in page", async () => {
    const email = uniqueEmail("unverified");
    await server.services.admin.createAccount("operator", { email, name: "U" });
    idp.add({ sub: "sub-unverified", email, email_verified: false });
    const unverified = await signOn("sub-unverified");
    expect(unverified.caller).toBeNull();
    expect(unverified.url.pathname).toBe("/login");
    expect(unverified.url.searchParams.get("sso_error")).toBe(`Hospital SSO did not confirm that ${email} is verified`);

    const stranger = uniqueEmail("stranger");
    idp.add({ sub: "sub-stranger", email: stranger, email_verified: true });
    const unknown = await signOn("sub-stranger");
    expect(unknown.caller).toBeNull();
    expect(unknown.url.searchParams.get("sso_error")).toMatch(/No Concord account has .*invitation/);
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [stranger])).toHaveLength(0);

    const leaver = await server.services.admin.createAccount("operator", { email: uniqueEmail("leaver"), name: "L" });
    idp.add({ sub: "sub-leaver", email: leaver.account.email, email_verified: true });
    expect((await signOn("sub-leaver")).caller).not.toBeNull();
    await server.services.admin.setDisabled("operator", leaver.account.id, true);
    const disabled = await signOn("sub-leaver");
    expect(disabled.caller).toBeNull();
    expect(disabled.url.searchParams.get("sso_error")).toMatch(/disabled/);
  });

  it("makes the account of an address with an open invitation, which then accepts it", async () => {
    const owner = await server.services.admin.createAccount("operator", { email: uniqueEmail("owner"), name: "Owner" });
    const ownerCaller = new Caller(server);
    await ownerCaller.ok(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: owner.link.url.split("/").pop(), password: "a long enough passphrase 2" } });
    const projectId = await buildProject(ownerCaller);
    const email = uniqueEmail("invited");
    const { link } = (await server.services.invitations.invite({ userId: owner.account.id, via: "session" }, projectId, email, "ANNOTATOR"))!;
    const token = link!.url.split("/").pop()!;
    idp.add({ sub: "sub-invited", email, email_verified: true, name: "Ivy Invited" });
    const { url, caller } = await signOn("sub-invited", `/invite/${token}`);
    expect(url.pathname).toBe(`/invite/${token}`);
    expect(await me(caller)).toEqual({ email, name: "Ivy Invited" });
    const accepted = await caller!.ok<{ acceptInvitation: { role: string } }>(`mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { role } }`, { input: { token } });
    expect(accepted.acceptInvitation.role).toBe("ANNOTATOR");
  });

  it("refuses a callback without the flow that began it (another browser, a forged or replayed code)", async () => {
    const res = await fetch(`${origin}/auth/sso/callback?code=forged&state=forged`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!, origin).searchParams.get("sso_error")).toMatch(/another browser/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("concord_session="))).toBe(false);
  });

  it("goes back only to a path of the app", () => {
    expect(safeReturnTo("/projects/1/data?x=1")).toBe("/projects/1/data?x=1");
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "projects", "", undefined, ["/a"]]) expect(safeReturnTo(bad)).toBe("/projects");
  });
});

describe("single sign-on that makes accounts", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: Awaited<ReturnType<typeof startOidcProvider>>;
  let origin: string;

  beforeAll(async () => {
    const [port, idpPort] = [await freePort(), await freePort()];
    origin = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ port: idpPort, clientId: "concord", clientSecret: "s3cret", redirectUri: `${origin}/auth/sso/callback` });
    server = await startTestServer({
      env: { PORT: String(port), PUBLIC_URL: origin, CONCORD_SIGNUP: "closed", OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: "concord", OIDC_CLIENT_SECRET: "s3cret", OIDC_CREATE_ACCOUNTS: "true", OIDC_TRUST_UNVERIFIED_EMAIL: "true" },
    });
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
    await idp?.close();
  });

  it("makes the account on the first sign-on (the server's first becomes its administrator), trusting an unverified address when told to", async () => {
    const email = uniqueEmail("directory");
    idp.add({ sub: "sub-dir", email, name: "Dee Rectory" });
    idp.signOnAs("sub-dir");
    const done = await followSignOn(`${origin}/auth/sso/login`, origin);
    expect(done.url.pathname).toBe("/projects");
    const caller = new Caller(server, `concord_session=${done.cookies.get(origin)!.get("concord_session")}`);
    expect((await caller.ok<{ me: { email: string; name: string; admin: boolean } }>(`{ me { email name admin } }`)).me).toEqual({ email, name: "Dee Rectory", admin: true });
    // Nobody knows its password: signing on is the way in.
    const byPassword = await new Caller(server).gql(`mutation($input: LogInInput!) { logIn(input: $input) { id } }`, { input: { email, password: "" } });
    expect(byPassword.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");

    idp.add({ sub: "sub-second", email: uniqueEmail("second") });
    idp.signOnAs("sub-second");
    const second = await followSignOn(`${origin}/auth/sso/login`, origin);
    const secondCaller = new Caller(server, `concord_session=${second.cookies.get(origin)!.get("concord_session")}`);
    expect((await secondCaller.ok<{ me: { admin: boolean; name: string } }>(`{ me { admin name } }`)).me).toMatchObject({ admin: false });
  });
});
