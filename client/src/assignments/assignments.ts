import type { MyReading, Role } from "../generated/graphql";
import { plural } from "../display";

/** Members who may be assigned cases: those who may annotate (the server's case.annotate). */
export const READER_ROLES: readonly Role[] = ["OWNER", "MANAGER", "ANNOTATOR", "REVIEWER", "TRAINEE"];

/** The members a manager may assign cases to, by name: readers whose account still logs in. */
export function assignableReaders<M extends { role: Role; user: { name: string; disabled: boolean } }>(members: readonly M[]): M[] {
  return members.filter((m) => READER_ROLES.includes(m.role) && !m.user.disabled).sort((a, b) => a.user.name.localeCompare(b.user.name));
}

const YOUR_READING: Record<MyReading, string> = { NOT_STARTED: "", DRAFT: "Draft", SUBMITTED: "Submitted", SKIPPED: "Skipped" };

/** The case list's "You" column: where you stand with the case, or "Assigned" when it waits for you. */
export function yourReadingText(reading: MyReading, assignedToMe: boolean): string {
  return reading === "NOT_STARTED" && assignedToMe ? "Assigned" : YOUR_READING[reading];
}

/** The small mark after an assigned reader's name: how far they have come with the case. */
const READING_MARKS: Record<MyReading, string> = { NOT_STARTED: "", DRAFT: " …", SUBMITTED: " ✓", SKIPPED: " (skipped)" };
/** The same in words, for a tooltip and screen readers. */
export const READING_WORDS: Record<MyReading, string> = { NOT_STARTED: "not started", DRAFT: "draft", SUBMITTED: "submitted", SKIPPED: "skipped" };

export function assignedReaderText(r: { name: string; reading: MyReading }): string {
  return `${r.name}${READING_MARKS[r.reading]}`;
}

const were = (n: number) => (n === 1 ? "was" : "were");

/** "Assign selected cases": the selection and readers, and the pairs that already were. */
export function assignedText(cases: number, readers: number, outcome: { changed: number; unchanged: number }): string {
  if (!outcome.changed) return `Nothing new: the ${plural(cases, "case")} already ${were(cases)} assigned to ${readers === 1 ? "that reader" : `those ${plural(readers, "reader")}`}.`;
  return `Assigned ${plural(cases, "case")} to ${plural(readers, "reader")}${outcome.unchanged ? `; ${outcome.unchanged} already ${were(outcome.unchanged)}` : ""}.`;
}

/** "Unassign selected cases": the assignments withdrawn, and the pairs that were not assigned. */
export function unassignedText(outcome: { changed: number; unchanged: number }): string {
  if (!outcome.changed) return "Nothing to withdraw: none of the selected cases was assigned to those readers.";
  return `Withdrew ${plural(outcome.changed, "assignment")}${outcome.unchanged ? `; ${outcome.unchanged} ${were(outcome.unchanged)} not assigned` : ""}.`;
}

/**
 * "Distribute … evenly": assignments made, over how many cases, and the cases still short of readers;
 * readersPerCase is the number given for every case, or null when each was topped up to its own.
 */
export function distributedText(outcome: { assigned: number; cases: number; shortCases: number }, readersPerCase: number | null): string {
  const one = outcome.shortCases === 1;
  const made = outcome.assigned
    ? `Made ${plural(outcome.assigned, "assignment")} over ${plural(outcome.cases, "case")}.`
    : outcome.shortCases
      ? "Nothing assigned."
      : `Nothing to assign: every case already has ${readersPerCase === null ? "the readers it needs" : plural(readersPerCase, "reader")}.`;
  const fewer = readersPerCase === null ? `fewer readers than ${one ? "it needs" : "they need"}` : `fewer than ${plural(readersPerCase, "reader")}`;
  const short = outcome.shortCases
    ? ` ${plural(outcome.shortCases, "case")} still ${one ? "has" : "have"} ${fewer}: too few of the chosen readers are free to read ${one ? "it" : "them"}.`
    : "";
  return made + short;
}

/**
 * The hint of the distribution's readers per case. bySplit names the splits whose cases need their
 * own number ("Test cases 3"), or is empty; then an empty field tops each case up to its own.
 */
export function perCaseHint(readersPerCase: number, bySplit: string): string {
  const until = "Each case gets readers until it has this many assigned (or submitted).";
  return bySplit ? `${until} Empty: as many as each case needs (${bySplit}; the others ${readersPerCase}).` : until;
}

/** An assignment CSV's outcome; its problem rows are listed apart. */
export function importedText(outcome: { assigned: number; unchanged: number; problems: readonly string[] }): string {
  const left = outcome.problems.length ? `; ${plural(outcome.problems.length, "row")} left out` : "";
  return `Imported ${plural(outcome.assigned, "assignment")}${outcome.unchanged ? `; ${outcome.unchanged} already ${were(outcome.unchanged)}` : ""}${left}.`;
}

/** "Distribute …": all the project's cases, or only the selected ones. */
export function distributeLabel(selected: number): string {
  return selected ? `Distribute the ${plural(selected, "selected case")} evenly` : "Distribute all cases evenly";
}

/**
 * The progress page's note on cases with fewer readers assigned than wanted: a call to act where
 * readers read only their assigned cases, information where assignments only come first in the
 * queue; null where no one uses assignments or every case has its readers.
 */
export function underAssignedNote(p: { underAssignedCases: number; assignedReading: boolean; readers: ReadonlyArray<{ assigned: number }> }): string | null {
  if (!p.underAssignedCases || (!p.assignedReading && !p.readers.some((r) => r.assigned > 0))) return null;
  const cases = plural(p.underAssignedCases, "case");
  return p.assignedReading
    ? `${cases} ${p.underAssignedCases === 1 ? "needs" : "need"} more readers assigned: readers read only the cases assigned to them.`
    : `${cases} ${p.underAssignedCases === 1 ? "has" : "have"} fewer readers assigned than wanted; the queue hands ${p.underAssignedCases === 1 ? "it" : "them"} to any reader.`;
}
