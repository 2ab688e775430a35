import { loadModel, releaseModel, run, type OnnxModel } from "../../platform/onnx/runtime.js";
import { classActivationMap, occlusionSensitivity, upsampleBilinear, type Heatmap } from "./cam.js";
import { camWeights, preprocess, type GreyImage, type ModelMetadata } from "./metadata.js";

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
  /** One per label, at the image's own size, values in [0, 1]. */
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
}

export async function openModel(bytes: Uint8Array, metadata: ModelMetadata): Promise<LoadedModel> {
  return { model: await loadModel(bytes), metadata, weights: camWeights(bytes, metadata) };
}

export async function closeModel(loaded: LoadedModel): Promise<void> {
  await releaseModel(loaded.model);
}

export async function infer(loaded: LoadedModel, image: GreyImage, options: InferenceOptions = {}): Promise<InferenceResult> {
  const { model, metadata, weights } = loaded;
  const [, c, h, w] = metadata.input.shape;
  const input = preprocess(image, metadata);
  const feed = (data: Float32Array) => ({ [metadata.input.name]: { dims: metadata.input.shape, data } });
  const useCam = !!(options.heatmaps && metadata.cam && weights);
  const wanted = [metadata.output.name, ...(useCam ? [metadata.cam!.featureMap] : [])];
  const out = await run(model, feed(input), wanted);
  const values = out[metadata.output.name]!.data;
  const predictions = metadata.output.labels.map((label, k) => ({ label, value: values[k]! }));
  if (!options.heatmaps) return { predictions, method: "none", heatmaps: [] };
  const size = options.heatmapSize ?? { width: image.width, height: image.height };
  if (useCam) {
    const features = out[metadata.cam!.featureMap]!;
    const heatmaps = metadata.output.labels.map((label, k) => ({ label, ...classActivationMap(features, weights!, k, size) }));
    return { predictions, method: "cam", heatmaps };
  }
  const patch = options.occlusion?.patch ?? Math.max(1, Math.round(w / 4));
  const stride = options.occlusion?.stride ?? Math.max(1, Math.round(w / 8));
  const maps = await occlusionSensitivity(
    async (x) => (await run(model, feed(x), [metadata.output.name]))[metadata.output.name]!.data,
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
