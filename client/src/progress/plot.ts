// What the progress plots draw, built from the readerProgress answer: one series (colour) per
// reader, boxes grouped by label (like MarkIt's Fig. 4) or by reader.
import type { ProjectReaderProgressQuery } from "../generated/graphql";
import { boxSummary, type BoxSummary } from "./stats";

export type ReadingProgress = ProjectReaderProgressQuery["readerProgress"];

/** A reader in the plots: the same colour in every plot and in the legend. */
export interface PlotSeries {
  key: string;
  name: string;
  color: string;
  /** Beyond the palette colours repeat, outlined dashed to tell them apart. */
  dashed: boolean;
}

export interface PlotBox {
  series: PlotSeries;
  /** Null when only the median is known (drawn as a diamond). */
  summary: BoxSummary | null;
  median: number | null;
}

export interface PlotGroup {
  key: string;
  name: string;
  boxes: PlotBox[];
}

// Colour-blind-safe hues (Okabe and Ito's, with their pale orange, sky blue and yellow swapped for
// darker ones), each at least 3:1 against white so thin strokes stay visible.
export const READER_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#997700", "#332288", "#882255", "#000000"] as const;

export function readerSeries(progress: ReadingProgress): PlotSeries[] {
  return progress.readers.map((r, i) => ({
    key: r.readerId,
    name: r.name,
    color: READER_COLORS[i % READER_COLORS.length]!,
    dashed: i >= READER_COLORS.length,
  }));
}

/** Seconds per label: one group per label (in the project's label order), one box per reader with times for it. */
export function labelGroups(progress: ReadingProgress, series: readonly PlotSeries[]): PlotGroup[] {
  const seriesOf = new Map(series.map((s) => [s.key, s]));
  return progress.labels
    .map((label) => ({
      key: label.labelId,
      name: label.labelName,
      boxes: progress.readers.flatMap((reader) => {
        const times = reader.labels.find((l) => l.labelId === label.labelId);
        const summary = times ? boxSummary(times.seconds) : null;
        const s = seriesOf.get(reader.readerId);
        return summary && s ? [{ series: s, summary, median: summary.median }] : [];
      }),
    }))
    .filter((g) => g.boxes.length > 0);
}

/** Seconds per case: one group per reader with recorded times, a box of their cases' times. */
export function caseGroups(progress: ReadingProgress, series: readonly PlotSeries[]): PlotGroup[] {
  const seriesOf = new Map(series.map((s) => [s.key, s]));
  return progress.readers.flatMap((reader) => {
    const s = seriesOf.get(reader.readerId);
    const summary = boxSummary(reader.caseSeconds);
    if (!s || !summary) return [];
    return [{ key: reader.readerId, name: reader.name, boxes: [{ series: s, summary, median: summary.median }] }];
  });
}
