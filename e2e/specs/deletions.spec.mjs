// Deleting cases for good: an owner ticks two cases on the images page and deletes them (a reason,
// the number of cases typed to confirm); the summary counts what went, the list and the record of
// deleted cases follow, the server no longer knows the case nor serves its image, and a reader who
// had one of them open is told at once. A reader is offered no delete controls. On a case page the
// owner deletes the last case and lands on the images page with the summary.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText, expectUrl } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Delia Owner", email: `delia.${run}@example.org`, password: "granite orchard lantern 4" };
const reader = { name: "Rafe Reader", email: `rafe.${run}@example.org`, password: "saffron beacon tundra 7" };

/** A small grey image; `phase` makes each one different. */
function png(phase) {
  const w = 64;
  const h = 64;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(127 + 100 * Math.sin((i % w) / 4 + phase) * Math.cos(Math.floor(i / w) / 6))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** GraphQL from the page, answering the whole body (errors with their codes) rather than throwing. */
async function gqlRaw(page, query, variables = {}) {
  return page.evaluate(
    async ({ query, variables }) => {
      const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return res.json();
    },
    { query, variables },
  );
}

/** The HTTP status of a WADO-RS retrieval of one instance, from the page (its session cookie goes with it). */
async function instanceStatus(page, projectId, c) {
  return page.evaluate(
    async (url) => (await fetch(url, { headers: { accept: 'multipart/related; type="application/dicom"' } })).status,
    `/dicomweb/projects/${projectId}/studies/${c.studyInstanceUid}/series/${c.seriesInstanceUid}/instances/${c.sopInstanceUid}`,
  );
}

const SAVE_DRAFT = "mutation($c: ID!, $i: AnnotationInput!) { saveDraft(caseId: $c, input: $i) { id status } }";

describe("deleting cases: those who may delete data delete cases for good", { timeout: 240_000 }, () => {
  let o;
  let r;
  let projectId;
  let labelId;
  /** The project's cases by key: id and image UIDs. */
  const cases = new Map();
  const doomed = ["delete-1", "delete-2"];
  /** The reader's case page, open on delete-1 before it is deleted. */
  let readerView;

  before(async () => {
    o = await openBrowser("delia");
    r = await openBrowser("rafe");
  });
  after(async () => {
    for (const x of [o, r]) for (const p of x?.problems ?? []) console.log(`[${x.who}] ${p}`);
    await o?.close();
    await r?.close();
  });

  it("delete: an owner makes a project of 3 cases and a reader, who saves a draft of one", async () => {
    for (const [x, user] of [[r, reader], [o, owner]]) {
      await new SignUpPage(x.page).goto();
      await new SignUpPage(x.page).signUp(user);
    }
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Deletions ${run}` });
    labelId = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "CLASSIFICATION", name: "Effusion", color: "#e6194b" } })).createLabel.id;
    await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: reader.email, role: "ANNOTATOR" } });
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([1, 2, 3].map((k) => ({ name: `delete-${k}.png`, mimeType: "image/png", buffer: png(k) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "3 stored, 0 refused");

    const stored = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key studyInstanceUid seriesInstanceUid sopInstanceUid } } } }", { p: projectId });
    for (const { node } of stored.cases.edges) cases.set(node.key, node);
    assert.deepEqual([...cases.keys()].sort(), ["delete-1", "delete-2", "delete-3"]);
    for (const c of cases.values()) assert.ok(c.sopInstanceUid, `${c.key} has its image's UIDs`);
    assert.equal(await instanceStatus(o.page, projectId, cases.get("delete-1")), 200, "the image is served before the deletion");

    await r.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const draft = await gql(r.page, SAVE_DRAFT, { c: cases.get("delete-1").id, i: { labels: [{ labelId, value: true }] } });
    assert.equal(draft.saveDraft.status, "DRAFT");
  });

  it("delete: a reader (annotator) is offered no delete controls, and the server refuses them a deletion", async () => {
    const page = r.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    await expectText(table, "delete-3");
    assert.equal(await page.getByRole("button", { name: "Delete ticked cases…" }).count(), 0);
    assert.equal(await table.getByRole("checkbox").count(), 0, "no cases to tick");
    assert.equal(await page.getByTestId("deleted-cases").count(), 0, "no record of deleted cases");
    const refused = await gqlRaw(page, "mutation($p: ID!, $c: [ID!]!) { deleteCases(projectId: $p, caseIds: $c, reason: WRONG_UPLOAD) { cases } }", {
      p: projectId,
      c: [cases.get("delete-3").id],
    });
    // As for any action a member may not take: the project is "not found" to them, and nothing is deleted.
    assert.equal(refused.errors?.[0]?.extensions?.code, "NOT_FOUND", JSON.stringify(refused));
    assert.equal((await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { totalCount } }", { p: projectId })).cases.totalCount, 3);

    // The reader opens delete-1 (their draft) and stays there while the owner deletes it.
    readerView = new CaseReadPage(page);
    await readerView.goto(projectId, cases.get("delete-1").id);
    assert.equal((await readerView.settled()).state, "loaded");
    await eventually(async () => assert.equal(await readerView.submitButton.isDisabled(), false, "the reader may submit their draft"));
    assert.equal(await page.getByTestId("delete-case").count(), 0, "no Delete case… on the case page");
    assert.equal(await page.getByTestId("case-deleted").count(), 0);
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => (window.__deletionsMark = "same page"));
  });

  it("delete: the owner ticks two cases and deletes them for good; the summary counts what went, the list and the record of deleted cases follow", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    await expectText(table, "delete-3");
    const open = page.getByRole("button", { name: "Delete ticked cases…" });
    assert.equal(await open.isDisabled(), true, "nothing ticked yet");
    for (const key of doomed) await table.getByRole("checkbox", { name: `Select case ${key}`, exact: true }).check();
    await open.click();

    const form = page.getByRole("form", { name: "Delete 2 cases" });
    await expectText(form.getByTestId("delete-cases-keys"), "Cases: delete-1 and delete-2");
    await expectText(form.getByTestId("deletion-warning"), "This cannot be undone.");
    await expectText(form.getByTestId("deletion-warning"), "every reader's readings");
    await expectText(form.getByTestId("deletion-warning"), "earlier exports are removed");
    await expectText(form.getByTestId("deletion-warning"), "the ledger records each deletion with the case's id and the reason");
    const go = form.getByRole("button", { name: "Delete 2 cases", exact: true });
    assert.equal(await go.isDisabled(), true, "no reason, nothing typed");
    const reason = form.getByLabel("Why are they deleted?");
    await reason.selectOption({ label: "Other" });
    await expectText(form, "Another reason: say which in the note.");
    await form.getByLabel("Type 2 to confirm").fill("2");
    assert.equal(await go.isDisabled(), true, "Other needs a note");
    await reason.selectOption("CONSENT_WITHDRAWN");
    await expectText(form, "The subject withdrew their consent to the data's use.");
    await form.getByLabel("Type 2 to confirm").fill("3");
    assert.equal(await go.isDisabled(), true, "the wrong number typed");
    await form.getByLabel("Type 2 to confirm").fill("2");
    await eventually(async () => assert.equal(await go.isDisabled(), false, "reason and count given"));
    await screenshot(page, "80-delete-cases-form");
    await go.click();

    await expectText(page.getByTestId("deletion-status"), "Deleted 2 cases, 2 images and 1 reading.");
    assert.equal(await form.count(), 0, "the form closes");
    await eventually(async () => assert.deepEqual(await table.locator("tbody tr td:first-child").allInnerTexts(), ["delete-3"]));
    await expectText(page.getByRole("heading", { name: /^Cases/ }), "(1)");
    assert.equal(await table.getByRole("checkbox", { name: "Select case delete-3", exact: true }).isChecked(), false, "the ticks went");
    assert.equal(await open.isDisabled(), true, "nothing ticked any more");

    // The record of deleted cases: both, with the reason and what went with each.
    const section = page.getByTestId("deleted-cases");
    await section.locator("summary").click();
    const record = section.getByRole("table", { name: "Deleted cases" });
    await eventually(async () => assert.deepEqual((await record.locator("tbody th").allInnerTexts()).sort(), doomed));
    const headers = await record.locator("thead th").allInnerTexts();
    const cell = async (key, column) => (await record.locator("tr", { hasText: key }).locator("th, td").nth(headers.indexOf(column)).innerText()).trim();
    for (const key of doomed) {
      assert.equal(await cell(key, "Reason"), "Consent withdrawn", key);
      assert.equal(await cell(key, "Images"), "1", key);
      assert.equal(await cell(key, "Files left"), "0", key);
      assert.equal(await cell(key, "By"), owner.name, key);
    }
    assert.equal(await cell("delete-1", "Readings"), "1", "the reader's draft");
    assert.equal(await cell("delete-2", "Readings"), "0");
    await screenshot(page, "81-deleted-cases");
  });

  it("delete: the reader's open case page says the case was deleted, without a reload; the server knows it no more and serves its image no more", async () => {
    const page = r.page;
    const note = page.getByTestId("case-deleted");
    await expectText(note, "This case was deleted", { timeout: 15_000 });
    assert.equal(await note.getAttribute("role"), "alert");
    assert.equal(await page.evaluate(() => window.__deletionsMark), "same page", "not reloaded");
    await eventually(async () => assert.equal(await readerView.submitButton.isDisabled(), true, "Submit disabled on a deleted case"));
    assert.equal(await page.locator(`[data-label-id="${labelId}"]`).getByRole("checkbox").isDisabled(), true, "labels read-only");
    assert.equal(await page.getByRole("button", { name: "Skip this case…" }).count(), 0, "no Skip on a deleted case");
    await screenshot(page, "82-case-deleted-reader");

    const saved = await gqlRaw(page, SAVE_DRAFT, { c: cases.get("delete-1").id, i: { labels: [{ labelId, value: false }] } });
    assert.equal(saved.errors?.[0]?.extensions?.code, "NOT_FOUND", JSON.stringify(saved));
    for (const key of doomed) assert.equal(await instanceStatus(o.page, projectId, cases.get(key)), 404, `${key}'s image is not served`);
    assert.equal(await instanceStatus(o.page, projectId, cases.get("delete-3")), 200, "the case left is served");
  });

  it("delete: on a case page the owner deletes the last case and lands on the images page, which says what went", async () => {
    const page = o.page;
    const view = new CaseReadPage(page);
    const last = cases.get("delete-3");
    await view.goto(projectId, last.id);
    assert.equal((await view.settled()).state, "loaded");
    await page.getByTestId("delete-case").getByRole("button", { name: "Delete case…" }).click();
    const form = page.getByRole("form", { name: "Delete case delete-3" });
    const go = form.getByRole("button", { name: "Delete case", exact: true });
    await form.getByLabel("Why is it deleted?").selectOption("WRONG_UPLOAD");
    await form.getByRole("textbox", { name: /^Note/ }).fill("belongs to another study");
    assert.equal(await go.isDisabled(), true, "nothing typed");
    await form.getByLabel("Type 1 to confirm").fill("1");
    await go.click();

    // The case's DELETED event may reach the page before the answer: the form waits for it all the same.
    await expectUrl(page, new RegExp(`/projects/${projectId}/data$`));
    await expectText(page.getByTestId("deletion-status"), "Deleted 1 case, 1 image and 0 readings.");
    await expectText(page.getByRole("region", { name: /^Cases/ }).getByText("No cases yet."), "No cases yet.");
    const section = page.getByTestId("deleted-cases");
    await section.locator("summary").click();
    const row = section.getByRole("table", { name: "Deleted cases" }).locator("tr", { hasText: "delete-3" });
    await expectText(row, "Wrong upload");
    await expectText(row, "belongs to another study");
  });
});
