// Concord served over plain HTTP by a host name, as a research group runs it on a lab or hospital
// network without TLS: the page is not a secure context, so crypto.randomUUID and crypto.subtle do
// not exist. A reader still uploads, reads a case (its timing session id), draws a region and
// submits, and the ledger page still checks a signed head and an entry's proof (SHA-256 and Ed25519
// in the page's own code). Before, the case page failed to open here.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { lanBaseUrl, openBrowser, screenshot } from "../support/browser.mjs";

// Every page object and helper of this file goes to the server by its LAN name.
process.env.E2E_BASE_URL = lanBaseUrl();

const { SignUpPage } = await import("../pages/AuthPages.mjs");
const { CaseReadPage } = await import("../pages/CaseReadPage.mjs");
const { LedgerPage } = await import("../pages/LedgerPage.mjs");
const { ProjectListPage } = await import("../pages/ProjectListPage.mjs");
const { gql } = await import("../support/api.mjs");
const { eventually, expectText } = await import("../support/expect.mjs");

const run = Date.now().toString(36);
const nia = { name: "Nia Lan", email: `nia.${run}@example.org`, password: "granite meadow lantern 8" };

function png() {
  const w = 200;
  const h = 160;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => Math.round(127 + 100 * Math.sin((i % w) / 7) * Math.cos(Math.floor(i / w) / 11))));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe("lan: plain HTTP by a host name (not a secure context)", { timeout: 180_000 }, () => {
  let o;
  let projectId;

  before(async () => {
    o = await openBrowser("nia", { lan: true });
  });
  after(async () => {
    for (const p of o?.problems ?? []) console.log(`[${o.who}] ${p}`);
    await o?.close();
  });

  it("lan: a reader uploads an image, reads it, draws a rectangle and submits; the page had no crypto.randomUUID", async () => {
    const page = o.page;
    const signUp = new SignUpPage(page);
    await signUp.goto();
    assert.deepEqual(await page.evaluate(() => [location.hostname, window.isSecureContext, typeof crypto.randomUUID, typeof crypto.subtle]), ["concord.test", false, "undefined", "undefined"]);
    await signUp.signUp(nia);
    const list = new ProjectListPage(page);
    await list.goto();
    projectId = await list.createProject({ name: `LAN ${run}` });
    await gql(page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", {
      p: projectId,
      i: { kind: "ROI", roiShape: "RECTANGLE", name: "Mass", color: "#ff00ff" },
    });
    await page.goto(`${lanBaseUrl()}/projects/${projectId}/data`);
    await page.getByLabel("Choose files").setInputFiles([{ name: "lan.png", mimeType: "image/png", buffer: png() }]);
    await expectText(page.locator(".upload-batch").first().getByRole("status"), "1 stored, 0 refused", { timeout: 30_000 });

    await page.getByRole("button", { name: "Start reading" }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/[0-9a-f-]{36}$`));
    const viewer = new CaseReadPage(page);
    const settled = await viewer.settled();
    assert.equal(settled.state, "loaded", settled.error ?? "");
    const box = await viewer.imageBox();
    const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
    await viewer.toolbar.getByLabel("ROI class").selectOption({ label: "Mass" });
    await viewer.button("Rectangle").click();
    await viewer.drag(at(0.3, 0.3), at(0.6, 0.55));
    await eventually(async () => assert.equal((await viewer.roiList()).length, 1));
    await expectText(page.getByTestId("save-state"), "Draft saved", { timeout: 10_000 });
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await expectText(page.getByTestId("save-state"), "Submitted (version 1)");
    const caseId = new URL(page.url()).pathname.split("/").pop();
    const { myAnnotation } = await gql(page, "query($c: ID!) { myAnnotation(caseId: $c) { status rois { kind } timing { sessions { sessionId } } } }", { c: caseId });
    assert.equal(myAnnotation.status, "SUBMITTED");
    assert.deepEqual(myAnnotation.rois.map((r) => r.kind), ["RECTANGLE"]);
    assert.match(myAnnotation.timing.sessions[0].sessionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "a version 4 UUID made without crypto.randomUUID");
    assert.deepEqual(o.problems, [], "no page errors");
  });

  it("lan: the ledger page checks the signed head and an entry's proof without WebCrypto", async () => {
    const page = o.page;
    const entries = await eventually(
      async () => {
        const { ledgerEntries } = await gql(page, "query($p: ID!) { ledgerEntries(projectId: $p) { seq type } }", { p: projectId });
        const { ledgerHead } = await gql(page, "query($p: ID!) { ledgerHead(projectId: $p) { treeSize } }", { p: projectId });
        const submit = ledgerEntries.find((e) => e.type === "annotation.submit");
        assert.ok(submit && submit.seq !== null && submit.seq < (ledgerHead?.treeSize ?? 0), "the submit is in a signed head");
        return ledgerEntries;
      },
      { timeout: 20_000, interval: 250 },
    );
    const ledger = new LedgerPage(page);
    await ledger.goto(projectId);
    await expectText(ledger.headVerdict, /^Signature verified: \S+\/ledger signed this head with key [0-9a-f]{8}\.$/);
    const seq = entries.find((e) => e.type === "annotation.submit").seq;
    await ledger.verify(seq);
    await expectText(ledger.verdict, new RegExp(`^Verified: entry ${seq} is in the tree of size \\d+ signed by \\S+/ledger\\.$`));
    await screenshot(page, "80-lan-ledger");
  });
});
