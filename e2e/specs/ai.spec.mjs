// AI (issue 6, points 3 and 4): an owner registers an ONNX model on the project's models page and
// waits for a worker to make it READY; on a case, "Run AI" answers while they wait with a
// probability per label beside the labels (never written into their annotation), and the heatmap
// of one label is drawn over the image, following zoom, with an opacity slider. A segmentation
// model's labels show their share of the image and its suggested regions are drawn over the image;
// they reach the reader's draft only when the reader adds them, and once submitted the review page
// compares them with the reader's regions (Dice, IoU). A classifier on a CT series names each
// label's strongest slice, draws its output over the slices and lays its heatmap on that slice; the
// predictions export from the Progress page holds the case's and each slice's outputs; a
// segmentation model there names the slice each label covers most.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { AiSuggestions } from "../pages/AiSuggestions.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ModelsPage } from "../pages/ModelsPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { fetchCsv, parseCsv } from "../support/csv.mjs";
import { ctSlice } from "../support/dicom.mjs";
import { backgroundExport } from "../support/exports.mjs";
import { registerReadyModel } from "../support/models.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText, expectTexts } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Ada Owner", email: `ada.${run}@example.org`, password: "copper harbour violin 3" };
const LABELS = ["Effusion", "Cardiomegaly"];
const S = 64;

// The model is built with Concord's own ONNX code, as the server's tests do (the e2e runs after
// `npx tsc -b server workers`, so the compiled modules are there).
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../server/dist/server/src/modules/ai");
const { fixedExtractor } = await import(pathToFileURL(path.join(dist, "extractor.js")).href);
const { FEATURES, HEAD_WEIGHTS, INPUT, PROBABILITIES, SCORES, buildClassifierModel, buildPixelSegmenter } = await import(pathToFileURL(path.join(dist, "onnx-build.js")).href);

/** A fixed-extractor classifier with a seeded linear head, and metadata that validates against it. */
function builtModel() {
  const spec = fixedExtractor(S);
  const f = spec.featureShape[0];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const weights = Float32Array.from({ length: LABELS.length * f }, () => (rnd() - 0.5) * 0.5);
  const bias = Float32Array.from(LABELS, () => (rnd() - 0.5) * 0.2);
  const bytes = buildClassifierModel(spec, { task: "multilabel", weights, bias, labels: [...LABELS] });
  const metadata = {
    input: { name: INPUT, shape: [1, 1, S, S], normalisation: { kind: "meanStd", mean: 0.45, std: 0.25 } },
    task: "multilabel",
    output: { name: PROBABILITIES, labels: [...LABELS] },
    cam: { featureMap: FEATURES, weightsInitializer: HEAD_WEIGHTS },
  };
  return { bytes, metadata };
}

/** A 256 × 224 grey image with structure that differs per image. */
function chestPng(n) {
  const w = 256;
  const h = 224;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(
    new Uint8Array(w * h).map((_, i) => {
      const x = i % w;
      const y = Math.floor(i / w);
      const blob = (x - 90 - 30 * n) ** 2 + (y - 120) ** 2 < 40 ** 2 ? 80 : 0;
      return Math.min(255, Math.round(110 + 60 * Math.sin(x / (7 + n)) * Math.cos(y / 13) + blob));
    }),
  );
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe("ai: models page, Run AI on a case, suggestions and heatmap overlay", { timeout: 240_000 }, () => {
  let o;
  let projectId;
  let versionId;
  const labelIds = {};

  before(async () => {
    o = await openBrowser("ada");
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  it("an owner creates a project with classification labels and uploads a few images", async () => {
    const signUp = new SignUpPage(o.page);
    await signUp.goto();
    await signUp.signUp(owner);
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `AI ${run}` });
    for (const [i, name] of LABELS.entries()) {
      const input = { kind: "CLASSIFICATION", name, color: ["#e6194b", "#3cb44b"][i] };
      labelIds[name] = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: input })).createLabel.id;
    }
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([0, 1, 2].map((n) => ({ name: `cxr-ai-${n}.png`, mimeType: "image/png", buffer: chestPng(n) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "3 stored, 0 refused", { timeout: 30_000 });
  });

  it("registers an ONNX model on the models page and sees it become READY", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByRole("link", { name: "Models", exact: true }).click();
    const models = new ModelsPage(page);
    await page.getByRole("heading", { level: 1, name: /: models$/ }).waitFor();
    await expectText(models.models, "No models yet.");

    const { bytes, metadata } = builtModel();
    // The file goes up as raw bytes; a record the server refuses comes back beside the form.
    await models.registerModel({ name: "chest-demo", metadata: { ...metadata, task: "detection" }, bytes });
    await expectText(models.register.getByRole("alert"), "task");
    await expectText(models.models, "No models yet.");
    await models.registerModel({ name: "chest-demo", metadata, bytes });
    const ready = await eventually(
      async () => {
        const [v] = await models.versions("chest-demo");
        assert.ok(v, "the version is listed");
        assert.equal(v.status, "READY", `status ${v.status}`);
        return v;
      },
      { timeout: 60_000, interval: 250 },
    );
    versionId = ready.id;
    assert.equal(ready.text, "Ready");
    await expectText(models.version(versionId), "Labels: Effusion, Cardiomegaly");
    await expectText(models.version(versionId), "heatmaps by class activation map");
    await screenshot(page, "70-ai-models");
  });

  it("runs the model on an open case: suggestions beside the labels, nothing in the annotation", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.locator('a[href*="/cases/"]').first().click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/[0-9a-f-]{36}$`));
    const caseId = new URL(page.url()).pathname.split("/").pop();
    const viewer = new CaseReadPage(page);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");

    const ai = new AiSuggestions(page);
    await ai.panel.waitFor();
    await expectText(ai.panel, "Suggestion — not part of your annotation");
    assert.equal(await ai.version.inputValue(), versionId, "the latest READY version is chosen");
    await expectText(ai.panel, "No suggestion from this model on this case yet.");
    const saveStateBefore = await page.getByTestId("save-state").innerText();

    const shown = await ai.runUntilListed(2);
    // The page shows what the server stored, as whole percentages.
    const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { modelVersionId outputs { label value } } }", { c: caseId });
    const stored = casePredictions.find((p) => p.modelVersionId === versionId);
    assert.ok(stored, "a prediction is stored");
    assert.deepEqual(
      shown.map((s) => [s.label, s.text]),
      stored.outputs.map((x) => [x.label, `${Math.round(x.value * 100)} %`]),
    );
    for (const s of shown) assert.ok(s.value > 0 && s.value < 1, `a probability: ${s.value}`);
    // Beside the reader's own labels, as badges.
    for (const s of shown) await expectText(page.locator(`[data-label-id="${labelIds[s.label]}"] [data-testid="ai-badge"]`), `AI ${s.text}`);

    // Nothing was written for the reader: no label set, and the draft state is as it was.
    for (const name of LABELS) assert.equal(await page.locator(`[data-label-id="${labelIds[name]}"]`).getAttribute("data-value"), "");
    assert.equal(await page.getByTestId("save-state").innerText(), saveStateBefore);
    const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { id labels { labelId } } }", { c: caseId });
    assert.ok(!myAnnotation || myAnnotation.labels.length === 0, "the model's output is not in the reader's annotation");
  });

  it("draws a label's heatmap over the image, following zoom, with an opacity slider", async () => {
    const page = o.page;
    const ai = new AiSuggestions(page);
    const viewer = new CaseReadPage(page);
    assert.equal(await ai.overlay.count(), 0, "no overlay until asked for");
    await ai.heatmapLabel.selectOption("Cardiomegaly");
    await ai.showHeatmap.check();
    await expectText(ai.method, "Method: CAM");

    // The overlay covers the image: the same box the viewer reports for it.
    const covers = async () =>
      eventually(async () => {
        const s = await ai.overlayState();
        assert.ok(s, "the overlay is drawn");
        const box = await viewer.imageBox();
        assert.ok(s.width > 50 && s.height > 50, `non-zero size: ${s.width} × ${s.height}`);
        for (const [k, v] of [["x", box.x], ["y", box.y], ["width", box.width], ["height", box.height]]) assert.ok(Math.abs(s[k] - v) < 2, `${k}: overlay ${s[k]}, image ${v}`);
        assert.ok(s.opaque > 0, "the heatmap has visible pixels");
        return s;
      }, { timeout: 15_000 });
    const before = await covers();
    assert.equal(before.opacity, 0.6);

    // Zooming in moves and grows it with the image.
    const canvas = await viewer.canvasBox();
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
    const zoomed = await eventually(async () => {
      const s = await covers();
      assert.ok(s.width > before.width * 1.1, `grew: ${before.width} → ${s.width}`);
      return s;
    });
    assert.ok(zoomed.height > before.height);

    await ai.opacity.fill("100");
    await eventually(async () => assert.equal((await ai.overlayState()).opacity, 1));
    await screenshot(page, "71-ai-heatmap");
    await ai.opacity.fill("25");
    await eventually(async () => assert.equal((await ai.overlayState()).opacity, 0.25));

    await ai.showHeatmap.uncheck();
    await eventually(async () => assert.equal(await ai.overlay.count(), 0));
  });

  it("runs the model on all cases from the models page, with live progress to done", async () => {
    const page = o.page;
    const models = new ModelsPage(page);
    await models.goto(projectId);
    const version = models.version(versionId);
    await version.getByRole("button", { name: "Run on all cases", exact: true }).click();
    await expectText(version.getByTestId("batch-status"), "Done", { timeout: 60_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 50) { edges { node { id } } } }", { p: projectId });
    assert.equal(cases.edges.length, 3);
    for (const { node } of cases.edges) {
      const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { modelVersionId outputs { label } } }", { c: node.id });
      assert.deepEqual(casePredictions.find((p) => p.modelVersionId === versionId)?.outputs.map((x) => x.label), LABELS, `case ${node.id} has the model's suggestion`);
    }
  });

  it("the review page draws the model's ROC curve on a label against the readings, with the model at 0.5", async () => {
    const page = o.page;
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 50) { edges { node { id key } } } }", { p: projectId });
    // The owner reads the three cases: Effusion on the first two.
    const sorted = cases.edges.map((e) => e.node).sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const [i, c] of sorted.entries()) {
      const input = { labels: [{ labelId: labelIds.Effusion, value: i < 2, confidence: 80 }], rois: [] };
      await gql(page, "mutation($c: ID!, $i: AnnotationInput!) { submitAnnotation(caseId: $c, input: $i) { id } }", { c: c.id, i: input });
    }
    await page.goto(`${baseUrl()}/projects/${projectId}/review`);
    // One reader: Dawid–Skene has nothing to learn a reader's reliability from, and says so instead of numbers.
    await expectText(page.getByTestId("ds-single-read"), "Not for Effusion");
    assert.equal(await page.getByRole("table", { name: "Reader reliability" }).count(), 0);
    const panel = page.getByTestId("model-readers");
    await panel.getByLabel("Label to compare on").selectOption({ label: "Effusion" });
    await expectText(panel.getByTestId("model-readers-summary"), "3 cases, 2 with Effusion");
    await expectText(panel.getByTestId("model-readers-summary"), "AUC");
    // From (0, 0) to (1, 1) through the three cases' scores; the model at 0.5 is a point on the plot.
    const d = await panel.getByTestId("roc-curve").getAttribute("d");
    assert.ok(d.startsWith("M0 260") && d.endsWith("L260 0"), `curve ${d}`);
    assert.equal(await panel.getByTestId("roc-model-point").count(), 1);
    await expectText(panel.getByTestId("model-row"), "Model at 0.5");
    await screenshot(page, "74-ai-model-against-readers");
  });
});

/**
 * A segmentation model whose classes are bands of intensity (onnx-build.ts): value/255 below about
 * 0.3 is the background, up to about 0.7 "lung", above it "nodule"; its output is a quarter of its
 * input's size, as a real network's often is.
 */
function segmenterModel() {
  const size = 256;
  const bytes = buildPixelSegmenter({ size, pool: 4, weights: Float32Array.of(0, 20, 40), bias: Float32Array.of(0, -6, -20), activation: "softmax" });
  const metadata = {
    input: { name: INPUT, shape: [1, 1, size, size], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
    task: "segmentation",
    output: { name: SCORES, labels: ["lung", "nodule"] },
  };
  return { bytes, metadata };
}

const DISC = { cx: 170, cy: 110, r: 36 };

/** 256 × 224: a dark background (20), a grey block (120: "lung") and a bright disc (230: "nodule"). */
function discPng() {
  const w = 256;
  const h = 224;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(
    new Uint8Array(w * h).map((_, i) => {
      const x = i % w;
      const y = Math.floor(i / w);
      if ((x + 0.5 - DISC.cx) ** 2 + (y + 0.5 - DISC.cy) ** 2 < DISC.r ** 2) return 230;
      return x >= 20 && x < 80 && y >= 30 && y < 190 ? 120 : 20;
    }),
  );
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** The SVG shapes in the viewer with this stroke colour, and whether each is dashed. */
async function strokes(page, stroke) {
  return page.locator(`.case-viewer svg [stroke="${stroke}"]`).evaluateAll((shapes) => shapes.map((s) => ({ dash: s.getAttribute("stroke-dasharray") || null })));
}

describe("ai: a segmentation model's suggested regions, shown and taken into the reader's own", { timeout: 240_000 }, () => {
  const sam = { name: "Sam Owner", email: `sam.${run}@example.org`, password: "copper harbour violin 4" };
  // The project's class is "Nodule", the model's label "nodule": the names match whatever their case.
  const NODULE = { name: "Nodule", color: "#ff8800", stroke: "rgb(255, 136, 0)" };
  const GREY = "rgb(200, 200, 200)";
  let o;
  let projectId;
  let versionId;
  let classId;
  let lungLabelId;
  let caseId;
  /** The reader's region taken from the nodule's suggestion. */
  let takenRoiId;

  before(async () => {
    o = await openBrowser("sam");
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  it("segmentation: an owner registers a segmentation model; the project has an ROI class named like one of its labels", async () => {
    const page = o.page;
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp(sam);
    const list = new ProjectListPage(page);
    await list.goto();
    projectId = await list.createProject({ name: `AI segmentation ${run}` });
    const input = { kind: "ROI", name: NODULE.name, color: NODULE.color, roiShape: "FREEHAND" };
    classId = (await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: input })).createLabel.id;
    // A classification label named like the model's other label: a share of the image is no answer to it.
    const lung = { kind: "CLASSIFICATION", name: "Lung", color: "#3cb44b" };
    lungLabelId = (await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: lung })).createLabel.id;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([{ name: "disc.png", mimeType: "image/png", buffer: discPng() }]);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused", { timeout: 30_000 });

    const segmenter = await registerReadyModel(page, projectId, "disc-segmenter", segmenterModel());
    assert.equal(segmenter.task, "SEGMENTATION");
    versionId = segmenter.id;
  });

  it("segmentation: runs it on the case: each label's share of the image and its regions, drawn over the image", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.locator('a[href*="/cases/"]').first().click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/[0-9a-f-]{36}$`));
    caseId = new URL(page.url()).pathname.split("/").pop();
    const viewer = new CaseReadPage(page);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");

    const ai = new AiSuggestions(page);
    await ai.panel.waitFor();
    assert.equal(await ai.version.inputValue(), versionId);
    const shown = await ai.runUntilListed(2);
    // Each label's share of the image's pixels as stored, never as a probability.
    const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { modelVersionId task outputs { label value } } }", { c: caseId });
    const stored = casePredictions.find((p) => p.modelVersionId === versionId);
    assert.equal(stored?.task, "SEGMENTATION");
    assert.deepEqual(
      shown.map((s) => [s.label, s.text]),
      stored.outputs.map((x) => [x.label, `${(x.value * 100).toFixed(1)} % of the image`]),
    );
    const disc = (Math.PI * DISC.r ** 2) / (256 * 224);
    const nodule = stored.outputs.find((x) => x.label === "nodule").value;
    assert.ok(Math.abs(nodule - disc) < 0.01, `the disc's share: ${nodule}, expected about ${disc}`);
    await expectText(ai.panel, "share of the image per label");
    assert.equal(await ai.label("nodule").locator(".ai-bar").count(), 0, "no probability bar");
    assert.equal(await page.locator(`[data-label-id="${lungLabelId}"]`).count(), 1, "the classification label is listed");
    assert.equal(await page.getByTestId("ai-badge").count(), 0, "no badge beside the classification label named like a segmentation label");

    // The regions: counted per label; "lung" names no ROI class, so its regions cannot be taken.
    await eventually(async () => assert.equal(await ai.regionCount("nodule"), 1), { timeout: 15_000 });
    assert.ok((await ai.regionCount("lung")) >= 1, "the grey block is suggested as lung");
    await expectText(ai.label("nodule"), "1 suggested region");
    await expectText(ai.regionNotes, "No ROI class named 'lung': add one in the project's settings to take these regions.");
    assert.ok(await ai.addRegions("lung").isDisabled(), "lung's regions have no class to go to");
    assert.ok(await ai.addRegions("nodule").isEnabled());
    await expectText(ai.addRegions("nodule"), "Add to my regions");
    const { predictionRegions } = await gql(
      page,
      "query($c: ID!, $v: ID!) { predictionRegions(caseId: $c, modelVersionId: $v) { regions { label roiClassId } unmatchedLabels hesitant } }",
      { c: caseId, v: versionId },
    );
    assert.deepEqual(
      predictionRegions.regions.filter((r) => r.label === "nodule").map((r) => r.roiClassId),
      [classId],
    );
    assert.deepEqual(predictionRegions.unmatchedLabels, ["lung"]);
    // How unsure the model is, as the API keeps it: a share of the image, shown as a percentage.
    assert.ok(predictionRegions.hesitant >= 0 && predictionRegions.hesitant <= 1, `hesitant ${predictionRegions.hesitant}`);
    const unsure = page.getByTestId("ai-hesitant");
    assert.equal(Number(await unsure.getAttribute("data-share")), predictionRegions.hesitant);
    assert.match(await unsure.innerText(), /^Unsure on (0|under 0\.1|\d+(\.\d)?) % of the image$/);

    // Over the image, dash-dotted: the nodule's in its class colour, lung's neutral grey.
    await eventually(async () => assert.equal(await ai.suggestionShapes(NODULE.stroke).count(), 1), { timeout: 15_000 });
    assert.ok((await ai.suggestionShapes(GREY).count()) >= 1, "lung's regions are drawn in grey");
    assert.ok(await ai.showRegions.isChecked(), "shown by default");
    await screenshot(page, "72-ai-segmentation");
    await ai.showRegions.uncheck();
    await eventually(async () => assert.equal(await ai.suggestionShapes().count(), 0));
    await ai.showRegions.check();
    await eventually(async () => assert.equal(await ai.suggestionShapes(NODULE.stroke).count(), 1));

    // Nothing is the reader's until they add it.
    await expectText(page.getByRole("region", { name: /^Regions of interest/ }), "None drawn yet.");
    const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id } } }", { c: caseId });
    assert.ok(!myAnnotation || myAnnotation.rois.length === 0, "no suggested region is in the reader's annotation");
  });

  it("segmentation: adds the nodule's regions to the reader's own: a FREEHAND ROI of its class around the disc", async () => {
    const page = o.page;
    const ai = new AiSuggestions(page);
    const viewer = new CaseReadPage(page);
    await ai.addRegions("nodule").click();

    // The button says they are added, and they cannot be added twice.
    await expectText(ai.addRegions("nodule"), "Added to my regions");
    assert.ok(await ai.addRegions("nodule").isDisabled());
    assert.ok(await ai.addAll.isDisabled(), "nothing left to add: lung's regions have no class");
    await expectText(ai.addAll, "All added");

    // The reader's own region, listed and drawn as theirs (solid) instead of the suggestion.
    await eventually(async () => assert.equal(await viewer.rois.count(), 1));
    const listed = viewer.rois.first();
    assert.equal(await listed.getAttribute("data-class-id"), classId);
    assert.equal(await listed.getAttribute("data-kind"), "FREEHAND");
    await eventually(async () => assert.deepEqual(await strokes(page, NODULE.stroke), [{ dash: null }]));

    // Stored in the draft, through the reader's layer as drawn regions are.
    const { case: theCase } = await gql(page, "query($c: ID!) { case(id: $c) { sopInstanceUid } }", { c: caseId });
    const roi = await eventually(
      async () => {
        const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { status rois { id classId kind points sopInstanceUid frame suggestedBy suggestionChanged } } }", {
          c: caseId,
        });
        assert.equal(myAnnotation?.status, "DRAFT");
        assert.equal(myAnnotation.rois.length, 1);
        return myAnnotation.rois[0];
      },
      { timeout: 15_000, interval: 250 },
    );
    assert.equal(roi.id, await listed.getAttribute("data-roi-id"));
    assert.equal(roi.classId, classId);
    assert.equal(roi.kind, "FREEHAND");
    assert.equal(roi.sopInstanceUid, theCase.sopInstanceUid);
    assert.equal(roi.frame, 1);
    const xs = roi.points.map((p) => p[0]);
    const ys = roi.points.map((p) => p[1]);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const expected = [DISC.cx - DISC.r, DISC.cy - DISC.r, DISC.cx + DISC.r, DISC.cy + DISC.r];
    for (const [i, v] of box.entries()) assert.ok(Math.abs(v - expected[i]) <= 3, `bounding box ${box} against the disc's ${expected}`);
    // Taken from the model, as it suggested it: the stored region says which model, and the list too.
    assert.equal(roi.suggestedBy, versionId);
    assert.equal(roi.suggestionChanged, false);
    takenRoiId = roi.id;
    await expectText(listed.getByTestId("roi-origin"), "from disc-segmenter · version 1, as suggested");
    assert.equal(await listed.getAttribute("data-suggested-by"), versionId);

    // Undone, the region is a suggestion again, to be added; redone, it is the same region of the reader's.
    await page.keyboard.press("Control+z");
    await eventually(async () => assert.equal(await viewer.rois.count(), 0));
    await expectText(ai.addRegions("nodule"), "Add to my regions");
    assert.ok(await ai.addRegions("nodule").isEnabled());
    await eventually(async () => assert.equal(await ai.suggestionShapes(NODULE.stroke).count(), 1));
    await eventually(async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id } } }", { c: caseId });
      assert.equal(myAnnotation.rois.length, 0);
    });
    await page.keyboard.press("Control+Shift+Z");
    await eventually(async () => assert.equal(await viewer.rois.count(), 1));
    assert.equal(await viewer.rois.first().getAttribute("data-roi-id"), takenRoiId);
    await expectText(ai.addRegions("nodule"), "Added to my regions");
    await eventually(async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id suggestedBy } } }", { c: caseId });
      assert.deepEqual(myAnnotation.rois, [{ id: takenRoiId, suggestedBy: versionId }]);
    });
  });

  it("segmentation: the owner submits the case; on the review page the model against them is one comparison with Dice 1.00, the suggestion taken unchanged", async () => {
    const page = o.page;
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
    const samId = (await gql(page, "{ me { id } }")).me.id;
    // The ROI export names the model version the region was taken from, and that it is unchanged.
    const csv = await fetchCsv(page, `/export/projects/${projectId}/rois.csv`);
    assert.deepEqual(csv.header.slice(-3), ["suggested_by", "suggestion_changed", "split"]);
    assert.deepEqual(
      csv.rows.map((r) => [r.roi_id, r.version, r.suggested_by, r.suggestion_changed]),
      [[takenRoiId, "1", versionId, "0"]],
    );

    // A classification model too, READY: the review page offers only the segmentation model.
    await registerReadyModel(page, projectId, "chest-classifier", builtModel());

    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByRole("link", { name: "Review", exact: true }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/review$`));
    const section = page.getByTestId("model-agreement");
    await expectText(section.locator("summary"), "Segmentation model against readers");
    const version = section.getByLabel("Segmentation model version");
    await expectTexts(version.locator("option"), ["disc-segmenter · version 1"]);
    await version.selectOption(versionId);

    await expectText(section.getByTestId("model-agreement-cases"), "Cases compared: 1");
    // Sam's row and the class's: reader or class, comparisons, mean Dice, median Dice, mean IoU; and
    // Sam's regions taken from the model as suggested, taken and changed, and drawn.
    await expectTexts(section.locator(`tr[data-reader="${samId}"] > *`), [sam.name, "1", "1.00", "1.00", "1.00", "1", "0", "0"]);
    await expectTexts(section.locator(`tr[data-roi-class="${classId}"] > *`), [NODULE.name, "1", "1.00", "1.00", "1.00"]);
    assert.equal(await section.locator("tr[data-reader]").count(), 1, "one reader");
    assert.equal(await section.getByTestId("model-agreement-skipped").count(), 0, "nothing left out: the image's size is known");
    // The masks are the same, not merely close.
    const { modelRoiAgreement } = await gql(page, "query($p: ID!, $v: ID!) { modelRoiAgreement(projectId: $p, modelVersionId: $v) { readers { reader { id } overlap { n meanDice meanIou } } } }", {
      p: projectId,
      v: versionId,
    });
    assert.deepEqual(modelRoiAgreement.readers, [{ reader: { id: samId }, overlap: { n: 1, meanDice: 1, meanIou: 1 } }]);
    await screenshot(page, "73-ai-segmentation-review");
  });

  it("segmentation: a revision where the owner reshapes the taken region on the image: still the model's, now changed, in the draft, the list and rois.csv; the suggestion it still covers is not offered again", async () => {
    const page = o.page;
    const viewer = new CaseReadPage(page);
    await viewer.goto(projectId, caseId);
    assert.equal((await viewer.settled()).state, "loaded");
    await page.getByRole("button", { name: "Revise", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Draft");
    const [before] = await eventually(async () => {
      const list = await viewer.roiList();
      assert.deepEqual(list.map((r) => r.id), [takenRoiId]);
      return list;
    });
    // Visited again: the suggestion counts as taken (the owner's region holds it unchanged), so it
    // is neither offered nor drawn a second time.
    // (The newer classifier has no prediction on this case: the page opens on the segmenter's.)
    const ai = new AiSuggestions(page);
    await eventually(async () => assert.equal(await ai.version.inputValue(), versionId));
    await expectText(ai.addRegions("nodule"), "Added to my regions");
    assert.ok(await ai.addRegions("nodule").isDisabled());
    await eventually(async () => assert.deepEqual(await strokes(page, NODULE.stroke), [{ dash: null }]));

    // In Window/level mode a press on the outline edits it: from its rightmost point out to the
    // right, down and back in across it, a bulge of about 10 image pixels.
    const right = before.points.reduce((a, p) => (p[0] > a[0] ? p : a));
    const box = await viewer.imageBox();
    const at = ([x, y]) => [box.x + (x * box.width) / 256, box.y + (y * box.height) / 224];
    await viewer.trace([at([right[0] - 0.3, right[1]]), at([right[0] + 10, right[1]]), at([right[0] + 10, right[1] + 12]), at([right[0] - 8, right[1] + 12])]);

    // Stored: another outline, reaching further right, still taken from the model, now changed.
    const roi = await eventually(
      async () => {
        const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { version status rois { id points suggestedBy suggestionChanged } } }", { c: caseId });
        assert.equal(myAnnotation.version, 2);
        assert.equal(myAnnotation.status, "DRAFT");
        assert.deepEqual(myAnnotation.rois.map((r) => r.id), [takenRoiId]);
        assert.equal(myAnnotation.rois[0].suggestionChanged, true);
        return myAnnotation.rois[0];
      },
      { timeout: 10_000, interval: 250 },
    );
    assert.equal(roi.suggestedBy, versionId);
    assert.ok(Math.max(...roi.points.map((p) => p[0])) > right[0] + 5, `the outline was not reshaped: ${JSON.stringify(roi.points)}`);
    const listed = viewer.rois.first();
    await expectText(listed.getByTestId("roi-origin"), "from disc-segmenter · version 1, changed");
    // Changed, the region no longer holds the suggestion; but it still lies where the suggestion
    // does (most of their areas shared), so the suggestion is not offered again: taking it would put
    // a second nodule there.
    await expectText(ai.addRegions("nodule"), "Add to my regions");
    assert.ok(await ai.addRegions("nodule").isDisabled(), "covered by the owner's own region");
    await expectText(ai.label("nodule").getByTestId("ai-region-count"), "1 suggested region, 1 where you have one");
    await expectText(ai.regions.getByTestId("ai-regions-covered"), "1 not added: a region of yours of the same class lies there");
    await listed.scrollIntoViewIfNeeded();
    await screenshot(page, "74-ai-segmentation-changed");

    // Submitted: the export of every version has the region unchanged in version 1 and changed in 2.
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 2)");
    const { rows } = await fetchCsv(page, `/export/projects/${projectId}/rois.csv?versions=all`);
    assert.deepEqual(
      rows.map((r) => [r.roi_id, r.version, r.suggested_by, r.suggestion_changed]).sort((a, b) => a[1].localeCompare(b[1])),
      [
        [takenRoiId, "1", versionId, "0"],
        [takenRoiId, "2", versionId, "1"],
      ],
    );
  });
});

describe("ai: a classifier on a CT series, each label from its strongest slice", { timeout: 240_000 }, () => {
  const cy = { name: "Cy Owner", email: `cy.${run}@example.org`, password: "copper harbour violin 5" };
  /** Bleed rises with a slice's mean brightness, Clear falls: the head is ±8 on an average-pooled image (see series-classification.test.ts). */
  const SERIES_LABELS = ["Bleed", "Clear"];
  let o;
  let projectId;
  let caseId;
  /** The stored slices' UIDs, in the viewer's order (instance number). */
  let sops;

  before(async () => {
    o = await openBrowser("cy");
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  it("series: an owner's series project holds one case of four CT slices (a disc growing slice by slice) and a READY brightness classifier", async () => {
    const page = o.page;
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp(cy);
    const list = new ProjectListPage(page);
    await list.goto();
    projectId = await list.createProject({ name: `AI series ${run}` });
    await gql(page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", { id: projectId, input: { caseUnit: "SERIES" } });
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([3, 1, 4, 2].map((n) => ({ name: `IM000${n}.dcm`, mimeType: "application/dicom", buffer: ctSlice(n, `ai-series-${run}`) })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "4 stored, 0 refused", { timeout: 30_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id images } } } }", { p: projectId });
    assert.deepEqual(cases.edges.map((e) => e.node.images), [4]);
    caseId = cases.edges[0].node.id;

    const bytes = buildClassifierModel(
      { size: S, layers: [{ op: "avgpool", kernel: 2 }], featureShape: [1, S / 2, S / 2], channelNames: ["grey"] },
      { task: "multilabel", weights: Float32Array.of(8, -8), bias: Float32Array.of(-2, 1), labels: SERIES_LABELS },
    );
    const metadata = {
      input: { name: INPUT, shape: [1, 1, S, S], normalisation: { kind: "meanStd", mean: 0, std: 0.05 } },
      task: "multilabel",
      output: { name: PROBABILITIES, labels: SERIES_LABELS },
      cam: { featureMap: FEATURES, weights: [[8], [-8]] },
    };
    await registerReadyModel(page, projectId, "brightness", { bytes, metadata });
  });

  it("series: Run AI names each label's strongest slice and draws its output on every slice; Show and the trace go to a slice", async () => {
    const page = o.page;
    const viewer = new CaseReadPage(page);
    await viewer.goto(projectId, caseId);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const index = page.locator(".case-viewer .overlay-index");
    await expectText(index, "Image 1 / 4");

    const ai = new AiSuggestions(page);
    await ai.panel.waitFor();
    await ai.runUntilListed(2);
    const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { outputs { label value sopInstanceUid frame } slices { aggregate images { sopInstanceUid frame values } } } }", { c: caseId });
    const [stored] = casePredictions;
    assert.equal(stored.slices.aggregate, "MAX");
    sops = stored.slices.images.map((i) => i.sopInstanceUid);
    assert.equal(new Set(sops).size, 4);
    // The disc grows with the slice: Bleed is strongest on the last, Clear on the first; each output is that slice's.
    const bleed = stored.slices.images.map((i) => i.values[0]);
    assert.deepEqual([...bleed].sort((a, b) => a - b), bleed, `Bleed rises slice by slice: ${bleed}`);
    assert.deepEqual(stored.outputs.map((x) => [x.label, x.sopInstanceUid, x.frame]), [["Bleed", sops[3], 1], ["Clear", sops[0], 1]]);
    assert.equal(stored.outputs[0].value, bleed[3]);

    const slicesOf = (label) => ai.label(label).getByTestId("ai-slices");
    await expectText(slicesOf("Bleed"), "Highest on image 4 of 4");
    await expectText(slicesOf("Clear"), "Highest on image 1 of 4");
    assert.equal(await slicesOf("Bleed").getAttribute("data-index"), "3");
    assert.ok((await ai.label("Bleed").getByTestId("ai-trace").locator("polyline").getAttribute("points")).split(" ").length === 4, "one point per slice");
    await screenshot(page, "75-ai-series");

    await slicesOf("Bleed").getByTestId("ai-show-slice").click();
    await expectText(index, "Image 4 / 4");
    // Each trace marks the image shown.
    await eventually(async () => assert.equal(await ai.label("Clear").getByTestId("ai-trace-shown").getAttribute("data-index"), "3"));
    await slicesOf("Clear").getByTestId("ai-show-slice").click();
    await expectText(index, "Image 1 / 4");
    // The trace: its drawing spans 160 units from x = 2 (the viewBox's margin); a third of the way along is slice 2.
    const trace = ai.label("Clear").getByTestId("ai-trace");
    await trace.click({ position: { x: 2 + 160 / 3, y: 10 } });
    await expectText(index, "Image 2 / 4");
    await eventually(async () => assert.equal(await ai.label("Bleed").getByTestId("ai-trace-shown").getAttribute("data-index"), "1"));
    // From the keyboard: the trace is a slider over the slices.
    const bleedTrace = ai.label("Bleed").getByRole("slider");
    await bleedTrace.focus();
    await page.keyboard.press("ArrowRight");
    await expectText(index, "Image 3 / 4");
    await page.keyboard.press("End");
    await expectText(index, "Image 4 / 4");
    assert.equal(await bleedTrace.getAttribute("aria-valuetext"), "image 4 of 4");
    await page.keyboard.press("Home");
    await expectText(index, "Image 1 / 4");
  });

  it("series: a label's heatmap goes to its slice and lies only there, over the whole image", async () => {
    const page = o.page;
    const ai = new AiSuggestions(page);
    const viewer = new CaseReadPage(page);
    const index = page.locator(".case-viewer .overlay-index");
    await ai.heatmapLabel.selectOption("Bleed");
    await ai.showHeatmap.check();
    await expectText(index, "Image 4 / 4");
    const { predictionHeatmap } = await gql(page, "query($c: ID!, $v: ID!) { predictionHeatmap(caseId: $c, modelVersionId: $v, label: \"Bleed\") { sopInstanceUid frame } }", {
      c: caseId,
      v: await ai.version.inputValue(),
    });
    assert.deepEqual(predictionHeatmap, { sopInstanceUid: sops[3], frame: 1 });
    const covers = (visible = true) =>
      eventually(async () => {
        const s = await ai.overlayState();
        assert.ok(s, "the overlay is drawn");
        const box = await viewer.imageBox();
        for (const [k, v] of [["x", box.x], ["y", box.y], ["width", box.width], ["height", box.height]]) assert.ok(Math.abs(s[k] - v) < 2, `${k}: overlay ${s[k]}, image ${v}`);
        assert.equal(s.opaque > 0, visible, visible ? "the heatmap has visible pixels" : "the heatmap is empty");
      }, { timeout: 15_000 });
    await covers();
    await page.getByRole("button", { name: "Previous image" }).click();
    await expectText(index, "Image 3 / 4");
    await eventually(async () => assert.equal(await ai.overlay.count(), 0, "not on another slice"));
    await page.getByRole("button", { name: "Next image" }).click();
    await expectText(index, "Image 4 / 4");
    await covers();
    // Clear's map lies on the first slice: choosing it goes there. It is empty: Clear's weight is
    // negative on a feature map that is positive everywhere, so no pixel speaks for it.
    await ai.heatmapLabel.selectOption("Clear");
    await expectText(index, "Image 1 / 4");
    await covers(false);
  });

  it("series: the owner exports the model's predictions from the Progress page: a case row per label, then one per slice", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const jobs = page.getByRole("region", { name: "Background exports" });
    await jobs.getByLabel("Export format").selectOption("CSV_PREDICTIONS");
    await expectText(jobs.getByTestId("predictions-hint"), "Every model version's outputs on every case it ran on");
    assert.equal(await jobs.getByLabel("Export scope").count(), 0, "a predictions export has no scope to choose");
    const rows = parseCsv(fs.readFileSync(await backgroundExport(page, "CSV_PREDICTIONS", 0), "utf8"));
    const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { outputs { label value } slices { images { values } } } }", { c: caseId });
    const [stored] = casePredictions;
    assert.deepEqual(
      rows.map((r) => [r.label, r.level, r.sop_instance_uid, Number(r.value), r.aggregate]),
      stored.outputs.flatMap((x, k) => [
        [x.label, "case", sops[k === 0 ? 3 : 0], x.value, "max"],
        ...stored.slices.images.map((i, n) => [x.label, "image", sops[n], i.values[k], ""]),
      ]),
    );
    await expectText(jobs.getByRole("list", { name: "Exports" }), "Model predictions CSV · whole project");
  });

  it("series: a segmentation model on the series: each slice's share per label, and Show goes to the slice the label covers most", async () => {
    const page = o.page;
    // One label, "Disc": bright pixels (a softmax head with a background channel), on the raw values' scale.
    const bytes = buildPixelSegmenter({ size: S, weights: Float32Array.of(0, 10), bias: Float32Array.of(0, -10), activation: "softmax" });
    const metadata = { input: { name: INPUT, shape: [1, 1, S, S], normalisation: { kind: "meanStd", mean: 0, std: 0.01 } }, task: "segmentation", output: { name: SCORES, labels: ["Disc"] } };
    const finder = await registerReadyModel(page, projectId, "disc-finder", { bytes, metadata });
    const viewer = new CaseReadPage(page);
    await viewer.goto(projectId, caseId);
    assert.equal((await viewer.settled()).state, "loaded");
    const index = page.locator(".case-viewer .overlay-index");
    const ai = new AiSuggestions(page);
    await eventually(async () => assert.ok((await ai.version.locator("option").count()) >= 2));
    await ai.version.selectOption(finder.id);
    await ai.runUntilListed(1);
    const { casePredictions } = await gql(page, "query($c: ID!) { casePredictions(caseId: $c) { modelVersionId outputs { sopInstanceUid frame } slices { aggregate images { values } } } }", { c: caseId });
    const stored = casePredictions.find((p) => p.modelVersionId === finder.id);
    assert.equal(stored.slices.aggregate, "SHARE");
    // The disc grows slice by slice, so does its share of each slice; the label names the last slice.
    const shares = stored.slices.images.map((i) => i.values[0]);
    assert.deepEqual([...shares].sort((a, b) => a - b), shares, `shares ${shares}`);
    assert.ok(shares[0] > 0.1, `slice 1's disc found: ${shares[0]}`);
    assert.deepEqual([stored.outputs[0].sopInstanceUid, stored.outputs[0].frame], [sops[3], 1]);
    const slices = ai.label("Disc").getByTestId("ai-slices");
    await expectText(slices, "Most on image 4 of 4");
    await expectText(index, "Image 1 / 4");
    await slices.getByTestId("ai-show-slice").click();
    await expectText(index, "Image 4 / 4");
  });
});

