// A model's prediction on a case of several images (a series, a multi-frame image): where each
// label's output came from (a classifier's highest image, a segmentation model's most covered), and
// its output on every image, drawn as a trace the reader can click to go to that image.

export interface PredictionWithSlices {
  outputs: ReadonlyArray<{ label: string; sopInstanceUid?: string | null; frame?: number | null }>;
  slices?: { aggregate: string; images: ReadonlyArray<{ sopInstanceUid: string; frame: number; values: readonly number[] }> } | null;
}

export interface LabelSlices {
  /** The image the label's output (and heatmap) comes from: 0-based, in the viewer's order. */
  index: number;
  count: number;
  sopInstanceUid: string;
  frame: number;
  /** The label's output on each image, in the viewer's order. */
  values: number[];
  /** How the case's output was made from `values`: a classifier's max or mean, a segmentation model's share of all the pixels. */
  aggregate: "max" | "mean" | "share";
}

/** Per label (by the outputs' order), its images' outputs and its strongest image; null for a prediction of one image. */
export function labelSlices(p: PredictionWithSlices): Array<LabelSlices | null> {
  const slices = p.slices;
  if (!slices || slices.images.length < 2) return p.outputs.map(() => null);
  const aggregate = slices.aggregate === "MEAN" ? "mean" : slices.aggregate === "SHARE" ? "share" : "max";
  return p.outputs.map((o, k) => {
    const index = slices.images.findIndex((i) => i.sopInstanceUid === o.sopInstanceUid && i.frame === o.frame);
    if (index < 0) return null;
    return { index, count: slices.images.length, sopInstanceUid: o.sopInstanceUid!, frame: o.frame!, values: slices.images.map((i) => i.values[k] ?? Number.NaN), aggregate };
  });
}

/**
 * An SVG polyline's points for `values` over a width × height box: images spread evenly across,
 * values from `range` (default [0, 1], probabilities; a regression's own min and max otherwise)
 * bottom to top.
 */
export function tracePoints(values: readonly number[], width: number, height: number, range?: readonly [number, number]): string {
  const [lo, hi] = range ?? [0, 1];
  const span = hi - lo || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const y = height - ((Math.min(hi, Math.max(lo, v)) - lo) / span) * height;
      return `${+(i * step).toFixed(2)},${+y.toFixed(2)}`;
    })
    .join(" ");
}

/** The image under an x position of a trace `width` wide over `count` images (0-based, the nearest). */
export function traceIndexAt(x: number, width: number, count: number): number {
  if (count < 2 || width <= 0) return 0;
  return Math.min(count - 1, Math.max(0, Math.round((x / width) * (count - 1))));
}
