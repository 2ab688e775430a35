// How the review page writes the lengths of line classes: differences with their unit, and the
// Bland–Altman limits of agreement of a reader pair.
import type { LengthUnit } from "../generated/graphql";

export const unitText = (unit: LengthUnit) => (unit === "MM" ? "mm" : "px");

/** A difference (A − B) with its sign and unit, "+1.33 mm"; "–" without one. */
export function signedLength(x: number | null | undefined, unit: LengthUnit): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const text = Math.abs(x).toFixed(2);
  const sign = Number(text) === 0 ? "" : x > 0 ? "+" : "−";
  return `${sign}${text} ${unitText(unit)}`;
}

/** The 95 % limits of agreement, "−4.66 to +7.32 px"; "–" with fewer than two matched pairs, where they are null. */
export function limitsText(ba: { lowerLimit?: number | null; upperLimit?: number | null; unit: LengthUnit }): string {
  if (ba.lowerLimit == null || ba.upperLimit == null) return "–";
  return `${signedLength(ba.lowerLimit, ba.unit).replace(/ \w+$/, "")} to ${signedLength(ba.upperLimit, ba.unit)}`;
}
