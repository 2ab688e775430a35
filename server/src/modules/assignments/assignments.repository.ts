import type { EntityManager } from "typeorm";
import { myReadingSql, type MyReading } from "../cases/cases.repository.js";
import { caseIncluded } from "../cases/exclusions.js";
import { liveAssignmentSql } from "../cases/progress-sql.js";
import { readersNeededSql } from "../cases/splits.js";
import type { ProjectResource } from "../../access/access.js";

export interface CaseRef {
  id: string;
  key: string;
  excluded: boolean;
}

export interface ReaderRef {
  id: string;
  name: string;
  email: string;
}

/** A case's reading state for distribution. */
export interface CaseReadingState {
  id: string;
  key: string;
  /** Readers with a live assignment (liveAssignmentSql) who have not skipped the case. */
  assigned: string[];
  /** Every reader assigned to it, live or not. */
  assignedAny: string[];
  submitted: string[];
  skipped: string[];
  /** Readers the case needs (readersNeededSql). */
  needed: number;
}

export interface AssignedReaderRecord {
  caseId: string;
  readerId: string;
  name: string;
  assignedAt: Date;
  reading: MyReading;
}

// The only code that reads and writes case_assignments.
export class AssignmentsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The project's cases among `ids`, with whether each was excluded. */
  async cases(projectId: string, ids: readonly string[]): Promise<CaseRef[]> {
    const rows: Array<{ id: string; key: string; excluded: boolean }> = await this.em.query(
      `SELECT c.id, c.key, NOT ${caseIncluded("c.id")} AS excluded FROM cases c WHERE c.project_id = $1 AND c.id = ANY($2::uuid[])`,
      [projectId, ids],
    );
    return rows;
  }

  /** The project's cases whose keys are among `keys`, with whether each was excluded. */
  async casesByKey(projectId: string, keys: readonly string[]): Promise<CaseRef[]> {
    const rows: CaseRef[] = await this.em.query(
      `SELECT c.id, c.key, NOT ${caseIncluded("c.id")} AS excluded FROM cases c WHERE c.project_id = $1 AND c.key = ANY($2::text[])`,
      [projectId, keys],
    );
    return rows;
  }

  /** Members of the project with one of `roles` whose account is not disabled: by id, or by e-mail address (lower case). */
  async readers(projectId: string, roles: readonly string[], by: { ids: readonly string[] } | { emails: readonly string[] }): Promise<ReaderRef[]> {
    const byIds = "ids" in by;
    return this.em.query(
      `SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND m.role = ANY($2::text[]) AND u.disabled_at IS NULL
          AND ${byIds ? "u.id = ANY($3::uuid[])" : "u.email = ANY($3::text[])"}`,
      [projectId, roles, byIds ? by.ids : by.emails],
    );
  }

  /** Inserts the pairs not there yet; returns the pairs inserted. */
  async insert(projectId: string, pairs: ReadonlyArray<{ caseId: string; readerId: string }>, by: string): Promise<Array<{ caseId: string; readerId: string }>> {
    if (!pairs.length) return [];
    const rows: Array<{ case_id: string; reader_id: string }> = await this.em.query(
      `WITH ins AS (
         INSERT INTO case_assignments (case_id, reader_id, project_id, assigned_by, assigned_at)
         SELECT v.case_id, v.reader_id, $1, $4, now() FROM unnest($2::uuid[], $3::uuid[]) AS v(case_id, reader_id)
         ON CONFLICT (case_id, reader_id) DO NOTHING
         RETURNING case_id, reader_id)
       SELECT case_id, reader_id FROM ins`,
      [projectId, pairs.map((p) => p.caseId), pairs.map((p) => p.readerId), by],
    );
    return rows.map((r) => ({ caseId: r.case_id, readerId: r.reader_id }));
  }

  /** Deletes the project's assignments of `readerIds` to `caseIds`; returns the pairs deleted. */
  async delete(projectId: string, caseIds: readonly string[], readerIds: readonly string[]): Promise<Array<{ caseId: string; readerId: string }>> {
    const rows: Array<{ case_id: string; reader_id: string }> = await this.em.query(
      `WITH del AS (
         DELETE FROM case_assignments WHERE project_id = $1 AND case_id = ANY($2::uuid[]) AND reader_id = ANY($3::uuid[])
         RETURNING case_id, reader_id)
       SELECT case_id, reader_id FROM del`,
      [projectId, caseIds, readerIds],
    );
    return rows.map((r) => ({ caseId: r.case_id, readerId: r.reader_id }));
  }

  async isAssigned(caseId: string, readerId: string): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM case_assignments WHERE case_id = $1 AND reader_id = $2`, [caseId, readerId]);
    return rows.length > 0;
  }

  /** Which of the cases are assigned to the reader. */
  async assignedAmong(caseIds: readonly string[], readerId: string): Promise<Set<string>> {
    if (!caseIds.length) return new Set();
    const rows: Array<{ case_id: string }> = await this.em.query(`SELECT case_id FROM case_assignments WHERE case_id = ANY($1::uuid[]) AND reader_id = $2`, [caseIds, readerId]);
    return new Set(rows.map((r) => r.case_id));
  }

  /**
   * The cases' live assignments (readers still members who may annotate, not disabled: those the
   * queue and the counts go by), by name, each with where its reader stands with the case.
   */
  async assignedReaders(caseIds: readonly string[], roles: readonly string[]): Promise<AssignedReaderRecord[]> {
    if (!caseIds.length) return [];
    const rows: Array<{ case_id: string; reader_id: string; name: string; assigned_at: Date; reading: MyReading }> = await this.em.query(
      `SELECT ca.case_id, ca.reader_id, u.name, ca.assigned_at, ${myReadingSql("ca.reader_id")} AS reading
         FROM case_assignments ca
         JOIN cases c ON c.id = ca.case_id
         JOIN users u ON u.id = ca.reader_id
        WHERE ca.case_id = ANY($1::uuid[]) AND ${liveAssignmentSql("ca", "$2::text[]")}
        ORDER BY u.name, ca.reader_id`,
      [caseIds, roles],
    );
    return rows.map((r) => ({ caseId: r.case_id, readerId: r.reader_id, name: r.name, assignedAt: r.assigned_at, reading: r.reading }));
  }

  /**
   * Cases in the project (the given ones, or all), in the case list's order (created_at, id), each
   * with its assigned, submitted and skipped readers: what distribution works from.
   */
  async readingStates(projectId: string, caseIds: readonly string[] | null, roles: readonly string[]): Promise<CaseReadingState[]> {
    const rows: CaseReadingState[] = await this.em.query(
      `SELECT c.id, c.key,
              ARRAY(SELECT a.reader_id FROM case_assignments a
                     WHERE a.case_id = c.id AND ${liveAssignmentSql("a", "$3::text[]")}
                       AND NOT EXISTS (SELECT 1 FROM case_skips ak WHERE ak.case_id = a.case_id AND ak.reader_id = a.reader_id))::text[] AS assigned,
              ARRAY(SELECT a.reader_id FROM case_assignments a WHERE a.case_id = c.id)::text[] AS "assignedAny",
              ARRAY(SELECT DISTINCT s.reader_id FROM annotations s WHERE s.case_id = c.id AND s.status = 'SUBMITTED')::text[] AS submitted,
              ARRAY(SELECT k.reader_id FROM case_skips k WHERE k.case_id = c.id)::text[] AS skipped,
              ${readersNeededSql("c", "p")} AS needed
         FROM cases c JOIN projects p ON p.id = c.project_id
        WHERE c.project_id = $1 AND ${caseIncluded("c.id")} AND ($2::uuid[] IS NULL OR c.id = ANY($2::uuid[]))
        ORDER BY c.created_at, c.id`,
      [projectId, caseIds, roles],
    );
    return rows.map((r) => ({ ...r, needed: Number(r.needed) }));
  }

  /** How many of the project's cases in it are assigned to each of the readers. */
  async loads(projectId: string, readerIds: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ reader_id: string; n: number }> = await this.em.query(
      `SELECT a.reader_id, count(*)::int AS n FROM case_assignments a
        WHERE a.project_id = $1 AND a.reader_id = ANY($2::uuid[]) AND ${caseIncluded("a.case_id")}
        GROUP BY a.reader_id`,
      [projectId, readerIds],
    );
    return new Map(rows.map((r) => [r.reader_id, Number(r.n)]));
  }
}

/**
 * The facts case.annotate needs about a case's assignment when a reading of it is written: nothing
 * to ask where the project does not read by assignment. Give them to can()/requireAssigned().
 */
export async function assignmentFacts(em: EntityManager, resource: Pick<ProjectResource, "assignedReading">, caseId: string, readerId: string): Promise<Pick<ProjectResource, "readerIsAssigned">> {
  if (!resource.assignedReading) return {};
  return { readerIsAssigned: await new AssignmentsRepository(em).isAssigned(caseId, readerId) };
}
