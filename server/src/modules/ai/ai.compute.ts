import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { FieldProblem } from "../../errors.js";
import { threadPool } from "../../platform/threads.js";
import { greyFrames } from "./grey-image.js";
import { closeModel, infer, openModel, type LoadedModel } from "./inference.js";
import { resample, validateModel, type GreyImage, type ModelMetadata, type Normalisation } from "./metadata.js";
import { segment, type Segmentation } from "./segment.js";
import {
  CELL_CAPS,
  concatCells,
  DiceTally,
  exportSegmenter,
  fitSoftmax,
  imageCells,
  regionOverlap,
  tuneOffsets,
  type CellCaps,
  type CellSamples,
  type Overlap,
  type ReaderRegions,
} from "./segment-train.js";
import { addPixelSums, exportTrainedModel, pooledFeatures, trainLinearHead, type LabelMetrics, type PixelSums, type TrainingCase, type TrainOptions } from "./train.js";

// The AI's CPU work: validating, running and training ONNX models. Workers only (it loads
// onnxruntime on first use). In a `concord worker` process it runs on the job's own thread; in the
// embedded default, where jobs run inside the API process, on a small pool of worker threads
// (threadCompute) so the API's event loop keeps serving.

/** Long side of stored heatmaps: the feature map is 32×32, so 64 keeps all its detail. */
export const HEATMAP_SIDE = 64;

export type ValidateAnswer = { ok: true; metadata: ModelMetadata } | { ok: false; message: string; problems: FieldProblem[] };

export interface ModelRef {
  /** Cache key: the ONNX bytes' SHA-256. */
  sha256: string;
  /**
   * The ONNX bytes, or how to read them: read only when the model is not loaded yet where it runs
   * (a real model is tens to hundreds of MB, and a batch runs one over many cases).
   */
  bytes: Uint8Array | (() => Promise<Uint8Array>);
  metadata: ModelMetadata;
}

const bytesOf = (ref: Pick<ModelRef, "bytes">) => (typeof ref.bytes === "function" ? ref.bytes() : Promise.resolve(ref.bytes));

/** A stored DICOM file, as the images module reads it. */
export interface StoredFile {
  bytes: Uint8Array;
  name: string;
}

export interface InferAnswer {
  outputs: Array<{ label: string; value: number }>;
  method: "cam" | "occlusion" | "none";
  width: number;
  height: number;
  /** One 8-bit map of width×height per label, in label order, concatenated. */
  heatmaps: Uint8Array | null;
}

/** Which frame of a stored file to read (1-based; default 1), and the heatmaps' size (default the image's, at most HEATMAP_SIDE a side). */
export interface InferOptions {
  frame?: number;
  heatmapSize?: { width: number; height: number };
}

/** A classifier's outputs (in label order) for every frame of a stored file, in frame order; no heatmaps. */
export interface ScoreAnswer {
  frames: number[][];
}

/** A segmentation model's suggestion for every frame of a stored file, in frame order (1-based). */
export interface SegmentAnswer {
  frames: Array<{ frame: number } & Segmentation>;
}

export interface TrainAnswer {
  bytes: Uint8Array;
  metadata: ModelMetadata;
  metrics: LabelMetrics[];
  trainCount: number;
  holdoutCount: number;
}

export interface AiCompute {
  validate(bytes: Uint8Array, metadata: unknown): Promise<ValidateAnswer>;
  /**
   * Training images: the stored file's frames (1-based `frames`; every frame by default) decoded and
   * resampled to size×size (when size is null, 128 for images at least that large, else 64); null
   * when it has no pixels.
   */
  trainingImages(file: StoredFile, size: number | null, frames?: number[]): Promise<GreyImage[] | null>;
  /** The pixel sums of the stored file's frames as trainingImages reads them, for a training's normalisation; null when it has no pixels. */
  pixelSums(file: StoredFile, size: number, frames: number[]): Promise<PixelSums | null>;
  /**
   * Every frame of the stored file as training reads it (trainingImages), as pooled features of
   * the training's extractor with its normalisation; null when it has no pixels. For a case of many
   * images: their features are small, the images are not.
   */
  trainingFeatures(file: StoredFile, size: number, normalisation: Normalisation): Promise<Float64Array[] | null>;
  /** Decodes one frame of the stored file (the first by default) and runs the model on it, with heatmaps; null when it has no pixels. */
  infer(model: ModelRef, file: StoredFile, options?: InferOptions): Promise<InferAnswer | null>;
  /** Decodes every frame of the stored file and runs a classifier on each, without heatmaps; null when it has no pixels. */
  score(model: ModelRef, file: StoredFile): Promise<ScoreAnswer | null>;
  /** Decodes every frame of the stored file and runs a segmentation model on each; null when it has no pixels. */
  segment(model: ModelRef, file: StoredFile): Promise<SegmentAnswer | null>;
  train(cases: TrainingCase[], options: Omit<TrainOptions, "onProgress">, onProgress?: (percent: number) => void): Promise<TrainAnswer>;
  /**
   * The cells a segmentation training learns from on the stored file's given frames, each with its
   * readers' ROIs (segment-train.ts); null when it has no pixels.
   */
  segmentationCells(file: StoredFile, images: SegmentationImage[], classes: number, normalisation: Normalisation, caps: CellCaps): Promise<CellSamples | null>;
  /** Softmax regression on the cells, exported as a segmentation model with these class names. */
  trainSegmenter(cells: CellSamples, classes: string[], normalisation: Normalisation, minPixels: number, onProgress?: (percent: number) => void): Promise<{ bytes: Uint8Array; metadata: ModelMetadata }>;
  /**
   * A segmentation model on the given frames of a stored file, against each frame's readers'
   * consensus: the overlap a held-out Dice is pooled from (segment-train.ts regionOverlap), per
   * label; `rectangles[k]` when label k's class takes regions as their bounding boxes. Null when it has no pixels.
   */
  heldOutOverlap(model: ModelRef, file: StoredFile, images: HeldOutImage[], labels: string[], rectangles: boolean[]): Promise<Overlap | null>;
  close(): Promise<void>;
}

// ---- the work itself, on whichever thread calls it

export async function validateNow(bytes: Uint8Array, metadata: unknown): Promise<ValidateAnswer> {
  try {
    const v = await validateModel(bytes, metadata);
    return { ok: true, metadata: v.metadata };
  } catch (err) {
    const e = err as Error & { extensions?: { fields?: FieldProblem[] } };
    const problems = e.extensions?.fields ?? [{ field: "model", message: e.message }];
    return { ok: false, message: e.message, problems };
  }
}

// A few loaded models per thread: a batch runs one model over many cases.
const loaded = new Map<string, Promise<LoadedModel>>();
const MAX_LOADED = 3;

async function modelFor(ref: ModelRef): Promise<LoadedModel> {
  let m = loaded.get(ref.sha256);
  if (m) {
    loaded.delete(ref.sha256);
    loaded.set(ref.sha256, m);
    return m;
  }
  m = bytesOf(ref).then((bytes) => openModel(bytes, ref.metadata));
  m.catch(() => loaded.delete(ref.sha256));
  loaded.set(ref.sha256, m);
  while (loaded.size > MAX_LOADED) {
    const [oldest, value] = loaded.entries().next().value!;
    loaded.delete(oldest);
    void value.then(closeModel).catch(() => undefined);
  }
  return m;
}

export async function inferNow(ref: ModelRef, file: StoredFile, options: InferOptions = {}): Promise<InferAnswer | null> {
  const frames = greyFrames(file.bytes, file.name);
  if (!frames) return null;
  return inferWith(await modelFor(ref), frames.frame(options.frame ?? 1), options.heatmapSize);
}

export async function scoreNow(ref: ModelRef, file: StoredFile): Promise<ScoreAnswer | null> {
  const frames = greyFrames(file.bytes, file.name);
  if (!frames) return null;
  const model = await modelFor(ref);
  const answer: ScoreAnswer = { frames: [] };
  for (let n = 1; n <= frames.count; n++) answer.frames.push((await infer(model, frames.frame(n))).predictions.map((p) => p.value));
  return answer;
}

export async function segmentNow(ref: ModelRef, file: StoredFile): Promise<SegmentAnswer | null> {
  const frames = greyFrames(file.bytes, file.name);
  if (!frames) return null;
  const model = await modelFor(ref);
  const answer: SegmentAnswer = { frames: [] };
  // One decoded frame at a time: a long cine or an enhanced CT never sits whole in memory as floats.
  for (let n = 1; n <= frames.count; n++) answer.frames.push({ frame: n, ...(await segment(model, frames.frame(n))) });
  return answer;
}

export function trainingImagesNow(file: StoredFile, size: number | null, frames?: number[]): GreyImage[] | null {
  const decoded = greyFrames(file.bytes, file.name);
  if (!decoded) return null;
  const wanted = frames ?? Array.from({ length: decoded.count }, (_, i) => i + 1);
  return wanted.map((n) => trainingSize(decoded.frame(n), size));
}

/** The image resampled to the training's input side; small images get a small model input. */
function trainingSize(image: GreyImage, size: number | null): GreyImage {
  const side = size ?? (Math.min(image.width, image.height) >= 128 ? 128 : 64);
  if (image.width === side && image.height === side) return image;
  return { ...image, width: side, height: side, data: Float32Array.from(resample(image, side, side)) };
}

/** Frames through the extractor this many at a time: a long multi-frame image is never held whole. */
const FEATURE_BATCH = 16;

export async function trainingFeaturesNow(file: StoredFile, size: number, normalisation: Normalisation): Promise<Float64Array[] | null> {
  const decoded = greyFrames(file.bytes, file.name);
  if (!decoded) return null;
  const out: Float64Array[] = [];
  for (let first = 1; first <= decoded.count; first += FEATURE_BATCH) {
    const batch: GreyImage[] = [];
    for (let n = first; n <= Math.min(decoded.count, first + FEATURE_BATCH - 1); n++) batch.push(trainingSize(decoded.frame(n), size));
    out.push(...(await pooledFeatures(batch, normalisation, size)));
  }
  return out;
}

/** The maps' size for an image: at most HEATMAP_SIDE on a side, never larger than the image. */
export function heatmapSizeOf(image: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, HEATMAP_SIDE / Math.max(image.width, image.height));
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

/** The model on a decoded image: outputs, and heatmaps kept as maps of at most HEATMAP_SIDE a side. */
export async function inferImage(ref: ModelRef, image: GreyImage): Promise<InferAnswer> {
  return inferWith(await modelFor(ref), image);
}

/** inferImage on a model already loaded; the maps at `size` when given. */
export async function inferWith(model: LoadedModel, image: GreyImage, size?: { width: number; height: number }): Promise<InferAnswer> {
  // Stored maps are made at their stored size, never at the image's.
  const { width, height } = size ?? heatmapSizeOf(image);
  const result = await infer(model, image, { heatmaps: true, heatmapSize: { width, height } });
  const outputs = result.predictions.map((p) => ({ label: p.label, value: p.value }));
  if (!result.heatmaps.length) return { outputs, method: result.method, width: 0, height: 0, heatmaps: null };
  const heatmaps = new Uint8Array(width * height * result.heatmaps.length);
  // infer() answers every method's maps at the size asked for.
  result.heatmaps.forEach((h, k) => quantise(h.values, heatmaps, k * width * height));
  return { outputs, method: result.method, width, height, heatmaps };
}

/**
 * A map's values as bytes from `offset`, rescaled so 255 is the map's own maximum after resampling
 * (bilinear samples can miss the peak); negative values count as 0; all zeros when nothing is positive.
 */
function quantise(values: Float32Array, into: Uint8Array, offset: number): void {
  const n = values.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v > max) max = v;
  }
  if (max <= 0) return;
  const scale = 255 / max;
  // Rounded half up, as Math.round would, without its call.
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    into[offset + i] = v > 0 ? (v * scale + 0.5) | 0 : 0;
  }
}

/** One image of a segmentation training: a frame (1-based) of a stored file, its readers' ROIs, and the key its cells are chosen by. */
export interface SegmentationImage {
  frame: number;
  readers: ReaderRegions[];
  key: string;
}

export async function segmentationCellsNow(file: StoredFile, images: SegmentationImage[], classes: number, normalisation: Normalisation, caps: CellCaps = CELL_CAPS): Promise<CellSamples | null> {
  const decoded = greyFrames(file.bytes, file.name);
  if (!decoded) return null;
  const parts: CellSamples[] = [];
  for (const im of images) parts.push(await imageCells(decoded.frame(im.frame), im.readers, classes, normalisation, im.key, caps));
  return parts.length ? concatCells(parts) : null;
}

export function pixelSumsNow(file: StoredFile, size: number, frames: number[]): PixelSums | null {
  const images = trainingImagesNow(file, size, frames);
  return images?.length ? addPixelSums(images) : null;
}

/** A held-out image of a segmentation training: a frame (1-based) and its readers' ROIs. */
export type HeldOutImage = Pick<SegmentationImage, "frame" | "readers">;

export async function heldOutOverlapNow(ref: ModelRef, file: StoredFile, images: HeldOutImage[], labels: string[], rectangles: boolean[]): Promise<Overlap | null> {
  const decoded = greyFrames(file.bytes, file.name);
  if (!decoded) return null;
  const model = await modelFor(ref);
  const tally = new DiceTally(labels.length);
  // Only the frames asked for: a long multi-frame image's others are not segmented.
  for (const im of images) tally.addOverlap(regionOverlap(await segment(model, decoded.frame(im.frame)), im.readers, labels, rectangles));
  return tally.overlap;
}

export async function trainSegmenterNow(cells: CellSamples, classes: string[], normalisation: Normalisation, minPixels: number, onProgress?: (percent: number) => void) {
  const fitted = fitSoftmax(cells, undefined, onProgress ? (f) => onProgress(f * 100) : undefined);
  return exportSegmenter(tuneOffsets(cells, fitted).head, classes, normalisation, minPixels);
}

export async function trainNow(cases: TrainingCase[], options: Omit<TrainOptions, "onProgress">, onProgress?: (percent: number) => void): Promise<TrainAnswer> {
  const trained = await trainLinearHead(cases, { ...options, ...(onProgress ? { onProgress } : {}) });
  const { bytes, metadata } = exportTrainedModel(trained);
  return { bytes, metadata, metrics: trained.metrics, trainCount: trained.trainIds.length, holdoutCount: trained.holdoutIds.length };
}

/** On the calling thread: for `concord worker` processes, whose only work is jobs. */
export const inProcessCompute: AiCompute = {
  validate: validateNow,
  trainingImages: async (file, size, frames) => trainingImagesNow(file, size, frames),
  pixelSums: async (file, size, frames) => pixelSumsNow(file, size, frames),
  trainingFeatures: trainingFeaturesNow,
  infer: inferNow,
  score: scoreNow,
  segment: segmentNow,
  train: trainNow,
  segmentationCells: segmentationCellsNow,
  trainSegmenter: trainSegmenterNow,
  heldOutOverlap: heldOutOverlapNow,
  close: async () => undefined,
};

/**
 * A model sent to a thread by its hash alone: the thread answers MODEL_NOT_LOADED unless it has it
 * loaded already, and only then are the ONNX bytes (tens to hundreds of MB) sent, instead of with
 * every image of every case.
 */
export type ModelKey = Omit<ModelRef, "bytes"> & { bytes?: Uint8Array };
export const MODEL_NOT_LOADED = "concord:model-not-loaded";

/** The model's work on this thread, or MODEL_NOT_LOADED when it came without bytes and is not loaded here. */
export function withLoadedModel<T>(model: ModelKey, work: (ref: ModelRef) => Promise<T>): Promise<T | typeof MODEL_NOT_LOADED> {
  if (!model.bytes && !loaded.has(model.sha256)) return Promise.resolve(MODEL_NOT_LOADED);
  // Loaded models are found by their hash: the bytes are read only to load one.
  return work({ ...model, bytes: model.bytes ?? new Uint8Array(0) });
}

export type ComputeTask =
  | { kind: "validate"; bytes: Uint8Array; metadata: unknown }
  | { kind: "infer"; model: ModelKey; file: StoredFile; options?: InferOptions }
  | { kind: "score"; model: ModelKey; file: StoredFile }
  | { kind: "segment"; model: ModelKey; file: StoredFile }
  | { kind: "trainingImages"; file: StoredFile; size: number | null; frames?: number[] }
  | { kind: "pixelSums"; file: StoredFile; size: number; frames: number[] }
  | { kind: "heldOutOverlap"; model: ModelKey; file: StoredFile; images: HeldOutImage[]; labels: string[]; rectangles: boolean[] }
  | { kind: "trainingFeatures"; file: StoredFile; size: number; normalisation: Normalisation }
  | { kind: "train"; cases: TrainingCase[]; options: Omit<TrainOptions, "onProgress">; progress: MessagePort }
  | { kind: "segmentationCells"; file: StoredFile; images: SegmentationImage[]; classes: number; normalisation: Normalisation; caps: CellCaps }
  | { kind: "trainSegmenter"; cells: CellSamples; classes: string[]; normalisation: Normalisation; minPixels: number; progress: MessagePort };

/** Work on a thread that reports its progress through a port of its own. */
async function withProgress<T>(onProgress: ((percent: number) => void) | undefined, work: (port: MessagePort) => Promise<T>): Promise<T> {
  const channel = new MessageChannel();
  channel.port1.on("message", (p: number) => onProgress?.(p));
  try {
    return await work(channel.port2);
  } finally {
    channel.port1.close();
  }
}

/** On worker threads, started on first use and ended when idle. From TypeScript sources (tests) the threads load through tsx. */
export function threadCompute(threads = 1): AiCompute {
  const pool = threadPool(__dirname, "ai.worker", threads);
  const run = (task: ComputeTask, transferList: unknown[] = []) => pool.run(task, transferList);
  /** The model by its hash first; with its bytes only when that thread has not loaded it. */
  const withModel = async (model: ModelRef, task: (m: ModelKey) => ComputeTask) => {
    const { bytes: _bytes, ...key } = model;
    const answer = await run(task(key));
    return answer === MODEL_NOT_LOADED ? run(task({ ...key, bytes: await bytesOf(model) })) : answer;
  };
  return {
    validate: (bytes, metadata) => run({ kind: "validate", bytes, metadata }) as Promise<ValidateAnswer>,
    trainingImages: (file, size, frames) => run({ kind: "trainingImages", file, size, ...(frames ? { frames } : {}) }) as Promise<GreyImage[] | null>,
    trainingFeatures: (file, size, normalisation) => run({ kind: "trainingFeatures", file, size, normalisation }) as Promise<Float64Array[] | null>,
    pixelSums: (file, size, frames) => run({ kind: "pixelSums", file, size, frames }) as Promise<PixelSums | null>,
    infer: (model, file, options) => withModel(model, (m) => ({ kind: "infer", model: m, file, ...(options ? { options } : {}) })) as Promise<InferAnswer | null>,
    score: (model, file) => withModel(model, (m) => ({ kind: "score", model: m, file })) as Promise<ScoreAnswer | null>,
    segment: (model, file) => withModel(model, (m) => ({ kind: "segment", model: m, file })) as Promise<SegmentAnswer | null>,
    heldOutOverlap: (model, file, images, labels, rectangles) =>
      withModel(model, (m) => ({ kind: "heldOutOverlap", model: m, file, images, labels, rectangles })) as Promise<Overlap | null>,
    train: (cases, options, onProgress) => withProgress(onProgress, (progress) => run({ kind: "train", cases, options, progress }, [progress as unknown as ArrayBuffer]) as Promise<TrainAnswer>),
    segmentationCells: (file, images, classes, normalisation, caps) => run({ kind: "segmentationCells", file, images, classes, normalisation, caps }) as Promise<CellSamples | null>,
    trainSegmenter: (cells, classes, normalisation, minPixels, onProgress) =>
      withProgress(onProgress, (progress) => run({ kind: "trainSegmenter", cells, classes, normalisation, minPixels, progress }, [progress as unknown as ArrayBuffer]) as Promise<{ bytes: Uint8Array; metadata: ModelMetadata }>),
    close: () => pool.close(),
  };
}
