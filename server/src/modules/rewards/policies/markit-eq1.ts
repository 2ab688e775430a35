// MarkIt's Algorithm 1 + Eq. 1 (docs/REWARD.md), as the authors' notebook computes it. Kept for
// comparison and reproducibility only: its known flaws are why `concord` is the default.
import type { RewardInputs } from "../inputs.js";
import {
  budgetOf,
  indexInputs,
  kappaThresholdOf,
  kappaVsAi,
  largestRemainder,
  pairsWithAi,
  record,
  type LabelTerms,
  type RewardParams,
  type RewardResult,
} from "./common.js";

/** What tells markit-eq1 from markit-eq1-safe. */
export interface Eq1Variant {
  policy: string;
  /** "reference": κ ≤ κ0 or undefined κ drops the (reader, label); "proposed": skipped when the AI calls one class there. */
  filter: "reference" | "proposed";
  /** A cell counts with at least this many kept votes. */
  minVotes: number;
  /** "raw": B·S/ΣS as computed; "clipped": S⁺ = max(S, 0), nobody paid when ΣS⁺ = 0. */
  payout: "raw" | "clipped";
}

export const MARKIT_EQ1: Eq1Variant = { policy: "markit-eq1", filter: "reference", minVotes: 1, payout: "raw" };

export function markitEq1(inputs: RewardInputs, params: RewardParams = {}): RewardResult {
  return runEq1(inputs, params, MARKIT_EQ1);
}

export function runEq1(inputs: RewardInputs, params: RewardParams, variant: Eq1Variant): RewardResult {
  const budget = budgetOf(params);
  const kappa0 = kappaThresholdOf(params);
  const ix = indexInputs(inputs);
  const { readers, labels } = ix;

  // 0. AI filter per (reader, label).
  const pairs = pairsWithAi(ix);
  const kappa = kappaVsAi(ix, pairs);
  const passed = record(readers, (r) =>
    record(labels, (l) => {
      if (!ix.ai) return true;
      const k = kappa[r]![l]!;
      if (k !== null && k > kappa0) return true;
      if (variant.filter === "proposed") {
        // κ says nothing where the AI called a single class (or nothing) on this reader's cases.
        const calls = new Set(pairs.get(r)!.get(l)!.map(([ai]) => ai));
        return calls.size < 2;
      }
      return false;
    }),
  );

  // 1–5. Cells, pseudo truth, difficulty, credit; the inner sum of Eq. 1 per reader and label.
  const inner = record(readers, () => record(labels, () => 0));
  const perLabel: Record<string, LabelTerms> = {};
  const tau: Record<string, number> = {};
  for (const label of labels) {
    const cells = ix.cells.get(label)!;
    let counted = 0;
    let positive = 0;
    let tied = 0;
    let timeSum = 0;
    let timeCount = 0;
    for (const cell of cells) {
      const kept = cell.votes.filter((v) => passed[v.reader]![label]);
      for (const v of kept) {
        if (v.seconds !== undefined) {
          timeSum += v.seconds;
          timeCount++;
        }
      }
      const m = kept.length;
      if (m < Math.max(1, variant.minVotes)) continue;
      counted++;
      const NT = kept.filter((v) => v.value).length;
      const NF = m - NT;
      const g = NT > NF;
      if (g) positive++;
      if (NT === NF) tied++;
      const n = g ? NT : NF;
      const Dt = 1 - 2 * (n / m);
      for (const v of kept) {
        const r = v.value === g ? 1 / n : 0;
        inner[v.reader]![label]! += Dt * (1 - 4 * r);
      }
    }
    // 6. τ_k: the supplied mean, else the mean time of the kept readers' votes on the label.
    tau[label] = ix.labelSeconds?.get(label) ?? (timeCount ? timeSum / timeCount : 0);
    perLabel[label] = {
      T_k: counted ? positive / counted : 0,
      tau_k: tau[label]!,
      tbar_k: 0,
      weight: 0,
      cells_counted: counted,
      cells_skipped: cells.length - counted,
      pseudo_positive_cells: positive,
      tied_cells: tied,
    };
  }
  const maxTau = Math.max(0, ...labels.map((l) => tau[l]!));
  for (const label of labels) {
    const t = perLabel[label]!;
    t.tbar_k = maxTau > 0 ? t.tau_k / maxTau : 0;
    t.weight = t.T_k + t.tbar_k;
  }

  // 7. S_i = Σ_k (T_k + t̄_k) · Σ_j D~ · r~ (a filtered pair contributes nothing).
  const S_per_label = record(readers, (r) => record(labels, (l) => perLabel[l]!.weight * inner[r]![l]!));
  const S_total = record(readers, (r) => labels.reduce((s, l) => s + S_per_label[r]![l]!, 0));

  // 8. Payout.
  const S = readers.map((r) => S_total[r]!);
  const paidOn = variant.payout === "clipped" ? S.map((s) => Math.max(s, 0)) : S;
  const total = paidOn.reduce((a, b) => a + b, 0);
  const raw = variant.payout === "clipped" && total === 0 ? paidOn.map(() => 0) : paidOn.map((s) => (budget * s) / total);
  // Nobody paid: zero tokens each, the budget stays unspent (REWARD.md).
  const ints = variant.payout === "clipped" && total === 0 ? raw.map(() => 0) : largestRemainder(raw, budget);

  return {
    policy: variant.policy,
    config: { annotators: readers, budget, kappa_threshold: kappa0, filter: variant.filter, min_votes: variant.minVotes, payout: variant.payout },
    per_label: perLabel,
    kappa_vs_ai: kappa,
    filter_passed: passed,
    scores: {
      S_per_label,
      S_total,
      reward: record(readers, (r) => raw[readers.indexOf(r)]!),
      reward_int: ints ? record(readers, (r) => ints[readers.indexOf(r)]!) : null,
    },
  };
}
