import { createHash } from "node:crypto";

// Which cases a training holds out to measure its model: a hash of the case id, so the same case
// always lands on the same side, and whoever judges a trained model later (the review page) can
// tell the cases it never learnt from.

/** Percent of cases held out for metrics, unless a training says otherwise. */
export const HOLDOUT_PERCENT = 30;

/** Held out when the case id's hash falls in the first `percent` of 100 buckets. */
export function isHeldOut(caseId: string, percent: number): boolean {
  const h = createHash("sha256").update(caseId).digest();
  return h.readUInt32BE(0) % 100 < percent;
}
