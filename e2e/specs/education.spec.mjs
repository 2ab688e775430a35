// Education mode: a manager makes an education project with a gold standard (imported CSV), links a
// main project whose annotator role a pass grants (50 %, one case); a trainee reads the case, submits,
// sees their answers against the gold with ✓/✗ and that they passed, and the main project appears in
// their project list. Then: an education project's labels copied from another project, and a label
// group's answer against the gold in the feedback.
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
const manager = { name: "Mina Manager", email: `mina.${run}@example.org`, password: "harbour violet kettle 9" };
const trainee = { name: "Theo Trainee", email: `theo.${run}@example.org`, password: "meadow copper lantern 3" };

function png(seed) {
  const w = 128;
  const h = 112;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(127 + 90 * Math.sin((i % w) / (7 + seed)) * Math.cos(Math.floor(i / w) / 11))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe("education: gold standard, feedback after submitting, certification into the main project", { timeout: 240_000 }, () => {
  let m;
  let t;
  let eduId;
  let mainId;
  const mainName = `Main reading ${run}`;
  const labelIds = {};
  let caseId;

  before(async () => {
    m = await openBrowser("mina");
    t = await openBrowser("theo");
  });
  after(async () => {
    for (const b of [m, t]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await m?.close();
    await t?.close();
  });

  it("a manager sets up an education project with imported gold and a linked main project", async () => {
    await new SignUpPage(t.page).goto();
    await new SignUpPage(t.page).signUp(trainee);
    await new SignUpPage(m.page).goto();
    await new SignUpPage(m.page).signUp(manager);
    const list = new ProjectListPage(m.page);
    await list.goto();
    mainId = await list.createProject({ name: mainName });
    await list.goto();
    eduId = await list.createProject({ name: `Training ${run}`, mode: "Education" });
    for (const [name, input] of [
      ["Effusion", { kind: "CLASSIFICATION", name: "Effusion" }],
      ["Cardiomegaly", { kind: "CLASSIFICATION", name: "Cardiomegaly" }],
      ["Mass", { kind: "ROI", roiShape: "RECTANGLE", name: "Mass", color: "#ff00ff" }],
      ["Apex", { kind: "ROI", roiShape: "POINT", name: "Apex", color: "#33ccff" }],
    ]) {
      labelIds[name] = (await gql(m.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: eduId, i: input })).createLabel.id;
    }
    await gql(m.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: eduId, i: { email: trainee.email, role: "TRAINEE" } });
    await m.page.goto(`${baseUrl()}/projects/${eduId}/data`);
    await m.page.getByLabel("Choose files").setInputFiles([{ name: "gold-1.png", mimeType: "image/png", buffer: png(1) }]);
    await expectText(m.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");

    const settings = new ProjectSettingsPage(m.page);
    await settings.goto(eduId);
    const section = m.page.getByTestId("education-settings");
    await section.waitFor();
    // A bad row first: named, nothing stored.
    const importForm = m.page.getByRole("form", { name: "Import gold labels" });
    await importForm.getByLabel("Gold labels (CSV)").fill("case,label,value\ngold-1,Effusion,1\ngold-1,Pneumothorax,1\n");
    await importForm.getByRole("button", { name: "Import gold labels" }).click();
    await expectText(importForm.getByRole("list", { name: "Gold import errors" }), 'Line 3: no active label "Pneumothorax"');
    await importForm.getByLabel("Gold labels (CSV)").fill("case,label,value\ngold-1,Effusion,1\ngold-1,Cardiomegaly,0\n");
    await importForm.getByRole("button", { name: "Import gold labels" }).click();
    await expectText(importForm.getByRole("status"), "Imported 2 gold labels.");
    await expectText(m.page.getByTestId("gold-counts"), "Gold: 2 labels on 1 case");

    const form = m.page.getByRole("form", { name: "Training settings" });
    await form.getByLabel("Pass accuracy (%)").fill("50");
    await form.getByLabel("Minimum cases").fill("1");
    await form.getByLabel("Passing grants a role in").selectOption({ label: mainName });
    await form.getByLabel("Role", { exact: true }).selectOption({ label: "Annotator" });
    await form.getByRole("button", { name: "Save training settings" }).click();
    await expectText(form.getByRole("status"), "Training settings saved.");
    await screenshot(m.page, "80-education-settings");
    const { educationSettings } = await gql(m.page, "query($p: ID!) { educationSettings(projectId: $p) { passAccuracy minCases grantRole targetProject { id } } }", { p: eduId });
    assert.deepEqual(educationSettings, { passAccuracy: 0.5, minCases: 1, grantRole: "ANNOTATOR", targetProject: { id: mainId } });
    const { cases } = await gql(m.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: eduId });
    caseId = cases.edges[0].node.id;

    // The gold region: the manager draws a Mass box in the case's consensus layer.
    const view = new CaseReadPage(m.page);
    await view.goto(eduId, caseId);
    assert.equal((await view.settled()).state, "loaded");
    await view.chooseLayer("Consensus");
    await view.toolbar.getByLabel("ROI class").selectOption({ label: "Mass" });
    await view.button("Rectangle").click();
    const box = await view.imageBox();
    await view.drag([box.x + box.width * 0.2, box.y + box.height * 0.2], [box.x + box.width * 0.5, box.y + box.height * 0.45]);
    await eventually(async () => assert.equal((await view.consensusRois()).length, 1));
    // And a gold landmark: an Apex point at the image's centre, (64, 56).
    await view.toolbar.getByLabel("ROI class").selectOption({ label: "Apex" });
    await view.button("Point").click();
    const canvas = await view.canvasBox();
    const at = await view.imageBox();
    await m.page.mouse.click(canvas.x + at.x + at.width * 0.5, canvas.y + at.y + at.height * 0.5);
    await eventually(async () => assert.equal((await view.consensusRois()).length, 2));
  });

  it("the trainee reads the case, submits, sees ✓/✗ against the gold and that they passed; the main project is theirs", async () => {
    const page = t.page;
    // Nothing of the gold before submitting.
    const before = await page.evaluate(async (id) => {
      const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `query($c: ID!) { trainingFeedback(caseId: $c) { labels { gold } } }`, variables: { c: id } }) });
      return res.json();
    }, caseId);
    assert.equal(before.errors?.[0]?.extensions?.code, "NOT_FOUND");

    const viewer = new CaseReadPage(page);
    await viewer.goto(eduId, caseId);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    assert.equal(await page.getByTestId("training-feedback").count(), 0);
    // The gold box is not drawn for the trainee before they submit.
    const magenta = page.locator('.case-viewer svg [stroke="rgb(255, 0, 255)"]');
    await page.waitForTimeout(1000);
    assert.equal(await magenta.count(), 0, "a shape in the gold's Mass colour before submitting");
    // The trainee's Apex, 4 image pixels right of the gold's (the image is 128 pixels wide), and a second one far off.
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Apex" });
    await viewer.button("Point").click();
    const canvas = await viewer.canvasBox();
    const at = await viewer.imageBox();
    await page.mouse.click(canvas.x + at.x + at.width * (68 / 128), canvas.y + at.y + at.height * 0.5);
    await eventually(async () => assert.equal((await viewer.roiList()).length, 1));
    await page.waitForTimeout(400); // two clicks in a row would be a double click
    await page.mouse.click(canvas.x + at.x + at.width * 0.1, canvas.y + at.y + at.height * 0.1);
    await eventually(async () => assert.equal((await viewer.roiList()).length, 2));
    // The trainee's own points are solid rings; the gold's is not shown yet.
    const rings = page.locator('.case-viewer svg circle[stroke="rgb(51, 204, 255)"]');
    const dashed = (r) => r.evaluateAll((cs) => cs.map((c) => c.getAttribute("stroke-dasharray")));
    await eventually(async () => assert.deepEqual(await dashed(rings), [null, null]));
    // Effusion ticked (right), Cardiomegaly ticked (wrong): 50 %.
    for (const name of ["Effusion", "Cardiomegaly"]) await page.locator(`[data-label-id="${labelIds[name]}"]`).getByRole("checkbox").check();
    await expectText(page.getByTestId("save-state"), "Draft saved", { timeout: 10_000 });
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");

    const feedback = page.getByTestId("training-feedback");
    await feedback.waitFor({ timeout: 10_000 });
    const effusion = feedback.locator(`[data-label-id="${labelIds.Effusion}"]`);
    const cardio = feedback.locator(`[data-label-id="${labelIds.Cardiomegaly}"]`);
    await expectText(effusion, "✓");
    assert.equal(await effusion.getAttribute("data-correct"), "true");
    await expectText(cardio, "✗");
    assert.equal(await cardio.getAttribute("data-correct"), "false");
    await expectText(feedback.locator(`[data-class-id="${labelIds.Mass}"]`), "Mass: 0 yours, 1 gold · Dice 0.00");
    // The landmark: found within the tolerance, about 4 px off, and one extra mark.
    const apex = feedback.locator(`[data-class-id="${labelIds.Apex}"]`);
    await expectText(apex, /Apex: 2 yours, 1 gold\s+· found 1 of 1 within 10 px, [345]\.\d px off on average, 1 extra/);
    // Now the gold's point is drawn too, and every point is read-only: dashed, as read-only regions are.
    await eventually(async () => assert.deepEqual(await dashed(rings), ["4,3", "4,3", "4,3"]));
    await eventually(async () => assert.ok((await magenta.count()) > 0, "the gold box is drawn in the Mass colour after submitting"));
    await expectText(feedback.getByTestId("training-score"), "50 %");
    assert.equal(await feedback.getByTestId("training-score").getAttribute("data-passed"), "true");
    await expectText(feedback.getByTestId("certified"), `Certified: you now have the annotator role in ${mainName}`);
    await screenshot(page, "81-education-feedback");

    const list = new ProjectListPage(page);
    await list.goto();
    await eventually(async () => assert.equal(await list.item(mainName).count(), 1, "the main project is listed"));
    const { myProjects } = await gql(page, "{ myProjects { id myRole } }");
    assert.deepEqual(myProjects.find((p) => p.id === mainId), { id: mainId, myRole: "ANNOTATOR" });
  });
});

// A manager fills an education project's labels by copying another project's through the settings
// page's "Copy labels from…": an ordinal, required BI-RADS group of three labels and Calcification,
// which this project has already and so is left out, named. The gold gives BI-RADS 2; a trainee who
// answers BI-RADS 1 sees the group's line in the feedback marked wrong, one step below.
describe("education: labels copied from another project, and a label group's answer against the gold", { timeout: 180_000 }, () => {
  const owner = { name: "Cora Copier", email: `cora.${run}@example.org`, password: "granite willow beacon 4" };
  const pupil = { name: "Pia Pupil", email: `pia.${run}@example.org`, password: "saffron pebble harbour 8" };
  const sourceName = `Mammography ${run}`;
  const eduName = `Mammo training ${run}`;
  let m;
  let t;

  before(async () => {
    m = await openBrowser("cora");
    t = await openBrowser("pia");
  });
  after(async () => {
    for (const b of [m, t]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await m?.close();
    await t?.close();
  });

  it("copies the labels and the group through the settings page, and the trainee's group answer is one step below the gold", async () => {
    await new SignUpPage(t.page).goto();
    await new SignUpPage(t.page).signUp(pupil);
    await new SignUpPage(m.page).goto();
    await new SignUpPage(m.page).signUp(owner);
    const list = new ProjectListPage(m.page);
    await list.goto();
    const sourceId = await list.createProject({ name: sourceName });
    const createLabel = (p, name) => gql(m.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p, i: { kind: "CLASSIFICATION", name } });
    const source = {};
    for (const name of ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3", "Calcification"]) source[name] = (await createLabel(sourceId, name)).createLabel.id;
    await gql(m.page, "mutation($p: ID!, $i: LabelGroupInput!) { createLabelGroup(projectId: $p, input: $i) { id } }", {
      p: sourceId,
      i: { name: "BI-RADS", labelIds: [source["BI-RADS 1"], source["BI-RADS 2"], source["BI-RADS 3"]], ordinal: true, required: true },
    });
    await list.goto();
    const eduId = await list.createProject({ name: eduName, mode: "Education" });
    // A label of the same name as one of the source's: the copy leaves it out and says so.
    await createLabel(eduId, "Calcification");
    await gql(m.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: eduId, i: { email: pupil.email, role: "TRAINEE" } });

    // ---- Copy labels from… in the settings page
    const settings = new ProjectSettingsPage(m.page);
    await settings.goto(eduId);
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Calcification"]));
    await settings.copyLabelsButton.click();
    // The user's other projects: this one is not offered.
    await eventually(async () => assert.deepEqual(await settings.copySource.locator("option").allInnerTexts(), ["Choose a project…", sourceName]));
    await settings.copyLabelsFrom(sourceName);
    await expectText(settings.copyLabels.getByRole("status"), "Copied 3 labels and 1 group; 1 left out.");
    await eventually(async () => assert.deepEqual(await settings.copyLeftOut.getByRole("listitem").allInnerTexts(), ['label "Calcification": this project has a label of that name']));
    // The list refreshes: the copied labels after this project's own, the group in its order.
    await eventually(async () => assert.deepEqual(await settings.labelNames(), ["Calcification", "BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]));
    for (const name of ["BI-RADS 1", "BI-RADS 2", "BI-RADS 3"]) assert.equal(await settings.labelRow(name).getAttribute("data-group"), "BI-RADS");
    await expectText(settings.labelGroups, "BI-RADS Ordered scale · answer required");
    await expectText(settings.labelGroups, "BI-RADS 1 < BI-RADS 2 < BI-RADS 3");
    await settings.copyLabels.scrollIntoViewIfNeeded();
    await screenshot(m.page, "82-education-copy-labels");
    const { project } = await gql(m.page, "query($id: ID!) { project(id: $id) { labels { id name } labelGroups { id name labelIds ordinal required } } }", { id: eduId });
    const label = Object.fromEntries(project.labels.map((l) => [l.name, l.id]));
    assert.equal(project.labelGroups.length, 1);
    const { id: groupId, ...group } = project.labelGroups[0];
    assert.deepEqual(group, { name: "BI-RADS", labelIds: [label["BI-RADS 1"], label["BI-RADS 2"], label["BI-RADS 3"]], ordinal: true, required: true });

    // ---- a case, and its gold: the group's middle label
    await m.page.goto(`${baseUrl()}/projects/${eduId}/data`);
    await m.page.getByLabel("Choose files").setInputFiles([{ name: "mammo-1.png", mimeType: "image/png", buffer: png(3) }]);
    await expectText(m.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { importGoldLabels } = await gql(m.page, "mutation($p: ID!, $csv: String!) { importGoldLabels(projectId: $p, csv: $csv) { imported errors { line message } } }", {
      p: eduId,
      csv: "case,label,value\nmammo-1,BI-RADS 2,1\n",
    });
    assert.deepEqual(importGoldLabels, { imported: 1, errors: [] });
    const { cases } = await gql(m.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: eduId });
    const caseId = cases.edges.find((e) => e.node.key === "mammo-1").node.id;

    // ---- the trainee answers the lowest grade and submits
    const page = t.page;
    const view = new CaseReadPage(page);
    await view.goto(eduId, caseId);
    const settled = await view.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const answer = page.getByRole("group", { name: /^BI-RADS/ });
    await answer.getByRole("radio", { name: "BI-RADS 1", exact: true }).check();
    await expectText(page.getByTestId("save-state"), "Draft saved", { timeout: 10_000 });
    await view.submitButton.click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");

    const feedback = page.getByTestId("training-feedback");
    await feedback.waitFor({ timeout: 10_000 });
    const line = feedback.getByRole("list", { name: "Your answers to the label groups against the gold" }).locator(`[data-group-id="${groupId}"]`);
    await expectText(line, "BI-RADS: yours BI-RADS 1, gold BI-RADS 2: 1 step below");
    assert.equal(await line.getAttribute("data-correct"), "false");
    assert.equal((await line.innerText()).trim()[0], "✗");
    await line.scrollIntoViewIfNeeded();
    await screenshot(page, "83-education-group-feedback");
  });
});
