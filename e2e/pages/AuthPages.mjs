import { baseUrl } from "../support/browser.mjs";
import { expectUrl } from "../support/expect.mjs";
import { describedBy } from "./fields.mjs";

export class SignUpPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByRole("form", { name: "Sign up" });
    this.name = this.form.getByLabel("Name", { exact: true });
    this.email = this.form.getByLabel("E-mail", { exact: true });
    this.password = this.form.getByLabel("Password", { exact: true });
    this.submit = this.form.getByRole("button", { name: "Create account" });
    this.error = this.form.getByRole("alert");
  }

  async goto() {
    await this.page.goto(`${baseUrl()}/signup`);
    await this.name.waitFor();
  }

  /** Fills the form and submits it, whatever the outcome. */
  async attempt({ name, email, password }) {
    await this.name.fill(name);
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs up and waits for the project list, where a new account lands. */
  async signUp(user) {
    await this.attempt(user);
    await expectUrl(this.page, /^\/projects$/);
  }

  /** The message shown beside a field, found through the field's aria-describedby. */
  messageFor(field) {
    return describedBy(this[field]);
  }
}

export class LogInPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByRole("form", { name: "Log in" });
    this.email = this.form.getByLabel("E-mail", { exact: true });
    this.password = this.form.getByLabel("Password", { exact: true });
    this.submit = this.form.getByRole("button", { name: "Log in" });
    this.error = this.form.getByRole("alert");
  }

  async goto() {
    await this.page.goto(`${baseUrl()}/login`);
    await this.email.waitFor();
  }

  async logIn({ email, password }) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export class AppHeader {
  constructor(page) {
    this.page = page;
    this.banner = page.getByRole("banner");
    this.userName = this.banner.getByTestId("current-user");
    this.logOutButton = this.banner.getByRole("button", { name: "Log out" });
  }

  async logOut() {
    await this.logOutButton.click();
    await expectUrl(this.page, /^\/login$/);
  }
}
