import type { ExclusionReason } from "../generated/graphql";
import { exclusionReasonLabel } from "../reading/exclusionReasons";

/** The counts a project's flow of cases is drawn from (ReadingProgress). */
export interface FlowCounts {
  totalCases: number;
  completeCases: number;
  unreadCases: number;
  blockedCases: number;
  excludedCases: number;
  excludedByReason: ReadonlyArray<{ reason: ExclusionReason; cases: number }>;
}

export interface CaseFlow {
  /** Every case uploaded to the project. */
  uploaded: number;
  excluded: number;
  /** Why, in the reasons' order, in words. */
  excludedBy: Array<{ reason: ExclusionReason; label: string; cases: number }>;
  /** The cases in the project: complete, partly read and not read yet add up to it. */
  inProject: number;
  complete: number;
  partlyRead: number;
  unread: number;
  /** Of the incomplete cases, those too few readers are left for. */
  blocked: number;
}

/**
 * A study's flow of cases, as a reporting guideline's flow diagram has it (STARD, CONSORT): every
 * case uploaded, those excluded and why, and of the rest, how many have all their readers, some, or none.
 */
export function caseFlow(p: FlowCounts): CaseFlow {
  const partlyRead = Math.max(0, p.totalCases - p.completeCases - p.unreadCases);
  return {
    uploaded: p.totalCases + p.excludedCases,
    excluded: p.excludedCases,
    excludedBy: p.excludedByReason.map((r) => ({ reason: r.reason, label: exclusionReasonLabel(r.reason), cases: r.cases })),
    inProject: p.totalCases,
    complete: p.completeCases,
    partlyRead,
    unread: p.unreadCases,
    blocked: p.blockedCases,
  };
}
