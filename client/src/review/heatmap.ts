// Pure helpers of the review heatmap: a cell's colour and text, and how statistics are shown.

/**
 * Background of a cell from the share of readers who said "present": 0 a pale blue, 1 a deep red,
 * mixed votes in between (a split cell is the most saturated purple, where the eye should go).
 */
export function cellColour(positives: number, total: number): string {
  if (total <= 0) return "transparent";
  const share = positives / total;
  const hue = 210 + share * 150; // 210 (blue) → 360 (red)
  const split = 1 - Math.abs(share - 0.5) * 2; // 0 unanimous, 1 an even split
  const saturation = 45 + split * 35;
  const lightness = 88 - share * 38;
  return `hsl(${Math.round(hue % 360)} ${Math.round(saturation)}% ${Math.round(lightness)}%)`;
}

/** "2/3 yes" for a cell's votes. */
export const cellText = (positives: number, total: number) => `${positives}/${total} yes`;

/** A statistic with two decimals, "–" when it cannot be computed (too few votes, no variation). */
export function stat(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
}

/** A share as a whole percentage. */
export function percent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : `${Math.round(x * 100)}%`;
}

/** What a consensus value reads as. */
export const consensusText = (v: boolean | null | undefined) => (v === true ? "yes" : v === false ? "no" : "tie");
