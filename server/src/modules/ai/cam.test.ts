import { onnx } from "onnx-proto";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel, run, type OnnxModel } from "../../platform/onnx/runtime.js";
import { cxrCases, generateCxr, type CxrImage } from "../../testing/cxr.js";
import { classActivationMap, jet, normaliseMap, occlusionSensitivity, peak, rawCam, renderOverlay, upsampleBilinear } from "./cam.js";
import { preprocess, type ModelMetadata } from "./metadata.js";
import { buildHeadModel, FEATURES, INPUT, LOGITS, PROBABILITIES } from "./onnx-build.js";
import { closeModel, infer, openModel, runLoaded } from "./inference.js";
import { exportTrainedModel, trainLinearHead, type TrainedModel } from "./train.js";

const S = 128;
const LABELS = ["cardiomegaly", "effusion", "nodule"];
let trained: TrainedModel;
let metadata: ModelMetadata;
let model: OnnxModel;
let bytes: Uint8Array;

beforeAll(async () => {
  trained = await trainLinearHead(cxrCases(160, { size: S, firstSeed: 7000 }), { task: "multilabel", labels: LABELS });
  const exported = exportTrainedModel(trained);
  metadata = exported.metadata;
  bytes = exported.bytes;
  model = await loadModel(exported.bytes);
});

async function forward(image: CxrImage) {
  const input = preprocess({ width: S, height: S, data: image.pixels, maxValue: image.maxValue }, metadata);
  const out = await run(model, { [INPUT]: { dims: [1, 1, S, S], data: input } });
  return { input, features: out[FEATURES]!, probabilities: out[PROBABILITIES]!.data };
}

function noduleImage(seed: number): CxrImage {
  return generateCxr({ seed, width: S, height: S, findings: { nodule: true, cardiomegaly: seed % 3 === 0, effusion: seed % 4 === 0 }, view: seed % 2 ? "AP" : "PA", sex: seed % 5 < 2 ? "F" : "M", age: 20 + (seed % 60) });
}

describe("CAM equals Grad-CAM on a global-average-pooled linear head", () => {
  // Gradients of the logit (before the sigmoid), by central finite differences through the ONNX
  // head taking the feature map as input, with no use of the weights: the test's independent side.
  it("Grad-CAM from finite-difference gradients is CAM / (h·w)", async () => {
    const { features } = await forward(noduleImage(31));
    const [, f, h, w] = features.dims as [number, number, number, number];
    const n = h * w;
    const head = await loadModel(buildHeadModel(trained.head, [f, h, w], { batch: "batch" }));
    const A = features.data;
    const eps = 0.25;
    // Perturbing all of channel c by ±eps gives Σ_ij ∂y/∂A_c(i,j) (a directional derivative); batched.
    const batch = new Float32Array(2 * f * f * n);
    for (let c = 0; c < f; c++)
      for (const [s, sign] of [[0, 1], [1, -1]] as const) {
        const off = (2 * c + s) * f * n;
        batch.set(A, off);
        for (let i = 0; i < n; i++) batch[off + c * n + i]! += sign * eps;
      }
    const out = await run(head, { [FEATURES]: { dims: [2 * f, f, h, w], data: batch } }, [LOGITS, PROBABILITIES]);
    const y = out[LOGITS]!.data;
    const prob = out[PROBABILITIES]!.data;
    const k = LABELS.length;
    for (let label = 0; label < k; label++) {
      const alpha = Array.from({ length: f }, (_, c) => (y[2 * c * k + label]! - y[(2 * c + 1) * k + label]!) / (2 * eps) / n);
      const gradCam = new Float64Array(n);
      for (let c = 0; c < f; c++) for (let i = 0; i < n; i++) gradCam[i]! += alpha[c]! * A[c * n + i]!;
      const cam = rawCam(features, trained.head.weights, label);
      const camMax = Math.max(...cam.map(Math.abs));
      expect(camMax).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) expect(Math.abs(Math.max(0, gradCam[i]!) * n - Math.max(0, cam[i]!))).toBeLessThan(1e-3 * camMax);
      // Hence identical once normalised, which is what the viewer shows.
      const a = normaliseMap(gradCam);
      const b = normaliseMap(cam);
      for (let i = 0; i < n; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-3);
      // Differentiating the probability instead multiplies every α by σ'(z) > 0, so the normalised map
      // is the same. Only the sign is checked: float32 differences of a saturating sigmoid are too
      // coarse to check the factor.
      const alphaP = Array.from({ length: f }, (_, c) => (prob[2 * c * k + label]! - prob[(2 * c + 1) * k + label]!) / (2 * eps) / n);
      const ratio = alphaP.map((v, c) => v / alpha[c]!).filter((r, c) => Math.abs(alpha[c]!) > 1e-3 && Number.isFinite(r));
      expect(Math.min(...ratio)).toBeGreaterThan(0);
    }
  });

  it("the gradient is the same at every position of a channel (spot checks per element)", async () => {
    const { features } = await forward(noduleImage(32));
    const [, f, h, w] = features.dims as [number, number, number, number];
    const n = h * w;
    const head = await loadModel(buildHeadModel(trained.head, [f, h, w], { batch: "batch" }));
    const picks = [[0, 0, 0], [5, 3, 17], [5, 30, 2], [20, 16, 16], [40, 31, 31], [f - 1, 8, 25]];
    const eps = 1;
    const batch = new Float32Array(2 * picks.length * f * n);
    picks.forEach(([c, i, j], p) => {
      for (const [s, sign] of [[0, 1], [1, -1]] as const) {
        const off = (2 * p + s) * f * n;
        batch.set(features.data, off);
        batch[off + c * n + i * w + j]! += sign * eps;
      }
    });
    const y = (await run(head, { [FEATURES]: { dims: [2 * picks.length, f, h, w], data: batch } }, [LOGITS]))[LOGITS]!.data;
    const label = 2;
    picks.forEach(([c], p) => {
      const grad = (y[2 * p * 3 + label]! - y[(2 * p + 1) * 3 + label]!) / (2 * eps);
      const expected = trained.head.weights[label * f + c]! / n;
      expect(Math.abs(grad - expected)).toBeLessThan(1e-3 * Math.max(Math.abs(expected), 1e-3));
    });
  });
});

describe("CAM localises a nodule", () => {
  it("the nodule CAM peaks near the nodule centre in most images", async () => {
    const nodule = LABELS.indexOf("nodule");
    const distances: number[] = [];
    for (let s = 0; s < 12; s++) {
      const image = noduleImage(50_000 + s);
      const { features } = await forward(image);
      const p = peak(classActivationMap(features, trained.head.weights, nodule, { width: S, height: S }));
      distances.push(Math.hypot(p.x + 0.5 - image.nodule!.x, p.y + 0.5 - image.nodule!.y));
    }
    const near = distances.filter((d) => d <= 10).length;
    console.log(`CAM peak to nodule centre, px: ${distances.map((d) => d.toFixed(1)).join(", ")}`);
    // One feature-map cell is 4 px; the nodule radius is 3–4.5 px.
    expect(near, `distances ${distances.map((d) => d.toFixed(1)).join(", ")}`).toBeGreaterThanOrEqual(10);
  });

  it("occlusion sensitivity, the fallback without a feature map, also finds it", async () => {
    const image = noduleImage(50_100);
    const { input } = await forward(image);
    const maps = await occlusionSensitivity(
      // The logit: a saturated probability barely moves when the nodule is hidden.
      async (x) => (await run(model, { [INPUT]: { dims: [1, 1, S, S], data: x } }, [LOGITS]))[LOGITS]!.data,
      { channels: 1, width: S, height: S, data: input },
      16,
      8,
    );
    expect(maps).toHaveLength(3);
    const p = peak(maps[2]!);
    const m = maps[2]!;
    void p;
    const atNodule = m.values[Math.round(image.nodule!.y) * S + Math.round(image.nodule!.x)]!;
    const rank = m.values.filter((v) => v > atNodule).length / m.values.length;
    // Hiding the nodule lowers the logit about as much as hiding anything: its pixel is in the top 2 %
    // of the map. (Blurring strong edges elsewhere, e.g. a lung apex, can matter as much to a linear
    // head; CAM, above, is the sharper tool when the model has a feature map.)
    expect(atNodule).toBeGreaterThan(0.8);
    expect(rank).toBeLessThan(0.02);
    expect(Math.min(...maps[2]!.values)).toBe(0);
  });
});

describe("inference", () => {
  it("gives probabilities and a CAM per label at the image's own size", async () => {
    const image = generateCxr({ seed: 60_001, width: 256, height: 256, findings: { nodule: true } });
    const loaded = await openModel(bytes, metadata);
    const result = await infer(loaded, { width: 256, height: 256, data: image.pixels, maxValue: image.maxValue }, { heatmaps: true });
    await closeModel(loaded);
    expect(result.method).toBe("cam");
    expect(result.predictions.map((p) => p.label)).toEqual(LABELS);
    expect(result.predictions[2]!.value).toBeGreaterThan(0.5);
    const map = result.heatmaps[2]!;
    expect([map.width, map.height, map.values.length]).toEqual([256, 256, 256 * 256]);
    const p = peak(map);
    expect(Math.hypot(p.x + 0.5 - image.nodule!.x, p.y + 0.5 - image.nodule!.y)).toBeLessThan(16);
  });

  it("the CAMs grafted into the graph equal the feature map's CAMs made in JavaScript, at any size", async () => {
    const image = generateCxr({ seed: 60_003, width: 200, height: 160, findings: { nodule: true, cardiomegaly: true } });
    const grey = { width: 200, height: 160, data: image.pixels, maxValue: image.maxValue };
    const loaded = await openModel(bytes, metadata);
    expect(loaded.camInGraph).toBe(true);
    const input = preprocess(grey, metadata);
    const features = (await runLoaded(loaded, input, [FEATURES]))[FEATURES]!;
    // Up to the image's size, down to a stored map's, and an aspect the feature map does not have.
    for (const size of [{ width: 200, height: 160 }, { width: 64, height: 51 }, { width: 17, height: 40 }]) {
      const result = await infer(loaded, grey, { heatmaps: true, heatmapSize: size });
      expect(result.method).toBe("cam");
      LABELS.forEach((_, k) => {
        const expected = classActivationMap(features, trained.head.weights, k, size).values;
        const max = Math.max(...expected);
        const got = result.heatmaps[k]!;
        expect([got.width, got.height, got.values.length]).toEqual([size.width, size.height, size.width * size.height]);
        // The graph scales after resampling, JavaScript before: the same map up to that factor.
        let worst = 0;
        for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got.values[i]! - expected[i]! / max));
        expect(worst).toBeLessThan(1e-4);
      });
    }
    const plain = await infer(loaded, grey);
    await closeModel(loaded);
    expect(plain.method).toBe("none");
  });

  it("a graph too old for the graft (opset 10) still gets its CAMs, from the feature map", async () => {
    const model = onnx.ModelProto.decode(bytes);
    model.opsetImport = [{ domain: "", version: 10 }];
    const old = onnx.ModelProto.encode(model).finish();
    const image = generateCxr({ seed: 60_004, width: 128, height: 128, findings: { effusion: true } });
    const grey = { width: 128, height: 128, data: image.pixels, maxValue: image.maxValue };
    const [a, b] = [await openModel(old, metadata), await openModel(bytes, metadata)];
    expect([a.camInGraph, b.camInGraph]).toEqual([false, true]);
    const [ra, rb] = [await infer(a, grey, { heatmaps: true }), await infer(b, grey, { heatmaps: true })];
    await Promise.all([closeModel(a), closeModel(b)]);
    expect(ra.method).toBe("cam");
    expect(ra.predictions.map((p) => p.value)).toEqual(rb.predictions.map((p) => p.value));
    ra.heatmaps.forEach((h, k) => {
      const max = Math.max(...h.values);
      h.values.forEach((v, i) => expect(Math.abs(v / max - rb.heatmaps[k]!.values[i]!)).toBeLessThan(1e-4));
    });
  });

  it("falls back to occlusion when the metadata has no feature map", async () => {
    const image = generateCxr({ seed: 60_002, width: 128, height: 128, findings: { nodule: true } });
    const loaded = await openModel(bytes, { ...metadata, cam: undefined });
    const result = await infer(loaded, { width: 128, height: 128, data: image.pixels, maxValue: image.maxValue }, { heatmaps: true });
    const plain = await infer(loaded, { width: 128, height: 128, data: image.pixels, maxValue: image.maxValue });
    await closeModel(loaded);
    expect(result.method).toBe("occlusion");
    expect(result.heatmaps).toHaveLength(3);
    expect(plain.method).toBe("none");
    expect(plain.predictions).toEqual(result.predictions);
  });
});

describe("map helpers", () => {
  it("normalises with ReLU and survives an all-negative map", () => {
    expect(Array.from(normaliseMap([-1, 0, 2, 4]))).toEqual([0, 0, 0.5, 1]);
    expect(Array.from(normaliseMap([-3, -1]))).toEqual([0, 0]);
  });

  it("upsamples bilinearly with half-pixel centres", () => {
    const up = upsampleBilinear([0, 1], 1, 2, 1, 4);
    expect(Array.from(up)).toEqual([0, 0.25, 0.75, 1]);
  });

  it("renders RGBA: transparent where cold, red and most opaque at the peak", () => {
    const rgba = renderOverlay({ width: 3, height: 1, values: Float32Array.from([0, 0.5, 1]) }, { maxAlpha: 200 });
    expect(rgba[3]).toBe(0);
    expect(rgba[7]).toBe(100);
    expect(Array.from(rgba.slice(8, 12))).toEqual([...jet(1), 200]);
    expect(jet(1)[0]).toBeGreaterThan(jet(1)[2]);
    expect(jet(0)[2]).toBeGreaterThan(jet(0)[0]);
  });
});
