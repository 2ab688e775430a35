import { describe, expect, it } from "vitest";
import type { Point } from "../exports/dicom/types.js";
import { ctImage, frame, uid, type Disc } from "../../testing/ct-images.js";
import { segmentationCellsNow } from "./ai.compute.js";
import { referenceFeatures } from "./extractor.js";
import { greyFrames } from "./grey-image.js";
import { closeModel, openModel } from "./inference.js";
import { parseModelMetadata, preprocess, validateModel, type GreyImage, type Normalisation } from "./metadata.js";
import { segmentMasks } from "./segment.js";
import {
  CELL_CAPS,
  cellCaps,
  concatCells,
  MAX_TRAINING_CELLS,
  consensusMasks,
  coverage,
  DiceTally,
  exportSegmenter,
  fitSoftmax,
  imageCells,
  lbfgs,
  pixelFeatures,
  pixelFeatureSpec,
  sampleCells,
  SEGMENTER_GRID,
  tuneOffsets,
  SEGMENTER_SIZE,
  type CellSamples,
  type ReaderRegions,
} from "./segment-train.js";
import { logistic } from "./train.js";

const G = SEGMENTER_GRID;

function rectangle(x0: number, y0: number, x1: number, y1: number): Point[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

function circle(cx: number, cy: number, r: number, n = 48): Point[] {
  return Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)] as Point);
}

/** A deterministic generator for the synthetic images. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/**
 * A 300 × 240 image (wider than tall, so x and y scale differently): a noisy background with a
 * smooth gradient, a bright disc ("Nodule") anywhere, and a mid-grey ellipse ("Heart") always low
 * in the middle, whose grey alone does not tell it from the background's brighter side.
 */
function synthetic(seed: number): { image: GreyImage; readers: ReaderRegions[]; nodule: Point[]; heart: Point[] } {
  const random = lcg(seed);
  const width = 300;
  const height = 240;
  const data = new Float32Array(width * height);
  const r = 12 + random() * 20;
  const cx = r + 5 + random() * (width - 2 * r - 10);
  const cy = r + 5 + random() * (height * 0.5 - r - 5);
  const hx = width / 2 + (random() - 0.5) * 20;
  const hy = height * 0.72;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let v = 40 + (x / width) * 90 + (random() - 0.5) * 30;
      if (((x + 0.5 - hx) / 60) ** 2 + ((y + 0.5 - hy) / 40) ** 2 < 1) v = 110 + (random() - 0.5) * 30;
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r) v = 220 + (random() - 0.5) * 20;
      data[y * width + x] = v;
    }
  const nodule = circle(cx, cy, r);
  const heart = Array.from({ length: 40 }, (_, i) => [hx + 60 * Math.cos((2 * Math.PI * i) / 40), hy + 40 * Math.sin((2 * Math.PI * i) / 40)] as Point);
  // Three readers: two draw both, the third only the nodule.
  const both: ReaderRegions = [
    { cls: 0, outline: nodule },
    { cls: 1, outline: heart },
  ];
  const readers: ReaderRegions[] = [both, both, [{ cls: 0, outline: nodule }]];
  return { image: { width, height, data, maxValue: 255 }, readers, nodule, heart };
}

const NORMALISATION: Normalisation = { kind: "meanStd", mean: 0.4, std: 0.2 };

describe("the pixel features", () => {
  it("onnxruntime computes what the plain-TypeScript reference does", async () => {
    const spec = pixelFeatureSpec();
    const { image } = synthetic(7);
    const input = preprocess(image, { input: { name: "image", shape: [1, 1, SEGMENTER_SIZE, SEGMENTER_SIZE], normalisation: NORMALISATION } });
    const reference = referenceFeatures(spec, input);
    const got = await pixelFeatures(image, NORMALISATION);
    expect(reference.shape).toEqual([got.features, G, G]);
    expect(got.data.length).toBe(reference.data.length);
    let worst = 0;
    for (let i = 0; i < got.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - reference.data[i]!));
    expect(worst).toBeLessThan(1e-4);
    // The position maps vary across the grid; the constant channel is 1 everywhere.
    const one = spec.channelNames.indexOf("one");
    expect(got.data.subarray(one * G * G, (one + 1) * G * G).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });
});

describe("coverage", () => {
  it("is the share of readers whose ROIs cover each cell, measured finer than the grid", () => {
    // 128 × 256 image: a cell is 2 × 4 pixels.
    const left: ReaderRegions = [{ cls: 0, outline: rectangle(0, 0, 64, 256) }];
    const cover = coverage([left, []], 128, 256, 2);
    expect(cover.length).toBe(2 * G * G);
    expect(cover[0]).toBeCloseTo(0.5); // row 0, column 0: one reader of two
    expect(cover[31]).toBeCloseTo(0.5);
    expect(cover[32]).toBe(0);
    expect(cover[G * G]).toBe(0); // class 1: nobody
    // Half a cell across (1 of its 2 pixels), by one reader of one.
    const half = coverage([[{ cls: 1, outline: rectangle(10, 0, 11, 4) }]], 128, 256, 2);
    expect(half[G * G + 5]).toBeCloseTo(0.5);
    expect(half[G * G + 4]).toBe(0);
    // Two overlapping ROIs of one class by one reader count once.
    const twice = coverage([[{ cls: 0, outline: rectangle(0, 0, 2, 4) }, { cls: 0, outline: rectangle(0, 0, 2, 4) }]], 128, 256, 1);
    expect(twice[0]).toBeCloseTo(1);
  });

  it("the consensus is the pixels at least half the readers marked", () => {
    const a: ReaderRegions = [{ cls: 0, outline: rectangle(0, 0, 6, 10) }];
    const b: ReaderRegions = [{ cls: 0, outline: rectangle(4, 0, 10, 10) }];
    const c: ReaderRegions = [];
    const [mask] = consensusMasks([a, b, c], 1, 10, 10, 1, 1);
    // Columns 4–5: two of three readers; 0–3 and 6–9: one.
    expect(Array.from(mask!.subarray(0, 10))).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0]);
    const [two] = consensusMasks([a, c], 1, 10, 10, 1, 1);
    expect(two!.reduce((s, v) => s + v, 0)).toBe(60);
  });
});

describe("the cells a training learns from", () => {
  it("keeps every marked cell, a sample of the rest, weighted to stand for the whole image", () => {
    const features = { features: 2, data: new Float32Array(2 * G * G).map((_, i) => i) };
    const cover = new Float32Array(G * G);
    for (let i = 0; i < 100; i++) cover[i] = i % 2 ? 1 : 0.25;
    const s = sampleCells(features, cover, 1, "image-1");
    expect(s.rows).toBe(100 + CELL_CAPS.background);
    let weight = 0;
    for (let r = 0; r < s.rows; r++) {
      weight += s.w[r]!;
      expect(s.t[r * 2]! + s.t[r * 2 + 1]!).toBeCloseTo(1);
      // The features are the cell's own: channel 0 is the cell index, channel 1 the index plus G².
      expect(s.x[r * 2 + 1]! - s.x[r * 2]!).toBe(G * G);
    }
    expect(weight).toBeCloseTo(G * G);
    expect(Array.from(s.t.subarray(0, 4))).toEqual([0.75, 0.25, 0, 1]);
    // The same key picks the same cells; another key others.
    expect(Array.from(sampleCells(features, cover, 1, "image-1").x)).toEqual(Array.from(s.x));
    expect(Array.from(sampleCells(features, cover, 1, "image-2").x)).not.toEqual(Array.from(s.x));
    // Past its cap, a random share of the marked cells, each standing for more.
    const few = sampleCells(features, cover, 1, "image-1", { marked: 40, background: 10 });
    expect(few.rows).toBe(50);
    expect(few.w[0]).toBeCloseTo(100 / 40);
    expect(few.w[49]).toBeCloseTo((G * G - 100) / 10);
  });

  it("a training of many images takes fewer cells of each, about MAX_TRAINING_CELLS in all", () => {
    expect(cellCaps(10)).toEqual(CELL_CAPS);
    const caps = cellCaps(5000);
    expect(caps.marked).toBeLessThan(CELL_CAPS.marked);
    expect(5000 * (caps.marked + caps.background)).toBeLessThanOrEqual(MAX_TRAINING_CELLS);
    expect(5000 * (caps.marked + caps.background)).toBeGreaterThan(MAX_TRAINING_CELLS * 0.95);
  });
});

describe("fitting", () => {
  it("L-BFGS finds the minimum of a convex quadratic", () => {
    const a = [3, 1, 0.2, 10];
    const c = [1, -2, 5, 0.5];
    const x = lbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        f += (a[i]! * (x[i]! - c[i]!) ** 2) / 2;
        g[i] = a[i]! * (x[i]! - c[i]!);
      }
      return f;
    }, new Float64Array(4));
    for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(c[i]!, 5);
  });

  it("with two classes, it is logistic regression with half the penalty", () => {
    const random = lcg(3);
    const n = 300;
    const f = 3;
    const X: Float64Array[] = [];
    const y: number[] = [];
    const cells: CellSamples = { features: f, classes: 1, rows: n, x: new Float32Array(n * f), t: new Float32Array(n * 2), w: new Float32Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      const row = Float64Array.from({ length: f }, () => random() * 4 - 2);
      const p = 1 / (1 + Math.exp(-(1.5 * row[0]! - row[1]! + 0.3)));
      const label = random() < p ? 1 : 0;
      X.push(row);
      y.push(label);
      cells.x.set(Float32Array.from(row), i * f);
      cells.t[i * 2] = 1 - label;
      cells.t[i * 2 + 1] = label;
    }
    const l2 = 0.02;
    const head = fitSoftmax(cells, l2);
    const fit = logistic(X, y, l2 / 2);
    for (let j = 0; j < f; j++) expect(head.weights[f + j]! - head.weights[j]!).toBeCloseTo(fit.w[j]!, 3);
    expect(head.bias[1]! - head.bias[0]!).toBeCloseTo(fit.b, 3);
  });
});

describe("the cells of a stored multi-frame image", () => {
  it("each frame's cells are that frame's pixels with that frame's readers' ROIs", async () => {
    const size = 64;
    const discs: Disc[] = [
      { cx: 20, cy: 20, r: 8 },
      { cx: 40, cy: 30, r: 10 },
      { cx: 30, cy: 44, r: 6 },
    ];
    const frames = discs.map((d) => frame(size, [d]));
    const sop = uid();
    const file = { bytes: ctImage({ study: uid(), series: uid(), sop, n: 1, size, frames }), name: sop };
    const readers = (d: Disc): ReaderRegions[] => [[{ cls: 0, outline: circle(d.cx, d.cy, d.r) }], []];
    const asked = [3, 2].map((f) => ({ frame: f, readers: readers(discs[f - 1]!), key: `k${f}` }));
    const got = (await segmentationCellsNow(file, asked, 1, NORMALISATION))!;
    const decoded = greyFrames(file.bytes, file.name)!;
    const expected = concatCells(await Promise.all(asked.map((a) => imageCells(decoded.frame(a.frame), a.readers, 1, NORMALISATION, a.key))));
    expect(got.rows).toBe(expected.rows);
    expect(Array.from(got.x)).toEqual(Array.from(expected.x));
    expect(Array.from(got.t)).toEqual(Array.from(expected.t));
    // Frame 3's nodule (radius 6, half the readers) is in the first rows: a cover of ½ on about π·6² / 16 cells.
    const marked = Array.from({ length: got.rows }, (_, r) => got.t[r * 2 + 1]!).filter((t) => t > 0);
    expect(marked.every((t) => t <= 0.5 + 1e-6)).toBe(true);
    // Taking frame 1's ROIs with frame 3's pixels would differ.
    const swapped = (await segmentationCellsNow(file, [{ frame: 3, readers: readers(discs[0]!), key: "k3" }], 1, NORMALISATION))!;
    expect(Array.from(swapped.t)).not.toEqual(Array.from(got.t.subarray(0, swapped.t.length)));
  });
});

describe("the decision's offsets", () => {
  /** Cells 0.0, 0.1, … 3.9 of one feature; the class is where x ≥ 3 (a quarter of them). */
  function cells(): CellSamples {
    const n = 40;
    const c: CellSamples = { features: 1, classes: 1, rows: n, x: new Float32Array(n), t: new Float32Array(n * 2), w: new Float32Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      c.x[i] = i / 10;
      const inside = i >= 30 ? 1 : 0;
      c.t[i * 2] = 1 - inside;
      c.t[i * 2 + 1] = inside;
    }
    return c;
  }

  it("moves a class's logit until its Dice on the cells is best: a class the arg max never chose is found", () => {
    // Class logit x − 4.5 against the background's 0: never above it on [0, 3.9].
    const head = { weights: Float32Array.of(0, 1), bias: Float32Array.of(0, -4.5) };
    const tuned = tuneOffsets(cells(), head);
    // x − 4.5 + o > 0 exactly for x ≥ 3 needs o in (1.5, 1.6]: of the grid's quarters, none; 1.5 takes x > 3 (9 of 10).
    expect(tuned.offsets).toEqual([0, 1.5]);
    expect(tuned.dice[0]).toBeCloseTo((2 * 9) / (2 * 9 + 0 + 1));
    expect(Array.from(tuned.head.bias)).toEqual([0, -3]);
    expect(tuned.head.weights).toBe(head.weights);
  });

  it("keeps a decision that is already the best as it is", () => {
    const head = { weights: Float32Array.of(0, 1), bias: Float32Array.of(0, -2.95) };
    const tuned = tuneOffsets(cells(), head);
    expect(tuned.offsets).toEqual([0, 0]);
    expect(tuned.dice[0]).toBe(1);
  });
});

describe("a segmenter trained from ROIs", () => {
  it("finds a bright disc anywhere and a grey ellipse by where it is, on images it never saw", async () => {
    const parts: CellSamples[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { image, readers } = synthetic(seed);
      parts.push(await imageCells(image, readers, 2, NORMALISATION, `train-${seed}`));
    }
    const progress: number[] = [];
    const head = fitSoftmax(concatCells(parts), undefined, (p) => progress.push(p));
    expect(progress.at(-1)).toBe(1);
    const { bytes, metadata } = exportSegmenter(head, ["Nodule", "Heart"], NORMALISATION, 20);
    expect(metadata.segmentation).toEqual({ background: true, threshold: 0.5, minPixels: 20 });
    // What the registry would check of an upload.
    await validateModel(bytes, metadata);
    const loaded = await openModel(bytes, parseModelMetadata(metadata));
    try {
      const tally = new DiceTally(2);
      for (let seed = 101; seed <= 112; seed++) {
        const { image, readers } = synthetic(seed);
        const masks = await segmentMasks(loaded, image);
        const reference = consensusMasks(readers, 2, image.width, image.height, 1, 1);
        tally.add(0, reference[0]!, masks[0]!);
        tally.add(1, reference[1]!, masks[1]!);
      }
      // Nodule: every reader; heart: two of three.
      expect(tally.dice(0)).toBeGreaterThan(0.8);
      expect(tally.dice(1)).toBeGreaterThan(0.8);
    } finally {
      await closeModel(loaded);
    }
  }, 120_000);
});
