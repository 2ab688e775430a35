// Training from the project's own readings (issue 6's "models trained from the project's own
// annotations"): an owner whose reader drew a nodule's outline on twenty chest images trains a
// segmentation model from those ROIs on the models page, follows its progress to done, reads its
// held-out Dice, and sees the trained model suggest the nodule on a new image as a region of the
// class it learnt, which the reader can add to their annotation.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { AiSuggestions } from "../pages/AiSuggestions.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ModelsPage } from "../pages/ModelsPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Nia Owner", email: `nia.${run}@example.org`, password: "lantern meadow copper 5" };
const W = 192;
const H = 160;
const CASES = 20;

/** Where image n's nodule is: anywhere in the upper two thirds, 10–18 pixels across. */
function nodule(n) {
  return { cx: 30 + ((n * 53) % (W - 60)), cy: 25 + ((n * 31) % (H - 70)), r: 10 + (n % 5) * 2 };
}

/** A grey chest-like image with soft texture and a bright nodule. */
function png(n) {
  const { cx, cy, r } = nodule(n);
  const image = new PNG({ width: W, height: H, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(
    new Uint8Array(W * H).map((_, i) => {
      const x = i % W;
      const y = Math.floor(i / W);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r;
      return inside ? 225 : Math.round(70 + 30 * Math.sin(x / (5 + (n % 3))) * Math.cos(y / 11) + (y / H) * 40);
    }),
  );
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

const outline = ({ cx, cy, r }) => Array.from({ length: 24 }, (_, i) => [cx + r * Math.cos((i * Math.PI) / 12), cy + r * Math.sin((i * Math.PI) / 12)]);

describe("training: a segmentation model from the readers' ROIs", { timeout: 300_000 }, () => {
  let o;
  let projectId;
  let classId;
  const keys = new Map();

  before(async () => {
    o = await openBrowser("nia");
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  it("an owner uploads images with a nodule each and draws its outline on all but one as a freehand ROI", async () => {
    const page = o.page;
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp(owner);
    const list = new ProjectListPage(page);
    await list.goto();
    projectId = await list.createProject({ name: `Training ${run}` });
    const input = { kind: "ROI", roiShape: "FREEHAND", name: "Nodule", color: "#ff8800" };
    classId = (await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: input })).createLabel.id;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles(Array.from({ length: CASES + 1 }, (_, n) => ({ name: `nodule-${String(n).padStart(2, "0")}.png`, mimeType: "image/png", buffer: png(n) })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), `${CASES + 1} stored, 0 refused`, { timeout: 60_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 50) { edges { node { id key sopInstanceUid } } } }", { p: projectId });
    assert.equal(cases.edges.length, CASES + 1);
    // The case made from nodule-NN.png: its key names the file.
    for (const { node } of cases.edges) keys.set(Number(/nodule-(\d+)/.exec(node.key)?.[1] ?? NaN), node);
    assert.deepEqual([...keys.keys()].sort((a, b) => a - b), Array.from({ length: CASES + 1 }, (_, n) => n));
    // Image CASES stays unread: the model meets it first on the case page.
    for (let n = 0; n < CASES; n++) {
      const c = keys.get(n);
      const rois = n === 3 ? [] : [{ classId, kind: "FREEHAND", points: outline(nodule(n)), sopInstanceUid: c.sopInstanceUid }];
      await gql(page, "mutation($c: ID!, $i: AnnotationInput!) { submitAnnotation(caseId: $c, input: $i) { id } }", { c: c.id, i: { labels: [], rois } });
    }
  });

  it("trains from the ROIs on the models page, follows the progress to done and reads the held-out Dice", async () => {
    const page = o.page;
    const models = new ModelsPage(page);
    await models.goto(projectId);
    const train = page.getByRole("region", { name: "Train a model from this project's readings" });
    await train.getByLabel("ROIs: a segmentation model that suggests regions").check();
    await expectText(train.getByTestId("train-from-help"), "Learns each ROI class marked on at least 3 cases");
    await train.getByLabel("Name of the trained model", { exact: true }).fill("Nodule finder");
    await train.getByRole("button", { name: "Train", exact: true }).click();
    const job = train.getByRole("list", { name: "Training jobs" }).locator("li").first();
    await eventually(async () => assert.equal(await job.getAttribute("data-status"), "DONE"), { timeout: 180_000 });
    await expectText(job, "learnt from");
    const article = page.locator('article[data-model-name="Nodule finder"]');
    assert.equal((await article.locator("h3 .badge").textContent())?.trim(), "segmentation");
    const table = article.getByRole("table", { name: /Metrics of Nodule finder version 1/ });
    await expectText(table.locator("thead"), "Held-out Dice");
    await expectText(table.locator("tbody th"), "Nodule");
    const dice = Number(await table.getByTestId("holdout-dice").textContent());
    // The same number the API gives, and a model that finds most of the nodules it never saw.
    const { models: stored } = await gql(page, "query($p: ID!) { models(projectId: $p) { name task versions { id source metrics { label holdoutDice holdoutCount } } } }", { p: projectId });
    const version = stored.find((m) => m.name === "Nodule finder").versions[0];
    assert.equal(version.source, "TRAINED");
    assert.equal(dice.toFixed(3), version.metrics[0].holdoutDice.toFixed(3));
    // Held out: the cases outside the project's TRAIN split (each PNG its own patient), drawn by a hash
    // of the random project and patients: with 20 read cases, none held out happens 0.08 % of the time (0.7^20).
    assert.ok(version.metrics[0].holdoutCount > 0, "some cases are held out");
    await expectText(article.getByTestId("held-out-split"), "Learnt from the TRAIN split (70 % of patients); held out: VALIDATION and TEST (30 %)");
    assert.ok(dice > 0.5, `held-out Dice ${dice}`);
    await screenshot(page, "80-trained-from-rois");
    // The trained model downloads as ONNX (the stored bytes) with its metadata, to take elsewhere.
    const downloads = article.getByTestId("model-downloads");
    const [file] = await Promise.all([page.waitForEvent("download"), downloads.getByRole("link", { name: "Download ONNX" }).click()]);
    assert.equal(file.suggestedFilename(), "Nodule_finder-v1.onnx");
    const bytes = fs.readFileSync(await file.path());
    const { modelVersion } = await gql(page, "query($id: ID!) { modelVersion(id: $id) { sha256 metadataJson } }", { id: version.id });
    assert.equal(createHash("sha256").update(bytes).digest("hex"), modelVersion.sha256);
    const [meta] = await Promise.all([page.waitForEvent("download"), downloads.getByRole("link", { name: "metadata (JSON)" }).click()]);
    assert.deepEqual(JSON.parse(fs.readFileSync(await meta.path(), "utf8")), JSON.parse(modelVersion.metadataJson));
  });

  it("the trained model suggests the nodule on an image nobody read, as a Nodule region the reader adds", async () => {
    const page = o.page;
    const c = keys.get(CASES);
    await page.goto(`${baseUrl()}/projects/${projectId}/cases/${c.id}`);
    const viewer = new CaseReadPage(page);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const ai = new AiSuggestions(page);
    await ai.panel.waitFor();
    await ai.runUntilListed(1);
    await eventually(async () => assert.equal(await ai.regionCount("Nodule"), 1), { timeout: 15_000 });
    // Drawn over the image in the class's colour, dash-dotted as a suggestion.
    await eventually(async () => assert.equal(await ai.suggestionShapes("rgb(255, 136, 0)").count(), 1), { timeout: 15_000 });
    await screenshot(page, "81-trained-suggestion");
    await ai.addRegions("Nodule").click();
    await expectText(ai.addRegions("Nodule"), "Added to my regions");
    const roi = await eventually(
      async () => {
        const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { classId kind points } } }", { c: c.id });
        assert.equal(myAnnotation?.rois.length, 1);
        return myAnnotation.rois[0];
      },
      { timeout: 15_000, interval: 250 },
    );
    assert.equal(roi.classId, classId);
    assert.equal(roi.kind, "FREEHAND");
    // Around the nodule it never saw: its centre within the nodule, its size close to the nodule's.
    const { cx, cy, r } = nodule(CASES);
    const xs = roi.points.map((p) => p[0]);
    const ys = roi.points.map((p) => p[1]);
    const [mx, my] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    assert.ok(Math.hypot(mx - cx, my - cy) < r / 2, `centre (${mx}, ${my}) against (${cx}, ${cy})`);
    const across = Math.max(...xs) - Math.min(...xs);
    assert.ok(across > r && across < 3 * r, `${across} px across, the nodule ${2 * r}`);
  });
});
