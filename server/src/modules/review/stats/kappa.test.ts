import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_REWARD_VECTORS, readVectorCsv, readVectorJson, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { cohenKappa, cohenKappaCategorical, cohenKappaCounts, fleissDetails, fleissFromTable, fleissKappa } from "./kappa.js";

const VECTORS = rewardVectorsDir();

function repeat<T>(x: T, n: number): T[] {
  return Array.from({ length: n }, () => x);
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("cohenKappa", () => {
  it("matches a hand-computed 2x2 table", () => {
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: po = 0.7, pe = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    const pairs: Array<[boolean, boolean]> = [
      ...repeat<[boolean, boolean]>([true, true], 20),
      ...repeat<[boolean, boolean]>([true, false], 5),
      ...repeat<[boolean, boolean]>([false, true], 10),
      ...repeat<[boolean, boolean]>([false, false], 15),
    ];
    expect(cohenKappa(pairs)).toBeCloseTo(0.4, 12);
    expect(cohenKappaCounts(20, 5, 10, 15)).toBeCloseTo(0.4, 12);
    expect(cohenKappa(shuffle(pairs, seededRandom(3)))).toBeCloseTo(0.4, 12);
  });

  it("is 1 for perfect agreement, −1 for perfect disagreement with balanced margins, symmetric in the raters", () => {
    const rnd = seededRandom(7);
    const a = Array.from({ length: 50 }, () => rnd() < 0.4);
    expect(cohenKappa(a.map((x) => [x, x] as const))).toBe(1);
    const half = [...repeat(true, 10), ...repeat(false, 10)];
    expect(cohenKappa(half.map((x) => [x, !x] as const))).toBe(-1);
    const b = a.map((x) => (rnd() < 0.2 ? !x : x));
    const ab = cohenKappa(a.map((x, i) => [x, b[i]!] as const));
    const ba = cohenKappa(a.map((x, i) => [b[i]!, x] as const));
    expect(ab).not.toBeNull();
    expect(ab).toBeCloseTo(ba!, 14);
  });

  it("is null with no pairs or when both raters are constant and equal", () => {
    expect(cohenKappa([])).toBeNull();
    expect(cohenKappa(repeat([false, false] as const, 5))).toBeNull();
    expect(cohenKappa(repeat([true, true] as const, 5))).toBeNull();
    // One constant rater against a varying one is defined (κ = 0: no agreement beyond chance).
    expect(cohenKappa([[true, true], [true, false]])).toBe(0);
  });

  it.skipIf(!VECTORS)(`reproduces each reader's κ against the AI call in syn3_expected.json (${NO_REWARD_VECTORS})`, () => {
    const dir = VECTORS!;
    const ai = new Map(readVectorCsv(dir, "syn3_ai.csv").map((r) => [`${r.image}|${r.label}`, Number(r.ai_prob) > 0.5]));
    const expected = readVectorJson<{ scenarios: Record<string, { kappa_vs_ai: Record<string, Record<string, number | null>> }> }>(dir, "syn3_expected.json");
    const rows = readVectorCsv(dir, "syn3_annotations.csv");
    for (const scenario of Object.values(expected.scenarios)) {
      for (const [reader, perLabel] of Object.entries(scenario.kappa_vs_ai)) {
        for (const [label, want] of Object.entries(perLabel)) {
          const pairs = rows
            .filter((r) => r.annotator === reader && r.label === label)
            .map((r) => [r.value === "1" || r.value === "true", ai.get(`${r.image}|${label}`)!] as const);
          expect(pairs.length).toBeGreaterThan(0);
          const got = cohenKappa(pairs);
          if (want === null) expect(got).toBeNull();
          else expect(Math.abs(got! - want)).toBeLessThan(1e-9);
        }
      }
    }
  });
});

/** Paired categories from a k×k count table: table[i][j] pairs with rater A = i and rater B = j. */
function pairsFromTable(table: number[][]): Array<[number, number]> {
  return table.flatMap((row, i) => row.flatMap((n, j) => repeat<[number, number]>([i, j], n)));
}

describe("cohenKappaCategorical", () => {
  // Rater A in rows, rater B in columns; n = 20, A's margins 8, 8, 4, B's margins 7, 8, 5.
  const table = [
    [6, 2, 0],
    [1, 5, 2],
    [0, 1, 3],
  ];
  const pairs = pairsFromTable(table);

  it("equals the binary cohenKappa with k = 2, whatever the weights", () => {
    // The Wikipedia example (κ = 0.4) with false = 0, true = 1; with k = 2 every weight off the diagonal is 1.
    const binary = pairsFromTable([
      [15, 10],
      [5, 20],
    ]);
    for (const w of ["none", "linear", "quadratic"] as const) expect(cohenKappaCategorical(binary, 2, w)).toBeCloseTo(0.4, 12);
    const rnd = seededRandom(21);
    for (let t = 0; t < 20; t++) {
      const bools = Array.from({ length: 5 + Math.floor(rnd() * 30) }, () => [rnd() < 0.4, rnd() < 0.6] as const);
      const want = cohenKappa(bools);
      const got = cohenKappaCategorical(bools.map(([a, b]) => [a ? 1 : 0, b ? 1 : 0] as const), 2);
      if (want === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(want, 12);
    }
  });

  it("matches the hand-computed 3×3 table, unweighted", () => {
    // po = (6 + 5 + 3)/20 = 0.7; pe = (8·7 + 8·8 + 4·5)/400 = 140/400 = 0.35;
    // κ = (0.7 − 0.35)/(1 − 0.35) = 0.35/0.65 = 7/13.
    expect(cohenKappaCategorical(pairs, 3)).toBeCloseTo(7 / 13, 12);
    expect(cohenKappaCategorical(pairs, 3, "none")).toBeCloseTo(7 / 13, 12);
  });

  it("matches the hand-computed 3×3 table, linear and quadratic weights", () => {
    // One step apart: cells (0,1) = 2, (1,0) = 1, (1,2) = 2, (2,1) = 1 → 6 pairs; two steps: (0,2) = (2,0) = 0.
    // Expected counts A_i·B_j one step apart: 8·8 + 8·7 + 8·5 + 4·8 = 64 + 56 + 40 + 32 = 192; two steps: 8·5 + 4·7 = 68.
    // Linear (w = 1/2 one step, 1 two steps): Σwo = 6·½ / 20 = 0.15; Σwe = (192·½ + 68)/400 = 164/400 = 0.41;
    //   κ = 1 − 0.15/0.41 = 26/41 ≈ 0.6341.
    // Quadratic (w = 1/4, 1): Σwo = 6·¼ / 20 = 0.075; Σwe = (192·¼ + 68)/400 = 116/400 = 0.29;
    //   κ = 1 − 0.075/0.29 = 43/58 ≈ 0.7414.
    expect(cohenKappaCategorical(pairs, 3, "linear")).toBeCloseTo(26 / 41, 12);
    expect(cohenKappaCategorical(pairs, 3, "quadratic")).toBeCloseTo(43 / 58, 12);
    // Symmetric in the raters (the weights are), and independent of the order of the pairs.
    const swapped = pairs.map(([a, b]) => [b, a] as const);
    expect(cohenKappaCategorical(swapped, 3, "quadratic")).toBeCloseTo(43 / 58, 12);
    expect(cohenKappaCategorical(shuffle(pairs, seededRandom(4)), 3, "linear")).toBeCloseTo(26 / 41, 12);
  });

  it("does not change with unused categories: a larger k scales every weight by the same factor", () => {
    // With k = 5 the same table spans ranks 0..2 of 0..4: every weight shrinks, by 1/2 (linear) or
    // 1/4 (quadratic) — a common factor that cancels in Σwo / Σwe.
    expect(cohenKappaCategorical(pairs, 5)).toBeCloseTo(7 / 13, 12);
    expect(cohenKappaCategorical(pairs, 5, "linear")).toBeCloseTo(26 / 41, 12);
    // Shifted up by 2 (ranks 2..4 of 0..4) nothing changes either.
    expect(cohenKappaCategorical(pairs.map(([a, b]) => [a + 2, b + 2] as const), 5, "quadratic")).toBeCloseTo(43 / 58, 12);
  });

  it("is 1 for perfect agreement and null when undefined", () => {
    const same = [0, 1, 2, 2, 3, 1].map((x) => [x, x] as const);
    for (const w of ["none", "linear", "quadratic"] as const) expect(cohenKappaCategorical(same, 4, w)).toBe(1);
    expect(cohenKappaCategorical([], 3)).toBeNull();
    // Everything in one category: no expected disagreement, κ is 0/0.
    for (const w of ["none", "linear", "quadratic"] as const) expect(cohenKappaCategorical(repeat([2, 2] as const, 6), 4, w)).toBeNull();
    expect(cohenKappaCategorical(repeat([0, 0] as const, 3), 1)).toBeNull();
    // Two constant raters that differ: defined, κ = 0.
    expect(cohenKappaCategorical(repeat([0, 2] as const, 4), 3, "quadratic")).toBe(0);
  });

  it("throws on a category outside 0..k−1 or a bad k", () => {
    expect(() => cohenKappaCategorical([[0, 3]], 3)).toThrow(RangeError);
    expect(() => cohenKappaCategorical([[-1, 0]], 3)).toThrow(RangeError);
    expect(() => cohenKappaCategorical([[0.5, 0]], 3)).toThrow(RangeError);
    expect(() => cohenKappaCategorical([], 0)).toThrow(RangeError);
  });
});

describe("fleissKappa", () => {
  // Fleiss (1971)-style example as quoted on Wikipedia: 10 subjects, 14 raters, 5 categories, κ ≈ 0.210.
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  const cells = table.map((row) => row.flatMap((n, c) => repeat(c, n)));

  it("matches the published categorical example", () => {
    const d = fleissDetails(cells);
    expect(d.pBar).toBeCloseTo(0.378, 3);
    expect(d.pE).toBeCloseTo(0.213, 3);
    expect(d.kappa).toBeCloseTo(0.21, 3);
  });

  it("gives the same result from the count table as from the votes", () => {
    const d = fleissDetails(cells);
    const t = fleissFromTable(table);
    expect(t.kappa).toBeCloseTo(d.kappa!, 14);
    expect(t.pBar).toBeCloseTo(d.pBar!, 14);
    expect(t.cells).toBe(10);
  });

  it("does not change when cells, votes within cells, or category names are permuted", () => {
    const rnd = seededRandom(11);
    const base = fleissKappa(cells)!;
    for (let t = 0; t < 20; t++) {
      const relabel = shuffle([0, 1, 2, 3, 4], rnd).map((c) => c * 10 + 3);
      const permuted = shuffle(cells, rnd).map((c) => shuffle(c, rnd).map((v) => relabel[v]!));
      expect(Math.abs(fleissKappa(permuted)! - base)).toBeLessThan(1e-12);
    }
  });

  it("handles varying vote counts: booleans equal 0/1, cells with < 2 votes are skipped", () => {
    const rnd = seededRandom(5);
    const bools = Array.from({ length: 40 }, () => Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => rnd() < 0.35));
    const nums = bools.map((c) => c.map((v) => (v ? 1 : 0)));
    expect(fleissKappa(bools)).toBe(fleissKappa(nums));
    const withSingles = [...bools, [true], [], [false]];
    const d = fleissDetails(withSingles);
    expect(d.kappa).toBe(fleissKappa(bools));
    expect(d.skipped).toBe(3);
    expect(d.cells).toBe(40);
  });

  it("hand-computed unequal cells", () => {
    // Cells [T,T], [T,F,F], [F,F,F,F]: P = 1, 1/3, 1 → P̄ = 7/9; p(T) = 3/9 → pe = 1/9 + 4/9 = 5/9;
    // κ = (7/9 − 5/9) / (4/9) = 1/2.
    expect(fleissKappa([[true, true], [true, false, false], [false, false, false, false]])).toBeCloseTo(0.5, 14);
  });

  it("is 1 for perfect agreement and null when undefined", () => {
    expect(fleissKappa([[true, true, true], [false, false], [true, true]])).toBe(1);
    expect(fleissKappa([])).toBeNull();
    expect(fleissKappa([[true], [false]])).toBeNull();
    expect(fleissKappa([[false, false], [false, false, false]])).toBeNull();
    expect(fleissDetails([[false, false], [false, false, false]]).pBar).toBe(1);
  });

  it.skipIf(!VECTORS)(`reproduces Fleiss' κ and P̄ per label and pooled in syn3_expected.json (${NO_REWARD_VECTORS})`, () => {
    const dir = VECTORS!;
    const rows = readVectorCsv(dir, "syn3_annotations.csv");
    const byCell = new Map<string, boolean[]>();
    for (const r of rows) {
      const key = `${r.label}|${r.image}`;
      if (!byCell.has(key)) byCell.set(key, []);
      byCell.get(key)!.push(r.value === "1");
    }
    type Stats = { fleiss_kappa: number | null; fleiss_Pbar: number };
    const expected = readVectorJson<{ scenarios: Record<string, { agreement: { per_label: Record<string, Stats>; pooled: Stats } }> }>(dir, "syn3_expected.json");
    const check = (got: ReturnType<typeof fleissDetails>, want: Stats) => {
      if (want.fleiss_kappa === null) expect(got.kappa).toBeNull();
      else expect(Math.abs(got.kappa! - want.fleiss_kappa)).toBeLessThan(1e-9);
      expect(Math.abs(got.pBar! - want.fleiss_Pbar)).toBeLessThan(1e-9);
    };
    for (const { agreement } of Object.values(expected.scenarios)) {
      for (const [label, want] of Object.entries(agreement.per_label)) {
        check(fleissDetails([...byCell].filter(([k]) => k.startsWith(`${label}|`)).map(([, v]) => v)), want);
      }
      check(fleissDetails([...byCell.values()]), agreement.pooled);
    }
  });
});
