import type { CaseSplit, SplitLabelCountsQuery } from "../generated/graphql";
import { plural } from "../display";
import { percentText, shares, SPLITS } from "./datasetSplit";

// Each classification label's consensus (a reviewer's adjudication, else the readers' majority: what
// a model trained here learns) in each split, as the share of yes among the cases decided. The
// shares should be close across the splits: a model tested on a split with another prevalence is
// measured on other data than it learnt from.

export type SplitLabelCount = SplitLabelCountsQuery["splitLabelCounts"][number];

export interface LabelCell {
  split: CaseSplit;
  /** "12 of 40 yes (30 %)"; "None decided"; "No cases". */
  text: string;
  /** The undecided cases, muted under the text: "5 undecided"; empty when every case is decided. */
  note: string;
  /** Yes among the decided cases, in whole percent (the bar's width); null when none is decided. */
  share: number | null;
  /** Every count in a sentence, for a tooltip. */
  detail: string;
}

export interface LabelRow {
  label: string;
  /** Train, Validation and Test, in that order. */
  cells: LabelCell[];
}

/** One label in one split, for people. */
export function labelCell(c: SplitLabelCount): LabelCell {
  if (!c.cases) return { split: c.split, text: "No cases", note: "", share: null, detail: "No cases" };
  const decided = c.positive + c.negative;
  const undecided = Math.max(0, c.cases - decided);
  const share = shares([c.positive, c.negative])[0] ?? null;
  return {
    split: c.split,
    text: decided ? `${c.positive} of ${decided} yes (${percentText(share)})` : "None decided",
    note: undecided ? `${undecided} undecided` : "",
    share,
    detail: `${c.positive} yes, ${c.negative} no, ${undecided} undecided (not read yet, tied or not answered), of ${plural(c.cases, "case")}`,
  };
}

/** A row per label, in the order the counts give them, each with its Train, Validation and Test cells. */
export function labelRows(counts: readonly SplitLabelCount[]): LabelRow[] {
  const byLabel = new Map<string, Map<CaseSplit, SplitLabelCount>>();
  for (const c of counts) {
    const splits = byLabel.get(c.label) ?? new Map<CaseSplit, SplitLabelCount>();
    splits.set(c.split, c);
    byLabel.set(c.label, splits);
  }
  return [...byLabel].map(([label, splits]) => ({
    label,
    cells: SPLITS.map((split) => labelCell(splits.get(split) ?? { label, split, cases: 0, positive: 0, negative: 0 })),
  }));
}
