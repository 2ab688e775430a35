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
