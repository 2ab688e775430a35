// The viewer's reading tools. Measurements: a reader measures a distance, long and short axes and
// an angle, and probes a pixel, on images whose calibration differs (a CT slice with Pixel Spacing,
// radiographs with only Imager Pixel Spacing, with and without a magnification factor, a PNG with
// none), and reads each value beside the image in the right unit, with what its calibration means;
// measurements are reading aids, removed one by one or all at once, never saved with the reading.
// Then the tools' keys, a selected ROI's statistics, and the image turned and flipped: the patient
// directions at its edges follow, and a ROI drawn on the turned image is stored in image pixels.
// Last, a case that is a whole study: its series shown one at a time, each a stack of its own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { ProjectSettingsPage } from "../pages/ProjectSettingsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { ctSlice, radiograph, studyImage } from "../support/dicom.mjs";
import { eventually, expectCount, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const reader = { name: "Mira Reader", email: `mira.${run}@example.org`, password: "quarry lantern autumn 12" };

function png() {
  const W = 96;
  const image = new PNG({ width: W, height: W, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(W * W).map((_, i) => 40 + ((i % W) + Math.floor(i / W)) % 180));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

const FILES = [
  { name: "ct.dcm", mimeType: "application/dicom", buffer: ctSlice(1, `measure-${run}`), columns: 64, mmPerPixel: 0.7, unit: "mm", note: null },
  { name: "dx.dcm", mimeType: "application/dicom", buffer: radiograph(`measure-dx-${run}`), columns: 128, mmPerPixel: 0.2, unit: "mm", note: /at the detector/ },
  { name: "dx-ermf.dcm", mimeType: "application/dicom", buffer: radiograph(`measure-ermf-${run}`, { ermf: 1.25 }), columns: 128, mmPerPixel: 0.16, unit: "mm", note: /magnification/ },
  { name: "plain.png", mimeType: "image/png", buffer: png(), columns: 96, mmPerPixel: 1, unit: "px", note: /no pixel spacing/ },
];

describe("viewer tools: measurements in each image's calibration, keys, ROI statistics, turning and flipping", { timeout: 300_000 }, () => {
  let o;
  let viewer;
  let projectId;
  const caseOf = new Map();

  before(async () => {
    o = await openBrowser("mira");
    viewer = new CaseReadPage(o.page);
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  /** Canvas point (CSS px) of an image point given as fractions of the image's width and height. */
  async function at(fx, fy) {
    const box = await viewer.imageBox();
    return [box.x + fx * box.width, box.y + fy * box.height];
  }

  /** Opens a file's case; `renderer`: the reader's choice of renderer ("gpu", "cpu"), else the automatic one. */
  async function open(file, renderer = null) {
    await o.page.evaluate((r) => (r ? localStorage.setItem("concord.viewer.renderer", r) : localStorage.removeItem("concord.viewer.renderer")), renderer);
    await viewer.goto(projectId, caseOf.get(file.name));
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
  }

  const list = () => o.page.getByRole("region", { name: "Measurements" });
  const items = () => list().locator("li");

  it("a reader uploads a CT slice, two radiographs and a PNG", async () => {
    const page = o.page;
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp(reader);
    const projects = new ProjectListPage(page);
    await projects.goto();
    projectId = await projects.createProject({ name: `Measure ${run}` });
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles(FILES.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), `${FILES.length} stored, 0 refused`, { timeout: 60_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: projectId });
    for (const f of FILES) {
      const c = cases.edges.find((e) => f.name.startsWith(`${e.node.key}.`));
      assert.ok(c, `a case for ${f.name}: ${cases.edges.map((e) => e.node.key)}`);
      caseOf.set(f.name, c.node.id);
    }
  });

  // Each file with the automatic renderer (the CPU under this machine's software WebGL), and the
  // CT slice and a radiograph with WebGL too: the two renderers place an image in their own ways.
  const runs = [...FILES.map((file) => [file, null]), [FILES[0], "gpu"], [FILES[1], "gpu"]];
  for (const [file, renderer] of runs) {
    it(`a length on ${file.name} reads in ${file.unit}, from its calibration${renderer ? ` (${renderer})` : ""}`, async () => {
      await open(file, renderer);
      assert.equal(await viewer.viewer.getAttribute("data-renderer"), renderer ?? "cpu");
      await viewer.toolbar.getByRole("group", { name: "Measure" }).getByRole("button", { name: "Length", exact: true }).click();
      const box = await viewer.imageBox();
      const from = await at(0.2, 0.3);
      const to = await at(0.8, 0.7);
      await viewer.drag(from, to);
      await expectCount(items(), 1);
      const item = items().first();
      await expectText(item.locator(".measure-name"), "Length 1");
      // The drag's image pixels, from where the image lies on the canvas, in the image's unit.
      const perPixel = box.width / file.columns;
      const pixels = Math.hypot(to[0] - from[0], to[1] - from[1]) / perPixel;
      const expected = pixels * file.mmPerPixel;
      // Cornerstone works a measurement out again at most every 100 ms while it is drawn: its last value comes a moment after.
      const measured = await eventually(async () => {
        const v = Number((await item.getAttribute("data-values")) || NaN);
        assert.ok(Math.abs(v - expected) / expected < 0.02, `${file.name}: ${v} ${file.unit}, expected about ${expected.toFixed(2)}`);
        return v;
      });
      assert.equal(await item.getAttribute("data-unit"), file.unit);
      assert.match(await item.locator(".measure-value").innerText(), new RegExp(`^${measured < 10 ? measured.toFixed(2) : measured.toFixed(1)} ${file.unit}`));
      const notes = await list().locator(".measure-note").allInnerTexts();
      if (file.note) assert.ok(notes.some((n) => file.note.test(n)), `${file.name}: notes ${JSON.stringify(notes)}`);
      else assert.deepEqual(notes, []);
      // A measurement is nobody's ROI: the reading has none.
      await expectText(o.page.locator("#rois-heading"), "Regions of interest (0)");
    });
  }

  it("long and short axes, an angle and a probe on the CT slice; removed one by one and all at once; never saved", async () => {
    const ct = FILES[0];
    await open(ct);
    await expectCount(items(), 0); // the length drawn before is gone with the case
    const measure = viewer.toolbar.getByRole("group", { name: "Measure" });
    const box = await viewer.imageBox();
    const perPixel = box.width / ct.columns;

    await measure.getByRole("button", { name: "Axes", exact: true }).click();
    const a0 = await at(0.25, 0.5);
    const a1 = await at(0.75, 0.5);
    await viewer.drag(a0, a1);
    await expectCount(items(), 1);
    const axes = items().first();
    const expectedLong = ((a1[0] - a0[0]) / perPixel) * ct.mmPerPixel;
    const [long, short] = await eventually(async () => {
      const v = ((await axes.getAttribute("data-values")) || "").split(",").map(Number);
      assert.ok(v.length === 2 && Math.abs(v[0] - expectedLong) / expectedLong < 0.02, `long axis ${v[0]} mm, expected about ${expectedLong.toFixed(2)}`);
      return v;
    });
    assert.ok(short > 0 && short < long, `short axis ${short} mm within the long one`);
    await expectText(axes.locator(".measure-name"), "Long and short axis 1");

    // An angle: press at the first point, drag to the vertex, let go, then click the third point.
    await measure.getByRole("button", { name: "Angle", exact: true }).click();
    const c = await viewer.canvasBox();
    const [p1, vertex, p3] = [await at(0.2, 0.8), await at(0.6, 0.8), await at(0.6, 0.3)];
    // At a reader's pace: Cornerstone holds a press for a moment to tell a click from a double click.
    await o.page.mouse.move(c.x + p1[0], c.y + p1[1]);
    await o.page.mouse.down();
    await o.page.mouse.move(c.x + vertex[0], c.y + vertex[1], { steps: 8 });
    await o.page.mouse.up();
    await o.page.waitForTimeout(500);
    await o.page.mouse.move(c.x + p3[0], c.y + p3[1], { steps: 8 });
    await o.page.waitForTimeout(200);
    await o.page.mouse.down();
    await o.page.mouse.up();
    await o.page.waitForTimeout(600);
    // Done: the pointer moving on no longer moves the third point.
    await o.page.mouse.move(c.x + p1[0], c.y + p3[1], { steps: 8 });
    await expectCount(items(), 2);
    const angle = await eventually(async () => {
      const v = Number((await items().nth(1).getAttribute("data-values")) || NaN);
      assert.ok(Math.abs(v - 90) < 1, `a right angle measured ${v}°`);
      return v;
    });
    await expectText(items().nth(1).locator(".measure-value"), `${angle.toFixed(1)}°`);

    // The probe inside the slice's disc (radius 16 about (32, 32)), off the axes drawn through its
    // middle: stored 1200 + 40 = 1240, rescaled by −1024.
    await measure.getByRole("button", { name: "Probe", exact: true }).click();
    const inDisc = await at(0.42, 0.42);
    await o.page.mouse.click(c.x + inDisc[0], c.y + inDisc[1]);
    await expectCount(items(), 3);
    await eventually(async () => {
      const text = await items().nth(2).locator(".measure-value").innerText();
      assert.match(text, /^216 HU at \(2[67], 2[67]\)$/);
    });
    await screenshot(o.page, "measure-ct");

    // Removed one by one (the × in the list; the probe selected on the image and Delete), then all at once.
    await items().first().getByRole("button", { name: "Remove Long and short axis 1" }).click();
    await expectCount(items(), 2);
    await o.page.mouse.click(c.x + inDisc[0], c.y + inDisc[1]);
    await o.page.keyboard.press("Delete");
    await expectCount(items(), 1);
    await expectText(items().first().locator(".measure-name"), "Angle 1");
    await list().getByRole("button", { name: "Clear measurements" }).click();
    await expectCount(items(), 0);

    // Not saved: measured again, then the page loaded afresh shows none, and the reading holds no ROI.
    await measure.getByRole("button", { name: "Length", exact: true }).click();
    await viewer.drag(await at(0.3, 0.3), await at(0.6, 0.3));
    await expectCount(items(), 1);
    await o.page.reload();
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    await expectCount(items(), 0);
    const { myAnnotation } = await gql(o.page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id } } }", { c: caseOf.get(ct.name) });
    assert.deepEqual(myAnnotation?.rois ?? [], []);
  });

  it("the pixel under the pointer and its value show in the overlay, in HU on CT", async () => {
    await open(FILES[0]);
    const c = await viewer.canvasBox();
    const value = o.page.getByTestId("cursor-value");
    // Pixel (32, 32): inside the slice's disc, 1240 stored, 216 HU; (2, 2): the background, 100 + 6 × 10 stored.
    const centre = await at(32.5 / 64, 32.5 / 64);
    await o.page.mouse.move(c.x + centre[0], c.y + centre[1]);
    await expectText(value, "(32, 32) 216 HU");
    const corner = await at(2.5 / 64, 2.5 / 64);
    await o.page.mouse.move(c.x + corner[0], c.y + corner[1]);
    await expectText(value, `(2, 2) ${100 + ((2 - 32 + 2 - 32 + 64) % 16) * 10 - 1024} HU`);
    await o.page.mouse.move(c.x + 2, c.y + 2); // off the image
    await expectCount(value, 0);
  });

  it("the tools answer their keys", async () => {
    await open(FILES[0]);
    const pressed = (name) => viewer.toolbar.getByRole("button", { name, exact: true }).getAttribute("aria-pressed");
    for (const [key, name] of [["l", "Length"], ["b", "Axes"], ["a", "Angle"], ["p", "Probe"], ["w", "Window/level"], ["L", "Length"]]) {
      await o.page.keyboard.press(key);
      await eventually(async () => assert.equal(await pressed(name), "true", `${key} chose ${name}`));
    }
    await o.page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await pressed("Window/level"), "true"));
    await o.page.keyboard.press("i");
    await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-invert"), "true"));
    await o.page.keyboard.press("i");
    await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-invert"), "false"));
    // No ROI class to draw with: R and F choose nothing.
    await o.page.keyboard.press("r");
    assert.equal(await pressed("Rectangle"), "false");
  });

  it("a single image offers no Compare, even to a reader who compared before", async () => {
    await o.page.evaluate(() => localStorage.setItem("concord.viewer.compare", "on"));
    for (const file of [FILES[0], FILES[3]]) {
      await open(file);
      await expectCount(viewer.viewer.getByTestId("compare-toggle"), 0);
      await expectCount(o.page.getByTestId("series-bar"), 0);
      await expectCount(o.page.getByTestId("reference-viewer"), 0);
      await expectCount(o.page.locator(".case-viewer canvas"), 1);
    }
    await o.page.keyboard.press("c");
    await o.page.waitForTimeout(300);
    await expectCount(o.page.getByTestId("reference-viewer"), 0);
    await o.page.evaluate(() => localStorage.removeItem("concord.viewer.compare"));
  });

  it("in a series, a selected ROI is copied to the next slice at the same pixels, and on from there", async () => {
    const page = o.page;
    const projects = new ProjectListPage(page);
    await projects.goto();
    const series = await projects.createProject({ name: `Measure series ${run}` });
    await gql(page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", { id: series, input: { caseUnit: "SERIES" } });
    const input = { kind: "ROI", roiShape: "RECTANGLE", name: "Lesion", color: "#ff8800" };
    await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: series, i: input });
    await page.goto(`${baseUrl()}/projects/${series}/data`);
    await page.getByLabel("Choose files").setInputFiles([1, 2, 3].map((n) => ({ name: `IM000${n}.dcm`, mimeType: "application/dicom", buffer: ctSlice(n, `measure-series-${run}`) })));
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "3 stored, 0 refused");
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id } } } }", { p: series });
    await viewer.goto(series, cases.edges[0].node.id);
    assert.equal((await viewer.settled()).state, "loaded");
    const index = page.locator(".case-viewer .overlay-index");
    await expectText(index, "Image 1 / 3");
    await expectCount(viewer.viewer.getByTestId("compare-toggle"), 0); // a single series: no Compare
    const copyNext = viewer.toolbar.getByRole("button", { name: "Copy to next", exact: true });
    assert.equal(await copyNext.isDisabled(), true, "nothing selected to copy");

    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    await viewer.button("Rectangle").click();
    await viewer.drag(await at(0.4, 0.4), await at(0.6, 0.6));
    const c = await viewer.canvasBox();
    const edge = await at(0.5, 0.4);
    await page.mouse.click(c.x + edge[0], c.y + edge[1]);
    await eventually(async () => assert.equal(await copyNext.isDisabled(), false, "the drawn ROI is selected"));
    await copyNext.click();
    await expectText(index, "Image 2 / 3");
    await copyNext.click();
    await expectText(index, "Image 3 / 3");
    const rois = await eventually(async () => {
      const list = await viewer.roiList();
      assert.equal(list.length, 3);
      return list;
    });
    // One on each slice, all at the same image pixels, each its own ROI.
    assert.equal(new Set(rois.map((r) => r.sopInstanceUid)).size, 3);
    assert.equal(new Set(rois.map((r) => r.id)).size, 3);
    for (const r of rois) assert.deepEqual(r.points, rois[0].points);
    assert.equal(await copyNext.isDisabled(), true, "no image after the last");
    // Saved as the reader's own: the draft holds all three.
    await eventually(async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id sopInstanceUid } } }", { c: cases.edges[0].node.id });
      assert.equal(myAnnotation?.rois?.length, 3);
    });
  });

  it("a selected ROI shows its area in mm² and its mean, spread and range in HU", async () => {
    const ct = FILES[0];
    const input = { kind: "ROI", roiShape: "RECTANGLE", name: "Lesion", color: "#ff8800" };
    await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: input });
    await open(ct);
    const stats = o.page.getByTestId("roi-stats");
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    await viewer.button("Rectangle").click();
    // Inside the slice's disc (radius 16 about (32, 32)): every pixel 1240 stored, 216 HU.
    const from = await at(0.4, 0.4);
    const to = await at(0.6, 0.6);
    await viewer.drag(from, to);
    await expectText(o.page.locator("#rois-heading"), "Regions of interest (1)");
    assert.equal(await stats.count(), 0, "no ROI selected yet");
    // Selected by a click on its edge.
    const edge = await at(0.5, 0.4);
    const c = await viewer.canvasBox();
    await o.page.mouse.click(c.x + edge[0], c.y + edge[1]);
    await expectCount(stats, 1);
    const box = await viewer.imageBox();
    const side = (to[0] - from[0]) / (box.width / ct.columns);
    const area = Number(await stats.getAttribute("data-area"));
    assert.ok(Math.abs(area - side * side * 0.49) / (side * side * 0.49) < 0.05, `area ${area} mm², expected about ${(side * side * 0.49).toFixed(1)}`);
    assert.equal(Number(await stats.getAttribute("data-mean")), 216);
    assert.match(await stats.innerText(), /^Lesion\s+[\d.]+ mm² · \d+ px · mean 216 HU \(SD 0, 216 to 216\)$/);
    await screenshot(o.page, "measure-roi-stats");
  });

  it("Ctrl+Z takes back the reader's own ROI edits one at a time, Ctrl+Shift+Z and Ctrl+Y bring them back, and the stored draft follows", async () => {
    const ct = FILES[0];
    const caseId = caseOf.get(ct.name);
    await open(ct);
    const page = o.page;
    const undo = viewer.toolbar.getByRole("button", { name: "Undo", exact: true });
    const redo = viewer.toolbar.getByRole("button", { name: "Redo", exact: true });
    const stored = async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id points } } }", { c: caseId });
      return new Map((myAnnotation?.rois ?? []).map((r) => [r.id, r.points]));
    };
    const before = await viewer.roiList(); // the previous test's rectangle
    assert.equal(await undo.isDisabled(), true, "nothing to undo on a newly opened case");
    assert.equal(await redo.isDisabled(), true);

    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    await viewer.button("Rectangle").click();
    await viewer.drag(await at(0.1, 0.1), await at(0.25, 0.25));
    const drawn = await eventually(async () => {
      const list = await viewer.roiList();
      assert.equal(list.length, before.length + 1);
      return list.find((r) => !before.some((b) => b.id === r.id));
    });
    await eventually(async () => assert.equal(await undo.isEnabled(), true));
    // Selected by its top edge and deleted.
    await viewer.button("Window/level").click();
    const c = await viewer.canvasBox();
    const edge = await at(0.175, 0.1);
    await page.mouse.click(c.x + edge[0], c.y + edge[1]);
    await eventually(async () => assert.equal(await viewer.button("Delete ROI").isEnabled(), true));
    await page.keyboard.press("Delete");
    await eventually(async () => assert.equal((await viewer.roiList()).length, before.length));
    await eventually(async () => assert.equal((await stored()).has(drawn.id), false));

    const ids = async () => (await viewer.roiList()).map((r) => r.id).sort();
    const withDrawn = [...before.map((r) => r.id), drawn.id].sort();
    const without = before.map((r) => r.id).sort();
    // Undo the delete: the same ROI, at the same pixels, on the page and in the draft.
    await page.keyboard.press("Control+z");
    await eventually(async () => assert.deepEqual(await ids(), withDrawn));
    assert.deepEqual((await viewer.roiList()).find((r) => r.id === drawn.id).points, drawn.points);
    await eventually(async () => assert.deepEqual((await stored()).get(drawn.id), drawn.points));
    // Undo the drawing: gone, and nothing left to undo of this visit (the earlier rectangle stays).
    await page.keyboard.press("Control+z");
    await eventually(async () => assert.deepEqual(await ids(), without));
    await eventually(async () => assert.equal((await stored()).has(drawn.id), false));
    assert.equal(await undo.isDisabled(), true);
    await page.keyboard.press("Control+z"); // nothing happens
    assert.deepEqual(await ids(), without);
    // Redo both, one with each key.
    await page.keyboard.press("Control+Shift+Z");
    await eventually(async () => assert.deepEqual(await ids(), withDrawn));
    await eventually(async () => assert.deepEqual((await stored()).get(drawn.id), drawn.points));
    await page.keyboard.press("Control+y");
    await eventually(async () => assert.deepEqual(await ids(), without));
    assert.equal(await redo.isDisabled(), true);
    // The button does what the key does.
    await undo.click();
    await eventually(async () => assert.deepEqual(await ids(), withDrawn));
    await eventually(async () => assert.equal((await stored()).has(drawn.id), true));
    // Another visit starts with nothing to undo; the regions are as left.
    await open(ct);
    await eventually(async () => assert.deepEqual(await ids(), withDrawn));
    assert.equal(await undo.isDisabled(), true);
    await page.keyboard.press("Control+z");
    assert.deepEqual(await ids(), withDrawn);
  });

  it("a point ROI (a landmark) is placed with a click, stored as one point in image pixels, reads its pixel's value, moves by a drag, and only a point class takes points", async () => {
    const ct = FILES[0];
    const caseId = caseOf.get(ct.name);
    const page = o.page;
    // Made on the project's settings page, as a manager does.
    const settings = new ProjectSettingsPage(page);
    await settings.goto(projectId);
    await settings.addLabelAndWait({ name: "Landmark", kind: "ROI class", shape: "Point (landmark)" });
    const { project } = await gql(page, "query($p: ID!) { project(id: $p) { labels { id name kind roiShape } } }", { p: projectId });
    const createLabel = project.labels.find((l) => l.name === "Landmark");
    assert.deepEqual([createLabel.kind, createLabel.roiShape], ["ROI", "POINT"]);
    await open(ct);
    const points = async () => (await viewer.roiList()).filter((r) => r.kind === "POINT");
    const stored = async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id kind classId points } } }", { c: caseId });
      return (myAnnotation?.rois ?? []).filter((r) => r.kind === "POINT");
    };
    const near = (p, q, what) => assert.ok(Math.abs(p[0] - q[0]) <= 0.6 && Math.abs(p[1] - q[1]) <= 0.6, `${what}: ${JSON.stringify(p)}, expected about ${JSON.stringify(q)}`);

    // A class of areas takes no points; the point class takes nothing else.
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    assert.equal(await viewer.button("Point").isDisabled(), true);
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Landmark" });
    assert.equal(await viewer.button("Point").isEnabled(), true);
    assert.equal(await viewer.button("Rectangle").isDisabled(), true);
    assert.equal(await viewer.button("Freehand").isDisabled(), true);
    await page.keyboard.press("k");
    await eventually(async () => assert.equal(await viewer.button("Point").getAttribute("aria-pressed"), "true"));

    // Placed at the slice's centre, inside its disc (216 HU).
    const c = await viewer.canvasBox();
    const centre = await at(32.5 / 64, 32.5 / 64);
    await page.mouse.click(c.x + centre[0], c.y + centre[1]);
    const [placed] = await eventually(async () => {
      const list = await points();
      assert.equal(list.length, 1);
      return list;
    });
    assert.equal(placed.classId, createLabel.id);
    assert.equal(placed.points.length, 1);
    near(placed.points[0], [32.5, 32.5], "placed");
    await expectText(page.getByRole("list", { name: "Regions of interest" }).locator(`li[data-roi-id="${placed.id}"]`), "Landmark point at (");
    await eventually(async () => assert.deepEqual((await stored()).map((r) => [r.id, r.points]), [[placed.id, placed.points]]));

    // Selected with a click on it: its pixel and value.
    await viewer.button("Window/level").click();
    await page.mouse.click(c.x + centre[0], c.y + centre[1]);
    await expectText(page.getByTestId("roi-stats"), "pixel (32, 32) · 216 HU");

    // Dragged to a quarter of the way across and down: moved, in the draft too.
    const quarter = await at(16.5 / 64, 16.5 / 64);
    await viewer.drag(centre, quarter);
    const moved = await eventually(async () => {
      const [p] = await points();
      near(p.points[0], [16.5, 16.5], "moved");
      return p;
    });
    assert.equal(moved.id, placed.id);
    await eventually(async () => near((await stored())[0].points[0], [16.5, 16.5], "stored after the move"));
    await screenshot(page, "measure-point-roi");

    // Undone, the move goes back.
    await page.keyboard.press("Control+z");
    await eventually(async () => near((await points())[0].points[0], [32.5, 32.5], "after undoing the move"));
    await eventually(async () => near((await stored())[0].points[0], [32.5, 32.5], "stored after undoing the move"));
  });

  it("a line ROI (a stored length) is drawn by a drag, stored as its two ends in image pixels, reads its length in mm, and each end moves alone", async () => {
    const ct = FILES[0];
    const caseId = caseOf.get(ct.name);
    const page = o.page;
    const settings = new ProjectSettingsPage(page);
    await settings.goto(projectId);
    await settings.addLabelAndWait({ name: "Diameter", kind: "ROI class", shape: "Line (length)" });
    const { project } = await gql(page, "query($p: ID!) { project(id: $p) { labels { id name kind roiShape } } }", { p: projectId });
    const label = project.labels.find((l) => l.name === "Diameter");
    assert.deepEqual([label.kind, label.roiShape], ["ROI", "LINE"]);
    await open(ct);
    const lines = async () => (await viewer.roiList()).filter((r) => r.kind === "LINE");
    const stored = async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id kind classId points } } }", { c: caseId });
      return (myAnnotation?.rois ?? []).filter((r) => r.kind === "LINE");
    };
    const near = (p, q, what) => assert.ok(Math.abs(p[0] - q[0]) <= 0.6 && Math.abs(p[1] - q[1]) <= 0.6, `${what}: ${JSON.stringify(p)}, expected about ${JSON.stringify(q)}`);

    // Only the line class takes lines, and it takes nothing else.
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    assert.equal(await viewer.button("Line").isDisabled(), true);
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Diameter" });
    for (const other of ["Rectangle", "Freehand", "Point"]) assert.equal(await viewer.button(other).isDisabled(), true, other);
    await page.keyboard.press("d");
    await eventually(async () => assert.equal(await viewer.button("Line").getAttribute("aria-pressed"), "true"));

    // A click starts a line whose second end follows the pointer to the next click (Cornerstone's
    // length tool); a second click on the same spot ends it with its ends together: nothing is drawn.
    // Not sent to the server to be refused (the layer would start again without it): no collaboration update is refused.
    const refused = [];
    const onResponse = async (res) => {
      if (res.request().method() !== "POST" || !/"operationName":"CollabUpdate"/.test(res.request().postData() ?? "")) return;
      const body = await res.json().catch(() => null);
      if (body?.errors?.length) refused.push(body.errors[0].message);
    };
    page.on("response", onResponse);
    try {
      const c0 = await viewer.canvasBox();
      const spot = await at(8.5 / 64, 56.5 / 64);
      await page.mouse.click(c0.x + spot[0], c0.y + spot[1]);
      // Past Cornerstone's wait for a double click, so the second click is a click of its own.
      await new Promise((resolve) => setTimeout(resolve, 800));
      await page.mouse.click(c0.x + spot[0], c0.y + spot[1]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      page.off("response", onResponse);
    }
    assert.deepEqual(refused, []);
    assert.deepEqual(await lines(), []);
    assert.deepEqual(await stored(), []);

    // Across the slice, 32 pixels from (16.5, 32.5) to (48.5, 32.5): 22.4 mm at 0.7 mm a pixel.
    const from = await at(16.5 / 64, 32.5 / 64);
    const to = await at(48.5 / 64, 32.5 / 64);
    await viewer.drag(from, to);
    const [drawn] = await eventually(async () => {
      const list = await lines();
      assert.equal(list.length, 1);
      return list;
    });
    assert.equal(drawn.classId, label.id);
    assert.equal(drawn.points.length, 2);
    near(drawn.points[0], [16.5, 32.5], "first end");
    near(drawn.points[1], [48.5, 32.5], "second end");
    await expectText(page.getByRole("list", { name: "Regions of interest" }).locator(`li[data-roi-id="${drawn.id}"]`), "Diameter line (");
    await eventually(async () => assert.deepEqual((await stored()).map((r) => [r.id, r.points]), [[drawn.id, drawn.points]]));

    // Selected with a click on it (a quarter along: the landmark placed before lies at its middle): its length in millimetres.
    await viewer.button("Window/level").click();
    const c = await viewer.canvasBox();
    const onLine = await at(24.5 / 64, 32.5 / 64);
    await page.mouse.click(c.x + onLine[0], c.y + onLine[1]);
    const stats = page.getByTestId("roi-stats");
    await expectText(stats, /^Diameter\s+length \d+\.\d mm$/);
    const length = Number(await stats.getAttribute("data-length"));
    const expected = Math.hypot(drawn.points[1][0] - drawn.points[0][0], drawn.points[1][1] - drawn.points[0][1]) * 0.7;
    assert.ok(Math.abs(length - expected) < 1e-6 && Math.abs(length - 22.4) < 0.8, `length ${length} mm, expected ${expected}`);
    await screenshot(page, "measure-line-roi");

    // The second end dragged down a quarter: the first stays.
    const lower = await at(48.5 / 64, 48.5 / 64);
    await viewer.drag(to, lower);
    await eventually(async () => {
      const [l] = await lines();
      near(l.points[0], drawn.points[0], "first end kept");
      near(l.points[1], [48.5, 48.5], "second end moved");
    });
    await eventually(async () => near((await stored())[0].points[1], [48.5, 48.5], "stored after the move"));
    await page.keyboard.press("Control+z");
    await eventually(async () => near((await lines())[0].points[1], drawn.points[1], "after undoing the move"));
  });

  for (const renderer of [null, "gpu"]) {
    it(`turned and flipped: the edge markers follow, a ROI drawn on the turned image is stored in image pixels, Reset undoes it${renderer ? ` (${renderer})` : ""}`, async () => {
      const ct = FILES[0];
      await open(ct, renderer);
      const markers = async () => {
        const o_ = o.page.getByTestId("orientation");
        const [left, right, top, bottom] = await Promise.all(["left", "right", "top", "bottom"].map((e) => o_.locator(`.orient-${e}`).innerText()));
        return { left, right, top, bottom };
      };
      assert.deepEqual(await markers(), { left: "R", right: "L", top: "A", bottom: "P" });
      await o.page.getByRole("button", { name: "Rotate 90° clockwise" }).click();
      await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-rotation"), "90"));
      // A quarter clockwise: the image's top (anterior) is now on the right, its right (the patient's left) at the bottom.
      await eventually(async () => assert.deepEqual(await markers(), { left: "P", right: "A", top: "R", bottom: "L" }));

      // Drawn on the turned image: canvas (u, v) across and down the image's box is image (v W, (1 − u) H).
      await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
      await viewer.button("Rectangle").click();
      const before = new Set((await viewer.roiList()).map((r) => r.id));
      // Each run draws where no earlier ROI lies (a press on one would take hold of it).
      const [u0, v0, u1, v1] = renderer ? [0.65, 0.15, 0.85, 0.35] : [0.3, 0.2, 0.5, 0.6];
      await viewer.drag(await at(u0, v0), await at(u1, v1));
      const drawn = await eventually(async () => {
        const added = (await viewer.roiList()).filter((r) => !before.has(r.id));
        assert.equal(added.length, 1);
        return added[0].points;
      });
      const expected = [[v0 * 64, (1 - u1) * 64], [v1 * 64, (1 - u0) * 64]];
      for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) assert.ok(Math.abs(drawn[i][k] - expected[i][k]) <= 1, `corners ${JSON.stringify(drawn)}, expected ${JSON.stringify(expected)}`);

      await o.page.getByRole("button", { name: "Flip left to right" }).click();
      await eventually(async () => assert.deepEqual(await markers(), { left: "A", right: "P", top: "R", bottom: "L" }));
      await o.page.getByRole("button", { name: "Flip top to bottom" }).click();
      await eventually(async () => assert.deepEqual(await markers(), { left: "A", right: "P", top: "L", bottom: "R" }));
      // The other renderer shows it turned and flipped the same (the two keep flips their own ways).
      const other = renderer === "gpu" ? "cpu" : "gpu";
      await viewer.toolbar.getByLabel("Renderer").selectOption(other);
      await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-renderer"), other));
      assert.equal((await viewer.settled()).state, "loaded");
      await eventually(async () => assert.deepEqual(await markers(), { left: "A", right: "P", top: "L", bottom: "R" }));
      await viewer.button("Reset").click();
      await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-rotation"), "0"));
      await eventually(async () => assert.deepEqual(await markers(), { left: "R", right: "L", top: "A", bottom: "P" }));
    });
  }
});

describe("a study's case: one series at a time, each a stack of its own", { timeout: 300_000 }, () => {
  const tag = `study-${run}`;
  const owner = { name: "Sol Study", email: `sol.${run}@example.org`, password: "quarry lantern autumn 12" };
  // Two series of one MR study: three axial images 64 × 64 and two coronal 96 × 48, sent interleaved.
  const ax = [1, 2, 3].map((n) => ({ name: `ax-${n}.dcm`, mimeType: "application/dicom", buffer: studyImage(tag, { series: "ax", seriesNumber: 1, description: "AX", n }) }));
  const cor = [1, 2].map((n) => ({
    name: `cor-${n}.dcm`,
    mimeType: "application/dicom",
    buffer: studyImage(tag, { series: "cor", seriesNumber: 2, description: "COR", n, columns: 96, rows: 48, plane: "coronal" }),
  }));
  let o;
  let projectId;
  let theCase;

  before(async () => {
    o = await openBrowser("sol");
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  /** A series' instances as the project's DICOMweb root lists them (UIDs de-identified on upload). */
  const instancesOf = (seriesUid) =>
    o.page.evaluate(
      async ({ p, st, se }) => {
        const res = await fetch(`/dicomweb/projects/${p}/studies/${st}/series/${se}/instances`, { headers: { accept: "application/dicom+json" } });
        return (await res.json()).map((i) => ({ sop: i["00080018"].Value[0], number: Number(i["00200013"]?.Value?.[0]) }));
      },
      { p: projectId, st: theCase.studyInstanceUid, se: seriesUid },
    );

  it("keeps the wheel and the keys within a series, S goes to the next, and a ROI drawn there is stored on that series' image", async () => {
    const page = o.page;
    const viewer = new CaseReadPage(page);
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp(owner);
    const projects = new ProjectListPage(page);
    await projects.goto();
    projectId = await projects.createProject({ name: `Study ${run}` });
    // A case is one study, chosen on the settings page.
    const settings = new ProjectSettingsPage(page);
    await settings.general.getByLabel("A case is", { exact: true }).selectOption("STUDY");
    await settings.saveSettings.click();
    await expectText(settings.settingsStatus, "Settings saved.");
    const { project } = await gql(page, "query($p: ID!) { project(id: $p) { caseUnit } }", { p: projectId });
    assert.equal(project.caseUnit, "STUDY");
    await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", {
      p: projectId,
      i: { kind: "ROI", roiShape: "RECTANGLE", name: "Lesion", color: "#ff8800" },
    });

    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await expectText(page.locator("#upload-case-keys-hint"), "one case per study");
    await page.getByLabel("Choose files").setInputFiles([ax[0], cor[0], ax[1], cor[1], ax[2]]);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "5 stored, 0 refused", { timeout: 60_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id studyInstanceUid seriesInstanceUid sopInstanceUid } } } }", { p: projectId });
    assert.equal(cases.edges.length, 1, "one case for the study");
    theCase = cases.edges[0].node;
    assert.equal(theCase.seriesInstanceUid, null);
    assert.equal(theCase.sopInstanceUid, null);

    await viewer.goto(projectId, theCase.id);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const buttons = viewer.viewer.getByTestId("series-button");
    await expectCount(buttons, 2);
    // Series Description is removed by de-identification; number, modality and images stay.
    const texts = (await buttons.allInnerTexts()).map((t) => t.trim());
    assert.match(texts[0], /^1 · MR( · AX)? · 3 images$/);
    assert.match(texts[1], /^2 · MR( · COR)? · 2 images$/);
    const pressed = () => buttons.evaluateAll((list) => list.map((b) => b.getAttribute("aria-pressed")));
    assert.deepEqual(await pressed(), ["true", "false"]);
    const index = page.locator(".case-viewer .overlay-index");
    const series = page.locator(".case-viewer .overlay-series");
    await expectText(index, "Image 1 / 3");
    await expectText(series, "Series 1 of 2");
    const axBox = await viewer.imageBox();
    assert.ok(Math.abs(axBox.width / axBox.height - 1) < 0.02, `the axial series is square: ${JSON.stringify(axBox)}`);

    // The arrow keys stop at the series' last image, not in the next series.
    const c = await viewer.canvasBox();
    await page.mouse.click(c.x + c.width / 2, c.y + c.height / 2); // the viewer takes the keys
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    await expectText(index, "Image 3 / 3");
    await page.waitForTimeout(300);
    await expectText(index, "Image 3 / 3");
    await expectText(series, "Series 1 of 2");
    // So does the wheel.
    await page.keyboard.press("Home");
    await expectText(index, "Image 1 / 3");
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(60);
    }
    await expectText(index, "Image 3 / 3");
    await page.waitForTimeout(300);
    await expectText(index, "Image 3 / 3");
    await expectText(series, "Series 1 of 2");

    // S: the coronal series, fitted, from its first image; the arrow keys stop at its end.
    await page.keyboard.press("s");
    await expectText(series, "Series 2 of 2");
    await expectText(index, "Image 1 / 2");
    await eventually(async () => assert.deepEqual(await pressed(), ["false", "true"]));
    await eventually(async () => {
      const box = await viewer.imageBox();
      assert.ok(Math.abs(box.width / box.height - 2) < 0.05, `the coronal series is twice as wide as high: ${JSON.stringify(box)}`);
    });
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await expectText(index, "Image 2 / 2");
    await page.waitForTimeout(300);
    await expectText(index, "Image 2 / 2");

    // A rectangle on the coronal series' second image.
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    await viewer.button("Rectangle").click();
    const box = await viewer.imageBox();
    await viewer.drag([box.x + 0.3 * box.width, box.y + 0.3 * box.height], [box.x + 0.6 * box.width, box.y + 0.7 * box.height]);
    const [drawn] = await eventually(async () => {
      const list = await viewer.roiList();
      assert.equal(list.length, 1);
      return list;
    });
    const [axUid, corUid] = await buttons.evaluateAll((list) => list.map((b) => b.dataset.seriesInstanceUid));
    const corInstances = await instancesOf(corUid);
    const axInstances = await instancesOf(axUid);
    assert.equal(corInstances.length, 2);
    assert.equal(axInstances.length, 3);
    const second = corInstances.find((i) => i.number === 2).sop;
    assert.equal(drawn.sopInstanceUid, second, "drawn on the coronal series' second image");
    // Stored with the draft as drawn: on that image, none of the axial series'.
    await eventually(async () => {
      const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id sopInstanceUid frame } } }", { c: theCase.id });
      assert.deepEqual(myAnnotation?.rois, [{ id: drawn.id, sopInstanceUid: second, frame: 1 }]);
    });
    assert.ok(!axInstances.some((i) => i.sop === drawn.sopInstanceUid));
    await screenshot(page, "study-case-series-2");

    // Shift+S goes back to the axial series, at the image last shown there; the bar's button to the coronal one.
    await viewer.button("Window/level").click();
    await page.keyboard.press("Shift+S");
    await expectText(series, "Series 1 of 2");
    await expectText(index, "Image 3 / 3");
    await buttons.nth(1).click();
    await expectText(series, "Series 2 of 2");
    await expectText(index, "Image 2 / 2");
    // The other renderer shows the same series and image.
    const other = (await viewer.viewer.getAttribute("data-renderer")) === "gpu" ? "cpu" : "gpu";
    await viewer.toolbar.getByLabel("Renderer").selectOption(other);
    await eventually(async () => assert.equal(await viewer.viewer.getAttribute("data-renderer"), other));
    assert.equal((await viewer.settled()).state, "loaded");
    await expectText(series, "Series 2 of 2");
    await expectText(index, "Image 2 / 2");
    await eventually(async () => assert.deepEqual(await pressed(), ["false", "true"]));
  });

  it("Compare shows another series beside the main viewer, to look at only: its own wheel, and the keys, ROIs and timing stay the main viewer's", async () => {
    const page = o.page;
    const viewer = new CaseReadPage(page);
    await viewer.goto(projectId, theCase.id);
    assert.equal((await viewer.settled()).state, "loaded");
    const compare = viewer.viewer.getByTestId("compare-toggle");
    const reference = page.getByTestId("reference-viewer");
    const canvases = page.locator(".case-viewer canvas");
    const main = { series: page.locator(".case-viewer .overlay-series"), index: page.locator(".case-viewer .overlay-index") };
    const ref = { series: reference.locator(".reference-series"), index: reference.locator(".reference-index"), window: reference.locator(".reference-window") };
    await expectCount(compare, 1);
    assert.equal(await compare.getAttribute("aria-pressed"), "false");
    await expectCount(reference, 0);
    await expectCount(canvases, 1);

    // The main viewer shows the coronal series' second image, where the first test's ROI lies: its
    // annotation is then in Cornerstone's (global) state, which the reference viewer must leave alone.
    const buttons = viewer.viewer.getByTestId("series-button");
    const lesion = '[stroke="rgb(255, 136, 0)"]';
    await buttons.nth(1).click();
    await expectText(main.series, "Series 2 of 2");
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 2 / 2");
    await eventually(async () => assert.ok((await page.locator(`.viewer-element svg ${lesion}`).count()) > 0, "the main viewer draws the ROI"));
    await buttons.nth(0).click();
    await expectText(main.series, "Series 1 of 2");
    await expectText(main.index, "Image 1 / 3");
    const loadedText = await page.getByTestId("image-loaded").innerText();
    const alone = await viewer.canvasBox();

    // On: the reference viewer on the right, on the series after the main viewer's; each half the width.
    await compare.click();
    await eventually(async () => assert.equal(await compare.getAttribute("aria-pressed"), "true"));
    await eventually(async () => assert.equal(await reference.getAttribute("data-state"), "loaded"));
    await expectCount(canvases, 2);
    await expectText(ref.series, "Series 2 of 2");
    await expectText(ref.index, "Image 1 / 2");
    await expectText(main.series, "Series 1 of 2");
    await expectText(main.index, "Image 1 / 3");
    assert.equal(await reference.getByLabel("Series").inputValue(), "1");
    await eventually(async () => {
      const m = await viewer.canvasBox();
      const r = await reference.locator("canvas").boundingBox();
      assert.ok(m.width < alone.width * 0.6, `the main canvas narrows: ${m.width} of ${alone.width}`);
      assert.ok(Math.abs(m.width - r.width) < 8, `halves: main ${m.width}, reference ${r.width}`);
      assert.ok(r.x >= m.x + m.width - 1, "the reference viewer is on the right");
      // The main viewer's image, square, fitted again into its narrower canvas.
      const box = await viewer.imageBox();
      assert.ok(Math.abs(box.x + box.width / 2 - m.width / 2) < 2 && box.width <= m.width + 1, `the image in the canvas: ${JSON.stringify(box)}, canvas ${m.width}`);
      assert.ok(Math.abs(box.width / box.height - 1) < 0.02, `still square: ${JSON.stringify(box)}`);
    });
    // Its loading is no part of the reading's timing.
    assert.equal(await page.getByTestId("image-loaded").innerText(), loadedText);

    // The wheel goes through the reference's series, not the main viewer's; a left drag changes its window only.
    const r = await reference.locator("canvas").boundingBox();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.wheel(0, 120);
    await expectText(ref.index, "Image 2 / 2");
    await page.waitForTimeout(300);
    await expectText(main.index, "Image 1 / 3");
    const mainWindow = await viewer.windowText.innerText();
    const refWindow = await ref.window.innerText();
    await page.mouse.down();
    await page.mouse.move(r.x + r.width / 2 + 60, r.y + r.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
    await eventually(async () => assert.notEqual(await ref.window.innerText(), refWindow));
    assert.equal(await viewer.windowText.innerText(), mainWindow);
    // It shows the image the ROI lies on, and draws no ROI.
    await page.waitForTimeout(300);
    assert.equal(await reference.locator(`svg ${lesion}`).count(), 0, "the reference viewer draws no ROI");
    // The keys go to the main viewer, even after a press on the reference.
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 2 / 3");
    await expectText(ref.index, "Image 2 / 2");

    // A rectangle drawn in the main viewer is stored once, on the main viewer's image.
    const byId = (a, b) => a.id.localeCompare(b.id);
    const stored = async () => ((await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { rois { id sopInstanceUid frame } } }", { c: theCase.id })).myAnnotation?.rois ?? []).sort(byId);
    const before = await stored();
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Lesion" });
    await viewer.button("Rectangle").click();
    const box = await viewer.imageBox();
    await viewer.drag([box.x + 0.3 * box.width, box.y + 0.3 * box.height], [box.x + 0.6 * box.width, box.y + 0.7 * box.height]);
    const [axUid] = await buttons.evaluateAll((list) => list.map((b) => b.dataset.seriesInstanceUid));
    const secondAxial = (await instancesOf(axUid)).find((i) => i.number === 2).sop;
    const drawn = await eventually(async () => {
      const added = (await viewer.roiList()).filter((roi) => !before.some((b) => b.id === roi.id));
      assert.equal(added.length, 1);
      return added[0];
    });
    assert.equal(drawn.sopInstanceUid, secondAxial);
    const after = [...before, { id: drawn.id, sopInstanceUid: secondAxial, frame: 1 }].sort(byId);
    await eventually(async () => assert.deepEqual(await stored(), after));
    await page.waitForTimeout(300);
    assert.equal((await viewer.roiList()).length, before.length + 1, "exactly one ROI more");
    await screenshot(page, "study-case-compare");

    // C turns it off: one viewer again, as wide as before, and working.
    await viewer.button("Window/level").click();
    await page.keyboard.press("c");
    await expectCount(reference, 0);
    await expectCount(canvases, 1);
    assert.equal(await compare.getAttribute("aria-pressed"), "false");
    await eventually(async () => {
      const m = await viewer.canvasBox();
      assert.ok(Math.abs(m.width - alone.width) < 2, `the main canvas as wide as before: ${m.width}, ${alone.width}`);
      const b = await viewer.imageBox();
      assert.ok(Math.abs(b.x + b.width / 2 - m.width / 2) < 2, `the image centred: ${JSON.stringify(b)}, canvas ${m.width}`);
    });
    await page.keyboard.press("s");
    await expectText(main.series, "Series 2 of 2");
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 2 / 2");
    await eventually(async () => assert.ok((await page.locator(`.viewer-element svg ${lesion}`).count()) > 0, "the main viewer still draws the ROI"));
    assert.deepEqual(await stored(), after);
  });

  it("Link: a reference series of the same frame of reference and plane follows the main viewer's image, the nearest in position", async () => {
    const page = o.page;
    // Another study of the project: series A, five axial slices at z = 5..25 mm; series B, three at
    // z = 5, 15, 25; series C, two coronal; one frame of reference.
    const linkTag = `link-${run}`;
    const file = (series, seriesNumber, n, extra = {}) => ({ name: `${series}-${n}.dcm`, mimeType: "application/dicom", buffer: studyImage(linkTag, { series, seriesNumber, description: series, n, ...extra }) });
    const files = [
      ...[1, 2, 3, 4, 5].map((n) => file("a", 1, n)),
      ...[1, 3, 5].map((n) => file("b", 2, n)),
      ...[1, 2].map((n) => file("c", 3, n, { plane: "coronal" })),
    ];
    await page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles(files);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "10 stored, 0 refused", { timeout: 60_000 });
    const { cases } = await gql(page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id } } } }", { p: projectId });
    const linkCase = cases.edges.map((e) => e.node).find((c) => c.id !== theCase.id);
    assert.ok(linkCase, "a second case for the second study");

    const viewer = new CaseReadPage(page);
    await viewer.goto(projectId, linkCase.id);
    assert.equal((await viewer.settled()).state, "loaded");
    await expectCount(viewer.viewer.getByTestId("series-button"), 3);
    const reference = page.getByTestId("reference-viewer");
    const link = reference.getByTestId("link-toggle");
    const main = { series: page.locator(".case-viewer .overlay-series"), index: page.locator(".case-viewer .overlay-index") };
    const ref = { series: reference.locator(".reference-series"), index: reference.locator(".reference-index") };
    await viewer.viewer.getByTestId("compare-toggle").click();
    await eventually(async () => assert.equal(await reference.getAttribute("data-state"), "loaded"));
    await expectText(main.series, "Series 1 of 3");
    await expectText(ref.series, "Series 2 of 3");
    await expectText(main.index, "Image 1 / 5");
    await expectText(ref.index, "Image 1 / 3");
    await eventually(async () => assert.equal(await link.getAttribute("aria-pressed"), "true"));
    assert.equal(await link.isEnabled(), true);

    // The main viewer's 3rd image (z = 15): the reference's 2nd; its 4th (z = 20, between 15 and 25): the lower; its 5th: the 3rd.
    const c = await viewer.canvasBox();
    await page.mouse.click(c.x + c.width / 2, c.y + c.height / 2);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 3 / 5");
    await expectText(ref.index, "Image 2 / 3");
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 4 / 5");
    await page.waitForTimeout(300);
    await expectText(ref.index, "Image 2 / 3");
    await page.keyboard.press("ArrowDown");
    await expectText(ref.index, "Image 3 / 3");
    // One way: the wheel on the reference leaves the main viewer where it is.
    const r = await reference.locator("canvas").boundingBox();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.wheel(0, -120);
    await expectText(ref.index, "Image 2 / 3");
    await page.waitForTimeout(300);
    await expectText(main.index, "Image 5 / 5");

    // Off: the main viewer scrolls alone; on again, the reference catches up.
    await link.click();
    await eventually(async () => assert.equal(await link.getAttribute("aria-pressed"), "false"));
    await page.keyboard.press("Home");
    await expectText(main.index, "Image 1 / 5");
    await page.waitForTimeout(300);
    await expectText(ref.index, "Image 2 / 3");
    await link.click();
    await eventually(async () => assert.equal(await link.getAttribute("aria-pressed"), "true"));
    await expectText(ref.index, "Image 1 / 3");

    // The coronal series: another orientation, no link; the reference stays where the reader puts it.
    await reference.getByLabel("Series").selectOption("2");
    await expectText(ref.series, "Series 3 of 3");
    await eventually(async () => assert.equal(await link.isDisabled(), true));
    assert.equal(await link.getAttribute("aria-pressed"), "false");
    assert.match(await link.getAttribute("title"), /cannot link/);
    const focusMain = () => page.mouse.click(c.x + c.width / 2, c.y + c.height / 2); // the series list keeps the arrow keys
    await focusMain();
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 2 / 5");
    await page.waitForTimeout(300);
    await expectText(ref.index, "Image 1 / 2");

    // Back to series A in the reference while the main viewer goes to B (S): linked again, either way round.
    await page.keyboard.press("s");
    await expectText(main.series, "Series 2 of 3");
    await expectText(main.index, "Image 1 / 3");
    await reference.getByLabel("Series").selectOption("0");
    await expectText(ref.series, "Series 1 of 3");
    await eventually(async () => assert.equal(await link.getAttribute("aria-pressed"), "true"));
    await expectText(ref.index, "Image 1 / 5");
    await focusMain();
    await page.keyboard.press("ArrowDown");
    await expectText(main.index, "Image 2 / 3");
    await expectText(ref.index, "Image 3 / 5");
    await screenshot(page, "study-case-link");
    await page.keyboard.press("c"); // compare off again, as the reader found it
    await expectCount(reference, 0);
  });
});
