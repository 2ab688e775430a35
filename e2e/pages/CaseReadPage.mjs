import { baseUrl } from "../support/browser.mjs";
import { eventually } from "../support/expect.mjs";

/** The case reading page: the Cornerstone viewer, its toolbar and overlay, and the side panel. */
export class CaseReadPage {
  constructor(page) {
    this.page = page;
    this.viewer = page.locator(".case-viewer");
    this.toolbar = page.getByRole("toolbar", { name: "Viewer tools" });
    this.canvas = page.locator(".case-viewer canvas").first();
    this.windowText = page.locator(".case-viewer .overlay-window");
    this.zoomText = page.locator(".case-viewer .overlay-zoom");
    this.rois = page.getByRole("list", { name: "Regions of interest" }).locator("li");
    /** The banner of a case a manager excluded from its project. */
    this.excludedBanner = page.getByTestId("case-excluded");
    this.submitButton = page.getByRole("button", { name: "Submit", exact: true });
  }

  /** A manager's form to exclude the case, opened from its link under the classification. */
  async openExcludeForm() {
    await this.page.getByTestId("exclude-case").getByRole("button", { name: "Exclude case…" }).click();
    return this.page.getByRole("form", { name: "Exclude this case" });
  }

  async goto(projectId, caseId) {
    await this.page.goto(`${baseUrl()}/projects/${projectId}/cases/${caseId}`);
  }

  /** Waits until the viewer says loaded or error; answers which, and the error text. */
  async settled(timeout = 60_000) {
    const state = await eventually(
      async () => {
        const s = await this.viewer.getAttribute("data-state", { timeout: 1_000 });
        if (s !== "loaded" && s !== "error") throw new Error(`viewer still ${s}`);
        return s;
      },
      { timeout },
    );
    const error = state === "error" ? await this.viewer.locator('[role="alert"]').innerText() : null;
    return { state, error };
  }

  button(name) {
    return this.toolbar.getByRole("button", { name, exact: true });
  }

  async zoom() {
    return Number(await this.viewer.getAttribute("data-zoom"));
  }

  /** The image's rectangle on the canvas, CSS pixels relative to the canvas. */
  async imageBox() {
    const text = await this.viewer.getAttribute("data-image-box");
    const [x, y, width, height] = text.split(",").map(Number);
    return { x, y, width, height };
  }

  /** The canvas' position on the page. */
  async canvasBox() {
    return this.canvas.boundingBox();
  }

  /**
   * Grey levels (0.299 R + 0.587 G + 0.114 B) of the canvas inside `box` (canvas CSS pixels,
   * clipped to the canvas), copied through a 2D canvas so any kind of source canvas can be read.
   */
  async greys(box) {
    const shot = await this.page.evaluate((b) => {
      const source = document.querySelector(".case-viewer canvas");
      if (!source) throw new Error("no canvas");
      const scale = source.width / source.clientWidth;
      const copy = document.createElement("canvas");
      copy.width = source.width;
      copy.height = source.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(source, 0, 0);
      const x0 = Math.max(0, Math.floor(b.x * scale));
      const y0 = Math.max(0, Math.floor(b.y * scale));
      const x1 = Math.min(copy.width, Math.ceil((b.x + b.width) * scale));
      const y1 = Math.min(copy.height, Math.ceil((b.y + b.height) * scale));
      const w = Math.max(0, x1 - x0);
      const h = Math.max(0, y1 - y0);
      if (!w || !h) return { x0, y0, scale, width: 0, height: 0, base64: "" };
      const data = ctx.getImageData(x0, y0, w, h).data;
      const values = new Uint8Array(w * h);
      for (let i = 0; i < w * h; i++) values[i] = Math.round(0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]);
      // As base64 rather than a list of numbers: a full-size canvas is a million values, slow to pass as JSON.
      let binary = "";
      for (let i = 0; i < values.length; i += 0x8000) binary += String.fromCharCode.apply(null, values.subarray(i, i + 0x8000));
      return { x0, y0, scale, width: w, height: h, base64: btoa(binary) };
    }, box);
    const { base64, ...rest } = shot;
    return { ...rest, values: new Uint8Array(Buffer.from(base64, "base64")) };
  }

  /** Drags with a mouse button from one canvas point (CSS px) to another, in small steps. */
  async drag(from, to, button = "left") {
    const c = await this.canvasBox();
    await this.page.mouse.move(c.x + from[0], c.y + from[1]);
    await this.page.mouse.down({ button });
    await this.page.mouse.move(c.x + to[0], c.y + to[1], { steps: 12 });
    await this.page.mouse.up({ button });
  }

  /** Moves the mouse through canvas points with the left button held. */
  async trace(points) {
    const c = await this.canvasBox();
    await this.page.mouse.move(c.x + points[0][0], c.y + points[0][1]);
    await this.page.mouse.down();
    for (const [x, y] of points.slice(1)) await this.page.mouse.move(c.x + x, c.y + y, { steps: 4 });
    await this.page.mouse.up();
  }

  /** Chooses which layer the drawing tools edit: "My regions" or "Consensus". */
  async chooseLayer(name) {
    const radio = this.page.getByRole("radio", { name, exact: true });
    await eventually(async () => {
      if (!(await radio.isEnabled({ timeout: 1_000 }))) throw new Error(`the ${name} layer cannot be chosen yet`);
    });
    await radio.check();
  }

  /** The ids of the consensus regions the page lists, sorted. */
  async consensusRois() {
    return (await this.page.getByRole("list", { name: "Consensus regions" }).locator("li").evaluateAll((items) => items.map((li) => li.dataset.roiId))).sort();
  }

  /** Other readers' submitted labels as the side panel lists them. */
  async otherResults() {
    return this.page
      .getByRole("list", { name: "Other readers' results" })
      .locator(":scope > li")
      .evaluateAll((items) =>
        items.map((li) => ({
          readerId: li.dataset.readerId,
          labels: [...li.querySelectorAll("[data-result-label-id]")].map((l) => ({ labelId: l.dataset.resultLabelId, value: l.dataset.value, confidence: l.dataset.confidence })),
        })),
      );
  }

  /**
   * Where another user's pointer is drawn over the image: its top-left corner relative to the
   * canvas (CSS px; the arrow's tip is one pixel right and below) and the image point it shows;
   * null when it is not drawn. One evaluation, so a pointer that goes meanwhile cannot hang it.
   */
  async remotePointer(userId) {
    return this.page.evaluate((id) => {
      const el = [...document.querySelectorAll(".remote-pointer")].find((e) => e.dataset.userId === id);
      const canvas = document.querySelector(".case-viewer canvas");
      if (!el || !canvas) return null;
      const box = el.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      return { x: box.x - c.x, y: box.y - c.y, imageX: Number(el.dataset.imageX), imageY: Number(el.dataset.imageY), name: el.textContent.trim() };
    }, userId);
  }

  /** The ROIs the page lists (what the viewer emitted). */
  async roiList() {
    return this.rois.evaluateAll((items) =>
      items.map((li) => ({
        id: li.dataset.roiId,
        kind: li.dataset.kind,
        classId: li.dataset.classId,
        frame: Number(li.dataset.frame),
        sopInstanceUid: li.dataset.sopInstanceUid,
        points: JSON.parse(li.dataset.points),
      })),
    );
  }
}

/** Spread and range of grey levels: a blank or uniform image has none. */
export function greyStats(values) {
  if (!values.length) return { n: 0, min: 0, max: 0, mean: 0, sd: 0, levels: 0 };
  let min = 255;
  let max = 0;
  let sum = 0;
  const seen = new Set();
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    seen.add(v);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { n: values.length, min, max, mean, sd: Math.sqrt(sq / values.length), levels: seen.size };
}

/** Mean absolute difference of two grey captures of the same region. */
export function meanDifference(a, b) {
  const n = Math.min(a.length, b.length);
  if (!n) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(a[i] - b[i]);
  return sum / n;
}

/** Pearson correlation of two equally long number lists. */
export function correlation(a, b) {
  const n = Math.min(a.length, b.length);
  const ma = a.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const mb = b.slice(0, n).reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa && sbb ? sab / Math.sqrt(saa * sbb) : 0;
}
