import type { EntityManager } from "typeorm";
import type { RoiShape } from "../projects/projects.entity.js";
import { IMAGE_SPACING_SQL, spacingOf } from "../images/spacing.js";
import { caseIncluded } from "../cases/exclusions.js";
import { inTrainSql, type SplitSettings } from "../cases/splits.js";

/** One reader's vote on a cell: their latest submitted value of a classification label on a case. */
export interface VoteRow {
  caseId: string;
  caseKey: string;
  readerId: string;
  labelId: string;
  value: boolean;
  confidence: number | null;
  seconds: number | null;
}

export interface ReviewLabelRow {
  id: string;
  name: string;
  color: string;
  kind: "CLASSIFICATION" | "ROI";
  archived: boolean;
}

export interface ReaderRow {
  id: string;
  name: string;
}

export interface AdjudicationRow {
  caseId: string;
  labelId: string;
  projectId: string;
  value: boolean;
  note: string;
  adjudicatedBy: string | null;
  at: Date;
  version: number;
}

export interface AdjudicationVersionRow {
  id: string;
  caseId: string;
  labelId: string;
  version: number;
  /** null: the adjudication was cleared at this version. */
  value: boolean | null;
  note: string;
  adjudicatedBy: string | null;
  at: Date;
}

export interface CommentRow {
  id: string;
  projectId: string;
  caseId: string;
  authorId: string | null;
  body: string;
  createdAt: Date;
}

export interface RoiVoteRow {
  caseId: string;
  readerId: string;
  classId: string;
  kind: RoiShape;
  points: number[][];
  sopInstanceUid: string;
  frame: number;
  rows: number | null;
  columns: number | null;
  /**
   * Millimetres between the image's rows and between its columns (DICOM's Pixel Spacing order),
   * read for points and lines only, where distances and lengths are reported; null without a
   * spacing, absent for areas.
   */
  spacing?: readonly [number, number] | null;
}

// Points' distances and lines' lengths in millimetres: the image's spacing, read only for them.
const SPACING_SQL = `CASE WHEN r.kind IN ('POINT', 'LINE') THEN ${IMAGE_SPACING_SQL} END`;

export interface RegionSourcesRow {
  readerId: string;
  asSuggested: number;
  changed: number;
  other: number;
}

const adjudicationOf = (r: Record<string, unknown>): AdjudicationRow => ({
  caseId: r.case_id as string,
  labelId: r.label_id as string,
  projectId: r.project_id as string,
  value: r.value as boolean,
  note: r.note as string,
  adjudicatedBy: (r.adjudicated_by as string | null) ?? null,
  at: r.at as Date,
  version: Number(r.version),
});

const commentOf = (r: Record<string, unknown>): CommentRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  caseId: r.case_id as string,
  authorId: (r.author_id as string | null) ?? null,
  body: r.body as string,
  createdAt: r.created_at as Date,
});

// Readers' latest submitted annotation per case: the votes review statistics are computed over.
// Cases excluded from the project are left out of every statistic.
const LATEST = `SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id, a.reader_id
                  FROM annotations a WHERE a.project_id = $1 AND a.status = 'SUBMITTED' AND ${caseIncluded("a.case_id")}
                 ORDER BY a.case_id, a.reader_id, a.version DESC`;

// The only code that queries the database for review: adjudications, comments, and reads of readers' votes.
export class ReviewRepository {
  constructor(private readonly em: EntityManager) {}

  async caseProject(caseId: string): Promise<{ projectId: string; key: string } | null> {
    const [r] = await this.em.query(`SELECT project_id, key FROM cases WHERE id = $1`, [caseId]);
    return r ? { projectId: r.project_id as string, key: r.key as string } : null;
  }

  async labels(projectId: string): Promise<ReviewLabelRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT id, name, color, kind, archived_at IS NOT NULL AS archived FROM label_definitions WHERE project_id = $1 ORDER BY kind, position, created_at, id`,
      [projectId],
    );
    return rows.map((r) => ({ id: r.id as string, name: r.name as string, color: r.color as string, kind: r.kind as ReviewLabelRow["kind"], archived: r.archived as boolean }));
  }

  /** Every reader's latest submitted value of each classification label (of `labelIds`, when given). */
  async votes(projectId: string, labelIds: string[] | null): Promise<VoteRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH latest AS (${LATEST})
       SELECT l.case_id, c.key, l.reader_id, v.label_id, v.value, v.confidence, v.seconds
         FROM latest l JOIN cases c ON c.id = l.case_id
         JOIN label_values v ON v.annotation_id = l.id
         JOIN label_definitions d ON d.id = v.label_id AND d.kind = 'CLASSIFICATION'
        WHERE ($2::uuid[] IS NULL OR v.label_id = ANY($2::uuid[]))
        ORDER BY c.key, l.case_id, v.label_id, l.reader_id`,
      [projectId, labelIds],
    );
    return rows.map((r) => ({
      caseId: r.case_id as string,
      caseKey: r.key as string,
      readerId: r.reader_id as string,
      labelId: r.label_id as string,
      value: r.value as boolean,
      confidence: r.confidence == null ? null : Number(r.confidence),
      seconds: r.seconds == null ? null : Number(r.seconds),
    }));
  }

  /**
   * Changes whenever the votes the review reads could have: a submission (or a deletion) in the
   * project, a label added, edited, archived or removed, or a case excluded or included again
   * (including deletes the exclusion's row, so the count tells it). Adjudications are read fresh each time.
   */
  async votesFingerprint(projectId: string): Promise<string> {
    const [r] = await this.em.query(
      `SELECT (SELECT count(*) || ':' || coalesce(max(submitted_at)::text, '') FROM annotations WHERE project_id = $1 AND status = 'SUBMITTED')
              || '|' || (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM label_definitions WHERE project_id = $1)
              || '|' || (SELECT count(*) || ':' || coalesce(max(excluded_at)::text, '') FROM case_exclusions WHERE project_id = $1) AS f`,
      [projectId],
    );
    return r.f as string;
  }

  /** Readers' regions in their latest submissions, with the size of the image each lies on. */
  async roiVotes(projectId: string): Promise<RoiVoteRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH latest AS (${LATEST})
       SELECT l.case_id, l.reader_id, r.class_id, r.kind, r.points, r.sop_instance_uid, r.frame, i.rows, i.columns, ${SPACING_SQL} AS spacing
         FROM latest l JOIN rois r ON r.annotation_id = l.id
         LEFT JOIN instances i ON i.project_id = $1 AND i.sop_instance_uid = r.sop_instance_uid
        ORDER BY l.case_id, r.sop_instance_uid, r.frame, r.class_id, l.reader_id, r.position`,
      [projectId],
    );
    return rows.map((r) => ({
      caseId: r.case_id as string,
      readerId: r.reader_id as string,
      classId: r.class_id as string,
      kind: r.kind as RoiShape,
      points: r.points as number[][],
      sopInstanceUid: r.sop_instance_uid as string,
      frame: Number(r.frame),
      rows: r.rows == null ? null : Number(r.rows),
      columns: r.columns == null ? null : Number(r.columns),
      ...(r.kind === "POINT" || r.kind === "LINE" ? { spacing: spacingOf(r.spacing) } : {}),
    }));
  }

  /**
   * Where each reader's regions came from, in their latest submissions on the cases the model
   * version ran on: taken from its suggestion as suggested, taken and changed, or otherwise (drawn,
   * or taken from another model). Points and lines are no regions: a segmentation model suggests none.
   */
  async regionSources(projectId: string, modelVersionId: string): Promise<RegionSourcesRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH latest AS (${LATEST})
       SELECT l.reader_id,
              count(*) FILTER (WHERE r.suggested_by = $2 AND NOT r.suggestion_changed)::int AS as_suggested,
              count(*) FILTER (WHERE r.suggested_by = $2 AND r.suggestion_changed)::int AS changed,
              count(*) FILTER (WHERE r.suggested_by IS DISTINCT FROM $2)::int AS other
         FROM latest l JOIN rois r ON r.annotation_id = l.id
        WHERE l.case_id IN (SELECT case_id FROM predictions WHERE project_id = $1 AND model_version_id = $2 AND regions IS NOT NULL)
          AND r.kind IN ('RECTANGLE', 'FREEHAND')
        GROUP BY l.reader_id`,
      [projectId, modelVersionId],
    );
    return rows.map((r) => ({ readerId: r.reader_id as string, asSuggested: Number(r.as_suggested), changed: Number(r.changed), other: Number(r.other) }));
  }

  /** A READY segmentation model version of the project, or null. */
  /** A ready classifier version of the project: whether it was trained here, and by which split (null: before splits, by a hash of the case id). */
  async classifierVersion(projectId: string, modelVersionId: string): Promise<{ id: string; trained: boolean; heldOutSplit: SplitSettings | null } | null> {
    const [r] = await this.em.query(
      `SELECT v.id, v.source, v.held_out_split FROM model_versions v JOIN models m ON m.id = v.model_id
        WHERE v.id = $1 AND v.project_id = $2 AND v.status = 'READY' AND m.task IN ('binary', 'multilabel')`,
      [modelVersionId, projectId],
    );
    return r ? { id: r.id as string, trained: r.source === "TRAINED", heldOutSplit: (r.held_out_split as SplitSettings | null) ?? null } : null;
  }

  /** Of the given cases, those in TRAIN under the split a version was trained by (grouped as it grouped them). */
  async trainCases(split: SplitSettings, caseIds: string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT c.id FROM cases c JOIN studies st ON st.id = c.study_id WHERE c.id = ANY($1::uuid[]) AND ${inTrainSql("c", "st", "$2::text", "$3::int")}`,
      [caseIds, split.groupBy, split.trainPercent],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The version's stored outputs per case (a read of the AI's predictions), cases excluded from the project left out. */
  async classifierOutputs(modelVersionId: string): Promise<Array<{ caseId: string; outputs: Array<{ label: string; value: number }> }>> {
    const rows: Array<{ case_id: string; outputs: Array<{ label: string; value: number }> }> = await this.em.query(
      `SELECT p.case_id, p.outputs FROM predictions p WHERE p.model_version_id = $1 AND ${caseIncluded("p.case_id")}`,
      [modelVersionId],
    );
    return rows.map((r) => ({ caseId: r.case_id, outputs: r.outputs }));
  }

  async segmentationVersion(projectId: string, modelVersionId: string): Promise<{ id: string } | null> {
    const [r] = await this.em.query(
      `SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id
        WHERE v.id = $1 AND v.project_id = $2 AND v.status = 'READY' AND m.task = 'segmentation'`,
      [modelVersionId, projectId],
    );
    return r ? { id: r.id as string } : null;
  }

  /**
   * A segmentation model's suggested regions on the project's cases (a read of the AI's predictions),
   * each under the live ROI class of areas named like its label (as predictionRegions matches them;
   * others, and point and line classes, left out), with its image's size; and the cases it ran on.
   * Cases excluded from the project are left out, as they are of the readers' regions.
   */
  async modelRegions(projectId: string, modelVersionId: string): Promise<{ rois: Array<Omit<RoiVoteRow, "readerId">>; cases: string[] }> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT p.case_id, d.id AS class_id, r.points, r."sopInstanceUid" AS sop_instance_uid, r.frame, i.rows, i.columns
         FROM predictions p
         CROSS JOIN LATERAL jsonb_to_recordset(p.regions->'regions') AS r(label text, "sopInstanceUid" text, frame int, points jsonb)
         JOIN label_definitions d ON d.project_id = p.project_id AND d.kind = 'ROI' AND (d.roi_shape IS NULL OR d.roi_shape IN ('RECTANGLE', 'FREEHAND')) AND d.archived_at IS NULL
                                  AND lower(btrim(d.name)) = lower(btrim(r.label))
         LEFT JOIN instances i ON i.project_id = p.project_id AND i.sop_instance_uid = r."sopInstanceUid"
        WHERE p.project_id = $1 AND p.model_version_id = $2 AND p.regions IS NOT NULL AND ${caseIncluded("p.case_id")}`,
      [projectId, modelVersionId],
    );
    const cases: Array<{ case_id: string }> = await this.em.query(
      `SELECT p.case_id FROM predictions p WHERE p.project_id = $1 AND p.model_version_id = $2 AND p.regions IS NOT NULL AND ${caseIncluded("p.case_id")}`,
      [projectId, modelVersionId],
    );
    return {
      rois: rows.map((r) => ({
        caseId: r.case_id as string,
        classId: r.class_id as string,
        kind: "FREEHAND" as RoiShape,
        points: r.points as number[][],
        sopInstanceUid: r.sop_instance_uid as string,
        frame: Number(r.frame),
        rows: r.rows == null ? null : Number(r.rows),
        columns: r.columns == null ? null : Number(r.columns),
      })),
      cases: cases.map((c) => c.case_id),
    };
  }

  /** Who submitted which cases (latest versions): the reader pairs ROI overlap compares. */
  async submittedReaders(projectId: string): Promise<Array<{ caseId: string; readerId: string }>> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT case_id, reader_id FROM (${LATEST}) l`, [projectId]);
    return rows.map((r) => ({ caseId: r.case_id as string, readerId: r.reader_id as string }));
  }

  async users(ids: string[]): Promise<ReaderRow[]> {
    if (!ids.length) return [];
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => ({ id: r.id as string, name: r.name as string }));
  }

  // ---- adjudications

  /**
   * The current adjudications of the given cases, or (caseIds null) of the project's cases, those
   * excluded from the project left out: the list the statistics read. Cases asked for by id are
   * answered whether excluded or not (a case's own adjudications stay readable).
   */
  async adjudications(projectId: string, caseIds: string[] | null): Promise<AdjudicationRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT a.* FROM adjudications a JOIN label_definitions d ON d.id = a.label_id
        WHERE a.project_id = $1 AND ($2::uuid[] IS NULL OR a.case_id = ANY($2::uuid[]))
          AND ($2::uuid[] IS NOT NULL OR ${caseIncluded("a.case_id")}) ORDER BY a.case_id, d.position, d.created_at, d.id`,
      [projectId, caseIds],
    );
    return rows.map(adjudicationOf);
  }

  /** The current adjudication of a cell, locked for the rest of the transaction (with the cell's versions). */
  async lockCell(caseId: string, labelId: string): Promise<{ current: AdjudicationRow | null; lastVersion: number }> {
    // Serialises writers of one cell even while it has no current row.
    await this.em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`adjudication:${caseId}:${labelId}`]);
    const [cur] = await this.em.query(`SELECT * FROM adjudications WHERE case_id = $1 AND label_id = $2`, [caseId, labelId]);
    const [v] = await this.em.query(`SELECT coalesce(max(version), 0) AS v FROM adjudication_versions WHERE case_id = $1 AND label_id = $2`, [caseId, labelId]);
    return { current: cur ? adjudicationOf(cur) : null, lastVersion: Number(v.v) };
  }

  async appendVersion(v: { caseId: string; labelId: string; projectId: string; version: number; value: boolean | null; note: string; by: string }): Promise<{ id: string; at: Date }> {
    const [r] = await this.em.query(
      `INSERT INTO adjudication_versions (case_id, label_id, project_id, version, value, note, adjudicated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, at`,
      [v.caseId, v.labelId, v.projectId, v.version, v.value, v.note, v.by],
    );
    return { id: r.id as string, at: r.at as Date };
  }

  async putCurrent(a: Omit<AdjudicationRow, "adjudicatedBy"> & { adjudicatedBy: string }): Promise<void> {
    await this.em.query(
      `INSERT INTO adjudications (case_id, label_id, project_id, value, note, adjudicated_by, at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id, label_id) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note, adjudicated_by = EXCLUDED.adjudicated_by, at = EXCLUDED.at, version = EXCLUDED.version`,
      [a.caseId, a.labelId, a.projectId, a.value, a.note, a.adjudicatedBy, a.at, a.version],
    );
  }

  async deleteCurrent(caseId: string, labelId: string): Promise<void> {
    await this.em.query(`DELETE FROM adjudications WHERE case_id = $1 AND label_id = $2`, [caseId, labelId]);
  }

  async versions(caseId: string, labelId: string | null): Promise<AdjudicationVersionRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT * FROM adjudication_versions WHERE case_id = $1 AND ($2::uuid IS NULL OR label_id = $2) ORDER BY label_id, version DESC`,
      [caseId, labelId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      caseId: r.case_id as string,
      labelId: r.label_id as string,
      version: Number(r.version),
      value: (r.value as boolean | null) ?? null,
      note: r.note as string,
      adjudicatedBy: (r.adjudicated_by as string | null) ?? null,
      at: r.at as Date,
    }));
  }

  // ---- comments

  async insertComment(c: { projectId: string; caseId: string; authorId: string; body: string }): Promise<CommentRow> {
    const [r] = await this.em.query(`INSERT INTO case_comments (project_id, case_id, author_id, body) VALUES ($1, $2, $3, $4) RETURNING *`, [
      c.projectId,
      c.caseId,
      c.authorId,
      c.body,
    ]);
    return commentOf(r);
  }

  async comments(caseId: string): Promise<CommentRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT * FROM case_comments WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
    return rows.map(commentOf);
  }
}
