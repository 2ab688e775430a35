import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_REWARD_VECTORS, readVectorCsv, readVectorJson, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { fleissKappa } from "./kappa.js";
import { krippendorffAlpha, krippendorffDetails } from "./krippendorff.js";

const VECTORS = rewardVectorsDir();

describe("krippendorffAlpha", () => {
  it.skipIf(!VECTORS)(`reproduces the reliability-data example in validation_expected.json (${NO_REWARD_VECTORS})`, () => {
    const dir = VECTORS!;
    const want = readVectorJson<{ krippendorff_example: { nominal: number; interval: number; pairable_units: number; pairable_values: number } }>(
      dir,
      "validation_expected.json",
    ).krippendorff_example;
    const units = new Map<string, number[]>();
    for (const r of readVectorCsv(dir, "krippendorff_reliability_example.csv")) {
      if (!units.has(r.unit!)) units.set(r.unit!, []);
      units.get(r.unit!)!.push(Number(r.value));
    }
    const nominal = krippendorffDetails([...units.values()], "nominal");
    expect(nominal.pairableUnits).toBe(want.pairable_units);
    expect(nominal.pairableValues).toBe(want.pairable_values);
    expect(Math.abs(nominal.alpha! - want.nominal)).toBeLessThan(1e-12);
    expect(Math.abs(krippendorffAlpha([...units.values()], "interval")! - want.interval)).toBeLessThan(1e-12);
    // Krippendorff (2011) gives 0.815 for the ordinal metric on the same data.
    expect(krippendorffAlpha([...units.values()], "ordinal")).toBeCloseTo(0.815, 3);
  });

  it("hand-computed binary example", () => {
    // Units [1,1], [0,0], [1,0]: o(0,0) = 2, o(1,1) = 2, o(0,1) = o(1,0) = 1; n = 6, n_0 = n_1 = 3.
    // D_o = 2/6, D_e = 2·3·3/(6·5) = 0.6, α = 1 − (1/3)/0.6 = 4/9.
    expect(krippendorffAlpha([[1, 1], [0, 0], [1, 0]])).toBeCloseTo(4 / 9, 14);
    expect(krippendorffAlpha([[true, true], [false, false], [true, false]])).toBeCloseTo(4 / 9, 14);
  });

  it("is 1 for perfect agreement in every metric, and ignores missing values and lone values", () => {
    const rnd = seededRandom(12);
    const units = Array.from({ length: 30 }, () => {
      const v = Math.floor(rnd() * 5);
      return Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => v);
    });
    for (const m of ["nominal", "ordinal", "interval"] as const) expect(krippendorffAlpha(units, m)).toBe(1);
    const withGaps = units.map((u) => [null, ...u, undefined]);
    const d = krippendorffDetails([...withGaps, [3], [null, 4], []]);
    expect(d.alpha).toBe(1);
    expect(d.pairableUnits).toBe(30);
  });

  it("is null when undefined", () => {
    expect(krippendorffAlpha([])).toBeNull();
    expect(krippendorffAlpha([[1], [2]])).toBeNull();
    expect(krippendorffAlpha([[0, 0], [0, 0, 0]])).toBeNull();
  });

  it("nominal α is invariant to relabelling; interval α to affine maps; ordinal α to monotone maps", () => {
    const rnd = seededRandom(21);
    const units = Array.from({ length: 50 }, () => {
      const t = Math.floor(rnd() * 4);
      return Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => (rnd() < 0.3 ? Math.floor(rnd() * 4) : t));
    });
    const nominal = krippendorffAlpha(units, "nominal")!;
    const perm = [2, 0, 3, 1];
    expect(krippendorffAlpha(units.map((u) => u.map((v) => perm[v]!)), "nominal")).toBeCloseTo(nominal, 12);
    const interval = krippendorffAlpha(units, "interval")!;
    expect(krippendorffAlpha(units.map((u) => u.map((v) => 3 * v - 7)), "interval")).toBeCloseTo(interval, 12);
    const ordinal = krippendorffAlpha(units, "ordinal")!;
    expect(krippendorffAlpha(units.map((u) => u.map((v) => v ** 3 + 1)), "ordinal")).toBeCloseTo(ordinal, 12);
    // Random independent values give α near 0.
    const noise = Array.from({ length: 2000 }, () => [Math.floor(rnd() * 4), Math.floor(rnd() * 4), Math.floor(rnd() * 4)]);
    expect(Math.abs(krippendorffAlpha(noise)!)).toBeLessThan(0.05);
  });

  it("for complete binary data equals Fleiss' κ corrected for small samples", () => {
    // Same observed agreement; α's expected disagreement has a finite-sample factor n/(n − 1), so α is a
    // touch larger and the two meet as the number of values n grows.
    const rnd = seededRandom(3);
    const units = Array.from({ length: 5000 }, () => {
      const t = rnd() < 0.4;
      return [0, 1, 2].map(() => (rnd() < 0.85 ? t : !t));
    });
    const k = fleissKappa(units)!;
    const a = krippendorffAlpha(units)!;
    expect(a).toBeGreaterThanOrEqual(k);
    expect(a - k).toBeLessThan(1e-3);
  });
});
