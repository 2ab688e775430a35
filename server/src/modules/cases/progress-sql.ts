// How far a case's reading has come, as SQL over a case id expression: shared by the Progress
// counts (AnnotationsRepository.caseCounts) and the case list's filter (CasesRepository), so the
// two always agree on which cases are complete, unread or can no longer be completed.

/** SQL: how many readers have submitted the case whose id is the expression `c`. */
export const readersDoneSql = (c: string): string => `(SELECT count(DISTINCT rd.reader_id) FROM annotations rd WHERE rd.case_id = ${c} AND rd.status = 'SUBMITTED')`;

/**
 * SQL: how many members of the case's project with one of `roles` (a text[] expression: those who
 * may annotate) have neither submitted nor skipped the case: the readers it may still get. A
 * disabled account is not one of them: it cannot log in. Where the project reads by assignment
 * (assigned_reading), only the readers assigned to the case.
 */
export const readersLeftSql = (c: string, projectId: string, roles: string): string => `(SELECT count(*) FROM memberships rl
  WHERE rl.project_id = ${projectId} AND rl.role = ANY(${roles})
    AND NOT EXISTS (SELECT 1 FROM users ru WHERE ru.id = rl.user_id AND ru.disabled_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM annotations rs WHERE rs.case_id = ${c} AND rs.reader_id = rl.user_id AND rs.status = 'SUBMITTED')
    AND NOT EXISTS (SELECT 1 FROM case_skips rk WHERE rk.case_id = ${c} AND rk.reader_id = rl.user_id)
    AND (NOT (SELECT pa.assigned_reading FROM projects pa WHERE pa.id = ${projectId})
         OR EXISTS (SELECT 1 FROM case_assignments ra WHERE ra.case_id = ${c} AND ra.reader_id = rl.user_id)))`;

/** SQL: the case is not complete and can no longer be: its readers so far and the readers left are fewer than `needed`. */
export const caseBlockedSql = (c: string, projectId: string, needed: string, roles: string): string =>
  `(${readersDoneSql(c)} < ${needed} AND ${readersDoneSql(c)} + ${readersLeftSql(c, projectId, roles)} < ${needed})`;

/** SQL: the case_assignments row aliased `assignment` is live: its reader is a member of the project who may annotate (`roles`, a text[] expression) and not disabled. */
export const liveAssignmentSql = (assignment: string, roles: string) => `EXISTS (
    SELECT 1 FROM memberships am JOIN users au ON au.id = am.user_id
     WHERE am.project_id = ${assignment}.project_id AND am.user_id = ${assignment}.reader_id AND am.role = ANY(${roles}) AND au.disabled_at IS NULL)`;

/**
 * SQL: how many readers the case whose id is the expression `c` has or is to get: those who submitted
 * it, and those assigned to it (live: liveAssignmentSql) who have not skipped it. Fewer than the
 * project's readers per case: it needs more readers assigned (distribution tops up the same count).
 */
export const readersCoveredSql = (c: string, roles: string) => `(SELECT count(*) FROM (
    SELECT cs.reader_id FROM annotations cs WHERE cs.case_id = ${c} AND cs.status = 'SUBMITTED'
    UNION
    SELECT ac.reader_id FROM case_assignments ac
     WHERE ac.case_id = ${c} AND ${liveAssignmentSql("ac", roles)}
       AND NOT EXISTS (SELECT 1 FROM case_skips ck WHERE ck.case_id = ac.case_id AND ck.reader_id = ac.reader_id)) covered)`;
