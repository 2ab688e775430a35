import { createHash } from "node:crypto";

// Dataset splits: every case of a project is in TRAIN, VALIDATION or TEST, so that whoever trains
// a model on an export (and Concord's own training) learns from one part and is measured on
// another. A case's split follows its group (by default its patient: the de-identified Patient ID,
// the same pseudonym for every study of one person in a project), so no patient's images are on
// both sides and leak into the measure. The group's bucket, 0-99, is a hash of the project and the
// group's key: the same case always lands in the same split, new cases of a known patient join
// their patient's split, and changing the percentages moves only the groups whose bucket crosses
// a boundary. Computed where it is read (SQL), never stored, so it cannot disagree with itself.

export const CASE_SPLITS = ["TRAIN", "VALIDATION", "TEST"] as const;
export type CaseSplit = (typeof CASE_SPLITS)[number];

/** What a case's split follows: its patient (de-identified Patient ID), its study, or the case alone. */
export const SPLIT_GROUPS = ["PATIENT", "STUDY", "CASE"] as const;
export type SplitGroup = (typeof SPLIT_GROUPS)[number];

export interface SplitSettings {
  trainPercent: number;
  validationPercent: number;
  groupBy: SplitGroup;
}

export const DEFAULT_SPLIT: SplitSettings = { trainPercent: 70, validationPercent: 15, groupBy: "PATIENT" };

export const testPercent = (s: Pick<SplitSettings, "trainPercent" | "validationPercent">) => 100 - s.trainPercent - s.validationPercent;

/** Problems with split percentages (each a whole number from 0, train at least 1, together at most 100). */
export function splitProblems(s: Pick<SplitSettings, "trainPercent" | "validationPercent">): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.trainPercent) || s.trainPercent < 1 || s.trainPercent > 100) problems.push("trainPercent must be a whole number from 1 to 100");
  if (!Number.isInteger(s.validationPercent) || s.validationPercent < 0 || s.validationPercent > 99) problems.push("validationPercent must be a whole number from 0 to 99");
  if (!problems.length && s.trainPercent + s.validationPercent > 100) {
    problems.push(`trainPercent and validationPercent add up to ${s.trainPercent + s.validationPercent}; together they may be at most 100 (the test split takes the rest)`);
  }
  return problems;
}

/** A group's bucket, 0-99: the first 32 bits of MD5("<project id>:<group key>") modulo 100 (as splitBucketSql computes it). */
export function splitBucket(projectId: string, groupKey: string): number {
  return createHash("md5").update(`${projectId}:${groupKey}`).digest().readUInt32BE(0) % 100;
}

export function splitOfBucket(bucket: number, s: Pick<SplitSettings, "trainPercent" | "validationPercent">): CaseSplit {
  if (bucket < s.trainPercent) return "TRAIN";
  if (bucket < s.trainPercent + s.validationPercent) return "VALIDATION";
  return "TEST";
}

/** SQL: the key case `c` (a cases row) of study `st` is grouped by under `group` (an SQL text expression: 'PATIENT', 'STUDY' or 'CASE'). */
export const splitGroupSql = (c: string, st: string, group: string) =>
  `(CASE ${group} WHEN 'PATIENT' THEN ${st}.patient_id WHEN 'STUDY' THEN ${st}.study_instance_uid ELSE ${c}.id::text END)`;

/** SQL: the bucket (0-99) of case `c` of study `st` when grouped by `group`, as splitBucket computes it. */
export const splitBucketSql = (c: string, st: string, group: string) =>
  `(('x' || substr(md5(${c}.project_id::text || ':' || ${splitGroupSql(c, st, group)}), 1, 8))::bit(32)::bigint % 100)`;

/** SQL: whether case `c` of study `st` is in TRAIN when grouped by `group` with `trainPercent` (SQL expressions): a trained version's recorded split. */
export const inTrainSql = (c: string, st: string, group: string, trainPercent: string) => `(${splitBucketSql(c, st, group)} < ${trainPercent})`;

/** SQL: the split ('TRAIN', 'VALIDATION' or 'TEST') of case `c` of study `st` in project `p`. */
export const splitSql = (c: string, st: string, p: string) => {
  const bucket = splitBucketSql(c, st, `${p}.split_group`);
  return `(CASE WHEN ${bucket} < ${p}.split_train THEN 'TRAIN' WHEN ${bucket} < ${p}.split_train + ${p}.split_validation THEN 'VALIDATION' ELSE 'TEST' END)`;
};

/** The readers each split's cases need: TRAIN readersPerCase, VALIDATION and TEST their own number where set (null: readersPerCase). */
export interface ReadersPerSplit {
  readersPerCase: number;
  validation: number | null;
  test: number | null;
}

export function readersNeeded(split: CaseSplit, r: ReadersPerSplit): number {
  if (split === "VALIDATION") return r.validation ?? r.readersPerCase;
  if (split === "TEST") return r.test ?? r.readersPerCase;
  return r.readersPerCase;
}

/**
 * SQL: how many readers case `c` (a cases row) of project `p` (its projects row) needs, as
 * readersNeeded says. The case's split is worked out only where a split has a number of its own;
 * `st`, when given, is the case's studies row already joined (else it is looked up).
 */
export const readersNeededSql = (c: string, p: string, st?: string) => {
  const bySplit = (s: string) =>
    `CASE ${splitSql(c, s, p)} WHEN 'VALIDATION' THEN coalesce(${p}.readers_validation, ${p}.readers_per_case) WHEN 'TEST' THEN coalesce(${p}.readers_test, ${p}.readers_per_case) ELSE ${p}.readers_per_case END`;
  const split = st ? bySplit(st) : `(SELECT ${bySplit("rn_st")} FROM studies rn_st WHERE rn_st.id = ${c}.study_id)`;
  return `(CASE WHEN ${p}.readers_validation IS NULL AND ${p}.readers_test IS NULL THEN ${p}.readers_per_case ELSE ${split} END)`;
};
