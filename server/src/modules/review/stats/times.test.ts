import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NO_REWARD_VECTORS, readVectorCsv, readVectorJson, rewardVectorsDir } from "../../../testing/reward-vectors.js";
import { logGamma, normalQuantile, quantileSorted, studentTCdf, studentTQuantile, summariseTimes, timeStats } from "./times.js";

const VECTORS = rewardVectorsDir();

describe("Student t", () => {
  it("matches printed t tables (two-sided 95 % and 99 %)", () => {
    // Values from standard t tables, to the 4 decimals they print.
    const table: Array<[number, number, number]> = [
      [1, 12.7062, 63.6567],
      [2, 4.3027, 9.9248],
      [3, 3.1824, 5.8409],
      [5, 2.5706, 4.0321],
      [10, 2.2281, 3.1693],
      [20, 2.086, 2.8453],
      [30, 2.0423, 2.75],
      [120, 1.9799, 2.6174],
    ];
    for (const [df, t975, t995] of table) {
      expect(Math.abs(studentTQuantile(0.975, df) - t975)).toBeLessThan(5e-5);
      expect(Math.abs(studentTQuantile(0.995, df) - t995)).toBeLessThan(5e-5);
    }
  });

  it("matches closed forms to 1e-9 and inverts its CDF", () => {
    // df = 1 (Cauchy) and df = 2 have closed-form quantiles; check the general CDF against them.
    const rnd = seededRandom(6);
    for (let i = 0; i < 200; i++) {
      const p = 0.001 + 0.998 * rnd();
      expect(Math.abs(studentTCdf(Math.tan(Math.PI * (p - 0.5)), 1) - p)).toBeLessThan(1e-12);
      const t2 = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      expect(Math.abs(studentTCdf(t2, 2) - p)).toBeLessThan(1e-12);
      const df = 0.5 + 60 * rnd();
      const t = studentTQuantile(p, df);
      expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-12);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 9);
    }
    // df = 3 has a closed-form CDF: 1/2 + (1/π)(θ + sin θ cos θ) with θ = atan(t/√3).
    for (const t of [-4, -1, 0.3, 2, 7.5]) {
      const th = Math.atan(t / Math.sqrt(3));
      expect(Math.abs(studentTCdf(t, 3) - (0.5 + (th + Math.sin(th) * Math.cos(th)) / Math.PI))).toBeLessThan(1e-13);
    }
  });

  it("approaches the normal for large df; edges", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(Math.abs(studentTQuantile(0.975, 1e7) - normalQuantile(0.975))).toBeLessThan(1e-6);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
  });
});

describe("summariseTimes", () => {
  it("type-7 quantiles as R computes them", () => {
    // R: quantile(c(1, 2, 3, 4), c(.25, .5, .75)) = 1.75 2.5 3.25; quantile(c(1, 2, 3, 4, 10), .75) = 4.
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantileSorted([1, 2, 3, 4, 10], 0.75)).toBe(4);
    expect(quantileSorted([7], 0.25)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNull();
  });

  it("hand-computed summary with a t interval", () => {
    const s = summariseTimes([5, 1, 4, 2, 3, Number.NaN]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 14);
    // t(0.975, 4) = 2.776445105; half-width = 2.776445105·√2.5/√5.
    const half = 2.776445105197793 * Math.sqrt(2.5 / 5);
    expect(s.ci95![0]).toBeCloseTo(3 - half, 9);
    expect(s.ci95![1]).toBeCloseTo(3 + half, 9);
    expect([s.median, s.q1, s.q3, s.iqr, s.min, s.max]).toEqual([3, 2, 4, 2, 1, 5]);
    const one = summariseTimes([4]);
    expect([one.mean, one.sd, one.ci95, one.median]).toEqual([4, null, null, 4]);
    expect(summariseTimes([]).mean).toBeNull();
  });

  it("the 95 % interval covers the true mean about 95 % of the time", () => {
    const rnd = seededRandom(9);
    let covered = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      // Normal samples of size 6 (Box–Muller), true mean 10.
      const xs = Array.from({ length: 6 }, () => 10 + 2 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
      const [lo, hi] = summariseTimes(xs).ci95!;
      if (lo <= 10 && 10 <= hi) covered++;
    }
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.015);
  });
});

describe("timeStats", () => {
  it("groups by label and reader, sorted, ignoring missing and negative times", () => {
    const r = timeStats([
      { label: "b", reader: "y", seconds: 4 },
      { label: "a", reader: "y", seconds: 2 },
      { label: "a", reader: "x", seconds: 6 },
      { label: "a", reader: "x", seconds: null },
      { label: "c", reader: "x" },
      { label: "c", reader: "z", seconds: -1 },
    ]);
    expect(r.pooled.n).toBe(3);
    expect(r.perLabel.map((s) => [s.label, s.n, s.mean])).toEqual([
      ["a", 2, 4],
      ["b", 1, 4],
    ]);
    expect(r.perReader.map((s) => [s.reader, s.n, s.mean])).toEqual([
      ["x", 1, 6],
      ["y", 2, 3],
    ]);
  });

  it.skipIf(!VECTORS)(`per-label mean times equal τ_k of syn3 (all readers kept) (${NO_REWARD_VECTORS})`, () => {
    const rows = readVectorCsv(VECTORS!, "syn3_annotations.csv");
    const r = timeStats(rows.map((x) => ({ label: x.label!, reader: x.annotator!, seconds: Number(x.time_s) })));
    // Scenario syn3_proposed keeps every reader on every label, so τ_k is the plain mean time.
    const expected = readVectorJson<{ scenarios: { syn3_proposed: { per_label: Record<string, { tau_k: number }> } } }>(VECTORS!, "syn3_expected.json");
    const perLabel = expected.scenarios.syn3_proposed.per_label;
    expect(r.perLabel.map((s) => s.label)).toEqual(Object.keys(perLabel).sort());
    for (const s of r.perLabel) expect(Math.abs(s.mean! - perLabel[s.label]!.tau_k)).toBeLessThan(1e-9);
  });
});
