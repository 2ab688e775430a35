import type { ExclusionReason, SkipReason } from "../generated/graphql";

/** Why a manager may exclude a case from its project, as the exclusion form and the pages say it, in the form's order. */
export const EXCLUSION_REASONS: ReadonlyArray<{ value: ExclusionReason; label: string; hint: string }> = [
  { value: "IMAGE_QUALITY", label: "Image not of diagnostic quality", hint: "artefacts, exposure, motion, cut off" },
  { value: "WRONG_IMAGE", label: "Wrong image", hint: "another body part, view or modality" },
  { value: "DUPLICATE", label: "Duplicate", hint: "the same image or study as another case" },
  { value: "INCLUSION_CRITERIA", label: "Outside the inclusion criteria", hint: "does not meet the study's criteria" },
  { value: "OTHER", label: "Other", hint: "say why in the note" },
];

/** The longest note the server takes with an exclusion. */
export const EXCLUSION_NOTE_MAX = 1000;

export const exclusionReasonLabel = (reason: ExclusionReason): string => EXCLUSION_REASONS.find((r) => r.value === reason)?.label ?? reason;

/**
 * The exclusion reason a reader's skip suggests, where the two say the same thing (the image is not
 * diagnostic, or it is the wrong one); null where the manager must choose (outside the reader's
 * expertise says nothing about the case; "other" may mean anything).
 */
export function exclusionReasonForSkip(skip: SkipReason): ExclusionReason | null {
  switch (skip) {
    case "IMAGE_QUALITY":
      return "IMAGE_QUALITY";
    case "WRONG_IMAGE":
      return "WRONG_IMAGE";
    default:
      return null;
  }
}

/** Whether an exclusion with this reason and note may be sent: a reason, a note for OTHER, not too long a note. */
export function exclusionReady(reason: ExclusionReason | null, note: string): boolean {
  const n = note.trim();
  return !!reason && (reason !== "OTHER" || n.length > 0) && n.length <= EXCLUSION_NOTE_MAX;
}

/** "Excluded from the project: Wrong image", for a title or a banner. */
export function exclusionSummary(e: { reason: ExclusionReason; note?: string | null }): string {
  const note = e.note?.trim();
  return `Excluded from the project: ${exclusionReasonLabel(e.reason)}${note ? ` (“${note}”)` : ""}`;
}
