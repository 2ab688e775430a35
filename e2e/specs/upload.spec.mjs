// Images: an owner uploads a chest X-ray PNG and a file that is not an image through the UI, sees
// the batch's progress bar finish and the per-file answer, then the new case in the list; the
// stored image is served through the project's DICOMweb root to her browser session only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Dana Uploader", email: `dana.${run}@example.org`, password: "copper harbour evening 9" };

function chestPng() {
  const image = new PNG({ width: 96, height: 80, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(96 * 80).map((_, i) => (i * 7) % 256));
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
  });
});
