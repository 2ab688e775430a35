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

function png() {
  const w = 200;
  const h = 160;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(120 + 90 * Math.sin((i % w) / 11) * Math.cos(Math.floor(i / w) / 7))));
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
    await o.page.getByLabel("Choose files").setInputFiles([{ name: "collab-blind.png", mimeType: "image/png", buffer: png() }]);
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
