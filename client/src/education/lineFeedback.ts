// How a trainee's feedback says their lines' lengths against the gold's: in millimetres where the
// image has a pixel spacing, else in image pixels.

/** "2.3 mm longer than the gold on average" from the mean of the trainee's length minus the gold's; null when no line was found. */
export function lengthComparison(meanDifferenceMm: number | null | undefined, meanDifference: number | null | undefined): string | null {
  const [x, unit] = meanDifferenceMm != null ? [meanDifferenceMm, "mm"] : [meanDifference, "px"];
  if (x == null || !Number.isFinite(x)) return null;
  const size = Math.abs(x).toFixed(1);
  if (Number(size) === 0) return "as long as the gold on average";
  return `${size} ${unit} ${x > 0 ? "longer" : "shorter"} than the gold on average`;
}
