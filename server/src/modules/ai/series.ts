import type { SeriesAggregate } from "./metadata.js";

// A classifier over a case of several images (a series, or a multi-frame image): each image and
// frame is read alone, and per label the case's output is their max or mean. The label's heatmap
// is made on the image where its output is highest: where the model saw most of it.

export interface SeriesOutput {
  /** The case's output for the label. */
  value: number;
  /** The index of the image (in the given order) with the label's highest output; the first of ties. */
  best: number;
}

/** Per label (the columns of `values`, one row per image), the case's output and its strongest image. */
export function aggregateSlices(values: readonly (readonly number[])[], aggregate: SeriesAggregate): SeriesOutput[] {
  if (!values.length) throw new Error("no image to aggregate");
  const labels = values[0]!.length;
  return Array.from({ length: labels }, (_, k) => {
    let best = 0;
    let sum = 0;
    values.forEach((row, i) => {
      const v = row[k]!;
      sum += v;
      if (v > values[best]![k]!) best = i;
    });
    return { value: aggregate === "max" ? values[best]![k]! : sum / values.length, best };
  });
}

/** The labels by the image their heatmap comes from: one model run per image, whatever its number of labels. */
export function labelsByImage(outputs: readonly SeriesOutput[]): Map<number, number[]> {
  const by = new Map<number, number[]>();
  outputs.forEach((o, k) => {
    const labels = by.get(o.best);
    if (labels) labels.push(k);
    else by.set(o.best, [k]);
  });
  return by;
}

/** At most `count` of the items, evenly spread from first to last (all of them when they are fewer). */
export function evenSample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / count)]!);
}
