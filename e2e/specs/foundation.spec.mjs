// Foundation: two people in two browsers. A signs up, creates a project, defines labels and
// settings, and invites B, who has an account, as annotator by e-mail (B joins at once); B then
// sees the project but not its settings. Finally A promotes B, and B's open page follows live over
// graphql-ws.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppHeader, LogInPage, SignUpPage } from "../pages/AuthPages.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { NO_ACCESS, ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectChecked, expectCount, expectText, expectTexts, expectUrl, expectValue, expectVisible } from "../support/expect.mjs";

const run = Date.now().toString(36);
const alice = { name: "Alice Moreau", email: `alice.${run}@example.org`, password: "amber lantern quietly 42" };
const bob = { name: "Bob Okafor", email: `bob.${run}@example.org`, password: "granite meadow sparrow 7" };
const projectName = `Chest CT triage ${run}`;

describe("foundation: accounts, projects, labels, members, access", { timeout: 240_000 }, () => {
  let a; // Alice's browser
  let b; // Bob's browser
  let projectId;

  before(async () => {
    a = await openBrowser("alice");
    b = await openBrowser("bob");
  });

  after(async () => {
    // Not a failure by itself (a refused sign-up is expected), but worth seeing in the log.
    for (const browser of [a, b]) for (const problem of browser?.problems ?? []) console.log(`[${browser.who}] ${problem}`);
    await a?.close();
    await b?.close();
  });

  /** A step that leaves screenshots of both browsers behind when it fails. */
  function step(name, fn) {
    it(name, { timeout: 60_000 }, async () => {
      try {
        await fn();
      } catch (error) {
        const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60);
        await screenshot(a.page, `failed-${slug}-alice`).catch(() => {});
        await screenshot(b.page, `failed-${slug}-bob`).catch(() => {});
        const problems = [...a.problems.map((p) => `alice ${p}`), ...b.problems.map((p) => `bob ${p}`)];
        if (problems.length) error.message += `\nBrowser console:\n  ${problems.join("\n  ")}`;
        throw error;
      }
    });
  }

  step("a visitor is sent to log in, and a weak password is refused beside its field", async () => {
    await a.page.goto(`${baseUrl()}/projects`);
    await expectUrl(a.page, /^\/login$/);
    await new LogInPage(a.page).email.waitFor();

    const signUp = new SignUpPage(a.page);
    await signUp.goto();
    await screenshot(a.page, "01-sign-up");
    await signUp.attempt({ ...alice, password: "short" });
    await eventually(async () => assert.match(await signUp.messageFor("password"), /must be at least 10 characters/));
    await expectUrl(a.page, /^\/signup$/);
    await screenshot(a.page, "02-sign-up-field-error");
  });

  step("A signs up and lands on an empty project list with her name in the header", async () => {
    const signUp = new SignUpPage(a.page);
    await signUp.signUp(alice);
    await expectText(new AppHeader(a.page).userName, alice.name);
    await expectVisible(new ProjectListPage(a.page).emptyNote);
  });

  step("A creates a project and is its owner", async () => {
    const list = new ProjectListPage(a.page);
    projectId = await list.createProject({ name: projectName, description: "Triage of incidental findings", mode: "Standard" });
    const settings = new ProjectSettingsPage(a.page);
    await expectText(settings.heading, projectName);
    await expectValue(settings.projectName, projectName);

    await list.goto();
    await expectText(list.item(projectName), "Owner");
    await expectCount(list.settingsLink(projectName), 1);
    await screenshot(a.page, "03-project-list-owner");
  });

  step("A defines a classification label and ROI classes, reorders, recolours and archives them", async () => {
    const settings = new ProjectSettingsPage(a.page);
    await settings.goto(projectId);
    await settings.addLabelAndWait({ name: "Pneumonia", kind: "Classification label" });
    await settings.addLabelAndWait({ name: "Nodule", kind: "ROI class", shape: "Freehand" });
    await settings.addLabelAndWait({ name: "Effusion", kind: "ROI class", shape: "Rectangle" });
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Pneumonia", "Nodule", "Effusion"]));
    await expectText(settings.labelRow("Pneumonia"), "Classification label");
    await expectText(settings.labelRow("Nodule"), "ROI class · Freehand");
    await expectText(settings.labelRow("Effusion"), "ROI class · Rectangle");

    // The server refuses a duplicate name; its message appears beside the name field.
    await settings.addLabel({ name: "Nodule", kind: "ROI class", shape: "Rectangle" });
    await eventually(async () => assert.match(await settings.newLabelMessage(), /A label named "Nodule" already exists/));
    await screenshot(a.page, "04-label-name-conflict");

    await settings.moveLabel("Effusion", "up");
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Pneumonia", "Effusion", "Nodule"]));
    await settings.editLabel("Pneumonia", { newName: "Consolidation", color: "#12ab34" });
    await expectText(settings.labelRow("Consolidation"), "Saved");

    await settings.archiveLabel("Nodule");
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Consolidation", "Effusion"]));
    await eventually(async () => assert.deepEqual(await settings.archivedLabelNames(), ["Nodule"]));
    await settings.restoreLabel("Nodule");
    await eventually(async () => assert.deepEqual(await settings.archivedLabelNames(), []));

    // What the server stored, not what the page remembers.
    await a.page.reload();
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Consolidation", "Effusion", "Nodule"]));
    assert.equal(await settings.labelColour("Consolidation"), "#12ab34");
    await expectText(settings.labelRow("Nodule"), "ROI class · Freehand");
  });

  step("A changes the project's settings and they persist", async () => {
    const settings = new ProjectSettingsPage(a.page);
    await expectChecked(settings.blindReading, true);
    await expectValue(settings.readersPerCase, "3");
    await settings.changeSettings({ mode: "Review", readersPerCase: 2, blindReading: false });
    await expectText(settings.settingsStatus, "Settings saved.");

    await a.page.reload();
    await expectValue(settings.readersPerCase, "2");
    await expectChecked(settings.blindReading, false);
    assert.equal(await settings.selectedMode(), "Review");
  });

  step("B signs up in a second browser and has no projects", async () => {
    const signUp = new SignUpPage(b.page);
    await signUp.goto();
    await signUp.signUp(bob);
    await expectText(new AppHeader(b.page).userName, bob.name);
    const list = new ProjectListPage(b.page);
    await expectVisible(list.emptyNote);
    await expectCount(list.item(projectName), 0);
  });

  step("A invites B by e-mail: B's account joins as annotator at once; a malformed address is refused beside the field", async () => {
    const settings = new ProjectSettingsPage(a.page);
    await settings.invite(`nobody.${run}`, "Annotator");
    await eventually(async () => assert.match(await settings.inviteEmailMessage(), /is not a valid e-mail address/));

    await settings.invite(bob.email, "Annotator");
    await expectText(settings.inviteForm.getByRole("status"), `${bob.name} is now annotator.`);
    // An account is added, not invited: no link, nothing pending.
    await expectCount(settings.invitationNote(bob.email), 0);
    await expectCount(settings.pendingInvitations, 0);
    await expectText(settings.memberRow(bob.email), bob.name);
    await eventually(async () => assert.equal(await settings.memberRole(bob.name), "Annotator"));
    await eventually(async () => assert.equal(await settings.memberRole(alice.name), "Owner"));
    await screenshot(a.page, "05-settings-owner");
  });

  step("B sees the project appear in the list live, as annotator, without a settings link", async () => {
    const list = new ProjectListPage(b.page);
    // No reload: B's open list hears the grant (myMembershipEvents) and refetches.
    await expectText(list.item(projectName), "Annotator");
    await expectText(list.item(projectName), "Review");
    await expectCount(list.settingsLink(projectName), 0);
    await expectCount(list.allSettingsLinks(), 0);
    await screenshot(b.page, "06-project-list-annotator");
  });

  step("B opening the settings URL directly sees the no-access message and no settings form", async () => {
    const settings = new ProjectSettingsPage(b.page);
    await settings.goto(projectId);
    await expectVisible(settings.noAccess);
    await expectText(settings.heading, projectName);
    await expectCount(settings.general, 0);
    await expectCount(b.page.getByRole("form"), 0);
    await expectCount(b.page.getByRole("button", { name: "Save settings" }), 0);
    await expectCount(settings.members, 0);
    await expectCount(b.page.getByText(bob.email), 0);
    await screenshot(b.page, "07-settings-no-access");
  });

  step("when A makes B a manager, B's open page turns into the settings live, and A's new label appears", async () => {
    const mine = new ProjectSettingsPage(a.page);
    const theirs = new ProjectSettingsPage(b.page);
    await expectVisible(theirs.noAccess);

    await mine.roleSelect(bob.name).selectOption({ label: "Manager" });
    await eventually(async () => assert.equal(await mine.memberRole(bob.name), "Manager"));

    // No reload on B's side: the MEMBERS_CHANGED event refetches B's permissions.
    await expectVisible(theirs.general, { timeout: 15_000 });
    await expectCount(b.page.getByText(NO_ACCESS), 0);
    await expectValue(theirs.readersPerCase, "2");
    await eventually(async () => assert.deepEqual(await theirs.labelNames(), ["Consolidation", "Effusion", "Nodule"]));

    await mine.addLabelAndWait({ name: "Atelectasis", kind: "Classification label" });
    await eventually(async () => assert.deepEqual(await theirs.labelNames(), ["Consolidation", "Effusion", "Nodule", "Atelectasis"]), { timeout: 15_000 });
    await screenshot(b.page, "08-settings-manager-live");
  });

  step("B logs out, is asked to log in for the settings page, and returns to it after logging in", async () => {
    const header = new AppHeader(b.page);
    await header.logOut();
    await expectCount(header.userName, 0);
    await b.page.goto(`${baseUrl()}/projects/${projectId}/settings`);
    await expectUrl(b.page, /^\/login$/);
    await expectTexts(b.page.getByRole("heading", { level: 1 }), ["Log in"]);

    const logIn = new LogInPage(b.page);
    await logIn.logIn({ email: bob.email, password: "not the right one" });
    await expectText(logIn.error, "E-mail or password is incorrect");
    await screenshot(b.page, "09-log-in-error");
    await logIn.logIn(bob);
    await expectUrl(b.page, /^\/projects\/[0-9a-f-]+\/settings$/);
    await expectText(header.userName, bob.name);
    await expectVisible(new ProjectSettingsPage(b.page).general);
  });

  step("A archives the project: it turns read-only and leaves the list until archived projects are shown", async () => {
    const settings = new ProjectSettingsPage(a.page);
    await settings.goto(projectId);
    await settings.archiveButton.click();
    await expectVisible(settings.archivedNotice);
    await expectVisible(settings.unarchiveButton);
    await eventually(async () => assert.equal(await settings.projectName.isDisabled(), true));
    await expectCount(settings.newLabel, 0);

    const list = new ProjectListPage(a.page);
    await list.goto();
    await expectVisible(list.emptyNote);
    await expectCount(list.item(projectName), 0);
    await list.showArchived.check();
    await expectVisible(list.item(projectName).getByText("Archived", { exact: true }));
    await screenshot(a.page, "10-project-list-archived");

    await list.settingsLink(projectName).click();
    await settings.unarchiveButton.click();
    await expectVisible(settings.archiveButton);
    await expectCount(settings.archivedNotice, 0);
    await eventually(async () => assert.equal(await settings.projectName.isDisabled(), false));
  });

  step("A revokes B's membership: B no longer sees the project or its settings", async () => {
    const settings = new ProjectSettingsPage(a.page);
    await a.page.getByRole("button", { name: `Remove ${bob.name}`, exact: true }).click();
    await expectCount(settings.memberRow(bob.email), 0);
    await expectCount(settings.memberRow(alice.email), 1);

    const list = new ProjectListPage(b.page);
    await list.goto();
    await expectVisible(list.emptyNote);
    await expectCount(list.item(projectName), 0);
    await b.page.goto(`${baseUrl()}/projects/${projectId}/settings`);
    await expectText(b.page.getByRole("alert"), "This project does not exist, or you are not a member of it.");
    await expectCount(new ProjectSettingsPage(b.page).general, 0);
  });
});
