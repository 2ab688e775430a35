// Agreement statistics of binary label votes, per label and pooled over all labels (REWARD.md,
// "Statistics"). Pure: a plain JSON-serialisable result with sorted keys, no Maps.
import { cohenKappaCounts, FleissAccumulator } from "./kappa.js";
import { Coincidences } from "./krippendorff.js";

export interface AgreementVote {
  caseId: string;
  label: string;
  reader: string;
  value: boolean;
  seconds?: number | null;
  /** Optional confidence grade (ordinal), e.g. 1..5. */
  confidence?: number | null;
}

export interface AiCall {
  caseId: string;
  label: string;
  /** The AI's probability of "true"; its call is probability > 0.5. */
  probability: number;
}

export interface PairKappa {
  readerA: string;
  readerB: string;
  /** Cells both readers voted on. */
  n: number;
  /** Share of those cells where they agree (null when n = 0). */
  agreement: number | null;
  kappa: number | null;
}

export interface AiKappa {
  reader: string;
  /** Cells the reader voted on that have an AI probability. */
  n: number;
  agreement: number | null;
  kappa: number | null;
}

export interface AgreementStats {
  /** Cells (case × label) with at least one vote. */
  cells: number;
  votes: number;
  positiveVotes: number;
  /** Cells with ≥ 2 votes: the only ones that can agree or disagree. */
  cellsWith2Plus: number;
  /** Cells with exactly one vote (not counted as unanimous, positive or negative). */
  cellsLt2: number;
  /** Among cells with ≥ 2 votes: every vote true / every vote false / mixed. */
  allPositive: number;
  allNegative: number;
  mixed: number;
  /** (allPositive + allNegative) / cellsWith2Plus; null when there is no such cell. */
  unanimityRate: number | null;
  /**
   * Share of agreeing pairs among all pairs of votes in the same cell (each pair of readers on a
   * cell counts once). Equals Fleiss' P̄ when every cell has the same number of votes.
   */
  meanPairwiseAgreement: number | null;
  /** Fleiss' P̄: the mean over cells with ≥ 2 votes of each cell's pair agreement. */
  fleissPBar: number | null;
  fleissKappa: number | null;
  /** Krippendorff's α, nominal, over the cells as units. */
  krippendorffAlpha: number | null;
  /** Krippendorff's α, ordinal, over the confidence grades (null when no confidence was given). */
  confidenceAlpha: number | null;
  /** Cohen's κ for each pair of readers (sorted), over the cells both voted on. */
  readerPairs: PairKappa[];
  /** Cohen's κ of each reader (sorted) against the AI's call; empty without AI input. */
  readerVsAi: AiKappa[];
}

export interface CellMajority {
  caseId: string;
  label: string;
  votes: number;
  positives: number;
  /** true/false by strict majority; null on a tie. */
  majority: boolean | null;
}

export interface AgreementReport {
  labels: string[];
  readers: string[];
  perLabel: Array<{ label: string } & AgreementStats>;
  pooled: AgreementStats;
  /** Majority vote per cell, sorted by label then case (omitted with { cells: false }). */
  cells: CellMajority[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Running totals for one group of cells (a label, or everything), without keeping the cells. */
class Accumulator {
  cells = 0;
  votes = 0;
  positiveVotes = 0;
  cellsWith2Plus = 0;
  cellsLt2 = 0;
  allPositive = 0;
  allNegative = 0;
  agreeingPairs = 0;
  pairs = 0;
  anyConfidence = false;
  readonly fleiss = new FleissAccumulator(2);
  readonly alpha = new Coincidences([0, 1]);
  readonly confidence: Coincidences;
  // 2×2 tables [tt, tf, ft, ff] per reader pair (a*R + b, a < b) and per reader against the AI.
  readonly pairCounts: Float64Array;
  readonly aiCounts: Float64Array;
  private readonly row = new Float64Array(2);

  constructor(
    private readonly R: number,
    grades: number[],
  ) {
    this.pairCounts = new Float64Array(R * R * 4);
    this.aiCounts = new Float64Array(R * 4);
    this.confidence = new Coincidences(grades);
  }

  /**
   * One cell: codes[r] is 0 (no vote), 1 (false) or 2 (true) for reader r; ai is the same code for
   * the AI's call; gradeCounts the confidence grades as counts per grade (null if none given).
   */
  add(codes: Uint8Array, offset: number, ai: number, gradeCounts: Float64Array | null): void {
    const R = this.R;
    let m = 0;
    let pos = 0;
    for (let r = 0; r < R; r++) {
      const c = codes[offset + r]!;
      if (c === 0) continue;
      m++;
      if (c === 2) pos++;
      if (ai !== 0) this.aiCounts[r * 4 + (c === 2 ? (ai === 2 ? 0 : 1) : ai === 2 ? 2 : 3)]! += 1;
      for (let q = r + 1; q < R; q++) {
        const d = codes[offset + q]!;
        if (d === 0) continue;
        this.pairCounts[(r * R + q) * 4 + (c === 2 ? (d === 2 ? 0 : 1) : d === 2 ? 2 : 3)]! += 1;
      }
    }
    if (m === 0) return;
    this.cells++;
    this.votes += m;
    this.positiveVotes += pos;
    const neg = m - pos;
    if (m >= 2) {
      this.cellsWith2Plus++;
      if (neg === 0) this.allPositive++;
      else if (pos === 0) this.allNegative++;
      this.agreeingPairs += (pos * (pos - 1) + neg * (neg - 1)) / 2;
      this.pairs += (m * (m - 1)) / 2;
    } else {
      this.cellsLt2++;
    }
    this.row[0] = neg;
    this.row[1] = pos;
    this.fleiss.add(this.row);
    this.alpha.add(this.row);
    if (gradeCounts) {
      this.anyConfidence = true;
      this.confidence.add(gradeCounts);
    }
  }

  result(readers: string[], withAi: boolean): AgreementStats {
    const R = this.R;
    const fleiss = this.fleiss.result();
    const table = (c: Float64Array, o: number) => {
      const n = c[o]! + c[o + 1]! + c[o + 2]! + c[o + 3]!;
      return { n, agreement: n === 0 ? null : (c[o]! + c[o + 3]!) / n, kappa: cohenKappaCounts(c[o]!, c[o + 1]!, c[o + 2]!, c[o + 3]!) };
    };
    const readerPairs: PairKappa[] = [];
    for (let a = 0; a < R; a++) {
      for (let b = a + 1; b < R; b++) readerPairs.push({ readerA: readers[a]!, readerB: readers[b]!, ...table(this.pairCounts, (a * R + b) * 4) });
    }
    const readerVsAi: AiKappa[] = withAi ? readers.map((reader, a) => ({ reader, ...table(this.aiCounts, a * 4) })) : [];
    return {
      cells: this.cells,
      votes: this.votes,
      positiveVotes: this.positiveVotes,
      cellsWith2Plus: this.cellsWith2Plus,
      cellsLt2: this.cellsLt2,
      allPositive: this.allPositive,
      allNegative: this.allNegative,
      mixed: this.cellsWith2Plus - this.allPositive - this.allNegative,
      unanimityRate: this.cellsWith2Plus === 0 ? null : (this.allPositive + this.allNegative) / this.cellsWith2Plus,
      meanPairwiseAgreement: this.pairs === 0 ? null : this.agreeingPairs / this.pairs,
      fleissPBar: fleiss.pBar,
      fleissKappa: fleiss.kappa,
      krippendorffAlpha: this.alpha.result("nominal").alpha,
      confidenceAlpha: this.anyConfidence ? this.confidence.result("ordinal").alpha : null,
      readerPairs,
      readerVsAi,
    };
  }
}

/**
 * Agreement statistics per label and pooled. A reader's repeated vote on the same cell replaces
 * the earlier one (the last in input order counts), so each cell has at most one vote per reader.
 * Cells, readers and labels are walked in sorted order, so the result does not depend on input order
 * (apart from that last-vote rule).
 */
export function agreementStats(
  votes: ReadonlyArray<AgreementVote>,
  ai?: ReadonlyArray<AiCall> | null,
  opts: { cells?: boolean } = {},
): AgreementReport {
  const labelSet = new Set<string>();
  const readerSet = new Set<string>();
  const caseSet = new Set<string>();
  const gradeSet = new Set<number>();
  for (const v of votes) {
    labelSet.add(v.label);
    readerSet.add(v.reader);
    caseSet.add(v.caseId);
    if (v.confidence !== null && v.confidence !== undefined) {
      if (!Number.isFinite(v.confidence)) throw new RangeError(`confidence must be a finite number, got ${v.confidence}`);
      gradeSet.add(v.confidence);
    }
  }
  const labels = [...labelSet].sort(byString);
  const readers = [...readerSet].sort(byString);
  const cases = [...caseSet].sort(byString);
  const grades = [...gradeSet].sort((a, b) => a - b);
  const L = labels.length;
  const R = readers.length;
  const C = cases.length;
  const G = grades.length;
  const labelIndex = new Map(labels.map((x, i) => [x, i]));
  const readerIndex = new Map(readers.map((x, i) => [x, i]));
  const caseIndex = new Map(cases.map((x, i) => [x, i]));
  const gradeIndex = new Map(grades.map((x, i) => [x, i]));

  // Dense grid: cell (label l, case c) holds R codes at ((l*C + c) * R): 0 none, 1 false, 2 true.
  const codes = new Uint8Array(L * C * R);
  // Confidence grade index + 1 per vote (0: none given).
  const gradeOf = G > 0 ? new Uint32Array(L * C * R) : null;
  for (const v of votes) {
    const at = (labelIndex.get(v.label)! * C + caseIndex.get(v.caseId)!) * R + readerIndex.get(v.reader)!;
    codes[at] = v.value ? 2 : 1;
    if (gradeOf) gradeOf[at] = v.confidence === null || v.confidence === undefined ? 0 : gradeIndex.get(v.confidence)! + 1;
  }
  const aiCodes = new Uint8Array(L * C);
  const withAi = ai !== undefined && ai !== null;
  for (const a of ai ?? []) {
    const l = labelIndex.get(a.label);
    const c = caseIndex.get(a.caseId);
    // AI calls on cells nobody voted on carry no agreement information.
    if (l === undefined || c === undefined) continue;
    aiCodes[l * C + c] = a.probability > 0.5 ? 2 : 1;
  }

  const pooled = new Accumulator(R, grades);
  const perLabel: AgreementReport["perLabel"] = [];
  const cells: CellMajority[] = [];
  const gradeCounts = new Float64Array(G);
  for (let l = 0; l < L; l++) {
    const acc = new Accumulator(R, grades);
    for (let c = 0; c < C; c++) {
      const cell = l * C + c;
      const offset = cell * R;
      let counts: Float64Array | null = null;
      if (gradeOf) {
        gradeCounts.fill(0);
        for (let r = 0; r < R; r++) {
          const g = gradeOf[offset + r]!;
          if (g > 0 && codes[offset + r] !== 0) {
            gradeCounts[g - 1]! += 1;
            counts = gradeCounts;
          }
        }
      }
      acc.add(codes, offset, aiCodes[cell]!, counts);
      pooled.add(codes, offset, aiCodes[cell]!, counts);
      if (opts.cells !== false) {
        let m = 0;
        let pos = 0;
        for (let r = 0; r < R; r++) {
          const x = codes[offset + r]!;
          if (x !== 0) m++;
          if (x === 2) pos++;
        }
        if (m === 0) continue;
        const neg = m - pos;
        cells.push({ caseId: cases[c]!, label: labels[l]!, votes: m, positives: pos, majority: pos > neg ? true : pos < neg ? false : null });
      }
    }
    perLabel.push({ label: labels[l]!, ...acc.result(readers, withAi) });
  }
  return { labels, readers, perLabel, pooled: pooled.result(readers, withAi), cells };
}
