// The cross-validation behind a label's L2 penalty, as a small line: each strength tried (evenly
// spaced, as the grid is in half-decades) against its mean validation loss, lower drawn lower, the
// chosen one marked. For the models page's L2 column.

export interface L2Point {
  l2: number;
  loss: number;
}

export interface L2CurveShape {
  /** The SVG path of the curve, in a width × height box. */
  path: string;
  /** The chosen strength's point, when it is one of those tried. */
  chosen: { x: number; y: number } | null;
  /** What the line says, in words (its title and accessible name). */
  text: string;
}

export function l2Curve(points: readonly L2Point[], chosenL2: number | null | undefined, width = 64, height = 18, pad = 2): L2CurveShape | null {
  if (points.length < 2) return null;
  const losses = points.map((p) => p.loss);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (points.length - 1);
  // SVG's y runs down: the highest loss at the top, the lowest at the bottom; a flat curve (every
  // strength as good) across the middle.
  const y = (loss: number) => (hi > lo ? pad + ((hi - loss) / (hi - lo)) * (height - 2 * pad) : height / 2);
  const round = (v: number) => Math.round(v * 10) / 10;
  const path = points.map((p, i) => `${i ? "L" : "M"}${round(x(i))} ${round(y(p.loss))}`).join(" ");
  const at = chosenL2 == null ? -1 : points.findIndex((p) => Math.abs(p.l2 - chosenL2) <= 1e-9 * Math.max(1, chosenL2));
  const chosen = at < 0 ? null : { x: round(x(at)), y: round(y(points[at]!.loss)) };
  const text = `Mean validation loss by L2: ${points.map((p) => `${p.l2} → ${p.loss.toFixed(3)}`).join(", ")}${at < 0 ? "" : `; chosen ${points[at]!.l2}`}`;
  return { path, chosen, text };
}
