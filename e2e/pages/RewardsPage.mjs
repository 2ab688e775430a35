import { baseUrl } from "../support/browser.mjs";

/** The project's rewards page: running an epoch, the epochs list, a result, and the reader's payout address. */
export class RewardsPage {
  constructor(page) {
    this.page = page;
    this.run = page.getByRole("region", { name: "Run an epoch" });
    this.epochs = page.getByRole("table", { name: "Reward epochs" });
    this.result = page.getByRole("region", { name: /^Result:/ });
    this.shares = this.result.getByRole("table", { name: "Shares per reader" });
    this.plot = this.result.getByRole("img", { name: "Tokens per reader" });
    this.terms = this.result.getByRole("table", { name: "Terms per label" });
    this.import = page.getByRole("region", { name: "Import reward inputs" });
    this.payoutAddress = page.getByRole("region", { name: "Your payout address" });
  }

  async goto(projectId) {
    await this.page.goto(`${baseUrl()}/projects/${projectId}/rewards`);
    await this.page.getByRole("heading", { level: 1, name: /: rewards$/ }).waitFor();
  }

  /** Fills the run form (policy by value, budget) and runs the epoch. */
  async runEpoch({ policy, budget }) {
    await this.run.getByLabel("Policy", { exact: true }).selectOption(policy);
    await this.run.getByLabel("Budget (tokens)", { exact: true }).fill(String(budget));
    await this.run.getByRole("button", { name: "Run epoch" }).click();
  }

  /** Imports CSV text as an input set: labels, and optionally AI probabilities. */
  async importInputs({ name, labels, ai }) {
    await this.import.getByLabel("Input set name", { exact: true }).fill(name);
    await this.import.getByLabel("Labels CSV", { exact: true }).setInputFiles([{ name: "labels.csv", mimeType: "text/csv", buffer: Buffer.from(labels) }]);
    // Without AI, a file chosen for an earlier import is taken away.
    await this.import.getByLabel("AI CSV (optional)", { exact: true }).setInputFiles(ai ? [{ name: "ai.csv", mimeType: "text/csv", buffer: Buffer.from(ai) }] : []);
    await this.import.getByRole("button", { name: "Import", exact: true }).click();
  }

  /** The listed epochs' ids and statuses, newest first. */
  listed() {
    return this.epochs.locator("tbody tr").evaluateAll((rows) => rows.map((tr) => ({ id: tr.dataset.epochId, status: tr.dataset.status })));
  }

  /** The shares table's rows: reader as shown, and tokens as a number (null for "—"). */
  async shareRows() {
    const rows = await this.shares.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => ({ reader: tr.querySelector("th")?.textContent?.trim(), tokens: tr.querySelector('[data-testid="tokens"]')?.textContent?.trim() })),
    );
    return rows.map((r) => ({ reader: r.reader, tokens: r.tokens === "—" ? null : Number(r.tokens.replace(/,/g, "")) }));
  }

  /** The bar plot's bars: reader key and tokens, as drawn. */
  bars() {
    return this.plot.locator("g.bar").evaluateAll((gs) => gs.map((g) => ({ reader: g.dataset.reader, tokens: Number(g.dataset.tokens), width: Number(g.querySelector("rect")?.getAttribute("width")) })));
  }

  async setPayoutAddress(address) {
    await this.payoutAddress.getByLabel("Payout address", { exact: true }).fill(address);
    await this.payoutAddress.getByRole("button", { name: "Save address" }).click();
  }
}
