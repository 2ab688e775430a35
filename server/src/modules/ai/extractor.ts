// The fixed feature extractor: deterministic hand-made filters (intensity levels, blobs at two
// scales, edges, ridges) and soft position masks. Nothing in it is learnt, so a trained model is
// only its linear head, which trains in seconds on a CPU, and CAM on it is exact.
// The same spec builds the ONNX graph (onnx-build.ts) and runs here in plain TypeScript, which
// the tests use as the reference the runtime must agree with.

export type ExtractorLayer =
  | { op: "avgpool"; kernel: number }
  /** `group` (ONNX's): the input channels in that many groups, each convolved alone into its share of the outputs (1 by default: all into all). */
  | { op: "conv"; weight: Float32Array; shape: [number, number, number, number]; bias: Float32Array | null; pad: number; group?: number }
  | { op: "relu" }
  | { op: "mul"; tensor: Float32Array; shape: [1, number, number, number] };

export interface ExtractorSpec {
  /** Square input side, in pixels; the graph input is [N, 1, size, size]. */
  size: number;
  layers: ExtractorLayer[];
  /** Shape of the feature map, without the batch dimension: [F, h, w]. */
  featureShape: [number, number, number];
  /** One name per feature channel, e.g. "lower:blob-1.2", for debugging weights. */
  channelNames: string[];
}

/** The side of every filter kernel. */
export const KERNEL = 9;

/** The extractor for a square input of `size` pixels (a multiple of 64). */
export function fixedExtractor(size = 128): ExtractorSpec {
  if (!Number.isInteger(size) || size < 64 || size % 64 !== 0) throw new Error(`extractor input size must be a multiple of 64, got ${size}`);
  const layers: ExtractorLayer[] = [];
  const pool1 = size / 64;
  if (pool1 > 1) layers.push({ op: "avgpool", kernel: pool1 });

  // `lungsOnly`: blob and line detectors also answer the body outline and clavicle ends; gathered
  // over the lung fields only, a nodule is what moves them.
  const filters: Array<{ name: string; k: Float64Array; bias: number; lungsOnly?: boolean }> = [];
  const g1 = gaussian(1);
  for (const t of [-1, -0.5, 0, 0.5, 1]) filters.push({ name: `bright>${t}`, k: g1, bias: -t });
  for (const t of [-0.5, -1]) filters.push({ name: `dark<${t}`, k: scale(g1, -1), bias: t });
  for (const s of [1.2, 2]) filters.push({ name: `blob-${s}`, k: brightBlob(s), bias: 0, lungsOnly: true });
  // Only strong blobs: ribs and vessels answer the plain detector weakly everywhere.
  for (const [s, t] of [[1.2, 0.6], [1.2, 0.9], [1.6, 0.6]] as const) filters.push({ name: `blob-${s}>${t}`, k: brightBlob(s), bias: -t, lungsOnly: true });
  filters.push({ name: "dark-blob-2", k: scale(brightBlob(2), -1), bias: 0, lungsOnly: true });
  const dx = derivative(1, "x");
  const dy = derivative(1, "y");
  filters.push({ name: "edge+x", k: dx, bias: 0 }, { name: "edge-x", k: scale(dx, -1), bias: 0 });
  filters.push({ name: "edge+y", k: dy, bias: 0 }, { name: "edge-y", k: scale(dy, -1), bias: 0 });
  filters.push({ name: "ridge-h", k: ridge(1, "h"), bias: 0 }, { name: "ridge-v", k: ridge(1, "v"), bias: 0, lungsOnly: true });

  const c1 = filters.length;
  const w1 = new Float32Array(c1 * KERNEL * KERNEL);
  filters.forEach((f, i) => w1.set(f.k, i * KERNEL * KERNEL));
  layers.push({ op: "conv", weight: w1, shape: [c1, 1, KERNEL, KERNEL], bias: Float32Array.from(filters.map((f) => f.bias)), pad: (KERNEL - 1) / 2 });
  layers.push({ op: "relu" });
  layers.push({ op: "avgpool", kernel: 2 });

  // Each channel once per position mask: a 1x1 convolution that copies, then the masks.
  const masks = positionMasks(32, 32);
  const pairs = masks.flatMap((m) => filters.map((fl, c) => ({ m, fl, c })).filter(({ fl }) => !fl.lungsOnly || m.name === "lungs"));
  const f = pairs.length;
  const copy = new Float32Array(f * c1);
  pairs.forEach(({ c }, o) => (copy[o * c1 + c] = 1));
  layers.push({ op: "conv", weight: copy, shape: [f, c1, 1, 1], bias: null, pad: 0 });
  const maskTensor = new Float32Array(f * 32 * 32);
  pairs.forEach(({ m }, o) => maskTensor.set(m.values, o * 32 * 32));
  layers.push({ op: "mul", tensor: maskTensor, shape: [1, f, 32, 32] });

  const channelNames = pairs.map(({ m, fl }) => `${m.name}:${fl.name}`);
  return { size, layers, featureShape: [f, 32, 32], channelNames };
}

/** Soft regions so a global average still knows roughly where something is. */
function positionMasks(h: number, w: number): Array<{ name: string; values: Float32Array }> {
  const make = (name: string, fn: (u: number, v: number) => number) => {
    const values = new Float32Array(h * w);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) values[i * w + j] = fn((j + 0.5) / w, (i + 0.5) / h);
    return { name, values };
  };
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  return [
    make("all", () => 1),
    make("lower", (_u, v) => sig((v - 0.62) / 0.06)),
    make("central", (u) => Math.exp(-(((u - 0.5) / 0.12) ** 2))),
    make("upper-lateral", (u, v) => sig((0.42 - v) / 0.06) * (1 - Math.exp(-(((u - 0.5) / 0.2) ** 2)))),
    // Where the lungs usually are, short of their edges (a strong edge answers blob detectors too).
    make("lungs", (u, v) => {
      const inside = (cx: number) => Math.hypot((u - cx) / 0.12, (v - 0.45) / 0.26);
      return sig((1 - Math.min(inside(0.3), inside(0.7))) / 0.12);
    }),
  ];
}

function grid(fn: (x: number, y: number) => number): Float64Array {
  const k = new Float64Array(KERNEL * KERNEL);
  const c = (KERNEL - 1) / 2;
  for (let y = 0; y < KERNEL; y++) for (let x = 0; x < KERNEL; x++) k[y * KERNEL + x] = fn(x - c, y - c);
  return k;
}

export function gaussian(s: number): Float64Array {
  const k = grid((x, y) => Math.exp(-(x * x + y * y) / (2 * s * s)));
  return scale(k, 1 / sum(k));
}

/** Scale-normalised negative Laplacian of Gaussian, zero-mean so flat regions answer 0. */
export function brightBlob(s: number): Float64Array {
  const k = grid((x, y) => {
    const r2 = x * x + y * y;
    return ((2 * s * s - r2) / (s * s)) * Math.exp(-r2 / (2 * s * s));
  });
  const mean = sum(k) / k.length;
  const z = k.map((v) => v - mean);
  return scale(z, 1 / sum(z.map(Math.abs)) * 4);
}

export function derivative(s: number, axis: "x" | "y"): Float64Array {
  const k = grid((x, y) => -(axis === "x" ? x : y) * Math.exp(-(x * x + y * y) / (2 * s * s)));
  return scale(k, 2 / sum(k.map(Math.abs)));
}

/** Bright line detector: negative second derivative across the line, zero-mean. */
export function ridge(s: number, along: "h" | "v"): Float64Array {
  const k = grid((x, y) => {
    const a = along === "h" ? y : x;
    return ((s * s - a * a) / (s * s)) * Math.exp(-(x * x + y * y) / (2 * s * s));
  });
  const mean = sum(k) / k.length;
  const z = k.map((v) => v - mean);
  return scale(z, 4 / sum(z.map(Math.abs)));
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

export function scale(a: Float64Array, f: number): Float64Array {
  return a.map((v) => v * f);
}

/** A tensor in plain TypeScript, float64, for the reference forward pass. */
export interface RefTensor {
  shape: number[];
  data: Float64Array;
}

/** Plain-TypeScript forward pass of the extractor for one image [1,1,size,size]: the feature map [F,h,w]. */
export function referenceFeatures(spec: ExtractorSpec, image: ArrayLike<number>): RefTensor {
  let t: RefTensor = { shape: [1, spec.size, spec.size], data: Float64Array.from(image) };
  for (const layer of spec.layers) {
    switch (layer.op) {
      case "avgpool":
        t = avgPool(t, layer.kernel);
        break;
      case "conv":
        t = conv(t, layer.weight, layer.shape, layer.bias, layer.pad, layer.group ?? 1);
        break;
      case "relu":
        t = { shape: t.shape, data: t.data.map((v) => (v > 0 ? v : 0)) };
        break;
      case "mul":
        t = { shape: t.shape, data: t.data.map((v, i) => v * layer.tensor[i]!) };
        break;
    }
  }
  return t;
}

/** Global average per channel of a feature map [F,h,w]. */
export function globalAverage(features: RefTensor | { shape: readonly number[]; data: ArrayLike<number> }): Float64Array {
  const [f, h, w] = features.shape as [number, number, number];
  const out = new Float64Array(f);
  const n = h * w;
  for (let c = 0; c < f; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += features.data[c * n + i]!;
    out[c] = s / n;
  }
  return out;
}

function avgPool(t: RefTensor, k: number): RefTensor {
  const [c, h, w] = t.shape as [number, number, number];
  const oh = Math.floor(h / k);
  const ow = Math.floor(w / k);
  const out = new Float64Array(c * oh * ow);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let s = 0;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += t.data[ch * h * w + (i * k + a) * w + j * k + b]!;
        out[ch * oh * ow + i * ow + j] = s / (k * k);
      }
  return { shape: [c, oh, ow], data: out };
}

function conv(t: RefTensor, weight: Float32Array, shape: [number, number, number, number], bias: Float32Array | null, pad: number, group = 1): RefTensor {
  const [o, ci, kh, kw] = shape;
  const [c, h, w] = t.shape as [number, number, number];
  if (c !== ci * group) throw new Error(`conv expects ${ci * group} channels, got ${c}`);
  const perGroup = o / group;
  const oh = h + 2 * pad - kh + 1;
  const ow = w + 2 * pad - kw + 1;
  const out = new Float64Array(o * oh * ow);
  for (let oc = 0; oc < o; oc++) {
    const b = bias ? bias[oc]! : 0;
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let s = b;
        const first = Math.floor(oc / perGroup) * ci;
        for (let ic = 0; ic < ci; ic++) {
          const wBase = (oc * ci + ic) * kh * kw;
          for (let a = 0; a < kh; a++) {
            const y = i + a - pad;
            if (y < 0 || y >= h) continue;
            for (let bb = 0; bb < kw; bb++) {
              const x = j + bb - pad;
              if (x < 0 || x >= w) continue;
              const wv = weight[wBase + a * kw + bb]!;
              if (wv !== 0) s += wv * t.data[(first + ic) * h * w + y * w + x]!;
            }
          }
        }
        out[oc * oh * ow + i * ow + j] = s;
      }
  }
  return { shape: [o, oh, ow], data: out };
}
