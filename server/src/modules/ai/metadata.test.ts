import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { fixedExtractor } from "./extractor.js";
import { ctImage } from "../exports/dicom/test-sources.js";
import { greyImage } from "./grey-image.js";
import { camWeights, parseModelMetadata, preprocess, validateModel, type ModelMetadata } from "./metadata.js";
import { buildClassifierModel, FEATURES, HEAD_WEIGHTS, INPUT, PROBABILITIES, VALUE, type LinearHead } from "./onnx-build.js";

const spec = fixedExtractor(64);
const F = spec.featureShape[0];

function head(k: number, task: LinearHead["task"] = "multilabel"): LinearHead {
  return {
    task,
    weights: Float32Array.from({ length: k * F }, (_, i) => Math.sin(i) * 0.1),
    bias: new Float32Array(k),
    labels: Array.from({ length: k }, (_, i) => `l${i}`),
  };
}

function metadata(overrides: Partial<ModelMetadata> = {}): ModelMetadata {
  return {
    input: { name: INPUT, shape: [1, 1, 64, 64], normalisation: { kind: "meanStd", mean: 0.4, std: 0.2 } },
    task: "multilabel",
    output: { name: PROBABILITIES, labels: ["l0", "l1", "l2"] },
    cam: { featureMap: FEATURES, weightsInitializer: HEAD_WEIGHTS },
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("BAD_USER_INPUT");
  return (error as AppError).message;
}

describe("model metadata", () => {
  const bytes = buildClassifierModel(spec, head(3));

  it("accepts a model that matches its metadata and reports the feature map", async () => {
    const ok = await validateModel(bytes, metadata());
    expect(ok.featureShape).toEqual(spec.featureShape);
    expect(camWeights(bytes, ok.metadata)).toEqual(head(3).weights);
    const inline = metadata({ cam: { featureMap: FEATURES, weights: [0, 1, 2].map((k) => Array.from(head(3).weights.slice(k * F, (k + 1) * F))) } });
    expect((await validateModel(bytes, inline)).featureShape).toEqual(spec.featureShape);
  });

  it("refuses a label count that does not match the output", async () => {
    const message = await refusal(validateModel(bytes, metadata({ output: { name: PROBABILITIES, labels: ["a", "b"] }, cam: undefined })));
    expect(message).toContain("output 'probabilities' has 3 values, metadata names 2 labels");
  });

  it("refuses unknown input and output names, naming what the model has", async () => {
    const message = await refusal(validateModel(bytes, metadata({ input: { ...metadata().input, name: "pixels" }, output: { name: "logit", labels: ["a", "b", "c"] } })));
    expect(message).toContain("the model has no input 'pixels' (it has 'image')");
    expect(message).toContain("the model has no output 'logit'");
  });

  it("refuses an input shape the model does not take", async () => {
    const message = await refusal(validateModel(bytes, metadata({ input: { ...metadata().input, shape: [1, 1, 128, 128] } })));
    expect(message).toContain("input 'image' has dimension 2 = 64, metadata says 128");
  });

  it("refuses CAM weights that do not fit the feature map", async () => {
    const short = metadata({ cam: { featureMap: FEATURES, weights: [[1, 2], [3, 4], [5, 6]] } });
    expect(await refusal(validateModel(bytes, short))).toContain(`CAM weights row 0 has 2 values, the feature map has ${F} channels`);
    expect(await refusal(validateModel(bytes, metadata({ cam: { featureMap: FEATURES, weightsInitializer: "nope" } })))).toContain("no initializer 'nope'");
    expect(await refusal(validateModel(bytes, metadata({ cam: { featureMap: "pooled", weightsInitializer: HEAD_WEIGHTS } })))).toContain("no output 'pooled'");
  });

  it("refuses bytes that are not a model", async () => {
    expect(await refusal(validateModel(new Uint8Array([8, 1, 2, 3]), metadata()))).toContain("not a loadable ONNX model");
  });

  it("refuses malformed metadata field by field", () => {
    expect(() => parseModelMetadata({ ...metadata(), task: "binary" })).toThrow(/metadata\.output\.labels: a binary model names one label/);
    expect(() => parseModelMetadata({ ...metadata(), input: { ...metadata().input, shape: [2, 1, 64, 64] } })).toThrow(/metadata\.input\.shape/);
    expect(() => parseModelMetadata({ ...metadata(), cam: { featureMap: FEATURES } })).toThrow(/either weights or weightsInitializer/);
    expect(() => parseModelMetadata({ ...metadata(), output: { name: VALUE, labels: ["a", "a"] } })).toThrow(/label names repeat/);
  });

  it("stores how a classifier reads a case of several images: max for probabilities, mean for regression, unless it says; never for segmentation", () => {
    expect(parseModelMetadata(metadata()).series).toEqual({ aggregate: "max" });
    expect(parseModelMetadata({ ...metadata(), task: "binary", output: { name: VALUE, labels: ["a"] } }).series).toEqual({ aggregate: "max" });
    expect(parseModelMetadata({ ...metadata(), task: "regression", cam: undefined }).series).toEqual({ aggregate: "mean" });
    expect(parseModelMetadata({ ...metadata(), series: { aggregate: "mean" } }).series).toEqual({ aggregate: "mean" });
    expect(() => parseModelMetadata({ ...metadata(), series: { aggregate: "median" } })).toThrow(/metadata\.series\.aggregate/);
    const segmentation = { ...metadata(), task: "segmentation", cam: undefined, output: { name: VALUE, labels: ["a"] } };
    expect(parseModelMetadata(segmentation).series).toBeUndefined();
    expect(() => parseModelMetadata({ ...segmentation, series: { aggregate: "max" } })).toThrow(/metadata\.series: a segmentation model reads every image/);
  });

  it("a regression model's value need not be a probability; a classifier's must be", async () => {
    const regression = buildClassifierModel(spec, { ...head(1, "regression"), bias: Float32Array.from([55]), labels: ["age"] });
    const meta = metadata({ task: "regression", output: { name: VALUE, labels: ["age"] }, cam: undefined });
    await expect(validateModel(regression, meta)).resolves.toBeTruthy();
    expect(await refusal(validateModel(regression, { ...meta, task: "binary" }))).toContain("not a probability");
  });
});

describe("preprocess", () => {
  const image = { width: 4, height: 2, maxValue: 255, data: [0, 51, 102, 153, 204, 255, 255, 0] };

  it("block-averages whole-number reductions, then applies mean/std", () => {
    const x = preprocess(image, { input: { name: "x", shape: [1, 1, 1, 2], normalisation: { kind: "meanStd", mean: 0.5, std: 0.25 } } });
    // Blocks: (0+51+204+255)/4 = 127.5 and (102+153+255+0)/4 = 127.5 → 0.5 → 0.
    expect(Array.from(x)).toEqual([0, 0]);
  });

  it("windows to [0, 1] and repeats grey into three channels", () => {
    const x = preprocess(image, { input: { name: "x", shape: [1, 3, 2, 4], normalisation: { kind: "window", center: 0.5, width: 0.4 } } });
    expect(x).toHaveLength(24);
    const expected = image.data.map((p) => Math.min(1, Math.max(0, (p / 255 - 0.3) / 0.4)));
    for (let c = 0; c < 3; c++) expected.forEach((v, i) => expect(x[c * 8 + i]).toBeCloseTo(v, 6));
  });

  it("resamples bilinearly when the ratio is not whole", () => {
    const x = preprocess({ width: 2, height: 1, maxValue: 1, data: [0, 1] }, { input: { name: "x", shape: [1, 1, 1, 4], normalisation: { kind: "meanStd", mean: 0, std: 1 } } });
    expect(Array.from(x)).toEqual([0, 0.25, 0.75, 1]);
  });

  it("windows and standardises in Hounsfield units for a CT, from the values after the Modality LUT", () => {
    // ctImage: stored (i * 7) % 4096, Rescale Intercept -1024, so HU = stored - 1024.
    const image = greyImage(ctImage(), "ct.dcm")!;
    const hu = Array.from({ length: 64 * 64 }, (_, i) => ((i * 7) % 4096) - 1024);
    const shape: [1, 1, number, number] = [1, 1, 64, 64];
    const window = preprocess(image, { input: { name: "x", shape, normalisation: { kind: "modalityWindow", center: 40, width: 400 } } });
    hu.forEach((v, i) => expect(window[i]).toBeCloseTo(Math.min(1, Math.max(0, (v + 160) / 400)), 5));
    const standard = preprocess(image, { input: { name: "x", shape, normalisation: { kind: "modalityMeanStd", mean: 50, std: 200, clip: [-200, 300] } } });
    hu.forEach((v, i) => expect(standard[i]).toBeCloseTo((Math.min(300, Math.max(-200, v)) - 50) / 200, 5));
  });

  it("takes a MONOCHROME1 image's modality values as stored, not turned", () => {
    const image = { width: 2, height: 1, maxValue: 255, data: [255, 0], offset: 0, inverted: true };
    const x = preprocess(image, { input: { name: "x", shape: [1, 1, 1, 2], normalisation: { kind: "modalityWindow", center: 127.5, width: 255 } } });
    expect(Array.from(x)).toEqual([0, 1]);
  });

  it("refuses a clip range upside down", () => {
    expect(() => parseModelMetadata({ ...metadata(), input: { name: "x", shape: [1, 1, 8, 8], normalisation: { kind: "modalityMeanStd", mean: 0, std: 1, clip: [5, -5] } } })).toThrow(/low below high/);
  });
});
