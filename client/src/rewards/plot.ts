// The tokens-per-reader bar plot: one horizontal bar per reader, scaled from 0 to a nice maximum,
// laid out here so the component only draws and the scaling can be tested.
import { linearScale, niceTicks } from "../progress/stats";

export interface BarRow {
  key: string;
  name: string;
  /** Null when the policy left the reader's tokens undefined: listed, without a bar. */
  value: number | null;
}

export interface Bar extends BarRow {
  /** Top of the bar's band. */
  y: number;
  /** Length of the bar from the axis, in pixels; never negative. */
  length: number;
}

export interface BarLayout {
  width: number;
  height: number;
  /** Where the bars start (after the names). */
  left: number;
  /** Where the axis' longest value ends. */
  right: number;
  bars: Bar[];
  ticks: Array<{ value: number; x: number }>;
  band: number;
}

export interface BarOptions {
  width?: number;
  band?: number;
  /** Room for the readers' names, left of the axis. */
  left?: number;
  /** Room for the value written after a bar, and the last tick's text. */
  right?: number;
  /** Room for the tick labels under the bars. */
  bottom?: number;
}

/**
 * Lays out bars from 0 to a nice maximum at least the largest value. Tokens are whole and never
 * negative in the safe policies; a negative or non-finite value (markit-eq1's raw shares) draws no bar.
 */
export function barLayout(rows: readonly BarRow[], { width = 560, band = 26, left = 160, right = 56, bottom = 22 }: BarOptions = {}): BarLayout {
  const values = rows.map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  const axis = niceTicks(0, values.length ? Math.max(...values) : 0, 5);
  const end = width - right;
  const x = linearScale(0, axis.max, left, end);
  const bars = rows.map((r, i) => ({
    ...r,
    y: i * band,
    length: r.value !== null && Number.isFinite(r.value) && r.value > 0 ? Math.max(0, x(r.value) - left) : 0,
  }));
  return { width, height: rows.length * band + bottom, left, right: end, bars, band, ticks: axis.ticks.map((value) => ({ value, x: x(value) })) };
}
