import type { EntityManager } from "typeorm";
import type { Role } from "../../access/roles.js";
import { caseIncluded } from "../cases/exclusions.js";
import { IMAGE_SPACING_SQL, spacingOf } from "../images/spacing.js";
import { caseHoldsInstance } from "../cases/case-images.js";

export type GoldSource = "IMPORTED" | "ADJUDICATED";
export type GrantableRole = Extract<Role, "ANNOTATOR" | "REVIEWER" | "VIEWER">;
export const GRANTABLE_ROLES: readonly GrantableRole[] = ["ANNOTATOR", "REVIEWER", "VIEWER"];

export interface GoldLabelRow {
  caseId: string;
  labelId: string;
  value: boolean;
  source: GoldSource;
}

export interface EducationSettingsRow {
  projectId: string;
  passAccuracy: number;
  minCases: number;
  /** Image pixels a trainee's point (or line midpoint) may lie from the gold's and still find it. */
  pointTolerance: number;
  targetProjectId: string | null;
  grantRole: GrantableRole | null;
  updatedBy: string | null;
  updatedAt: Date;
}

export interface CertificationRow {
  projectId: string;
  userId: string;
  passedAt: Date;
  cases: number;
  accuracy: number;
  kappa: number | null;
  grantedProjectId: string | null;
  grantedRole: Role | null;
}

/** One gold cell the trainee has read: their value in their first submission of the case and the gold. */
export interface ScoredPair {
  caseId: string;
  labelId: string;
  mine: boolean;
  gold: boolean;
}

export interface GoldImportRow {
  caseId: string;
  labelId: string;
  value: boolean;
}

// Gold = imported gold, else the reviewers' adjudication (review mode's table, created by an earlier
// migration), of active classification labels only, on cases not excluded from the project (an
// excluded case is no gold: no feedback, no score). $1 is the project; $2 optional case ids.
const GOLD = `
  SELECT g.case_id, g.label_id, g.value, g.source
    FROM gold_labels g JOIN label_definitions d ON d.id = g.label_id AND d.kind = 'CLASSIFICATION' AND d.archived_at IS NULL
   WHERE g.project_id = $1 AND ($2::uuid[] IS NULL OR g.case_id = ANY($2::uuid[])) AND ${caseIncluded("g.case_id")}
  UNION ALL
  SELECT a.case_id, a.label_id, a.value, 'ADJUDICATED'
    FROM adjudications a JOIN label_definitions d ON d.id = a.label_id AND d.kind = 'CLASSIFICATION' AND d.archived_at IS NULL
   WHERE a.project_id = $1 AND ($2::uuid[] IS NULL OR a.case_id = ANY($2::uuid[])) AND ${caseIncluded("a.case_id")}
     AND NOT EXISTS (SELECT 1 FROM gold_labels g WHERE g.case_id = a.case_id AND g.label_id = a.label_id)`;

// The only code that queries the database for education mode.
export class EducationRepository {
  constructor(private readonly em: EntityManager) {}

  /** The gold labels of one case (imported, else adjudicated). */
  async caseGold(projectId: string, caseId: string): Promise<GoldLabelRow[]> {
    const rows: Array<{ case_id: string; label_id: string; value: boolean; source: GoldSource }> = await this.em.query(
      `SELECT gold.* FROM (${GOLD}) gold JOIN label_definitions d ON d.id = gold.label_id ORDER BY d.position, d.created_at, d.id`,
      [projectId, [caseId]],
    );
    return rows.map((r) => ({ caseId: r.case_id, labelId: r.label_id, value: r.value, source: r.source }));
  }

  /**
   * Every gold cell of a case the reader has submitted, with their value in their first submission
   * of that case (a label they did not give counts as negative, as submitting records it).
   */
  async scoredPairs(projectId: string, readerId: string): Promise<ScoredPair[]> {
    const rows: Array<{ case_id: string; label_id: string; mine: boolean; gold: boolean }> = await this.em.query(
      `WITH gold AS (${GOLD}),
            first AS (
              SELECT DISTINCT ON (case_id) id, case_id FROM annotations
               WHERE project_id = $1 AND reader_id = $3 AND status = 'SUBMITTED'
               ORDER BY case_id, version ASC)
       SELECT gold.case_id, gold.label_id, coalesce(v.value, false) AS mine, gold.value AS gold
         FROM gold JOIN first f ON f.case_id = gold.case_id
         LEFT JOIN label_values v ON v.annotation_id = f.id AND v.label_id = gold.label_id
        ORDER BY gold.case_id, gold.label_id`,
      [projectId, null, readerId],
    );
    return rows.map((r) => ({ caseId: r.case_id, labelId: r.label_id, mine: r.mine, gold: r.gold }));
  }

  async goldCounts(projectId: string): Promise<{ labels: number; cases: number; imported: number }> {
    const [r] = await this.em.query(
      `SELECT count(*)::int AS labels, count(DISTINCT case_id)::int AS cases, count(*) FILTER (WHERE source = 'IMPORTED')::int AS imported FROM (${GOLD}) gold`,
      [projectId, null],
    );
    return { labels: Number(r.labels), cases: Number(r.cases), imported: Number(r.imported) };
  }

  /** Replaces the imported gold of the given cells (other cells' gold stays). */
  async upsertGold(projectId: string, rows: readonly GoldImportRow[], setBy: string): Promise<void> {
    if (!rows.length) return;
    await this.em.query(
      `INSERT INTO gold_labels (case_id, label_id, project_id, value, source, set_by)
       SELECT c, l, $1, v, 'IMPORTED', $5 FROM unnest($2::uuid[], $3::uuid[], $4::boolean[]) AS t(c, l, v)
       ON CONFLICT (case_id, label_id) DO UPDATE SET value = EXCLUDED.value, source = 'IMPORTED', set_by = EXCLUDED.set_by, set_at = now()`,
      [projectId, rows.map((r) => r.caseId), rows.map((r) => r.labelId), rows.map((r) => r.value), setBy],
    );
  }

  async casesByKey(projectId: string, keys: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; key: string }> = await this.em.query(`SELECT id, key FROM cases WHERE project_id = $1 AND key = ANY($2::text[])`, [projectId, keys]);
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  async settings(projectId: string): Promise<EducationSettingsRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM education_settings WHERE project_id = $1`, [projectId]);
    const r = rows[0];
    if (!r) return null;
    return {
      projectId: r.project_id as string,
      passAccuracy: Number(r.pass_accuracy),
      minCases: Number(r.min_cases),
      pointTolerance: Number(r.point_tolerance),
      targetProjectId: (r.target_project_id as string | null) ?? null,
      grantRole: (r.grant_role as GrantableRole | null) ?? null,
      updatedBy: (r.updated_by as string | null) ?? null,
      updatedAt: r.updated_at as Date,
    };
  }

  async saveSettings(s: Omit<EducationSettingsRow, "updatedAt">): Promise<void> {
    await this.em.query(
      `INSERT INTO education_settings (project_id, pass_accuracy, min_cases, point_tolerance, target_project_id, grant_role, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (project_id) DO UPDATE SET pass_accuracy = EXCLUDED.pass_accuracy, min_cases = EXCLUDED.min_cases, point_tolerance = EXCLUDED.point_tolerance,
         target_project_id = EXCLUDED.target_project_id, grant_role = EXCLUDED.grant_role, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [s.projectId, s.passAccuracy, s.minCases, s.pointTolerance, s.targetProjectId, s.grantRole, s.updatedBy],
    );
  }

  /** Members who have submitted a case here and are not certified yet: those a change of rule or gold may certify. */
  async uncertifiedReaders(projectId: string): Promise<string[]> {
    const rows: Array<{ reader_id: string }> = await this.em.query(
      `SELECT DISTINCT a.reader_id FROM annotations a
         JOIN memberships m ON m.project_id = a.project_id AND m.user_id = a.reader_id
        WHERE a.project_id = $1 AND a.status = 'SUBMITTED'
          AND NOT EXISTS (SELECT 1 FROM education_certifications c WHERE c.project_id = a.project_id AND c.user_id = a.reader_id)`,
      [projectId],
    );
    return rows.map((r) => r.reader_id);
  }

  async certification(projectId: string, userId: string): Promise<CertificationRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM education_certifications WHERE project_id = $1 AND user_id = $2`, [projectId, userId]);
    const r = rows[0];
    return r ? certificationFrom(r) : null;
  }

  /** Inserts the certification; null when the user already had one (two submissions at once certify once). */
  async insertCertification(c: Omit<CertificationRow, "passedAt" | "grantedProjectId" | "grantedRole">): Promise<CertificationRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `INSERT INTO education_certifications (project_id, user_id, cases, accuracy, kappa) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, user_id) DO NOTHING RETURNING *`,
      [c.projectId, c.userId, c.cases, c.accuracy, c.kappa],
    );
    return rows[0] ? certificationFrom(rows[0]) : null;
  }

  async recordGrant(projectId: string, userId: string, grantedProjectId: string, role: Role): Promise<void> {
    await this.em.query(`UPDATE education_certifications SET granted_project_id = $3, granted_role = $4 WHERE project_id = $1 AND user_id = $2`, [projectId, userId, grantedProjectId, role]);
  }

  async projectName(projectId: string): Promise<string | null> {
    const rows: Array<{ name: string }> = await this.em.query(`SELECT name FROM projects WHERE id = $1`, [projectId]);
    return rows[0]?.name ?? null;
  }

  async userEmail(userId: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await this.em.query(`SELECT email FROM users WHERE id = $1`, [userId]);
    return rows[0]?.email ?? null;
  }

  async membershipRole(projectId: string, userId: string): Promise<Role | null> {
    const rows: Array<{ role: Role }> = await this.em.query(`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, [projectId, userId]);
    return rows[0]?.role ?? null;
  }

  /** Image size per (de-identified) image of the case, for ROI overlap, and its pixel spacing (review.repository's), for lengths in mm. */
  async caseImageSizes(caseId: string): Promise<Map<string, { rows: number | null; columns: number | null; spacing: readonly [number, number] | null }>> {
    const rows: Array<{ sop_instance_uid: string; rows: number | null; columns: number | null; spacing: unknown }> = await this.em.query(
      `SELECT i.sop_instance_uid, i.rows, i.columns, ${IMAGE_SPACING_SQL} AS spacing
         FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")}
        WHERE c.id = $1`,
      [caseId],
    );
    return new Map(rows.map((r) => [r.sop_instance_uid, { rows: r.rows, columns: r.columns, spacing: spacingOf(r.spacing) }]));
  }
}

function certificationFrom(r: Record<string, unknown>): CertificationRow {
  return {
    projectId: r.project_id as string,
    userId: r.user_id as string,
    passedAt: r.passed_at as Date,
    cases: Number(r.cases),
    accuracy: Number(r.accuracy),
    kappa: r.kappa == null ? null : Number(r.kappa),
    grantedProjectId: (r.granted_project_id as string | null) ?? null,
    grantedRole: (r.granted_role as Role | null) ?? null,
  };
}
