import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { BINARY_SMOOTHING, dawidSkene } from "./dawid-skene.js";
import { consensusValues, groupAgreement, groupAnswers, groupCases, type ChoiceGroupSpec, type GroupVote } from "./groups.js";
import { cohenKappaCategorical, fleissFromTable } from "./kappa.js";
import { krippendorffDetails } from "./krippendorff.js";

/** One reader's submission on one case: the labels marked present, then those marked absent. */
function sub(caseId: string, readerId: string, present: string[], absent: string[] = []): GroupVote[] {
  return [...present.map((labelId) => ({ caseId, readerId, labelId, value: true })), ...absent.map((labelId) => ({ caseId, readerId, labelId, value: false }))];
}

function shuffle<T>(xs: readonly T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const birads: ChoiceGroupSpec = { groupId: "g", labelIds: ["b1", "b2", "b3"], ordinal: true, required: false };

// Answers (categories b1 = 0, b2 = 1, b3 = 2, none = 3):
//   c1: r1 b1, r2 b1, r3 b2
//   c2: r1 b3, r2 b3, r3 b3            (unanimous)
//   c3: r1 none, r2 b2, r3 invalid (b1 and b3 present)
//   c4: r1 b2, r2 none, r3 -           (r3 voted only on a label outside the group: no answer)
//   c5: r2 b1                          (r1 voted only on "other")
//   c6: r3 invalid (b2 and b3)         (no counted answer: not a case)
const fixture: GroupVote[] = [
  ...sub("c1", "r1", ["b1"], ["b2", "b3"]),
  ...sub("c1", "r2", ["b1"]),
  ...sub("c1", "r3", ["b2"], ["b1"]),
  ...sub("c2", "r1", ["b3"], ["b1", "b2"]),
  ...sub("c2", "r2", ["b3", "other"]),
  ...sub("c2", "r3", ["b3"]),
  ...sub("c3", "r1", [], ["b1", "b2", "b3"]),
  ...sub("c3", "r2", ["b2", "other"], ["b1"]),
  ...sub("c3", "r3", ["b1", "b3"]),
  ...sub("c4", "r1", ["b2"]),
  ...sub("c4", "r2", ["other"], ["b2"]),
  ...sub("c4", "r3", ["other"]),
  ...sub("c5", "r2", ["b1"]),
  ...sub("c5", "r1", ["other"]),
  ...sub("c6", "r3", ["b2", "b3"]),
];

describe("groupAgreement", () => {
  it("derives the answers: categories, counted and invalid answers, cases", () => {
    const g = groupAgreement(fixture, birads);
    expect(g.groupId).toBe("g");
    expect(g.categories).toEqual(["b1", "b2", "b3", null]);
    // c1..c4 give 3 + 3 + 2 + 2, c5 one: 11 answers; c3/r3 and c6/r3 invalid; c4/r3, c5/r1 no answer.
    expect(g.answers).toBe(11);
    expect(g.invalid).toBe(2);
    expect(g.cases).toBe(5);
    expect(g.casesWith2Plus).toBe(4);
    expect(g.unanimityRate).toBe(1 / 4);
    expect(g.readerCounts).toEqual([
      { readerId: "r1", counts: [1, 1, 1, 1] },
      { readerId: "r2", counts: [2, 1, 1, 1] },
      { readerId: "r3", counts: [0, 1, 1, 0] },
    ]);
  });

  it("matches hand-computed Fleiss and Krippendorff figures", () => {
    const g = groupAgreement(fixture, birads);
    // Per case (2+ answers): c1 1 agreeing pair of 3, c2 3 of 3, c3 0, c4 0 → P̄ = (1/3 + 1)/4 = 1/3.
    expect(g.meanPairwiseAgreement).toBeCloseTo(1 / 3, 14);
    // Shares over those 10 answers: b1 2, b2 3, b3 3, none 2 → pe = (4 + 9 + 9 + 4)/100 = 0.26;
    // κ = (1/3 − 0.26)/0.74 = 11/111.
    expect(g.fleissKappa).toBeCloseTo(11 / 111, 14);
    // Nominal α: coincidences o(b1,b1) = 1, o(b1,b2) = o(b2,b1) = 1, o(b3,b3) = 3, o(b2,none) = o(none,b2) = 2;
    // n = 10, D_o = 6/10, D_e = (100 − 26)/90 → α = 1 − 0.6·90/74 = 10/37.
    expect(g.krippendorffAlpha).toBeCloseTo(10 / 37, 14);
    // Ordinal α over ranks, "none" left out: pairable units c1 [0,0,1] and c2 [2,2,2]; n = 6, n_0 = 2,
    // n_1 = 1, n_2 = 3. δ²(0,1) = (3 − 1.5)² = 2.25, δ²(1,2) = (4 − 2)² = 4, δ²(0,2) = (6 − 2.5)² = 12.25.
    // D_o = 2·1·2.25/6 = 0.75; D_e = 2·(2·1·2.25 + 1·3·4 + 2·3·12.25)/30 = 6 → α = 1 − 0.75/6 = 0.875.
    expect(g.krippendorffAlphaOrdinal).toBeCloseTo(0.875, 14);
    // The same through the primitives directly.
    const counts = [
      [2, 1, 0, 0],
      [0, 0, 3, 0],
      [0, 1, 0, 1],
      [0, 1, 0, 1],
      [1, 0, 0, 0],
    ];
    expect(g.fleissKappa).toBeCloseTo(fleissFromTable(counts).kappa!, 14);
    expect(g.meanPairwiseAgreement).toBeCloseTo(fleissFromTable(counts).pBar!, 14);
    const units = [[0, 0, 1], [2, 2, 2], [3, 1], [1, 3], [0]];
    expect(g.krippendorffAlpha).toBeCloseTo(krippendorffDetails(units, "nominal").alpha!, 14);
    const ranked = units.map((u) => u.filter((x) => x < 3));
    expect(g.krippendorffAlphaOrdinal).toBeCloseTo(krippendorffDetails(ranked, "ordinal").alpha!, 14);
    // Counting "none" as a fourth rank would give another value.
    expect(Math.abs(krippendorffDetails(units, "ordinal").alpha! - 0.875)).toBeGreaterThan(0.01);
  });

  it("gives each reader pair's agreement, κ and quadratic-weighted κ (none left out)", () => {
    const g = groupAgreement(fixture, birads);
    // r1–r2: c1 (0,0), c2 (2,2), c3 (3,1), c4 (1,3): po = 1/2, pe = 4·(1/4)² = 1/4 → κ = 1/3;
    //   ranked pairs (0,0), (2,2): no observed disagreement → κ_w = 1.
    // r1–r3 and r2–r3: c1 (0,1), c2 (2,2): po = 1/2, pe = (1/2)·(1/2) = 1/4 → κ = 1/3;
    //   quadratic over 3 ranks: Σwo = ¼·1, Σw·A·B = ¼ (0,1) + 1 (0,2) + ¼ (2,1) = 1.5 → κ_w = 1 − 2·0.25/1.5 = 2/3.
    const want = [
      { readerA: "r1", readerB: "r2", n: 4, agreement: 0.5, kappa: 1 / 3, weightedKappa: 1 },
      { readerA: "r1", readerB: "r3", n: 2, agreement: 0.5, kappa: 1 / 3, weightedKappa: 2 / 3 },
      { readerA: "r2", readerB: "r3", n: 2, agreement: 0.5, kappa: 1 / 3, weightedKappa: 2 / 3 },
    ];
    expect(g.readerPairs.map((p) => [p.readerA, p.readerB, p.n, p.agreement])).toEqual(want.map((p) => [p.readerA, p.readerB, p.n, p.agreement]));
    g.readerPairs.forEach((p, i) => {
      expect(p.kappa).toBeCloseTo(want[i]!.kappa, 14);
      expect(p.weightedKappa).toBeCloseTo(want[i]!.weightedKappa, 14);
    });
    expect(g.meanWeightedKappa).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 14);
    // And through cohenKappaCategorical on the pairs directly.
    const pairs: Record<string, Array<[number, number]>> = {
      "r1|r2": [[0, 0], [2, 2], [3, 1], [1, 3]],
      "r1|r3": [[0, 1], [2, 2]],
      "r2|r3": [[0, 1], [2, 2]],
    };
    for (const p of g.readerPairs) {
      const own = pairs[`${p.readerA}|${p.readerB}`]!;
      expect(p.kappa).toBeCloseTo(cohenKappaCategorical(own, 4)!, 14);
      expect(p.weightedKappa).toBeCloseTo(cohenKappaCategorical(own.filter(([a, b]) => a < 3 && b < 3), 3, "quadratic")!, 14);
    }
  });

  it("builds the symmetric pair confusion matrix", () => {
    const g = groupAgreement(fixture, birads);
    // c1: (b1,b1), (b1,b2), (b1,b2); c2: 3 × (b3,b3); c3: (none,b2); c4: (b2,none) — 8 pairs, each both ways.
    expect(g.confusion).toEqual([
      [2, 2, 0, 0],
      [2, 0, 0, 2],
      [0, 0, 6, 0],
      [0, 2, 0, 0],
    ]);
    const total = g.confusion.flat().reduce((a, b) => a + b, 0);
    const pairs = g.readerPairs.reduce((s, p) => s + p.n, 0);
    expect(pairs).toBe(8);
    expect(total).toBe(2 * pairs);
    g.confusion.forEach((row, i) => row.forEach((x, j) => expect(x).toBe(g.confusion[j]![i]!)));
  });

  it("does not depend on the order of the votes; a repeated vote replaces the earlier one", () => {
    const base = groupAgreement(fixture, birads);
    const rnd = seededRandom(8);
    for (let t = 0; t < 10; t++) expect(groupAgreement(shuffle(fixture, rnd), birads)).toEqual(base);
    // r3 on c3 first said b1 and b3; changing b1 to absent afterwards makes the answer b3.
    const fixed = groupAgreement([...fixture, ...sub("c3", "r3", [], ["b1"])], birads);
    expect(fixed.invalid).toBe(1);
    expect(fixed.answers).toBe(12);
    expect(fixed.readerCounts.find((r) => r.readerId === "r3")!.counts).toEqual([0, 1, 2, 0]);
  });

  it("has no none category in a required group, where no label present is invalid; nominal groups give null ordinal fields", () => {
    const side: ChoiceGroupSpec = { groupId: "side", labelIds: ["left", "right", "both"], ordinal: false, required: true };
    const votes = [
      ...sub("c1", "a", ["left"], ["right", "both"]),
      ...sub("c1", "b", ["left"]),
      ...sub("c2", "a", [], ["left", "right", "both"]), // none present: invalid when required
      ...sub("c2", "b", ["both"]),
      ...sub("c2", "c", ["both"]),
      ...sub("c3", "a", ["right"]),
      ...sub("c3", "c", ["left", "right"]), // two present: invalid
    ];
    const g = groupAgreement(votes, side);
    expect(g.categories).toEqual(["left", "right", "both"]);
    expect(g.answers).toBe(5);
    expect(g.invalid).toBe(2);
    expect(g.cases).toBe(3);
    expect(g.casesWith2Plus).toBe(2);
    expect(g.unanimityRate).toBe(1);
    expect(g.confusion).toEqual([
      [2, 0, 0],
      [0, 0, 0],
      [0, 0, 2],
    ]);
    expect(g.readerCounts).toEqual([
      { readerId: "a", counts: [1, 1, 0] },
      { readerId: "b", counts: [1, 0, 1] },
      { readerId: "c", counts: [0, 0, 1] },
    ]);
    expect(g.krippendorffAlphaOrdinal).toBeNull();
    expect(g.meanWeightedKappa).toBeNull();
    expect(g.readerPairs.map((p) => [p.readerA, p.readerB, p.n, p.weightedKappa])).toEqual([
      ["a", "b", 1, null],
      ["b", "c", 1, null],
    ]);
    // The same votes in an optional group: a's empty submission on c2 is the answer "none".
    const optional = groupAgreement(votes, { ...side, required: false });
    expect(optional.categories).toEqual(["left", "right", "both", null]);
    expect(optional.answers).toBe(6);
    expect(optional.invalid).toBe(1);
    expect(optional.readerCounts[0]).toEqual({ readerId: "a", counts: [1, 1, 0, 1] });
    expect(optional.unanimityRate).toBe(1 / 2);
  });

  it("gives null ordinal fields for a nominal group, the rest unchanged", () => {
    const ordinal = groupAgreement(fixture, birads);
    const nominal = groupAgreement(fixture, { ...birads, ordinal: false });
    expect(nominal.krippendorffAlphaOrdinal).toBeNull();
    expect(nominal.meanWeightedKappa).toBeNull();
    expect(nominal.readerPairs.map((p) => p.weightedKappa)).toEqual([null, null, null]);
    const strip = (g: typeof ordinal) => ({
      ...g,
      krippendorffAlphaOrdinal: null,
      meanWeightedKappa: null,
      readerPairs: g.readerPairs.map((p) => ({ ...p, weightedKappa: null })),
    });
    expect(nominal).toEqual(strip(ordinal));
  });

  it("averages the weighted κ over the pairs where it is defined", () => {
    // r1–r2: x1 (b1,b1), x2 (b2,b3) → quadratic κ over 3 ranks: Σwo = ¼, Σw·A·B = 1 (0,2) + ¼ (1,0) + ¼ (1,2)
    //   = 1.5 → κ_w = 1 − 2·¼/1.5 = 2/3.
    // r1–r3: x3 (b1,b1) only: no expected disagreement → null. r2–r3: x4 (none,none): no ranked pair → null.
    const votes = [
      ...sub("x1", "r1", ["b1"]),
      ...sub("x1", "r2", ["b1"]),
      ...sub("x2", "r1", ["b2"]),
      ...sub("x2", "r2", ["b3"]),
      ...sub("x3", "r1", ["b1"]),
      ...sub("x3", "r3", ["b1"]),
      ...sub("x4", "r2", [], ["b1"]),
      ...sub("x4", "r3", [], ["b2"]),
    ];
    const g = groupAgreement(votes, birads);
    expect(g.readerPairs.map((p) => [p.readerA, p.readerB, p.n, p.kappa === null, p.weightedKappa === null])).toEqual([
      ["r1", "r2", 2, false, false],
      ["r1", "r3", 1, true, true],
      ["r2", "r3", 1, true, true],
    ]);
    expect(g.readerPairs[0]!.weightedKappa).toBeCloseTo(2 / 3, 14);
    expect(g.meanWeightedKappa).toBeCloseTo(2 / 3, 14);
  });

  it("is 1 everywhere for perfect agreement", () => {
    const votes = ["c1", "c2", "c3", "c4", "c5", "c6"].flatMap((c, i) => {
      const label = ["b1", "b2", "b3", null][i % 4];
      return ["r1", "r2", "r3"].flatMap((r) => sub(c, r, label ? [label] : [], label ? [] : ["b1"]));
    });
    const g = groupAgreement(votes, birads);
    expect(g.answers).toBe(18);
    expect(g.unanimityRate).toBe(1);
    expect(g.meanPairwiseAgreement).toBe(1);
    expect(g.fleissKappa).toBe(1);
    expect(g.krippendorffAlpha).toBe(1);
    expect(g.krippendorffAlphaOrdinal).toBe(1);
    expect(g.meanWeightedKappa).toBe(1);
    for (const p of g.readerPairs) expect([p.n, p.agreement, p.kappa, p.weightedKappa]).toEqual([6, 1, 1, 1]);
  });

  it("gives zeros and nulls without answers", () => {
    const empty = groupAgreement([], birads);
    const onlyOther = groupAgreement(sub("c1", "r1", ["other"], ["x"]), birads);
    for (const g of [empty, onlyOther]) {
      expect(g).toEqual({
        groupId: "g",
        categories: ["b1", "b2", "b3", null],
        answers: 0,
        invalid: 0,
        cases: 0,
        casesWith2Plus: 0,
        unanimityRate: null,
        meanPairwiseAgreement: null,
        fleissKappa: null,
        krippendorffAlpha: null,
        krippendorffAlphaOrdinal: null,
        meanWeightedKappa: null,
        readerPairs: [],
        confusion: [
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ],
        readerCounts: [],
        dawidSkene: null,
      });
    }
    // Only invalid answers: counted as invalid, nothing else.
    const invalidOnly = groupAgreement(sub("c1", "r1", ["b1", "b2"]), birads);
    expect([invalidOnly.answers, invalidOnly.invalid, invalidOnly.cases, invalidOnly.dawidSkene]).toEqual([0, 1, 0, null]);
    // readerCounts lists the readers with a counted answer only.
    expect(invalidOnly.readerCounts).toEqual([]);
  });

  it("runs K-class Dawid–Skene over the answers", () => {
    const g = groupAgreement(fixture, birads, { tolerance: 1e-12, maxIterations: 500 });
    const ds = g.dawidSkene!;
    expect(ds.prevalence).toHaveLength(4);
    expect(ds.prevalence.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(ds.readers.map((r) => [r.readerId, r.votes])).toEqual([
      ["r1", 4],
      ["r2", 5],
      ["r3", 2],
    ]);
    // The same as the EM called directly on the answers, with the binary path's smoothing.
    const answers: Array<[string, string, number]> = [
      ["c1", "r1", 0], ["c1", "r2", 0], ["c1", "r3", 1],
      ["c2", "r1", 2], ["c2", "r2", 2], ["c2", "r3", 2],
      ["c3", "r1", 3], ["c3", "r2", 1],
      ["c4", "r1", 1], ["c4", "r2", 3],
      ["c5", "r2", 0],
    ];
    const direct = dawidSkene(
      answers.map(([item, rater, value]) => ({ item, rater, value })),
      { classes: 4, smoothing: BINARY_SMOOTHING, tolerance: 1e-12, maxIterations: 500 },
    );
    expect(ds.converged).toBe(direct.converged);
    expect(ds.iterations).toBe(direct.iterations);
    ds.prevalence.forEach((p, k) => expect(p).toBeCloseTo(direct.prior[k]!, 12));
    for (const r of ds.readers) {
      const c = direct.confusion.get(r.readerId)!;
      expect(r.accuracy).toBeCloseTo(direct.prior.reduce((s, p, k) => s + p * c[k]![k]!, 0), 12);
    }
  });

  it("Dawid–Skene recovers an obvious majority", () => {
    // 40 cases, truth cycling b1, b2, b3, none; r1..r3 always right, r4 says b1 on every case.
    const truth = (i: number) => ["b1", "b2", "b3", null][i % 4]!;
    const votes = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, "0")}`).flatMap((c, i) => {
      const t = truth(i);
      return [
        ...["r1", "r2", "r3"].flatMap((r) => sub(c, r, t ? [t] : [], t ? [] : ["b1", "b2", "b3"])),
        ...sub(c, "r4", ["b1"], ["b2", "b3"]),
      ];
    });
    const ds = groupAgreement(votes, birads, { tolerance: 1e-9 * votes.length, maxIterations: 200 }).dawidSkene!;
    expect(ds.converged).toBe(true);
    expect(ds.prevalence.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of ds.prevalence) expect(Math.abs(p - 0.25)).toBeLessThan(0.01);
    const acc = Object.fromEntries(ds.readers.map((r) => [r.readerId, r.accuracy]));
    for (const r of ["r1", "r2", "r3"]) expect(acc[r]).toBeGreaterThan(0.99);
    // r4 is right on the b1 cases only: accuracy ≈ prior(b1) = 1/4.
    expect(Math.abs(acc.r4! - 0.25)).toBeLessThan(0.01);
    expect(ds.readers.map((r) => r.votes)).toEqual([40, 40, 40, 40]);
  });

  it("sorts reader pairs by reader ids, not by the first case they share", () => {
    // Case "a" (first in order) is answered by r2 and r3 only; r1 shares case "b" with both.
    const votes = [...sub("a", "r3", ["b1"]), ...sub("a", "r2", ["b1"]), ...sub("b", "r2", ["b2"]), ...sub("b", "r1", ["b2"]), ...sub("b", "r3", ["b3"])];
    const g = groupAgreement(votes, birads);
    expect(g.readerPairs.map((p) => [p.readerA, p.readerB, p.n])).toEqual([
      ["r1", "r2", 1],
      ["r1", "r3", 1],
      ["r2", "r3", 2],
    ]);
  });

  it("rejects a label listed twice in the group", () => {
    expect(() => groupAgreement([], { ...birads, labelIds: ["b1", "b1"] })).toThrow(RangeError);
  });
});

describe("groupCases", () => {
  const vote = (caseId: string, readerId: string, labelId: string, value = true) => ({ caseId, readerId, labelId, value });
  // Grades g0 < g1 < g2, not required: "none" is category 3.
  const spec = { groupId: "g", labelIds: ["g0", "g1", "g2"], ordinal: true, required: false };
  const votes = [
    vote("a", "r1", "g0"), vote("a", "r2", "g2"), // two steps apart
    vote("b", "r1", "g1"), vote("b", "r2", "g1"), // agree
    vote("c", "r1", "g1"), vote("c", "r2", "g0", false), vote("c", "r3", "g2"), // g1, none, g2: none one step past g2
    vote("d", "r1", "g0"), vote("d", "r2", "g1"), // one step
  ];

  it("lists the cases where answers differ, widest spread first; ordinal spread in steps, none one step past the last label", () => {
    const list = groupCases(groupAnswers(votes, spec), true);
    expect(list.map((c) => [c.caseId, c.spread])).toEqual([["a", 2], ["c", 2], ["d", 1]]);
    expect(list[1]!.answers).toEqual([["r1", 1], ["r2", 3], ["r3", 2]]);
  });

  it("nominal spread counts the different answers less one", () => {
    const list = groupCases(groupAnswers(votes, { ...spec, ordinal: false }), false);
    expect(list.map((c) => [c.caseId, c.spread])).toEqual([["c", 2], ["a", 1], ["d", 1]]);
  });

  it("a pair of categories gives the cases behind that cell of the confusion matrix, either way round; the diagonal needs two readers", () => {
    const answers = groupAnswers(votes, spec);
    const keys = (pair: [number, number]) => groupCases(answers, true, pair).map((c) => c.caseId);
    expect([keys([0, 2]), keys([2, 0]), keys([1, 1]), keys([0, 0]), keys([1, 3]), keys([3, 3])]).toEqual([["a"], ["a"], ["b"], [], ["c"], []]);
  });
});

describe("consensusValues", () => {
  // The label's name only tells the rows apart in the test; consensusValues keeps the rows' order.
  const row = (caseKey: string, _label: string, readers: number, positive: number, group: string | null = null, groupRequired: boolean | null = null, adjudicated = false) => ({
    caseKey, readers, positive, group, groupRequired, adjudicated,
  });

  it("a label in no group: its majority, a tie undecided", () => {
    expect(consensusValues([row("a", "x", 3, 2), row("a", "y", 3, 1), row("a", "z", 2, 1)])).toEqual([true, false, null]);
  });

  it("a required group: the answer most readers gave present, the others absent; three ways, all undecided (not 'none')", () => {
    const grade = (c: string, n: number, p: [number, number, number]) => ["g0", "g1", "g2"].map((l, k) => row(c, l, n, p[k]!, "Grade", true));
    expect(consensusValues(grade("a", 3, [0, 2, 1]))).toEqual([false, true, false]);
    expect(consensusValues(grade("b", 3, [1, 1, 1]))).toEqual([null, null, null]);
    // Four readers, two on g1: the plurality, where each label's majority would have said a tie on g1.
    expect(consensusValues(grade("c", 4, [1, 2, 1]))).toEqual([false, true, false]);
    expect(consensusValues(grade("d", 4, [2, 2, 0]))).toEqual([null, null, null]);
  });

  it("a group that is not required: none of them is an answer too", () => {
    const side = (c: string, n: number, p: [number, number]) => ["left", "right"].map((l, k) => row(c, l, n, p[k]!, "Side", false));
    expect(consensusValues(side("a", 3, [1, 0]))).toEqual([false, false]); // two said none
    expect(consensusValues(side("b", 3, [1, 1]))).toEqual([null, null]); // one each, and one none
    expect(consensusValues(side("c", 3, [2, 0]))).toEqual([true, false]);
  });

  it("each case and group apart; a case where a reviewer decided one of the group's labels keeps the decisions", () => {
    const rows = [row("a", "g0", 3, 1, "G", true), row("a", "g1", 3, 1, "G", true), row("a", "g2", 3, 1, "G", true), row("b", "g0", 1, 1, "G", true, true), row("b", "g1", 3, 2, "G", true), row("b", "x", 2, 2)];
    expect(consensusValues(rows)).toEqual([null, null, null, true, true, true]);
  });
});
