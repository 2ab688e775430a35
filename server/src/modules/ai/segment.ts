import { MAX_POINTS_PER_ROI, shoelace } from "../annotations/geometry.js";
import { fitOutlines, maskOutlines, simplifyOutline } from "../exports/dicom/contours.js";
import type { Point } from "../exports/dicom/types.js";
import { bilinearAxis } from "./cam.js";
import { runLoaded, type LoadedModel } from "./inference.js";
import { preprocess, segmentationChannels, segmentationOf, type GreyImage } from "./metadata.js";

// A segmentation model on one image (issue 6's suggestions, for ROIs): the model's per-pixel scores
// become a mask per label at the image's own size, and each mask's regions become outlines a
// reader can take into their annotation as freehand ROIs. Workers only.

/** Outlines are always straightened at half a pixel: a traced staircase is noise, not shape. */
export const OUTLINE_TOLERANCE = 0.5;

export interface SegmentedRegion {
  /** The closed outline (first point not repeated) in image pixel coordinates. */
  points: Point[];
  /** Pixels of the region (the traced component, holes excluded). */
  pixels: number;
}

export interface SegmentedLabel {
  label: string;
  /** Pixels in the label's mask, small regions included. */
  pixels: number;
  regions: SegmentedRegion[];
  /** Regions left out for having fewer than the model's minPixels. */
  specks: number;
}

export interface Segmentation {
  width: number;
  height: number;
  labels: SegmentedLabel[];
  /** The share of the model's output cells where it hesitates between two classes (hesitantShare): what active learning reads first. */
  hesitant: number;
}

/** A segmentation model's scores on an image: [C, h, w] at the model's output size. */
export interface SegmentationScores {
  scores: Float32Array;
  channels: number;
  h: number;
  w: number;
}

/** The model's scores on the image, checked against the shape its metadata promises. */
export async function segmentScores(loaded: LoadedModel, image: GreyImage): Promise<SegmentationScores> {
  const { metadata } = loaded;
  const out = (await runLoaded(loaded, preprocess(image, metadata), [metadata.output.name]))[metadata.output.name]!;
  const channels = segmentationChannels(metadata);
  const [n, c, h, w] = out.dims;
  if (out.dims.length !== 4 || n !== 1 || c !== channels || !h || !w)
    throw new Error(`output '${metadata.output.name}' has shape [${out.dims.join(",")}], expected [1,${channels},h,w]`);
  return { scores: out.data as Float32Array, channels, h, w };
}

/** The masks of an image, one byte per pixel per label (1 inside), at the image's size. */
export async function segmentMasks(loaded: LoadedModel, image: GreyImage): Promise<Uint8Array[]> {
  const { scores, channels, h, w } = await segmentScores(loaded, image);
  return decideMasks(scores, channels, h, w, image.width, image.height, segmentationOf(loaded.metadata));
}

/** Two classes within this much probability of each other at a cell: the model hesitates there. */
export const HESITATION = 0.3;

/**
 * The share of the output's cells where the model hesitates: with a background channel, the two
 * most probable classes within HESITATION of each other (scores that are not already
 * probabilities summing to 1 are taken as logits and put through a softmax); without, some label's
 * probability within HESITATION / 2 of the threshold. 0 when the model is sure everywhere.
 */
export function hesitantShare(scores: ArrayLike<number>, channels: number, h: number, w: number, settings: { background: boolean; threshold: number }): number {
  const plane = h * w;
  if (!plane) return 0;
  const p = new Float64Array(channels);
  let hesitant = 0;
  for (let i = 0; i < plane; i++) {
    if (settings.background) {
      let sum = 0;
      let inUnit = true;
      for (let ch = 0; ch < channels; ch++) {
        const v = scores[ch * plane + i]!;
        p[ch] = v;
        sum += v;
        if (v < 0 || v > 1) inUnit = false;
      }
      if (!inUnit || Math.abs(sum - 1) > 0.01) {
        let max = -Infinity;
        for (let ch = 0; ch < channels; ch++) max = Math.max(max, p[ch]!);
        let z = 0;
        for (let ch = 0; ch < channels; ch++) z += p[ch] = Math.exp(p[ch]! - max);
        for (let ch = 0; ch < channels; ch++) p[ch]! /= z;
      }
      let first = 0;
      let second = 0;
      for (let ch = 0; ch < channels; ch++) {
        const v = p[ch]!;
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) second = v;
      }
      if (first - second < HESITATION) hesitant++;
    } else {
      for (let ch = 0; ch < channels; ch++)
        if (Math.abs(scores[ch * plane + i]! - settings.threshold) < HESITATION / 2) {
          hesitant++;
          break;
        }
    }
  }
  return hesitant / plane;
}

/**
 * Per-pixel decision on scores [C, h, w] resampled bilinearly (half-pixel centres, edges clamped,
 * as `resample` and the CAM overlay do: bilinearAxis) to width × height. With background: the arg max, channel 0
 * winning ties; without: every channel at or above the threshold.
 */
export function decideMasks(
  scores: ArrayLike<number>,
  channels: number,
  h: number,
  w: number,
  width: number,
  height: number,
  settings: { background: boolean; threshold: number },
): Uint8Array[] {
  const labels = channels - (settings.background ? 1 : 0);
  const masks = Array.from({ length: labels }, () => new Uint8Array(width * height));
  const plane = h * w;
  const xs = bilinearAxis(width, w);
  const ys = bilinearAxis(height, h);
  const sample = (ch: number, a: number, b: number, ty: number, x: number) => {
    const base = ch * plane;
    const tx = xs.t[x]!;
    const top = scores[base + a + xs.i0[x]!]! * (1 - tx) + scores[base + a + xs.i1[x]!]! * tx;
    const bottom = scores[base + b + xs.i0[x]!]! * (1 - tx) + scores[base + b + xs.i1[x]!]! * tx;
    return top * (1 - ty) + bottom * ty;
  };
  for (let y = 0; y < height; y++) {
    const a = ys.i0[y]! * w;
    const b = ys.i1[y]! * w;
    const ty = ys.t[y]!;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (settings.background) {
        let best = 0;
        let bestScore = sample(0, a, b, ty, x);
        for (let ch = 1; ch < channels; ch++) {
          const v = sample(ch, a, b, ty, x);
          if (v > bestScore) {
            bestScore = v;
            best = ch;
          }
        }
        if (best > 0) masks[best - 1]![i] = 1;
      } else {
        for (let ch = 0; ch < channels; ch++) if (sample(ch, a, b, ty, x) >= settings.threshold) masks[ch]![i] = 1;
      }
    }
  }
  return masks;
}

/** The regions of one label's mask as outlines: traced, straightened, specks left out, each within a ROI's points. */
export function maskRegions(mask: Uint8Array, width: number, height: number, minPixels: number): { regions: SegmentedRegion[]; specks: number; pixels: number } {
  let pixels = 0;
  for (let i = 0; i < mask.length; i++) pixels += mask[i]!;
  const regions: SegmentedRegion[] = [];
  let specks = 0;
  if (!pixels) return { regions, specks, pixels };
  for (const traced of maskOutlines(mask, height, width)) {
    // A traced outline's shoelace area is its component's pixel count.
    const area = Math.round(shoelace(traced) / 2);
    if (area < minPixels) {
      specks++;
      continue;
    }
    let points = simplifyOutline(traced, OUTLINE_TOLERANCE);
    // A sliver one pixel wide can straighten to no area: it keeps its traced points.
    if (shoelace(points) <= 0) points = traced;
    if (points.length > MAX_POINTS_PER_ROI) points = fitOutlines([traced], MAX_POINTS_PER_ROI)?.outlines[0] ?? traced;
    if (points.length > MAX_POINTS_PER_ROI) {
      specks++;
      continue;
    }
    regions.push({ points, pixels: area });
  }
  return { regions, specks, pixels };
}

/** The model's suggestion for one image: a mask per label, traced into regions, and where it hesitates. */
export async function segment(loaded: LoadedModel, image: GreyImage): Promise<Segmentation> {
  const { scores, channels, h, w } = await segmentScores(loaded, image);
  const settings = segmentationOf(loaded.metadata);
  const masks = decideMasks(scores, channels, h, w, image.width, image.height, settings);
  return {
    width: image.width,
    height: image.height,
    labels: loaded.metadata.output.labels.map((label, k) => ({ label, ...maskRegions(masks[k]!, image.width, image.height, settings.minPixels) })),
    hesitant: hesitantShare(scores, channels, h, w, settings),
  };
}
