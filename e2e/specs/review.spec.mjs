// Review: two readers disagree on one case; the owner opens the project's review page, sees the
// agreement table, the discrepancy and the heatmap, decides the case with a note and comments on
// it; the discrepancy leaves the "undecided" list and the heatmap cell shows the decision. An
// annotator is told the page is not for them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectCount, expectText } from "../support/expect.mjs";

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
