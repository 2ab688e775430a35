// What a trained version learnt from and was measured on, in words: the dataset split it was
// trained by (ModelVersion.heldOutSplit), or for versions trained before splits, the old rule.

export interface HeldOutSplit {
  trainPercent: number;
  validationPercent: number;
  testPercent: number;
  groupBy: string;
}

const GROUPS: Record<string, string> = { PATIENT: "patients", STUDY: "studies", CASE: "cases" };
const EACH: Record<string, string> = { PATIENT: "patient", STUDY: "study" };

/** A sentence for a trained version's metrics; null for an uploaded one. */
export function heldOutNote(source: string, split: HeldOutSplit | null | undefined): string | null {
  if (source !== "TRAINED") return null;
  if (!split) return "Held out: 30 % of the cases, chosen by a hash of each case (trained before dataset splits).";
  const groups = GROUPS[split.groupBy] ?? split.groupBy.toLowerCase();
  const each = EACH[split.groupBy];
  return (
    `Learnt from the TRAIN split (${split.trainPercent} % of ${groups}); held out: VALIDATION and TEST (${split.validationPercent + split.testPercent} %)` +
    (each ? `, each ${each}'s cases on one side.` : ".")
  );
}
