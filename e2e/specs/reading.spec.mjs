// Reading: an annotator opens the next case from the queue, changes window/level, zooms, draws a
// rectangle and a freehand ROI, sets two labels with confidence (by keyboard and by mouse) and
// submits; the stored annotation has plausible timing; the owner (a manager) sees the reader's
// progress and downloads the CSV exports with those values.
import assert from "node:assert/strict";
import fs from "node:fs";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { unzipSync } from "fflate";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { ctSlice } from "../support/dicom.mjs";
import { backgroundExport } from "../support/exports.mjs";
import { fetchCsv, parseCsv } from "../support/csv.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Olga Owner", email: `olga.${run}@example.org`, password: "granite meadow lantern 4" };
const reader = { name: "Rafael Reader", email: `rafael.${run}@example.org`, password: "silver orchard compass 7" };

/** A 256 × 224 grey image with structure (so window/level visibly changes it); `phase` shifts it (another image). */
function chestPng(phase = 0) {
  const w = 256;
  const h = 224;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(127 + 100 * Math.sin((i % w) / 9 + phase) * Math.cos(Math.floor(i / w) / 13))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** A NIfTI-1 file's voxels (8-bit label masks), read from its header's offset and sizes (nifti1.h). */
function niftiVoxels(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getInt32(0, true), 348, "a little-endian NIfTI-1 header");
  assert.equal(view.getInt16(70, true), 2, "8-bit unsigned labels");
  const count = [1, 2, 3].reduce((n, d) => n * view.getInt16(40 + 2 * d, true), 1);
  const at = view.getFloat32(108, true);
  return Array.from(bytes.subarray(at, at + count));
}

describe("reading: queue, viewer, labels with confidence, ROIs, timing, progress and export", { timeout: 240_000 }, () => {
  let o;
  let r;
  let projectId;
  const labelIds = {};

  before(async () => {
    o = await openBrowser("olga");
    r = await openBrowser("rafael");
  });
  after(async () => {
    for (const b of [o, r]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await o?.close();
    await r?.close();
  });

  it("an owner sets up a project with labels and ROI classes, uploads a chest X-ray and adds a reader", async () => {
    await new SignUpPage(r.page).goto();
    await new SignUpPage(r.page).signUp(reader);
    const signUp = new SignUpPage(o.page);
    await signUp.goto();
    await signUp.signUp(owner);
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Reading ${run}` });
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", { id: projectId, input: { readersPerCase: 1 } });
    for (const [name, input] of [
      ["Effusion", { kind: "CLASSIFICATION", name: "Effusion", color: "#e6194b" }],
      ["Cardiomegaly", { kind: "CLASSIFICATION", name: "Cardiomegaly", color: "#3cb44b" }],
      ["Mass", { kind: "ROI", roiShape: "RECTANGLE", name: "Mass", color: "#ff00ff" }],
      ["Opacity", { kind: "ROI", roiShape: "FREEHAND", name: "Opacity", color: "#00c8ff" }],
    ]) {
      labelIds[name] = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: input })).createLabel.id;
    }
    await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: reader.email, role: "ANNOTATOR" } });

    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([{ name: "cxr-reading.png", mimeType: "image/png", buffer: chestPng() }]);
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
  });

  it("the reader opens the next case, works the image, sets labels and ROIs, and submits", async () => {
    const page = r.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/[0-9a-f-]{36}$`));
    const viewer = new CaseReadPage(page);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");

    // Window/level by drag, then zoom with the wheel.
    const windowBefore = await viewer.windowText.innerText();
    const canvas = await viewer.canvasBox();
    await viewer.drag([canvas.width / 2, canvas.height / 2], [canvas.width / 2 + 60, canvas.height / 2 + 40]);
    await eventually(async () => assert.notEqual(await viewer.windowText.innerText(), windowBefore));
    const zoomBefore = await viewer.zoom();
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.wheel(0, -200);
    await eventually(async () => assert.notEqual(await viewer.zoom(), zoomBefore));

    // A rectangle of class Mass and a freehand outline of class Opacity, inside the image.
    const box = await viewer.imageBox();
    const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Mass" });
    await viewer.button("Rectangle").click();
    await viewer.drag(at(0.3, 0.3), at(0.45, 0.42));
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Opacity" });
    await viewer.button("Freehand").click();
    const [cx, cy] = at(0.65, 0.6);
    await viewer.trace(Array.from({ length: 17 }, (_, i) => [cx + 20 * Math.cos((2 * Math.PI * i) / 16), cy + 15 * Math.sin((2 * Math.PI * i) / 16)]));
    await eventually(async () => assert.equal((await viewer.roiList()).length, 2));
    await viewer.button("Window/level").click();

    // Labels: Effusion by keyboard (1, X, then ] four times: 0 → 20 → 40 → 60 %), Cardiomegaly by mouse at 100 %.
    await page.locator("body").click({ position: { x: 2, y: 2 } }).catch(() => undefined);
    await page.waitForTimeout(1200);
    await page.keyboard.press("1");
    await page.keyboard.press("x");
    for (let i = 0; i < 4; i++) await page.keyboard.press("]");
    const effusion = page.locator(`[data-label-id="${labelIds.Effusion}"]`);
    await eventually(async () => assert.deepEqual([await effusion.getAttribute("data-value"), await effusion.getAttribute("data-confidence")], ["true", "60"]));
    await page.waitForTimeout(800);
    const cardio = page.locator(`[data-label-id="${labelIds.Cardiomegaly}"]`);
    await cardio.getByRole("checkbox").check();
    await cardio.getByRole("radio", { name: "100" }).click();
    await expectText(page.getByTestId("save-state"), "Draft saved", { timeout: 10_000 });
    await screenshot(page, "50-reading-before-submit");

    await page.keyboard.press("Control+Enter");
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
    await expectText(page.getByRole("button", { name: "Next case" }), "Next case");

    // The stored annotation: what was set, in image pixels, with plausible timing.
    const { myAnnotation: a } = await gql(
      page,
      `query($c: ID!) { myAnnotation(caseId: $c) { status version labels { labelId value confidence implicit seconds }
         rois { classId kind points } timing { caseSeconds clickCount labelClickCount labelClicks { labelId atSeconds } clamped } } }`,
      { c: page.url().split("/").pop() },
    );
    assert.equal(a.status, "SUBMITTED");
    const byLabel = Object.fromEntries(a.labels.map((l) => [l.labelId, l]));
    assert.deepEqual([byLabel[labelIds.Effusion].value, byLabel[labelIds.Effusion].confidence, byLabel[labelIds.Effusion].implicit], [true, 60, false]);
    assert.deepEqual([byLabel[labelIds.Cardiomegaly].value, byLabel[labelIds.Cardiomegaly].confidence], [true, 100]);
    assert.deepEqual(a.rois.map((x) => [x.classId, x.kind]).sort(), [
      [labelIds.Mass, "RECTANGLE"],
      [labelIds.Opacity, "FREEHAND"],
    ].sort());
    for (const roi of a.rois) for (const [x, y] of roi.points) assert.ok(x >= 0 && x <= 256 && y >= 0 && y <= 224, `ROI point ${x},${y} outside the 256 × 224 image`);
    const t = a.timing;
    assert.ok(t.caseSeconds >= 2 && t.caseSeconds < 120, `case seconds ${t.caseSeconds}`);
    assert.equal(t.clamped, false);
    assert.ok(t.clickCount >= 3, `clicks ${t.clickCount}`);
    const clicks = t.labelClicks.filter((c) => c.labelId === labelIds.Effusion);
    assert.ok(clicks.length >= 2 && clicks.every((c) => c.atSeconds > 0 && c.atSeconds <= t.caseSeconds), JSON.stringify(t.labelClicks));
    assert.ok(byLabel[labelIds.Effusion].seconds > 0.5, `Effusion seconds ${byLabel[labelIds.Effusion].seconds}`);

    // The queue has nothing more for this reader (one reader per case, and they read it).
    await page.getByRole("button", { name: "Next case" }).click();
    await expectText(page.getByRole("status").filter({ hasText: "No case needs you" }), "No case needs you");
  });

  it("the owner sees the reader's progress and exports the CSVs with those values", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const table = page.getByRole("table", { name: "Reader progress" });
    await expectText(table, reader.name);
    const row = table.locator("tr", { hasText: reader.name });
    await expectText(row, "1");
    await eventually(async () => assert.ok((await page.getByLabel("Time per label plot").count()) > 0));
    // The reader's one case as a box of case times, its numbers in the table under it.
    await page.getByText("Time per case, in numbers", { exact: true }).click();
    const caseRow = page.getByRole("table", { name: "Time per case" }).locator("tr", { hasText: reader.name });
    await expectText(caseRow, reader.name);
    assert.equal((await caseRow.locator("td").first().innerText()).trim(), "1", "one case time");
    await screenshot(page, "51-reading-progress");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download labels CSV" }).click()]);
    const labelsCsv = parseCsv(fs.readFileSync(await download.path(), "utf8"));
    const effusion = labelsCsv.find((x) => x.label === "Effusion");
    assert.ok(effusion, `no Effusion row in ${JSON.stringify(labelsCsv)}`);
    assert.equal(effusion.value, "1");
    assert.equal(effusion.confidence, "60");
    assert.ok(Number(effusion.seconds) > 0.5, `seconds ${effusion.seconds}`);
    assert.equal(labelsCsv.find((x) => x.label === "Cardiomegaly")?.confidence, "100");

    const [roiDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download ROIs CSV" }).click()]);
    const roisCsv = parseCsv(fs.readFileSync(await roiDownload.path(), "utf8"));
    assert.equal(roisCsv.length, 2, JSON.stringify(roisCsv));
    assert.deepEqual(roisCsv.map((x) => x.kind).sort(), ["FREEHAND", "RECTANGLE"]);

    // A background export: COCO of all readers, followed live to its end, then downloaded.
    const coco = JSON.parse(fs.readFileSync(await backgroundExport(page, "COCO", 0), "utf8"));
    assert.equal(coco.annotations.length, 2, JSON.stringify(coco.annotations));
    assert.deepEqual(coco.annotations.map((a) => a.segmentation[0].length >= 6).sort(), [true, true]);
    assert.ok(coco.images.some((im) => im.width === 256 && im.height === 224), JSON.stringify(coco.images));
    await screenshot(page, "52-background-export");
  });

  it("the owner imports the reader's exported DICOM SR as their own annotation, file by file on the data page", async () => {
    const page = o.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const entries = unzipSync(fs.readFileSync(await backgroundExport(page, "DICOM_SR", 1)));
    const reports = Object.keys(entries).filter((n) => n.endsWith("-sr.dcm"));
    assert.equal(reports.length, 1, `one report (one case, one reader): ${Object.keys(entries).join(", ")}`);
    const [caseKey] = reports[0].split("/");

    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const panel = page.getByRole("region", { name: "Import annotations (DICOM SR, SEG or label masks)" });
    await panel.getByLabel("Choose SR, SEG or mask files").setInputFiles([
      { name: "reader-report.dcm", mimeType: "application/dicom", buffer: Buffer.from(entries[reports[0]]) },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a DICOM file") },
    ]);
    await expectText(panel.getByRole("status"), "1 imported, 1 not imported");
    const results = panel.getByRole("list", { name: "Report import results" }).locator(":scope > li");
    const imported = results.filter({ hasText: "reader-report.dcm" });
    assert.equal(await imported.getAttribute("data-status"), "IMPORTED");
    await expectText(imported, `case ${caseKey}, version 1: 2 labels, 2 ROIs`);
    const junk = results.filter({ hasText: "notes.txt" });
    assert.equal(await junk.getAttribute("data-status"), "REFUSED");
    assert.ok((await junk.innerText()).length > "notes.txt Refused".length, "the refusal says why");
    await screenshot(page, "53-sr-import");

    // The owner's own annotation of that case now holds the reader's labels and ROIs.
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: projectId });
    const caseId = cases.edges.find((e) => e.node.key === caseKey)?.node.id;
    assert.ok(caseId, `no case ${caseKey}`);
    const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { status version labels { labelId value confidence implicit } rois { kind } } }", { c: caseId });
    assert.equal(myAnnotation.status, "SUBMITTED");
    const explicit = myAnnotation.labels.filter((l) => !l.implicit);
    assert.deepEqual(
      explicit.map((l) => [l.labelId, l.value, l.confidence]).sort(),
      [
        [labelIds.Cardiomegaly, true, 100],
        [labelIds.Effusion, true, 60],
      ].sort(),
    );
    assert.deepEqual(myAnnotation.rois.map((x) => x.kind).sort(), ["FREEHAND", "RECTANGLE"]);

    // The reader's DICOM SEG export, imported the same way: the regions again (the rectangle traced
    // back to a rectangle), as version 2, the labels the owner's own as before.
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const segEntries = unzipSync(fs.readFileSync(await backgroundExport(page, "DICOM_SEG", 2)));
    // The owner now has ROIs too (the SR import): the reader's file is the one named by the reader's id, as the SR was.
    const readerId = reports[0].split("/")[1].replace(/-v1-sr\.dcm$/, "");
    const segs = Object.keys(segEntries).filter((n) => n.endsWith("-seg.dcm") && n.includes(readerId));
    assert.equal(segs.length, 1, `one segmentation of the reader's (${readerId}): ${Object.keys(segEntries).join(", ")}`);
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await panel.getByLabel("Choose SR, SEG or mask files").setInputFiles([{ name: "reader-seg.dcm", mimeType: "application/dicom", buffer: Buffer.from(segEntries[segs[0]]) }]);
    await expectText(panel.getByRole("status"), "1 imported, 0 not imported");
    await expectText(results.filter({ hasText: "reader-seg.dcm" }), `case ${caseKey}, version 2: 0 labels, 2 ROIs`);
    const { myAnnotation: v2 } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { version labels { labelId value confidence implicit } rois { kind } } }", { c: caseId });
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.labels.filter((l) => !l.implicit).map((l) => [l.labelId, l.value, l.confidence]).sort(), explicit.map((l) => [l.labelId, l.value, l.confidence]).sort());
    assert.deepEqual(v2.rois.map((x) => x.kind).sort(), ["FREEHAND", "RECTANGLE"]);

    // The NIfTI export (an nnU-Net dataset): the case's image, and each reader's label mask in which
    // both ROIs' classes hold pixels under the values dataset.json gives them.
    await page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const nifti = unzipSync(fs.readFileSync(await backgroundExport(page, "NIFTI", 3)));
    // With every reader chosen, the panel says where the masks go and how to get a training set.
    await expectText(page.getByTestId("nifti-hint"), "choose one reader or the consensus");
    const dataset = JSON.parse(Buffer.from(nifti["dataset.json"]).toString("utf8"));
    const readerMask = Object.keys(nifti).find((n) => n.startsWith(`readers/${readerId}/`));
    assert.ok(readerMask, `the reader's mask: ${Object.keys(nifti).join(", ")}`);
    assert.ok(Object.keys(nifti).some((n) => /^images(Tr|Ts)\/.+_0000\.nii\.gz$/.test(n)), "the case's image");
    const voxels = niftiVoxels(gunzipSync(nifti[readerMask]));
    const classValues = Object.entries(dataset.labels).filter(([, v]) => v > 0);
    assert.equal(classValues.length, 2, `two ROI classes: ${JSON.stringify(dataset.labels)}`);
    for (const [name, value] of classValues) assert.ok(voxels.filter((v) => v === value).length > 0, `pixels of ${name} (${value}) in the reader's mask`);
  });

  it("a project that reads series makes one case of a CT series, and the viewer pages through its slices", async () => {
    const page = o.page;
    const list = new ProjectListPage(page);
    await list.goto();
    const seriesProject = await list.createProject({ name: `Series ${run}` });
    await gql(page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", {
      id: seriesProject,
      input: { caseUnit: "SERIES" },
    });
    await page.goto(`${baseUrl()}/projects/${seriesProject}/data`);
    await page.getByLabel("Choose files").setInputFiles([1, 2, 3].map((n) => ({ name: `IM000${n}.dcm`, mimeType: "application/dicom", buffer: ctSlice(n, `reading-e2e-${run}`) })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "3 stored, 0 refused");
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key images sopInstanceUid } } } }", { p: seriesProject });
    assert.deepEqual(
      cases.edges.map((e) => [e.node.key, e.node.images, e.node.sopInstanceUid]),
      [["IM0001", 3, null]],
    );

    const viewer = new CaseReadPage(page);
    await viewer.goto(seriesProject, cases.edges[0].node.id);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const index = page.locator(".case-viewer .overlay-index");
    await expectText(index, "Image 1 / 3");
    const region = await viewer.imageBox();
    const first = (await viewer.greys(region)).values;
    await page.getByRole("button", { name: "Next image" }).click();
    await page.getByRole("button", { name: "Next image" }).click();
    await expectText(index, "Image 3 / 3");
    await eventually(async () => {
      const third = (await viewer.greys(region)).values;
      let changed = 0;
      for (let i = 0; i < Math.min(first.length, third.length); i++) if (first[i] !== third[i]) changed++;
      assert.ok(changed > 50, `slice 3 looks like slice 1 (${changed} pixels differ)`);
    });

    // Cine: the slices play as a loop (10 frames a second: the files ask for no rate), around from
    // the last to the first, until paused.
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-cine"), "10"));
    await expectText(page.getByLabel("Frames per second").locator("option:checked"), "10 fps");
    await expectText(index, "Image 1 / 3");
    await expectText(index, "Image 2 / 3");
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-cine"), null));
    const paused = await index.innerText();
    await page.waitForTimeout(400);
    assert.equal(await index.innerText(), paused, "the loop went on after Pause");
    // Where the slice shown lies: slice k at 2.5 k mm along the series, 2.5 mm thick.
    const k = Number(/Image (\d) \/ 3/.exec(paused)[1]);
    await expectText(page.locator(".case-viewer .overlay-slice"), `Loc ${2.5 * k} mm · Thick 2.5 mm`);
  });

  it("while the reader reads a case, the next case's image loads; Next case then shows it without fetching it again", async () => {
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([1, 2].map((k) => ({ name: `ahead-${k}.png`, mimeType: "image/png", buffer: chestPng(k) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "2 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 20) { edges { node { id key sopInstanceUid } } } }", { p: projectId });
    const ahead = cases.edges.map((e) => e.node).filter((c) => c.key.startsWith("ahead-"));
    assert.equal(ahead.length, 2, JSON.stringify(cases.edges.map((e) => e.node.key)));

    const page = r.page;
    const frames = [];
    const onRequest = (req) => {
      if (/\/frames\/1$/.test(req.url())) frames.push(req.url());
    };
    page.on("request", onRequest);
    try {
      await page.goto(`${baseUrl()}/projects/${projectId}/data`);
      await page.getByRole("button", { name: "Start reading" }).click();
      await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
      // Uploaded together, the two are equally old: the queue picks either first.
      const first = ahead.find((c) => page.url().endsWith(c.id));
      const second = ahead.find((c) => c !== first);
      assert.ok(first, `${page.url()} is not one of the new cases`);
      const viewer = new CaseReadPage(page);
      assert.equal((await viewer.settled()).state, "loaded");
      // Nothing pressed yet: the queue's next case (the other one) is asked for in the background.
      await eventually(async () => assert.equal(frames.filter((u) => u.includes(second.sopInstanceUid)).length, 1, frames.join("\n")), { timeout: 20_000 });

      await page.locator("body").click({ position: { x: 2, y: 2 } }).catch(() => undefined);
      await page.keyboard.press("Control+Enter");
      await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
      await page.getByRole("button", { name: "Next case" }).click();
      await page.waitForURL(new RegExp(`/cases/${second.id}$`));
      await expectText(page.locator(".case-read-head h1"), second.key);
      await eventually(async () => {
        assert.equal(await viewer.viewer.getAttribute("data-state"), "loaded");
        assert.ok(await page.getByTestId("image-loaded").isVisible());
      });
      // Shown from what was loaded ahead: its frame was fetched once, before the press.
      assert.equal(frames.filter((u) => u.includes(second.sopInstanceUid)).length, 1, frames.join("\n"));
    } finally {
      page.off("request", onRequest);
    }
  });
  it("a reader skips a case they will not read, with a reason; the owner sees it live and returns it to the reader's queue", async () => {
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([1, 2].map((k) => ({ name: `skip-${k}.png`, mimeType: "image/png", buffer: chestPng(10 + k) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "2 stored, 0 refused");
    // The owner follows progress while the reader works: the skip shows without a reload.
    await o.page.goto(`${baseUrl()}/projects/${projectId}/progress`);
    const skipped = o.page.getByRole("table", { name: "Skipped cases" });
    await expectText(o.page.getByRole("heading", { name: /Skipped cases/ }), "(0)");

    const page = r.page;
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const skippedCaseId = page.url().split("/").pop();
    const skippedKey = (await page.locator(".case-read-head h1").innerText()).trim();
    await page.getByRole("button", { name: "Skip this case…" }).click();
    const form = page.getByRole("form", { name: "Skip this case" });
    const go = form.getByRole("button", { name: "Skip and open the next case" });
    assert.equal(await go.isDisabled(), true, "no reason chosen yet");
    // "Other" needs a note.
    await form.getByRole("radio", { name: /^Other/ }).check();
    assert.equal(await go.isDisabled(), true, "Other without a note");
    await form.getByRole("radio", { name: /^Image not of diagnostic quality/ }).check();
    await form.getByRole("textbox", { name: /^Note/ }).fill("motion blur over the bases");
    await screenshot(page, "53-skip-case");
    await go.click();
    // On to another case.
    await page.waitForURL((url) => /\/cases\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(skippedCaseId));
    await eventually(async () => {
      const key = (await page.locator(".case-read-head h1").innerText()).trim();
      assert.ok(key && key !== skippedKey, `the next case's key, got ${JSON.stringify(key)}`);
    });

    // The owner's page: the reader's skip with its reason and note, and the count in the readers' table.
    await expectText(skipped, skippedKey);
    const row = skipped.locator("tr", { hasText: skippedKey });
    await expectText(row, reader.name);
    await expectText(row, "Image not of diagnostic quality");
    await expectText(row, "motion blur over the bases");
    const readerRow = o.page.getByRole("table", { name: "Reader progress" }).locator("tr", { hasText: reader.name });
    const headers = await o.page.getByRole("table", { name: "Reader progress" }).locator("thead th").allInnerTexts();
    await eventually(async () => assert.equal((await readerRow.locator("th, td").nth(headers.indexOf("Skipped")).innerText()).trim(), "1"));
    await expectText(o.page.getByTestId("skip-summary"), "Image not of diagnostic quality: 1");
    await screenshot(o.page, "54-skipped-cases");
    const [download] = await Promise.all([o.page.waitForEvent("download"), o.page.getByRole("link", { name: "Download skipped cases CSV" }).click()]);
    const skipsCsv = parseCsv(fs.readFileSync(await download.path(), "utf8"));
    assert.deepEqual(
      skipsCsv.map((x) => [x.case, x.reason, x.note, x.case_id]),
      [[skippedKey, "IMAGE_QUALITY", "motion blur over the bases", skippedCaseId]],
    );

    // The reader's list of cases says which they skipped, and shows those alone when asked.
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const table = page.getByRole("table", { name: "Cases" });
    await expectText(table.locator("tr", { hasText: skippedKey }).locator("[data-my-reading]"), "Skipped");
    await page.getByLabel("Your reading").selectOption("SKIPPED");
    await eventually(async () => assert.deepEqual(await table.locator("tbody tr td:first-child").allInnerTexts(), [skippedKey]));

    // Opened again, the case says it was skipped, and why.
    await page.goto(`${baseUrl()}/projects/${projectId}/cases/${skippedCaseId}`);
    await expectText(page.getByTestId("case-skipped"), "Image not of diagnostic quality");
    assert.equal(await page.getByRole("button", { name: "Skip this case…" }).count(), 0);

    // The owner returns it to the reader's queue: gone from the list; the reader's page, reloaded, offers Skip again.
    await row.getByRole("button", { name: "Return to queue" }).click();
    await eventually(async () => assert.equal(await skipped.count(), 0));
    await expectText(o.page.getByRole("heading", { name: /Skipped cases/ }), "(0)");
    await page.reload();
    await expectText(page.getByRole("button", { name: "Skip this case…" }), "Skip this case");
    assert.equal(await page.getByTestId("case-skipped").count(), 0);
  });

  it("a manager excludes a case: readers see it live and are not handed it, the list and progress say so, a skipped case is excluded from its skip, and Include again brings it back", async () => {
    // A project of its own: two readers per case (the owner and the reader may annotate), two cases.
    const list = new ProjectListPage(o.page);
    await list.goto();
    const pid = await list.createProject({ name: `Exclusion ${run}` });
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", { id: pid, input: { readersPerCase: 2 } });
    const effusionId = (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: pid, i: { kind: "CLASSIFICATION", name: "Effusion", color: "#e6194b" } })).createLabel.id;
    await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: pid, i: { email: reader.email, role: "ANNOTATOR" } });
    await o.page.goto(`${baseUrl()}/projects/${pid}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([1, 2].map((k) => ({ name: `exclude-${k}.png`, mimeType: "image/png", buffer: chestPng(20 + k) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "2 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: pid });
    const keyOf = new Map(cases.edges.map((e) => [e.node.id, e.node.key]));
    assert.equal(keyOf.size, 2);

    // The reader is handed a case by the queue and reads it: the labels and Submit work.
    const page = r.page;
    const readerView = new CaseReadPage(page);
    await page.goto(`${baseUrl()}/projects/${pid}/data`);
    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const excludedId = page.url().split("/").pop();
    const otherId = [...keyOf.keys()].find((id) => id !== excludedId);
    assert.ok(keyOf.has(excludedId) && otherId, `${page.url()} is not one of the project's cases`);
    const excludedKey = keyOf.get(excludedId);
    const otherKey = keyOf.get(otherId);
    await eventually(async () => assert.equal(await readerView.submitButton.isEnabled(), true, "Submit enabled before the exclusion"));
    assert.equal(await page.getByTestId("exclude-case").count(), 0, "a reader is not offered the exclusion");
    assert.equal(await readerView.excludedBanner.count(), 0);

    // The owner excludes that case on its page: a reason, and a note.
    const ownerView = new CaseReadPage(o.page);
    await ownerView.goto(pid, excludedId);
    const form = await ownerView.openExcludeForm();
    const go = form.getByRole("button", { name: "Exclude case", exact: true });
    assert.equal(await go.isDisabled(), true, "no reason chosen yet");
    await form.getByLabel("Why is it excluded?").selectOption({ label: "Other" });
    assert.equal(await go.isDisabled(), true, "Other without a note");
    await form.getByLabel("Why is it excluded?").selectOption({ label: "Wrong image" });
    await form.getByRole("textbox", { name: /^Note/ }).fill("lateral view, the study reads PA films");
    await screenshot(o.page, "55-exclude-case-form");
    await go.click();
    await expectText(ownerView.excludedBanner, "Excluded from the project: Wrong image");
    await expectText(ownerView.excludedBanner, "lateral view, the study reads PA films");
    await expectText(ownerView.excludedBanner, `Excluded by ${owner.name}`);
    assert.equal(await ownerView.excludedBanner.getAttribute("role"), "status");
    assert.equal(await o.page.getByTestId("exclude-case").count(), 0, "Exclude is gone once excluded");
    await screenshot(o.page, "56-case-excluded-owner");

    // The reader's open page shows it at once, without a reload: nothing more to edit, submit or skip.
    await expectText(readerView.excludedBanner, "Excluded from the project: Wrong image", { timeout: 15_000 });
    await expectText(readerView.excludedBanner, "lateral view, the study reads PA films");
    await eventually(async () => assert.equal(await readerView.submitButton.isDisabled(), true, "Submit disabled on an excluded case"));
    assert.equal(await page.locator(`[data-label-id="${effusionId}"]`).getByRole("checkbox").isDisabled(), true, "labels read-only");
    assert.equal(await page.getByRole("button", { name: "Skip this case…" }).count(), 0, "no Skip on an excluded case");
    assert.equal(await page.getByTestId("include-case").count(), 0, "a reader cannot include it again");
    await screenshot(page, "57-case-excluded-reader");
    await assert.rejects(
      gql(page, "mutation($c: ID!, $i: AnnotationInput!) { saveDraft(caseId: $c, input: $i) { id } }", { c: excludedId, i: { labels: [{ labelId: effusionId, value: true }] } }),
      /excluded from the project/,
    );

    // Moving on, the queue hands the reader the other case, not the excluded one they were holding.
    await readerView.excludedBanner.getByRole("button", { name: "Open the next case" }).click();
    await page.waitForURL(new RegExp(`/cases/${otherId}$`));
    await expectText(page.locator(".case-read-head h1"), otherKey);

    // The case list: the excluded case says so (why, in its title), and the filter tells the two apart.
    await o.page.goto(`${baseUrl()}/projects/${pid}/data`);
    const table = o.page.getByRole("table", { name: "Cases" });
    const excludedCell = table.locator("tr", { hasText: excludedKey }).locator("[data-excluded]");
    await expectText(excludedCell, "Excluded");
    assert.match(await excludedCell.locator(".excluded-tag").getAttribute("title"), /Wrong image/);
    await expectText(table.locator("tr", { hasText: otherKey }), "0 of 2");
    const keys = () => table.locator("tbody tr td:first-child").allInnerTexts();
    await o.page.getByLabel("In the project or excluded").selectOption({ label: "Excluded" });
    await eventually(async () => assert.deepEqual(await keys(), [excludedKey]));
    await o.page.getByLabel("In the project or excluded").selectOption({ label: "In the project" });
    await eventually(async () => assert.deepEqual(await keys(), [otherKey]));
    await o.page.getByLabel("In the project or excluded").selectOption({ label: "All" });
    await eventually(async () => assert.deepEqual((await keys()).sort(), [excludedKey, otherKey].sort()));
    await screenshot(o.page, "58-case-list-excluded");

    // The progress page leaves it out of the counts. The reader then skips the other case as not
    // diagnostic: with only the owner left to read it, it can no longer get its two readers.
    await o.page.goto(`${baseUrl()}/projects/${pid}/progress`);
    await expectText(o.page.getByTestId("excluded-cases"), "1 excluded, not counted");
    await expectText(o.page.locator(".overall-figure"), "0 of 1 cases complete");
    assert.equal(await o.page.getByTestId("blocked-cases").count(), 0);
    await gql(page, "mutation($c: ID!) { skipCase(caseId: $c, reason: IMAGE_QUALITY, note: \"underexposed\") { caseId } }", { c: otherId });
    await expectText(o.page.getByTestId("blocked-cases"), "1 case can no longer get 2 readers", { timeout: 15_000 });
    await screenshot(o.page, "59-progress-excluded-blocked");
    // "Show it": the case list filtered to the cases that can no longer complete, by the same rule.
    await o.page.getByTestId("blocked-cases-link").click();
    await o.page.waitForURL(/\/data\?cases=BLOCKED$/);
    await expectText(o.page.getByLabel("In the project or excluded").locator("option:checked"), "Can no longer complete");
    await eventually(async () => assert.deepEqual(await keys(), [otherKey]));
    await o.page.goto(`${baseUrl()}/projects/${pid}/progress`);

    // From the skipped cases, the owner excludes it too, the skip's reason taken for the exclusion's.
    const skipRow = o.page.getByRole("table", { name: "Skipped cases" }).locator(`tr[data-case-id="${otherId}"]`);
    await skipRow.getByRole("button", { name: "Exclude…" }).click();
    const skipForm = o.page.getByRole("form", { name: `Exclude case ${otherKey}` });
    await expectText(skipForm.getByLabel("Why is it excluded?").locator("option:checked"), "Image not of diagnostic quality");
    await skipForm.getByRole("button", { name: "Exclude case", exact: true }).click();
    await eventually(async () => assert.equal(await skipRow.getAttribute("data-excluded"), "true"));
    await expectText(skipRow, "Excluded");
    assert.equal(await skipRow.getByRole("button", { name: "Exclude…" }).count(), 0);
    await expectText(o.page.getByTestId("excluded-cases"), "2 excluded, not counted");
    await eventually(async () => assert.equal(await o.page.getByTestId("blocked-cases").count(), 0, "an excluded case is not blocked"));
    await screenshot(o.page, "60-skipped-case-excluded");

    // The flow of cases: both uploaded cases excluded, each with its reason; none left in the project.
    const flow = o.page.getByTestId("case-flow");
    await expectText(flow.locator('[data-flow="uploaded"]'), "2 cases uploaded");
    await expectText(flow.locator('[data-flow="excluded"]'), "2 excluded");
    await expectText(flow.locator('[data-reason="WRONG_IMAGE"]'), "Wrong image: 1");
    await expectText(flow.locator('[data-reason="IMAGE_QUALITY"]'), "Image not of diagnostic quality: 1");
    await expectText(flow.locator('[data-flow="in-project"]'), "0 cases in the project");
    await screenshot(o.page, "61-flow-of-cases");
    // The case list's CSV behind its link: every case, each exclusion with its reason and note.
    const { header, rows: caseRows } = await fetchCsv(o.page, await flow.getByTestId("cases-csv").getAttribute("href"));
    assert.deepEqual(header.slice(0, 2), ["case", "case_id"]);
    assert.deepEqual(
      caseRows.map((r) => [r.case_id, r.excluded_reason]).sort(),
      [
        [excludedId, "WRONG_IMAGE"],
        [otherId, "IMAGE_QUALITY"],
      ].sort(),
    );

    // Include again: the first case is back in the project, its page editable, the queue hands it out again.
    await ownerView.goto(pid, excludedId);
    await o.page.getByTestId("include-case").click();
    await eventually(async () => assert.equal(await ownerView.excludedBanner.count(), 0));
    await expectText(o.page.getByTestId("exclude-case"), "Exclude case…");
    const { case: back } = await gql(o.page, "query($c: ID!) { case(id: $c) { exclusion { reason } } }", { c: excludedId });
    assert.equal(back.exclusion, null);
    await page.goto(`${baseUrl()}/projects/${pid}/data`);
    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(new RegExp(`/cases/${excludedId}$`));
    await eventually(async () => assert.equal(await readerView.submitButton.isEnabled(), true, "Submit enabled again"));
    assert.equal(await readerView.excludedBanner.count(), 0);
    await o.page.goto(`${baseUrl()}/projects/${pid}/progress`);
    await expectText(o.page.getByTestId("excluded-cases"), "1 excluded, not counted");
    await expectText(o.page.locator(".overall-figure"), "0 of 1 cases complete");
  });
});
