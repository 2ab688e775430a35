// Class activation maps for a global-average-pooled linear head, and occlusion sensitivity for
// models without a feature map. For such a head the logit is y_k = b_k + Σ_f W[k,f]·mean(A_f),
// so ∂y_k/∂A_f(i,j) = W[k,f]/(h·w) everywhere: Grad-CAM's weights are W[k,f]/(h·w) and Grad-CAM
// is CAM divided by h·w, the same map once normalised, with no backward pass (cam.test.ts checks it
// against finite differences through the ONNX head). That is for the logit; differentiating the
// probability multiplies every weight by σ'(y_k) > 0, which normalisation removes.

export interface FeatureMapData {
  /** [F, h, w] (a leading batch dimension of 1 is accepted). */
  dims: readonly number[];
  data: ArrayLike<number>;
}

export interface Heatmap {
  width: number;
  height: number;
  /** Row-major, in [0, 1]. */
  values: Float32Array;
}

function featureDims(features: FeatureMapData): [number, number, number] {
  const d = features.dims.length === 4 && features.dims[0] === 1 ? features.dims.slice(1) : features.dims;
  if (d.length !== 3) throw new Error(`feature map must be [F,h,w] or [1,F,h,w], got [${features.dims.join(",")}]`);
  return d as [number, number, number];
}

/** Σ_f W[k,f]·A_f before ReLU, h×w. `weights` is row-major [K,F]. */
export function rawCam(features: FeatureMapData, weights: ArrayLike<number>, label: number): Float64Array {
  const [f, h, w] = featureDims(features);
  if (weights.length % f !== 0 || (label + 1) * f > weights.length) throw new Error(`weights do not have a row ${label} of ${f} values`);
  const n = h * w;
  const out = new Float64Array(n);
  for (let c = 0; c < f; c++) {
    const wk = weights[label * f + c]!;
    if (wk === 0) continue;
    for (let i = 0; i < n; i++) out[i]! += wk * features.data[c * n + i]!;
  }
  return out;
}

/** ReLU, then divided by the maximum so the map spans [0, 1]; all zeros when nothing is positive. */
export function normaliseMap(map: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < map.length; i++) if (map[i]! > max) max = map[i]!;
  const out = new Float32Array(map.length);
  if (max <= 0) return out;
  for (let i = 0; i < map.length; i++) out[i] = map[i]! > 0 ? map[i]! / max : 0;
  return out;
}

/** Non-negative values divided by their maximum, in place, so they span [0, 1]; left as they are when all are 0. */
export function scaleToUnit(values: Float32Array): Float32Array {
  const n = values.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v > max) max = v;
  }
  if (max > 0) {
    const r = 1 / max;
    for (let i = 0; i < n; i++) values[i]! *= r;
  }
  return values;
}

/**
 * Where each of `size` output positions samples an axis of `from` source positions, pixel centres
 * aligned (half-pixel), edges clamped: between source i0 and i1, at t from i0.
 */
export function bilinearAxis(size: number, from: number): { i0: Int32Array; i1: Int32Array; t: Float64Array } {
  const i0 = new Int32Array(size);
  const i1 = new Int32Array(size);
  const t = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const s = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / size - 0.5));
    i0[i] = Math.floor(s);
    i1[i] = Math.min(from - 1, i0[i]! + 1);
    t[i] = s - i0[i]!;
  }
  return { i0, i1, t };
}

/** Bilinear resampling with pixel centres aligned (half-pixel), edges clamped. */
export function upsampleBilinear(map: ArrayLike<number>, h: number, w: number, height: number, width: number): Float32Array {
  const out = new Float32Array(width * height);
  // The source columns and weights are the same for every row: worked out once.
  const xs = bilinearAxis(width, w);
  const ys = bilinearAxis(height, h);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y]! * w;
    const r1 = ys.i1[y]! * w;
    const ty = ys.t[y]!;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = xs.i0[x]!;
      const x1 = xs.i1[x]!;
      const tx = xs.t[x]!;
      const top = map[r0 + x0]! * (1 - tx) + map[r0 + x1]! * tx;
      const bottom = map[r1 + x0]! * (1 - tx) + map[r1 + x1]! * tx;
      out[o + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** The CAM for one label, normalised to [0, 1] and upsampled to the image size. */
export function classActivationMap(features: FeatureMapData, weights: ArrayLike<number>, label: number, size: { width: number; height: number }): Heatmap {
  const [, h, w] = featureDims(features);
  const values = upsampleBilinear(normaliseMap(rawCam(features, weights, label)), h, w, size.height, size.width);
  return { width: size.width, height: size.height, values };
}

export interface OverlayOptions {
  /** Alpha (0–255) at the map's maximum; alpha falls with the value so cold regions stay clear. Default 160. */
  maxAlpha?: number;
  /** Values below this are fully transparent. Default 0.05. */
  floor?: number;
}

/** RGBA pixels (row-major, 4 bytes each) for an overlay: a jet colour map, alpha from the value. */
export function renderOverlay(map: Heatmap, options: OverlayOptions = {}): Uint8ClampedArray {
  const maxAlpha = options.maxAlpha ?? 160;
  const floor = options.floor ?? 0.05;
  const out = new Uint8ClampedArray(map.width * map.height * 4);
  for (let i = 0; i < map.values.length; i++) {
    const v = Math.min(1, Math.max(0, map.values[i]!));
    const [r, g, b] = jet(v);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = v < floor ? 0 : Math.round(maxAlpha * v);
  }
  return out;
}

/** Blue → cyan → yellow → red. */
export function jet(v: number): [number, number, number] {
  const c = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [c(1.5 - Math.abs(4 * v - 3)), c(1.5 - Math.abs(4 * v - 2)), c(1.5 - Math.abs(4 * v - 1))];
}

/** Position of the maximum of a heatmap. */
export function peak(map: Heatmap): { x: number; y: number; value: number } {
  let best = 0;
  for (let i = 1; i < map.values.length; i++) if (map.values[i]! > map.values[best]!) best = i;
  return { x: best % map.width, y: Math.floor(best / map.width), value: map.values[best]! };
}

export interface ModelInput {
  /** [C, H, W] as the model takes it (already normalised). */
  channels: number;
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Occlusion sensitivity: slide a patch over the input, replacing it with a baseline, and record how
 * much each output drops; each pixel gets the mean drop of the patches covering it. One map per
 * output, normalised like a CAM; one forward pass per position. The default baseline is the input
 * blurred over the patch size: a flat grey square would itself look like a bright finding on dark lung.
 */
export async function occlusionSensitivity(
  runFn: (input: Float32Array) => Promise<ArrayLike<number>>,
  image: ModelInput,
  patch: number,
  stride: number,
  options: { baseline?: number | "blur" } = {},
): Promise<Heatmap[]> {
  const { channels, width: W, height: H, data } = image;
  if (patch < 1 || stride < 1) throw new Error("patch and stride must be positive");
  const base = options.baseline ?? "blur";
  const fillWith = base === "blur" ? boxBlur(data, channels, W, H, patch) : new Float32Array(data.length).fill(base);
  const reference = Array.from(await runFn(data));
  const k = reference.length;
  const sums = Array.from({ length: k }, () => new Float64Array(W * H));
  const counts = new Uint32Array(W * H);
  const starts = (size: number) => {
    const list: number[] = [];
    for (let p = 0; p + patch < size; p += stride) list.push(p);
    list.push(Math.max(0, size - patch));
    return [...new Set(list)];
  };
  const occluded = new Float32Array(data.length);
  for (const y0 of starts(H))
    for (const x0 of starts(W)) {
      occluded.set(data);
      const y1 = Math.min(H, y0 + patch);
      const x1 = Math.min(W, x0 + patch);
      for (let c = 0; c < channels; c++)
        for (let y = y0; y < y1; y++) {
          const row = c * W * H + y * W;
          occluded.set(fillWith.subarray(row + x0, row + x1), row + x0);
        }
      const scores = await runFn(occluded);
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          counts[y * W + x]!++;
          for (let j = 0; j < k; j++) sums[j]![y * W + x]! += reference[j]! - scores[j]!;
        }
    }
  return sums.map((s) => ({ width: W, height: H, values: normaliseMap(s.map((v, i) => (counts[i] ? v / counts[i]! : 0))) }));
}

/** Mean over a (size × size) window per channel, edges clamped; separable. */
function boxBlur(data: Float32Array, channels: number, W: number, H: number, size: number): Float32Array {
  const r = Math.floor(size / 2);
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    const o = c * W * H;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let d = -r; d <= r; d++) s += data[o + y * W + Math.min(W - 1, Math.max(0, x + d))]!;
        tmp[o + y * W + x] = s / (2 * r + 1);
      }
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let d = -r; d <= r; d++) s += tmp[o + Math.min(H - 1, Math.max(0, y + d)) * W + x]!;
        out[o + y * W + x] = s / (2 * r + 1);
      }
  }
  return out;
}
