// Rewards: three readers submit labels on four cases; a manager runs a concord epoch over the
// project's own labels, follows it to the end, and sees every reader's tokens (summing to the
// budget) in the table and the bar plot, with the terms per label. A reader sees only their own
// share, and stores a payout address (an invalid one shows the server's message).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { describedBy } from "../pages/fields.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { RewardsPage } from "../pages/RewardsPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText, expectValue } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Olga Owner", email: `olga.${run}@example.org`, password: "amber lantern reef 3" };
const manager = { name: "Milo Manager", email: `milo.${run}@example.org`, password: "silver orchard gale 6" };
const reader = { name: "Rhea Reader", email: `rhea.${run}@example.org`, password: "granite willow tide 9" };
const BUDGET = 500;
// A valid bech32 account address (no chain is configured in e2e, so any prefix is accepted).
const ADDRESS = "cosmos1qyyq79says4nyw2qga892hrrdfchsluxcqtzp4";

function png(seed) {
  const w = 32;
  const h = 24;
  const image = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  image.data = Buffer.from(new Uint8Array(w * h).map((_, i) => (i * (seed + 5)) % 251));
  return PNG.sync.write(image, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

const SUBMIT = "mutation($c: ID!, $i: AnnotationInput!) { submitAnnotation(caseId: $c, input: $i) { id } }";

describe("rewards: an epoch over the project's labels, shares and payout addresses", { timeout: 240_000 }, () => {
  let o;
  let m;
  let r;
  let projectId;

  before(async () => {
    o = await openBrowser("olga");
    m = await openBrowser("milo");
    r = await openBrowser("rhea");
  });
  after(async () => {
    for (const b of [o, m, r]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await o?.close();
    await m?.close();
    await r?.close();
  });

  it("a manager runs an epoch and sees the readers' tokens sum to the budget", async () => {
    for (const [b, who] of [[m, manager], [r, reader], [o, owner]]) {
      const signUp = new SignUpPage(b.page);
      await signUp.goto();
      await signUp.signUp(who);
    }
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Rewards ${run}` });
    const labels = [];
    for (const [name, color] of [["Effusion", "#e6194b"], ["Nodule", "#3cb44b"]]) {
      labels.push((await gql(o.page, "mutation($p: ID!, $i: CreateLabelInput!) { createLabel(projectId: $p, input: $i) { id } }", { p: projectId, i: { kind: "CLASSIFICATION", name, color } })).createLabel.id);
    }
    const grant = "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }";
    await gql(o.page, grant, { p: projectId, i: { email: manager.email, role: "MANAGER" } });
    await gql(o.page, grant, { p: projectId, i: { email: reader.email, role: "ANNOTATOR" } });
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    const keys = ["rw-1", "rw-2", "rw-3", "rw-4"];
    await o.page.getByLabel("Choose files").setInputFiles(keys.map((k, i) => ({ name: `${k}.png`, mimeType: "image/png", buffer: png(i) })));
    await expectText(o.page.locator(".upload-batch").first().getByRole("status"), "4 stored, 0 refused");
    const { cases } = await gql(o.page, "query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id key } } } }", { p: projectId });
    const id = Object.fromEntries(cases.edges.map((e) => [e.node.key, e.node.id]));

    // Votes per case on [Effusion, Nodule]: the owner and the manager mostly agree, the reader less.
    const votes = {
      owner: [[true, false], [true, true], [false, false], [false, true]],
      manager: [[true, false], [true, true], [false, false], [true, true]],
      reader: [[true, true], [false, true], [false, false], [false, false]],
    };
    await r.page.goto(`${baseUrl()}/projects`);
    for (const [who, b] of [["owner", o], ["manager", m], ["reader", r]]) {
      for (const [i, key] of keys.entries()) {
        const values = votes[who][i];
        await gql(b.page, SUBMIT, { c: id[key], i: { labels: labels.map((labelId, k) => ({ labelId, value: values[k], confidence: 80 })), rois: [] } });
      }
    }

    const rewards = new RewardsPage(m.page);
    await rewards.goto(projectId);
    await rewards.runEpoch({ policy: "concord", budget: BUDGET });
    // The new epoch is listed at once and followed live until it is done.
    await eventually(async () => assert.equal((await rewards.listed()).length, 1));
    await eventually(async () => assert.deepEqual((await rewards.listed()).map((e) => e.status), ["DONE"]), { timeout: 60_000 });
    await expectText(rewards.epochs.getByTestId("epoch-status"), "Done");
    assert.match(await rewards.epochs.locator("tbody tr td.mono").innerText(), /^[0-9a-f]{12}…$/);

    await eventually(async () => assert.equal((await rewards.shareRows()).length, 3), { timeout: 20_000 });
    const shares = await rewards.shareRows();
    assert.deepEqual(shares.map((s) => s.reader).sort(), [manager.name, owner.name, reader.name].sort());
    assert.ok(shares.every((s) => Number.isInteger(s.tokens) && s.tokens >= 0), JSON.stringify(shares));
    assert.equal(shares.reduce((sum, s) => sum + s.tokens, 0), BUDGET);
    await expectText(rewards.shares.getByTestId("total-tokens"), String(BUDGET));

    // One bar per reader, as long as the tokens are large.
    const bars = await rewards.bars();
    assert.equal(bars.length, 3);
    assert.equal(bars.reduce((sum, b) => sum + b.tokens, 0), BUDGET);
    const [most, least] = [...bars].sort((a, b) => b.tokens - a.tokens).filter((_, i, all) => i === 0 || i === all.length - 1);
    assert.ok(most.width > 0 && most.width >= least.width, JSON.stringify(bars));

    // Each label's four cells are either counted or skipped.
    const terms = await rewards.terms.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    assert.deepEqual(terms.map((t) => t[0]).sort(), ["Effusion", "Nodule"]);
    for (const t of terms) assert.equal(Number(t[5]) + Number(t[6]), 4, JSON.stringify(t));
    // Payouts are the owner's: a manager is not offered them.
    assert.equal(await rewards.result.getByRole("heading", { name: "Payouts" }).count(), 0);
    await screenshot(m.page, "80-rewards-epoch");
  });

  it("a manager imports inputs from CSV files, sees the problems of a bad file, and runs on the set", async () => {
    const rewards = new RewardsPage(m.page);
    await rewards.goto(projectId);
    // One bad value and one bad probability: nothing is stored, every problem is listed by file and row.
    await rewards.importInputs({
      name: "Pilot",
      labels: "case,label,annotator,value\nc1,Effusion,ann,1\nc1,Effusion,bo,maybe\n",
      ai: "case,label,probability\nc1,Effusion,1.7\n",
    });
    const problems = rewards.import.getByRole("list", { name: "Import problems" });
    await expectText(problems, "labels row 3");
    await expectText(problems, "ai row 2");
    assert.equal(await rewards.import.getByRole("table", { name: "Input sets" }).count(), 0);

    const labels = ["case,label,annotator,value"];
    for (const c of ["c1", "c2", "c3", "c4"]) for (const [who, v] of [["ann", 1], ["bo", c === "c4" ? 0 : 1], ["cy", c === "c1" ? 1 : 0]]) labels.push(`${c},Effusion,${who},${v}`);
    await rewards.importInputs({ name: "Pilot", labels: `${labels.join("\n")}\n` });
    await expectText(rewards.import.getByRole("status"), "Imported Pilot: 12 votes by 3 readers on 4 cases and 1 label.");
    // The new set is chosen as the next epoch's inputs; its readers are the annotator names.
    await expectText(rewards.run.getByLabel("Inputs", { exact: true }).locator("option:checked"), "Input set: Pilot");
    await rewards.runEpoch({ policy: "markit-eq1-safe", budget: 100 });
    await eventually(async () => assert.deepEqual((await rewards.listed()).map((e) => e.status), ["DONE", "DONE"]), { timeout: 60_000 });
    await expectText(rewards.epochs.locator("tbody tr").first(), "Input set Pilot");
    await eventually(async () => assert.deepEqual((await rewards.shareRows()).map((s) => s.reader).sort(), ["ann", "bo", "cy"]), { timeout: 20_000 });
    assert.equal((await rewards.shareRows()).reduce((sum, s) => sum + (s.tokens ?? 0), 0), 100);
  });

  it("a reader sees only their own share and stores a payout address", async () => {
    const rewards = new RewardsPage(r.page);
    await rewards.goto(projectId);
    assert.equal(await rewards.run.count(), 0);
    // Only the epoch over the project's labels holds a share of theirs (the imported set names no user).
    await eventually(async () => assert.equal((await rewards.listed()).length, 1));
    await eventually(async () => assert.deepEqual((await rewards.shareRows()).map((s) => s.reader), [reader.name]), { timeout: 20_000 });
    assert.equal(await rewards.shares.getByTestId("total-tokens").count(), 0);

    const field = rewards.payoutAddress.getByLabel("Payout address", { exact: true });
    await rewards.setPayoutAddress("not-an-address");
    await eventually(async () => assert.match(await describedBy(field), /is not a bech32 address/));
    assert.equal(await field.getAttribute("aria-invalid"), "true");

    await rewards.setPayoutAddress(ADDRESS);
    await expectText(rewards.payoutAddress.getByRole("status"), "Payout address saved.");
    assert.equal((await gql(r.page, "query { myPayoutAddress }")).myPayoutAddress, ADDRESS);
    await r.page.reload();
    await expectValue(rewards.payoutAddress.getByLabel("Payout address", { exact: true }), ADDRESS);
    await screenshot(r.page, "81-rewards-reader");
  });

  it("the owner sees that payouts need a configured chain, and which readers stored an address", async () => {
    const rewards = new RewardsPage(o.page);
    await rewards.goto(projectId);
    // The newest epoch is the imported set's; the one over the project's labels is picked from the list.
    await rewards.epochs.getByRole("row", { name: /Project labels/ }).getByRole("button", { name: "Show" }).click();
    await expectText(rewards.result.getByRole("region", { name: "Payouts" }), "Payouts need a Cosmos chain");
    await eventually(async () => assert.equal((await rewards.shareRows()).length, 3), { timeout: 20_000 });
    const readerRow = rewards.shares.getByRole("row", { name: new RegExp(reader.name) });
    await expectText(readerRow, "Address stored");
  });
});
