// Accounts: an owner invites an address that has no account; a guest opens the link, makes the
// account and lands in the project. The server's administrator (made by run.mjs before any spec)
// finds that account, issues password links, disables it (its open page loses the session) and
// enables it again; the reader sets a new password with a link. On /account a user changes their
// password (other sessions end, the old password stops working) and uses an API token from outside
// the browser until revoking it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AccountPage, AdminAccountsPage, InvitationPage, onThisServer, ResetPasswordPage } from "../pages/AccountPages.mjs";
import { AppHeader, LogInPage, SignUpPage } from "../pages/AuthPages.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectCount, expectText, expectUrl, expectVisible } from "../support/expect.mjs";

const run = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const owner = { name: "Odile Owner", email: `odile.${run}@e2e.test`, password: "copper lagoon orchard 58" };
const reader = { name: "Rafael Reader", email: `new-reader-${run}@e2e.test`, password: "violet summit hazel 27" };
const admin = { email: process.env.E2E_ADMIN_EMAIL, password: process.env.E2E_ADMIN_PASSWORD };
const projectName = `Mammography screening ${run}`;

/** The API as an external tool calls it: from node, with a bearer token and no cookie. */
async function meWithToken(token) {
  const res = await fetch(`${baseUrl()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ me { email } }" }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.me;
}

const whoIsLoggedIn = async (page) => (await gql(page, "{ me { email } }")).me?.email ?? null;

describe("accounts: invitations, administration, your account", { timeout: 300_000 }, () => {
  const browsers = {};
  let projectId;

  before(async () => {
    for (const who of ["owner", "reader", "admin"]) browsers[who] = await openBrowser(who);
  });

  after(async () => {
    for (const b of Object.values(browsers)) {
      for (const problem of b.problems) console.log(`[${b.who}] ${problem}`);
      await b.close();
    }
  });

  /** A test that leaves screenshots of every open browser behind when it fails. */
  function step(name, fn) {
    it(name, { timeout: 90_000 }, async () => {
      try {
        await fn();
      } catch (error) {
        const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60);
        for (const b of Object.values(browsers)) await screenshot(b.page, `failed-${slug}-${b.who}`).catch(() => {});
        throw error;
      }
    });
  }

  step("accounts: an owner invites a new reader, who makes the account from the link and lands in the project", async () => {
    const o = browsers.owner.page;
    const signUp = new SignUpPage(o);
    await signUp.goto();
    await signUp.signUp(owner);
    // Not the server's first account (run.mjs made the administrator): no administration.
    await expectCount(new AppHeader(o).banner.getByRole("link", { name: "Accounts", exact: true }), 0);
    projectId = await new ProjectListPage(o).createProject({ name: projectName });

    const settings = new ProjectSettingsPage(o);
    await settings.invite(reader.email, "Annotator");
    const link = await settings.invitationLink(reader.email);
    assert.match(link, /\/invite\/[A-Za-z0-9_-]{20,}$/);
    await expectText(settings.invitationNote(reader.email), `Send this link to ${reader.email}`);
    await expectText(settings.pendingRow(reader.email), "Annotator");
    await expectText(settings.pendingRow(reader.email), owner.name);
    await expectCount(settings.memberRow(reader.email), 0);
    await screenshot(o, "accounts-01-invited");

    // A guest, in another browser, opens the link.
    const r = browsers.reader.page;
    await r.goto(onThisServer(link));
    const invitation = new InvitationPage(r);
    await expectText(invitation.card, `${owner.name} invites ${reader.email} to the project ${projectName} as annotator`);
    await screenshot(r, "accounts-02-invitation");
    await invitation.makeAccount(reader);
    await expectUrl(r, new RegExp(`^/projects/${projectId}/data$`));
    await expectText(new AppHeader(r).userName, reader.name);
    assert.equal(await whoIsLoggedIn(r), reader.email);
    const { myProjects } = await gql(r, "{ myProjects { id myRole } }");
    assert.deepEqual(myProjects, [{ id: projectId, myRole: "ANNOTATOR" }]);

    // The owner's open settings follow live: a member now, no longer pending.
    await eventually(async () => assert.equal(await settings.memberRole(reader.name), "Annotator"), { timeout: 15_000 });
    await expectCount(settings.pendingRow(reader.email), 0, { timeout: 15_000 });
    await screenshot(o, "accounts-03-joined");

    // The link worked once.
    await r.goto(onThisServer(link));
    await expectText(invitation.card, "This invitation has already been used.");
    await r.goto(`${baseUrl()}/projects/${projectId}/data`);
  });

  step("accounts: the administrator finds the reader, disables and enables the account, and the reader sets a password with a link", async () => {
    assert.ok(admin.email && admin.password, "E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD are set by e2e/run.mjs");
    const ad = browsers.admin.page;
    const logIn = new LogInPage(ad);
    await logIn.goto();
    await logIn.logIn(admin);
    await expectUrl(ad, /^\/projects$/);
    await new AppHeader(ad).banner.getByRole("link", { name: "Accounts", exact: true }).click();
    const accounts = new AdminAccountsPage(ad);
    await accounts.heading.waitFor();

    await accounts.search.fill(`new-reader-${run}`);
    await expectText(accounts.total, `1 account matching “new-reader-${run}”`);
    await expectCount(accounts.table.locator("tr[data-account-id]"), 1);
    const row = accounts.row(reader.email);
    await expectText(row, reader.name);
    assert.equal((await row.locator("td.number").innerText()).trim(), "1", "projects of the reader");

    const firstLink = await accounts.issuePasswordLink(reader.email);
    assert.match(firstLink, /\/reset-password\/[A-Za-z0-9_-]{20,}$/);
    await expectText(accounts.linkNote(reader.email), "This server does not send e-mail");

    await accounts.disable(reader.email);
    await expectVisible(row.getByText("Disabled", { exact: true }));
    await screenshot(ad, "accounts-04-disabled");

    // The reader's open page has lost its session: a reload asks to log in, and logging in is refused.
    const r = browsers.reader.page;
    await r.reload();
    await expectUrl(r, /^\/login$/);
    const readerLogIn = new LogInPage(r);
    await readerLogIn.logIn(reader);
    await expectText(readerLogIn.error, "This account is disabled");
    assert.equal(await whoIsLoggedIn(r), null);
    // The owner sees it beside the member.
    const settings = new ProjectSettingsPage(browsers.owner.page);
    await settings.goto(projectId);
    await expectVisible(settings.memberRow(reader.email).getByText("account disabled", { exact: true }));
    // Disabling withdrew the password link issued before.
    await r.goto(onThisServer(firstLink));
    const reset = new ResetPasswordPage(r);
    await expectText(reset.notice, "This password link was withdrawn.");

    await accounts.enable(reader.email);
    await expectCount(row.getByText("Disabled", { exact: true }), 0);
    await settings.page.reload();
    await expectText(settings.memberRow(reader.email), reader.name);
    await expectCount(settings.memberRow(reader.email).getByText("account disabled", { exact: true }), 0);
    const link = await accounts.issuePasswordLink(reader.email);
    assert.notEqual(link, firstLink);

    reader.password = "saffron delta beacon 64";
    await r.goto(onThisServer(link));
    await expectText(reset.form, reader.email);
    await reset.setPassword(reader.password);
    await expectUrl(r, /^\/projects$/);
    await expectText(new AppHeader(r).userName, reader.name);
    await expectVisible(new ProjectListPage(r).item(projectName));
    assert.equal(await whoIsLoggedIn(r), reader.email);
    await screenshot(r, "accounts-05-password-set");
  });

  step("accounts: on /account a user changes the password and uses an API token until revoking it", async () => {
    const o = browsers.owner.page;
    // A second session of the same account, in a browser of its own.
    const other = await openBrowser("owner-elsewhere");
    try {
      const otherLogIn = new LogInPage(other.page);
      await otherLogIn.goto();
      await otherLogIn.logIn(owner);
      await expectUrl(other.page, /^\/projects$/);

      await new AppHeader(o).userName.click();
      await expectUrl(o, /^\/account$/);
      const account = new AccountPage(o);
      await account.heading.waitFor();
      await expectCount(account.sessions.getByRole("listitem"), 2);
      await expectCount(account.sessions.getByText("This session", { exact: true }), 1);
      await expectText(account.sessions, "Chrome on Linux");

      const newPassword = "indigo quarry lantern 81";
      await account.changePassword({ current: owner.password, next: newPassword, confirm: "not the same words" });
      await eventually(async () => assert.match(await account.messageFor("confirmPassword"), /does not match/));
      await account.changePassword({ current: "not my password at all", next: newPassword });
      await eventually(async () => assert.match(await account.messageFor("currentPassword"), /is not your password/));
      await account.changePassword({ current: owner.password, next: newPassword });
      await expectText(account.passwordStatus, "Password changed. 1 other session was logged out.");
      await expectCount(account.sessions.getByRole("listitem"), 1);
      assert.equal(await whoIsLoggedIn(other.page), null, "the other session ended");

      const otherLogInAgain = new LogInPage(other.page);
      await otherLogInAgain.goto();
      await otherLogInAgain.logIn(owner);
      await expectText(otherLogInAgain.error, "E-mail or password is incorrect");
      await otherLogInAgain.logIn({ email: owner.email, password: newPassword });
      await expectUrl(other.page, /^\/projects$/);
      assert.equal(await whoIsLoggedIn(other.page), owner.email);
      owner.password = newPassword;
    } finally {
      await other.close();
    }

    const account = new AccountPage(o);
    const token = await account.createToken("PACS export script", 30);
    await expectText(account.newToken("PACS export script"), "Authorization: Bearer <token>");
    const row = account.tokenRow("PACS export script");
    const prefix = (await row.locator("code").innerText()).replace("…", "");
    assert.ok(prefix.length >= 4 && token.startsWith(prefix), `token ${token.slice(0, 8)}… starts with the listed prefix ${prefix}`);
    const lastUsed = () => account.tokenRow("PACS export script").locator("td").nth(3).innerText();
    assert.equal(await lastUsed(), "Never");
    await screenshot(o, "accounts-06-token");

    assert.deepEqual(await meWithToken(token), { email: owner.email });

    // Shown once: after a reload the secret is nowhere on the page, and the token shows its last use.
    await o.reload();
    await account.heading.waitFor();
    await expectCount(account.newToken("PACS export script"), 0);
    assert.equal((await o.content()).includes(token), false);
    assert.notEqual(await lastUsed(), "Never", "the token's use is recorded");

    await account.revokeToken("PACS export script");
    await expectCount(account.tokenRow("PACS export script"), 0);
    assert.equal(await meWithToken(token), null);
  });
});
