import { niceTicks, type Ticks } from "../progress/stats";

// A Bland–Altman plot's layout: each matched pair of lines at (the mean of its two lengths, their
// difference), with the bias and the 95 % limits of agreement across it. Pure, for the component
// and its tests.

export interface BlandAltmanFigures {
  bias: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  points: ReadonlyArray<{ mean: number; difference: number }>;
}

export interface BlandAltmanLayout {
  x: Ticks;
  y: Ticks;
  /** Plot coordinates (0..width, 0..height, y down) of a value pair. */
  at(mean: number, difference: number): { x: number; y: number };
  /** The plot's y of a difference (for the horizontal lines). */
  yOf(difference: number): number;
}

/**
 * Axes that hold every point, the bias, both limits and zero (no difference), with round ticks;
 * null without a point.
 */
export function blandAltmanLayout(f: BlandAltmanFigures, width: number, height: number): BlandAltmanLayout | null {
  if (!f.points.length) return null;
  const means = f.points.map((p) => p.mean);
  const ys = [0, ...f.points.map((p) => p.difference), ...[f.bias, f.lowerLimit, f.upperLimit].filter((v): v is number => v !== null)];
  const x = niceTicks(Math.min(...means), Math.max(...means));
  const y = niceTicks(Math.min(...ys), Math.max(...ys));
  const xOf = (v: number) => ((v - x.min) / (x.max - x.min || 1)) * width;
  const yOf = (v: number) => height - ((v - y.min) / (y.max - y.min || 1)) * height;
  return { x, y, at: (mean, difference) => ({ x: xOf(mean), y: yOf(difference) }), yOf };
}
