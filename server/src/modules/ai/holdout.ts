import { createHash } from "node:crypto";

// Which cases a training held out to measure its model. Since dataset splits, a training learns
// from the project's TRAIN split and keeps the split with the version (held_out_split), so the
// review and the predictions' export tell the cases it never learnt from by that split. Versions
// trained before held out 30 % of the cases by a hash of the case id, as isHeldOut still says.

/** Percent of cases held out for metrics, unless a training says otherwise. */
export const HOLDOUT_PERCENT = 30;

/**
 * Whether a version learnt from a case: null for a version not trained here; else by whether the
 * case was in TRAIN under the split the version was trained by (computed in SQL with
 * splitBucketSql), or for a version trained before splits, by the hash of the case id.
 */
export function learntFrom(trainedHere: boolean, inTrainBySplit: boolean | null, caseId: string): boolean | null {
  if (!trainedHere) return null;
  return inTrainBySplit ?? !isHeldOut(caseId, HOLDOUT_PERCENT);
}

/** Held out when the case id's hash falls in the first `percent` of 100 buckets. */
export function isHeldOut(caseId: string, percent: number): boolean {
  const h = createHash("sha256").update(caseId).digest();
  return h.readUInt32BE(0) % 100 < percent;
}
