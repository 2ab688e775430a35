import { baseUrl } from "../support/browser.mjs";

/** The project's ledger page: signed head, entries, an entry's proof checked in the browser. */
export class LedgerPage {
  constructor(page) {
    this.page = page;
    this.headVerdict = page.getByTestId("head-verdict");
    this.headSize = page.getByTestId("head-size");
    this.entries = page.getByRole("table", { name: "Ledger entries" });
    this.verdict = page.getByTestId("ledger-verdict");
    this.auditPath = page.getByRole("table", { name: "Audit path" });
    this.trustedKey = page.getByLabel("Public key to trust", { exact: true });
    this.consistencyVerdict = page.getByTestId("consistency-verdict");
    this.report = page.getByTestId("ledger-report");
  }

  async goto(projectId) {
    await this.page.goto(`${baseUrl()}/projects/${projectId}/ledger`);
    await this.page.getByRole("heading", { level: 1, name: /: ledger$/ }).waitFor();
  }

  row(seq) {
    return this.entries.locator(`tr[data-seq="${seq}"]`);
  }

  async verify(seq) {
    await this.page.getByRole("button", { name: `Verify entry ${seq}`, exact: true }).click();
  }

  async refresh() {
    await this.page.getByRole("button", { name: "Refresh", exact: true }).click();
  }

  async pinKey(base64) {
    await this.page.getByText("Checkpoint and public key").click();
    await this.trustedKey.fill(base64);
  }

  async checkConsistency() {
    await this.page.getByRole("button", { name: "Check consistency", exact: true }).click();
  }

  async checkWholeLedger() {
    await this.page.getByRole("button", { name: "Check the whole ledger", exact: true }).click();
  }
}
