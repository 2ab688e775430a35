// Krippendorff's α with missing values, via the coincidence matrix (Krippendorff, "Computing
// Krippendorff's alpha-reliability", 2011). Pure, no I/O.

export type AlphaMetric = "nominal" | "ordinal" | "interval";

/** One unit's values, any number of coders; null/undefined are missing and ignored. */
export type AlphaUnit = ReadonlyArray<number | boolean | null | undefined>;

export interface AlphaResult {
  /** α, or null when undefined (no pairable values, or only one value used so D_e = 0). */
  alpha: number | null;
  /** Units with at least 2 values (the only ones that carry information). */
  pairableUnits: number;
  /** n: the number of values in pairable units. */
  pairableValues: number;
  /** Observed and expected disagreement; null with no pairable values. */
  observed: number | null;
  expected: number | null;
}

function toNumber(v: number | boolean): number {
  return typeof v === "boolean" ? (v ? 1 : 0) : v;
}

/**
 * Krippendorff's α over units of values (each inner array = the values the coders gave one unit).
 * Units with fewer than 2 values are not pairable and are dropped. Metrics: nominal (δ = 0 when
 * equal else 1), interval (δ² = (c − k)²), ordinal (δ² = (Σ_{g between c and k} n_g − (n_c + n_k)/2)²
 * over the sorted values actually used, with n_g their pairable frequencies).
 */
export function krippendorffDetails(units: ReadonlyArray<AlphaUnit>, metric: AlphaMetric = "nominal"): AlphaResult {
  const valueSet = new Set<number>();
  for (const unit of units) {
    for (const v of unit) {
      if (v === null || v === undefined) continue;
      const x = toNumber(v);
      if (!Number.isFinite(x)) throw new RangeError(`Krippendorff's alpha needs finite values, got ${x}`);
      valueSet.add(x);
    }
  }
  const acc = new Coincidences([...valueSet]);
  const index = new Map(acc.values.map((v, i) => [v, i]));
  const counts = new Float64Array(acc.values.length);
  for (const unit of units) {
    counts.fill(0);
    for (const v of unit) if (v !== null && v !== undefined) counts[index.get(toNumber(v))!]! += 1;
    acc.add(counts);
  }
  return acc.result(metric);
}

/**
 * The coincidence matrix built up one unit at a time: each unit is given as counts per value
 * (indexes into the sorted `values`). Units with fewer than 2 values are not pairable and add nothing.
 */
export class Coincidences {
  /** The possible values, sorted ascending. */
  readonly values: number[];
  private readonly o: Float64Array;
  private n = 0;
  private units = 0;

  constructor(values: ReadonlyArray<number>) {
    this.values = [...values].sort((a, b) => a - b);
    const V = this.values.length;
    this.o = new Float64Array(V * V);
  }

  add(counts: ArrayLike<number>): void {
    const V = this.values.length;
    let m = 0;
    for (let c = 0; c < V; c++) m += counts[c]!;
    if (m < 2) return;
    // Each ordered pair of values within the unit counts 1/(m − 1).
    for (let c = 0; c < V; c++) {
      const nc = counts[c]!;
      if (nc === 0) continue;
      for (let k = 0; k < V; k++) {
        const nk = counts[k]!;
        if (nk === 0) continue;
        this.o[c * V + k]! += (c === k ? nc * (nc - 1) : nc * nk) / (m - 1);
      }
    }
    this.n += m;
    this.units++;
  }

  result(metric: AlphaMetric): AlphaResult {
    const V = this.values.length;
    const n = this.n;
    if (n === 0) return { alpha: null, pairableUnits: 0, pairableValues: 0, observed: null, expected: null };
    const o = this.o;
    const nc = new Float64Array(V);
    for (let c = 0; c < V; c++) {
      let s = 0;
      for (let k = 0; k < V; k++) s += o[c * V + k]!;
      nc[c] = s;
    }
    const delta2 = distance(metric, this.values, nc);
    let observed = 0;
    let expected = 0;
    for (let c = 0; c < V; c++) {
      for (let k = 0; k < V; k++) {
        if (c === k) continue;
        const d = delta2(c, k);
        observed += o[c * V + k]! * d;
        expected += nc[c]! * nc[k]! * d;
      }
    }
    observed /= n;
    expected /= n * (n - 1);
    const alpha = expected === 0 ? null : 1 - observed / expected;
    return { alpha, pairableUnits: this.units, pairableValues: n, observed, expected };
  }
}

function distance(metric: AlphaMetric, values: number[], nc: Float64Array): (c: number, k: number) => number {
  switch (metric) {
    case "nominal":
      return (c, k) => (c === k ? 0 : 1);
    case "interval":
      return (c, k) => (values[c]! - values[k]!) ** 2;
    case "ordinal": {
      // Cumulative frequencies so each δ² is O(1).
      const cum = new Float64Array(values.length + 1);
      for (let i = 0; i < values.length; i++) cum[i + 1] = cum[i]! + nc[i]!;
      return (c, k) => {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        const between = cum[hi + 1]! - cum[lo]!;
        return (between - (nc[c]! + nc[k]!) / 2) ** 2;
      };
    }
  }
}

/** Krippendorff's α (see krippendorffDetails); null when undefined. */
export function krippendorffAlpha(units: ReadonlyArray<AlphaUnit>, metric: AlphaMetric = "nominal"): number | null {
  return krippendorffDetails(units, metric).alpha;
}
