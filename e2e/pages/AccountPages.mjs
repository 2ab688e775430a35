import { baseUrl } from "../support/browser.mjs";
import { describedBy } from "./fields.mjs";

/** /account: name, password, sessions, API tokens. */
export class AccountPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { level: 1, name: "Your account" });

    this.passwordForm = page.getByRole("form", { name: "Change password" });
    this.currentPassword = this.passwordForm.getByLabel("Current password", { exact: true });
    this.newPassword = this.passwordForm.getByLabel("New password", { exact: true });
    this.confirmPassword = this.passwordForm.getByLabel("Confirm new password", { exact: true });
    this.passwordStatus = this.passwordForm.getByRole("status");

    this.sessions = page.getByRole("list", { name: "Sessions", exact: true });
    this.logOutOthers = page.getByRole("button", { name: "Log out all other sessions", exact: true });

    this.tokens = page.getByRole("table", { name: "API tokens", exact: true });
    this.tokenForm = page.getByRole("form", { name: "New API token" });
  }

  async goto() {
    await this.page.goto(`${baseUrl()}/account`);
    await this.heading.waitFor();
  }

  async changePassword({ current, next, confirm = next }) {
    await this.currentPassword.fill(current);
    await this.newPassword.fill(next);
    await this.confirmPassword.fill(confirm);
    await this.passwordForm.getByRole("button", { name: "Change password", exact: true }).click();
  }

  messageFor(field) {
    return describedBy(this[field]);
  }

  /** Creates a token and returns the secret the page shows once. */
  async createToken(name, expiresInDays) {
    await this.tokenForm.getByLabel("Token name", { exact: true }).fill(name);
    if (expiresInDays !== undefined) await this.tokenForm.getByLabel("Expires after (days)", { exact: true }).fill(String(expiresInDays));
    await this.tokenForm.getByRole("button", { name: "Create token", exact: true }).click();
    const field = this.newToken(name).getByLabel("Token", { exact: true });
    await field.waitFor();
    return field.inputValue();
  }

  newToken(name) {
    return this.page.getByRole("group", { name: `New token ${name}`, exact: true });
  }

  tokenRow(name) {
    return this.tokens.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: true }) });
  }

  /** Presses Revoke, then confirms. */
  async revokeToken(name) {
    await this.page.getByRole("button", { name: `Revoke token ${name}`, exact: true }).click();
    await this.page.getByRole("group", { name: `Revoke token ${name}`, exact: true }).getByRole("button", { name: "Revoke token", exact: true }).click();
  }
}

/** /admin/accounts, for the server's administrators. */
export class AdminAccountsPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { level: 1, name: "Accounts" });
    this.search = page.getByLabel("Search", { exact: true });
    this.table = page.getByRole("table", { name: "Accounts", exact: true });
    this.total = page.getByTestId("accounts-total");
    this.newAccount = page.getByRole("form", { name: "New account" });
  }

  async goto() {
    await this.page.goto(`${baseUrl()}/admin/accounts`);
    await this.heading.waitFor();
  }

  row(email) {
    return this.table.locator("tr[data-account-id]").filter({ has: this.page.getByRole("cell", { name: email, exact: true }) });
  }

  linkNote(email) {
    return this.page.getByRole("group", { name: `Link for ${email}`, exact: true });
  }

  /** Issues a password link for the account and returns the URL the page shows. */
  async issuePasswordLink(email) {
    await this.page.getByRole("button", { name: `Password link for ${email}`, exact: true }).click();
    const field = this.linkNote(email).getByLabel("Link", { exact: true });
    await field.waitFor();
    return field.inputValue();
  }

  /** Presses Disable, then confirms. */
  async disable(email) {
    await this.page.getByRole("button", { name: `Disable ${email}`, exact: true }).click();
    await this.page.getByRole("group", { name: `Disable ${email}?`, exact: true }).getByRole("button", { name: "Disable account", exact: true }).click();
  }

  async enable(email) {
    await this.page.getByRole("button", { name: `Enable ${email}`, exact: true }).click();
  }
}

/** /invite/:token */
export class InvitationPage {
  constructor(page) {
    this.page = page;
    this.card = page.locator(".invitation");
    this.form = page.getByRole("form", { name: "Accept the invitation" });
    this.acceptButton = page.getByRole("button", { name: "Accept", exact: true });
  }

  async makeAccount({ name, password, confirm = password }) {
    await this.form.getByLabel("Name", { exact: true }).fill(name);
    await this.form.getByLabel("Password", { exact: true }).fill(password);
    await this.form.getByLabel("Confirm password", { exact: true }).fill(confirm);
    await this.form.getByRole("button", { name: "Make account and join" }).click();
  }
}

/** /reset-password/:token */
export class ResetPasswordPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { level: 1, name: "Set your password" });
    this.form = page.getByRole("form", { name: "Set your password" });
    this.notice = page.locator(".auth-card .notice");
  }

  async setPassword(password, confirm = password) {
    await this.form.getByLabel("New password", { exact: true }).fill(password);
    await this.form.getByLabel("Confirm new password", { exact: true }).fill(confirm);
    await this.form.getByRole("button", { name: "Set password", exact: true }).click();
  }
}

/** A link the server made names its own PUBLIC_URL; the specs reach the server at baseUrl(). */
export function onThisServer(link) {
  const url = new URL(link);
  return `${baseUrl()}${url.pathname}${url.search}`;
}
