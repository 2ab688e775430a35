import type { CaseSplit, ReadersPerSplitFieldsFragment, SplitGroup } from "../generated/graphql";
import { plural } from "../display";

// The dataset split in people's words, the check of the percentages before they are sent, and each
// split's actual share of the cases: whole patients (or studies) move together, so with few of them
// the shares differ from the percentages set. Validation and test cases may need more readers than
// the project's readers per case (a reference standard read by several radiologists).

export const SPLITS: readonly CaseSplit[] = ["TRAIN", "VALIDATION", "TEST"];

export const SPLIT_NAMES: Record<CaseSplit, string> = { TRAIN: "Train", VALIDATION: "Validation", TEST: "Test" };

export const SPLIT_GROUPS: readonly SplitGroup[] = ["PATIENT", "STUDY", "CASE"];

export const GROUP_NAMES: Record<SplitGroup, string> = {
  PATIENT: "Each patient's images",
  STUDY: "Each study's images",
  CASE: "Nothing (each case on its own)",
};

export const GROUP_HINTS: Record<SplitGroup, string> = {
  PATIENT:
    "All images of one patient go in the same split, so a model is never tested on a patient it learnt from. Where every file carries the same Patient ID (data anonymised before with one ID for all, phantoms), they all count as one patient: choose study for them.",
  STUDY: "All images of one study go in the same split; one patient's other studies may go in another.",
  CASE: "Each case goes in a split on its own: one patient's images can end up in both Train and Test.",
};

/** What is kept together, counted: the heading of the counts' last column. */
export const GROUP_COUNTED: Record<SplitGroup, string> = { PATIENT: "Patients", STUDY: "Studies", CASE: "Cases" };

const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * What is wrong with the percentages as typed, by field: trainPercent, validationPercent, and
 * datasetSplit for the two together (the server's rules); empty when nothing is.
 */
export function splitProblems(train: unknown, validation: unknown): Record<string, string> {
  const problems: Record<string, string> = {};
  const t = isWhole(train) && train >= 1 && train <= 100 ? train : null;
  const v = isWhole(validation) && validation >= 0 && validation <= 99 ? validation : null;
  if (t === null) problems.trainPercent = "must be a whole number from 1 to 100";
  if (v === null) problems.validationPercent = "must be a whole number from 0 to 99";
  if (t !== null && v !== null && t + v > 100) {
    problems.datasetSplit = `Train and validation add up to ${t + v} %; together they may be at most 100 %, as test takes the rest.`;
  }
  return problems;
}

/** The test split's percentage as typed (the rest of 100), or null while the other two are not valid. */
export function testPercentOf(train: unknown, validation: unknown): number | null {
  return Object.keys(splitProblems(train, validation)).length ? null : 100 - (train as number) - (validation as number);
}

export interface SplitSetting {
  trainPercent: number;
  validationPercent: number;
  testPercent: number;
  groupBy: SplitGroup;
}

/** The setting in one line, for those who may not change it. */
export function splitSummary(s: SplitSetting): string {
  const kept = GROUP_NAMES[s.groupBy];
  return `Train ${s.trainPercent} %, validation ${s.validationPercent} %, test ${s.testPercent} %. Kept together: ${kept.charAt(0).toLowerCase()}${kept.slice(1)}.`;
}

/**
 * Each count's share of the total in whole percent, rounded: equal counts show equal shares, even
 * where the three then add up to 99 or 101. Null for each when there is nothing to share.
 */
export function shares(counts: readonly number[]): (number | null)[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  return counts.map((n) => (total ? Math.round((n * 100) / total) : null));
}

export interface SplitCount {
  split: CaseSplit;
  cases: number;
  groups: number;
  /** Readers each of its cases needs. */
  readersPerCase: number;
  /** Its cases submitted by as many readers as they need. */
  complete: number;
}

export interface SplitRow extends SplitCount {
  name: string;
  /** The percentage set for it. */
  target: number;
  /** Its actual share of the cases, in whole percent; null when there are no cases. */
  share: number | null;
}

const TARGETS: Record<CaseSplit, keyof SplitSetting> = { TRAIN: "trainPercent", VALIDATION: "validationPercent", TEST: "testPercent" };

/** The counts table's rows: each split's cases and groups beside the percentage set and its actual share. */
export function splitRows(counts: readonly SplitCount[], setting: SplitSetting): SplitRow[] {
  const caseShares = shares(counts.map((c) => c.cases));
  return counts.map((c, i) => ({ ...c, name: SPLIT_NAMES[c.split], target: setting[TARGETS[c.split]] as number, share: caseShares[i] ?? null }));
}

/** A percentage for people: "25 %", or a dash when there is none. */
export const percentText = (n: number | null): string => (n === null ? "—" : `${n} %`);

/** The splits whose cases may need their own number of readers (Train's always need the project's readers per case). */
export const SPLITS_WITH_READERS = ["VALIDATION", "TEST"] as const;

/** Each one's field in ReadersPerSplit, and in the settings form (readersValidation, readersTest). */
export const READERS_KEYS = { VALIDATION: "validation", TEST: "test" } as const;
export const READERS_FIELDS = { VALIDATION: "readersValidation", TEST: "readersTest" } as const;

/**
 * Readers per case as typed in a number field: null when it is empty (v-model.number gives ""),
 * the number when it is a whole one from 1 to 100 (the server's range), undefined otherwise.
 */
export function readersTyped(v: unknown): number | null | undefined {
  if (v === "" || v === null || v === undefined) return null;
  return isWhole(v) && v >= 1 && v <= 100 ? v : undefined;
}

/** What is wrong with the readers per validation and test case as typed, by field; empty when nothing is. */
export function readersProblems(typed: { validation: unknown; test: unknown }): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const split of SPLITS_WITH_READERS) {
    if (readersTyped(typed[READERS_KEYS[split]]) === undefined) problems[READERS_FIELDS[split]] = "must be a whole number from 1 to 100, or empty";
  }
  return problems;
}

/** The hint of a split's readers field: what empty means, with the project's number. */
export const readersHint = (readersPerCase: number): string => `Empty: ${readersPerCase}, as for Train cases (Readers per case, above).`;

/** The splits whose cases need another number of readers than the project's readers per case, with that number. */
export function ownReaders(readersPerCase: number, perSplit: ReadersPerSplitFieldsFragment | null | undefined): { split: CaseSplit; readers: number }[] {
  return SPLITS_WITH_READERS.flatMap((split) => {
    const readers = perSplit?.[READERS_KEYS[split]];
    return readers != null && readers !== readersPerCase ? [{ split, readers }] : [];
  });
}

/** "Validation cases 2, Test cases 3": the splits with their own number of readers, for after the project's number; empty when none has. */
export function ownReadersText(readersPerCase: number, perSplit: ReadersPerSplitFieldsFragment | null | undefined): string {
  return ownReaders(readersPerCase, perSplit)
    .map((o) => `${SPLIT_NAMES[o.split]} cases ${o.readers}`)
    .join(", ");
}

/** The readers per split in a sentence, for those who may not change it; empty when every case needs the project's number. */
export function readersSummary(readersPerCase: number, perSplit: ReadersPerSplitFieldsFragment | null | undefined): string {
  const own = ownReaders(readersPerCase, perSplit);
  if (!own.length) return "";
  const each = own.map((o, i) => (i ? `${SPLIT_NAMES[o.split].toLowerCase()} cases by ${o.readers}` : `${SPLIT_NAMES[o.split]} cases are read by ${plural(o.readers, "reader")}`));
  return `${each.join(", ")}, the others by ${readersPerCase}.`;
}
