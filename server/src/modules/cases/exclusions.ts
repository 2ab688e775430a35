// Which cases are in their project. A manager may exclude a case (case_exclusions): it keeps its
// images, readings and history, and stays in the case list marked as excluded, but everything that
// counts, compares or hands out cases leaves it out: the queue, progress, the review's statistics,
// reward epochs, exports and model training. Every such query takes its condition from here.

/**
 * SQL: true when the case whose id is the expression `caseId` is not excluded from its project.
 * Qualify the column (`a.case_id`, not `case_id`): inside the subquery a bare `case_id` is
 * case_exclusions' own, and the condition would leave out every case once any is excluded.
 */
export const caseIncluded = (caseId: string): string => `NOT EXISTS (SELECT 1 FROM case_exclusions cx WHERE cx.case_id = ${caseId})`;

/** Why a manager excluded a case. */
export const EXCLUSION_REASONS = ["IMAGE_QUALITY", "WRONG_IMAGE", "DUPLICATE", "INCLUSION_CRITERIA", "OTHER"] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** The longest note a manager may give with an exclusion. */
export const EXCLUSION_NOTE_MAX = 1000;

/** A case's exclusion as a case or a skip carries it. */
export interface CaseExclusionInfo {
  reason: ExclusionReason;
  note: string | null;
  excludedAt: Date;
  excludedByName: string | null;
}

/** SQL: the columns exclusionInfo() reads, from the joins exclusionJoins() adds. */
export const EXCLUSION_INFO_COLUMNS = `cx.reason AS exclusion_reason, cx.note AS exclusion_note, cx.excluded_at, xu.name AS excluded_by_name`;

/** SQL: joins a case's exclusion (alias cx) and who made it (xu), for the case whose id is the expression `caseId`. */
export const exclusionJoins = (caseId: string): string => `LEFT JOIN case_exclusions cx ON cx.case_id = ${caseId} LEFT JOIN users xu ON xu.id = cx.excluded_by`;

/** A row's exclusion (EXCLUSION_INFO_COLUMNS), or null when the case is in its project. */
export function exclusionInfo(r: Record<string, unknown>): CaseExclusionInfo | null {
  if (!r.exclusion_reason) return null;
  return {
    reason: r.exclusion_reason as ExclusionReason,
    note: (r.exclusion_note as string | null) ?? null,
    excludedAt: r.excluded_at as Date,
    excludedByName: (r.excluded_by_name as string | null) ?? null,
  };
}
