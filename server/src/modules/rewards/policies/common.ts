import { invalid } from "../../../errors.js";
import { cohenKappa } from "../../review/stats/kappa.js";
import type { RewardInputs } from "../inputs.js";

/** Parameters every policy accepts; a policy ignores what it does not use. */
export interface RewardParams {
  /** Tokens to share; a whole number ≥ 0. Default 1000. */
  budget?: number;
  /** κ threshold of the AI filter (markit policies). Default 0.05. */
  kappaThreshold?: number;
}

export const DEFAULT_BUDGET = 1000;
export const DEFAULT_KAPPA_THRESHOLD = 0.05;

/** Per-label terms; the names are those of the test vectors (syn3_expected.json). */
export interface LabelTerms {
  /** Task value: share of counted cells whose truth is positive. */
  T_k: number;
  /** Mean seconds per vote on the label. */
  tau_k: number;
  /** τ_k over the largest τ. */
  tbar_k: number;
  /** What a unit of credit on this label is worth in the score. */
  weight: number;
  cells_counted: number;
  cells_skipped: number;
  pseudo_positive_cells: number;
  tied_cells: number;
}

export interface Scores {
  S_per_label: Record<string, Record<string, number>>;
  S_total: Record<string, number>;
  /** Budget · S / ΣS as computed: markit-eq1 may give negative, infinite or NaN values (reported as null in JSON). */
  reward: Record<string, number>;
  /** Whole tokens (floor, then largest remainder, ties to the earlier reader); null when the reward is undefined. */
  reward_int: Record<string, number> | null;
}

export interface RewardResult {
  policy: string;
  config: {
    annotators: string[];
    budget: number;
    kappa_threshold: number;
    filter: string;
    min_votes: number;
    payout: string;
  };
  per_label: Record<string, LabelTerms>;
  /** Cohen's κ of each reader against the AI's call, per label (null: undefined or no AI). */
  kappa_vs_ai: Record<string, Record<string, number | null>>;
  /** Whether a (reader, label) pair took part (the AI filter; concord keeps every pair). */
  filter_passed: Record<string, Record<string, boolean>>;
  /** The scores S and the payouts; the test vectors call this block "eq1". */
  scores: Scores;
}

/** The inputs in one canonical order, so that no result depends on the order of the rows. */
export interface Indexed {
  readers: string[];
  labels: string[];
  /** Per label: its cells in case order, each with its votes in reader order. */
  cells: Map<string, Cell[]>;
  /** AI probability by label, then case. */
  ai: Map<string, Map<string, number>> | null;
  labelSeconds: ReadonlyMap<string, number> | null;
}

export interface Cell {
  caseId: string;
  label: string;
  votes: Array<{ reader: string; value: boolean; seconds: number | undefined }>;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function indexInputs(inputs: RewardInputs): Indexed {
  // Grouped by label and case, then only the distinct keys sorted: the order of a full sort of the
  // votes by (label, case, reader), without sorting 10^6 rows one by one.
  const grouped = new Map<string, Map<string, Array<RewardInputs["votes"][number]>>>();
  const readerSet = new Set<string>();
  for (const v of inputs.votes) {
    let byCase = grouped.get(v.label);
    if (!byCase) grouped.set(v.label, (byCase = new Map()));
    const list = byCase.get(v.caseId);
    if (list) list.push(v);
    else byCase.set(v.caseId, [v]);
    readerSet.add(v.reader);
  }
  const cells = new Map<string, Cell[]>();
  for (const label of [...grouped.keys()].sort(byString)) {
    const byCase = grouped.get(label)!;
    const list: Cell[] = [];
    for (const caseId of [...byCase.keys()].sort(byString)) {
      const votes = byCase.get(caseId)!.sort((a, b) => byString(a.reader, b.reader));
      for (let i = 1; i < votes.length; i++) {
        if (votes[i]!.reader === votes[i - 1]!.reader) throw invalid([{ field: "votes", message: `two answers by '${votes[i]!.reader}' on case '${caseId}', label '${label}'` }]);
      }
      list.push({ caseId, label, votes: votes.map((v) => ({ reader: v.reader, value: v.value, seconds: v.seconds })) });
    }
    cells.set(label, list);
  }
  let ai: Indexed["ai"] = null;
  if (inputs.ai) {
    ai = new Map();
    for (const row of inputs.ai) {
      const byCase = ai.get(row.label) ?? new Map<string, number>();
      if (!byCase.size) ai.set(row.label, byCase);
      if (byCase.has(row.caseId)) throw invalid([{ field: "ai", message: `two probabilities for case '${row.caseId}', label '${row.label}'` }]);
      byCase.set(row.caseId, row.probability);
    }
  }
  return {
    readers: [...readerSet].sort(byString),
    labels: [...cells.keys()].sort(byString),
    cells,
    ai,
    labelSeconds: inputs.labelSeconds ?? null,
  };
}

export function budgetOf(params: RewardParams): number {
  const budget = params.budget ?? DEFAULT_BUDGET;
  if (!Number.isSafeInteger(budget) || budget < 0) throw invalid([{ field: "budget", message: `must be a whole number of tokens ≥ 0, got ${budget}` }]);
  return budget;
}

export function kappaThresholdOf(params: RewardParams): number {
  const k = params.kappaThreshold ?? DEFAULT_KAPPA_THRESHOLD;
  if (!Number.isFinite(k)) throw invalid([{ field: "kappaThreshold", message: `must be a number, got ${k}` }]);
  return k;
}

/** The AI's call on a cell, or undefined when it gave no probability there. */
export function aiCall(ix: Indexed, label: string, caseId: string): boolean | undefined {
  const p = ix.ai?.get(label)?.get(caseId);
  return p === undefined ? undefined : p > 0.5;
}

/** Per (reader, label): the AI's call and the reader's vote on the cases both answered. */
export function pairsWithAi(ix: Indexed): Map<string, Map<string, Array<[boolean, boolean]>>> {
  const out = new Map<string, Map<string, Array<[boolean, boolean]>>>();
  for (const r of ix.readers) out.set(r, new Map(ix.labels.map((l) => [l, []])));
  for (const label of ix.labels) {
    for (const cell of ix.cells.get(label)!) {
      const call = aiCall(ix, label, cell.caseId);
      if (call === undefined) continue;
      for (const v of cell.votes) out.get(v.reader)!.get(label)!.push([call, v.value]);
    }
  }
  return out;
}

/** Cohen's κ of each reader against the AI per label (all null without AI). */
export function kappaVsAi(ix: Indexed, pairs = pairsWithAi(ix)): Record<string, Record<string, number | null>> {
  return record(ix.readers, (r) => record(ix.labels, (l) => (ix.ai ? cohenKappa(pairs.get(r)!.get(l)!) : null)));
}

/** An object with keys in the given order (insertion order is the JSON order). */
export function record<T>(keys: readonly string[], value: (key: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = value(k);
  return out;
}

/**
 * Whole tokens from real shares that sum to `budget`: floor each, then one token each to the
 * largest remainders; equal remainders go to the earlier reader (the order of `shares`). Works for
 * negative shares too (markit-eq1's raw payout). null when a share is not finite.
 */
export function largestRemainder(shares: ReadonlyArray<number>, budget: number): number[] | null {
  if (!shares.every(Number.isFinite)) return null;
  const whole = shares.map(Math.floor);
  let left = budget - whole.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => ({ i, rem: s - whole[i]! })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  // left < number of shares up to rounding; cycling keeps the total exact even if rounding made it more.
  for (let n = 0; left > 0 && order.length; n = (n + 1) % order.length, left--) whole[order[n]!.i]! += 1;
  return whole;
}
