import type { SkipReason } from "../generated/graphql";

/** Why a reader may skip a case, as the skip form and the progress page say it, in the form's order. */
export const SKIP_REASONS: ReadonlyArray<{ value: SkipReason; label: string; hint: string }> = [
  { value: "IMAGE_QUALITY", label: "Image not of diagnostic quality", hint: "artefacts, exposure, motion, cut off" },
  { value: "WRONG_IMAGE", label: "Wrong image", hint: "another body part, view or modality" },
  { value: "OUTSIDE_EXPERTISE", label: "Outside my expertise", hint: "" },
  { value: "OTHER", label: "Other", hint: "say why below" },
];

export const skipReasonLabel = (reason: SkipReason): string => SKIP_REASONS.find((r) => r.value === reason)?.label ?? reason;
