// Window/level presets and the conversions between a window (width, centre) and Cornerstone's
// VOI range (lower, upper). Pure, so the viewer and its tests share them.

export interface WindowLevel {
  width: number;
  center: number;
}

export interface VoiRange {
  lower: number;
  upper: number;
}

export interface WindowPreset {
  id: string;
  name: string;
  /** null: the image's own window (Window Center/Width in the file, else its value range);
   * "range": from the lowest to the highest value in the image. */
  window: WindowLevel | null | "range";
}

/** CT presets in Hounsfield units, as commonly used by radiologists; "default" is the file's. */
export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: "default", name: "Default (from the image)", window: null },
  { id: "chest", name: "Chest (mediastinum)", window: { width: 350, center: 50 } },
  { id: "lung", name: "Lung", window: { width: 1500, center: -600 } },
  { id: "bone", name: "Bone", window: { width: 1800, center: 400 } },
  { id: "brain", name: "Brain", window: { width: 80, center: 40 } },
  { id: "soft-tissue", name: "Soft tissue", window: { width: 400, center: 40 } },
  { id: "full-range", name: "Full range (min–max)", window: "range" },
];

/** An image's Modality LUT as the loader left it: its rescale, and whether the pixel data already went through it. */
export interface Rescale {
  slope?: number;
  intercept?: number;
  /** The loader applied the rescale to the pixel data it handed the viewer (as for WebGL; the CPU renderer keeps stored values). */
  preScaled?: boolean;
}

/**
 * A value of the viewer's pixel data in modality units (Hounsfield units on CT): a stored value
 * through the rescale unless the loader already applied it. A missing or zero slope counts as 1.
 */
export function toModality(rescale: Rescale): (value: number) => number {
  const slope = Number.isFinite(rescale.slope) && rescale.slope !== 0 ? rescale.slope! : 1;
  const intercept = Number.isFinite(rescale.intercept) ? rescale.intercept! : 0;
  if (rescale.preScaled || (slope === 1 && intercept === 0)) return (v) => v;
  return (v) => v * slope + intercept;
}

/** The range of an image's values in modality units (toModality of both ends, a negative slope turning them round). */
export function modalityRange(stored: VoiRange, rescale: Rescale): VoiRange {
  const f = toModality(rescale);
  const a = f(stored.lower);
  const b = f(stored.upper);
  return a <= b ? { lower: a, upper: b } : { lower: b, upper: a };
}

/** The lowest and highest of the values (a typed array of the image's modality values). */

export function valueRange(values: ArrayLike<number>): VoiRange | null {
  if (!values.length) return null;
  let lower = Infinity;
  let upper = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lower) lower = v;
    if (v > upper) upper = v;
  }
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return null;
  return upper > lower ? { lower, upper } : { lower: lower - 0.5, upper: upper + 0.5 };
}

/** DICOM's linear window (PS3.3 C.11.2.1.2): a width of w maps [c - w/2, c + w/2] to the grey range. */
export function voiRangeOf({ width, center }: WindowLevel): VoiRange {
  const w = Math.max(width, 1);
  return { lower: center - w / 2, upper: center + w / 2 };
}

export function windowOf({ lower, upper }: VoiRange): WindowLevel {
  return { width: upper - lower, center: (upper + lower) / 2 };
}

/** "W 350 L 50": integers when the window is wide, two decimals when it is narrow (0..1 data). */
export function formatWindow(w: WindowLevel): string {
  const digits = Math.abs(w.width) >= 10 ? 0 : 2;
  const f = (n: number) => (Object.is(Math.round(n * 10 ** digits) / 10 ** digits, -0) ? 0 : n).toFixed(digits);
  return `W ${f(w.width)} L ${f(w.center)}`;
}

/**
 * Zoom as image pixels per screen (device) pixel, in percent: 100 % is full resolution.
 * `parallelScale` is half the viewport height in world units, `canvasHeight` in device pixels and
 * `rowSpacing` the world size of one image pixel along y.
 */
export function zoomPercent(parallelScale: number, canvasHeight: number, rowSpacing: number): number {
  if (!(parallelScale > 0) || !(canvasHeight > 0)) return 100;
  return (100 * canvasHeight * rowSpacing) / (2 * parallelScale);
}

/** The parallel scale that shows one image pixel on one device pixel. */
export function fullResolutionScale(canvasHeight: number, rowSpacing: number): number {
  return (canvasHeight * rowSpacing) / 2;
}
