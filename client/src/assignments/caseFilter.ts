import type { CaseFilter, CaseProgress, CaseSplit, MyReading } from "../generated/graphql";
import { SPLITS } from "../components/datasetSplit";

/**
 * All cases, those in the project (all, or by how far their reading has come), or those a manager
 * excluded: filter.excluded and filter.progress. The Progress page links here with ?cases=BLOCKED.
 */
export type CasesShown = "" | "in" | "excluded" | CaseProgress;
const CASES_SHOWN: readonly CasesShown[] = ["", "in", "excluded", "COMPLETE", "PARTLY_READ", "UNREAD", "BLOCKED"];

/** Where the user stands with the cases shown (their drafts, their skips...), or the cases assigned to them; "" for all. */
export type YoursShown = "" | MyReading | "ASSIGNED";

/** The "Assigned" choice (for those who follow progress) of cases short of assigned readers; the Progress page links here with ?assigned=under. */
export const UNDER_ASSIGNED = "under";

/** What the images page's filters are set to. */
export interface CaseFilterChoice {
  keyContains: string;
  yours: YoursShown;
  inProject: CasesShown;
  /** "" for any, UNDER_ASSIGNED, or a reader's id: the cases assigned to them. */
  assigned: string;
  /** "" for every dataset split. */
  split: "" | CaseSplit;
}

/** The filters as a link to the images page sets them (?cases=, ?assigned=, ?split=); the rest show all. */
export function choiceFromRoute(query: Readonly<Record<string, unknown>>): CaseFilterChoice {
  const cases = CASES_SHOWN.find((c) => c && c === query.cases) ?? "";
  const split = SPLITS.find((s) => s === query.split) ?? "";
  return { keyContains: "", yours: "", inProject: cases, assigned: query.assigned === UNDER_ASSIGNED ? UNDER_ASSIGNED : "", split };
}

/**
 * The server's CaseFilter for the choice; null when nothing is filtered. `me` is the user's id, for
 * "assigned to you". The list filters by one reader's assignments: the filter bar clears the
 * "Assigned" reader when "Yours" asks for your own, and the other way round.
 */
export function caseFilter(choice: CaseFilterChoice, me: string | null): CaseFilter | null {
  const filter: CaseFilter = {};
  if (choice.keyContains) filter.keyContains = choice.keyContains;
  if (choice.yours === "ASSIGNED") {
    if (me) filter.assignedTo = me;
  } else if (choice.yours) filter.myReading = choice.yours;
  if (choice.inProject === "in" || choice.inProject === "excluded") filter.excluded = choice.inProject === "excluded";
  else if (choice.inProject) filter.progress = choice.inProject;
  if (choice.assigned === UNDER_ASSIGNED) filter.underAssigned = true;
  else if (choice.assigned && filter.assignedTo === undefined) filter.assignedTo = choice.assigned;
  if (choice.split) filter.split = choice.split;
  return Object.keys(filter).length ? filter : null;
}
