import assert from "node:assert/strict";
import { eventually } from "../support/expect.mjs";

/** The case page's AI section, and the heatmap it draws over the viewer. */
export class AiSuggestions {
  constructor(page) {
    this.page = page;
    this.panel = page.getByTestId("ai-panel");
    this.runButton = this.panel.getByRole("button", { name: "Run AI", exact: true });
    this.version = this.panel.getByLabel("Model version", { exact: true });
    this.list = this.panel.getByRole("list", { name: "AI suggestions" });
    this.showHeatmap = this.panel.getByLabel("Show heatmap", { exact: true });
    this.heatmapLabel = this.panel.getByLabel("Heatmap label", { exact: true });
    this.opacity = this.panel.getByLabel("Heatmap opacity", { exact: true });
    this.method = this.panel.getByTestId("heatmap-method");
    this.overlay = page.locator(".case-viewer img.viewer-heatmap");
    this.regions = this.panel.getByTestId("ai-regions");
    this.showRegions = this.panel.getByLabel("Show suggested regions", { exact: true });
    this.addAll = this.regions.getByTestId("ai-add-all");
    this.regionNotes = this.regions.getByTestId("ai-region-notes");
  }

  /** A label's row in the list of suggestions. */
  label(name) {
    return this.list.locator(`li[data-ai-label="${name}"]`);
  }

  /** A segmentation label's "Add to my regions" button (its text says when they are added). */
  addRegions(name) {
    return this.label(name).getByTestId("ai-add-regions");
  }

  /** How many regions the page lists for a segmentation label; null before they are loaded. */
  async regionCount(name) {
    const count = this.label(name).getByTestId("ai-region-count");
    return (await count.count()) ? Number(await count.getAttribute("data-count")) : null;
  }

  /**
   * The suggested regions drawn in the viewer: SVG shapes dash-dotted as suggestions are
   * (viewerSession.ts), in this stroke colour ("rgb(r, g, b)") when given.
   */
  suggestionShapes(stroke) {
    return this.page.locator(`.case-viewer svg [stroke-dasharray="6,3,2,3"]${stroke ? `[stroke="${stroke}"]` : ""}`);
  }

  /** Presses Run AI and waits (a worker runs the model) until `count` suggestions are listed; answers them. */
  async runUntilListed(count) {
    await this.runButton.click();
    return eventually(
      async () => {
        const s = await this.suggestions();
        assert.equal(s.length, count);
        return s;
      },
      { timeout: 60_000, interval: 250 },
    );
  }

  /** The suggestions listed: label, the value the page holds and the text it shows. */
  async suggestions() {
    return this.list.locator("li").evaluateAll((items) =>
      items.map((li) => ({ label: li.dataset.aiLabel, value: Number(li.dataset.value), text: li.querySelector(".ai-value")?.textContent?.trim() })),
    );
  }

  /**
   * The overlay as drawn: its box relative to the viewer's canvas (CSS px), its computed opacity,
   * and how many of its PNG's pixels are not transparent (read back through a 2D canvas).
   */
  async overlayState() {
    return this.page.evaluate(async () => {
      const img = document.querySelector(".case-viewer img.viewer-heatmap");
      const canvas = document.querySelector(".case-viewer canvas");
      if (!img || !canvas) return null;
      await img.decode().catch(() => undefined);
      const box = img.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      const copy = document.createElement("canvas");
      copy.width = img.naturalWidth;
      copy.height = img.naturalHeight;
      const ctx = copy.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return {
        x: box.x - c.x,
        y: box.y - c.y,
        width: box.width,
        height: box.height,
        opacity: Number(getComputedStyle(img).opacity),
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
        opaque,
      };
    });
  }
}
