import { describe, expect, it } from "vitest";
import { discrepancies, modelOverlaps, modelVersusReaders, projectAgreement, reviewCells, roiOverlaps } from "./review.analysis.js";
import { spacingOf } from "../images/spacing.js";
import type { RoiVoteRow, VoteRow } from "./review.repository.js";
import { agreementStats } from "./stats/index.js";

const vote = (caseKey: string, labelId: string, readerId: string, value: boolean, confidence: number | null = null): VoteRow => ({
  caseId: `id-${caseKey}`,
  caseKey,
  labelId,
  readerId,
  value,
  confidence,
  seconds: null,
});


/** The success detection rate without a pair in mm. */
const NONE_WITHIN = [2, 2.5, 3, 4].map((radiusMm) => ({ radiusMm, pairs: 0, share: null }));
describe("review analysis", () => {
  // Three readers: c1/L agree 3-0, c2/L split 2-1, c3/L split 2-1 the other way, c4/M 1-1.
  const votes = [
    vote("c1", "L", "r1", true), vote("c1", "L", "r2", true), vote("c1", "L", "r3", true),
    vote("c2", "L", "r1", true), vote("c2", "L", "r2", true), vote("c2", "L", "r3", false),
    vote("c3", "L", "r1", false), vote("c3", "L", "r2", false), vote("c3", "L", "r3", true),
    vote("c4", "M", "r1", true), vote("c4", "M", "r2", false),
  ];

  it("cells: majority, agreement and adjudication per case × label, in case then label order", () => {
    const cells = reviewCells(votes, ["M", "L"], [{ caseId: "id-c2", labelId: "L", projectId: "p", value: false, note: "", adjudicatedBy: null, at: new Date(0), version: 1 }], new Map());
    expect(cells.map((c) => `${c.caseKey}/${c.labelId}`)).toEqual(["c1/L", "c2/L", "c3/L", "c4/M"]);
    expect(cells[1]).toMatchObject({ positives: 2, negatives: 1, majority: true, agreement: 2 / 3, adjudication: { value: false } });
    expect(cells[3]).toMatchObject({ majority: null, agreement: 0.5, posterior: null });
    expect(cells[1]!.votes.map((v) => v.readerId)).toEqual(["r1", "r2", "r3"]);
  });

  it("discrepancies: disagreeing cells only; DISAGREEMENT puts the closest split first, UNCERTAINTY the posterior nearest 0.5", () => {
    const posteriors = new Map([
      ["L", new Map([["id-c1", 0.99], ["id-c2", 0.9], ["id-c3", 0.45]])],
      ["M", new Map([["id-c4", 0.2]])],
    ]);
    const cells = reviewCells(votes, ["L", "M"], [], posteriors);
    expect(discrepancies(cells, "CASE_KEY").map((c) => c.caseKey)).toEqual(["c2", "c3", "c4"]);
    expect(discrepancies(cells, "DISAGREEMENT").map((c) => c.caseKey)).toEqual(["c4", "c2", "c3"]);
    expect(discrepancies(cells, "UNCERTAINTY").map((c) => c.caseKey)).toEqual(["c3", "c4", "c2"]);
  });

  it("projectAgreement per label matches agreementStats over the same votes, in the project's label order", () => {
    const r = projectAgreement(votes, ["M", "L"], [], []);
    expect(r.labels.map((l) => l.labelId)).toEqual(["M", "L"]);
    const expected = agreementStats(votes.map((v) => ({ caseId: v.caseId, label: v.labelId, reader: v.readerId, value: v.value })), null, { cells: false });
    expect(r.pooled).toEqual(expected.pooled);
    const { label: _label, ...forL } = expected.perLabel.find((p) => p.label === "L")!;
    expect(r.labels[1]!.agreement).toEqual(forL);
    expect(r.labels[1]!.dawidSkene!.readers.map((x) => x.readerId)).toEqual(["r1", "r2", "r3"]);
    expect(r.labels[0]!.time.n).toBe(0);
  });

  it("ROI overlap: a reader who drew nothing counts as an empty mask; unknown image sizes are skipped, not guessed", () => {
    const roi = (caseId: string, readerId: string, points: number[][], size: number | null = 10): RoiVoteRow => ({
      caseId, readerId, classId: "K", kind: "RECTANGLE", points, sopInstanceUid: `sop-${caseId}`, frame: 1, rows: size, columns: size,
    });
    const submitted = [{ caseId: "a", readerId: "r1" }, { caseId: "a", readerId: "r2" }, { caseId: "b", readerId: "r1" }, { caseId: "b", readerId: "r2" }, { caseId: "c", readerId: "r1" }, { caseId: "c", readerId: "r2" }];
    const out = roiOverlaps([roi("a", "r1", [[0, 0], [4, 4]]), roi("a", "r2", [[2, 0], [6, 4]]), roi("b", "r1", [[0, 0], [2, 2]]), roi("c", "r1", [[0, 0], [2, 2]], null)], submitted);
    // a: 16 and 16 px sharing 8 → Dice 0.5, IoU 1/3; b: r2 drew nothing → 0.
    expect(out.roiClasses).toEqual([{ classId: "K", n: 2, meanDice: 0.25, meanIou: 1 / 6, medianDice: 0.25, points: null, lines: null }]);
    expect(out.roiPairs).toEqual([{ readerA: "r1", readerB: "r2", n: 2, meanDice: 0.25, meanIou: 1 / 6, medianDice: 0.25, points: null, lines: null }]);
    expect(out.roiSkipped).toBe(1);
  });

  it("points: matched within the tolerance per image, a reader without points scoring F1 0, with no image size needed", () => {
    const pt = (caseId: string, readerId: string, x: number, y: number, frame = 1): RoiVoteRow => ({
      caseId, readerId, classId: "P", kind: "POINT", points: [[x, y]], sopInstanceUid: `sop-${caseId}`, frame, rows: null, columns: null,
    });
    const submitted = ["r1", "r2", "r3"].flatMap((readerId) => ["a", "b"].map((caseId) => ({ caseId, readerId })));
    const rois = [
      // a: r1 (0,0) (10,0); r2 (3,4) (40,0): (0,0)–(3,4) 5 px, the rest apart. r3 marked nothing.
      pt("a", "r1", 0, 0), pt("a", "r1", 10, 0), pt("a", "r2", 3, 4), pt("a", "r2", 40, 0),
      // b, frame 2: r1 and r3 at the same place; r2 nothing.
      pt("b", "r1", 7, 7, 2), pt("b", "r3", 7, 7, 2),
    ];
    const out = roiOverlaps(rois, submitted);
    // Pairs: a r1–r2 F1 2/4 (5 px), r1–r3 0, r2–r3 0; b r1–r2 0, r1–r3 1 (0 px), r2–r3 0.
    expect(out.roiClasses).toEqual([
      { classId: "P", n: 0, meanDice: null, meanIou: null, medianDice: null, points: { n: 6, matched: 2, unmatched: 2 + 2 + 2 + 1 + 0 + 1, meanF1: 1.5 / 6, medianF1: 0, meanDistance: 2.5, medianDistance: 2.5, matchedInMm: 0, meanDistanceMm: null, medianDistanceMm: null, withinMm: NONE_WITHIN }, lines: null },
    ]);
    const pair = (a: string, b: string) => out.roiPairs.find((p) => p.readerA === a && p.readerB === b)!.points;
    expect(pair("r1", "r2")).toEqual({ n: 2, matched: 1, unmatched: 2 + 1, meanF1: 0.25, medianF1: 0.25, meanDistance: 5, medianDistance: 5, matchedInMm: 0, meanDistanceMm: null, medianDistanceMm: null, withinMm: NONE_WITHIN });
    expect(pair("r1", "r3")).toEqual({ n: 2, matched: 1, unmatched: 2, meanF1: 0.5, medianF1: 0.5, meanDistance: 0, medianDistance: 0, matchedInMm: 0, meanDistanceMm: null, medianDistanceMm: null, withinMm: NONE_WITHIN });
    expect(pair("r2", "r3")).toEqual({ n: 2, matched: 0, unmatched: 3, meanF1: 0, medianF1: 0, meanDistance: null, medianDistance: null, matchedInMm: 0, meanDistanceMm: null, medianDistanceMm: null, withinMm: NONE_WITHIN });
    // The pairs compared no areas; no size was needed.
    expect(out.roiPairs.every((p) => p.n === 0)).toBe(true);
    expect(out.roiSkipped).toBe(0);
    // At a tolerance of 4 px, (0,0)–(3,4) no longer pairs.
    expect(roiOverlaps(rois, submitted, { pointTolerance: 4 }).roiClasses[0]!.points).toMatchObject({ matched: 1, meanDistance: 0 });
  });

  it("points: distances in millimetres by the image's spacing, rows and columns each by their own, on the images that have one", () => {
    const pt = (caseId: string, readerId: string, x: number, y: number, spacing: readonly [number, number] | null): RoiVoteRow => ({
      caseId, readerId, classId: "P", kind: "POINT", points: [[x, y]], sopInstanceUid: `sop-${caseId}`, frame: 1, rows: null, columns: null, spacing,
    });
    const submitted = ["r1", "r2"].flatMap((readerId) => ["a", "b", "c"].map((caseId) => ({ caseId, readerId })));
    // Pixel Spacing [2, 0.5]: 2 mm between rows (y), 0.5 mm between columns (x).
    const rois = [
      // a: 4 columns and 3 rows apart (5 px): 4 × 0.5 = 2 mm across, 3 × 2 = 6 mm down, √40 mm.
      pt("a", "r1", 10, 10, [2, 0.5]), pt("a", "r2", 14, 13, [2, 0.5]),
      // b: 6 columns apart on an isotropic 0.25 mm image: 1.5 mm.
      pt("b", "r1", 0, 0, [0.25, 0.25]), pt("b", "r2", 6, 0, [0.25, 0.25]),
      // c: no spacing (a PNG): 8 px, in the pixel figures only.
      pt("c", "r1", 0, 0, null), pt("c", "r2", 8, 0, null),
    ];
    const points = roiOverlaps(rois, submitted).roiClasses[0]!.points!;
    expect(points).toMatchObject({ n: 3, matched: 3, meanDistance: (5 + 6 + 8) / 3, medianDistance: 6, matchedInMm: 2 });
    expect(points.meanDistanceMm).toBeCloseTo((Math.sqrt(40) + 1.5) / 2, 12);
    expect(points.medianDistanceMm).toBeCloseTo((Math.sqrt(40) + 1.5) / 2, 12);
    // The success detection rate is over the two pairs in mm: 1.5 mm within every radius, √40 ≈ 6.3 mm within none.
    expect(points.withinMm.map((w) => [w.radiusMm, w.pairs, w.share])).toEqual([[2, 1, 0.5], [2.5, 1, 0.5], [3, 1, 0.5], [4, 1, 0.5]]);
  });

  it("lines: matched by their midpoints within the tolerance, lengths compared (A minus B), Bland–Altman per reader pair in mm only when every pair has a spacing", () => {
    const line = (caseId: string, readerId: string, ends: number[][], spacing: readonly [number, number] | null): RoiVoteRow => ({
      caseId, readerId, classId: "L", kind: "LINE", points: ends, sopInstanceUid: `sop-${caseId}`, frame: 1, rows: null, columns: null, spacing,
    });
    const submitted = ["r1", "r2"].flatMap((readerId) => ["a", "b", "c"].map((caseId) => ({ caseId, readerId })));
    const lines = (bSpacing: readonly [number, number] | null) => [
      // a (0.5 mm square pixels): r1 20 px at (20,10) and 10 px at (50,55); r2 24 px at (24,14), 5.66 px from the first, and one
      // at (85,80), far from both. 1 matched: 20 − 24 = −4 px, −2 mm; 2 unmatched; F1 2/4.
      line("a", "r1", [[10, 10], [30, 10]], [0.5, 0.5]), line("a", "r1", [[50, 50], [50, 60]], [0.5, 0.5]),
      line("a", "r2", [[12, 14], [36, 14]], [0.5, 0.5]), line("a", "r2", [[80, 80], [90, 80]], [0.5, 0.5]),
      // b: r1 10 px at (5,0); r2 12 px at (6,3), drawn right to left, 3.16 px away: 10 − 12 = −2 px; F1 1.
      line("b", "r1", [[0, 0], [10, 0]], bSpacing), line("b", "r2", [[12, 3], [0, 3]], bSpacing),
      // c: r1 only: F1 0, 1 unmatched.
      line("c", "r1", [[0, 0], [0, 10]], [0.5, 0.5]),
    ];
    const out = roiOverlaps(lines(null), submitted);
    const figures = { n: 3, matched: 2, unmatched: 3, meanF1: 0.5, medianF1: 0.5, meanAbsLengthDifference: 3 };
    // b has no spacing: the mm figure is a's pair's alone.
    expect(out.roiClasses).toEqual([
      { classId: "L", n: 0, meanDice: null, meanIou: null, medianDice: null, points: null, lines: { ...figures, matchedInMm: 1, meanAbsLengthDifferenceMm: 2 } },
    ]);
    // Differences −4 and −2 px: bias −3, SD √2 (n − 1), in pixels as b's pair has no millimetres.
    const [pair] = out.roiPairs;
    expect(pair).toMatchObject({ readerA: "r1", readerB: "r2", n: 0, points: null, lines: { ...figures, matchedInMm: 1, meanAbsLengthDifferenceMm: 2 } });
    expect(pair!.lines!.blandAltman).toMatchObject({ unit: "PX", n: 2, bias: -3 });
    expect(pair!.lines!.blandAltman.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(pair!.lines!.blandAltman.lowerLimit).toBeCloseTo(-3 - 1.96 * Math.SQRT2, 12);
    expect(pair!.lines!.blandAltman.upperLimit).toBeCloseTo(-3 + 1.96 * Math.SQRT2, 12);
    expect(out.roiSkipped).toBe(0);

    // b on an image of 2 mm between rows and 0.5 mm between columns: its lines run across, 10 × 0.5 = 5 mm and 12 × 0.5 = 6 mm.
    // Every pair in mm now: −2 and −1 mm, bias −1.5, SD √0.5.
    const mm = roiOverlaps(lines([2, 0.5]), submitted);
    expect(mm.roiClasses[0]!.lines).toEqual({ ...figures, matchedInMm: 2, meanAbsLengthDifferenceMm: 1.5 });
    const ba = mm.roiPairs[0]!.lines!.blandAltman;
    expect(ba).toMatchObject({ unit: "MM", n: 2, bias: -1.5 });
    expect(ba.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(ba.upperLimit).toBeCloseTo(-1.5 + 1.96 * Math.sqrt(0.5), 12);

    // The point tolerance is the lines' too: at 4 px a's pair (5.66 px) no longer matches, b's (3.16 px) does.
    expect(roiOverlaps(lines(null), submitted, { pointTolerance: 4 }).roiClasses[0]!.lines).toMatchObject({ matched: 1, unmatched: 5, meanAbsLengthDifference: 2 });
  });

  it("an image's spacing as the repository reads it: Pixel Spacing first, else Imager Pixel Spacing by the magnification factor where given", () => {
    // [Pixel Spacing, Imager Pixel Spacing, Estimated Radiographic Magnification Factor], DICOM JSON values (numbers or strings).
    expect(spacingOf([[0.5, "0.7"], [0.2, 0.2], 1.25])).toEqual([0.5, 0.7]);
    expect(spacingOf([null, [0.2, 0.25], 1.25])).toEqual([0.16, 0.2]);
    expect(spacingOf([null, [0.2, 0.25], null])).toEqual([0.2, 0.25]);
    expect(spacingOf([null, [0.2, 0.25], 0])).toEqual([0.2, 0.25]);
    for (const none of [null, [null, null, null], [[0, 0.5], null, null], [[0.5], null, null], [["x", 0.5], null, null]]) expect(spacingOf(none), JSON.stringify(none)).toBeNull();
  });

  it("model overlap: each reader against the model's regions on the cases it ran on, never reader against reader", () => {
    const size = 10;
    const at = (caseId: string, points: number[][], kind: "RECTANGLE" | "FREEHAND" = "RECTANGLE", rows: number | null = size) => ({
      caseId, classId: "K", kind, points, sopInstanceUid: `sop-${caseId}`, frame: 1, rows, columns: rows,
    });
    const model = [at("a", [[0, 0], [4, 0], [4, 4], [0, 4]], "FREEHAND"), at("c", [[0, 0], [4, 0], [4, 4], [0, 4]], "FREEHAND", null)];
    const readers: RoiVoteRow[] = [
      { ...at("a", [[0, 0], [4, 4]]), readerId: "r1" },
      { ...at("a", [[2, 0], [6, 4]]), readerId: "r2" },
      // Case b has no prediction: left out.
      { ...at("b", [[0, 0], [4, 4]]), readerId: "r1" },
    ];
    const submitted = ["r1", "r2", "r3"].flatMap((readerId) => ["a", "b", "c"].map((caseId) => ({ caseId, readerId })));
    // A reader's landmarks (a point class) are no region the model missed: left out, not an error.
    readers.push({ ...at("a", [[1, 1]]), classId: "P", kind: "POINT", readerId: "r1" });
    // Nor are their measurements (a line class).
    readers.push({ ...at("a", [[1, 1], [3, 3]]), classId: "M", kind: "LINE", readerId: "r2" });
    const out = modelOverlaps(readers, submitted, model, ["a", "c", "d"]);
    // a: r1 the same 16 px (Dice 1), r2 8 of 16 shared (Dice 0.5, IoU 1/3), r3 drew nothing (0); c: unknown size, 3 comparisons skipped.
    expect(out.readers).toEqual([
      { readerId: "r1", n: 1, meanDice: 1, meanIou: 1, medianDice: 1 },
      { readerId: "r2", n: 1, meanDice: 0.5, meanIou: 1 / 3, medianDice: 0.5 },
      { readerId: "r3", n: 1, meanDice: 0, meanIou: 0, medianDice: 0 },
    ]);
    expect(out.roiClasses).toEqual([{ classId: "K", n: 3, meanDice: 0.5, meanIou: 4 / 9, medianDice: 0.5 }]);
    expect(out.roiSkipped).toBe(3);
    // d was predicted but nobody read it.
    expect(out.cases).toBe(2);
  });
});

describe("a classifier against the readers", () => {
  // Three readers on label L. c1 3-0 yes, c2 2-1 yes, c3 2-1 no, c4 0-3 no, c5 2-1 yes but
  // adjudicated no, c6 1-1 (a tie: no reference), c7 3-0 yes but the model never ran on it.
  const votes = [
    vote("c1", "L", "r1", true), vote("c1", "L", "r2", true), vote("c1", "L", "r3", true),
    vote("c2", "L", "r1", true), vote("c2", "L", "r2", true), vote("c2", "L", "r3", false),
    vote("c3", "L", "r1", false), vote("c3", "L", "r2", false), vote("c3", "L", "r3", true),
    vote("c4", "L", "r1", false), vote("c4", "L", "r2", false), vote("c4", "L", "r3", false),
    vote("c5", "L", "r1", true), vote("c5", "L", "r2", true), vote("c5", "L", "r3", false),
    vote("c6", "L", "r1", true), vote("c6", "L", "r2", false),
    vote("c7", "L", "r1", true), vote("c7", "L", "r2", true), vote("c7", "L", "r3", true),
  ];
  const adjudicated = [{ caseId: "id-c5", labelId: "L", projectId: "p", value: false, note: "", adjudicatedBy: null, at: new Date(0), version: 1 }];
  const cells = reviewCells(votes, ["L"], adjudicated, new Map());
  const scores = new Map([
    ["id-c1", 0.9],
    ["id-c2", 0.4],
    ["id-c3", 0.6],
    ["id-c4", 0.1],
    ["id-c5", 0.3],
    ["id-c6", 0.8],
  ]);

  it("judges the model on the cases it ran on that have a reference: the adjudication, else the majority", () => {
    const r = modelVersusReaders(cells, scores);
    // c1..c5: positives c1 (0.9), c2 (0.4); negatives c3 (0.6), c4 (0.1), c5 (0.3, adjudicated).
    expect([r.cases, r.positives]).toEqual([5, 2]);
    // Pairs won: 0.9 beats all three; 0.4 beats 0.1 and 0.3: 5 of 6.
    expect(r.auc).toBeCloseTo(5 / 6, 12);
    expect(r.aucLow!).toBeLessThan(r.auc!);
    expect(r.aucHigh!).toBe(1);
    expect(r.curve.map((p) => [p.threshold, p.falsePositiveRate, p.truePositiveRate])).toEqual([
      [null, 0, 0],
      [0.9, 0, 0.5],
      [0.6, 1 / 3, 0.5],
      [0.4, 1 / 3, 1],
      [0.3, 2 / 3, 1],
      [0.1, 1, 1],
    ]);
    // At 0.5 the model calls c1 and c3: one of two positives, two of three negatives.
    expect(r.atHalf).toEqual({ cases: 5, positives: 2, sensitivity: 0.5, specificity: 2 / 3 });
  });

  it("judges each reader on the same cases against the others' majority, leaving out ties", () => {
    const r = modelVersusReaders(cells, scores);
    const of = (id: string) => r.readers.find((x) => x.readerId === id);
    // r1 without their vote: c1 yes (2-0), c2 1-1 tie (out), c3 1-1 (out), c4 no, c5 adjudicated no.
    // r1 said yes, -, -, no, yes: sensitivity 1/1, specificity 1/2.
    expect(of("r1")).toEqual({ readerId: "r1", cases: 3, positives: 1, sensitivity: 1, specificity: 0.5 });
    // r3 without their vote: c1 yes, c2 yes, c3 no, c4 no, c5 adjudicated no. r3: yes, no, yes, no, no.
    expect(of("r3")).toEqual({ readerId: "r3", cases: 5, positives: 2, sensitivity: 0.5, specificity: 2 / 3 });
    expect(r.readers.map((x) => x.readerId)).toEqual(["r1", "r2", "r3"]);
    // c7, which the model never ran on, counts for nobody.
    expect(modelVersusReaders(cells, new Map()).readers).toEqual([]);
  });
});
