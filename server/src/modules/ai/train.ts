import { createHash } from "node:crypto";
import { loadModel, run, type OnnxModel } from "../../platform/onnx/runtime.js";
import { fixedExtractor } from "./extractor.js";
import type { GreyImage, ModelMetadata, Normalisation } from "./metadata.js";
import { preprocess, seriesAggregateOf } from "./metadata.js";
import { buildClassifierModel, buildExtractorModel, FEATURES, HEAD_WEIGHTS, INPUT, POOLED, PROBABILITIES, VALUE, type LinearHead, type Task } from "./onnx-build.js";
import { HOLDOUT_PERCENT, isHeldOut } from "./holdout.js";
import { aggregateSlices } from "./series.js";

// Trains the linear head of the fixed-extractor model on a CPU: features once through
// onnxruntime, then L2 logistic regression per label (Newton's method, deterministic) or ridge
// regression, on standardised features folded back into the weights of the exported graph.
// A case of several images is a bag of them: the model reads each image alone and the case's
// output is their max (classification, multiple-instance learning) or mean (regression), as
// inference aggregates a series.

/**
 * A labelled case: its one image, or its several (a series' slices, a multi-frame image's frames),
 * each read by the model alone. A case of many images may come as their pooled features instead,
 * made beforehand by `pooledFeatures` with the training's `normalisation`, so its images need not
 * all be held at once.
 */
export type TrainingCase = {
  /** Stable id; without `heldOut`, the held-out split is a hash of it, so the same case always lands on the same side. */
  id: string;
  /** Held out to measure the model (a project's VALIDATION and TEST splits); when absent, by a hash of the id. */
  heldOut?: boolean;
  /** Per label: true/false (or 1/0) for classification, a number for regression; null/undefined when unknown. */
  labels: Record<string, boolean | number | null | undefined>;
} & ({ image: GreyImage } | { images: readonly GreyImage[] } | { pooled: readonly Float64Array[] });

export interface TrainOptions {
  task: Task;
  labels: string[];
  /** Square model input side (multiple of 64). Default 128. */
  size?: number;
  /** Percent of cases held out for metrics. Default 30. */
  holdoutPercent?: number;
  /**
   * L2 strength per training case, on standardised features (logistic and ridge). By default each
   * label's is chosen from L2_GRID by cross-validation on the training cases.
   */
  l2?: number;
  batchSize?: number;
  /**
   * The input normalisation; by default the mean and deviation of the training cases' pixels.
   * Required when a case comes as pooled features: they were made with it.
   */
  normalisation?: Normalisation;
  /** 0–100 as work completes. */
  onProgress?: (percent: number) => void;
}

export interface LabelMetrics {
  label: string;
  trainCount: number;
  holdoutCount: number;
  /** The L2 strength the label's head was fitted with (chosen by cross-validation unless given). */
  l2?: number;
  /** Where it was chosen by cross-validation: the mean validation loss of each strength of L2_GRID, in its order. */
  l2Losses?: number[];
  /** Classification: positives in each split and AUROC (null when a split has one class). */
  trainPositives?: number;
  holdoutPositives?: number;
  trainAuroc?: number | null;
  holdoutAuroc?: number | null;
  /** Regression, on the held-out split. */
  holdoutMae?: number | null;
  holdoutRmse?: number | null;
  holdoutR2?: number | null;
  /** Segmentation: Dice of the model's regions against the readers' consensus, pooled over the held-out images (null when neither has the class). */
  holdoutDice?: number | null;
}

export interface TrainedModel {
  task: Task;
  labels: string[];
  size: number;
  normalisation: Normalisation;
  head: LinearHead;
  metrics: LabelMetrics[];
  trainIds: string[];
  holdoutIds: string[];
}

/** Count, sum and sum of squares of pixel values on the [0,1] scale. */
export interface PixelSums {
  n: number;
  s: number;
  s2: number;
}

/** Adds the images' pixel values on the [0,1] scale to `into` (new sums by default). */
export function addPixelSums(images: readonly GreyImage[], into: PixelSums = { n: 0, s: 0, s2: 0 }): PixelSums {
  for (const im of images)
    for (let i = 0; i < im.data.length; i++) {
      const p = im.data[i]! / im.maxValue;
      into.s += p;
      into.s2 += p * p;
      into.n++;
    }
  return into;
}

/** Adds `more` to `into`: the sums of two sets of pixels. */
export function mergePixelSums(into: PixelSums, more: PixelSums): PixelSums {
  into.n += more.n;
  into.s += more.s;
  into.s2 += more.s2;
  return into;
}

/** The meanStd normalisation of pixels with these sums. */
export function meanStdOf(sums: PixelSums): Normalisation {
  if (!sums.n) throw new Error("no pixels to take the normalisation from");
  const mean = sums.s / sums.n;
  return { kind: "meanStd", mean, std: Math.sqrt(Math.max(sums.s2 / sums.n - mean * mean, 1e-12)) };
}

// One extractor per input size per thread, kept: a series' training reads it once per image.
const extractors = new Map<number, Promise<{ model: OnnxModel; features: number }>>();

function extractorFor(size: number): Promise<{ model: OnnxModel; features: number }> {
  let m = extractors.get(size);
  if (!m) {
    const spec = fixedExtractor(size);
    m = loadModel(buildExtractorModel(spec, { batch: "batch" })).then((model) => ({ model, features: spec.featureShape[0] }));
    m.catch(() => extractors.delete(size));
    extractors.set(size, m);
  }
  return m;
}

/** Pooled features [N][F] of each image, through onnxruntime in batches. */
export async function extractPooledFeatures(
  inputs: readonly Float32Array[],
  size: number,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<Float64Array[]> {
  const { model, features: f } = await extractorFor(size);
  const b = options.batchSize ?? 16;
  const out: Float64Array[] = [];
  for (let start = 0; start < inputs.length; start += b) {
    const chunk = inputs.slice(start, start + b);
    const data = new Float32Array(chunk.length * size * size);
    chunk.forEach((x, i) => data.set(x, i * size * size));
    const r = await run(model, { [INPUT]: { dims: [chunk.length, 1, size, size], data } }, [POOLED]);
    for (let i = 0; i < chunk.length; i++) out.push(Float64Array.from(r[POOLED]!.data.subarray(i * f, (i + 1) * f)));
    options.onProgress?.(out.length);
  }
  return out;
}

/** The images' pooled features as the trained model will see them: normalised, resized to size × size. */
export function pooledFeatures(
  images: readonly GreyImage[],
  normalisation: Normalisation,
  size: number,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<Float64Array[]> {
  const meta = { input: { name: INPUT, shape: [1, 1, size, size] as [1, 1, number, number], normalisation } };
  return extractPooledFeatures(
    images.map((im) => preprocess(im, meta)),
    size,
    options,
  );
}

const imagesOf = (c: TrainingCase): readonly GreyImage[] => ("image" in c ? [c.image] : "images" in c ? c.images : []);

export async function trainLinearHead(cases: readonly TrainingCase[], options: TrainOptions): Promise<TrainedModel> {
  const size = options.size ?? 128;
  const progress = options.onProgress ?? (() => {});
  const holdoutPercent = options.holdoutPercent ?? HOLDOUT_PERCENT;
  if (options.labels.length === 0) throw new Error("no labels to train");
  if (options.task === "binary" && options.labels.length !== 1) throw new Error("a binary model has exactly one label");
  for (const c of cases) if (!("pooled" in c ? c.pooled : imagesOf(c)).length) throw new Error(`case ${c.id} has no image`);
  if (!options.normalisation && cases.some((c) => "pooled" in c)) throw new Error("pooled features need the normalisation they were made with");
  const held = cases.map((c) => c.heldOut ?? isHeldOut(c.id, holdoutPercent));
  const trainCases = cases.filter((_, i) => !held[i]);
  if (trainCases.length < 2) throw new Error(`only ${trainCases.length} training cases after the held-out split`);
  progress(0);

  const normalisation = options.normalisation ?? meanStdOf(addPixelSums(trainCases.flatMap(imagesOf)));
  // Every case's images in one run of batches, then each case's bag of them.
  const images = cases.flatMap(imagesOf);
  const extracted = await pooledFeatures(images, normalisation, size, {
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    onProgress: (done) => progress(Math.round((done / images.length) * 80)),
  });
  let next = 0;
  const bags: Array<readonly Float64Array[]> = cases.map((c) => ("pooled" in c ? c.pooled : imagesOf(c).map(() => extracted[next++]!)));

  const f = bags[0]![0]!.length;
  const k = options.labels.length;
  const weights = new Float32Array(k * f);
  const bias = new Float32Array(k);
  const metrics: LabelMetrics[] = [];
  const chosen: Array<{ l2: number; losses: number[] | null }> = [];
  options.labels.forEach((label, li) => {
    const rows: number[] = [];
    const ys: number[] = [];
    cases.forEach((c, i) => {
      const v = c.labels[label];
      if (v === null || v === undefined || held[i]) return;
      rows.push(i);
      ys.push(Number(v));
    });
    const X = rows.map((i) => bags[i]!);
    // The label's share of 80–98 %, moving with the cross-validation's fits (minutes on a project of long series).
    const share = (part: number) => progress(80 + Math.round(((li + part) / k) * 18));
    const l2 =
      options.l2 === undefined
        ? crossValidatedL2(X, ys, rows.map((i) => cases[i]!.id), options.task, (done, of) => share(done / (of + 1)))
        : { l2: options.l2, losses: null };
    chosen.push(l2);
    const fit = fitHead(options.task, X, ys, l2.l2);
    weights.set(fit.w, li * f);
    bias[li] = fit.b;
    share(1);
  });
  const head: LinearHead = { task: options.task, weights, bias, labels: [...options.labels] };
  const trained: TrainedModel = {
    task: options.task,
    labels: [...options.labels],
    size,
    normalisation,
    head,
    metrics,
    trainIds: cases.filter((_, i) => !held[i]).map((c) => c.id),
    holdoutIds: cases.filter((_, i) => held[i]).map((c) => c.id),
  };
  const predictions = bags.map((bag) => predictCase(trained, bag));
  options.labels.forEach((label, li) => {
    const split = (wantHeld: boolean) => {
      const scores: number[] = [];
      const truth: number[] = [];
      cases.forEach((c, i) => {
        const v = c.labels[label];
        if (v === null || v === undefined || held[i] !== wantHeld) return;
        scores.push(predictions[i]![li]!);
        truth.push(Number(v));
      });
      return { scores, truth };
    };
    const tr = split(false);
    const ho = split(true);
    const { l2, losses } = chosen[li]!;
    const regularisation = { l2, ...(losses ? { l2Losses: losses } : {}) };
    if (options.task === "regression") {
      const err = ho.scores.map((s, i) => s - ho.truth[i]!);
      const n = err.length;
      const mean = ho.truth.reduce((a, b) => a + b, 0) / Math.max(n, 1);
      const ssTot = ho.truth.reduce((a, y) => a + (y - mean) ** 2, 0);
      const ssRes = err.reduce((a, e) => a + e * e, 0);
      metrics.push({
        label,
        trainCount: tr.truth.length,
        holdoutCount: n,
        ...regularisation,
        holdoutMae: n ? err.reduce((a, e) => a + Math.abs(e), 0) / n : null,
        holdoutRmse: n ? Math.sqrt(ssRes / n) : null,
        holdoutR2: n && ssTot > 0 ? 1 - ssRes / ssTot : null,
      });
    } else {
      const pos = (t: number[]) => t.filter((y) => y === 1).length;
      metrics.push({
        label,
        trainCount: tr.truth.length,
        holdoutCount: ho.truth.length,
        ...regularisation,
        trainPositives: pos(tr.truth),
        holdoutPositives: pos(ho.truth),
        trainAuroc: auroc(tr.scores, tr.truth),
        holdoutAuroc: auroc(ho.scores, ho.truth),
      });
    }
  });
  progress(100);
  return trained;
}

/** The L2 strengths cross-validation chooses among, per training case on standardised features. */
export const L2_GRID = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
/** The strength used where there are too few cases to cross-validate. */
const DEFAULT_L2 = 0.01;
const FOLDS = 5;

/** A case's cross-validation fold: a hash of its id, apart from the held-out split's. */
export function foldOf(caseId: string): number {
  return createHash("sha256").update(`fold:${caseId}`).digest().readUInt32BE(0) % FOLDS;
}

/** A label's head: logistic regression on the bags (multiple-instance) or ridge regression on their mean features. */
function fitHead(task: Task, X: readonly (readonly Float64Array[])[], ys: number[], l2: number): Fit {
  // A mean of linear outputs is the output of the mean: regression fits the bags' mean features.
  return task === "regression" ? ridge(X.map(meanFeatures), ys, l2) : milLogistic(X, ys, l2);
}

/**
 * The L2 strength of L2_GRID with the lowest mean validation loss over FOLDS folds of the training
 * cases (log loss of the case's probability for classification, squared error for regression);
 * of equal losses, the stronger. DEFAULT_L2 with fewer than two cases a fold.
 */
export function crossValidatedL2(
  X: readonly (readonly Float64Array[])[],
  ys: number[],
  ids: readonly string[],
  task: Task,
  onFit?: (done: number, of: number) => void,
): { l2: number; losses: number[] | null } {
  if (X.length < 2 * FOLDS) return { l2: DEFAULT_L2, losses: null };
  const folds = ids.map(foldOf);
  // Each fold's cases to fit on and to check, the same for every strength.
  const splits = Array.from({ length: FOLDS }, (_, k) => {
    const fitOn = X.flatMap((_, i) => (folds[i] === k ? [] : [i]));
    return { X: fitOn.map((i) => X[i]!), ys: fitOn.map((i) => ys[i]!), check: X.flatMap((_, i) => (folds[i] === k ? [i] : [])) };
  }).filter((s) => s.check.length && s.X.length >= 2);
  let fits = 0;
  const losses = L2_GRID.map((l2) => {
    let total = 0;
    let n = 0;
    for (const { X: fitX, ys: fitY, check } of splits) {
      const fit = fitHead(task, fitX, fitY, l2);
      onFit?.(++fits, L2_GRID.length * splits.length);
      for (const i of check) {
        total += caseLoss(task, fit, X[i]!, ys[i]!);
        n++;
      }
    }
    return total / Math.max(n, 1);
  });
  let best = 0;
  losses.forEach((loss, i) => {
    if (loss <= losses[best]!) best = i;
  });
  return { l2: L2_GRID[best]!, losses };
}

/** One case's loss under a fitted head: the log loss of its highest image's probability, or the squared error of its mean value. */
function caseLoss(task: Task, fit: Fit, bag: readonly Float64Array[], y: number): number {
  const logit = (x: Float64Array) => {
    let z = fit.b;
    for (let j = 0; j < x.length; j++) z += fit.w[j]! * x[j]!;
    return z;
  };
  if (task === "regression") return (logit(meanFeatures(bag)) - y) ** 2;
  const eta = Math.max(...bag.map(logit));
  // -log σ(η) for a positive, -log(1 - σ(η)) for a negative, without overflow.
  const t = y === 1 ? -eta : eta;
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/** The model's outputs for one image's pooled features, in float64: probabilities, or values for regression. */
export function predictPooled(trained: Pick<TrainedModel, "head">, pooled: ArrayLike<number>): number[] {
  const { weights, bias, task } = trained.head;
  const f = pooled.length;
  return Array.from(bias, (b, k) => {
    let z = b;
    for (let i = 0; i < f; i++) z += weights[k * f + i]! * pooled[i]!;
    return task === "regression" ? z : sigmoid(z);
  });
}

/** The model's outputs for a case's images' pooled features, aggregated over them as inference does a series'. */
export function predictCase(trained: Pick<TrainedModel, "head">, bag: readonly ArrayLike<number>[]): number[] {
  const values = bag.map((pooled) => predictPooled(trained, pooled));
  if (values.length === 1) return values[0]!;
  return aggregateSlices(values, seriesAggregateOf(trained.head)).map((o) => o.value);
}

/** The trained model as ONNX bytes and the metadata that validates against them. */
export function exportTrainedModel(trained: TrainedModel): { bytes: Uint8Array; metadata: ModelMetadata } {
  const spec = fixedExtractor(trained.size);
  const bytes = buildClassifierModel(spec, trained.head, { docString: `Concord fixed-extractor model; labels: ${trained.labels.join(", ")}` });
  const metadata: ModelMetadata = {
    input: { name: INPUT, shape: [1, 1, trained.size, trained.size], normalisation: trained.normalisation },
    task: trained.task,
    output: { name: trained.task === "regression" ? VALUE : PROBABILITIES, labels: [...trained.labels] },
    cam: { featureMap: FEATURES, weightsInitializer: HEAD_WEIGHTS },
    // Said outright: the head was fitted to this aggregate over a case's images.
    series: { aggregate: seriesAggregateOf(trained) },
  };
  return { bytes, metadata };
}

/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
 * scores above a random negative, ties counting one half. Null when either class is absent.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): number | null {
  const n = scores.length;
  if (labels.length !== n) throw new Error("scores and labels differ in length");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Mid-ranks: tied scores share the average of the ranks they span.
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = mid;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++)
    if (Number(labels[i]) === 1) {
      pos++;
      rankSum += ranks[i]!;
    }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

interface Fit {
  w: Float32Array;
  b: number;
}

const SD_FLOOR = 0.01;

/** Column means and standard deviations; constant columns get sd 0 and weight 0. */
function standardise(X: Float64Array[]): { mean: Float64Array; sd: Float64Array; Z: Float64Array[] } {
  const n = X.length;
  const f = X[0]!.length;
  const mean = new Float64Array(f);
  const sd = new Float64Array(f);
  for (const x of X) for (let j = 0; j < f; j++) mean[j]! += x[j]! / n;
  for (const x of X) for (let j = 0; j < f; j++) sd[j]! += (x[j]! - mean[j]!) ** 2 / n;
  // A channel that barely varies would get a huge weight from a tiny difference; floor its scale.
  for (let j = 0; j < f; j++) sd[j] = Math.sqrt(sd[j]!) > 1e-9 ? Math.max(Math.sqrt(sd[j]!), SD_FLOOR) : 0;
  const Z = X.map((x) => x.map((v, j) => (sd[j]! > 0 ? (v - mean[j]!) / sd[j]! : 0)));
  return { mean, sd, Z };
}

/** Weights on standardised features back onto raw features: w/sd, and the bias absorbs the means. */
function fold(wz: Float64Array, bz: number, mean: Float64Array, sd: Float64Array): Fit {
  const w = new Float32Array(wz.length);
  let b = bz;
  for (let j = 0; j < wz.length; j++) {
    if (sd[j]! === 0) continue;
    w[j] = wz[j]! / sd[j]!;
    b -= (wz[j]! * mean[j]!) / sd[j]!;
  }
  return { w, b };
}

/** L2-penalised logistic regression by Newton's method (the bias is not penalised). */
export function logistic(X: Float64Array[], y: number[], l2: number): Fit {
  const f = X[0]?.length ?? 0;
  if (X.length === 0) return { w: new Float32Array(f), b: 0 };
  const { mean, sd, Z } = standardise(X);
  const beta = newton(() => Z, y, l2 * Z.length, priorStart(y, f));
  return fold(beta.subarray(0, f), beta[f]!, mean, sd);
}

/**
 * L2-penalised logistic regression on bags of instances (a case's images) labelled as a whole:
 * multiple-instance learning, where a bag's logit is its highest instance's, as inference takes
 * the max over a case's images. It starts from the fit on each bag's mean features, then takes
 * Newton steps on each bag's highest instance (its witness under the current weights), each step
 * halved until the max-pooled loss falls: the loss never rises. Bags of one instance are plain
 * logistic regression.
 */
export function milLogistic(bags: readonly (readonly Float64Array[])[], y: number[], l2: number): Fit {
  if (bags.every((b) => b.length === 1)) return logistic(bags.map((b) => b[0]!), y, l2);
  const { mean, sd, Z: flat } = standardise(bags.flat());
  const f = mean.length;
  const lambda = l2 * bags.length;
  const Zb: Float64Array[][] = [];
  for (let i = 0, at = 0; i < bags.length; at += bags[i]!.length, i++) Zb.push(flat.slice(at, at + bags[i]!.length));
  const means = Zb.map(meanFeatures);
  const start = newton(() => means, y, lambda, priorStart(y, f));
  const beta = newton((b) => witnesses(Zb, b), y, lambda, start, { stall: 1e-6, maxHalvings: 20 });
  return fold(beta.subarray(0, f), beta[f]!, mean, sd);
}

/** No weights, and the bias at the labels' log-odds. */
function priorStart(y: number[], f: number): Float64Array {
  const beta = new Float64Array(f + 1);
  const prior = y.reduce((a, b) => a + b, 0) / Math.max(y.length, 1);
  beta[f] = Math.log(Math.max(prior, 1e-6) / Math.max(1 - prior, 1e-6));
  return beta;
}

/** Each bag's instance with the highest logit under beta (the first of ties). */
function witnesses(bags: readonly (readonly Float64Array[])[], beta: Float64Array): Float64Array[] {
  const f = beta.length - 1;
  return bags.map((bag) => {
    let best = bag[0]!;
    let top = -Infinity;
    for (const z of bag) {
      let eta = beta[f]!;
      for (let j = 0; j < f; j++) eta += beta[j]! * z[j]!;
      if (eta > top) {
        top = eta;
        best = z;
      }
    }
    return best;
  });
}

/** The column means of a bag's rows. */
function meanFeatures(bag: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(bag[0]!.length);
  for (const x of bag) for (let j = 0; j < out.length; j++) out[j]! += x[j]! / bag.length;
  return out;
}

/**
 * Damped Newton's method on the penalised logistic loss of the rows `rowsAt(beta)` gives (fixed
 * rows for plain logistic regression; each bag's witness for multiple-instance learning), from
 * `beta` (weights then bias, on standardised features). Each step is halved until that loss,
 * with the rows taken afresh at the new point, falls.
 */
interface NewtonOptions {
  /**
   * Stop once an iteration lowers the loss by less than this share of it, or cannot lower it at
   * all. For multiple-instance learning, whose loss has a kink wherever a bag's witness changes:
   * there Newton's steps shrink without end, each halving a pass over every instance.
   */
  stall?: number;
  /** Halvings of a step before it is taken anyway (or, with `stall`, the fit ends). Default 40. */
  maxHalvings?: number;
}

function newton(rowsAt: (beta: Float64Array) => Float64Array[], y: number[], lambda: number, start: Float64Array, options: NewtonOptions = {}): Float64Array {
  const maxHalvings = options.maxHalvings ?? 40;
  const beta = Float64Array.from(start);
  const d = beta.length;
  const f = d - 1;
  const n = y.length;
  const lossAt = (b: Float64Array) => penalisedLoss(rowsAt(b), y, b, lambda);
  for (let iter = 0; iter < 100; iter++) {
    const Z = rowsAt(beta);
    const grad = new Float64Array(d);
    const hess = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const z = Z[i]!;
      let eta = beta[f]!;
      for (let j = 0; j < f; j++) eta += beta[j]! * z[j]!;
      const p = sigmoid(eta);
      const r = p - y[i]!;
      const s = Math.max(p * (1 - p), 1e-10);
      for (let a = 0; a < d; a++) {
        const za = a === f ? 1 : z[a]!;
        grad[a]! += r * za;
        for (let b2 = a; b2 < d; b2++) hess[a * d + b2]! += s * za * (b2 === f ? 1 : z[b2]!);
      }
    }
    for (let a = 0; a < f; a++) {
      grad[a]! += lambda * beta[a]!;
      hess[a * d + a]! += lambda;
    }
    hess[f * d + f]! += 1e-9;
    for (let a = 0; a < d; a++) for (let b2 = 0; b2 < a; b2++) hess[a * d + b2] = hess[b2 * d + a]!;
    const step = solveSymmetric(hess, grad, d);
    // Damped: on (nearly) separable labels the Hessian vanishes as p saturates and a full Newton
    // step flies off (a bias of -1e9, every prediction 0). Halve the step until the penalised loss falls.
    const before = penalisedLoss(Z, y, beta, lambda);
    let t = 1;
    const trial = new Float64Array(d);
    let after = Infinity;
    for (let halvings = 0; ; halvings++) {
      for (let a = 0; a < d; a++) trial[a] = beta[a]! - t * step[a]!;
      after = lossAt(trial);
      if (after <= before + 1e-12 || halvings >= maxHalvings) break;
      t /= 2;
    }
    if (options.stall !== undefined) {
      if (!(after <= before + 1e-12)) break;
      beta.set(trial);
      if (before - after < options.stall * Math.max(1, before)) break;
      continue;
    }
    let size = 0;
    for (let a = 0; a < d; a++) {
      size = Math.max(size, Math.abs(trial[a]! - beta[a]!));
      beta[a] = trial[a]!;
    }
    if (size < 1e-9) break;
  }
  return beta;
}

/** The negative log-likelihood plus the L2 penalty (bias unpenalised), computed stably. */
function penalisedLoss(Z: Float64Array[], y: number[], beta: Float64Array, lambda: number): number {
  const f = beta.length - 1;
  let loss = 0;
  for (let i = 0; i < Z.length; i++) {
    const z = Z[i]!;
    let eta = beta[f]!;
    for (let j = 0; j < f; j++) eta += beta[j]! * z[j]!;
    // log(1 + e^eta) - y·eta, without overflow.
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - y[i]! * eta;
  }
  let penalty = 0;
  for (let j = 0; j < f; j++) penalty += beta[j]! * beta[j]!;
  return loss + (lambda / 2) * penalty;
}

/** Ridge regression on standardised features, closed form. */
function ridge(X: Float64Array[], y: number[], l2: number): Fit {
  const f = X[0]?.length ?? 0;
  if (X.length === 0) return { w: new Float32Array(f), b: 0 };
  const { mean, sd, Z } = standardise(X);
  const n = Z.length;
  const ym = y.reduce((a, b) => a + b, 0) / n;
  const A = new Float64Array(f * f);
  const rhs = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    const z = Z[i]!;
    for (let a = 0; a < f; a++) {
      rhs[a]! += z[a]! * (y[i]! - ym);
      for (let b2 = 0; b2 < f; b2++) A[a * f + b2]! += z[a]! * z[b2]!;
    }
  }
  for (let a = 0; a < f; a++) A[a * f + a]! += l2 * n + 1e-9;
  return fold(solveSymmetric(A, rhs, f), ym, mean, sd);
}

/** Solves A x = b for symmetric positive definite A (Cholesky). */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * n + j]!;
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}
