// Review: two readers disagree on one case; the owner opens the project's review page, sees the
// agreement table, the discrepancy and the heatmap, decides the case with a note and comments on
// it; the discrepancy leaves the "undecided" list and the heatmap cell shows the decision. An
// annotator is told the page is not for them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectCount, expectText, expectUrl } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Rosa Reviewer", email: `rosa.${run}@example.org`, password: "velvet harbour pine 5" };
const reader = { name: "Ari Annotator", email: `ari.${run}@example.org`, password: "copper meadow fern 8" };

function png(seed) {
  const w = 32;
  const h = 24;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => (i * (seed + 3)) % 251));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

const SUBMIT = "mutation($c: ID!, $i: AnnotationInput!) { submitAnnotation(caseId: $c, input: $i) { id } }";

describe("review: discrepancies decided in the browser", { timeout: 180_000 }, () => {
  let o;
  let r;
  let projectId;

  before(async () => {
    o = await openBrowser("rosa");
    r = await openBrowser("ari");
  });
  after(async () => {
    for (const b of [o, r]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await o?.close();
    await r?.close();
  });

  it("the owner decides a split case, comments on it, and the page follows", async () => {
    await new SignUpPage(r.page).goto();
    await new SignUpPage(r.page).signUp(reader);
    const signUp = new SignUpPage(o.page);
    await signUp.goto();
    await signUp.signUp(owner);
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Review ${run}` });
    const label = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "CLASSIFICATION", name: "Effusion", color: "#e6194b" } })).createLabel.id;
    await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: reader.email, role: "ANNOTATOR" } });
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles(["rv-1", "rv-2"].map((k, i) => ({ name: `${k}.png`, mimeType: "image/png", buffer: png(i) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "2 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: projectId });
    const id = Object.fromEntries(cases.edges.map((e) => [e.node.key, e.node.id]));
    // rv-1: both say yes; rv-2: the owner says no, the reader yes.
    await r.page.goto(`${baseUrl()}/projects`);
    for (const [key, mine, theirs] of [["rv-1", true, true], ["rv-2", false, true]]) {
      await gql(o.page, SUBMIT, { c: id[key], i: { labels: [{ labelId: label, value: mine, confidence: 80 }], rois: [] } });
      await gql(r.page, SUBMIT, { c: id[key], i: { labels: [{ labelId: label, value: theirs, confidence: 60 }], rois: [] } });
    }

    const page = o.page;
    // The review page is linked from the project's images page.
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByRole("link", { name: "Review", exact: true }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/review$`));
    const agreement = page.getByRole("table", { name: "Agreement per label" });
    // 2 cells, 1 all yes, 0 all no, 1 mixed; unanimity 50 %.
    await expectText(agreement.getByRole("row", { name: /Effusion/ }), /Effusion 2 1 \/ 0 \/ 1 50%/);
    // Each reader's reliability, as Dawid–Skene estimates it, per label.
    const reliability = page.getByRole("table", { name: "Reader reliability" });
    await expectText(reliability, reader.name);
    assert.equal(await reliability.locator("tbody tr").count(), 2);
    const discrepancies = page.getByRole("region", { name: /Discrepancies/ });
    await expectText(discrepancies, "rv-2 · Effusion · 1/2 yes");
    const heatmap = page.getByRole("table", { name: "Votes per case and label" });
    await expectText(heatmap.getByRole("button", { name: /^rv-1, Effusion/ }), "2/2");

    await discrepancies.getByRole("button", { name: /rv-2 · Effusion/ }).click();
    const decide = page.getByRole("region", { name: "Decide" });
    await expectText(decide, "majority tie");
    await expectText(decide, `${reader.name}: yes (60%)`);
    await decide.getByLabel("Note").fill("Blunted costophrenic angle on the left.");
    await decide.getByRole("button", { name: "Present", exact: true }).click();
    await expectText(decide, `decided yes by ${owner.name}`);
    await expectText(discrepancies, "No discrepancies left to decide.");
    await eventually(async () => assert.match((await heatmap.getByRole("button", { name: /^rv-2, Effusion/ }).getAttribute("class")) ?? "", /decided/));
    await expectText(heatmap.getByRole("button", { name: /^rv-2, Effusion/ }), "1/2");
    assert.match((await heatmap.getByRole("button", { name: /^rv-2, Effusion/ }).getAttribute("aria-label")) ?? "", /consensus yes$/);

    await decide.getByLabel("Comment").fill("Second opinion welcome.");
    await decide.getByRole("button", { name: "Comment", exact: true }).click();
    await expectText(decide.locator(".comments"), `${owner.name}`);
    await expectText(decide.locator(".comments"), "Second opinion welcome.");
    await screenshot(page, "70-review-decided");

    const { adjudicationHistory } = await gql(page, "query($c: ID!) { adjudicationHistory(caseId: $c) { version value note } }", { c: id["rv-2"] });
    assert.deepEqual(adjudicationHistory, [{ version: 1, value: true, note: "Blunted costophrenic angle on the left." }]);
  });

  it("two readers' landmarks: the points matched within 10 pixels, F1 and distance per point class", async () => {
    const page = o.page;
    const landmark = (await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "ROI", roiShape: "POINT", name: "Landmark", color: "#33ccff" } })).createLabel.id;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([{ name: "rv-3.png", mimeType: "image/png", buffer: png(7) }]);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10, filter: { keyContains: \"rv-3\" }) { edges { node { id } } } }", { p: projectId });
    const caseId = cases.edges[0].node.id;
    const points = (ps) => ps.map((p) => ({ classId: landmark, kind: "POINT", points: [p] }));
    // (5, 5) and (8, 9) are 5 px apart: a match; (20, 10) and (29, 2) are 12 px apart: neither finds a partner.
    await gql(page, SUBMIT, { c: caseId, i: { labels: [], rois: points([[5, 5], [20, 10]]) } });
    await gql(r.page, SUBMIT, { c: caseId, i: { labels: [], rois: points([[8, 9], [29, 2]]) } });

    await page.goto(`${baseUrl()}/projects/${projectId}/review`);
    const section = page.getByTestId("point-agreement");
    await section.locator("summary").click();
    await expectText(section, "within 10 image pixels");
    // One comparison (one image, one pair), 1 matched, 2 unmatched, F1 2 × 1 / 4.
    await expectText(section.getByRole("row", { name: /Landmark/ }), /Landmark 1 1 2 0\.50 5\.00 5\.00/);
    // The success detection rate's radii head their columns; a PNG has no spacing, so no pair is in mm.
    for (const mm of ["2", "2.5", "3", "4"]) {
      await expectText(section.getByRole("columnheader", { name: `Within ${mm} mm` }), `Within ${mm} mm`);
      await expectText(section.locator(`[data-stat="within-${mm}"]`), "–");
    }
    // At 15 pixels the far pair matches too: 2 matched, F1 1, distances 5 and 12.04.
    await section.getByLabel("Point tolerance in image pixels").fill("15");
    await section.getByLabel("Point tolerance in image pixels").press("Enter");
    await expectText(section, "within 15 image pixels");
    await expectText(section.getByRole("row", { name: /Landmark/ }), /Landmark 1 2 0 1\.00 8\.52 8\.52/);
    // Points are not areas: the point class has no row of region overlap.
    assert.equal(await page.getByRole("table", { name: "Region overlap" }).count(), 0);
    await screenshot(page, "71-review-points");
  });

  it("two readers' lines: matched by their midpoints, their lengths compared, with Bland–Altman figures per reader pair", async () => {
    const page = o.page;
    const width = (await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "ROI", roiShape: "LINE", name: "Width", color: "#ff66cc" } })).createLabel.id;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([{ name: "rv-4.png", mimeType: "image/png", buffer: png(11) }]);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10, filter: { keyContains: \"rv-4\" }) { edges { node { id } } } }", { p: projectId });
    const caseId = cases.edges[0].node.id;
    const lines = (ls) => ls.map((points) => ({ classId: width, kind: "LINE", points }));
    // The owner's lines are 10 and 14 px long, the reader's 12 and 8; each pair's midpoints lie within 3 px.
    // Owner minus reader: -2 and +6, so a bias of 2 px, an SD of √32, limits 2 ∓ 1.96 √32 (-9.09 to 13.09).
    await gql(page, SUBMIT, { c: caseId, i: { labels: [], rois: lines([[[2, 3], [12, 3]], [[16, 18], [30, 18]]]) } });
    await gql(r.page, SUBMIT, { c: caseId, i: { labels: [], rois: lines([[[3, 5], [15, 5]], [[18, 20], [26, 20]]]) } });

    await page.goto(`${baseUrl()}/projects/${projectId}/review`);
    const section = page.getByTestId("line-agreement");
    await section.locator("summary").click();
    // One comparison, both pairs matched, F1 1, a mean absolute difference of 4 px, no millimetres on a PNG.
    await expectText(section.getByRole("table", { name: "Line agreement", exact: true }).getByRole("row", { name: /Width/ }), /^Width 1 2 0 1\.00 4\.00 –$/);
    const pair = section.getByRole("table", { name: "Line agreement per reader pair" }).locator("tbody tr");
    await expectText(pair, /1 2 0 1\.00 4\.00 – (\+2\.00 px −9\.09 to \+13\.09 px|−2\.00 px −13\.09 to \+9\.09 px)$/);
    assert.equal(await pair.locator('[data-stat="bias"]').getAttribute("data-unit"), "PX");
    // The Bland–Altman plot: the two pairs as points (each at a mean length of 11 px, 2 px shorter and 6 px longer), the bias and both limits as lines.
    const plot = section.getByTestId("bland-altman-plot");
    await expectCount(plot.getByTestId("bland-altman-point"), 2);
    assert.deepEqual((await plot.locator("[data-line]").evaluateAll((els) => els.map((e) => e.getAttribute("data-line")))).sort(), ["bias", "limit", "limit"]);
    assert.match(await plot.locator('[data-line="bias"] text').textContent(), /^bias [+−]2\.00 px$/);
    // Lines are not areas: the line class has no row of region overlap, and no row of point agreement.
    assert.equal(await page.getByRole("table", { name: "Region overlap" }).count(), 0);
    await screenshot(page, "72-review-lines");
  });

  it("an annotator is told the review page is not for them, and is not offered the link", async () => {
    await r.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await r.page.getByRole("link", { name: "Ledger", exact: true }).or(r.page.getByRole("button", { name: "Start reading" })).first().waitFor();
    assert.equal(await r.page.getByRole("link", { name: "Review", exact: true }).count(), 0);
    await r.page.goto(`${baseUrl()}/projects/${projectId}/review`);
    await expectText(r.page.locator("main"), "Review is for the project's owners, managers and reviewers.");
  });
});

// Label groups: a manager groups three classification labels into an ordered, required scale in the
// labels editor; a reader answers it on a case as one choice (choosing another answer makes the
// first not present, by mouse and by keyboard), is stopped before submitting another case without
// its answer, then answers; with the owner's readings of the same cases, the review page shows the
// group's agreement and its confusion heatmap.
describe("review: a label group from the labels editor through reading to its agreement", { timeout: 180_000 }, () => {
  const manager = { name: "Greta Grouper", email: `greta.${run}@example.org`, password: "amber thistle quarry 3" };
  const annotator = { name: "Ivo Indexer", email: `ivo.${run}@example.org`, password: "cobalt willow ridge 6" };
  let o;
  let r;

  before(async () => {
    o = await openBrowser("greta");
    r = await openBrowser("ivo");
  });
  after(async () => {
    for (const b of [o, r]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await o?.close();
    await r?.close();
  });

  it("a manager makes the group, a reader answers it one answer at a time, and the review compares the answers", async () => {
    await new SignUpPage(r.page).goto();
    await new SignUpPage(r.page).signUp(annotator);
    await new SignUpPage(o.page).goto();
    await new SignUpPage(o.page).signUp(manager);
    const list = new ProjectListPage(o.page);
    await list.goto();
    const projectId = await list.createProject({ name: `Groups ${run}` });
    const label = {};
    // Not in the order of the scale: the group puts them in its order, where the first of them stood.
    for (const name of ["Calcification", "BI-RADS 3", "BI-RADS 1", "BI-RADS 2"]) {
      label[name] = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "CLASSIFICATION", name } })).createLabel.id;
    }
    await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: annotator.email, role: "ANNOTATOR" } });

    // ---- the labels editor: the group from three labels, in the scale's order, ordinal and required
    const settings = new ProjectSettingsPage(o.page);
    await settings.goto(projectId);
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Calcification", "BI-RADS 3", "BI-RADS 1", "BI-RADS 2"]));
    await o.page.getByRole("button", { name: "New label group…" }).click();
    const form = o.page.getByRole("form", { name: "New label group" });
    await form.getByLabel("Group name", { exact: true }).fill("BI-RADS");
    // Ticked 1, 3, 2; then 2 moved up: the order 1, 2, 3.
    for (const name of ["BI-RADS 1", "BI-RADS 3", "BI-RADS 2"]) await form.getByRole("checkbox", { name, exact: true }).check();
    const order = form.getByRole("list", { name: "The group's order" }).getByRole("listitem");
    await eventually(async () => assert.deepEqual((await order.allInnerTexts()).map((t) => t.replace(/[↑↓]/g, "").trim()), ["BI-RADS 1", "BI-RADS 3", "BI-RADS 2"]));
    await form.getByRole("button", { name: "Move BI-RADS 2 up in the group" }).click();
    await eventually(async () => assert.deepEqual((await order.allInnerTexts()).map((t) => t.replace(/[↑↓]/g, "").trim()), ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]));
    await form.getByLabel("Ordered scale (ordinal)", { exact: true }).check();
    await form.getByLabel("Answer required", { exact: true }).check();
    await form.getByRole("button", { name: "Create group" }).click();
    await expectText(form.getByRole("status"), "Created “BI-RADS”.");
    // The list: the group's labels together, in its order, where BI-RADS 3 stood, each marked with the group.
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Calcification", "BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]));
    for (const name of ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]) assert.equal(await settings.labelRow(name).getAttribute("data-group"), "BI-RADS");
    assert.equal(await settings.labelRow("Calcification").getAttribute("data-group"), null);
    const groups = o.page.getByRole("list", { name: "Label groups", exact: true });
    await expectText(groups, "Ordered scale · answer required");
    await expectText(groups, "BI-RADS 1 < BI-RADS 2 < BI-RADS 3");
    await screenshot(o.page, "73-label-group-editor");
    const { project } = await gql(o.page, "query($id: ID!) { project(id: $id) { labelGroups { name labelIds ordinal required } } }", { id: projectId });
    assert.deepEqual(project.labelGroups, [{ name: "BI-RADS", labelIds: [label["BI-RADS 1"], label["BI-RADS 2"], label["BI-RADS 3"]], ordinal: true, required: true }]);

    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles(["gb-1", "gb-2"].map((k, i) => ({ name: `${k}.png`, mimeType: "image/png", buffer: png(20 + i) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "2 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: projectId });
    const caseId = Object.fromEntries(cases.edges.map((e) => [e.node.key, e.node.id]));

    // ---- reading: the group is one choice
    const page = r.page;
    const submits = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && new URL(req.url()).pathname === "/graphql" && (req.postData() ?? "").includes('"operationName":"SubmitAnnotation"')) submits.push(req.url());
    });
    const view = new CaseReadPage(page);
    await view.goto(projectId, caseId["gb-1"]);
    assert.equal((await view.settled()).state, "loaded");
    const group = page.getByRole("group", { name: /^BI-RADS/ });
    await expectText(group.getByTestId("needs-answer"), "needs an answer");
    const value = (name) => page.locator(`[data-label-id="${label[name]}"]`).getAttribute("data-value");
    const values = async () => [await value("BI-RADS 1"), await value("BI-RADS 2"), await value("BI-RADS 3")];
    await group.getByRole("radio", { name: "BI-RADS 2", exact: true }).check();
    await eventually(async () => assert.deepEqual(await values(), ["false", "true", "false"]));
    // Another answer: the first becomes not present (explicitly) in the same change.
    await group.getByRole("radio", { name: "BI-RADS 3", exact: true }).check();
    await eventually(async () => assert.deepEqual(await values(), ["false", "false", "true"]));
    assert.equal(await group.getByRole("radio", { name: "BI-RADS 2", exact: true }).isChecked(), false);
    assert.equal(await group.getByTestId("needs-answer").count(), 0);
    // By keyboard: 2 chooses BI-RADS 1 (Calcification is 1), X makes it present, and the group's answer moves to it.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press("2");
    await page.keyboard.press("x");
    await eventually(async () => assert.deepEqual(await values(), ["true", "false", "false"]));
    await expectText(page.getByTestId("save-state"), "Draft saved");
    await screenshot(page, "74-label-group-reading");
    const draft = (await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { labels { labelId value implicit } } }", { c: caseId["gb-1"] })).myAnnotation;
    const stored = Object.fromEntries(draft.labels.filter((l) => !l.implicit).map((l) => [l.labelId, l.value]));
    assert.deepEqual([stored[label["BI-RADS 1"]], stored[label["BI-RADS 2"]], stored[label["BI-RADS 3"]]], [true, false, false]);
    await view.submitButton.click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
    assert.equal(submits.length, 1);

    // Another case, the group left unanswered: Submit is refused here, before asking the server.
    await view.goto(projectId, caseId["gb-2"]);
    assert.equal((await view.settled()).state, "loaded");
    await page.locator(`[data-label-id="${label.Calcification}"]`).getByRole("checkbox").check();
    await expectText(group.getByTestId("needs-answer"), "needs an answer");
    await view.submitButton.click();
    await expectText(page.locator(".classification").getByRole("alert"), 'Not submitted: the group "BI-RADS" needs an answer: one of "BI-RADS 1", "BI-RADS 2", "BI-RADS 3"');
    assert.equal(submits.length, 1, "no submission went to the server");
    assert.doesNotMatch(await page.getByTestId("save-state").innerText(), /Submitted/);
    await screenshot(page, "75-label-group-needs-answer");
    // The server holds the same rules.
    await assert.rejects(gql(page, SUBMIT, { c: caseId["gb-2"], i: { labels: [{ labelId: label.Calcification, value: true }] } }), /the group "BI-RADS" needs an answer/);
    await assert.rejects(
      gql(page, "mutation($c: ID!, $i: AnnotationInput!) { saveDraft(caseId: $c, input: $i) { id } }", { c: caseId["gb-2"], i: { labels: [{ labelId: label["BI-RADS 1"], value: true }, { labelId: label["BI-RADS 2"], value: true }] } }),
      /present together/,
    );
    await group.getByRole("radio", { name: "BI-RADS 3", exact: true }).check();
    await view.submitButton.click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");

    // ---- the second reader (the manager): agrees on gb-1 (BI-RADS 1), not on gb-2 (BI-RADS 2 against 3)
    const secondReading = (key, answer) => gql(o.page, SUBMIT, { c: caseId[key], i: { labels: [{ labelId: label[answer], value: true, confidence: 80 }], rois: [] } });
    await secondReading("gb-1", "BI-RADS 1");

    // ---- the review page: the group's numbers and its confusion heatmap
    await o.page.goto(`${baseUrl()}/projects/${projectId}/review`);
    const section = o.page.getByRole("region", { name: "Label groups", exact: true });
    const bi = section.getByRole("region", { name: "BI-RADS", exact: true });
    await expectText(bi, "Ordered scale, answer required: BI-RADS 1 < BI-RADS 2 < BI-RADS 3");
    const numbers = bi.getByRole("table", { name: "Agreement on BI-RADS" });
    const statOf = (name) => numbers.locator(`[data-stat="${name}"]`).innerText();
    await eventually(async () => assert.equal(await statOf("answers"), "3"));
    // The manager's second reading, submitted while the page is open: the figures follow live.
    await secondReading("gb-2", "BI-RADS 2");
    await eventually(async () => assert.equal(await statOf("answers"), "4"));
    assert.deepEqual(
      [await statOf("invalid"), await statOf("cases"), await statOf("casesWith2Plus"), await statOf("unanimityRate"), await statOf("meanPairwiseAgreement")],
      ["0", "2", "2", "50%", "50%"],
    );
    // Ordinal: the ordinal α and the mean weighted κ have their columns.
    await expectText(numbers, "α (ordinal)");
    await expectText(numbers, "Mean weighted κ");
    await expectText(bi.getByRole("table", { name: "Reader pairs on BI-RADS" }), "Weighted κ");
    const perReader = bi.getByRole("table", { name: "Answers per reader on BI-RADS" });
    await expectText(perReader.locator(`tr:has-text("${annotator.name}")`), `${annotator.name} 1 0 1`);
    await expectText(perReader.locator(`tr:has-text("${manager.name}")`), `${manager.name} 1 1 0`);
    await expectText(bi.getByRole("table", { name: "Estimated prevalence on BI-RADS" }), "BI-RADS 3");

    const heatmap = bi.getByRole("table", { name: "Confusion matrix of BI-RADS" });
    // The categories on both axes (a required group has no "None"), every pair counted both ways round.
    assert.deepEqual((await heatmap.locator("thead th").allInnerTexts()).slice(1), ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]);
    assert.deepEqual(await heatmap.locator("tbody th").allInnerTexts(), ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]);
    const counts = await heatmap.locator("tbody tr").evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.dataset.count))));
    assert.deepEqual(counts, [[2, 0, 0], [0, 0, 1], [0, 1, 0]]);
    assert.deepEqual(await heatmap.locator("tbody tr").first().locator("td").allInnerTexts(), ["2", "0", "0"]);
    // Coloured by count: the fullest cell darkest, an empty one near white.
    const backgrounds = await heatmap.locator("td").evaluateAll((tds) => tds.map((td) => getComputedStyle(td).backgroundColor));
    assert.notEqual(backgrounds[0], backgrounds[1]);
    assert.notEqual(backgrounds[0], backgrounds[5]);
    await bi.scrollIntoViewIfNeeded();
    await screenshot(o.page, "76-review-label-groups");

    // ---- the group's cases: where the readers differ (gb-2, one step apart), then those behind a
    // heatmap cell (off the diagonal gb-2, on it gb-1 where both said BI-RADS 1), each reader's answer.
    const caseList = bi.getByTestId("group-cases");
    const caseTitle = caseList.getByRole("heading", { level: 4 });
    const caseRows = () =>
      caseList.getByRole("table", { name: "Cases of BI-RADS" }).locator("tbody tr").evaluateAll((trs) =>
        trs.map((tr) => ({
          key: tr.querySelector("th").innerText.trim(),
          answers: [...tr.querySelectorAll("li")].map((li) => li.innerText.trim()).sort(),
          spread: tr.querySelector('[data-stat="spread"]').innerText.trim(),
        })),
      );
    const expectCases = (title, rows) =>
      eventually(async () => {
        assert.equal((await caseTitle.innerText({ timeout: 1_000 })).trim(), title);
        assert.deepEqual(await caseRows(), rows);
      });
    const differing = [{ key: "gb-2", answers: [`${annotator.name}: BI-RADS 3`, `${manager.name}: BI-RADS 2`].sort(), spread: "1 step" }];
    await expectCases("Cases where readers differ (1)", differing);
    const pressed = () => heatmap.locator('button[aria-pressed="true"]').evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
    assert.deepEqual(await pressed(), []);
    // An empty cell lists nothing: not a choice.
    assert.equal(await heatmap.getByRole("button", { name: "BI-RADS 1 and BI-RADS 2: 0", exact: true }).isDisabled(), true);
    // Off the diagonal: one reader said BI-RADS 2, another BI-RADS 3.
    await heatmap.getByRole("button", { name: "BI-RADS 2 and BI-RADS 3: 1", exact: true }).click();
    await expectCases("Cases where one reader said BI-RADS 2 and another BI-RADS 3 (1)", differing);
    await eventually(async () => assert.deepEqual(await pressed(), ["BI-RADS 2 and BI-RADS 3: 1"]));
    assert.match(await heatmap.locator("td.selected").getAttribute("data-count"), /^1$/);
    await caseList.scrollIntoViewIfNeeded();
    await screenshot(o.page, "77-review-label-group-cases");
    // On the diagonal: the case where two readers agreed on BI-RADS 1.
    await heatmap.getByRole("button", { name: "BI-RADS 1 and BI-RADS 1: 2", exact: true }).click();
    await expectCases("Cases where two readers agreed on BI-RADS 1 (1)", [
      { key: "gb-1", answers: [`${annotator.name}: BI-RADS 1`, `${manager.name}: BI-RADS 1`].sort(), spread: "all agree" },
    ]);
    await eventually(async () => assert.deepEqual(await pressed(), ["BI-RADS 1 and BI-RADS 1: 2"]));
    // Back to every differing case.
    await caseList.getByRole("button", { name: "All cases where readers differ" }).click();
    await expectCases("Cases where readers differ (1)", differing);
    await eventually(async () => assert.deepEqual(await pressed(), []));
    // The case key opens the case.
    await caseList.getByRole("link", { name: "gb-2", exact: true }).click();
    await expectUrl(o.page, new RegExp(`^/projects/${projectId}/cases/${caseId["gb-2"]}$`));
    assert.equal((await new CaseReadPage(o.page).settled()).state, "loaded");

    // ---- the manager renames the group and makes its answer optional, then ungroups its labels; the
    // reader's open case follows live (LABELS_CHANGED), with "None of them" offered while it is optional.
    await view.goto(projectId, caseId["gb-2"]);
    await expectText(group, "BI-RADS");
    await settings.goto(projectId);
    await groups.getByRole("button", { name: "Edit group BI-RADS", exact: true }).click();
    const edit = o.page.getByRole("form", { name: "Edit group BI-RADS" });
    await edit.getByLabel("Group name", { exact: true }).fill("BI-RADS category");
    await edit.getByLabel("Answer required", { exact: true }).uncheck();
    await edit.getByRole("button", { name: "Save group" }).click();
    await expectText(groups, "BI-RADS category Ordered scale · answer optional");
    await expectText(page.getByRole("group", { name: /^BI-RADS category/ }), "None of them");
    await groups.getByRole("button", { name: "Delete group BI-RADS category", exact: true }).click();
    await expectText(o.page.getByRole("region", { name: "Labels", exact: true }), "No label groups.");
    await eventually(async () => assert.equal(await settings.labelRow("BI-RADS 2").getAttribute("data-group"), null));
    await eventually(async () => assert.equal(await page.getByRole("group", { name: /^BI-RADS/ }).count(), 0));
    assert.equal(await page.locator(`[data-label-id="${label["BI-RADS 2"]}"]`).getByRole("checkbox").count(), 1, "an ungrouped label is a checkbox again");
  });
});
