// Agreement of a label group ("choice group"): readers vote per label (binary), and each reader's
// answer on a case is the one label of the group they marked present. Pure: a plain
// JSON-serialisable result with sorted keys, no Maps.
import { BINARY_SMOOTHING, dawidSkene } from "./dawid-skene.js";
import { cohenKappaCategorical, FleissAccumulator } from "./kappa.js";
import { krippendorffDetails } from "./krippendorff.js";

export interface ChoiceGroupSpec {
  groupId: string;
  /** The group's labels, in the group's order (an ordinal group's ranks 0..k−1). */
  labelIds: readonly string[];
  ordinal: boolean;
  /** Every submission must choose one; otherwise "none of them" is an answer. */
  required: boolean;
}

export interface GroupVote {
  caseId: string;
  readerId: string;
  labelId: string;
  value: boolean;
}

export interface GroupPair {
  readerA: string;
  readerB: string;
  /** Cases both readers answered. */
  n: number;
  /** Share of those cases with the same answer (null when n = 0). */
  agreement: number | null;
  /** Cohen's κ over all categories. */
  kappa: number | null;
  /** Ordinal groups: quadratic-weighted κ over the cases where both chose a label ("none" left out); null otherwise. */
  weightedKappa: number | null;
}

export interface GroupAgreement {
  groupId: string;
  /** The categories in order: the group's label ids, then null ("none of them") unless the group is required. */
  categories: Array<string | null>;
  /** (case, reader) answers counted. */
  answers: number;
  /** (case, reader) left out: more than one of the group's labels present (a submission from before the group existed), or none in a required group. */
  invalid: number;
  /** Cases with at least one counted answer, and with two or more. */
  cases: number;
  casesWith2Plus: number;
  /** Cases where every answer (2+) is the same, over casesWith2Plus. */
  unanimityRate: number | null;
  /** Fleiss' P̄: the mean over cases with 2+ answers of the share of agreeing reader pairs. */
  meanPairwiseAgreement: number | null;
  fleissKappa: number | null;
  /** Krippendorff's α, nominal, over all categories. */
  krippendorffAlpha: number | null;
  /** Ordinal groups only (null otherwise): Krippendorff's α with the ordinal metric over the labels' ranks; "none" answers left out. */
  krippendorffAlphaOrdinal: number | null;
  /** Ordinal groups only: the mean over reader pairs (with n ≥ 1 and a defined value) of the quadratic-weighted κ. */
  meanWeightedKappa: number | null;
  /** Every two readers who answered a common case, sorted by readerA then readerB (ids), readerA < readerB. */
  readerPairs: GroupPair[];
  /** confusion[i][j]: over every case and every unordered pair of readers who answered it, counted in both orders (so symmetric), answers i and j. */
  confusion: number[][];
  /** Each reader's answers per category (same order as categories), readers with a counted answer sorted by id. */
  readerCounts: Array<{ readerId: string; counts: number[] }>;
  /**
   * K-class Dawid–Skene over the counted answers (items = cases); null without answers. prevalence
   * per category; per reader the estimated accuracy Σ_k prior_k·confusion[k][k], and votes.
   */
  dawidSkene: {
    prevalence: number[];
    converged: boolean;
    iterations: number;
    readers: Array<{ readerId: string; accuracy: number; votes: number }>;
  } | null;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A group's answers in order: its label ids, then null ("none of them") unless the group is required. */
export function groupCategories(group: Pick<ChoiceGroupSpec, "labelIds" | "required">): Array<string | null> {
  return [...group.labelIds, ...(group.required ? [] : [null])];
}

/** Each reader's answer to a group on each case, as groupAgreement reads them (see there). */
export interface GroupAnswers {
  /** The categories in order: the group's label ids, then null ("none of them") unless the group is required. */
  categories: Array<string | null>;
  /** Readers with a vote on one of the group's labels, sorted by id. */
  readers: string[];
  /** Cases with at least one counted answer, sorted by id; each answer [index into readers, category], readers in order. */
  perCase: Array<{ caseId: string; answers: Array<[number, number]> }>;
  /** (case, reader) left out: more than one of the group's labels present, or none in a required group. */
  invalid: number;
}

/**
 * A (case, reader) has an answer only if it has a vote on one of the group's labels (votes on
 * others are ignored): the one label voted true; none true, the "none" category where the group is
 * not required (else invalid); two or more true, invalid. A repeated vote replaces the earlier one.
 */
export function groupAnswers(votes: ReadonlyArray<GroupVote>, group: ChoiceGroupSpec): GroupAnswers {
  const L = group.labelIds.length;
  const labelIndex = new Map<string, number>();
  group.labelIds.forEach((id, i) => {
    if (labelIndex.has(id)) throw new RangeError(`label ${id} appears twice in group ${group.groupId}`);
    labelIndex.set(id, i);
  });
  const none = group.required ? -1 : L;
  const categories = groupCategories(group);

  // case → reader → the group's labels as codes: 0 no vote, 1 false, 2 true.
  const grid = new Map<string, Map<string, Uint8Array>>();
  for (const v of votes) {
    const l = labelIndex.get(v.labelId);
    if (l === undefined) continue;
    let byReader = grid.get(v.caseId);
    if (!byReader) grid.set(v.caseId, (byReader = new Map()));
    let codes = byReader.get(v.readerId);
    if (!codes) byReader.set(v.readerId, (codes = new Uint8Array(L)));
    codes[l] = v.value ? 2 : 1;
  }

  const readerSet = new Set<string>();
  for (const byReader of grid.values()) for (const r of byReader.keys()) readerSet.add(r);
  const readers = [...readerSet].sort(byString);
  const readerIndex = new Map(readers.map((r, i) => [r, i]));

  let invalid = 0;
  const perCase: GroupAnswers["perCase"] = [];
  for (const caseId of [...grid.keys()].sort(byString)) {
    const byReader = grid.get(caseId)!;
    const answers: Array<[number, number]> = [];
    for (const readerId of [...byReader.keys()].sort(byString)) {
      const codes = byReader.get(readerId)!;
      let chosen = -1;
      let present = 0;
      for (let l = 0; l < L; l++) {
        if (codes[l] === 2) {
          present++;
          chosen = l;
        }
      }
      const answer = present === 1 ? chosen : present === 0 ? none : -1;
      if (answer < 0) invalid++;
      else answers.push([readerIndex.get(readerId)!, answer]);
    }
    if (answers.length > 0) perCase.push({ caseId, answers });
  }
  return { categories, readers, perCase, invalid };
}

/**
 * Agreement statistics of one label group. A (case, reader) has an answer only if it has at least
 * one vote on one of the group's labels (votes on other labels are ignored): the index of the one
 * label voted true; none true → the "none" category (index labelIds.length) unless the group is
 * required, where it is invalid; two or more true → invalid. A reader's repeated vote on the same
 * (case, label) replaces the earlier one (the last in input order counts). Cases and readers are
 * walked in sorted order, so the result does not depend on input order otherwise.
 * dsOptions: the EM settings (e.g. reviewDawidSkeneOptions); the library defaults without them.
 */
export function groupAgreement(
  votes: ReadonlyArray<GroupVote>,
  group: ChoiceGroupSpec,
  dsOptions: { tolerance?: number; maxIterations?: number } = {},
): GroupAgreement {
  const L = group.labelIds.length;
  const { categories, readers, perCase, invalid } = groupAnswers(votes, group);
  const K = categories.length;
  const R = readers.length;

  let answerCount = 0;
  let casesWith2Plus = 0;
  let unanimous = 0;
  const fleiss = new FleissAccumulator(K);
  const nominalUnits: number[][] = [];
  const ordinalUnits: number[][] = [];
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const readerCounts = new Float64Array(R * K);
  // Paired answers per reader pair (key a*R + b, a < b).
  const pairAnswers = new Map<number, Array<[number, number]>>();
  const row = new Float64Array(K);
  const dsVotes: Array<{ item: string; rater: string; value: number }> = [];
  for (const { caseId, answers } of perCase) {
    const m = answers.length;
    answerCount += m;
    row.fill(0);
    for (const [r, x] of answers) {
      row[x]! += 1;
      readerCounts[r * K + x]! += 1;
      dsVotes.push({ item: caseId, rater: readers[r]!, value: x });
    }
    fleiss.add(row);
    nominalUnits.push(answers.map(([, x]) => x));
    if (group.ordinal) ordinalUnits.push(answers.filter(([, x]) => x < L).map(([, x]) => x));
    if (m >= 2) {
      casesWith2Plus++;
      if (answers.every(([, x]) => x === answers[0]![1])) unanimous++;
    }
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const [a, x] = answers[p]!;
        const [b, y] = answers[q]!;
        confusion[x]![y]! += 1;
        confusion[y]![x]! += 1;
        const key = a * R + b;
        const list = pairAnswers.get(key);
        if (list) list.push([x, y]);
        else pairAnswers.set(key, [[x, y]]);
      }
    }
  }

  const readerPairs: GroupPair[] = [...pairAnswers.keys()]
    .sort((a, b) => a - b)
    .map((key) => {
      const pairs = pairAnswers.get(key)!;
      const same = pairs.filter(([x, y]) => x === y).length;
      // The ordinal κ leaves "none" out, as the ordinal α does: it has no rank among the labels.
      const ranked = group.ordinal ? pairs.filter(([x, y]) => x < L && y < L) : [];
      return {
        readerA: readers[Math.floor(key / R)]!,
        readerB: readers[key % R]!,
        n: pairs.length,
        agreement: same / pairs.length,
        kappa: cohenKappaCategorical(pairs, K),
        weightedKappa: group.ordinal && L > 0 ? cohenKappaCategorical(ranked, L, "quadratic") : null,
      };
    });
  const weighted = readerPairs.map((p) => p.weightedKappa).filter((k): k is number => k !== null);

  const f = fleiss.result();
  return {
    groupId: group.groupId,
    categories,
    answers: answerCount,
    invalid,
    cases: perCase.length,
    casesWith2Plus,
    unanimityRate: casesWith2Plus === 0 ? null : unanimous / casesWith2Plus,
    meanPairwiseAgreement: f.pBar,
    fleissKappa: f.kappa,
    krippendorffAlpha: krippendorffDetails(nominalUnits, "nominal").alpha,
    krippendorffAlphaOrdinal: group.ordinal ? krippendorffDetails(ordinalUnits, "ordinal").alpha : null,
    meanWeightedKappa: group.ordinal && weighted.length > 0 ? weighted.reduce((s, k) => s + k, 0) / weighted.length : null,
    readerPairs,
    confusion,
    readerCounts: readers
      .map((readerId, r) => ({ readerId, counts: Array.from(readerCounts.subarray(r * K, (r + 1) * K)) }))
      .filter((c) => c.counts.some((n) => n > 0)),
    dawidSkene: groupDawidSkene(dsVotes, K, dsOptions),
  };
}

/**
 * K-class Dawid–Skene over the answers. Smoothing: the binary path's BINARY_SMOOTHING pseudo-count
 * per confusion entry, mirrored here, since with K classes and few votes per reader most confusion
 * entries are 0 and a reader's perfect record would otherwise make every later disagreement
 * impossible (posteriors hard 0/1). With K entries per row the pseudo-counts add 0.01·K per row:
 * still negligible next to tens of answers.
 */
function groupDawidSkene(
  votes: Array<{ item: string; rater: string; value: number }>,
  K: number,
  opts: { tolerance?: number; maxIterations?: number },
): GroupAgreement["dawidSkene"] {
  if (votes.length === 0) return null;
  const ds = dawidSkene(votes, { ...opts, classes: K, smoothing: BINARY_SMOOTHING });
  const counts = new Map<string, number>();
  for (const v of votes) counts.set(v.rater, (counts.get(v.rater) ?? 0) + 1);
  return {
    prevalence: ds.prior,
    converged: ds.converged,
    iterations: ds.iterations,
    // ds.raters is sorted.
    readers: ds.raters.map((readerId) => {
      const c = ds.confusion.get(readerId)!;
      let accuracy = 0;
      for (let k = 0; k < K; k++) accuracy += ds.prior[k]! * c[k]![k]!;
      return { readerId, accuracy, votes: counts.get(readerId)! };
    }),
  };
}

export interface GroupCaseAnswers {
  caseId: string;
  /** [reader id, category index], readers sorted by id. */
  answers: Array<[string, number]>;
  /** Ordinal groups: the steps between the lowest and the highest label answered ("none" counts as one more step apart than any label); otherwise the number of different answers less one. */
  spread: number;
}

/**
 * The cases of a group where the readers' answers differ, widest spread first (then by case id):
 * the list a reviewer works through. With `pair` [a, b], the cases where one reader answered a and
 * another b instead: the cases behind one cell of the confusion matrix (a = b: where two agreed on it).
 */
export function groupCases(answers: GroupAnswers, ordinal: boolean, pair: readonly [number, number] | null = null): GroupCaseAnswers[] {
  const labels = answers.categories.filter((c) => c !== null).length;
  const out: GroupCaseAnswers[] = [];
  for (const { caseId, answers: given } of answers.perCase) {
    const values = given.map(([, x]) => x);
    if (pair) {
      const [a, b] = pair;
      const i = values.indexOf(a);
      if (i < 0 || !values.some((x, j) => x === b && j !== i)) continue;
    } else if (new Set(values).size < 2) continue;
    const distinct = new Set(values).size;
    const ranks = values.map((x) => (x < labels ? x : labels));
    const spread = ordinal ? Math.max(...ranks) - Math.min(...ranks) : distinct - 1;
    out.push({ caseId, answers: given.map(([r, x]) => [answers.readers[r]!, x]), spread });
  }
  return out.sort((p, q) => q.spread - p.spread || byString(p.caseId, q.caseId));
}

/** One label's consensus inputs on one case: readers counted and those who gave it present. */
export interface ConsensusCount {
  caseKey: string;
  readers: number;
  positive: number;
  /** The label's group (by name, unique in a project) and whether it is required; null for a label in none. */
  group: string | null;
  groupRequired: boolean | null;
  /** A reviewer decided the cell: the count is the decision (readers 1), and the case's group is left to the decisions. */
  adjudicated: boolean;
}

/** Strict majority of the readers: more than half say yes → true, fewer than half → false, a tie (or nobody) → null. */
export const majorityOf = (readers: number, positive: number): boolean | null => (positive * 2 > readers ? true : positive * 2 < readers ? false : null);

/**
 * The consensus of each row: its label's majority, except for a label group's labels on a case no
 * reviewer decided any of them on. There the group's answer is the one most readers gave (its
 * labels, and none of them where the group is not required), that label present and the group's
 * others absent; none of them, all absent; a tie, all undecided (null). Each label's majority on its
 * own would say "absent" to every label where three readers answer three ways, a "none" no reader gave.
 */
export function consensusValues(rows: readonly ConsensusCount[]): Array<boolean | null> {
  const values = rows.map((r) => majorityOf(r.readers, r.positive));
  const byGroup = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.group === null) return;
    const key = `${r.caseKey}\u0000${r.group}`;
    (byGroup.get(key) ?? byGroup.set(key, []).get(key)!).push(i);
  });
  for (const members of byGroup.values()) {
    if (members.some((i) => rows[i]!.adjudicated)) continue;
    const readers = Math.max(...members.map((i) => rows[i]!.readers));
    const counts = members.map((i) => rows[i]!.positive);
    if (!rows[members[0]!]!.groupRequired) counts.push(Math.max(0, readers - counts.reduce((a, b) => a + b, 0)));
    const most = Math.max(...counts);
    const winners = counts.flatMap((c, k) => (c === most ? [k] : []));
    members.forEach((i, k) => {
      values[i] = winners.length === 1 && most > 0 ? winners[0] === k : null;
    });
  }
  return values;
}
