// Review analysis over readers' votes: project agreement, the case × label heatmap and the list of
// discrepancies. Pure: rows in, plain objects out; the service reads the rows and checks access.
import {
  agreementStats,
  aucInterval,
  dawidSkeneBinary,
  delongAuc,
  rocCurve,
  roiMask,
  summariseTimes,
  timeStats,
  dice,
  groupAgreement,
  iou,
  lengthBlandAltman,
  matchLines,
  matchPoints,
  mean,
  meanDistance,
  median,
  medianDistance,
  matchingF1,
  withinRadii,
  DEFAULT_POINT_TOLERANCE,
  type AgreementStats,
  type BlandAltman,
  type ChoiceGroupSpec,
  type GroupAgreement,
  type LengthUnit,
  type LineMatching,
  type LineXY,
  type PointMatching,
  type RocPoint,
  type TimeSummary,
  type WithinRadius,
} from "./stats/index.js";
import { distanceMm } from "../images/spacing.js";
import { isAreaShape } from "../projects/roi-shape.js";
import type { AdjudicationRow, RoiVoteRow, VoteRow } from "./review.repository.js";

export interface DawidSkeneLabel {
  prevalence: number;
  converged: boolean;
  iterations: number;
  readers: Array<{ readerId: string; sensitivity: number; specificity: number; votes: number }>;
  /** P(true) per case. */
  posterior: Map<string, number>;
}

export interface LabelAgreement {
  labelId: string;
  agreement: AgreementStats;
  dawidSkene: DawidSkeneLabel | null;
  time: TimeSummary;
  readerTimes: Array<{ readerId: string } & TimeSummary>;
}

export interface OverlapSummary {
  /** Comparisons: (case, image, frame) × reader pair where at least one drew a region of the class. */
  n: number;
  meanDice: number | null;
  meanIou: number | null;
  medianDice: number | null;
}

/** Readers' points of point classes, matched one to one within the tolerance (stats/points.ts). */
export interface PointSummary {
  /** Comparisons: (case, image, frame) × reader pair where at least one marked a point of the class. */
  n: number;
  /** Pairs of points within the tolerance, summed over the comparisons. */
  matched: number;
  /** Points of either reader without a partner, summed over the comparisons. */
  unmatched: number;
  meanF1: number | null;
  medianF1: number | null;
  /** Over every matched pair, in image pixels; null without one. */
  meanDistance: number | null;
  medianDistance: number | null;
  /** The matched pairs on images with a pixel spacing, and their distances in millimetres (null without one). */
  matchedInMm: number;
  meanDistanceMm: number | null;
  medianDistanceMm: number | null;
  /** The success detection rate: per radius (2, 2.5, 3, 4 mm), the pairs of those in mm at most that far apart, and their share. */
  withinMm: WithinRadius[];
}

/** One comparison of two readers' points: their matching, and its pairs' distances in mm where the image has a spacing. */
type PointComparison = PointMatching & { mm: number[] | null };

/** Readers' lines of line classes, matched one to one by their midpoints within the point tolerance, and their lengths compared (stats/lines.ts). */
export interface LineSummary {
  /** Comparisons: (case, image, frame) × reader pair where at least one drew a line of the class. */
  n: number;
  /** Pairs of lines with midpoints within the tolerance, summed over the comparisons. */
  matched: number;
  /** Lines of either reader without a partner, summed over the comparisons. */
  unmatched: number;
  meanF1: number | null;
  medianF1: number | null;
  /** Mean of |length A − length B| over every matched pair, in image pixels; null without one. */
  meanAbsLengthDifference: number | null;
  /** The matched pairs on images with a pixel spacing, and the same mean over them in millimetres (null without one). */
  matchedInMm: number;
  meanAbsLengthDifferenceMm: number | null;
}

/** A reader pair's lines: with the Bland–Altman figures of reader A's length minus reader B's over the matched pairs. */
export type PairLineSummary = LineSummary & { blandAltman: BlandAltman & { unit: LengthUnit } };

/**
 * A class's or a reader pair's comparisons: Dice of areas (n 0 where none were compared), the
 * matching of points and that of lines (each null where none were compared).
 */
export type RoiAgreement<Lines = LineSummary> = OverlapSummary & { points: PointSummary | null; lines: Lines | null };

export interface ProjectAgreementResult {
  readers: string[];
  labels: LabelAgreement[];
  /** Each label group's answers compared (stats/groups.ts). */
  groups: GroupAgreement[];
  pooled: AgreementStats;
  time: TimeSummary;
  readerTimes: Array<{ readerId: string } & TimeSummary>;
  roiClasses: Array<{ classId: string } & RoiAgreement>;
  roiPairs: Array<{ readerA: string; readerB: string } & RoiAgreement<PairLineSummary>>;
  /** Comparisons of areas skipped because the image's size is unknown (points and lines need no size). */
  roiSkipped: number;
  /** The distance in image pixels within which two readers' points, or their lines' midpoints, count as the same place. */
  pointTolerance: number;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * EM settings for review: stop when the log-likelihood moves by less than 1e-9 per vote, or after
 * 200 rounds. The library default (1e-10 absolute, 1000 rounds) never stops early on tens of
 * thousands of noisy votes (tens of seconds per label); posteriors shown to two digits do not move.
 */
export const reviewDawidSkeneOptions = (votes: number) => ({ tolerance: 1e-9 * Math.max(1, votes), maxIterations: 200 });

/** Dawid–Skene for one label's votes (items are cases); null without votes. */
export function dawidSkeneLabel(votes: readonly VoteRow[]): DawidSkeneLabel | null {
  if (!votes.length) return null;
  const ds = dawidSkeneBinary(
    votes.map((v) => ({ item: v.caseId, rater: v.readerId, value: v.value })),
    reviewDawidSkeneOptions(votes.length),
  );
  const counts = new Map<string, number>();
  for (const v of votes) counts.set(v.readerId, (counts.get(v.readerId) ?? 0) + 1);
  return {
    prevalence: ds.prevalence,
    converged: ds.converged,
    iterations: ds.iterations,
    readers: [...ds.sensitivity.keys()].sort(byString).map((readerId) => ({
      readerId,
      sensitivity: ds.sensitivity.get(readerId)!,
      specificity: ds.specificity.get(readerId)!,
      votes: counts.get(readerId) ?? 0,
    })),
    posterior: ds.posterior,
  };
}

/**
 * agreementStats and timeStats over the votes (ids as labels and readers), Dawid–Skene per label,
 * each label group's answers compared (groupAgreement), and the readers' regions and points
 * compared (roiOverlaps).
 */
export function projectAgreement(
  votes: readonly VoteRow[],
  labelOrder: readonly string[],
  rois: readonly RoiVoteRow[],
  submitted: ReadonlyArray<{ caseId: string; readerId: string }>,
  pointTolerance: number = DEFAULT_POINT_TOLERANCE,
  groups: readonly ChoiceGroupSpec[] = [],
): ProjectAgreementResult {
  const report = agreementStats(
    votes.map((v) => ({ caseId: v.caseId, label: v.labelId, reader: v.readerId, value: v.value, confidence: v.confidence, seconds: v.seconds })),
    null,
    { cells: false },
  );
  const byLabel = groupBy(votes, (v) => v.labelId);
  const order = new Map(labelOrder.map((id, i) => [id, i]));
  const perLabel = [...report.perLabel].sort((a, b) => (order.get(a.label) ?? 1e9) - (order.get(b.label) ?? 1e9) || byString(a.label, b.label));
  const times = timeStats(votes.map((v) => ({ label: v.labelId, reader: v.readerId, seconds: v.seconds })));
  const timeOf = new Map(times.perLabel.map(({ label, ...t }) => [label, t]));
  const labels: LabelAgreement[] = perLabel.map(({ label, ...agreement }) => {
    const own = byLabel.get(label) ?? [];
    return {
      labelId: label,
      agreement,
      dawidSkene: dawidSkeneLabel(own),
      // timeStats lists only labels with a time; a label without any gets the empty summary.
      time: timeOf.get(label) ?? summariseTimes([]),
      readerTimes: timeStats(own.map((v) => ({ label, reader: v.readerId, seconds: v.seconds }))).perReader.map(({ reader, ...t }) => ({ readerId: reader, ...t })),
    };
  });
  const overlap = roiOverlaps(rois, submitted, { pointTolerance });
  return {
    readers: report.readers,
    labels,
    groups: groups.map((g) => {
      const own = g.labelIds.flatMap((id) => byLabel.get(id) ?? []);
      return groupAgreement(own, g, reviewDawidSkeneOptions(own.length));
    }),
    pooled: report.pooled,
    time: times.pooled,
    readerTimes: times.perReader.map(({ reader, ...t }) => ({ readerId: reader, ...t })),
    ...overlap,
    pointTolerance,
  };
}

function summariseOverlap(pairs: ReadonlyArray<{ dice: number; iou: number }>): OverlapSummary {
  const n = pairs.length;
  if (!n) return { n: 0, meanDice: null, meanIou: null, medianDice: null };
  const d = pairs.map((p) => p.dice).sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  return {
    n,
    meanDice: d.reduce((s, x) => s + x, 0) / n,
    meanIou: pairs.reduce((s, p) => s + p.iou, 0) / n,
    medianDice: n % 2 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2,
  };
}

function distancesMm(mm: readonly number[]): Pick<PointSummary, "matchedInMm" | "meanDistanceMm" | "medianDistanceMm" | "withinMm"> {
  return { matchedInMm: mm.length, meanDistanceMm: mean(mm), medianDistanceMm: median(mm), withinMm: withinRadii(mm) };
}

/** Null without a comparison of points. */
function summarisePoints(matchings: readonly PointComparison[]): PointSummary | null {
  const n = matchings.length;
  if (!n) return null;
  const f1 = matchings.map((m) => matchingF1(m)!);
  const pairs = matchings.flatMap((m) => m.pairs);
  return {
    n,
    matched: pairs.length,
    unmatched: matchings.reduce((s, m) => s + m.unmatchedA + m.unmatchedB, 0),
    meanF1: mean(f1),
    medianF1: median(f1),
    meanDistance: meanDistance(pairs),
    medianDistance: medianDistance(pairs),
    ...distancesMm(matchings.flatMap((m) => m.mm ?? [])),
  };
}

/** Null without a comparison of lines. */
function summariseLines(matchings: readonly LineMatching[]): LineSummary | null {
  const n = matchings.length;
  if (!n) return null;
  const f1 = matchings.map((m) => matchingF1(m)!);
  const pairs = matchings.flatMap((m) => m.pairs);
  const mm = pairs.flatMap((p) => (p.lengthDifferenceMm === null ? [] : [Math.abs(p.lengthDifferenceMm)]));
  return {
    n,
    matched: pairs.length,
    unmatched: matchings.reduce((s, m) => s + m.unmatchedA + m.unmatchedB, 0),
    meanF1: mean(f1),
    medianF1: median(f1),
    meanAbsLengthDifference: mean(pairs.map((p) => Math.abs(p.lengthDifference))),
    matchedInMm: mm.length,
    meanAbsLengthDifferenceMm: mean(mm),
  };
}

/**
 * Every two readers who submitted a case compared, per image (and frame) and ROI class where at
 * least one of them marked something of that class. Areas (rectangles, outlines): Dice and IoU of
 * their masks, rasterised one image at a time; a reader who drew none there counts as an empty mask
 * (Dice 0), so missing a finding lowers the overlap. Points (landmarks): matched one to one within
 * `pointTolerance` image pixels (stats/points.ts), F1 = 2·matched / (both readers' points); in the
 * same way a reader without points where the other marked some scores F1 0. Lines (stored lengths):
 * matched the same way by their midpoints (stats/lines.ts), with the matched pairs' lengths
 * compared, reader A's minus reader B's. Points and lines need no image size.
 */
export function roiOverlaps(
  rois: readonly RoiVoteRow[],
  submitted: ReadonlyArray<{ caseId: string; readerId: string }>,
  opts: {
    /** Which reader pairs (in sorted order) to compare; all by default. */
    compared?: (a: string, b: string) => boolean;
    pointTolerance?: number;
  } = {},
) {
  const { compared = () => true, pointTolerance = DEFAULT_POINT_TOLERANCE } = opts;
  const readersOf = new Map<string, string[]>();
  for (const s of submitted) {
    const list = readersOf.get(s.caseId);
    if (list) list.push(s.readerId);
    else readersOf.set(s.caseId, [s.readerId]);
  }
  type Compared = { areas: Array<{ dice: number; iou: number }>; points: PointComparison[]; lines: LineMatching[] };
  const byClass = new Map<string, Compared>();
  const byPair = new Map<string, Compared>();
  const add = <K extends keyof Compared>(classId: string, pair: string, kind: K, o: Compared[K][number]) => {
    for (const [map, key] of [[byClass, classId], [byPair, pair]] as const) {
      const c = map.get(key) ?? map.set(key, { areas: [], points: [], lines: [] }).get(key)!;
      (c[kind] as Array<Compared[K][number]>).push(o);
    }
  };
  let skipped = 0;
  const groups = groupBy(rois, (r) => `${r.caseId}\u0000${r.sopInstanceUid}\u0000${r.frame}\u0000${r.classId}`);
  for (const group of groups.values()) {
    const first = group[0]!;
    const readers = [...(readersOf.get(first.caseId) ?? [])].sort(byString);
    if (readers.length < 2) continue;
    const pairs: Array<[string, string]> = [];
    for (let a = 0; a < readers.length; a++) for (let b = a + 1; b < readers.length; b++) if (compared(readers[a]!, readers[b]!)) pairs.push([readers[a]!, readers[b]!]);
    if (!pairs.length) continue;
    // A class holds areas (RECTANGLE, FREEHAND), points or lines (its shape); each is compared its own way.
    const points = group.filter((r) => r.kind === "POINT");
    const lines = group.filter((r) => r.kind === "LINE");
    const areas = group.filter((r) => isAreaShape(r.kind));
    if (points.length) {
      const own = groupBy(points, (r) => r.readerId);
      const of = (reader: string) => (own.get(reader) ?? []).map((r) => [r.points[0]![0]!, r.points[0]![1]!] as const);
      for (const [a, b] of pairs) {
        const [pa, pb] = [of(a), of(b)];
        const m = matchPoints(pa, pb, pointTolerance);
        // Neither marked a point here (a third reader did): nothing to compare.
        if (matchingF1(m) === null) continue;
        const mm = first.spacing ? m.pairs.map(({ a: i, b: j }) => distanceMm(pa[i]!, pb[j]!, first.spacing!)) : null;
        add(first.classId, `${a}\u0000${b}`, "points", { ...m, mm });
      }
    }
    if (lines.length) {
      const own = groupBy(lines, (r) => r.readerId);
      const of = (reader: string) => (own.get(reader) ?? []).map((r): LineXY => [[r.points[0]![0]!, r.points[0]![1]!], [r.points[1]![0]!, r.points[1]![1]!]]);
      for (const [a, b] of pairs) {
        const m = matchLines(of(a), of(b), pointTolerance, first.spacing ?? null);
        // Neither drew a line here (a third reader did): nothing to compare.
        if (matchingF1(m) === null) continue;
        add(first.classId, `${a}\u0000${b}`, "lines", m);
      }
    }
    if (!areas.length) continue;
    if (!first.rows || !first.columns) {
      skipped += pairs.length;
      continue;
    }
    const own = groupBy(areas, (r) => r.readerId);
    const masks = new Map(readers.map((r) => [r, roiMask((own.get(r) ?? []).map((x) => ({ kind: x.kind, points: x.points as Array<[number, number]> })), first.columns!, first.rows!)]));
    for (const [a, b] of pairs) {
      const ma = masks.get(a)!;
      const mb = masks.get(b)!;
      const d = dice(ma, mb);
      // Both empty: regions outside the image on both sides; nothing to compare.
      if (d === null) continue;
      add(first.classId, `${a}\u0000${b}`, "areas", { dice: d, iou: iou(ma, mb)! });
    }
  }
  const summary = (c: Compared): RoiAgreement => ({ ...summariseOverlap(c.areas), points: summarisePoints(c.points), lines: summariseLines(c.lines) });
  return {
    roiClasses: [...byClass.keys()].sort(byString).map((classId) => ({ classId, ...summary(byClass.get(classId)!) })),
    roiPairs: [...byPair.keys()].sort(byString).map((k): { readerA: string; readerB: string } & RoiAgreement<PairLineSummary> => {
      const [readerA, readerB] = k.split("\u0000") as [string, string];
      const c = byPair.get(k)!;
      const { lines, ...rest } = summary(c);
      // Bland–Altman per reader pair only: A minus B has a direction within a pair, none across pairs.
      return { readerA, readerB, ...rest, lines: lines && { ...lines, blandAltman: lengthBlandAltman(c.lines.flatMap((m) => m.pairs)) } };
    }),
    roiSkipped: skipped,
  };
}

/** The segmentation model's place among the readers in modelOverlaps: sorts before any user id (a UUID), holds no NUL (pair keys use it). */
const MODEL = " model";

export interface ModelOverlapResult {
  /** Cases with the model's prediction that readers submitted. */
  cases: number;
  roiClasses: Array<{ classId: string } & OverlapSummary>;
  /** Each reader against the model. */
  readers: Array<{ readerId: string } & OverlapSummary>;
  roiSkipped: number;
}

/**
 * Dice and IoU between a segmentation model's suggested regions and each reader's latest
 * submitted regions, as roiOverlaps compares two readers: per case the model ran on, image, frame
 * and ROI class where either drew a region. Readers are not compared with each other here. Points
 * and lines are left out: a segmentation model marks none, and a reader's landmarks and
 * measurements are no missed region.
 */
export function modelOverlaps(
  readerRois: readonly RoiVoteRow[],
  submitted: ReadonlyArray<{ caseId: string; readerId: string }>,
  modelRois: ReadonlyArray<Omit<RoiVoteRow, "readerId">>,
  predictedCases: readonly string[],
): ModelOverlapResult {
  const predicted = new Set(predictedCases);
  const read = submitted.filter((s) => predicted.has(s.caseId));
  const o = roiOverlaps(
    [...readerRois.filter((r) => predicted.has(r.caseId) && isAreaShape(r.kind)), ...modelRois.map((r) => ({ ...r, readerId: MODEL }))],
    [...read, ...[...new Set(read.map((s) => s.caseId))].map((caseId) => ({ caseId, readerId: MODEL }))],
    { compared: (a) => a === MODEL },
  );
  return {
    cases: new Set(read.map((s) => s.caseId)).size,
    roiClasses: o.roiClasses.map(({ points: _points, lines: _lines, ...summary }) => summary),
    readers: o.roiPairs.map(({ readerA: _model, readerB, points: _points, lines: _lines, ...summary }) => ({ readerId: readerB, ...summary })),
    roiSkipped: o.roiSkipped,
  };
}

// ---- the heatmap

export interface CellVote {
  readerId: string;
  value: boolean;
  confidence: number | null;
}

export interface ReviewCell {
  caseId: string;
  caseKey: string;
  labelId: string;
  votes: CellVote[];
  positives: number;
  negatives: number;
  /** Strict majority; null on a tie. */
  majority: boolean | null;
  /** Share of votes with the most common value (0.5 … 1). */
  agreement: number;
  /** Dawid–Skene P(true) for the case and label. */
  posterior: number | null;
  adjudication: AdjudicationRow | null;
}

/** Cells of the votes (case × label with at least one vote), in (case key, label order) order. */
export function reviewCells(votes: readonly VoteRow[], labelOrder: readonly string[], adjudications: readonly AdjudicationRow[], posteriors: Map<string, Map<string, number>>): ReviewCell[] {
  const order = new Map(labelOrder.map((id, i) => [id, i]));
  const adj = new Map(adjudications.map((a) => [`${a.caseId}\u0000${a.labelId}`, a]));
  const cells: ReviewCell[] = [];
  for (const group of groupBy(votes, (v) => `${v.caseId}\u0000${v.labelId}`).values()) {
    const { caseId, caseKey, labelId } = group[0]!;
    const sorted = [...group].sort((a, b) => byString(a.readerId, b.readerId));
    const positives = sorted.filter((v) => v.value).length;
    const negatives = sorted.length - positives;
    cells.push({
      caseId,
      caseKey,
      labelId,
      votes: sorted.map((v) => ({ readerId: v.readerId, value: v.value, confidence: v.confidence })),
      positives,
      negatives,
      majority: positives > negatives ? true : positives < negatives ? false : null,
      agreement: Math.max(positives, negatives) / sorted.length,
      posterior: posteriors.get(labelId)?.get(caseId) ?? null,
      adjudication: adj.get(`${caseId}\u0000${labelId}`) ?? null,
    });
  }
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  return cells.sort((a, b) => byString(a.caseKey, b.caseKey) || byString(a.caseId, b.caseId) || rank(a.labelId) - rank(b.labelId) || byString(a.labelId, b.labelId));
}

export type DiscrepancyOrder = "DISAGREEMENT" | "UNCERTAINTY" | "CASE_KEY";

/**
 * Cells where readers disagree (at least one true and one false vote), ordered: DISAGREEMENT, the
 * lowest share of the majority first; UNCERTAINTY, the Dawid–Skene posterior nearest 0.5 first;
 * CASE_KEY, by case then label. Ties fall back to case key then label order, so the order is total.
 */
export function discrepancies(cells: readonly ReviewCell[], orderBy: DiscrepancyOrder): ReviewCell[] {
  const base = cells.map((c, i) => ({ c, i })).filter(({ c }) => c.positives > 0 && c.negatives > 0);
  const uncertainty = (c: ReviewCell) => (c.posterior === null ? 0.5 : Math.abs(c.posterior - 0.5));
  if (orderBy === "DISAGREEMENT") base.sort((a, b) => a.c.agreement - b.c.agreement || b.c.votes.length - a.c.votes.length || a.i - b.i);
  else if (orderBy === "UNCERTAINTY") base.sort((a, b) => uncertainty(a.c) - uncertainty(b.c) || a.i - b.i);
  return base.map(({ c }) => c);
}

// ---- a classifier against the readers

export interface OperatingPoint {
  /** Cases compared, and how many of them the reference calls positive. */
  cases: number;
  positives: number;
  /** Null without a positive (sensitivity) or a negative (specificity) among them. */
  sensitivity: number | null;
  specificity: number | null;
}

export interface ModelVersusReaders {
  /** Cases with the model's score and a reference. */
  cases: number;
  positives: number;
  auc: number | null;
  /** DeLong's 95% interval; null with fewer than two cases of either class. */
  aucLow: number | null;
  aucHigh: number | null;
  curve: RocPoint[];
  /** The model calling positive at a probability of at least 0.5. */
  atHalf: OperatingPoint;
  /** Each reader's votes on the same cases, against the reference without their own vote. */
  readers: Array<{ readerId: string } & OperatingPoint>;
}

/** A cell's reference: the adjudication, else the strict majority of the votes (leaving out one reader's); null on a tie or with no vote. */
function reference(cell: ReviewCell, without: string | null = null): boolean | null {
  if (cell.adjudication) return cell.adjudication.value;
  const own = without === null ? undefined : cell.votes.find((v) => v.readerId === without);
  const positives = cell.positives - (own?.value ? 1 : 0);
  const negatives = cell.negatives - (own && !own.value ? 1 : 0);
  return positives === negatives ? null : positives > negatives;
}

function operatingPoint(calls: ReadonlyArray<{ call: boolean; truth: boolean }>): OperatingPoint {
  const positives = calls.filter((c) => c.truth).length;
  const negatives = calls.length - positives;
  const tp = calls.filter((c) => c.truth && c.call).length;
  const tn = calls.filter((c) => !c.truth && !c.call).length;
  return { cases: calls.length, positives, sensitivity: positives ? tp / positives : null, specificity: negatives ? tn / negatives : null };
}

/**
 * One classification label: the model's ROC curve and AUC (with DeLong's interval) against the
 * reference (the adjudication, else the readers' majority), and each reader's sensitivity and
 * specificity on the same cases against the reference without their own vote, as a reader is not
 * scored against themselves. `scores` holds the model's probability per case, for the cases it may
 * be judged on.
 */
export function modelVersusReaders(cells: readonly ReviewCell[], scores: ReadonlyMap<string, number>): ModelVersusReaders {
  const judged = cells.flatMap((cell) => {
    const truth = reference(cell);
    const score = scores.get(cell.caseId);
    return truth === null || score === undefined ? [] : [{ cell, truth, score }];
  });
  const truth = judged.map((j) => j.truth);
  const values = judged.map((j) => j.score);
  const estimate = delongAuc(values, truth);
  const interval = estimate && aucInterval(estimate);
  const byReader = new Map<string, Array<{ call: boolean; truth: boolean }>>();
  for (const { cell } of judged)
    for (const vote of cell.votes) {
      const own = reference(cell, vote.readerId);
      if (own === null) continue;
      (byReader.get(vote.readerId) ?? byReader.set(vote.readerId, []).get(vote.readerId)!).push({ call: vote.value, truth: own });
    }
  return {
    cases: judged.length,
    positives: truth.filter(Boolean).length,
    auc: estimate?.auc ?? null,
    aucLow: interval?.[0] ?? null,
    aucHigh: interval?.[1] ?? null,
    curve: rocCurve(values, truth),
    atHalf: operatingPoint(judged.map((j) => ({ call: j.score >= 0.5, truth: j.truth }))),
    readers: [...byReader]
      .sort(([a], [b]) => byString(a, b))
      .map(([readerId, calls]) => ({ readerId, ...operatingPoint(calls) })),
  };
}
