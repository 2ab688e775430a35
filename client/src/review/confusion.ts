// Pure helpers of a label group's confusion heatmap: which answers two readers of one case gave,
// as counts over reader pairs (or each row's shares), coloured from white to deep blue.

/** A group's answer as the review names it: one of its labels, or none of them (null). */
export const categoryName = (category: { name: string } | null | undefined): string => category?.name ?? "None";

/**
 * Background of a cell from its weight, 0 to 1 (its count over the largest count, or its share of
 * its row): near white for nothing, deep blue for the most.
 */
export function confusionColour(weight: number): string {
  if (!Number.isFinite(weight) || weight <= 0) return "hsl(215 25% 97%)";
  const w = Math.min(weight, 1);
  const lightness = 92 - w * 60; // 92 % → 32 %
  const saturation = 55 + w * 20;
  return `hsl(215 ${Math.round(saturation)}% ${Math.round(lightness)}%)`;
}

/** Text on a cell of that weight: light on the dark cells. */
export const confusionInk = (weight: number): string => (Number.isFinite(weight) && weight > 0.55 ? "#fff" : "#111");

/** Each row as shares of its total; a row with no pairs stays all 0. */
export function rowShares(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, n) => s + n, 0);
    return row.map((n) => (total > 0 ? n / total : 0));
  });
}

/** Share of the pairs on the diagonal (both readers gave the same answer); null with no pairs. */
export function diagonalShare(matrix: readonly (readonly number[])[]): number | null {
  let same = 0;
  let total = 0;
  matrix.forEach((row, i) =>
    row.forEach((n, j) => {
      total += n;
      if (i === j) same += n;
    }),
  );
  return total > 0 ? same / total : null;
}

export interface ConfusionCell {
  count: number;
  /** What the cell shows: the count, or its share of the row as a whole percentage. */
  text: string;
  background: string;
  ink: string;
}

/** The heatmap's cells: counts coloured against the largest count, or (`shares`) each row's shares coloured by share. */
export function confusionCells(matrix: readonly (readonly number[])[], shares = false): ConfusionCell[][] {
  const max = Math.max(0, ...matrix.flat());
  const weights = shares ? rowShares(matrix) : matrix.map((row) => row.map((n) => (max > 0 ? n / max : 0)));
  return matrix.map((row, i) =>
    row.map((count, j) => {
      const w = weights[i]![j]!;
      return { count, text: shares ? `${Math.round(w * 100)}%` : String(count), background: confusionColour(w), ink: confusionInk(w) };
    }),
  );
}
