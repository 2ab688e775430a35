// Assigned reading: an owner has readers read only the cases assigned to them, assigns two cases
// to one reader on the images page and distributes the rest evenly; each reader's list and queue
// hold their own cases, a reading of another reader's case is refused, and the progress page counts
// the assignments.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Odile Owner", email: `odile.${run}@example.org`, password: "harbour quartz meadow 3" };
const readerA = { name: "Amara Reader", email: `amara.${run}@example.org`, password: "pebble violin canyon 8" };
const readerB = { name: "Bruno Reader", email: `bruno.${run}@example.org`, password: "thistle copper sonnet 2" };

/** A small grey image; `phase` makes each one different. */
function png(phase) {
  const w = 64;
  const h = 64;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(127 + 100 * Math.sin((i % w) / 5 + phase) * Math.cos(Math.floor(i / w) / 7))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Each case's key and the ids of the readers assigned to it, as the server stores them (the owner follows progress). */
async function storedAssignments(page, projectId) {
  const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 50) { edges { node { id key assignedReaders { readerId } } } } }", { p: projectId });
  return cases.edges.map((e) => ({ id: e.node.id, key: e.node.key, readers: e.node.assignedReaders.map((r) => r.readerId).sort() }));
}

const keysOf = (cases) => cases.map((c) => c.key).sort();

describe("assigned reading: managers assign cases, readers read only theirs", { timeout: 180_000 }, () => {
  let o;
  let a;
  let b;
  let projectId;
  const ids = {};
  /** The cases as the server assigned them, filled as the test goes. */
  let casesOfA;
  let casesOfB;

  before(async () => {
    o = await openBrowser("odile");
    a = await openBrowser("amara");
    b = await openBrowser("bruno");
  });
  after(async () => {
    for (const x of [o, a, b]) for (const p of x?.problems ?? []) console.log(`[${x.who}] ${p}`);
    await o?.close();
    await a?.close();
    await b?.close();
  });

  it("assign: an owner makes a project of 4 cases and 2 readers and turns on assigned reading in the settings", async () => {
    for (const [x, user] of [[a, readerA], [b, readerB], [o, owner]]) {
      await new SignUpPage(x.page).goto();
      await new SignUpPage(x.page).signUp(user);
    }
    ids.a = (await gql(a.page, "{ me { id } }")).me.id;
    ids.b = (await gql(b.page, "{ me { id } }")).me.id;
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Assignments ${run}` });
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", { id: projectId, input: { readersPerCase: 1 } });
    for (const user of [readerA, readerB]) {
      await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: user.email, role: "ANNOTATOR" } });
    }
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([1, 2, 3, 4].map((k) => ({ name: `assign-${k}.png`, mimeType: "image/png", buffer: png(k) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "4 stored, 0 refused");

    const settings = new ProjectSettingsPage(o.page);
    await settings.goto(projectId);
    assert.equal(await settings.assignedReading.isChecked(), false, "off in a new project");
    await settings.changeSettings({ assignedReading: true });
    await expectText(settings.settingsStatus, "Settings saved.");
    const { project } = await gql(o.page, "query($id: ID!) { project(id: $id) { assignedReading readersPerCase } }", { id: projectId });
    assert.deepEqual(project, { assignedReading: true, readersPerCase: 1 });
  });

  it("assign: the owner assigns two ticked cases to one reader, and the progress page links to the cases still without one", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    const panel = page.getByRole("region", { name: "Assignments", exact: true });
    const status = panel.getByRole("status");
    const assign = panel.getByRole("button", { name: "Assign selected cases", exact: true });
    await expectText(table, "assign-4");
    assert.equal(await assign.isDisabled(), true, "nothing ticked, no reader chosen");

    const chosen = ["assign-2", "assign-3"];
    for (const key of chosen) await table.getByRole("checkbox", { name: `Select case ${key}`, exact: true }).check();
    await panel.getByRole("checkbox", { name: readerA.name }).check();
    await expectText(panel.getByTestId("assignment-choice"), "2 cases selected, 1 reader chosen.");
    await assign.click();
    await expectText(status, "Assigned 2 cases to 1 reader.");
    await screenshot(page, "70-assignments-assigned");

    const stored = await storedAssignments(page, projectId);
    assert.deepEqual(keysOf(stored.filter((c) => c.readers.length)), chosen, "only the ticked cases are assigned");
    for (const c of stored.filter((x) => x.readers.length)) assert.deepEqual(c.readers, [ids.a]);
    // The list refetched: the Assigned column names the reader on exactly those rows.
    await eventually(async () => {
      const named = [];
      for (const c of stored) if ((await table.locator("tr", { hasText: c.key }).locator(".assigned-readers").innerText()).includes(readerA.name)) named.push(c.key);
      assert.deepEqual(named.sort(), chosen);
    });

    // Assigning again changes nothing, and says so.
    await assign.click();
    await expectText(status, "Nothing new: the 2 cases already were assigned to that reader.");

    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    await expectText(page.getByTestId("under-assigned-cases"), "2 cases need more readers assigned");
    await page.getByTestId("under-assigned-link").click();
    await page.waitForURL(/\/data\?assigned=under$/);
    await eventually(async () => assert.deepEqual((await page.getByRole("table", { name: "Cases" }).locator("tbody tr td:first-child").allInnerTexts()).sort(), ["assign-1", "assign-4"]));
    assert.equal(await page.getByLabel("Assigned readers").inputValue(), "under");
  });

  it("assign: distributing the rest evenly gives them to the other reader, whose open list follows live", async () => {
    // The other reader is on the images page, showing their assigned cases: none yet.
    await b.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await expectText(b.page.getByRole("table", { name: "Cases" }), "assign-4");
    await b.page.getByLabel("Your reading").selectOption("ASSIGNED");
    await expectText(b.page.locator(".empty"), "No case matches.");

    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const panel = page.getByRole("region", { name: "Assignments", exact: true });
    await expectText(page.getByRole("table", { name: "Cases" }), "assign-4");
    await panel.getByRole("checkbox", { name: readerA.name }).check();
    await panel.getByRole("checkbox", { name: readerB.name }).check();
    assert.equal(await panel.getByLabel("Readers per case").inputValue(), "1", "the project's readers per case");
    await panel.getByRole("button", { name: "Distribute all cases evenly" }).click();
    await expectText(panel.getByRole("status"), "Made 2 assignments over 2 cases.");

    // Every case has one reader; the reader who had two already gets none of the rest.
    const stored = await storedAssignments(page, projectId);
    assert.deepEqual(stored.map((c) => c.readers.length), [1, 1, 1, 1], JSON.stringify(stored));
    casesOfA = stored.filter((c) => c.readers[0] === ids.a);
    casesOfB = stored.filter((c) => c.readers[0] === ids.b);
    assert.deepEqual(keysOf(casesOfA), ["assign-2", "assign-3"]);
    assert.deepEqual(keysOf(casesOfB), ["assign-1", "assign-4"]);
    await screenshot(page, "71-assignments-distributed");
    // Without a reload: the ASSIGNED event refetches the reader's list.
    await eventually(async () =>
      assert.deepEqual((await b.page.getByRole("table", { name: "Cases" }).locator("tbody tr td:first-child").allInnerTexts()).sort(), keysOf(casesOfB)),
    );
  });

  it("assign: a reader's list shows the cases assigned to them, and Start reading opens one of them", async () => {
    const page = a.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    await expectText(table, "assign-4");
    // Readers do not see who else is assigned, nor the managers' panel.
    assert.equal(await page.getByRole("region", { name: "Assignments", exact: true }).count(), 0);
    assert.equal(await table.locator(".assigned-readers").count(), 0);
    await page.getByLabel("Your reading").selectOption("ASSIGNED");
    await eventually(async () => assert.deepEqual((await table.locator("tbody tr td:first-child").allInnerTexts()).sort(), keysOf(casesOfA)));
    assert.deepEqual(await table.locator("[data-my-reading]").allInnerTexts(), ["Assigned", "Assigned"]);

    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const opened = page.url().split("/").pop();
    assert.ok(casesOfA.some((c) => c.id === opened), `${opened} is not one of ${JSON.stringify(casesOfA)}`);
  });

  it("assign: another reader may look at a case assigned to someone else but not read it: the page says so, and the server refuses a submission", async () => {
    const page = b.page;
    const viewer = new CaseReadPage(page);
    const theirs = casesOfA[0];
    await viewer.goto(projectId, theirs.id);
    assert.equal((await viewer.settled()).state, "loaded");
    await expectText(page.getByTestId("case-not-assigned"), "This case is not assigned to you");
    assert.equal(await viewer.submitButton.isDisabled(), true);
    // Submitting anyway (a script, a stale page) is refused with the same reason; nothing is stored.
    await assert.rejects(gql(page, "mutation($c: ID!) { submitAnnotation(caseId: $c, input: {}) { status } }", { c: theirs.id }), /This case is not assigned to you/);
    const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { status } }", { c: theirs.id });
    assert.notEqual(myAnnotation?.status, "SUBMITTED", "nothing was submitted");
    await screenshot(page, "72-assignments-refused");

    // A case of their own reads as usual.
    await viewer.goto(projectId, casesOfB[0].id);
    assert.equal((await viewer.settled()).state, "loaded");
    await eventually(async () => assert.equal(await viewer.submitButton.isDisabled(), false));
    assert.equal(await page.getByTestId("case-not-assigned").count(), 0);
  });

  it("assign: the progress page counts each reader's assigned cases and those left", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const table = page.getByRole("table", { name: "Reader progress" });
    await expectText(table, readerB.name);
    const headers = await table.locator("thead th").allInnerTexts();
    const cell = async (name, column) => (await table.locator("tr", { hasText: name }).locator("th, td").nth(headers.indexOf(column)).innerText()).trim();
    for (const [user, cases] of [[readerA, casesOfA], [readerB, casesOfB]]) {
      assert.equal(await cell(user.name, "Assigned"), String(cases.length), user.name);
      assert.equal(await cell(user.name, "Assigned, left"), String(cases.length), `${user.name}: none submitted yet`);
    }
    assert.equal(await cell(owner.name, "Assigned"), "0");
    assert.equal(await page.getByTestId("under-assigned-cases").count(), 0, "every case has its reader");
    await screenshot(page, "73-assignments-progress");
  });

  it("assign: a CSV of assignments adds the rows that name a case and a reader, and lists the others", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const panel = page.getByRole("region", { name: "Assignments", exact: true });
    const [first] = keysOf(casesOfB);
    const csv = `case,reader\n${first},${readerA.email}\nno-such-case,${readerA.email}\n${first},${readerB.email}\n`;
    await panel.getByLabel("Import assignments (CSV)").setInputFiles({ name: "assignments.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expectText(panel.getByRole("status"), "Imported 1 assignment; 1 already was; 1 row left out.");
    const leftOut = await panel.getByRole("list", { name: "Rows left out" }).getByRole("listitem").allInnerTexts();
    assert.equal(leftOut.length, 1, JSON.stringify(leftOut));
    assert.match(leftOut[0], /no-such-case/);
    const stored = await storedAssignments(page, projectId);
    assert.deepEqual(stored.find((c) => c.key === first).readers, [ids.a, ids.b].sort());
    // The list refetched: both readers show on that case.
    const cell = page.getByRole("table", { name: "Cases" }).locator("tr", { hasText: first }).locator(".assigned-readers");
    await expectText(cell, readerA.name);
    await expectText(cell, readerB.name);
  });
});
