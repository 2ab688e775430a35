// Live ROIs: in open reading, two readers open the same case in their own browsers; one draws a
// rectangle and the other sees it, read-only, within a second of the mouse-up. A region drawn
// offline arrives once the reader is back; both are durable (a reload shows them) and the
// submitted annotation holds them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { CaseReadPage } from "../pages/CaseReadPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
// Olga owns the project; Anton and Bea are its annotators. Each learns that the other reads the
// case from presence, before anyone has submitted it.
const olga = { name: "Olga Owner", email: `olga.collab.${run}@example.org`, password: "granite harbour lantern 3" };
const anton = { name: "Anton Annotator", email: `anton.${run}@example.org`, password: "copper meadow signal 8" };
const bea = { name: "Bea Annotator", email: `bea.${run}@example.org`, password: "harbour violet ledger 5" };

/** A test image; another `seed`, another image (the same file twice in a project is one case). */
function png(seed = 0) {
  const w = 200;
  const h = 160;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(120 + 90 * Math.sin(((i % w) + seed) / 11) * Math.cos(Math.floor(i / w) / 7))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** The other readers' ROIs a page lists. */
const othersList = (page) =>
  page
    .getByRole("list", { name: "Other readers' regions" })
    .locator("li")
    .evaluateAll((items) => items.map((li) => ({ id: li.dataset.roiId, readerId: li.dataset.readerId, classId: li.dataset.classId, kind: li.dataset.kind })));

describe("collaboration: live ROIs between two readers", { timeout: 240_000 }, () => {
  let o;
  let a;
  let b;
  let projectId;
  let caseId;
  let massId;
  let antonId;

  before(async () => {
    o = await openBrowser("olga");
    a = await openBrowser("anton");
    b = await openBrowser("bea");
  });
  after(async () => {
    for (const x of [o, a, b]) for (const p of x?.problems ?? []) console.log(`[${x.who}] ${p}`);
    await o?.close();
    await a?.close();
    await b?.close();
  });

  it("an open-reading project with an ROI class, one image and two annotators", async () => {
    for (const [x, who] of [
      [a, anton],
      [b, bea],
      [o, olga],
    ]) {
      await new SignUpPage(x.page).goto();
      await new SignUpPage(x.page).signUp(who);
    }
    antonId = (await gql(a.page, "{ me { id } }")).me.id;
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Collab ${run}` });
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", {
      id: projectId,
      input: { readersPerCase: 2, blindReading: false },
    });
    massId = (
      await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", {
        p: projectId,
        i: { kind: "ROI", roiShape: "RECTANGLE", name: "Mass", color: "#ff00ff" },
      })
    ).createLabel.id;
    for (const who of [anton, bea]) {
      await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: who.email, role: "ANNOTATOR" } });
    }

    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([{ name: "collab.png", mimeType: "image/png", buffer: png() }]);
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p) { edges { node { id } } } }", { p: projectId });
    caseId = cases.edges[0].node.id;
  });

  it("Anton draws a rectangle and Bea sees it, read-only, within a second", async () => {
    const viewA = new CaseReadPage(a.page);
    const viewB = new CaseReadPage(b.page);
    await Promise.all([viewA.goto(projectId, caseId), viewB.goto(projectId, caseId)]);
    for (const v of [viewA, viewB]) {
      const settled = await v.settled();
      assert.equal(settled.state, "loaded", settled.error ?? "");
    }
    // Both pages know, from presence, that the other is on the case (and show it), and have subscribed to its layer.
    await expectText(b.page.getByRole("list", { name: "On this case now" }), anton.name);
    await expectText(a.page.getByRole("list", { name: "On this case now" }), bea.name);
    await b.page.waitForTimeout(1500);

    // Wall-clock times on the pages themselves: Anton's mouse-up, and the moment Bea's page lists his region.
    await a.page.evaluate(() => {
      window.addEventListener("mouseup", () => (window.__mouseUpAt = performance.timeOrigin + performance.now()), { capture: true, once: true });
    });
    await b.page.evaluate(() => {
      const seen = () => document.querySelector('[aria-label="Other readers\' regions"] li');
      new MutationObserver((_, observer) => {
        if (!seen()) return;
        window.__seenAt = performance.timeOrigin + performance.now();
        observer.disconnect();
      }).observe(document.body, { childList: true, subtree: true });
    });

    const box = await viewA.imageBox();
    const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
    await viewA.button("Rectangle").click();
    await viewA.drag(at(0.3, 0.3), at(0.55, 0.5));
    await eventually(async () => assert.equal((await viewA.roiList()).length, 1));
    const [drawn] = await viewA.roiList();
    assert.equal(drawn.classId, massId);

    const seenAt = await eventually(async () => {
      const t = await b.page.evaluate(() => window.__seenAt ?? null);
      assert.ok(t, "Bea's page does not list Anton's region yet");
      return t;
    });
    const upAt = await a.page.evaluate(() => window.__mouseUpAt);
    const latency = seenAt - upAt;
    console.log(`collab: Anton's mouse-up to Bea seeing the region: ${Math.round(latency)} ms`);
    assert.ok(latency >= 0 && latency <= 1000, `Bea saw the region ${Math.round(latency)} ms after the mouse-up`);

    assert.deepEqual(await othersList(b.page), [{ id: drawn.id, readerId: antonId, classId: massId, kind: "RECTANGLE" }]);
    assert.equal((await viewB.roiList()).length, 0, "Anton's region is not Bea's own");
    // Drawn in Bea's viewer, dashed (read-only).
    await eventually(async () => assert.ok((await b.page.locator(".case-viewer svg [stroke-dasharray]").count()) > 0, "no dashed shape in Bea's viewer"));
    await screenshot(b.page, "60-collab-others-roi");
  });

  it("Anton draws while offline; his region reaches Bea once he is back", async () => {
    const viewA = new CaseReadPage(a.page);
    const box = await viewA.imageBox();
    const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
    await a.context.setOffline(true);
    await viewA.button("Rectangle").click();
    await viewA.drag(at(0.6, 0.6), at(0.8, 0.75));
    await eventually(async () => assert.equal((await viewA.roiList()).length, 2));
    await expectText(a.page.getByTestId("roi-sync"), "Offline");
    await b.page.waitForTimeout(1000);
    assert.equal((await othersList(b.page)).length, 1, "Bea saw a region drawn offline before it was sent");

    await a.context.setOffline(false);
    await eventually(async () => assert.equal((await othersList(b.page)).length, 2));
    await eventually(async () => assert.equal(await a.page.getByTestId("roi-sync").count(), 0));
    const ids = (await viewA.roiList()).map((r) => r.id).sort();
    assert.deepEqual((await othersList(b.page)).map((r) => r.id).sort(), ids);
  });

  it("a region the server refuses (far outside the image) is taken back with a message, and later regions still arrive", async () => {
    const viewA = new CaseReadPage(a.page);
    const box = await viewA.imageBox();
    const canvas = await viewA.canvasBox();
    const before = (await viewA.roiList()).length;
    await viewA.button("Rectangle").click();
    await viewA.drag([box.x + box.width * 0.5, box.y + box.height * 0.5], [canvas.width - 2, canvas.height - 2]);
    await expectText(a.page.getByRole("alert"), "Region not saved");
    await eventually(async () => assert.equal((await viewA.roiList()).length, before));
    await viewA.drag([box.x + box.width * 0.1, box.y + box.height * 0.1], [box.x + box.width * 0.2, box.y + box.height * 0.2]);
    await eventually(async () => assert.equal((await viewA.roiList()).length, before + 1));
    await eventually(async () => assert.equal((await othersList(b.page)).length, before + 1));
  });

  it("the regions are durable: Anton reloads and they are there; his submitted annotation holds them", async () => {
    const viewA = new CaseReadPage(a.page);
    const before = await viewA.roiList();
    await a.page.reload();
    const settled = await viewA.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    await eventually(async () => assert.deepEqual((await viewA.roiList()).map((r) => r.id), before.map((r) => r.id)));

    await a.page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(a.page.getByTestId("save-state"), "Submitted (version 1)");
    const { myAnnotation } = await gql(a.page, "query($c: ID!) { myAnnotation(caseId: $c) { status rois { id classId kind points } } }", { c: caseId });
    assert.equal(myAnnotation.status, "SUBMITTED");
    const stored = [...myAnnotation.rois].sort((x, y) => x.id.localeCompare(y.id));
    const drawn = [...before].sort((x, y) => x.id.localeCompare(y.id));
    assert.equal(drawn.length, 3);
    assert.deepEqual(
      stored.map((r) => [r.id, r.classId, r.kind]),
      drawn.map((r) => [r.id, massId, "RECTANGLE"]),
    );
    for (const [k, roi] of stored.entries()) {
      for (const [i, p] of roi.points.entries()) {
        const q = drawn[k].points[i];
        assert.ok(Math.abs(p[0] - q[0]) < 0.01 && Math.abs(p[1] - q[1]) < 0.01, `stored ${JSON.stringify(roi.points)} vs drawn ${JSON.stringify(drawn[k].points)}`);
      }
    }
    // Bea still sees them.
    assert.equal((await othersList(b.page)).length, 3);
  });

  it("in blind reading Bea sees nothing of Anton's regions, and no error, until she has submitted the case", async () => {
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", {
      id: projectId,
      input: { blindReading: true },
    });
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([{ name: "collab-blind.png", mimeType: "image/png", buffer: png(1) }]);
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p) { edges { node { id } } } }", { p: projectId });
    const blindCase = cases.edges.map((e) => e.node.id).find((id) => id !== caseId);

    const viewA = new CaseReadPage(a.page);
    const viewB = new CaseReadPage(b.page);
    await Promise.all([viewA.goto(projectId, blindCase), viewB.goto(projectId, blindCase)]);
    for (const v of [viewA, viewB]) assert.equal((await v.settled()).state, "loaded");
    await b.page.waitForTimeout(2500);
    const box = await viewA.imageBox();
    await viewA.button("Rectangle").click();
    await viewA.drag([box.x + box.width * 0.2, box.y + box.height * 0.2], [box.x + box.width * 0.4, box.y + box.height * 0.4]);
    await eventually(async () => assert.equal((await viewA.roiList()).length, 1));
    await b.page.waitForTimeout(1500);
    assert.equal(await b.page.getByRole("list", { name: "Other readers' regions" }).count(), 0, "Bea sees Anton's region before submitting");
    assert.equal(await b.page.getByRole("alert").count(), 0, "an error shows on Bea's page");

    await b.page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(b.page.getByTestId("save-state"), "Submitted (version 1)");
    await eventually(async () => assert.deepEqual((await othersList(b.page)).map((r) => r.readerId), [antonId]));
  });
});

// Presence with pointers, others' results and the consensus layer: two annotators of an open
// project see each other's pointer on the image and each other's submitted labels live, and both
// draw on the case's consensus layer at once and end up with the same regions. In blind reading
// none of that shows before the reader has submitted the case.
describe("collaboration: pointers, others' results and the consensus layer", { timeout: 240_000 }, () => {
  const run2 = `${run}p`;
  const owner = { name: "Oskar Owner", email: `oskar.${run2}@example.org`, password: "granite harbour lantern 4" };
  const ada = { name: "Ada Annotator", email: `ada.${run2}@example.org`, password: "copper meadow signal 9" };
  const ben = { name: "Ben Annotator", email: `ben.${run2}@example.org`, password: "harbour violet ledger 6" };
  let o;
  let a;
  let b;
  let projectId;
  let caseId;
  let noduleId;
  let adaId;
  let benId;

  const results = (page) => new CaseReadPage(page).otherResults();
  const consensusList = (page) => new CaseReadPage(page).consensusRois();
  const pointerOn = (view, userId) => view.remotePointer(userId);
  async function upload(name) {
    const before = new Set((await gql(o.page, "query($p: ID!) { cases(projectId: $p) { edges { node { id } } } }", { p: projectId })).cases.edges.map((e) => e.node.id));
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByLabel("Choose files").setInputFiles([{ name, mimeType: "image/png", buffer: png(name.length) }]);
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p) { edges { node { id } } } }", { p: projectId });
    return cases.edges.map((e) => e.node.id).find((id) => !before.has(id));
  }
  async function openBoth(id) {
    const viewA = new CaseReadPage(a.page);
    const viewB = new CaseReadPage(b.page);
    await Promise.all([viewA.goto(projectId, id), viewB.goto(projectId, id)]);
    for (const v of [viewA, viewB]) {
      const settled = await v.settled();
      assert.equal(settled.state, "loaded", settled.error ?? "");
    }
    await expectText(b.page.getByRole("list", { name: "On this case now" }), ada.name);
    await expectText(a.page.getByRole("list", { name: "On this case now" }), ben.name);
    return [viewA, viewB];
  }
  async function submitWithNodule(page, confidence) {
    const row = page.locator(`.label-row[data-label-id="${noduleId}"]`);
    await row.getByRole("checkbox").check();
    await row.getByRole("radio", { name: String(confidence), exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Draft saved", { timeout: 10_000 });
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
  }

  before(async () => {
    o = await openBrowser("oskar");
    a = await openBrowser("ada");
    b = await openBrowser("ben");
  });
  after(async () => {
    for (const x of [o, a, b]) for (const p of x?.problems ?? []) console.log(`[${x.who}] ${p}`);
    await o?.close();
    await a?.close();
    await b?.close();
  });

  it("an open-reading project with an ROI class, a classification label, one image and two annotators", async () => {
    for (const [x, who] of [
      [a, ada],
      [b, ben],
      [o, owner],
    ]) {
      await new SignUpPage(x.page).goto();
      await new SignUpPage(x.page).signUp(who);
    }
    adaId = (await gql(a.page, "{ me { id } }")).me.id;
    benId = (await gql(b.page, "{ me { id } }")).me.id;
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Live ${run2}` });
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", {
      id: projectId,
      input: { readersPerCase: 2, blindReading: false },
    });
    const label = async (i) => (await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i })).createLabel.id;
    await label({ kind: "ROI", roiShape: "RECTANGLE", name: "Lesion", color: "#00ffff" });
    noduleId = await label({ kind: "CLASSIFICATION", name: "Nodule", color: "#3cb44b" });
    for (const who of [ada, ben]) {
      await gql(o.page, "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }", { p: projectId, i: { email: who.email, role: "ANNOTATOR" } });
    }
    caseId = await upload("live.png");
    assert.ok(caseId);
  });

  it("Ben sees Ada's pointer on the image, where she points, within two seconds, and it follows his zoom", async () => {
    const [viewA, viewB] = await openBoth(caseId);
    const boxA = await viewA.imageBox();
    const canvasA = await viewA.canvasBox();
    const t0 = Date.now();
    // Ada points at image pixel (50, 64) of the 200 x 160 image.
    await a.page.mouse.move(canvasA.x + boxA.x + boxA.width * 0.2, canvasA.y + boxA.y + boxA.height * 0.3, { steps: 3 });
    await a.page.mouse.move(canvasA.x + boxA.x + boxA.width * 0.25, canvasA.y + boxA.y + boxA.height * 0.4, { steps: 5 });
    const seen = await eventually(
      async () => {
        const p = await pointerOn(viewB, adaId);
        assert.ok(p, "Ben's page shows no pointer of Ada's");
        assert.ok(Math.abs(p.imageX - 50) <= 1 && Math.abs(p.imageY - 64) <= 1, `Ada's pointer at image (${p.imageX}, ${p.imageY})`);
        return p;
      },
      { timeout: 2000, interval: 50 },
    );
    console.log(`collab: Ada's pointer reached Ben's page after ${Date.now() - t0} ms`);
    assert.equal((await pointerOn(viewB, adaId)).name, ada.name);
    const near = async (view, fx, fy) => {
      const box = await view.imageBox();
      const p = await pointerOn(view, adaId);
      assert.ok(p);
      // The arrow's tip is the point (its box starts a pixel above and left of it).
      assert.ok(Math.abs(p.x + 1 - (box.x + box.width * fx)) <= 3 && Math.abs(p.y + 1 - (box.y + box.height * fy)) <= 3, `pointer drawn at ${p.x}, ${p.y}; image box ${JSON.stringify(box)}`);
    };
    assert.ok(seen);
    await eventually(() => near(viewB, 0.25, 0.4));
    // Nobody sees their own pointer drawn.
    assert.equal(await a.page.locator(".remote-pointer").count(), 0);

    // Ben zooms in: the pointer stays on the same image point.
    const zoomBefore = await viewB.zoom();
    const canvasB = await viewB.canvasBox();
    await b.page.mouse.move(canvasB.x + canvasB.width * 0.6, canvasB.y + canvasB.height * 0.6);
    for (let i = 0; i < 3; i++) await b.page.mouse.wheel(0, -200);
    await eventually(async () => assert.ok((await viewB.zoom()) > zoomBefore, "Ben's view did not zoom"));
    await eventually(() => near(viewB, 0.25, 0.4));
    await screenshot(b.page, "61-collab-pointer");

    // Ada's pointer leaves the image: it goes from Ben's page.
    await a.page.mouse.move(canvasA.x + canvasA.width + 50, canvasA.y + 10);
    await eventually(async () => assert.equal(await pointerOn(viewB, adaId), null), { timeout: 3000 });
  });

  it("both draw on the consensus layer at once; both end up with both regions, and their own layers stay as they were", async () => {
    const viewA = new CaseReadPage(a.page);
    const viewB = new CaseReadPage(b.page);
    await viewA.chooseLayer("Consensus");
    await viewB.chooseLayer("Consensus");
    const boxA = await viewA.imageBox();
    const boxB = await viewB.imageBox();
    await viewA.button("Rectangle").click();
    await viewB.button("Rectangle").click();
    await Promise.all([
      viewA.drag([boxA.x + boxA.width * 0.1, boxA.y + boxA.height * 0.1], [boxA.x + boxA.width * 0.3, boxA.y + boxA.height * 0.3]),
      viewB.drag([boxB.x + boxB.width * 0.6, boxB.y + boxB.height * 0.6], [boxB.x + boxB.width * 0.8, boxB.y + boxB.height * 0.8]),
    ]);
    const both = await eventually(async () => {
      const [ca, cb] = await Promise.all([consensusList(a.page), consensusList(b.page)]);
      assert.equal(ca.length, 2, `Ada's page lists ${ca.length} consensus regions`);
      assert.deepEqual(cb, ca);
      return ca;
    });
    assert.equal((await viewA.roiList()).length, 0, "a consensus region went into Ada's own layer");
    assert.equal((await viewB.roiList()).length, 0, "a consensus region went into Ben's own layer");
    assert.equal(await a.page.getByRole("list", { name: "Other readers' regions" }).count(), 0);

    // Ada's undo takes back her consensus region only, on both pages; Ben's stays. Her redo brings it back.
    await a.page.keyboard.press("Control+z");
    const bens = await eventually(async () => {
      const [ca, cb] = await Promise.all([consensusList(a.page), consensusList(b.page)]);
      assert.equal(ca.length, 1, `Ada's page lists ${ca.length} consensus regions after her undo`);
      assert.deepEqual(cb, ca);
      return ca;
    });
    assert.ok(both.includes(bens[0]));
    await a.page.keyboard.press("Control+Shift+Z");
    await eventually(async () => {
      assert.deepEqual(await consensusList(a.page), both);
      assert.deepEqual(await consensusList(b.page), both);
    });

    // Back on her own layer, Ada's next region is hers only.
    await viewA.chooseLayer("My regions");
    await viewA.drag([boxA.x + boxA.width * 0.4, boxA.y + boxA.height * 0.1], [boxA.x + boxA.width * 0.5, boxA.y + boxA.height * 0.25]);
    await eventually(async () => assert.equal((await viewA.roiList()).length, 1));
    assert.deepEqual(await consensusList(a.page), both);
    await eventually(async () => assert.equal((await othersList(b.page)).length, 1));
    assert.deepEqual(await consensusList(b.page), both);

    // Durable: after a reload Ben's page still has both.
    await b.page.reload();
    assert.equal((await viewB.settled()).state, "loaded");
    await eventually(async () => assert.deepEqual(await consensusList(b.page), both));
    await screenshot(b.page, "62-collab-consensus");
  });

  it("Ada submits her labels; they appear in Ben's \"Other readers' results\" without a reload", async () => {
    await expectText(b.page.getByRole("heading", { name: "Other readers' results" }), "Other readers' results");
    await expectText(b.page.locator(".side-section").filter({ hasText: "Other readers' results" }), "No other reader has submitted");
    await submitWithNodule(a.page, 80);
    await eventually(async () => assert.deepEqual(await results(b.page), [{ readerId: adaId, labels: [{ labelId: noduleId, value: "true", confidence: "80" }] }]), { timeout: 5000 });
    await expectText(b.page.getByRole("list", { name: "Other readers' results" }), ada.name);
    // Ada's page lists nobody (Ben has not submitted); her own result is not among "others".
    assert.equal(await a.page.getByRole("list", { name: "Other readers' results" }).count(), 0);
  });

  it("in blind reading Ben sees neither Ada's pointer nor her results, nor the consensus, until he has submitted", async () => {
    await gql(o.page, "mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { id } }", {
      id: projectId,
      input: { blindReading: true },
    });
    const blindCase = await upload("live-blind.png");
    const [viewA, viewB] = await openBoth(blindCase);
    await expectText(b.page.getByTestId("results-hidden"), "Hidden until you submit (blind reading)");
    assert.equal(await b.page.getByRole("radio", { name: "Consensus" }).count(), 0, "Ben may switch to the consensus layer before submitting");

    const boxA = await viewA.imageBox();
    const canvasA = await viewA.canvasBox();
    await a.page.mouse.move(canvasA.x + boxA.x + boxA.width * 0.5, canvasA.y + boxA.y + boxA.height * 0.5, { steps: 5 });
    await submitWithNodule(a.page, 60);
    await a.page.mouse.move(canvasA.x + boxA.x + boxA.width * 0.4, canvasA.y + boxA.y + boxA.height * 0.4, { steps: 5 });
    await b.page.waitForTimeout(2500);
    assert.equal(await b.page.locator(".remote-pointer").count(), 0, "Ben sees Ada's pointer in blind reading");
    assert.equal(await b.page.getByRole("list", { name: "Other readers' results" }).count(), 0, "Ben sees Ada's results before submitting");
    await expectText(b.page.getByTestId("results-hidden"), "Hidden until you submit");
    assert.equal(await b.page.getByRole("alert").count(), 0, "an error shows on Ben's page");

    await submitWithNodule(b.page, 40);
    await eventually(async () => assert.deepEqual(await results(b.page), [{ readerId: adaId, labels: [{ labelId: noduleId, value: "true", confidence: "60" }] }]));
    assert.equal(await b.page.getByTestId("results-hidden").count(), 0);
    await eventually(async () => assert.equal(await b.page.getByRole("radio", { name: "Consensus" }).count(), 1));
    // And Ada, who submitted first, now sees Ben's.
    await eventually(async () => assert.deepEqual((await results(a.page)).map((r) => r.readerId), [benId]));
  });
});
