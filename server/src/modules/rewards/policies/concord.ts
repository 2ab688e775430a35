/**
 * The default reward policy, `concord` (docs/REWARD.md, "Default policy concord").
 *
 * For each label k, separately:
 *   1. Truth. Binary Dawid–Skene over the readers' votes, the AI's call (p > 0.5) joining as one
 *      more rater when given. With its prevalence π_k and each rater's sensitivity/specificity, a
 *      vote v adds ℓ_r(v) = log(sens/(1−spec)) if true, log((1−sens)/spec) if false, to the log-odds.
 *      Each vote is judged against the truth WITHOUT that vote (leave-one-out):
 *        λ₋ᵢ = logit(π_k) + Σ_{raters r ≠ i on the cell} ℓ_r(v_r),   q₋ᵢ = σ(λ₋ᵢ),   g₋ᵢ = λ₋ᵢ > 0,
 *      so nobody confirms themselves. A vote counts only when the cell has another rater (reader or AI);
 *      at λ₋ᵢ = 0 no answer is correct.
 *   2. Difficulty of a cell with m reader votes, NT true and NF false: d = 1 + (1 − |NT − NF| / m),
 *      1 when unanimous, 2 at a tie.
 *   3. Labour. τ_k = mean seconds per vote with each time capped at median + 3 · 1.4826 · MAD of the
 *      label's recorded times (a forgotten-open viewer cannot inflate it); a supplied label mean wins;
 *      a label with no time gets the mean τ of the others (1 when there is none). t̄_k = τ_k / max τ.
 * Per reader i, pooled over labels (skill, not per-label noise):
 *   4. Soft confusion against the leave-one-out truth over i's counted votes:
 *        sens = Σ q₋ᵢ·v / Σ q₋ᵢ,   spec = Σ (1−q₋ᵢ)(1−v) / Σ (1−q₋ᵢ),   J = sens + spec − 1 (Youden),
 *      weight w_i = max(0, J − 3 · SE(J)),  SE(J)² = sens(1−sens)/Σq₋ᵢ + spec(1−spec)/Σ(1−q₋ᵢ).
 *      A reader at chance (random, or always "no": sens = 0, spec = 1, J = 0 exactly) gets 0; the
 *      3·SE margin keeps a lucky streak of a random reader from earning (in 300 simulated projects a
 *      random reader out-earned a more accurate one in 7 of 1885 comparisons with 2·SE, 3 with 3·SE,
 *      all without AI), at the price of paying a weak reader with few votes nothing until their
 *      record shows skill.
 *   5. Score S_i = Σ_k t̄_k · w_i · Σ_{counted votes of i on k} d · [v = g₋ᵢ]   (never negative).
 *   6. Shares B · S_i / ΣS in whole tokens: floor, then the remaining tokens by largest remainder,
 *      equal remainders to the earlier reader (code-unit order of ids). If ΣS = 0 (nobody shows any
 *      skill, e.g. every vote in the epoch is "no"), the budget is split by labour instead:
 *      Σ_k t̄_k · (votes of i on k), or by plain vote counts if that is 0 too.
 * per_label.T_k (share of counted cells that Dawid–Skene calls positive) is reported, not scored:
 * unlike Eq. 1, a label's prevalence is not taken as its value.
 * Every sum runs in a fixed order (labels, cases, readers sorted), so the same inputs in any row
 * order give the same shares bit for bit.
 */
import { invalid } from "../../../errors.js";
import { dawidSkeneBinary } from "../../review/stats/dawid-skene.js";
import type { RewardInputs } from "../inputs.js";
import {
  aiCall,
  budgetOf,
  indexInputs,
  kappaThresholdOf,
  kappaVsAi,
  largestRemainder,
  record,
  type LabelTerms,
  type RewardParams,
  type RewardResult,
} from "./common.js";

/** The weight's safety margin, in standard errors of Youden's J. */
export const SKILL_MARGIN_SE = 3;
/** Times above median + TIME_CAP_MADS · 1.4826 · MAD (robust standard deviations) are capped there. */
export const TIME_CAP_MADS = 3;
const MAD_TO_SD = 1.4826;

/**
 * Dawid–Skene stops when the log-likelihood moves less than this per vote. Its default absolute 1e-10
 * is below a double's resolution once |ll| passes ~10^6 (10^6 votes): EM would then run to its cap.
 */
export const DS_TOLERANCE_PER_VOTE = 1e-12;
const AI_RATER = "ai";
const readerRater = (reader: string) => `r:${reader}`;

export interface ConcordReader {
  votes: number;
  /** Votes on cells with another rater: the ones that can be judged. */
  counted_votes: number;
  correct_votes: number;
  sensitivity: number | null;
  specificity: number | null;
  youden_j: number | null;
  youden_j_se: number | null;
  weight: number;
}

/** One vote's credit: S_i is the sum of a reader's credits. */
export interface ConcordCredit {
  label: string;
  caseId: string;
  reader: string;
  counted: boolean;
  correct: boolean;
  difficulty: number;
  /** t̄_k · w_i · d · [correct]. */
  credit: number;
}

export interface ConcordLabelTerms extends LabelTerms {
  /** Cells where the readers' votes differ. */
  contested_cells: number;
  /** The cap applied to this label's times (null when a mean was supplied or nothing was timed). */
  time_cap: number | null;
  /** Dawid–Skene's prior P(true). */
  prevalence: number;
  ds_iterations: number;
}

export interface ConcordResult extends RewardResult {
  per_label: Record<string, ConcordLabelTerms>;
  readers: Record<string, ConcordReader>;
  /** Dawid–Skene posterior P(true) per label and case (all votes). */
  truth: Record<string, Record<string, number>>;
  credits: ConcordCredit[];
  /** "skill", or "labour" when nobody showed skill and the budget went by labour. */
  paid_by: "skill" | "labour";
}

interface PendingVote {
  label: string;
  caseId: string;
  reader: string;
  value: boolean;
  counted: boolean;
  /** Leave-one-out log-odds of the truth. */
  lambda: number;
  difficulty: number;
}

export interface ConcordParams extends RewardParams {
  /** The weight's margin in standard errors of J (default SKILL_MARGIN_SE). */
  skillMarginSe?: number;
}

export function concord(inputs: RewardInputs, params: ConcordParams = {}): ConcordResult {
  const budget = budgetOf(params);
  const margin = params.skillMarginSe ?? SKILL_MARGIN_SE;
  if (!(Number.isFinite(margin) && margin >= 0)) throw invalid([{ field: "skillMarginSe", message: `must be a number ≥ 0, got ${margin}` }]);
  const kappa0 = kappaThresholdOf(params);
  const ix = indexInputs(inputs);
  const { readers, labels } = ix;

  const pending: PendingVote[] = [];
  const truth: Record<string, Record<string, number>> = {};
  const perLabel: Record<string, ConcordLabelTerms> = {};
  const tau = new Map<string, number | null>();

  for (const label of labels) {
    const cells = ix.cells.get(label)!;
    const dsVotes: Array<{ item: string; rater: string; value: boolean }> = [];
    for (const cell of cells) {
      for (const v of cell.votes) dsVotes.push({ item: cell.caseId, rater: readerRater(v.reader), value: v.value });
      const call = aiCall(ix, label, cell.caseId);
      if (call !== undefined) dsVotes.push({ item: cell.caseId, rater: AI_RATER, value: call });
    }
    const ds = dawidSkeneBinary(dsVotes, { tolerance: Math.max(1e-10, DS_TOLERANCE_PER_VOTE * dsVotes.length) });
    const prior = Math.log(ds.prevalence / (1 - ds.prevalence));
    const evidence = (rater: string, value: boolean): number => {
      const sens = ds.sensitivity.get(rater)!;
      const spec = ds.specificity.get(rater)!;
      return value ? Math.log(sens / (1 - spec)) : Math.log((1 - sens) / spec);
    };

    truth[label] = {};
    let counted = 0;
    let positive = 0;
    let tied = 0;
    let contested = 0;
    for (const cell of cells) {
      truth[label][cell.caseId] = ds.posterior.get(cell.caseId)!;
      const call = aiCall(ix, label, cell.caseId);
      const raters = cell.votes.map((v) => evidence(readerRater(v.reader), v.value));
      const aiEvidence = call === undefined ? 0 : evidence(AI_RATER, call);
      const m = cell.votes.length;
      const NT = cell.votes.filter((v) => v.value).length;
      const difficulty = 1 + (1 - Math.abs(NT - (m - NT)) / m);
      const others = m - 1 + (call === undefined ? 0 : 1);
      if (others >= 1) {
        counted++;
        const p = truth[label][cell.caseId]!;
        if (p > 0.5) positive++;
        else if (p === 0.5) tied++;
      }
      if (NT > 0 && NT < m) contested++;
      cell.votes.forEach((v, i) => {
        let lambda = prior + aiEvidence;
        for (let r = 0; r < m; r++) if (r !== i) lambda += raters[r]!;
        pending.push({ label, caseId: cell.caseId, reader: v.reader, value: v.value, counted: others >= 1, lambda, difficulty });
      });
    }

    const times: number[] = [];
    for (const cell of cells) for (const v of cell.votes) if (v.seconds !== undefined) times.push(v.seconds);
    const cap = timeCap(times);
    const supplied = ix.labelSeconds?.get(label);
    tau.set(label, supplied ?? (times.length ? times.reduce((s, t) => s + Math.min(t, cap!), 0) / times.length : null));
    perLabel[label] = {
      T_k: counted ? positive / counted : 0,
      tau_k: 0,
      tbar_k: 0,
      weight: 0,
      cells_counted: counted,
      cells_skipped: cells.length - counted,
      pseudo_positive_cells: positive,
      tied_cells: tied,
      contested_cells: contested,
      time_cap: supplied === undefined ? cap : null,
      prevalence: ds.prevalence,
      ds_iterations: ds.iterations,
    };
  }

  // Labour per label.
  const known = labels.map((l) => tau.get(l)).filter((t): t is number => t !== null && t !== undefined);
  const fill = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const taus = labels.map((l) => tau.get(l) ?? fill);
  const maxTau = Math.max(0, ...taus);
  labels.forEach((l, i) => {
    const t = perLabel[l]!;
    t.tau_k = taus[i]!;
    t.tbar_k = maxTau > 0 ? taus[i]! / maxTau : 1;
    t.weight = t.tbar_k;
  });

  // Skill per reader against the leave-one-out truth.
  const acc = new Map(readers.map((r) => [r, { votes: 0, counted: 0, correct: 0, n1: 0, tp: 0, n0: 0, tn: 0 }]));
  for (const p of pending) {
    const a = acc.get(p.reader)!;
    a.votes++;
    if (!p.counted) continue;
    a.counted++;
    if (p.lambda !== 0 && p.value === p.lambda > 0) a.correct++;
    const q = sigmoid(p.lambda);
    a.n1 += q;
    a.n0 += 1 - q;
    if (p.value) a.tp += q;
    else a.tn += 1 - q;
  }
  const readerTerms = record(readers, (r): ConcordReader => {
    const a = acc.get(r)!;
    const base = { votes: a.votes, counted_votes: a.counted, correct_votes: a.correct };
    if (!(a.n1 > 0 && a.n0 > 0)) return { ...base, sensitivity: null, specificity: null, youden_j: null, youden_j_se: null, weight: 0 };
    const sens = a.tp / a.n1;
    const spec = a.tn / a.n0;
    const j = sens + spec - 1;
    const se = Math.sqrt((sens * (1 - sens)) / a.n1 + (spec * (1 - spec)) / a.n0);
    return { ...base, sensitivity: sens, specificity: spec, youden_j: j, youden_j_se: se, weight: Math.max(0, j - margin * se) };
  });

  // Credits and scores.
  const S_per_label = record(readers, () => record(labels, () => 0));
  const credits: ConcordCredit[] = pending.map((p) => {
    const correct = p.counted && p.lambda !== 0 && p.value === p.lambda > 0;
    const credit = correct ? perLabel[p.label]!.tbar_k * readerTerms[p.reader]!.weight * p.difficulty : 0;
    S_per_label[p.reader]![p.label]! += credit;
    return { label: p.label, caseId: p.caseId, reader: p.reader, counted: p.counted, correct, difficulty: p.difficulty, credit };
  });
  const S_total = record(readers, (r) => labels.reduce((s, l) => s + S_per_label[r]![l]!, 0));

  let basis = readers.map((r) => S_total[r]!);
  let paidBy: ConcordResult["paid_by"] = "skill";
  if (!(basis.reduce((a, b) => a + b, 0) > 0)) {
    paidBy = "labour";
    const votesOn = record(readers, () => record(labels, () => 0));
    for (const p of pending) votesOn[p.reader]![p.label]! += 1;
    basis = readers.map((r) => labels.reduce((s, l) => s + perLabel[l]!.tbar_k * votesOn[r]![l]!, 0));
    if (!(basis.reduce((a, b) => a + b, 0) > 0)) basis = readers.map((r) => acc.get(r)!.votes);
  }
  const total = basis.reduce((a, b) => a + b, 0);
  const raw = basis.map((s) => (total > 0 ? (budget * s) / total : 0));
  const ints = total > 0 ? largestRemainder(raw, budget)! : raw.map(() => 0);

  return {
    policy: "concord",
    config: { annotators: readers, budget, kappa_threshold: kappa0, filter: "none", min_votes: 2, payout: "whole-tokens" },
    per_label: perLabel,
    kappa_vs_ai: kappaVsAi(ix),
    filter_passed: record(readers, () => record(labels, () => true)),
    scores: {
      S_per_label,
      S_total,
      reward: record(readers, (r) => raw[readers.indexOf(r)]!),
      reward_int: record(readers, (r) => ints[readers.indexOf(r)]!),
    },
    readers: readerTerms,
    truth,
    credits,
    paid_by: paidBy,
  };
}

/** median + TIME_CAP_MADS robust standard deviations; with MAD 0 (most times equal) the cap is the median. */
export function timeCap(times: ReadonlyArray<number>): number | null {
  if (!times.length) return null;
  const med = median(times);
  const mad = median(times.map((t) => Math.abs(t - med)));
  return med + TIME_CAP_MADS * MAD_TO_SD * mad;
}

function median(xs: ReadonlyArray<number>): number {
  // A typed array sorts numerically and natively: ~10× faster than Array#sort with a comparator at 10^6.
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
