import type { EntityManager } from "typeorm";

/** Why cases were deleted for good. */
export const DELETION_REASONS = ["CONSENT_WITHDRAWN", "IDENTIFIABLE_DATA", "WRONG_UPLOAD", "DUPLICATE", "OTHER"] as const;
export type DeletionReason = (typeof DELETION_REASONS)[number];

/** Reasons whose images stay out: uploaded again, they are refused (the ingest reads deleted_instances). */
export const KEPT_OUT_REASONS: readonly DeletionReason[] = ["CONSENT_WITHDRAWN", "IDENTIFIABLE_DATA"];

/** The longest note that may go with a deletion. */
export const DELETION_NOTE_MAX = 1000;

/** A case about to be deleted, as the deletion reads it. */
export interface DoomedCase {
  id: string;
  key: string;
}

/** One image of a case about to be deleted: where its file is, and which series and study hold it. */
export interface DoomedImage {
  caseId: string;
  instanceId: string;
  sopInstanceUid: string;
  storageKey: string;
  seriesId: string;
  studyId: string;
}

/** A record of a deleted case, as the project's list of deletions shows it. */
export interface CaseDeletionRow {
  caseId: string;
  caseKey: string;
  reason: DeletionReason;
  note: string | null;
  images: number;
  readings: number;
  filesLeft: number;
  deletedAt: Date;
  deletedByName: string | null;
}

/** What a deletion writes into its record, per case. */
export interface DeletionRecord {
  caseId: string;
  caseKey: string;
  images: number;
  readings: number;
}

// The only code that deletes cases and images. Everything made from a case (readings and their
// versions, drafts, claims, skips, exclusions, assignments, collaboration documents, comments,
// adjudications, predictions, gold labels) goes with it by the schema's ON DELETE CASCADE.
export class DeletionsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The project's cases among `ids` (the others are not its cases). */
  async cases(projectId: string, ids: string[]): Promise<DoomedCase[]> {
    const rows: Array<{ id: string; key: string }> = await this.em.query(`SELECT id, key FROM cases WHERE project_id = $1 AND id = ANY($2::uuid[])`, [projectId, ids]);
    return rows;
  }

  /**
   * Every image each case holds, one row per case and image: an image case its instance, a series
   * case its series' instances, a study case its study's (case-images.ts, written as three arms).
   */
  async images(caseIds: string[]): Promise<DoomedImage[]> {
    const rows: Array<Record<string, string>> = await this.em.query(
      `SELECT c.id AS case_id, i.id AS instance_id, i.sop_instance_uid, i.storage_key, i.series_id, i.study_id
         FROM cases c JOIN instances i ON i.id = c.instance_id
        WHERE c.id = ANY($1::uuid[])
       UNION ALL
       SELECT c.id, i.id, i.sop_instance_uid, i.storage_key, i.series_id, i.study_id
         FROM cases c JOIN instances i ON i.series_id = c.series_id
        WHERE c.id = ANY($1::uuid[]) AND c.instance_id IS NULL
       UNION ALL
       SELECT c.id, i.id, i.sop_instance_uid, i.storage_key, i.series_id, i.study_id
         FROM cases c JOIN instances i ON i.study_id = c.study_id
        WHERE c.id = ANY($1::uuid[]) AND c.instance_id IS NULL AND c.series_id IS NULL`,
      [caseIds],
    );
    return rows.map((r) => ({ caseId: r.case_id!, instanceId: r.instance_id!, sopInstanceUid: r.sop_instance_uid!, storageKey: r.storage_key!, seriesId: r.series_id!, studyId: r.study_id! }));
  }

  /**
   * Keys of cases outside `caseIds` that hold one of these images (a project whose case unit
   * changed can have a study case and image cases over the same files): deleting the images would
   * take them too.
   */
  async sharingCases(caseIds: string[], images: readonly DoomedImage[], limit: number): Promise<{ keys: string[]; total: number }> {
    const rows: Array<{ key: string; total: number }> = await this.em.query(
      `SELECT o.key, (count(*) OVER ())::int AS total FROM cases o
        WHERE o.id <> ALL($4::uuid[])
          AND (o.instance_id = ANY($1::uuid[])
            OR (o.instance_id IS NULL AND o.series_id = ANY($2::uuid[]))
            OR (o.instance_id IS NULL AND o.series_id IS NULL AND o.study_id = ANY($3::uuid[])))
        ORDER BY o.key LIMIT $5`,
      [[...new Set(images.map((i) => i.instanceId))], [...new Set(images.map((i) => i.seriesId))], [...new Set(images.map((i) => i.studyId))], caseIds, limit],
    );
    return { keys: rows.map((r) => r.key), total: rows[0]?.total ?? 0 };
  }

  /** Per case, how many readers had begun or submitted a reading of it. */
  async readings(caseIds: string[]): Promise<Map<string, number>> {
    const rows: Array<{ case_id: string; readers: number }> = await this.em.query(
      `SELECT case_id, count(DISTINCT reader_id)::int AS readers FROM annotations WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.readers]));
  }

  /**
   * Deletes the cases (and by cascade all made from them), then their images, then the series and
   * studies left with neither images nor cases. An upload's outcome for a deleted image loses its
   * file name, which could name the patient, and says that the image was deleted.
   */
  async deleteAll(caseIds: string[], images: readonly DoomedImage[], outcomeNote: string): Promise<void> {
    const instanceIds = [...new Set(images.map((i) => i.instanceId))];
    await this.em.query(`UPDATE upload_results SET file_name = '(deleted)', message = $2 WHERE instance_id = ANY($1::uuid[])`, [instanceIds, outcomeNote]);
    await this.em.query(`DELETE FROM cases WHERE id = ANY($1::uuid[])`, [caseIds]);
    await this.em.query(`DELETE FROM instances WHERE id = ANY($1::uuid[])`, [instanceIds]);
    await this.em.query(
      `DELETE FROM series s WHERE s.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_id = s.id) AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.series_id = s.id)`,
      [[...new Set(images.map((i) => i.seriesId))]],
    );
    await this.em.query(
      `DELETE FROM studies st WHERE st.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM series s WHERE s.study_id = st.id) AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.study_id = st.id)`,
      [[...new Set(images.map((i) => i.studyId))]],
    );
  }

  async record(projectId: string, deletedBy: string, reason: DeletionReason, note: string | null, records: readonly DeletionRecord[]): Promise<void> {
    await this.em.query(
      `INSERT INTO case_deletions (case_id, project_id, case_key, reason, note, images, readings, deleted_by)
       SELECT x.case_id, $1, x.case_key, $3, $4, x.images, x.readings, $2
         FROM jsonb_to_recordset($5::jsonb) AS x(case_id uuid, case_key text, images int, readings int)`,
      [projectId, deletedBy, reason, note, JSON.stringify(records.map((r) => ({ case_id: r.caseId, case_key: r.caseKey, images: r.images, readings: r.readings })))],
    );
  }

  /** Keeps the images' SOP Instance UIDs, so the same files uploaded again are refused (KEPT_OUT_REASONS). After record(). */
  async keepOut(projectId: string, images: readonly DoomedImage[]): Promise<void> {
    await this.em.query(
      `INSERT INTO deleted_instances (project_id, sop_instance_uid, case_id)
       SELECT DISTINCT ON (x.uid) $1::uuid, x.uid, x.case_id FROM jsonb_to_recordset($2::jsonb) AS x(uid text, case_id uuid) ORDER BY x.uid
       ON CONFLICT (project_id, sop_instance_uid) DO NOTHING`,
      [projectId, JSON.stringify(images.map((i) => ({ uid: i.sopInstanceUid, case_id: i.caseId })))],
    );
  }

  /** After the files were removed: how many of each case's could not be (an external store that keeps them). */
  async setFilesLeft(left: ReadonlyMap<string, number>): Promise<void> {
    if (!left.size) return;
    await this.em.query(
      `UPDATE case_deletions d SET files_left = x.left FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, "left" int) WHERE d.case_id = x.case_id`,
      [JSON.stringify([...left].map(([caseId, n]) => ({ case_id: caseId, left: n })))],
    );
  }

  /**
   * The project's finished exports, which may hold the deleted cases: they expire now, and the
   * caller removes them with their files. Answers how many.
   */
  async expireExports(projectId: string): Promise<number> {
    const [, count]: [unknown, number] = await this.em.query(
      `UPDATE export_jobs SET expires_at = now() - interval '1 millisecond' WHERE project_id = $1 AND status = 'DONE' AND (expires_at IS NULL OR expires_at >= now())`,
      [projectId],
    );
    return count;
  }

  /** A page of the project's deletions, newest first. */
  async list(projectId: string, first: number): Promise<CaseDeletionRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT d.case_id, d.case_key, d.reason, d.note, d.images, d.readings, d.files_left, d.deleted_at, u.name AS deleted_by_name
         FROM case_deletions d LEFT JOIN users u ON u.id = d.deleted_by
        WHERE d.project_id = $1 ORDER BY d.deleted_at DESC, d.case_key LIMIT $2`,
      [projectId, first],
    );
    return rows.map((r) => ({
      caseId: r.case_id as string,
      caseKey: r.case_key as string,
      reason: r.reason as DeletionReason,
      note: (r.note as string | null) ?? null,
      images: r.images as number,
      readings: r.readings as number,
      filesLeft: r.files_left as number,
      deletedAt: r.deleted_at as Date,
      deletedByName: (r.deleted_by_name as string | null) ?? null,
    }));
  }
}
