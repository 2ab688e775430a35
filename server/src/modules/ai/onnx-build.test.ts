import { describe, expect, it } from "vitest";
import { loadModel, run } from "../../platform/onnx/runtime.js";
import { generateCxr } from "../../testing/cxr.js";
import { seededRandom } from "../../testing/random.js";
import { fixedExtractor, globalAverage, referenceFeatures } from "./extractor.js";
import { buildClassifierModel, buildExtractorModel, buildHeadModel, FEATURES, INPUT, LOGITS, POOLED, PROBABILITIES, readInitializer, VALUE, HEAD_WEIGHTS, type LinearHead } from "./onnx-build.js";
import { preprocess } from "./metadata.js";

const spec = fixedExtractor(128);
const meta = { input: { name: INPUT, shape: [1, 1, 128, 128] as [1, 1, number, number], normalisation: { kind: "meanStd" as const, mean: 0.35, std: 0.2 } } };

function randomHead(task: LinearHead["task"], k: number, seed: number): LinearHead {
  const rnd = seededRandom(seed);
  const f = spec.featureShape[0];
  return {
    task,
    weights: Float32Array.from({ length: k * f }, () => rnd() * 4 - 2),
    bias: Float32Array.from({ length: k }, () => rnd() - 0.5),
    labels: Array.from({ length: k }, (_, i) => `label${i}`),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("onnx-build", () => {
  const image = generateCxr({ seed: 11, width: 128, height: 128, findings: { nodule: true, effusion: true } });
  const input = preprocess({ width: 128, height: 128, data: image.pixels, maxValue: image.maxValue }, meta);
  const ref = referenceFeatures(spec, input);

  it("the built classifier runs in onnxruntime and equals the TypeScript forward pass", async () => {
    const head = randomHead("multilabel", 3, 5);
    const model = await loadModel(buildClassifierModel(spec, head));
    expect(model.inputs.map((i) => i.name)).toEqual([INPUT]);
    expect(model.outputs.map((o) => o.name).sort()).toEqual([FEATURES, LOGITS, PROBABILITIES].sort());
    const out = await run(model, { [INPUT]: { dims: [1, 1, 128, 128], data: input } });
    expect(out[FEATURES]!.dims).toEqual([1, ...spec.featureShape]);
    expect(maxAbsDiff(out[FEATURES]!.data, ref.data)).toBeLessThan(1e-4);
    // The features are not trivially zero: the test would pass for a broken extractor otherwise.
    expect(Math.max(...ref.data)).toBeGreaterThan(0.1);

    const pooled = globalAverage(ref);
    const f = spec.featureShape[0];
    const logits = [0, 1, 2].map((k) => head.bias[k]! + pooled.reduce((s, v, i) => s + v * head.weights[k * f + i]!, 0));
    expect(maxAbsDiff(out[LOGITS]!.data, logits)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out[PROBABILITIES]!.data, logits.map((z) => 1 / (1 + Math.exp(-z))))).toBeLessThan(1e-4);
  });

  it("a regression head outputs the linear value", async () => {
    const head = randomHead("regression", 1, 6);
    const model = await loadModel(buildClassifierModel(spec, head));
    const out = await run(model, { [INPUT]: { dims: [1, 1, 128, 128], data: input } }, [VALUE]);
    const pooled = globalAverage(ref);
    const value = head.bias[0]! + pooled.reduce((s, v, i) => s + v * head.weights[i]!, 0);
    expect(Math.abs(out[VALUE]!.data[0]! - value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
  });

  it("the extractor model takes a batch and pools per image", async () => {
    const model = await loadModel(buildExtractorModel(spec));
    const second = preprocess({ width: 128, height: 128, data: generateCxr({ seed: 12, width: 128, height: 128 }).pixels, maxValue: 255 }, meta);
    const batch = new Float32Array(2 * 128 * 128);
    batch.set(input, 0);
    batch.set(second, 128 * 128);
    const out = await run(model, { [INPUT]: { dims: [2, 1, 128, 128], data: batch } }, [POOLED]);
    const f = spec.featureShape[0];
    expect(out[POOLED]!.dims).toEqual([2, f]);
    expect(maxAbsDiff(out[POOLED]!.data.subarray(0, f), globalAverage(ref))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out[POOLED]!.data.subarray(f), globalAverage(referenceFeatures(spec, second)))).toBeLessThan(1e-4);
  });

  it("the head model takes a feature map, and its weights can be read back from the bytes", async () => {
    const head = randomHead("binary", 1, 7);
    const bytes = buildHeadModel(head, spec.featureShape);
    const model = await loadModel(bytes);
    const out = await run(model, { [FEATURES]: { dims: [1, ...spec.featureShape], data: Float32Array.from(ref.data) } }, [LOGITS]);
    const pooled = globalAverage(ref);
    expect(Math.abs(out[LOGITS]!.data[0]! - (head.bias[0]! + pooled.reduce((s, v, i) => s + v * head.weights[i]!, 0)))).toBeLessThan(1e-4);
    const w = readInitializer(bytes, HEAD_WEIGHTS)!;
    expect(w.dims).toEqual([1, spec.featureShape[0]]);
    expect(maxAbsDiff(w.values, head.weights)).toBe(0);
  });
});
