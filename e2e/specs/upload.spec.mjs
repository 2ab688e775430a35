// Images: an owner uploads a chest X-ray PNG and a file that is not an image through the UI, sees
// the batch's progress bar finish and the per-file answer, then the new case in the list; the
// stored image is served through the project's DICOMweb root to her browser session only. She
// splits a project's cases into train, validation and test, and filters the list by split.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Dana Uploader", email: `dana.${run}@example.org`, password: "copper harbour evening 9" };

function chestPng(seed = 0) {
  const image = new PNG({ width: 96, height: 80, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(96 * 80).map((_, i) => (i * 7 + seed) % 256));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe("images: upload with progress, per-file answers, cases, DICOMweb", { timeout: 180_000 }, () => {
  let a;
  before(async () => {
    a = await openBrowser("dana");
  });
  after(async () => {
    for (const p of a?.problems ?? []) console.log(`[dana] ${p}`);
    await a?.close();
  });

  it("uploads, reports file by file, lists the case and serves the image to members only", async () => {
    const signUp = new SignUpPage(a.page);
    await signUp.goto();
    await signUp.signUp(owner);
    const page = a.page;
    const list = new ProjectListPage(page);
    await list.goto();
    const projectId = await list.createProject({ name: `Chest X-ray ${run}` });

    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([
      { name: "cxr-0001.png", mimeType: "image/png", buffer: chestPng() },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") },
    ]);
    const batch = page.locator(".upload-batch").first();
    await expectText(batch.getByRole("status"), "1 stored, 1 refused");
    assert.equal(await batch.locator("progress").evaluate((el) => el.value), 1);
    await expectText(batch.locator('[data-status="STORED"]'), "cxr-0001.png");
    await expectText(batch.locator('[data-status="REFUSED"]'), "notes.txt: not a DICOM file");
    await expectText(page.getByRole("table", { name: "Cases" }), "cxr-0001");
    await screenshot(page, "20-images-uploaded");

    // The browser's session reads the project's DICOMweb root; a fresh context without it does not.
    const qido = await page.evaluate(async (root) => {
      const r = await fetch(`${root}/instances`, { headers: { accept: "application/dicom+json" } });
      return { status: r.status, body: await r.json() };
    }, `/dicomweb/projects/${projectId}`);
    assert.equal(qido.status, 200);
    assert.equal(qido.body.length, 1);
    assert.equal(qido.body[0]["00280010"].Value[0], 80);
    const anonymous = await fetch(`${baseUrl()}/dicomweb/projects/${projectId}/instances`);
    assert.equal(anonymous.status, 404);
    await eventually(async () => assert.equal(await page.getByRole("table", { name: "Cases" }).locator("tbody tr").count(), 1));

    // A mouse resting on a case starts loading its image, before any press (once the viewer's code,
    // which the page loads in the background, is there).
    const link = page.getByRole("link", { name: "cxr-0001" });
    await eventually(async () => {
      await page.mouse.move(0, 0);
      const asked = page.waitForRequest((r) => /\/frames\/1$/.test(r.url()), { timeout: 1_500 });
      await link.hover();
      await asked;
    });
  });

  it("keeps a detached NRRD header and its data file in one batch, where they become one volume", async () => {
    const page = a.page;
    const list = new ProjectListPage(page);
    await list.goto();
    const projectId = await list.createProject({ name: `Volumes ${run}` });
    // 24 images, then the header and its data: cut at 25 files a batch, the pair would be split.
    const [columns, rows, slices] = [12, 10, 6];
    const header = ["NRRD0004", "type: short", "dimension: 3", `sizes: ${columns} ${rows} ${slices}`, "space: left-posterior-superior", "space directions: (0.5,0,0) (0,0.5,0) (0,0,2)", "endian: little", "encoding: raw", "data file: ./ball.raw", ""].join("\n");
    const voxels = Buffer.alloc(columns * rows * slices * 2);
    for (let i = 0; i < columns * rows * slices; i++) voxels.writeInt16LE((i * 37) % 500, i * 2);
    const pngs = Array.from({ length: 24 }, (_, i) => ({ name: `img-${String(i).padStart(2, "0")}.png`, mimeType: "image/png", buffer: chestPng(i + 1) }));
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([
      ...pngs,
      { name: "ball.nhdr", mimeType: "application/octet-stream", buffer: Buffer.from(header, "latin1") },
      { name: "ball.raw", mimeType: "application/octet-stream", buffer: voxels },
    ]);
    const batches = page.locator(".upload-batch");
    await eventually(async () => assert.equal(await batches.count(), 2));
    await expectText(batches.nth(0).getByRole("status"), "24 stored, 0 refused");
    const second = batches.nth(1);
    await expectText(second.getByRole("status"), "1 stored, 0 refused");
    await expectText(second.locator('[data-status="STORED"]'), "ball.nhdr");
    await expectText(second.locator('[data-status="IGNORED"]'), "ball.raw: the image data of ball.nhdr, stored with it");
    const qido = await page.evaluate(async (root) => {
      const r = await fetch(`${root}/instances?limit=100`, { headers: { accept: "application/dicom+json" } });
      return r.json();
    }, `/dicomweb/projects/${projectId}`);
    const volume = qido.find((i) => i["00280008"]?.Value?.[0] === slices);
    assert.ok(volume, `no ${slices}-frame instance among ${qido.length}`);
    assert.deepEqual([volume["00280011"].Value[0], volume["00280010"].Value[0]], [columns, rows]);
    await expectText(page.getByRole("table", { name: "Cases" }), "ball");
  });

  it("takes a chosen folder with its subfolders, and files dropped on the panel", async () => {
    const page = a.page;
    const list = new ProjectListPage(page);
    await list.goto();
    const projectId = await list.createProject({ name: `Folders ${run}` });
    // study/ with two images and, a folder down, a detached header naming its data beside it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-e2e-folder-"));
    const study = path.join(dir, "study");
    fs.mkdirSync(path.join(study, "volume"), { recursive: true });
    fs.writeFileSync(path.join(study, "a.png"), chestPng(101));
    fs.writeFileSync(path.join(study, "b.png"), chestPng(102));
    fs.writeFileSync(path.join(study, ".DS_Store"), "litter");
    const header = ["NRRD0004", "type: unsigned char", "dimension: 3", "sizes: 8 6 3", "encoding: raw", "data file: v.raw", ""].join("\n");
    fs.writeFileSync(path.join(study, "volume", "v.nhdr"), header);
    fs.writeFileSync(path.join(study, "volume", "v.raw"), Buffer.from(Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 11) % 256)));
    try {
      await page.goto(`${baseUrl()}/projects/${projectId}/data`);
      await page.getByLabel("Choose a folder").setInputFiles(study);
      const batch = page.locator(".upload-batch").first();
      await expectText(batch.getByRole("status"), "3 stored, 0 refused");
      const names = await batch.locator(".upload-file").allInnerTexts();
      assert.deepEqual([...names].sort(), ["study/a.png", "study/b.png", "study/volume/v.nhdr", "study/volume/v.raw"]);
      await expectText(batch.locator('[data-status="IGNORED"]'), "study/volume/v.raw: the image data of study/volume/v.nhdr, stored with it");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // A drop of a file on the panel uploads it as choosing it would.
    const dataTransfer = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], "dropped.png", { type: "image/png" }));
      return dt;
    }, [...chestPng(103)]);
    await page.getByTestId("upload-drop").dispatchEvent("dragover", { dataTransfer });
    await page.getByTestId("upload-drop").dispatchEvent("drop", { dataTransfer });
    const second = page.locator(".upload-batch").nth(1);
    await expectText(second.getByRole("status"), "1 stored, 0 refused");
    await expectText(second.locator('[data-status="STORED"]'), "dropped.png");
    await expectText(page.getByRole("table", { name: "Cases" }), "dropped");
  });

  it("splits the cases 50/25/25 in the settings with 2 readers per test case, counts them, and lists only the test split's cases when filtered", async () => {
    const page = a.page;
    const list = new ProjectListPage(page);
    await list.goto();
    const projectId = await list.createProject({ name: `Splits ${run}` });
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles(Array.from({ length: 12 }, (_, i) => ({ name: `split-${String(i).padStart(2, "0")}.png`, mimeType: "image/png", buffer: chestPng(200 + i) })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "12 stored, 0 refused");

    const settings = new ProjectSettingsPage(page);
    await settings.goto(projectId);
    // Checked before sending: 50 + 60 leaves no test split.
    await settings.changeSplit({ train: 50, validation: 60 });
    await expectText(settings.split, "Train and validation add up to 110 %");
    assert.equal(await settings.testPercent.innerText(), "—");
    // Each case on its own: a dozen PNGs (each its own patient) put no group of several cases on one side.
    // Test cases with their own readers per case (2); the others need the project's readers per case.
    await settings.changeSplit({ validation: 25, keepTogether: "Nothing (each case on its own)", testReaders: 2 });
    await expectText(settings.splitStatus, "Dataset split saved.");
    assert.equal(await settings.testPercent.innerText(), "25 %");
    const { datasetSplitCounts: counts, project } = await gql(
      page,
      "query($p: ID!) { datasetSplitCounts(projectId: $p) { split cases } project(id: $p) { readersPerCase readersPerSplit { validation test } } }",
      { p: projectId },
    );
    assert.deepEqual(project.readersPerSplit, { validation: null, test: 2 });
    assert.equal(counts.reduce((n, c) => n + c.cases, 0), 12, JSON.stringify(counts));
    // The table was counted again after the save.
    await eventually(async () => assert.deepEqual(await settings.splitCounts.getByTestId("split-cases").allInnerTexts(), counts.map((c) => String(c.cases))));
    await eventually(async () => assert.deepEqual(await settings.splitCounts.getByTestId("split-readers").allInnerTexts(), [project.readersPerCase, project.readersPerCase, 2].map(String)));
    // The owner may view the statistics: each label's consensus per split, here none (the project has no labels).
    await expectText(settings.noSplitLabels, "The project has no classification labels.");
    await screenshot(page, "21-dataset-split");

    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    const splitsShown = () => table.locator("td[data-split]").allInnerTexts();
    const tests = counts.find((c) => c.split === "TEST").cases;
    await eventually(async () => assert.equal((await splitsShown()).filter((s) => s === "Test").length, tests));
    await page.getByLabel("Dataset split").selectOption({ label: "Test" });
    if (tests) await eventually(async () => assert.deepEqual(await splitsShown(), Array(tests).fill("Test")));
    else await expectText(page.locator(".empty"), "No case matches.");
    await screenshot(page, "22-images-test-split");
  });
});
