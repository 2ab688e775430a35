import { loadModel, releaseModel, run, type FeedData, type OnnxModel } from "../../platform/onnx/runtime.js";
import { classActivationMap, occlusionSensitivity, scaleToUnit, upsampleBilinear, type Heatmap } from "./cam.js";
import { camWeights, preprocess, type GreyImage, type ModelMetadata } from "./metadata.js";
import { CAM_OUTPUT, CAM_SIZE, withCamOutput } from "./onnx-build.js";

// One image through a validated model: the outputs per label and a heatmap per label, by CAM when
// the metadata names a feature map and linear head, else by occlusion sensitivity. Workers only.

export interface Prediction {
  label: string;
  /** Probability (binary, multilabel) or value (regression). */
  value: number;
}

export interface InferenceResult {
  predictions: Prediction[];
  /** How the heatmaps were made; "none" when not asked for. */
  method: "cam" | "occlusion" | "none";
  /** One per label, at `heatmapSize` (the image's own size by default), values in [0, 1]. */
  heatmaps: Array<{ label: string } & Heatmap>;
}

export interface InferenceOptions {
  heatmaps?: boolean;
  /** The heatmaps' size; default the image's. */
  heatmapSize?: { width: number; height: number };
  /** Occlusion patch and stride in model-input pixels; default a quarter and an eighth of the width. */
  occlusion?: { patch: number; stride: number };
}

/** A loaded model and what is needed to read it; load once per worker, reuse for many images. */
export interface LoadedModel {
  model: OnnxModel;
  metadata: ModelMetadata;
  weights: Float32Array | null;
  /** Whether the loaded graph computes the CAMs itself (output CAM_OUTPUT); else they are summed here from the feature map. */
  camInGraph: boolean;
}

/**
 * Loads a model for inference. A model with a feature map and head weights is loaded with its CAMs
 * grafted into the graph (withCamOutput), so they come out of the same forward pass; should a
 * graph not take the graft, it loads as uploaded and the CAMs are computed from the feature map
 * here, to the same values.
 */
export async function openModel(bytes: Uint8Array, metadata: ModelMetadata): Promise<LoadedModel> {
  const weights = camWeights(bytes, metadata);
  if (metadata.cam && weights) {
    const grafted = await loadModel(withCamOutput(bytes, metadata.cam.featureMap, weights, metadata.output.labels.length)).catch(() => null);
    if (grafted) return { model: grafted, metadata, weights, camInGraph: true };
  }
  return { model: await loadModel(bytes), metadata, weights, camInGraph: false };
}

export async function closeModel(loaded: LoadedModel): Promise<void> {
  await releaseModel(loaded.model);
}

/**
 * One forward pass of a loaded model on a preprocessed input, fetching `outputs`. A grafted graph
 * also takes the size its CAMs are resampled to (`camSize`; a token 1×1 when they are not fetched,
 * as onnxruntime wants every input fed).
 */
export async function runLoaded(loaded: LoadedModel, input: Float32Array, outputs: readonly string[], camSize?: { width: number; height: number }) {
  const { metadata } = loaded;
  const feeds: Record<string, FeedData> = { [metadata.input.name]: { dims: metadata.input.shape, data: input } };
  if (loaded.camInGraph) {
    const { width, height } = camSize ?? { width: 1, height: 1 };
    feeds[CAM_SIZE] = { dims: [4], data: BigInt64Array.of(1n, BigInt(metadata.output.labels.length), BigInt(height), BigInt(width)) };
  }
  return run(loaded.model, feeds, outputs);
}

export async function infer(loaded: LoadedModel, image: GreyImage, options: InferenceOptions = {}): Promise<InferenceResult> {
  const { metadata, weights } = loaded;
  const [, c, h, w] = metadata.input.shape;
  const input = preprocess(image, metadata);
  const useCam = !!(options.heatmaps && metadata.cam && weights);
  const size = options.heatmapSize ?? { width: image.width, height: image.height };
  const labels = metadata.output.labels;
  if (useCam && loaded.camInGraph) {
    // The graph makes the maps at the size asked for: ReLU'd and resampled; here only scaled to [0, 1].
    const out = await runLoaded(loaded, input, [metadata.output.name, CAM_OUTPUT], size);
    const values = out[metadata.output.name]!.data;
    const cam = out[CAM_OUTPUT]!.data;
    const n = size.width * size.height;
    return {
      predictions: labels.map((label, k) => ({ label, value: values[k]! })),
      method: "cam",
      heatmaps: labels.map((label, k) => ({ label, ...size, values: scaleToUnit(cam.subarray(k * n, (k + 1) * n)) })),
    };
  }
  const wanted = [metadata.output.name, ...(useCam ? [metadata.cam!.featureMap] : [])];
  const out = await runLoaded(loaded, input, wanted);
  const values = out[metadata.output.name]!.data;
  const predictions = labels.map((label, k) => ({ label, value: values[k]! }));
  if (!options.heatmaps) return { predictions, method: "none", heatmaps: [] };
  if (useCam) {
    const features = out[metadata.cam!.featureMap]!;
    const heatmaps = metadata.output.labels.map((label, k) => ({ label, ...classActivationMap(features, weights!, k, size) }));
    return { predictions, method: "cam", heatmaps };
  }
  const patch = options.occlusion?.patch ?? Math.max(1, Math.round(w / 4));
  const stride = options.occlusion?.stride ?? Math.max(1, Math.round(w / 8));
  const maps = await occlusionSensitivity(
    async (x) => (await runLoaded(loaded, x, [metadata.output.name]))[metadata.output.name]!.data,
    { channels: c, width: w, height: h, data: input },
    patch,
    stride,
  );
  const heatmaps = maps.map((m, k) => ({ label: metadata.output.labels[k]!, ...resize(m, size) }));
  return { predictions, method: "occlusion", heatmaps };
}

function resize(map: Heatmap, size: { width: number; height: number }): Heatmap {
  if (map.width === size.width && map.height === size.height) return map;
  return { ...size, values: upsampleBilinear(map.values, map.height, map.width, size.height, size.width) };
}
