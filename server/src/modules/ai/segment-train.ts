import { createHash } from "node:crypto";
import { loadModel, run, type OnnxModel } from "../../platform/onnx/runtime.js";
import { boundingBox } from "../annotations/geometry.js";
import { fillPolygon } from "../exports/dicom/raster.js";
import { closedOutline } from "../exports/dicom/sr.js";
import type { Point } from "../exports/dicom/types.js";
import { brightBlob, derivative, gaussian, KERNEL, ridge, scale, type ExtractorLayer, type ExtractorSpec } from "./extractor.js";
import type { GreyImage, ModelMetadata, Normalisation } from "./metadata.js";
import { preprocess } from "./metadata.js";
import { buildExtractorModel, buildFeatureSegmenter, FEATURES, INPUT, SCORES } from "./onnx-build.js";
import type { Segmentation } from "./segment.js";

// A segmentation model trained from the project's own ROIs, on a CPU in seconds, as ilastik's
// pixel classifier is: fixed per-pixel filters (intensity at several smoothings, blobs, edges and
// ridges at two or three scales, each also averaged over its surroundings, soft position) on a
// 64 × 64 grid of the image, and a softmax regression over them, background first, fitted to the
// share of the image's readers whose ROIs of each class cover each cell. The exported ONNX is the
// filters and the head: inference's segmentation path (segment.ts) resamples its scores to the
// image and takes the arg max.

/** The model's square input side, and the side of its score grid. */
export const SEGMENTER_SIZE = 256;
export const SEGMENTER_GRID = 64;
/** ROIs are rasterised this many times finer than the grid, so a cell's target is the share of it covered. */
const SUPERSAMPLE = 4;
/** Per image: every cell a reader marked (at most `marked`, else a random share of them), and `background` of the rest. */
export interface CellCaps {
  marked: number;
  background: number;
}
export const CELL_CAPS: CellCaps = { marked: 512, background: 128 };
/** At most about this many cells in all (some 130 MB of features): a training of many images takes fewer of each. */
export const MAX_TRAINING_CELLS = 400_000;

/** The caps per image for a training of `images` images: CELL_CAPS, scaled down to keep within MAX_TRAINING_CELLS. */
export function cellCaps(images: number): CellCaps {
  const scale = Math.min(1, MAX_TRAINING_CELLS / (Math.max(1, images) * (CELL_CAPS.marked + CELL_CAPS.background)));
  return { marked: Math.max(16, Math.floor(CELL_CAPS.marked * scale)), background: Math.max(8, Math.floor(CELL_CAPS.background * scale)) };
}
/** The context filters' Gaussian, in grid cells (its 9 × 9 kernel reaches 4 cells out). */
const CONTEXT_SIGMA = 3;
/** L2 strength on the standardised features, per unit of (weighted) cell: the cells are many, so it only keeps the fit finite. */
export const SEGMENTER_L2 = 1e-3;

/** One reader's ROIs on one image, each a closed outline in image pixel coordinates, by class index (0-based). */
export type ReaderRegions = ReadonlyArray<{ cls: number; outline: readonly Point[] }>;

/** The per-cell filters for a square input of `size` (a multiple of the grid). */
export function pixelFeatureSpec(size = SEGMENTER_SIZE): ExtractorSpec {
  const grid = SEGMENTER_GRID;
  if (!Number.isInteger(size) || size < grid || size % grid !== 0) throw new Error(`segmenter input size must be a multiple of ${grid}, got ${size}`);
  const layers: ExtractorLayer[] = [];
  if (size > grid) layers.push({ op: "avgpool", kernel: size / grid });
  const zero = new Float64Array(KERNEL * KERNEL);
  const filters: Array<{ name: string; k: Float64Array; bias: number }> = [{ name: "one", k: zero, bias: 1 }];
  const levels = (name: string, k: Float64Array, ts: number[]) => ts.forEach((t) => filters.push({ name: `${name}>${t}`, k, bias: -t }));
  // Intensity as a piecewise-linear function of the (normalised) value, at three smoothings: the
  // widest sees the region around a cell, not only the cell.
  levels("grey-1", gaussian(1), [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]);
  filters.push({ name: "grey-1<-1", k: scale(gaussian(1), -1), bias: -1 });
  levels("grey-2.5", gaussian(2.5), [-1, 0, 1]);
  levels("grey-4", gaussian(4), [-1, 0, 1]);
  for (const s of [1.2, 2, 3]) filters.push({ name: `blob-${s}`, k: brightBlob(s), bias: 0 }, { name: `dark-blob-${s}`, k: scale(brightBlob(s), -1), bias: 0 });
  for (const s of [1, 2])
    for (const axis of ["x", "y"] as const) {
      const d = derivative(s, axis);
      filters.push({ name: `edge+${axis}-${s}`, k: d, bias: 0 }, { name: `edge-${axis}-${s}`, k: scale(d, -1), bias: 0 });
    }
  for (const along of ["h", "v"] as const) filters.push({ name: `ridge-${along}`, k: ridge(1, along), bias: 0 }, { name: `valley-${along}`, k: scale(ridge(1, along), -1), bias: 0 });
  const c1 = filters.length;
  const w1 = new Float32Array(c1 * KERNEL * KERNEL);
  filters.forEach((f, i) => w1.set(f.k, i * KERNEL * KERNEL));
  layers.push({ op: "conv", weight: w1, shape: [c1, 1, KERNEL, KERNEL], bias: Float32Array.from(filters.map((f) => f.bias)), pad: (KERNEL - 1) / 2 });
  layers.push({ op: "relu" });

  // Each filter's answer around the cell too (a Gaussian of 3 cells, one channel at a time): what
  // surrounds a pixel tells a region from a speck of the same grey.
  const delta = new Float64Array(KERNEL * KERNEL);
  delta[(KERNEL * KERNEL - 1) / 2] = 1;
  const around = gaussian(CONTEXT_SIGMA);
  const w2 = new Float32Array(2 * c1 * KERNEL * KERNEL);
  for (let c = 0; c < c1; c++) {
    w2.set(delta, 2 * c * KERNEL * KERNEL);
    w2.set(around, (2 * c + 1) * KERNEL * KERNEL);
  }
  layers.push({ op: "conv", weight: w2, shape: [2 * c1, 1, KERNEL, KERNEL], bias: null, pad: (KERNEL - 1) / 2, group: c1 });
  const c2 = 2 * c1;
  const names = filters.flatMap((x) => [x.name, `${x.name}~around`]);

  // Those, then copies of "one" that the position maps multiply: where a cell is (a heart is in
  // the middle and low, lungs either side) is half of what a segmentation knows.
  const positions = positionMaps(grid);
  const f = c2 + positions.length;
  const copy = new Float32Array(f * c2);
  for (let o = 0; o < c2; o++) copy[o * c2 + o] = 1;
  for (let p = 0; p < positions.length; p++) copy[(c2 + p) * c2] = 1;
  layers.push({ op: "conv", weight: copy, shape: [f, c2, 1, 1], bias: null, pad: 0 });
  const maps = new Float32Array(f * grid * grid).fill(1);
  positions.forEach((p, i) => maps.set(p.values, (c2 + i) * grid * grid));
  layers.push({ op: "mul", tensor: maps, shape: [1, f, grid, grid] });
  return { size, layers, featureShape: [f, grid, grid], channelNames: [...names, ...positions.map((p) => p.name)] };
}

/** Smooth functions of the cell's place: across, down, their squares about the centre, and a 3 × 3 grid of bumps. */
function positionMaps(grid: number): Array<{ name: string; values: Float32Array }> {
  const make = (name: string, fn: (u: number, v: number) => number) => {
    const values = new Float32Array(grid * grid);
    for (let i = 0; i < grid; i++) for (let j = 0; j < grid; j++) values[i * grid + j] = fn((j + 0.5) / grid, (i + 0.5) / grid);
    return { name, values };
  };
  const maps = [make("x", (u) => u), make("y", (_u, v) => v), make("x²", (u) => (u - 0.5) ** 2), make("y²", (_u, v) => (v - 0.5) ** 2)];
  for (const cy of [1 / 6, 1 / 2, 5 / 6])
    for (const cx of [1 / 6, 1 / 2, 5 / 6]) maps.push(make(`bump(${cx.toFixed(2)},${cy.toFixed(2)})`, (u, v) => Math.exp(-((u - cx) ** 2 + (v - cy) ** 2) / (2 * 0.2 ** 2))));
  return maps;
}

// One feature model per thread, kept: a training reads it once per image.
let featureModel: Promise<{ model: OnnxModel; features: number }> | null = null;

function featuresModel(): Promise<{ model: OnnxModel; features: number }> {
  if (!featureModel) {
    const spec = pixelFeatureSpec();
    featureModel = loadModel(buildExtractorModel(spec, { batch: "batch" })).then((model) => ({ model, features: spec.featureShape[0] }));
    featureModel.catch(() => (featureModel = null));
  }
  return featureModel;
}

/** The feature map [F, G, G] of the image as the trained model will see it (normalised, resized to the input). */
export async function pixelFeatures(image: GreyImage, normalisation: Normalisation): Promise<{ features: number; data: Float32Array }> {
  const { model, features } = await featuresModel();
  const size = SEGMENTER_SIZE;
  const input = preprocess(image, { input: { name: INPUT, shape: [1, 1, size, size], normalisation } });
  const r = await run(model, { [INPUT]: { dims: [1, 1, size, size], data: input } }, [FEATURES]);
  return { features, data: Float32Array.from(r[FEATURES]!.data) };
}

/**
 * Per class, the share of the image's readers whose ROIs of that class cover each cell of the
 * grid, each cell's cover measured on a raster SUPERSAMPLE times finer: [classes, grid, grid]. A
 * reader's ROIs of one class count once where they overlap. Every reader of the image counts,
 * those who drew nothing on it too (they saw nothing there).
 */
export function coverage(readers: readonly ReaderRegions[], width: number, height: number, classes: number, grid = SEGMENTER_GRID): Float32Array {
  const side = grid * SUPERSAMPLE;
  const out = new Float32Array(classes * grid * grid);
  if (!readers.length) return out;
  const sx = side / width;
  const sy = side / height;
  const share = 1 / (readers.length * SUPERSAMPLE * SUPERSAMPLE);
  for (const regions of readers)
    for (let c = 0; c < classes; c++) {
      const mine = regions.filter((r) => r.cls === c);
      if (!mine.length) continue;
      const mask = outlineMask(mine.map((r) => r.outline), side, side, sx, sy);
      const plane = c * grid * grid;
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) if (mask[y * side + x]) out[plane + ((y / SUPERSAMPLE) | 0) * grid + ((x / SUPERSAMPLE) | 0)]! += share;
    }
  return out;
}

/** Cells of images: features row by row, targets (background first, summing to 1) and weights. */
export interface CellSamples {
  features: number;
  classes: number;
  rows: number;
  /** rows × features. */
  x: Float32Array;
  /** rows × (classes + 1): the background's share, then each class's. */
  t: Float32Array;
  /** How many cells of its image each row stands for. */
  w: Float32Array;
}

/**
 * The cells a training learns from on one image: every cell some reader marked (a random share of
 * them past caps.marked) and caps.background of the others, chosen by a generator seeded from
 * `key` (the same image always gives the same cells), each weighted by the cells it stands for,
 * so the fit sees the image's true share of background.
 */
export function sampleCells(features: { features: number; data: Float32Array }, cover: Float32Array, classes: number, key: string, caps: CellCaps = CELL_CAPS, grid = SEGMENTER_GRID): CellSamples {
  const cells = grid * grid;
  const f = features.features;
  if (features.data.length !== f * cells) throw new Error(`feature map has ${features.data.length} values, expected ${f}×${grid}×${grid}`);
  const marked: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < cells; i++) {
    let s = 0;
    for (let c = 0; c < classes; c++) s += cover[c * cells + i]!;
    (s > 0 ? marked : rest).push(i);
  }
  const random = seeded(key);
  const pick = (from: number[], n: number) => {
    if (from.length <= n) return from;
    // A partial Fisher–Yates shuffle: n cells, each equally likely.
    const a = [...from];
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (a.length - i));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.slice(0, n);
  };
  const groups = [
    { cells: pick(marked, caps.marked), of: marked.length },
    { cells: pick(rest, caps.background), of: rest.length },
  ];
  const rows = groups.reduce((n, g) => n + g.cells.length, 0);
  const k = classes + 1;
  const out: CellSamples = { features: f, classes, rows, x: new Float32Array(rows * f), t: new Float32Array(rows * k), w: new Float32Array(rows) };
  let r = 0;
  for (const g of groups)
    for (const i of g.cells) {
      for (let j = 0; j < f; j++) out.x[r * f + j] = features.data[j * cells + i]!;
      let s = 0;
      for (let c = 0; c < classes; c++) s += cover[c * cells + i]!;
      // Classes of different readers may overlap a cell: shares past 1 are scaled down.
      const norm = s > 1 ? 1 / s : 1;
      for (let c = 0; c < classes; c++) out.t[r * k + 1 + c] = cover[c * cells + i]! * norm;
      out.t[r * k] = Math.max(0, 1 - s * norm);
      out.w[r] = g.of / g.cells.length;
      r++;
    }
  return out;
}

/** The image's cells for training: its features, its readers' cover, the sample. */
export async function imageCells(image: GreyImage, readers: readonly ReaderRegions[], classes: number, normalisation: Normalisation, key: string, caps: CellCaps = CELL_CAPS): Promise<CellSamples> {
  const features = await pixelFeatures(image, normalisation);
  return sampleCells(features, coverage(readers, image.width, image.height, classes), classes, key, caps);
}

/** Several images' samples as one. */
export function concatCells(parts: readonly CellSamples[]): CellSamples {
  const first = parts[0];
  if (!first) throw new Error("no cells to train on");
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const f = first.features;
  const k = first.classes + 1;
  const out: CellSamples = { features: f, classes: first.classes, rows, x: new Float32Array(rows * f), t: new Float32Array(rows * k), w: new Float32Array(rows) };
  let r = 0;
  for (const p of parts) {
    if (p.features !== f || p.classes !== first.classes) throw new Error("cell samples of different shapes");
    out.x.set(p.x, r * f);
    out.t.set(p.t, r * k);
    out.w.set(p.w, r);
    r += p.rows;
  }
  return out;
}

/** A softmax head [K, F] and [K] on the raw features (background first). */
export interface SoftmaxHead {
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * Softmax regression on the cells, to their (soft) targets, each cell weighted: the weighted mean
 * cross-entropy plus l2/2 times the squared weights (biases free), on standardised features, by
 * L-BFGS. The loss is convex, so where it ends does not depend on where it starts. The result is
 * folded back to the raw features.
 */
export function fitSoftmax(cells: CellSamples, l2 = SEGMENTER_L2, onProgress?: (fraction: number) => void): SoftmaxHead {
  const { rows: n, features: f } = cells;
  const k = cells.classes + 1;
  if (!n) throw new Error("no cells to train on");
  let total = 0;
  for (let i = 0; i < n; i++) total += cells.w[i]!;
  const mean = new Float64Array(f);
  const sd = new Float64Array(f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j]! += (cells.w[i]! * cells.x[i * f + j]!) / total;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      const d = cells.x[i * f + j]! - mean[j]!;
      sd[j]! += (cells.w[i]! * d * d) / total;
    }
  for (let j = 0; j < f; j++) sd[j] = Math.sqrt(sd[j]!) > 1e-6 ? Math.sqrt(sd[j]!) : 1;
  const z = new Float64Array(n * f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) z[i * f + j] = (cells.x[i * f + j]! - mean[j]!) / sd[j]!;
  const d = k * (f + 1);
  const eta = new Float64Array(k);
  // θ = [W (k × f), b (k)].
  const lossAndGradient = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let e = theta[k * f + c]!;
        for (let j = 0; j < f; j++) e += theta[c * f + j]! * z[i * f + j]!;
        eta[c] = e;
        if (e > max) max = e;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(eta[c]! - max);
      const lse = max + Math.log(sum);
      const w = cells.w[i]! / total;
      for (let c = 0; c < k; c++) {
        const t = cells.t[i * k + c]!;
        loss += w * t * (lse - eta[c]!);
        const r = w * (Math.exp(eta[c]! - lse) - t);
        if (r === 0) continue;
        for (let j = 0; j < f; j++) grad[c * f + j]! += r * z[i * f + j]!;
        grad[k * f + c]! += r;
      }
    }
    for (let a = 0; a < k * f; a++) {
      loss += (l2 / 2) * theta[a]! * theta[a]!;
      grad[a]! += l2 * theta[a]!;
    }
    return loss;
  };
  const theta = lbfgs(lossAndGradient, new Float64Array(d), { onProgress });
  const weights = new Float32Array(k * f);
  const bias = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    let b = theta[k * f + c]!;
    for (let j = 0; j < f; j++) {
      weights[c * f + j] = theta[c * f + j]! / sd[j]!;
      b -= (theta[c * f + j]! * mean[j]!) / sd[j]!;
    }
    bias[c] = b;
  }
  return { weights, bias };
}

/** The logit offsets a class's decision is tried with: from a little stricter to much more eager. */
const OFFSETS = Array.from({ length: 41 }, (_, i) => -2 + i * 0.25);

/**
 * Each class's logit offset that gives the best Dice on the cells, the cells' weights standing
 * for whole images: the softmax is calibrated to how rare a class's pixels are, so its arg max
 * can leave a rare or hard class out everywhere (a Dice of 0) where readers want a region
 * suggested. Classes are tuned one at a time, the others' offsets as found so far; of equal Dice
 * the offset nearest 0 is kept. Returns the offsets (background's is 0) and the head with them in
 * its biases.
 */
export function tuneOffsets(cells: CellSamples, head: SoftmaxHead): { head: SoftmaxHead; offsets: number[]; dice: Array<number | null> } {
  const { rows: n, features: f } = cells;
  const k = cells.classes + 1;
  const logits = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let e = head.bias[c]!;
      for (let j = 0; j < f; j++) e += head.weights[c * f + j]! * cells.x[i * f + j]!;
      logits[i * k + c] = e;
    }
  const offsets = new Array<number>(k).fill(0);
  const decide = (i: number) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[i * k + c]! + offsets[c]! > logits[i * k + best]! + offsets[best]!) best = c;
    return best;
  };
  const diceOf = (c: number): number | null => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      const w = cells.w[i]!;
      const t = cells.t[i * k + c]!;
      if (decide(i) === c) {
        tp += w * t;
        fp += w * (1 - t);
      } else fn += w * t;
    }
    return tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null;
  };
  const dice: Array<number | null> = [];
  for (let c = 1; c < k; c++) {
    let best = { offset: 0, dice: diceOf(c) ?? 0 };
    for (const o of OFFSETS) {
      offsets[c] = o;
      const d = diceOf(c) ?? 0;
      if (d > best.dice + 1e-12 || (Math.abs(d - best.dice) <= 1e-12 && Math.abs(o) < Math.abs(best.offset))) best = { offset: o, dice: d };
    }
    offsets[c] = best.offset;
  }
  for (let c = 1; c < k; c++) dice.push(diceOf(c));
  const bias = Float32Array.from(head.bias, (b, c) => b + offsets[c]!);
  return { head: { weights: head.weights, bias }, offsets, dice };
}

const MAX_ITERATIONS = 300;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking line search on
 * the sufficient-decrease condition; stops when the gradient's largest component or the loss's
 * relative change becomes negligible. For smooth convex losses.
 */
export function lbfgs(
  fg: (x: Float64Array, grad: Float64Array) => number,
  start: Float64Array,
  options: { memory?: number; maxIterations?: number; onProgress?: ((fraction: number) => void) | undefined } = {},
): Float64Array {
  const m = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const d = start.length;
  const x = Float64Array.from(start);
  const g = new Float64Array(d);
  let fx = fg(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rhos: number[] = [];
  const dir = new Float64Array(d);
  const xNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += a[i]! * b[i]!;
    return s;
  };
  for (let iter = 0; iter < maxIterations; iter++) {
    let gmax = 0;
    for (let i = 0; i < d; i++) gmax = Math.max(gmax, Math.abs(g[i]!));
    if (gmax < 1e-7) break;
    // Two-loop recursion: dir = -H·g.
    for (let i = 0; i < d; i++) dir[i] = -g[i]!;
    const alphas: number[] = [];
    for (let h = ss.length - 1; h >= 0; h--) {
      const a = rhos[h]! * dot(ss[h]!, dir);
      alphas[h] = a;
      for (let i = 0; i < d; i++) dir[i]! -= a * ys[h]![i]!;
    }
    const last = ss.length - 1;
    const gamma = last >= 0 ? dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!) : 1 / Math.max(1, gmax);
    for (let i = 0; i < d; i++) dir[i]! *= gamma;
    for (let h = 0; h < ss.length; h++) {
      const b = rhos[h]! * dot(ys[h]!, dir);
      for (let i = 0; i < d; i++) dir[i]! += (alphas[h]! - b) * ss[h]![i]!;
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost to rounding): start again from the gradient.
      ss.length = ys.length = rhos.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i]! / Math.max(1, gmax);
      slope = dot(g, dir);
    }
    let step = 1;
    let fNew = Infinity;
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = fg(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew < fx)) break;
    const s = new Float64Array(d);
    const y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      ss.push(s);
      ys.push(y);
      rhos.push(1 / sy);
      if (ss.length > m) {
        ss.shift();
        ys.shift();
        rhos.shift();
      }
    }
    const change = (fx - fNew) / Math.max(1e-12, Math.abs(fx));
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    options.onProgress?.((iter + 1) / maxIterations);
    if (change < 1e-10) break;
  }
  options.onProgress?.(1);
  return x;
}

/** The trained segmenter as ONNX bytes and the metadata that validates against them. */
export function exportSegmenter(head: SoftmaxHead, classes: readonly string[], normalisation: Normalisation, minPixels: number): { bytes: Uint8Array; metadata: ModelMetadata } {
  const spec = pixelFeatureSpec();
  const bytes = buildFeatureSegmenter(spec, head, { docString: `Concord pixel-feature segmenter trained from ROIs; classes: ${classes.join(", ")}` });
  const metadata: ModelMetadata = {
    input: { name: INPUT, shape: [1, 1, spec.size, spec.size], normalisation },
    task: "segmentation",
    output: { name: SCORES, labels: [...classes] },
    segmentation: { background: true, threshold: 0.5, minPixels: Math.max(1, Math.round(minPixels)) },
  };
  return { bytes, metadata };
}

/** A generator of numbers in [0, 1) seeded by a string (mulberry32 on its hash). */
function seeded(key: string): () => number {
  let a = createHash("sha256").update(key).digest().readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per class, the pixels in both masks and in each (summed), over one image or several: what a pooled Dice is made of. */
export interface Overlap {
  inter: number[];
  sizes: number[];
}

/**
 * Dice of masks pooled over images, per class: 2·|A∩B| / (|A| + |B|) summed over every image
 * before dividing, so an image where neither has the class adds nothing; null when no image has it.
 */
export class DiceTally {
  readonly overlap: Overlap;
  constructor(readonly classes: number) {
    this.overlap = { inter: new Array<number>(classes).fill(0), sizes: new Array<number>(classes).fill(0) };
  }

  add(cls: number, reference: Uint8Array, predicted: Uint8Array): void {
    let i = 0;
    let s = 0;
    for (let p = 0; p < reference.length; p++) {
      const a = reference[p]!;
      const b = predicted[p]!;
      if (a && b) i++;
      s += a + b;
    }
    this.overlap.inter[cls]! += i;
    this.overlap.sizes[cls]! += s;
  }

  /** Another image's (or images') counts. */
  addOverlap(o: Overlap): void {
    for (let k = 0; k < this.classes; k++) {
      this.overlap.inter[k]! += o.inter[k]!;
      this.overlap.sizes[k]! += o.sizes[k]!;
    }
  }

  dice(cls: number): number | null {
    return this.overlap.sizes[cls]! ? (2 * this.overlap.inter[cls]!) / this.overlap.sizes[cls]! : null;
  }
}

/** Held-out masks are compared on a raster at most this many pixels on a side. */
export const DICE_SIDE = 256;

/**
 * A model's segmentation of one image against its readers' consensus, per class in `labels`' order:
 * the regions as the case page offers them (a rectangle class takes each as its bounding box), both
 * rasterised at most DICE_SIDE pixels on a side.
 */
export function regionOverlap(found: Segmentation, readers: readonly ReaderRegions[], labels: readonly string[], rectangles: readonly boolean[]): Overlap {
  const scale = Math.min(1, DICE_SIDE / Math.max(found.width, found.height));
  const w = Math.max(1, Math.round(found.width * scale));
  const h = Math.max(1, Math.round(found.height * scale));
  const sx = w / found.width;
  const sy = h / found.height;
  const reference = consensusMasks(readers, labels.length, w, h, sx, sy);
  const tally = new DiceTally(labels.length);
  labels.forEach((label, k) => {
    const regions = found.labels.find((l) => l.label === label)?.regions ?? [];
    const outlines = regions.map((r) => (rectangles[k] ? closedOutline({ kind: "rectangle", points: boundingBox(r.points) }) : r.points));
    tally.add(k, reference[k]!, outlineMask(outlines, w, h, sx, sy));
  });
  return tally.overlap;
}

/**
 * The readers' consensus on one image as masks at width × height: per class, the pixels at least
 * half of the image's readers put inside their ROIs of the class.
 */
export function consensusMasks(readers: readonly ReaderRegions[], classes: number, width: number, height: number, sx: number, sy: number): Uint8Array[] {
  const counts = Array.from({ length: classes }, () => new Uint8Array(width * height));
  for (const regions of readers)
    for (let c = 0; c < classes; c++) {
      const mine = regions.filter((r) => r.cls === c);
      if (!mine.length) continue;
      const mask = outlineMask(mine.map((r) => r.outline), width, height, sx, sy);
      const count = counts[c]!;
      for (let p = 0; p < mask.length; p++) count[p]! += mask[p]!;
    }
  const need = readers.length / 2;
  return counts.map((count) => count.map((v) => (readers.length && v >= need ? 1 : 0)));
}

/** An image of a case: a stored instance and a frame of it (1-based). */
export const imageKey = (sopInstanceUid: string, frame: number) => `${sopInstanceUid}#${frame}`;

/** Readers' latest readings of one case: who read it, and on each image what each drew, by class index. */
export interface CaseReadings {
  readers: string[];
  images: Map<string, Map<string, Array<{ cls: number; outline: Point[] }>>>;
}

/**
 * The readings by case from one row per ROI of each reader's latest submission (a null ROI for a
 * reading without any): every reader of a case counts, and only ROIs of the given classes (by id,
 * to their index) are kept.
 */
export function readingsByCase(
  rows: ReadonlyArray<{ caseId: string; readerId: string; roi: { classId: string; kind: "RECTANGLE" | "FREEHAND"; points: Array<[number, number]>; sopInstanceUid: string; frame: number } | null }>,
  classIndex: ReadonlyMap<string, number>,
): Map<string, CaseReadings> {
  const out = new Map<string, CaseReadings>();
  for (const row of rows) {
    let c = out.get(row.caseId);
    if (!c) out.set(row.caseId, (c = { readers: [], images: new Map() }));
    if (!c.readers.includes(row.readerId)) c.readers.push(row.readerId);
    const cls = row.roi ? classIndex.get(row.roi.classId) : undefined;
    if (!row.roi || cls === undefined) continue;
    const key = imageKey(row.roi.sopInstanceUid, row.roi.frame);
    let byReader = c.images.get(key);
    if (!byReader) c.images.set(key, (byReader = new Map()));
    let mine = byReader.get(row.readerId);
    if (!mine) byReader.set(row.readerId, (mine = []));
    mine.push({ cls, outline: closedOutline({ kind: row.roi.kind === "RECTANGLE" ? "rectangle" : "freehand", points: row.roi.points }).slice(0, -1) });
  }
  return out;
}

/** Each reader of the case's regions on one image: an empty list for a reader who drew none there. */
export function readersOnImage(readings: CaseReadings, key: string): ReaderRegions[] {
  const byReader = readings.images.get(key);
  return readings.readers.map((r) => byReader?.get(r) ?? []);
}

/** Outlines (image pixel coordinates) filled into a mask of width × height, scaled by (sx, sy). */
export function outlineMask(outlines: ReadonlyArray<readonly Point[]>, width: number, height: number, sx: number, sy: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const o of outlines) fillPolygon(mask, height, width, o.map(([x, y]) => [x * sx, y * sy] as Point));
  return mask;
}
