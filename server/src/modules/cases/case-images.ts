// Which images a case holds. An image case (instance_id set) holds its image; a series case
// (series_id set, instance_id NULL) every image of its series; a study case (both NULL) every
// image of its study, all its series. Every query that joins cases to instances takes its
// condition from here: each of the three arms matches on an index of instances (its key,
// series_id, study_id), so the planner looks a case's images up rather than scanning.

/** SQL: case `c` holds instance `i` (table aliases). */
export const caseHoldsInstance = (c: string, i: string): string =>
  `(${c}.instance_id = ${i}.id OR (${c}.instance_id IS NULL AND ${c}.series_id = ${i}.series_id) OR (${c}.instance_id IS NULL AND ${c}.series_id IS NULL AND ${c}.study_id = ${i}.study_id))`;

/**
 * SQL ORDER BY terms for a case's images as the viewer stacks them: a study case's series by series
 * number (then UID), each series' images by instance number (then SOP instance UID). `se` is the
 * instance's series row.
 */
export const caseImageOrder = (se: string, i: string): string =>
  `${se}.series_number NULLS LAST, ${se}.series_instance_uid, ${i}.instance_number NULLS LAST, ${i}.sop_instance_uid`;
