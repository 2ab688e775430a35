import { baseUrl } from "../support/browser.mjs";
import { expectText } from "../support/expect.mjs";
import { describedBy } from "./fields.mjs";

export const NO_ACCESS = "You don't have access to this project's settings.";

export class ProjectSettingsPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { level: 1 });
    this.noAccess = page.getByText(NO_ACCESS, { exact: true });

    this.general = page.getByRole("form", { name: "General settings" });
    this.projectName = this.general.getByLabel("Project name", { exact: true });
    this.description = this.general.getByLabel("Description", { exact: true });
    this.mode = this.general.getByLabel("Mode", { exact: true });
    this.readersPerCase = this.general.getByLabel("Readers per case", { exact: true });
    this.blindReading = this.general.getByLabel("Blind reading", { exact: true });
    this.assignedReading = this.general.getByLabel("Readers read only the cases assigned to them", { exact: true });
    this.saveSettings = this.general.getByRole("button", { name: "Save settings" });
    this.settingsStatus = this.general.getByRole("status");

    this.split = page.getByRole("form", { name: "Dataset split" });
    this.trainPercent = this.split.getByLabel("Train (%)", { exact: true });
    this.validationPercent = this.split.getByLabel("Validation (%)", { exact: true });
    this.testPercent = this.split.getByLabel("Test (%)", { exact: true });
    this.keepTogether = this.split.getByLabel("Keep together", { exact: true });
    this.validationReaders = this.split.getByLabel("Readers per Validation case", { exact: true });
    this.testReaders = this.split.getByLabel("Readers per Test case", { exact: true });
    this.saveSplit = this.split.getByRole("button", { name: "Save split" });
    // The test percentage is an <output>, a status too.
    this.splitStatus = this.split.locator('p[role="status"]');
    /** Each split's row: its name, the percentage set, cases, share of cases, (unless cases are split alone) groups, readers per case and complete. */
    this.splitCounts = page.getByRole("table", { name: "Cases in each split" });
    /** For members who may view the statistics: per classification label, a cell per split with its yes among the decided cases; or a line saying there is no such label. */
    this.splitLabels = page.getByRole("table", { name: "Labels in each split" });
    this.noSplitLabels = page.getByTestId("split-labels-none");

    this.labels = page.getByRole("list", { name: "Labels", exact: true });
    this.archivedLabels = page.getByRole("list", { name: "Archived labels", exact: true });
    this.newLabel = page.getByRole("form", { name: "New label" });
    this.newLabelName = this.newLabel.getByLabel("Label name", { exact: true });
    this.labelGroups = page.getByRole("list", { name: "Label groups", exact: true });
    this.copyLabelsButton = page.getByRole("button", { name: "Copy labels from…", exact: true });
    this.copyLabels = page.getByRole("form", { name: "Copy labels" });
    this.copySource = this.copyLabels.getByLabel("Project to copy from", { exact: true });
    /** Each label or group the copy left out, with the server's reason. */
    this.copyLeftOut = this.copyLabels.getByRole("list", { name: "Left out of the copy", exact: true });

    this.archivedNotice = page.getByText("This project is archived and read-only.");
    this.archiveButton = page.getByRole("button", { name: "Archive project", exact: true });
    this.unarchiveButton = page.getByRole("button", { name: "Unarchive project", exact: true });

    this.members = page.getByRole("table", { name: "Members" });
    this.inviteForm = page.getByRole("form", { name: "Invite", exact: true });
    this.inviteEmail = this.inviteForm.getByLabel("E-mail address", { exact: true });
    this.pendingInvitations = page.getByRole("table", { name: "Pending invitations" });
  }

  async goto(projectId) {
    await this.page.goto(`${baseUrl()}/projects/${projectId}/settings`);
    await this.heading.waitFor();
  }

  // General settings

  async changeSettings({ mode, readersPerCase, blindReading, assignedReading }) {
    if (mode !== undefined) await this.mode.selectOption({ label: mode });
    if (readersPerCase !== undefined) await this.readersPerCase.fill(String(readersPerCase));
    if (blindReading !== undefined) await this.blindReading.setChecked(blindReading);
    if (assignedReading !== undefined) await this.assignedReading.setChecked(assignedReading);
    await this.saveSettings.click();
  }

  /** Fills the dataset split's fields given (keepTogether by its option's text, readers "" for empty) and presses Save split. */
  async changeSplit({ train, validation, keepTogether, validationReaders, testReaders }) {
    if (train !== undefined) await this.trainPercent.fill(String(train));
    if (validation !== undefined) await this.validationPercent.fill(String(validation));
    if (keepTogether !== undefined) await this.keepTogether.selectOption({ label: keepTogether });
    if (validationReaders !== undefined) await this.validationReaders.fill(String(validationReaders));
    if (testReaders !== undefined) await this.testReaders.fill(String(testReaders));
    await this.saveSplit.click();
  }

  async selectedMode() {
    return this.mode.evaluate((el) => el.options[el.selectedIndex]?.text ?? "");
  }

  // Labels

  /** Active label names in their order, as the list shows them. */
  labelNames() {
    return this.labels.getByRole("listitem").evaluateAll((items) =>
      items.map((li) => li.querySelector('input[type="text"]')?.value ?? li.querySelector(".label-name")?.textContent?.trim() ?? ""),
    );
  }

  archivedLabelNames() {
    return this.archivedLabels.getByRole("listitem").evaluateAll((items) => items.map((li) => li.querySelector(".label-name")?.textContent?.trim() ?? ""));
  }

  labelRow(name) {
    return this.labels.getByRole("listitem").filter({ has: this.page.getByRole("textbox", { name: `Name of label ${name}`, exact: true }) });
  }

  async addLabel({ name, kind, shape }) {
    await this.newLabelName.fill(name);
    await this.newLabel.getByLabel("Kind", { exact: true }).selectOption({ label: kind });
    if (shape) await this.newLabel.getByLabel("Shape", { exact: true }).selectOption({ label: shape });
    await this.newLabel.getByRole("button", { name: "Add label" }).click();
  }

  async addLabelAndWait(label) {
    await this.addLabel(label);
    await expectText(this.newLabel.getByRole("status"), `Added “${label.name}”.`);
  }

  newLabelMessage() {
    return describedBy(this.newLabelName);
  }

  async moveLabel(name, direction) {
    await this.page.getByRole("button", { name: `Move ${name} ${direction}`, exact: true }).click();
  }

  async editLabel(name, { newName, color }) {
    if (newName !== undefined) await this.page.getByRole("textbox", { name: `Name of label ${name}`, exact: true }).fill(newName);
    if (color !== undefined) await this.page.getByLabel(`Colour of label ${name}`, { exact: true }).fill(color);
    await this.page.getByRole("button", { name: `Save label ${name}`, exact: true }).click();
  }

  labelColour(name) {
    return this.page.getByLabel(`Colour of label ${name}`, { exact: true }).inputValue();
  }

  async archiveLabel(name) {
    await this.page.getByRole("button", { name: `Archive ${name}`, exact: true }).click();
  }

  async restoreLabel(name) {
    await this.page.getByRole("button", { name: `Restore ${name}`, exact: true }).click();
  }

  /** Opens "Copy labels from…", chooses the source project by name and presses Copy. */
  async copyLabelsFrom(projectName) {
    if (!(await this.copyLabels.count())) await this.copyLabelsButton.click();
    await this.copySource.selectOption({ label: projectName });
    await this.copyLabels.getByRole("button", { name: "Copy", exact: true }).click();
  }

  // Members

  memberRow(email) {
    return this.members.getByRole("row").filter({ hasText: email });
  }

  roleSelect(memberName) {
    return this.members.getByLabel(`Role of ${memberName}`, { exact: true });
  }

  async memberRole(memberName) {
    return this.roleSelect(memberName).evaluate((el) => el.options[el.selectedIndex]?.text ?? "");
  }

  /** Invites an address with a role: an account joins at once, anyone else gets a link (see invitationLink). */
  async invite(email, role) {
    await this.inviteEmail.fill(email);
    await this.inviteForm.getByLabel("Role", { exact: true }).selectOption({ label: role });
    await this.inviteForm.getByRole("button", { name: "Invite", exact: true }).click();
  }

  inviteEmailMessage() {
    return describedBy(this.inviteEmail);
  }

  /** The one-time link the page shows after inviting an address without an account. */
  invitationNote(email) {
    return this.inviteForm.getByRole("group", { name: `Link for ${email}`, exact: true });
  }

  async invitationLink(email) {
    const field = this.invitationNote(email).getByLabel("Link", { exact: true });
    await field.waitFor();
    return field.inputValue();
  }

  pendingRow(email) {
    return this.pendingInvitations.getByRole("row").filter({ hasText: email });
  }

  async withdrawInvitation(email) {
    await this.page.getByRole("button", { name: `Withdraw the invitation of ${email}`, exact: true }).click();
  }
}
