// Chance-corrected agreement for categorical votes. Pure functions, no I/O.

/**
 * Cohen's κ of two binary raters over paired votes: (po − pe) / (1 − pe).
 * null when there are no pairs or the expected agreement is 1 (both raters constant and equal,
 * where κ is 0/0 and says nothing).
 */
export function cohenKappa(pairs: ReadonlyArray<readonly [boolean, boolean]>): number | null {
  let tt = 0;
  let tf = 0;
  let ft = 0;
  let ff = 0;
  for (const [a, b] of pairs) {
    if (a) {
      if (b) tt++;
      else tf++;
    } else if (b) ft++;
    else ff++;
  }
  return cohenKappaCounts(tt, tf, ft, ff);
}

/** Cohen's κ from the 2×2 table: tt = both true, tf = first true and second false, and so on. */
export function cohenKappaCounts(tt: number, tf: number, ft: number, ff: number): number | null {
  const n = tt + tf + ft + ff;
  if (n === 0) return null;
  const po = (tt + ff) / n;
  const pa = (tt + tf) / n;
  const pb = (tt + ft) / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

export type KappaWeights = "none" | "linear" | "quadratic";

/** Disagreement weight of categories i and j out of k: 0 on the diagonal. */
function kappaWeight(i: number, j: number, k: number, weights: KappaWeights): number {
  if (i === j) return 0;
  switch (weights) {
    case "none":
      return 1;
    case "linear":
      return Math.abs(i - j) / (k - 1);
    case "quadratic":
      return ((i - j) / (k - 1)) ** 2;
    default:
      throw new RangeError(`unknown kappa weights ${String(weights)}`);
  }
}

/**
 * Cohen's κ of two raters over k categories 0..k−1, unweighted or weighted (linear |i−j|/(k−1),
 * quadratic ((i−j)/(k−1))²): κ_w = 1 − Σ w_ij o_ij / Σ w_ij e_ij with o the observed proportions and
 * e the product of the marginals. Unweighted (disagreement weight 1 off the diagonal) this is the
 * usual (po − pe)/(1 − pe). null when there is no pair or when the expected disagreement is 0 (both
 * raters always gave the same single category).
 */
export function cohenKappaCategorical(pairs: ReadonlyArray<readonly [number, number]>, k: number, weights: KappaWeights = "none"): number | null {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const counts = new Float64Array(k * k);
  const rowA = new Float64Array(k);
  const colB = new Float64Array(k);
  for (const [a, b] of pairs) {
    for (const x of [a, b]) if (!Number.isInteger(x) || x < 0 || x >= k) throw new RangeError(`category must be an integer in 0..${k - 1}, got ${x}`);
    counts[a * k + b]! += 1;
    rowA[a]! += 1;
    colB[b]! += 1;
  }
  const n = pairs.length;
  if (n === 0) return null;
  // In counts: Σ w o / Σ w e = (Σ w O / n) / (Σ w A B / n²). Off-diagonal products are summed
  // rather than taking 1 − pe, so "no expected disagreement" is an exact 0.
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = kappaWeight(i, j, k, weights);
      if (w === 0) continue;
      observed += w * counts[i * k + j]!;
      expected += w * rowA[i]! * colB[j]!;
    }
  }
  if (expected === 0) return null;
  return 1 - (n * observed) / expected;
}

export interface FleissResult {
  /** Fleiss' κ, or null when undefined (no cell with ≥ 2 votes, or expected agreement 1). */
  kappa: number | null;
  /** Mean observed agreement P̄ over cells with ≥ 2 votes (null when there is none). */
  pBar: number | null;
  /** Expected agreement P̄e = Σ p_c² from the category shares of the votes in those cells. */
  pE: number | null;
  /** Cells with ≥ 2 votes (the ones that count). */
  cells: number;
  /** Cells with fewer than 2 votes: skipped, since a lone vote cannot agree or disagree. */
  skipped: number;
}

/**
 * Fleiss' κ for cells with varying numbers of votes (binary or categorical).
 * Each inner array holds the votes of one cell; categories are the distinct values (false = 0,
 * true = 1). See fleissFromTable for the formula.
 */
export function fleissDetails(cells: ReadonlyArray<ReadonlyArray<number | boolean>>): FleissResult {
  const categories = new Set<number>();
  for (const cell of cells) for (const v of cell) categories.add(typeof v === "boolean" ? (v ? 1 : 0) : v);
  // Sorted categories so sums run in the same order whatever order the votes came in.
  const sorted = [...categories].sort((a, b) => a - b);
  const index = new Map(sorted.map((c, i) => [c, i]));
  const table = cells.map((cell) => {
    const row = new Array<number>(sorted.length).fill(0);
    for (const v of cell) row[index.get(typeof v === "boolean" ? (v ? 1 : 0) : v)!]! += 1;
    return row;
  });
  return fleissFromTable(table);
}

/**
 * Fleiss' κ from a count table: one row per cell, one column per category (the classic layout).
 * Rows with fewer than 2 votes are skipped for both P̄ and the category shares: a lone vote can
 * neither agree nor disagree. The observed agreement of a row with n votes is
 * Σ_c n_c(n_c − 1) / (n(n − 1)) and P̄ is their plain mean; pe = Σ_c p_c² with p_c the share of
 * all counted votes in category c (the usual generalisation to unequal n).
 */
export function fleissFromTable(table: ReadonlyArray<ArrayLike<number>>): FleissResult {
  let width = 0;
  for (const row of table) width = Math.max(width, row.length);
  const acc = new FleissAccumulator(width);
  for (const row of table) acc.add(row);
  return acc.result();
}

/** Fleiss' κ built up one cell at a time (counts per category), without keeping the cells. */
export class FleissAccumulator {
  private readonly totals: Float64Array;
  private totalVotes = 0;
  private sumP = 0;
  private counted = 0;
  private skipped = 0;

  constructor(readonly categories: number) {
    this.totals = new Float64Array(categories);
  }

  add(row: ArrayLike<number>): void {
    let n = 0;
    for (let c = 0; c < row.length; c++) n += row[c]!;
    if (n < 2) {
      this.skipped++;
      return;
    }
    let same = 0;
    for (let c = 0; c < row.length; c++) {
      const k = row[c]!;
      same += k * (k - 1);
      this.totals[c]! += k;
    }
    this.sumP += same / (n * (n - 1));
    this.totalVotes += n;
    this.counted++;
  }

  result(): FleissResult {
    if (this.counted === 0) return { kappa: null, pBar: null, pE: null, cells: 0, skipped: this.skipped };
    const pBar = this.sumP / this.counted;
    let pE = 0;
    for (let c = 0; c < this.categories; c++) {
      const p = this.totals[c]! / this.totalVotes;
      pE += p * p;
    }
    const kappa = pE >= 1 ? null : (pBar - pE) / (1 - pE);
    return { kappa, pBar, pE, cells: this.counted, skipped: this.skipped };
  }
}

/** Fleiss' κ (see fleissDetails); null when undefined. */
export function fleissKappa(cells: ReadonlyArray<ReadonlyArray<number | boolean>>): number | null {
  return fleissDetails(cells).kappa;
}
