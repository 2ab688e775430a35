import { baseUrl } from "../support/browser.mjs";
import { eventually } from "../support/expect.mjs";

export class ProjectListPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { level: 1, name: "Projects" });
    this.list = page.getByRole("list", { name: "My projects" });
    this.emptyNote = page.getByText("You are not a member of any project yet.");
    this.showArchived = page.getByLabel("Show archived projects", { exact: true });
    this.newProject = page.getByRole("form", { name: "New project" });
  }

  async goto() {
    await this.page.goto(`${baseUrl()}/projects`);
    await this.heading.waitFor();
  }

  /** Creates a project and returns its id, read from the settings page it opens. */
  async createProject({ name, description = "", mode = "Standard" }) {
    const form = this.newProject;
    await form.getByLabel("Project name", { exact: true }).fill(name);
    await form.getByLabel("Mode", { exact: true }).selectOption({ label: mode });
    await form.getByLabel("Description", { exact: true }).fill(description);
    await form.getByRole("button", { name: "Create project" }).click();
    return eventually(() => {
      const match = new URL(this.page.url()).pathname.match(/^\/projects\/([0-9a-f-]{36})\/settings$/);
      if (!match) throw new Error(`not on a settings page: ${this.page.url()}`);
      return match[1];
    });
  }

  item(name) {
    return this.list.getByRole("listitem").filter({ has: this.page.getByRole("heading", { name, exact: true }) });
  }

  settingsLink(name) {
    return this.item(name).getByRole("link", { name: /settings/i });
  }

  /** Every link to any project's settings on the page, visible or not. */
  allSettingsLinks() {
    return this.page.locator('a[href*="/settings"]');
  }
}
