import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { matchPoints, meanDistance, median, medianDistance, matchingF1, withinRadii, SUCCESS_RADII_MM, type PointXY } from "./points.js";

/** Every one-to-one matching within the tolerance, tried: the most pairs, then the least total distance. */
function bruteForce(a: PointXY[], b: PointXY[], tolerance: number): { pairs: number; total: number } {
  let best = { pairs: 0, total: 0 };
  const taken = new Array<boolean>(b.length).fill(false);
  const walk = (i: number, pairs: number, total: number) => {
    if (i === a.length) {
      if (pairs > best.pairs || (pairs === best.pairs && total < best.total)) best = { pairs, total };
      return;
    }
    walk(i + 1, pairs, total);
    for (let j = 0; j < b.length; j++) {
      const d = Math.hypot(a[i]![0] - b[j]![0], a[i]![1] - b[j]![1]);
      if (taken[j] || d > tolerance) continue;
      taken[j] = true;
      walk(i + 1, pairs + 1, total + d);
      taken[j] = false;
    }
  };
  walk(0, 0, 0);
  return best;
}

const total = (m: ReturnType<typeof matchPoints>) => m.pairs.reduce((s, p) => s + p.distance, 0);

describe("matchPoints", () => {
  it("pairs points within the tolerance, one to one, and counts the rest on each side", () => {
    // (0,0)–(1,0) is 1 px; (10,0) is 9 px from (1,0), taken already, and 20 px from (30,0).
    const m = matchPoints([[0, 0], [10, 0]], [[1, 0], [30, 0]], 10);
    expect(m).toEqual({ pairs: [{ a: 0, b: 0, distance: 1 }], unmatchedA: 1, unmatchedB: 1 });
    expect(matchingF1(m)).toBe(0.5);
    expect(meanDistance(m.pairs)).toBe(1);
  });

  it("finds more pairs than greedy nearest-first matching where greedy strands a point", () => {
    // Greedy takes the closest pair first, (8,0)–(7,0) at 1 px, and leaves (0,0) 15 px from (15,0).
    // The best matching pairs (0,0)–(7,0) and (8,0)–(15,0), 7 px each.
    const a: PointXY[] = [[0, 0], [8, 0]];
    const b: PointXY[] = [[7, 0], [15, 0]];
    const m = matchPoints(a, b, 10);
    expect(m.pairs).toEqual([
      { a: 0, b: 0, distance: 7 },
      { a: 1, b: 1, distance: 7 },
    ]);
    expect([m.unmatchedA, m.unmatchedB, matchingF1(m)]).toEqual([0, 0, 1]);
  });

  it("takes the least total distance among matchings of as many pairs, where greedy does not", () => {
    // Greedy: (4,0)–(3,0) 1 px, then (0,0)–(7,0) 7 px: 8 px. Best: 3 + 3 = 6 px.
    const m = matchPoints([[0, 0], [4, 0]], [[3, 0], [7, 0]], 10);
    expect(m.pairs).toEqual([
      { a: 0, b: 0, distance: 3 },
      { a: 1, b: 1, distance: 3 },
    ]);
    expect(meanDistance(m.pairs)).toBe(3);
  });

  it("counts a pair exactly at the tolerance, not one beyond it", () => {
    // A 6-8-10 triangle: exactly 10 px apart.
    expect(matchPoints([[0, 0]], [[6, 8]], 10).pairs).toEqual([{ a: 0, b: 0, distance: 10 }]);
    expect(matchPoints([[0, 0]], [[6, 8]], 9.999)).toEqual({ pairs: [], unmatchedA: 1, unmatchedB: 1 });
    // A tolerance of 0 pairs the same place only.
    expect(matchPoints([[2.5, 3]], [[2.5, 3]], 0).pairs).toEqual([{ a: 0, b: 0, distance: 0 }]);
    expect(matchPoints([[2.5, 3]], [[2.5, 3.001]], 0).pairs).toEqual([]);
  });

  it("handles empty sets: F1 null when both are empty, 0 when one side has points", () => {
    const none = matchPoints([], [], 10);
    expect(none).toEqual({ pairs: [], unmatchedA: 0, unmatchedB: 0 });
    expect(matchingF1(none)).toBeNull();
    expect(meanDistance(none.pairs)).toBeNull();
    expect(medianDistance(none.pairs)).toBeNull();
    const oneSided = matchPoints([], [[1, 1], [2, 2]], 10);
    expect(oneSided).toEqual({ pairs: [], unmatchedA: 0, unmatchedB: 2 });
    expect(matchingF1(oneSided)).toBe(0);
    expect(matchingF1(matchPoints([[1, 1]], [], 10))).toBe(0);
  });

  it("gives indices into each set whichever side is larger, in the order of the first", () => {
    // Three points against one: the middle one is nearest.
    const m = matchPoints([[0, 0], [5, 0], [20, 0]], [[6, 0]], 10);
    expect(m).toEqual({ pairs: [{ a: 1, b: 0, distance: 1 }], unmatchedA: 2, unmatchedB: 0 });
    const back = matchPoints([[6, 0]], [[0, 0], [5, 0], [20, 0]], 10);
    expect(back).toEqual({ pairs: [{ a: 0, b: 1, distance: 1 }], unmatchedA: 0, unmatchedB: 2 });
  });

  it("equals trying every matching on random small sets", () => {
    const rnd = seededRandom(20251);
    for (let t = 0; t < 800; t++) {
      const na = Math.floor(rnd() * 8);
      const nb = Math.floor(rnd() * 8);
      // With a 10 px tolerance: in a 30 px square, groups of every size and some pairs too far; in a
      // 12 px square, nearly all points in one group, where the assignment does all the work.
      const side = t % 2 ? 30 : 12;
      const pts = (n: number): PointXY[] => Array.from({ length: n }, () => [Math.round(rnd() * side * 10) / 10, Math.round(rnd() * side * 10) / 10]);
      const a = pts(na);
      const b = pts(nb);
      const m = matchPoints(a, b, 10);
      const best = bruteForce(a, b, 10);
      expect(m.pairs.length, `case ${t}`).toBe(best.pairs);
      expect(total(m), `case ${t}`).toBeCloseTo(best.total, 9);
      // One to one, within the tolerance, distances as said.
      expect(new Set(m.pairs.map((p) => p.a)).size).toBe(m.pairs.length);
      expect(new Set(m.pairs.map((p) => p.b)).size).toBe(m.pairs.length);
      for (const p of m.pairs) {
        expect(p.distance).toBeLessThanOrEqual(10);
        expect(p.distance).toBe(Math.hypot(a[p.a]![0] - b[p.b]![0], a[p.a]![1] - b[p.b]![1]));
      }
      expect([m.unmatchedA, m.unmatchedB]).toEqual([na - m.pairs.length, nb - m.pairs.length]);
    }
  });

  it("matches a thousand sparse landmarks against a thousand, and a cluster all within the tolerance of each other", () => {
    const rnd = seededRandom(7);
    // A 40 × 25 grid 50 px apart, the second reader's marks moved by up to 3 px: each finds its own.
    const grid: PointXY[] = Array.from({ length: 1000 }, (_, k) => [(k % 40) * 50, Math.floor(k / 40) * 50]);
    const moved: PointXY[] = grid.map(([x, y]): PointXY => [x + (rnd() - 0.5) * 4, y + (rnd() - 0.5) * 4]).reverse();
    const sparse = matchPoints(grid, moved, 10);
    expect(sparse.pairs).toHaveLength(1000);
    for (const p of sparse.pairs) expect(p.b).toBe(999 - p.a);
    // 300 and 250 points all within 10 px of each other: one group, solved whole; every point of the smaller set paired.
    const cluster = (n: number): PointXY[] => Array.from({ length: n }, () => [rnd() * 7, rnd() * 7]);
    const dense = matchPoints(cluster(300), cluster(250), 10);
    expect([dense.pairs.length, dense.unmatchedA, dense.unmatchedB]).toEqual([250, 50, 0]);
  });

  it("refuses a tolerance that is not a finite distance of 0 or more", () => {
    for (const t of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => matchPoints([[0, 0]], [[0, 0]], t)).toThrow(RangeError);
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(medianDistance([{ distance: 5 }, { distance: 1 }])).toBe(3);
  });
});

describe("withinRadii (success detection rate)", () => {
  it("counts the distances at most each radius, the radius itself included, and their share", () => {
    // 1.9 within all; 2 on the first radius; 2.6 from 3 mm; 4.01 within none.
    expect(withinRadii([2.6, 1.9, 4.01, 2])).toEqual([
      { radiusMm: 2, pairs: 2, share: 0.5 },
      { radiusMm: 2.5, pairs: 2, share: 0.5 },
      { radiusMm: 3, pairs: 3, share: 0.75 },
      { radiusMm: 4, pairs: 3, share: 0.75 },
    ]);
    expect(SUCCESS_RADII_MM).toEqual([2, 2.5, 3, 4]);
    expect(withinRadii([0.5], [1, 0.25])).toEqual([
      { radiusMm: 1, pairs: 1, share: 1 },
      { radiusMm: 0.25, pairs: 0, share: 0 },
    ]);
  });

  it("has no share without a distance", () => {
    expect(withinRadii([]).map((w) => [w.pairs, w.share])).toEqual([[0, null], [0, null], [0, null], [0, null]]);
  });
});
