import type { Permission, Role } from "../generated/graphql";

// Who may edit a case's consensus layer, as the server decides it (server/src/modules/collab/
// collab.service.ts, layerAccess): reviewers (case.review), and readers who may see others' work
// on the case (case.annotate with annotations.viewOthers). The project's permissions do not know
// the case, so an annotator in blind reading, who sees others' work once they have submitted the
// case, is told here from whether they have.

export interface ConsensusStanding {
  permissions: readonly Permission[];
  role: Role | null;
  blindReading: boolean;
  /** This user has submitted the case. */
  submitted: boolean;
}

/** May this user see others' work on the case (their results, pointers and layers)? */
export function seesOthers(s: ConsensusStanding): boolean {
  if (s.permissions.includes("ANNOTATIONS_VIEW_OTHERS")) return true;
  return s.role === "ANNOTATOR" && s.blindReading && s.submitted;
}

export function mayEditConsensus(s: ConsensusStanding): boolean {
  if (s.permissions.includes("CASE_REVIEW")) return true;
  return s.permissions.includes("CASE_ANNOTATE") && seesOthers(s);
}
