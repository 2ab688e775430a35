// Ledger: an owner's role grants become ledger entries; on the project's ledger page the browser
// checks the signed head's Ed25519 signature, recomputes an entry's leaf hash and walks its audit
// path to the signed root ("Verified"), and the log's consistency between two heads. A lying
// server (responses altered on the way: an edited entry, a bent proof hash) or a key the user did
// not pin is caught by the browser, and the owner's whole-ledger check finds the log intact.
// (The e2e server's embedded database is not reachable from the specs, so rows are not edited in
// SQL here; server/src/modules/ledger/ledger.api.test.ts does that.)
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignUpPage } from "../pages/AuthPages.mjs";
import { LedgerPage } from "../pages/LedgerPage.mjs";
import { ProjectListPage } from "../pages/ProjectListPage.mjs";
import { gql } from "../support/api.mjs";
import { baseUrl, openBrowser, screenshot } from "../support/browser.mjs";
import { eventually, expectText } from "../support/expect.mjs";

const run = Date.now().toString(36);
const owner = { name: "Lena Ledger", email: `lena.${run}@example.org`, password: "quartz harbour willow 3" };
const member = { name: "Milo Member", email: `milo.${run}@example.org`, password: "amber canyon thistle 9" };

const GRANT = "mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role user { id } } }";
const ENTRIES = "query($p: ID!) { ledgerEntries(projectId: $p) { seq type objectId } }";
const HEAD = "query($p: ID!) { ledgerHead(projectId: $p) { treeSize } }";

/** Waits until every entry of the project has a seq inside the latest signed head; returns the entries. */
async function integrated(page, projectId, count) {
  return eventually(
    async () => {
      const { ledgerEntries } = await gql(page, ENTRIES, { p: projectId });
      const { ledgerHead } = await gql(page, HEAD, { p: projectId });
      assert.equal(ledgerEntries.length, count, "entries");
      for (const e of ledgerEntries) assert.ok(e.seq !== null && e.seq < (ledgerHead?.treeSize ?? 0), `entry ${e.seq} not in head ${ledgerHead?.treeSize}`);
      return ledgerEntries;
    },
    { timeout: 15_000, interval: 250 },
  );
}

/** Rewrites the JSON answer of one GraphQL operation on its way to the page. */
async function alterResponses(page, operationName, alter) {
  const handler = async (route) => {
    let body = null;
    try {
      body = route.request().postDataJSON();
    } catch {
      // not JSON: not ours
    }
    if (body?.operationName !== operationName) return route.continue();
    const response = await route.fetch();
    const json = await response.json();
    alter(json.data);
    await route.fulfill({ response, json });
  };
  await page.route("**/graphql", handler);
  return () => page.unroute("**/graphql", handler);
}

describe("ledger: entries verified in the browser", { timeout: 180_000 }, () => {
  let o;
  let m;
  let projectId;
  let memberId;
  let entries;

  before(async () => {
    o = await openBrowser("lena");
    m = await openBrowser("milo");
  });
  after(async () => {
    for (const b of [o, m]) for (const p of b?.problems ?? []) console.log(`[${b.who}] ${p}`);
    await o?.close();
    await m?.close();
  });

  it("an owner's role grants are recorded, and the browser verifies one entry's inclusion proof", async () => {
    const signUpMember = new SignUpPage(m.page);
    await signUpMember.goto();
    await signUpMember.signUp(member);
    const signUp = new SignUpPage(o.page);
    await signUp.goto();
    await signUp.signUp(owner);
    const list = new ProjectListPage(o.page);
    await list.goto();
    projectId = await list.createProject({ name: `Ledger ${run}` });
    // Three grants (a role, then a change of role, then another): a tree of several leaves, so proofs have hashes.
    for (const role of ["ANNOTATOR", "REVIEWER", "VIEWER"]) {
      memberId = (await gql(o.page, GRANT, { p: projectId, i: { email: member.email, role } })).grantRole.user.id;
    }
    entries = await integrated(o.page, projectId, 3);
    assert.deepEqual(entries.map((e) => [e.type, e.objectId]), Array(3).fill(["role.grant", memberId]));

    // The ledger is linked from the project's images page.
    await o.page.goto(`${baseUrl()}/projects/${projectId}/data`);
    await o.page.getByRole("link", { name: "Ledger", exact: true }).click();
    await o.page.waitForURL(new RegExp(`/projects/${projectId}/ledger$`));
    const ledger = new LedgerPage(o.page);
    await expectText(ledger.headVerdict, /^Signature verified: \S+\/ledger signed this head with key [0-9a-f]{8}\.$/);
    const size = Number(await ledger.headSize.innerText());
    assert.ok(size >= 3, `tree size ${size}`);

    const seq = entries[0].seq;
    await expectText(ledger.row(seq), "role.grant");
    await ledger.verify(seq);
    await expectText(ledger.verdict, new RegExp(`^Verified: entry ${seq} is in the tree of size ${size} signed by \\S+/ledger\\.$`));
    // The path as walked: the leaf, one row per proof hash (at least one in a tree of 3+), the root.
    await eventually(async () => assert.ok((await ledger.auditPath.locator("tbody tr").count()) >= 3));
    await expectText(ledger.auditPath.locator("tbody tr").last(), "= path");
    await screenshot(o.page, "60-ledger-verified");
  });

  it("the browser rejects an edited entry, a bent proof and a key the user did not pin", async () => {
    const ledger = new LedgerPage(o.page);
    const seq = entries[1].seq;

    // The server answers with an entry whose object was changed behind the log's back (its stored leaf hash kept).
    const restoreEntries = await alterResponses(o.page, "LedgerPageEntries", (data) => {
      for (const e of data.ledgerEntries) if (e.seq === seq) e.objectId = "forged-object";
    });
    await ledger.goto(projectId);
    await expectText(ledger.row(seq), "forged-object");
    await ledger.verify(seq);
    await expectText(ledger.verdict, new RegExp(`^Not verified: entry ${seq} is not in the tree .* the entry's fields do not hash to its leaf hash\\.$`));
    await restoreEntries();

    // The server sends a proof with one hash changed.
    const restoreProof = await alterResponses(o.page, "LedgerPageInclusionProof", (data) => {
      const h = Buffer.from(data.ledgerInclusionProof.hashes[0], "base64");
      h[0] ^= 0xff;
      data.ledgerInclusionProof.hashes[0] = h.toString("base64");
    });
    await ledger.goto(projectId);
    await expectText(ledger.row(seq), "role.grant");
    await ledger.verify(seq);
    await expectText(ledger.verdict, new RegExp(`^Not verified: entry ${seq} is not in the tree .*: the path leads to a different root\\.$`));
    await expectText(ledger.auditPath.locator("tbody tr").last(), "≠ path");
    await screenshot(o.page, "61-ledger-bent-proof");
    await restoreProof();

    // Honest answers again: verified.
    await ledger.verify(seq);
    await expectText(ledger.verdict, new RegExp(`^Verified: entry ${seq} `));

    // A key the user pinned that did not sign the head: neither the head nor any entry verifies.
    const other = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x, "base64url").toString("base64");
    await ledger.pinKey(other);
    await expectText(ledger.headVerdict, /^Signature not verified: (the signature does not verify|no signature by)/);
    await ledger.verify(seq);
    await expectText(ledger.verdict, /^Not verified: /);
  });

  it("a later head extends the first one seen, and the owner's whole-ledger check finds it intact", async () => {
    const ledger = new LedgerPage(o.page);
    await ledger.goto(projectId);
    await expectText(ledger.headVerdict, "Signature verified");
    const first = Number(await ledger.headSize.innerText());
    // One more entry, so the log grows past the head this page saw first.
    await gql(o.page, GRANT, { p: projectId, i: { email: member.email, role: "MANAGER" } });
    await integrated(o.page, projectId, 4);
    await ledger.refresh();
    await eventually(async () => assert.ok(Number(await ledger.headSize.innerText()) > first));
    await ledger.checkConsistency();
    await expectText(ledger.consistencyVerdict, new RegExp(`^Consistent: the tree of size ${first} is a prefix of the tree of size \\d+ signed by \\S+/ledger\\.$`));

    await ledger.checkWholeLedger();
    await expectText(ledger.report, /^The ledger is intact: \d+ entries, \d+ signed heads and \d+ stored subtrees checked/);

    // The member (a manager now) may view the ledger but not run the whole-ledger check.
    const memberLedger = new LedgerPage(m.page);
    await memberLedger.goto(projectId);
    await expectText(memberLedger.headVerdict, "Signature verified");
    assert.equal(await m.page.getByRole("button", { name: "Check the whole ledger" }).count(), 0);
  });
});
