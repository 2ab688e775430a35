// How far a case's reading has come, as SQL over a case id expression: shared by the Progress
// counts (AnnotationsRepository.caseCounts) and the case list's filter (CasesRepository), so the
// two always agree on which cases are complete, unread or can no longer be completed.

/** SQL: how many readers have submitted the case whose id is the expression `c`. */
export const readersDoneSql = (c: string): string => `(SELECT count(DISTINCT rd.reader_id) FROM annotations rd WHERE rd.case_id = ${c} AND rd.status = 'SUBMITTED')`;

/**
 * SQL: how many members of the case's project with one of `roles` (a text[] expression: those who
 * may annotate) have neither submitted nor skipped the case: the readers it may still get. A
 * disabled account is not one of them: it cannot log in.
 */
export const readersLeftSql = (c: string, projectId: string, roles: string): string => `(SELECT count(*) FROM memberships rl
  WHERE rl.project_id = ${projectId} AND rl.role = ANY(${roles})
    AND NOT EXISTS (SELECT 1 FROM users ru WHERE ru.id = rl.user_id AND ru.disabled_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM annotations rs WHERE rs.case_id = ${c} AND rs.reader_id = rl.user_id AND rs.status = 'SUBMITTED')
    AND NOT EXISTS (SELECT 1 FROM case_skips rk WHERE rk.case_id = ${c} AND rk.reader_id = rl.user_id))`;

/** SQL: the case is not complete and can no longer be: its readers so far and the readers left are fewer than `needed`. */
export const caseBlockedSql = (c: string, projectId: string, needed: string, roles: string): string =>
  `(${readersDoneSql(c)} < ${needed} AND ${readersDoneSql(c)} + ${readersLeftSql(c, projectId, roles)} < ${needed})`;
