import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { fillPolygon } from "../exports/dicom/raster.js";
import type { PredictedRegion } from "./ai.repository.js";
import { ctImage } from "../exports/dicom/test-sources.js";
import { MODEL_NOT_LOADED, segmentNow, threadCompute, withLoadedModel } from "./ai.compute.js";
import { keepLargestRegions } from "./ai.service.js";
import { closeModel, openModel } from "./inference.js";
import { parseModelMetadata, validateModel, type GreyImage, type ModelMetadata } from "./metadata.js";
import { buildPixelSegmenter, INPUT, SCORES } from "./onnx-build.js";
import { decideMasks, hesitantShare, maskRegions, segment, segmentScores } from "./segment.js";

const W = 256;

/** Background 20; a rectangle of 120 (x 40–119, y 40–199); a disc of 230 (centre 180,128, radius 40). */
function phantom(): { image: GreyImage & { data: Float32Array }; rect: Uint8Array; disc: Uint8Array } {
  const data = new Float32Array(W * W);
  const rect = new Uint8Array(W * W);
  const disc = new Uint8Array(W * W);
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      data[i] = 20;
      if (x >= 40 && x < 120 && y >= 40 && y < 200) {
        data[i] = 120;
        rect[i] = 1;
      }
      if ((x + 0.5 - 180) ** 2 + (y + 0.5 - 128) ** 2 < 40 ** 2) {
        data[i] = 230;
        disc[i] = 1;
      }
    }
  return { image: { width: W, height: W, data, maxValue: 255 }, rect, disc };
}

/** Softmax, background first: 120/255 is "Lung" (above 0.3), 230/255 "Nodule" (above 0.7). */
function softmaxModel(pool: number): { bytes: Uint8Array; metadata: ModelMetadata } {
  const bytes = buildPixelSegmenter({ size: W, pool, weights: Float32Array.of(0, 20, 40), bias: Float32Array.of(0, -6, -20), activation: "softmax" });
  const metadata = parseModelMetadata({
    input: { name: INPUT, shape: [1, 1, W, W], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
    task: "segmentation",
    output: { name: SCORES, labels: ["Lung", "Nodule"] },
  });
  return { bytes, metadata };
}

function filled(regions: Array<{ points: Array<[number, number]> }>): Uint8Array {
  // Even-odd per outline, OR-ed: the SEG export's rasterization.
  const out = new Uint8Array(W * W);
  for (const r of regions) {
    const one = new Uint8Array(W * W);
    fillPolygon(one, W, W, r.points);
    for (let i = 0; i < out.length; i++) out[i] |= one[i]!;
  }
  return out;
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return both / either;
}

const count = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);

describe("segmentation models", () => {
  it("decides each pixel by the arg max with a background channel (ties to the background), or by threshold per label", () => {
    // Two channels... three: background, a, b over 1 × 4 pixels.
    const scores = Float32Array.of(/* bg */ 1, 1, 0, 0.2, /* a */ 0, 1, 1, 0.6, /* b */ 0, 0, 2, 0.6);
    const [a, b] = decideMasks(scores, 3, 1, 4, 4, 1, { background: true, threshold: 0.5 });
    expect([...a!]).toEqual([0, 0, 0, 1]);
    expect([...b!]).toEqual([0, 0, 1, 0]);
    const [x, y] = decideMasks(Float32Array.of(0.1, 0.5, 0.9, 0.49, 0.2, 0.7), 2, 1, 3, 3, 1, { background: false, threshold: 0.5 });
    expect([...x!]).toEqual([0, 1, 1]);
    expect([...y!]).toEqual([0, 0, 1]);
  });

  it("resamples a coarser output bilinearly (half-pixel centres) before deciding", () => {
    // One label, 1 × 2 scores [0, 1] over a 1 × 8 image: centres at 0.5 and 1.5 of the score grid.
    const [m] = decideMasks(Float32Array.of(0, 1), 1, 1, 2, 8, 1, { background: false, threshold: 0.5 });
    expect([...m!]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it("hesitantShare: the share of cells where two classes come within 0.3 of each other (or a label near its threshold)", () => {
    const bg = { background: true, threshold: 0.5 };
    // Four cells, three channels [C, h, w] with h = 1, w = 4: probabilities summing to 1.
    const probs = [
      [0.5, 0.9, 0.34, 0.05],
      [0.45, 0.05, 0.33, 0.05],
      [0.05, 0.05, 0.33, 0.9],
    ].flat();
    // Cells 0 (0.50 against 0.45) and 2 (a three-way tie) hesitate; 1 and 3 are sure.
    expect(hesitantShare(probs, 3, 1, 4, bg)).toBe(0.5);
    // Logits go through a softmax first: equal logits are a coin toss, a gap of 5 is not.
    expect(hesitantShare([0, 0, 5, 0], 2, 1, 2, bg)).toBe(0.5);
    // Without a background channel: a label within 0.15 of the threshold.
    expect(hesitantShare([0.55, 0.9, 0.1, 0.2, 0.2, 0.64], 2, 1, 3, { background: false, threshold: 0.5 })).toBeCloseTo(2 / 3);
    expect(hesitantShare([], 1, 0, 0, bg)).toBe(0);
  });

  it("a segmentation says where the model hesitates: nowhere on a sharp phantom, where a ramp crosses from one class to the next", async () => {
    const { bytes, metadata } = softmaxModel(1);
    const loaded = await openModel(bytes, metadata);
    try {
      expect((await segment(loaded, phantom().image)).hesitant).toBe(0);
      // Grey rising from 0 to 255 across: background → lung about 0.3 (77), lung → nodule about 0.7 (179).
      const ramp: GreyImage = { width: W, height: W, data: Float32Array.from({ length: W * W }, (_, i) => i % W), maxValue: 255 };
      const result = await segment(loaded, ramp);
      const { scores, channels, h, w } = await segmentScores(loaded, ramp);
      expect(result.hesitant).toBe(hesitantShare(scores, channels, h, w, { background: true, threshold: 0.5 }));
      // Two bands of about 16 columns each (where the logits of two classes are within ±0.62).
      expect(result.hesitant).toBeGreaterThan(24 / W);
      expect(result.hesitant).toBeLessThan(40 / W);
    } finally {
      await closeModel(loaded);
    }
  });

  it("segments a phantom at the model's own resolution into regions that fill back to the truth", async () => {
    const { image, rect, disc } = phantom();
    const { bytes, metadata } = softmaxModel(1);
    const loaded = await openModel(bytes, metadata);
    try {
      const result = await segment(loaded, image);
      expect(result.labels.map((l) => l.label)).toEqual(["Lung", "Nodule"]);
      const [lung, nodule] = result.labels;
      expect(lung!.pixels).toBe(count(rect));
      expect(nodule!.pixels).toBe(count(disc));
      expect(lung!.regions).toHaveLength(1);
      expect(nodule!.regions).toHaveLength(1);
      expect(lung!.regions[0]!.pixels).toBe(count(rect));
      // A rectangle's outline is its four corners.
      expect(lung!.regions[0]!.points).toEqual([[40, 40], [120, 40], [120, 200], [40, 200]]);
      expect(iou(filled(lung!.regions), rect)).toBe(1);
      // The disc's staircase is straightened at half a pixel: far fewer points, the same region within its edge.
      expect(nodule!.regions[0]!.points.length).toBeLessThan(150);
      expect(iou(filled(nodule!.regions), disc)).toBeGreaterThan(0.97);
    } finally {
      await closeModel(loaded);
    }
  });

  it("segments from a coarser output (pooled by 4) to within its resolution", async () => {
    const { image, rect, disc } = phantom();
    const { bytes, metadata } = softmaxModel(4);
    const loaded = await openModel(bytes, metadata);
    try {
      const [lung, nodule] = (await segment(loaded, image)).labels;
      expect(iou(filled(lung!.regions), rect)).toBeGreaterThan(0.9);
      expect(iou(filled(nodule!.regions), disc)).toBeGreaterThan(0.9);
    } finally {
      await closeModel(loaded);
    }
  });

  it("lets sigmoid labels overlap and leaves out regions under minPixels", async () => {
    const { image, rect, disc } = phantom();
    // A speck of 4 pixels at 230 in the corner.
    for (const [x, y] of [[2, 2], [3, 2], [2, 3], [3, 3]] as const) image.data[y * W + x] = 230;
    const bytes = buildPixelSegmenter({ size: W, weights: Float32Array.of(20, 20), bias: Float32Array.of(-6, -14), activation: "sigmoid" });
    const metadata = parseModelMetadata({
      input: { name: INPUT, shape: [1, 1, W, W], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
      task: "segmentation",
      output: { name: SCORES, labels: ["Bright", "Brightest"] },
      segmentation: { background: false, minPixels: 10 },
    });
    const loaded = await openModel(bytes, metadata);
    try {
      const [bright, brightest] = (await segment(loaded, image)).labels;
      const both = rect.map((v, i) => v | disc[i]!);
      expect(iou(filled(bright!.regions), both)).toBeGreaterThan(0.97);
      expect(iou(filled(brightest!.regions), disc)).toBeGreaterThan(0.97);
      expect(bright!.regions).toHaveLength(2);
      expect(brightest!.specks).toBe(1);
      expect(bright!.specks).toBe(1);
      expect(brightest!.pixels).toBe(count(disc) + 4);
    } finally {
      await closeModel(loaded);
    }
  });

  it("keeps a ragged region within a ROI's points", () => {
    // A comb: one region whose traced outline has more than 10,000 points.
    const w = 6000;
    const mask = new Uint8Array(w * 3);
    for (let x = 0; x < w; x++) mask[x] = 1;
    for (let x = 0; x < w; x += 2) mask[w + x] = 1;
    const { regions } = maskRegions(mask, w, 3, 1);
    expect(regions).toHaveLength(1);
    expect(regions[0]!.points.length).toBeLessThanOrEqual(10_000);
  });

  it("keeps the largest regions that fit one annotation, in their found order, and says what went", () => {
    const region = (pixels: number, points: number): PredictedRegion => ({
      label: "L",
      sopInstanceUid: "1.2",
      frame: 1,
      pixels,
      points: Array.from({ length: points }, (_, i) => [i, i % 2] as [number, number]),
    });
    const found = [region(5, 4), region(50, 4), region(20, 4), region(40, 100)];
    expect(keepLargestRegions(found, 10, 1000)).toEqual({ kept: found, notes: [] });
    const byCount = keepLargestRegions(found, 2, 1000);
    expect(byCount.kept).toEqual([found[1], found[3]]);
    expect(byCount.notes[0]).toContain("2 of 4 regions left out");
    // By points: the 100-point region does not fit beside the others, the smaller ones do.
    expect(keepLargestRegions(found, 10, 20).kept).toEqual([found[0], found[1], found[2]]);
  });

  describe("validation", () => {
    async function refusal(promise: Promise<unknown>): Promise<string> {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).message + JSON.stringify((error as AppError).extensions);
    }
    const base = { input: { name: INPUT, shape: [1, 1, W, W], normalisation: { kind: "meanStd", mean: 0, std: 1 } }, task: "segmentation" };

    it("accepts a matching model and fills in the defaults", async () => {
      const { bytes } = softmaxModel(4);
      const ok = await validateModel(bytes, { ...base, output: { name: SCORES, labels: ["Lung", "Nodule"] } });
      expect(ok.metadata.segmentation).toEqual({ background: true, threshold: 0.5, minPixels: 1 });
    });

    it("refuses a channel count that does not match the labels, saying what it expected", async () => {
      const { bytes } = softmaxModel(4);
      const message = await refusal(validateModel(bytes, { ...base, output: { name: SCORES, labels: ["Lung"] } }));
      expect(message).toContain("output 'scores' has shape [1,3,64,64], expected [1,2,h,w]: 2 channels (the background, then 1 label)");
      const noBackground = await refusal(validateModel(bytes, { ...base, output: { name: SCORES, labels: ["Lung", "Nodule"] }, segmentation: { background: false } }));
      expect(noBackground).toContain("expected [1,2,h,w]: 2 channels (one per label)");
    });

    it("refuses sigmoid-style outputs that are not probabilities", async () => {
      const bytes = buildPixelSegmenter({ size: W, weights: Float32Array.of(1), bias: Float32Array.of(-3), activation: "none" });
      const message = await refusal(validateModel(bytes, { ...base, output: { name: SCORES, labels: ["A"] }, segmentation: { background: false } }));
      expect(message).toContain("is not a probability in [0, 1]");
    });

    it("refuses CAM on a segmentation model and segmentation settings on a classifier", () => {
      expect(() => parseModelMetadata({ ...base, output: { name: SCORES, labels: ["A"] }, cam: { featureMap: "f", weights: [[1]] } })).toThrow(/takes no CAM/);
      expect(() => parseModelMetadata({ ...base, task: "multilabel", output: { name: SCORES, labels: ["A"] }, segmentation: {} })).toThrow(/only a segmentation model/);
      expect(() => parseModelMetadata({ ...base, output: { name: SCORES, labels: ["A"] }, segmentation: { threshold: 1 } })).toThrow();
    });
  });

  it("sends a thread a model's bytes only when it has not loaded it: by hash first, the same answer", async () => {
    const bytes = buildPixelSegmenter({ size: 64, weights: Float32Array.of(0, 20), bias: Float32Array.of(0, -10), activation: "softmax" });
    const metadata = parseModelMetadata({
      input: { name: INPUT, shape: [1, 1, 64, 64], normalisation: { kind: "meanStd", mean: 0, std: 1 } },
      task: "segmentation",
      output: { name: SCORES, labels: ["Bright"] },
    });
    const ref = { sha256: `test-${Math.random()}`, bytes, metadata };
    let called = false;
    expect(await withLoadedModel({ sha256: ref.sha256, metadata }, async () => (called = true))).toBe(MODEL_NOT_LOADED);
    expect(called).toBe(false);
    const file = { bytes: ctImage(), name: "ct.dcm" };
    const inline = await segmentNow(ref, file);
    expect(inline!.frames[0]!.labels[0]!.pixels).toBeGreaterThan(0);
    // Loaded here now: found by its hash alone.
    expect(await withLoadedModel({ sha256: ref.sha256, metadata }, (r) => segmentNow(r, file))).toEqual(inline);
    // The bytes as the service gives them, read when asked: only where the model must be loaded, once.
    let reads = 0;
    const lazy = { ...ref, bytes: async () => (reads++, bytes) };
    const compute = threadCompute(1);
    try {
      // A new thread: asked by hash, it answers it has not the model, and gets the bytes.
      expect(await compute.segment(lazy, file)).toEqual(inline);
      expect(reads).toBe(1);
      expect(await compute.segment(lazy, file)).toEqual(inline);
      expect(reads).toBe(1);
    } finally {
      await compute.close();
    }
    // On the calling thread (a `concord worker`): loaded already, so not read; a model not loaded yet is read once.
    expect(await segmentNow(lazy, file)).toEqual(inline);
    expect(reads).toBe(1);
    const other = { ...lazy, sha256: `${ref.sha256}-other` };
    expect(await segmentNow(other, file)).toEqual(inline);
    expect(await segmentNow(other, file)).toEqual(inline);
    expect(reads).toBe(2);
  });
});
