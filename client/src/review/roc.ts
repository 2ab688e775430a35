// The ROC plot's geometry: the unit square of (false-positive rate, true-positive rate) drawn on a
// square of `size` pixels, the y axis upwards, as such plots are read.

export interface CurvePoint {
  falsePositiveRate: number;
  truePositiveRate: number;
}

const at = (fpr: number, tpr: number, size: number) => ({ x: +(fpr * size).toFixed(2), y: +((1 - tpr) * size).toFixed(2) });

/** The curve as an SVG path through its corners, in order. Empty without points. */
export function rocPath(curve: readonly CurvePoint[], size: number): string {
  return curve
    .map((p, i) => {
      const { x, y } = at(p.falsePositiveRate, p.truePositiveRate, size);
      return `${i ? "L" : "M"}${x} ${y}`;
    })
    .join(" ");
}

/** Where an operating point lies on the plot; null when its sensitivity or specificity is unknown. */
export function operatingPointAt(p: { sensitivity?: number | null; specificity?: number | null }, size: number): { x: number; y: number } | null {
  if (p.sensitivity == null || p.specificity == null) return null;
  return at(1 - p.specificity, p.sensitivity, size);
}

const two = (n: number) => n.toFixed(2);

/** "AUC 0.83 (95% CI 0.71–0.95)", or what stands in its way. */
export function aucText(c: { auc?: number | null; aucLow?: number | null; aucHigh?: number | null; cases: number; positives: number }): string {
  if (c.auc == null) return c.cases ? "No AUC: the cases compared hold one class only" : "No cases to compare yet";
  const interval = c.aucLow != null && c.aucHigh != null ? ` (95% CI ${two(c.aucLow)}–${two(c.aucHigh)})` : "";
  return `AUC ${two(c.auc)}${interval}`;
}
