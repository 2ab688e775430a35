// The numbers behind the progress plots: quantiles, box-plot summaries, axis ticks and scales.
// Pure functions, no Vue, so they are tested on known values.

/** The values in ascending order, without NaN or infinities. */
export function sortedFinite(values: readonly number[]): number[] {
  return values.filter(Number.isFinite).sort((a, b) => a - b);
}

/**
 * The p-quantile of ascending values by linear interpolation between order statistics (Hyndman and
 * Fan type 7, the default of R and NumPy and what PostgreSQL's percentile_cont computes, so the
 * plot's medians match the server's). Null for no values.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, n - 1)]!;
  return below + (h - lo) * (above - below);
}

export interface BoxSummary {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** The furthest values still within 1.5 × IQR of the box (Tukey's whiskers). */
  lowerWhisker: number;
  upperWhisker: number;
  /** Values beyond the whiskers, ascending. */
  outliers: number[];
}

/** Tukey's box plot of the values (any order): quartiles by type 7, whiskers at 1.5 × IQR. Null for no values. */
export function boxSummary(values: readonly number[]): BoxSummary | null {
  const sorted = sortedFinite(values);
  const n = sorted.length;
  if (!n) return null;
  const q1 = quantile(sorted, 0.25)!;
  const median = quantile(sorted, 0.5)!;
  const q3 = quantile(sorted, 0.75)!;
  const reach = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - reach && v <= q3 + reach);
  // The quartiles lie between order statistics, so at least one value is always inside.
  return {
    n,
    min: sorted[0]!,
    q1,
    median,
    q3,
    max: sorted[n - 1]!,
    lowerWhisker: inside[0]!,
    upperWhisker: inside[inside.length - 1]!,
    outliers: sorted.filter((v) => v < q1 - reach || v > q3 + reach),
  };
}

/** A box's numbers as a table row shows them: its count, min, Q1, median, Q3, max (seconds) and how many outliers. */
export function boxCells(box: BoxSummary): string[] {
  return [String(box.n), ...[box.min, box.q1, box.median, box.q3, box.max].map(formatSeconds), String(box.outliers.length)];
}

/**
 * Heckbert's "nice number" near x: 1, 2, 5 or 10 times a power of ten. Rounded to the nearest one
 * when `round`, else the smallest one at least x (for a range that must cover the data).
 */
export function niceNumber(x: number, round: boolean): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0;
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

export interface Ticks {
  /** The axis runs from min to max, both ticks. */
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** Round numbers for a linear axis covering [lo, hi], about `count` of them (Heckbert's loose labelling). */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, step: 1, ticks: [0, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // A single value: an axis around it (or 0 to 1 for zero).
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    return niceTicks(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad, count);
  }
  const range = niceNumber(hi - lo, false);
  const step = niceNumber(range / Math.max(1, count - 1), true);
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let i = 0; i <= Math.round((max - min) / step); i++) ticks.push(Number((min + i * step).toFixed(decimals)));
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, step, ticks };
}

/**
 * Ticks for a log axis covering [lo, hi] (both > 0): 1, 2, 5 times powers of ten; only powers of ten
 * when the data span more than three decades; every 1…9 times a power of ten when 1-2-5 would give
 * fewer than four. The axis runs from the last tick at or below lo to the first at or above hi.
 */
export function logTicks(lo: number, hi: number): Ticks {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 1, max: 10, step: 10, ticks: [1, 10] };
  if (hi < lo) [lo, hi] = [hi, lo];
  const first = Math.floor(Math.log10(lo) + 1e-9);
  const last = Math.ceil(Math.log10(hi) - 1e-9);
  const within = (mantissas: readonly number[]) => {
    const candidates: number[] = [];
    for (let e = first; e <= Math.max(last, first + 1); e++) {
      for (const m of mantissas) candidates.push(Number((m * 10 ** e).toPrecision(6)));
    }
    const below = candidates.filter((t) => t <= lo * (1 + 1e-9));
    const start = below[below.length - 1] ?? candidates[0]!;
    const end = candidates.find((t) => t >= hi * (1 - 1e-9)) ?? candidates[candidates.length - 1]!;
    const ticks = candidates.filter((t) => t >= start && t <= end);
    if (ticks.length === 1) ticks.push(candidates[candidates.indexOf(start) + 1]!);
    return ticks;
  };
  let ticks = within(last - first > 3 ? [1] : [1, 2, 5]);
  if (ticks.length < 4) ticks = within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, step: 10, ticks };
}

export type Scale = (value: number) => number;

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Maps [d0, d1] (both > 0) logarithmically onto [r0, r1]; values at or below 0 go to `floor` first. */
export function logScale(d0: number, d1: number, r0: number, r1: number, floor = d0): Scale {
  const l0 = Math.log(d0);
  const span = Math.log(d1) - l0 || 1;
  return (v) => r0 + ((Math.log(Math.max(v, floor)) - l0) / span) * (r1 - r0);
}

/** A tick's text: no trailing zeros, no float noise (0.30000000000000004 → "0.3"). */
export function formatTick(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** Seconds as a table or tooltip shows them: one decimal under 100 s, whole seconds above; "—" for none. */
export function formatSeconds(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return "—";
  return v < 100 ? (Math.round(v * 10) / 10).toFixed(1) : String(Math.round(v));
}
