// Background exports as a manager starts them on the Progress page.
import assert from "node:assert/strict";
import { eventually } from "./expect.mjs";

/**
 * On the Progress page: starts a background export of all readers (or of the whole project, for a
 * format with no scope), follows it to its end, downloads it; answers the file's path. `listed`: the exports the project already has (the list loads them first).
 */
export async function backgroundExport(page, format, listed) {
  const jobs = page.getByRole("region", { name: "Background exports" });
  const items = jobs.getByRole("list", { name: "Exports" }).locator(":scope > li");
  await eventually(async () => assert.equal(await items.count(), listed, "the earlier exports are not listed yet"));
  const earlier = new Set(await items.evaluateAll((lis) => lis.map((li) => li.dataset.exportId)));
  await jobs.getByLabel("Export format").selectOption(format);
  await jobs.getByRole("button", { name: "Start export" }).click();
  // This export's entry: one the list did not have before (an earlier export may still be first for a moment).
  const id = await eventually(async () => {
    const added = (await items.evaluateAll((lis) => lis.map((li) => li.dataset.exportId))).filter((x) => !earlier.has(x));
    assert.equal(added.length, 1, "the new export is not listed yet");
    return added[0];
  });
  const job = items.and(page.locator(`[data-export-id="${id}"]`));
  await eventually(async () => assert.equal(await job.getAttribute("data-status"), "DONE"), { timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), job.getByRole("link", { name: /^Download / }).click()]);
  return download.path();
}
