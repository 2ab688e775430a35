import type { EntityManager } from "typeorm";
import { caseIncluded, EXCLUSION_INFO_COLUMNS, EXCLUSION_REASONS, exclusionInfo, exclusionJoins, type CaseExclusionInfo, type ExclusionReason } from "../cases/exclusions.js";
import type { LabelKind, RoiShape } from "../projects/projects.entity.js";
import { MATRIX } from "../../access/roles.js";
import { readersCoveredSql, caseBlockedSql, liveAssignmentSql } from "../cases/progress-sql.js";
import { AnnotationEntity, LabelValueEntity, RoiEntity, type AnnotationStatus } from "./annotations.entity.js";
import type { StoredSession } from "./timing.js";
import type { PredictedRegion } from "../ai/ai.repository.js";
import { caseHoldsInstance } from "../cases/case-images.js";
import { readersNeededSql, splitSql, type CaseSplit } from "../cases/splits.js";

/** The case an annotation is about, with the images it may lie on. */
export interface CaseTarget {
  id: string;
  projectId: string;
  key: string;
  /** The image of an image case; null for a series case. */
  sopInstanceUid: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
}

export interface CaseImage {
  sopInstanceUid: string;
  rows: number | null;
  columns: number | null;
  frames: number;
}

export interface ProjectLabel {
  id: string;
  kind: LabelKind;
  roiShape: RoiShape | null;
  name: string;
  archived: boolean;
  /** The label group whose labels take one answer (projects/label groups), if any. */
  group: { id: string; name: string; required: boolean; ordinal: boolean } | null;
}

/** An annotation with everything it holds. */
export interface AnnotationView {
  annotation: AnnotationEntity;
  readerName: string;
  labels: LabelValueEntity[];
  rois: RoiEntity[];
  sessions: StoredSession[];
}

export interface LabelValueRow {
  labelId: string;
  value: boolean;
  confidence: number | null;
  implicit: boolean;
  seconds: number | null;
  clicks: number;
}

export interface RoiRow {
  id: string;
  classId: string;
  kind: RoiShape;
  points: Array<[number, number]>;
  sopInstanceUid: string;
  frame: number;
  /** The model version whose suggestion it was taken from; null when drawn. */
  suggestedBy: string | null;
  /** Whether it differs from that suggestion; null when drawn. */
  suggestionChanged: boolean | null;
}

/** A region a segmentation model version suggested on a case (one of predictions.regions). */
export type SuggestionRegion = Omit<PredictedRegion, "pixels"> & { modelVersionId: string };

export interface TimingColumns {
  loadedAt: Date | null;
  caseSeconds: number | null;
  clickCount: number;
  labelClickCount: number;
  idleCount: number;
  idleSeconds: number;
  idleThresholdSeconds: number | null;
  sessionCount: number;
  timingClamped: boolean;
}

export interface ReaderProgressRow {
  readerId: string;
  name: string;
  casesDone: number;
  drafts: number;
  /** Cases this reader skipped (and has not read since). */
  skipped: number;
  /** Cases in the project a manager assigned to this reader. */
  assigned: number;
  /** Of those, the ones they have neither submitted nor skipped. */
  assignedLeft: number;
  medianCaseSeconds: number | null;
  /** Every case's seconds (latest submission of each case, where recorded), ascending. */
  caseSeconds: number[];
  medianLabelSeconds: number | null;
}

export interface LabelTimesRow {
  readerId: string | null;
  labelId: string;
  name: string;
  count: number;
  medianSeconds: number | null;
  seconds: number[];
}

/** A position in the export's (case key, reader, version) order. */
export interface ExportPosition {
  key: string;
  readerId: string;
  version: number;
}

export interface ExportAnnotationRow extends ExportPosition {
  id: string;
  /** The case's dataset split. */
  split: CaseSplit;
  submittedAt: Date;
  caseSeconds: number | null;
  idleSeconds: number;
  timingClamped: boolean;
}

export interface ExportLabelRow {
  annotationId: string;
  labelId: string;
  label: string;
  value: boolean;
  confidence: number | null;
  implicit: boolean;
  seconds: number | null;
  /** The label group's name, when the label is in one. */
  group: string | null;
}

export interface ExportRoiRow {
  annotationId: string;
  roiId: string;
  classId: string;
  className: string;
  kind: RoiShape;
  points: Array<[number, number]>;
  sopInstanceUid: string;
  frame: number;
  suggestedBy: string | null;
  suggestionChanged: boolean | null;
}

// Advisory lock namespaces (the two-int form; the migration lock uses the one-bigint form).
/** Why a reader skipped a case. */
export const SKIP_REASONS = ["IMAGE_QUALITY", "WRONG_IMAGE", "OUTSIDE_EXPERTISE", "OTHER"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface CaseSkipRow {
  projectId: string;
  caseId: string;
  caseKey: string;
  readerId: string;
  readerName: string;
  reason: SkipReason;
  note: string | null;
  skippedAt: Date;
  /** The case's exclusion from the project, when a manager excluded it. */
  caseExclusion: CaseExclusionInfo | null;
}

const SKIP_COLUMNS = `s.project_id, s.case_id, c.key AS case_key, s.reader_id, u.name AS reader_name, s.reason, s.note, s.skipped_at, ${EXCLUSION_INFO_COLUMNS}`;
/** The tables SKIP_COLUMNS reads, after the skips (alias s). */
const SKIP_JOINS = `JOIN cases c ON c.id = s.case_id JOIN users u ON u.id = s.reader_id ${exclusionJoins("s.case_id")}`;

const skipRow = (r: Record<string, unknown>): CaseSkipRow => ({
  projectId: r.project_id as string,
  caseId: r.case_id as string,
  caseKey: r.case_key as string,
  readerId: r.reader_id as string,
  readerName: r.reader_name as string,
  reason: r.reason as SkipReason,
  note: (r.note as string | null) ?? null,
  skippedAt: r.skipped_at as Date,
  caseExclusion: exclusionInfo(r),
});

export interface CaseCounts {
  /** Cases in the project, excluded ones left out. */
  total: number;
  /** Of those, cases with all the readers the project wants. */
  complete: number;
  /** Of those, cases no reader has submitted yet. */
  unread: number;
  /** Of those, cases that can no longer get them: too few members who may annotate have neither submitted nor skipped them. */
  blocked: number;
  /** Cases a manager excluded. */
  excluded: number;
  /** Cases in the project with fewer readers submitted or assigned (readersCoveredSql) than readers per case. */
  underAssigned: number;
  /** Whether the project's readers read only their assigned cases. */
  assignedReading: boolean;
  /** The excluded cases per reason, in the reasons' order; reasons without any left out. */
  excludedByReason: Array<{ reason: ExclusionReason; cases: number }>;
  readersPerCase: number;
}

const LOCK_READER_CASE = 73011;
const LOCK_QUEUE = 73012;

const ANNOTATION_COLUMNS = `a.id, a.project_id, a.case_id, a.reader_id, a.version, a.status, a.opened_at, a.loaded_at, a.submitted_at,
  a.case_seconds, a.click_count, a.label_click_count, a.idle_count, a.idle_seconds, a.idle_threshold_seconds, a.session_count,
  a.timing_clamped, a.created_at, a.updated_at`;

// The only code that queries the database for annotations, their timing and case claims.
export class AnnotationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The database's clock: one clock for every replica. */
  async now(): Promise<Date> {
    const [row] = await this.em.query(`SELECT now() AS now`);
    return row.now as Date;
  }

  async caseTarget(caseId: string): Promise<CaseTarget | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT c.id, c.project_id, c.key, i.sop_instance_uid, i.rows, i.columns, i.frames
         FROM cases c LEFT JOIN instances i ON i.id = c.instance_id
        WHERE c.id = $1`,
      [caseId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      projectId: r.project_id as string,
      key: r.key as string,
      sopInstanceUid: (r.sop_instance_uid as string | null) ?? null,
      rows: (r.rows as number | null) ?? null,
      columns: (r.columns as number | null) ?? null,
      frames: (r.frames as number | null) ?? null,
    };
  }

  /** The named images, where they belong to the case (its image, or an image of its series or study). */
  async caseImages(caseId: string, sopInstanceUids: string[]): Promise<CaseImage[]> {
    if (!sopInstanceUids.length) return [];
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.sop_instance_uid, i.rows, i.columns, i.frames
         FROM cases c
         JOIN instances i ON ${caseHoldsInstance("c", "i")}
        WHERE c.id = $1 AND i.sop_instance_uid = ANY($2::text[])`,
      [caseId, sopInstanceUids],
    );
    return rows.map((r) => ({
      sopInstanceUid: r.sop_instance_uid as string,
      rows: (r.rows as number | null) ?? null,
      columns: (r.columns as number | null) ?? null,
      frames: Number(r.frames ?? 1),
    }));
  }

  async projectLabels(projectId: string): Promise<ProjectLabel[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT l.id, l.kind, l.roi_shape, l.name, l.archived_at IS NOT NULL AS archived, g.id AS group_id, g.name AS group_name, g.required AS group_required, g.ordinal AS group_ordinal
         FROM label_definitions l LEFT JOIN label_groups g ON g.id = l.group_id
        WHERE l.project_id = $1
        ORDER BY l.position, l.created_at, l.id`,
      [projectId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      kind: r.kind as LabelKind,
      roiShape: r.roi_shape as RoiShape | null,
      name: r.name as string,
      archived: r.archived as boolean,
      group: r.group_id ? { id: r.group_id as string, name: r.group_name as string, required: r.group_required as boolean, ordinal: r.group_ordinal as boolean } : null,
    }));
  }

  /** Serialises every write of one reader on one case for the rest of the transaction. */
  async lockReaderCase(caseId: string, readerId: string): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_READER_CASE, `${caseId}:${readerId}`]);
  }

  /** Serialises handing out a project's cases for the rest of the transaction. */
  async lockQueue(projectId: string): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_QUEUE, projectId]);
  }

  async findById(id: string): Promise<AnnotationEntity | null> {
    return this.one(`WHERE a.id = $1`, [id]);
  }

  async draftOf(caseId: string, readerId: string): Promise<AnnotationEntity | null> {
    return this.one(`WHERE a.case_id = $1 AND a.reader_id = $2 AND a.status = 'DRAFT'`, [caseId, readerId]);
  }

  async latestSubmitted(caseId: string, readerId: string): Promise<AnnotationEntity | null> {
    return this.one(`WHERE a.case_id = $1 AND a.reader_id = $2 AND a.status = 'SUBMITTED' ORDER BY a.version DESC LIMIT 1`, [caseId, readerId]);
  }

  /**
   * The reader's stored regions of the case taken from a model and as suggested (their draft's, or
   * else their latest submitted version's): id → class, by region id.
   */
  async heldSuggestionClasses(caseId: string, readerId: string): Promise<Map<string, { classId: string; suggestedBy: string }>> {
    const rows: Array<{ id: string; class_id: string; suggested_by: string }> = await this.em.query(
      `SELECT r.id, r.class_id, r.suggested_by FROM rois r
        WHERE r.suggestion_changed = false AND r.annotation_id = (
          SELECT a.id FROM annotations a WHERE a.case_id = $1 AND a.reader_id = $2 AND a.status IN ('DRAFT', 'SUBMITTED')
           ORDER BY (a.status = 'DRAFT') DESC, a.version DESC LIMIT 1)`,
      [caseId, readerId],
    );
    return new Map(rows.map((r) => [r.id, { classId: r.class_id, suggestedBy: r.suggested_by }]));
  }

  async hasSubmitted(caseId: string, readerId: string): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM annotations WHERE case_id = $1 AND reader_id = $2 AND status = 'SUBMITTED' LIMIT 1`, [caseId, readerId]);
    return rows.length > 0;
  }

  /** Every version of a reader's reading of a case, newest first. */
  async versions(caseId: string, readerId: string, includeDrafts: boolean): Promise<AnnotationEntity[]> {
    return this.many(
      `WHERE a.case_id = $1 AND a.reader_id = $2 ${includeDrafts ? "" : "AND a.status = 'SUBMITTED'"} ORDER BY a.version DESC`,
      [caseId, readerId],
    );
  }

  /** Each other reader's latest submitted version of a case, in the order they were submitted. */
  async othersLatestSubmitted(caseId: string, exceptReaderId: string): Promise<AnnotationEntity[]> {
    return this.many(
      `WHERE a.id IN (
         SELECT DISTINCT ON (reader_id) id FROM annotations
          WHERE case_id = $1 AND reader_id <> $2 AND status = 'SUBMITTED'
          ORDER BY reader_id, version DESC)
       ORDER BY a.submitted_at, a.reader_id`,
      [caseId, exceptReaderId],
    );
  }

  async insertAnnotation(data: { projectId: string; caseId: string; readerId: string; version: number; openedAt: Date }): Promise<AnnotationEntity> {
    const [row] = await this.em.query(
      `INSERT INTO annotations (project_id, case_id, reader_id, version, status, opened_at) VALUES ($1, $2, $3, $4, 'DRAFT', $5) RETURNING id`,
      [data.projectId, data.caseId, data.readerId, data.version, data.openedAt],
    );
    return (await this.findById(row.id))!;
  }

  async updateTiming(id: string, t: TimingColumns): Promise<void> {
    await this.em.query(
      `UPDATE annotations SET loaded_at = $2, case_seconds = $3, click_count = $4, label_click_count = $5, idle_count = $6,
              idle_seconds = $7, idle_threshold_seconds = $8, session_count = $9, timing_clamped = $10, updated_at = now()
        WHERE id = $1`,
      [id, t.loadedAt, t.caseSeconds, t.clickCount, t.labelClickCount, t.idleCount, t.idleSeconds, t.idleThresholdSeconds, t.sessionCount, t.timingClamped],
    );
  }

  async markSubmitted(id: string, at: Date): Promise<void> {
    await this.em.query(`UPDATE annotations SET status = 'SUBMITTED', submitted_at = $2, updated_at = now() WHERE id = $1 AND status = 'DRAFT'`, [id, at]);
  }

  async replaceLabelValues(annotationId: string, values: LabelValueRow[]): Promise<void> {
    await this.em.query(`DELETE FROM label_values WHERE annotation_id = $1`, [annotationId]);
    if (!values.length) return;
    await this.em.query(
      `INSERT INTO label_values (annotation_id, label_id, value, confidence, implicit, seconds, clicks)
       SELECT $1, v.label_id, v.value, v.confidence, v.implicit, v.seconds, v.clicks
         FROM unnest($2::uuid[], $3::boolean[], $4::smallint[], $5::boolean[], $6::float8[], $7::int[]) AS v(label_id, value, confidence, implicit, seconds, clicks)`,
      [
        annotationId,
        values.map((v) => v.labelId),
        values.map((v) => v.value),
        values.map((v) => v.confidence),
        values.map((v) => v.implicit),
        values.map((v) => v.seconds),
        values.map((v) => v.clicks),
      ],
    );
  }

  async replaceRois(annotationId: string, rois: RoiRow[]): Promise<void> {
    await this.em.query(`DELETE FROM rois WHERE annotation_id = $1`, [annotationId]);
    if (!rois.length) return;
    await this.em.query(
      `INSERT INTO rois (annotation_id, id, position, class_id, kind, points, sop_instance_uid, frame, suggested_by, suggestion_changed)
       SELECT $1, r.id, r.position - 1, r.class_id, r.kind, r.points::jsonb, r.sop_instance_uid, r.frame, r.suggested_by, r.suggestion_changed
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::uuid[], $9::boolean[])
              WITH ORDINALITY AS r(id, class_id, kind, points, sop_instance_uid, frame, suggested_by, suggestion_changed, position)`,
      [
        annotationId,
        rois.map((r) => r.id),
        rois.map((r) => r.classId),
        rois.map((r) => r.kind),
        rois.map((r) => JSON.stringify(r.points)),
        rois.map((r) => r.sopInstanceUid),
        rois.map((r) => r.frame),
        rois.map((r) => r.suggestedBy),
        rois.map((r) => r.suggestionChanged),
      ],
    );
  }

  /** Writes one session with its clicks and idle periods, replacing what was stored of it. */
  async saveSession(annotationId: string, s: StoredSession): Promise<void> {
    await this.em.query(`DELETE FROM annotation_sessions WHERE annotation_id = $1 AND session_id = $2`, [annotationId, s.sessionId]);
    await this.em.query(
      `INSERT INTO annotation_sessions (annotation_id, session_id, position, frozen, loaded_at, started_at, reported_at, reported_seconds, seconds, click_count, clamped)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [annotationId, s.sessionId, s.position, s.frozen, s.loadedAt, s.startedAt, s.reportedAt, s.reportedSeconds, s.seconds, s.clickCount, s.clamped],
    );
    if (s.labelClicks.length) {
      await this.em.query(
        `INSERT INTO annotation_label_clicks (annotation_id, session_id, seq, label_id, at_seconds, value, confidence)
         SELECT $1, $2, c.seq - 1, c.label_id, c.at_seconds, c.value, c.confidence
           FROM unnest($3::uuid[], $4::float8[], $5::boolean[], $6::smallint[]) WITH ORDINALITY AS c(label_id, at_seconds, value, confidence, seq)`,
        [
          annotationId,
          s.sessionId,
          s.labelClicks.map((c) => c.labelId),
          s.labelClicks.map((c) => c.atSeconds),
          s.labelClicks.map((c) => c.value),
          s.labelClicks.map((c) => c.confidence),
        ],
      );
    }
    if (s.idle.length) {
      await this.em.query(
        `INSERT INTO annotation_idle (annotation_id, session_id, seq, start_seconds, seconds)
         SELECT $1, $2, p.seq - 1, p.start_seconds, p.seconds
           FROM unnest($3::float8[], $4::float8[]) WITH ORDINALITY AS p(start_seconds, seconds, seq)`,
        [annotationId, s.sessionId, s.idle.map((p) => p.startSeconds), s.idle.map((p) => p.seconds)],
      );
    }
  }

  /**
   * Starts a revision: copies label values (of active labels), ROIs (of active classes) and every
   * timing session, frozen, from one version into another.
   */
  async copyContent(fromId: string, toId: string): Promise<void> {
    await this.em.query(
      `INSERT INTO label_values (annotation_id, label_id, value, confidence, implicit, seconds, clicks)
       SELECT $2, v.label_id, v.value, v.confidence, v.implicit, v.seconds, v.clicks
         FROM label_values v JOIN label_definitions d ON d.id = v.label_id AND d.archived_at IS NULL
        WHERE v.annotation_id = $1`,
      [fromId, toId],
    );
    await this.em.query(
      `INSERT INTO rois (annotation_id, id, position, class_id, kind, points, sop_instance_uid, frame, suggested_by, suggestion_changed)
       SELECT $2, r.id, r.position, r.class_id, r.kind, r.points, r.sop_instance_uid, r.frame, r.suggested_by, r.suggestion_changed
         FROM rois r JOIN label_definitions d ON d.id = r.class_id AND d.archived_at IS NULL
        WHERE r.annotation_id = $1`,
      [fromId, toId],
    );
    await this.em.query(
      `INSERT INTO annotation_sessions (annotation_id, session_id, position, frozen, loaded_at, started_at, reported_at, reported_seconds, seconds, click_count, clamped)
       SELECT $2, session_id, position, true, loaded_at, started_at, reported_at, reported_seconds, seconds, click_count, clamped
         FROM annotation_sessions WHERE annotation_id = $1`,
      [fromId, toId],
    );
    await this.em.query(
      `INSERT INTO annotation_label_clicks (annotation_id, session_id, seq, label_id, at_seconds, value, confidence)
       SELECT $2, session_id, seq, label_id, at_seconds, value, confidence FROM annotation_label_clicks WHERE annotation_id = $1`,
      [fromId, toId],
    );
    await this.em.query(
      `INSERT INTO annotation_idle (annotation_id, session_id, seq, start_seconds, seconds)
       SELECT $2, session_id, seq, start_seconds, seconds FROM annotation_idle WHERE annotation_id = $1`,
      [fromId, toId],
    );
  }

  /** The sessions of one annotation, with their clicks and idle periods. */
  async sessions(annotationId: string): Promise<StoredSession[]> {
    return (await this.sessionsOf([annotationId])).get(annotationId) ?? [];
  }

  /** Loads annotations with everything they hold, in the order given. */
  async views(annotations: AnnotationEntity[]): Promise<AnnotationView[]> {
    if (!annotations.length) return [];
    const ids = annotations.map((a) => a.id);
    // One after another: inside a transaction they share one connection.
    const names: Array<{ id: string; name: string }> = await this.em.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [
      [...new Set(annotations.map((a) => a.readerId))],
    ]);
    const labels: Array<Record<string, unknown>> = await this.em.query(
      `SELECT v.annotation_id, v.label_id, v.value, v.confidence, v.implicit, v.seconds, v.clicks
         FROM label_values v JOIN label_definitions d ON d.id = v.label_id
        WHERE v.annotation_id = ANY($1::uuid[]) ORDER BY d.position, d.created_at, d.id`,
      [ids],
    );
    const rois: Array<Record<string, unknown>> = await this.em.query(
      `SELECT annotation_id, id, position, class_id, kind, points, sop_instance_uid, frame, suggested_by, suggestion_changed
         FROM rois WHERE annotation_id = ANY($1::uuid[]) ORDER BY position`,
      [ids],
    );
    const sessions = await this.sessionsOf(ids);
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    return annotations.map((annotation) => ({
      annotation,
      readerName: nameOf.get(annotation.readerId) ?? "",
      labels: labels
        .filter((r) => r.annotation_id === annotation.id)
        .map((r) =>
          Object.assign(new LabelValueEntity(), {
            annotationId: annotation.id,
            labelId: r.label_id as string,
            value: r.value as boolean,
            confidence: r.confidence == null ? null : Number(r.confidence),
            implicit: r.implicit as boolean,
            seconds: r.seconds == null ? null : Number(r.seconds),
            clicks: Number(r.clicks),
          }),
        ),
      rois: rois
        .filter((r) => r.annotation_id === annotation.id)
        .map((r) =>
          Object.assign(new RoiEntity(), {
            annotationId: annotation.id,
            id: r.id as string,
            position: Number(r.position),
            classId: r.class_id as string,
            kind: r.kind as RoiShape,
            points: r.points as Array<[number, number]>,
            sopInstanceUid: r.sop_instance_uid as string,
            frame: Number(r.frame),
            suggestedBy: (r.suggested_by as string | null) ?? null,
            suggestionChanged: (r.suggestion_changed as boolean | null) ?? null,
          }),
        ),
      sessions: sessions.get(annotation.id) ?? [],
    }));
  }

  // ---- claims and the queue

  async findClaim(caseId: string, readerId: string): Promise<{ claimedAt: Date; expiresAt: Date } | null> {
    const rows: Array<{ claimed_at: Date; expires_at: Date }> = await this.em.query(
      `SELECT claimed_at, expires_at FROM case_claims WHERE case_id = $1 AND reader_id = $2`,
      [caseId, readerId],
    );
    return rows[0] ? { claimedAt: rows[0].claimed_at, expiresAt: rows[0].expires_at } : null;
  }

  /** Takes or renews a reader's claim on a case; an expired claim starts again from now. */
  async claim(projectId: string, caseId: string, readerId: string, leaseSeconds: number): Promise<Date> {
    const [row] = await this.em.query(
      `INSERT INTO case_claims (case_id, reader_id, project_id, claimed_at, expires_at)
       VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
       ON CONFLICT (case_id, reader_id) DO UPDATE
         SET expires_at = EXCLUDED.expires_at,
             claimed_at = CASE WHEN case_claims.expires_at > now() THEN case_claims.claimed_at ELSE now() END
       RETURNING expires_at`,
      [caseId, readerId, projectId, leaseSeconds],
    );
    return row.expires_at as Date;
  }

  async releaseClaim(caseId: string, readerId: string): Promise<void> {
    await this.em.query(`DELETE FROM case_claims WHERE case_id = $1 AND reader_id = $2`, [caseId, readerId]);
  }

  async purgeExpiredClaims(projectId: string): Promise<void> {
    await this.em.query(`DELETE FROM case_claims WHERE project_id = $1 AND expires_at <= now()`, [projectId]);
  }

  /**
   * The case a reader should read next: one this reader has neither submitted nor skipped, whose submitted readers
   * plus the slots other readers hold (live claims, assignments not yet submitted or skipped) leave an
   * open slot, or that a manager assigned to the reader (where the project reads by assignment, only
   * those). The reader's own draft or claim comes first, then the cases assigned to them,
   * then (queue order MOST_UNCERTAIN) the case a model is least sure about (the latest ready
   * classifier and the latest ready segmentation model, each case placed by its rank among each
   * model's predictions, the better of the two: each model's least sure cases come first), or (RANDOM)
   * in the reader's own order, a hash of the reader and the case; then the case with the fewest
   * readers, then the oldest. Call under lockQueue to claim it. `except`: a case
   * left out (the one the reader is reading, when asking what comes after it). `assignedReading`: the
   * project's, as the caller's access check read it; it only narrows the counting to the reader's own
   * cases (the query applies the project's setting itself).
   */
  async pickNextCase(projectId: string, readerId: string, except: string | null = null, assignedReading = false): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.em.query(
      `WITH assigned AS (
         SELECT case_id FROM case_assignments WHERE project_id = $1 AND reader_id = $2
       ), done AS (
         SELECT case_id, count(DISTINCT reader_id)::int AS n
           FROM annotations WHERE project_id = $1 AND status = 'SUBMITTED' AND (NOT $5::boolean OR case_id IN (SELECT case_id FROM assigned))
          GROUP BY case_id
       ), held AS (
         -- Slots other readers hold: a live claim, or an assignment they have neither submitted nor
         -- skipped (a reader with both counts once).
         SELECT h.case_id, count(DISTINCT h.reader_id)::int AS n
           FROM (SELECT k.case_id, k.reader_id FROM case_claims k
                  WHERE k.project_id = $1 AND k.expires_at > now() AND k.reader_id <> $2
                 UNION ALL
                 SELECT a.case_id, a.reader_id FROM case_assignments a
                  WHERE a.project_id = $1 AND a.reader_id <> $2 AND (NOT $5::boolean OR a.case_id IN (SELECT case_id FROM assigned))
                    AND ${liveAssignmentSql("a", "$4::text[]")}
                    AND NOT EXISTS (SELECT 1 FROM case_skips ak WHERE ak.case_id = a.case_id AND ak.reader_id = a.reader_id)) h
          WHERE NOT EXISTS (SELECT 1 FROM annotations s WHERE s.case_id = h.case_id AND s.reader_id = h.reader_id AND s.status = 'SUBMITTED')
          GROUP BY h.case_id
       ), mine AS (
         SELECT case_id FROM annotations WHERE project_id = $1 AND reader_id = $2 AND status = 'DRAFT'
         UNION
         SELECT case_id FROM case_claims WHERE project_id = $1 AND reader_id = $2 AND expires_at > now()
       ), model AS (
         -- Active learning, when the queue asks for it: the project's latest ready classifier and its
         -- latest ready segmentation model.
         SELECT DISTINCT ON (kind) id, kind FROM (
           SELECT v.id, CASE WHEN mo.task = 'segmentation' THEN 'segmentation' ELSE 'classifier' END AS kind, v.ready_at, v.created_at
             FROM model_versions v JOIN models mo ON mo.id = v.model_id JOIN projects pr ON pr.id = v.project_id
            WHERE v.project_id = $1 AND v.status = 'READY' AND mo.task IN ('binary', 'multilabel', 'segmentation') AND pr.queue_order = 'MOST_UNCERTAIN'
         ) m ORDER BY kind, ready_at DESC NULLS LAST, created_at DESC
       ), margin AS (
         -- How sure each model is about a case, lower for less sure: a classifier's probability
         -- nearest 50 % over its labels (0 = a coin toss); a segmentation model's share of the case's
         -- most hesitant image where it is sure (1 - the share where it hesitates between two classes).
         SELECT pr.case_id, m.kind,
                CASE WHEN m.kind = 'segmentation' THEN 1 - (pr.regions->>'hesitant')::float8
                     ELSE (SELECT min(abs((o->>'value')::float8 - 0.5)) FROM jsonb_array_elements(pr.outputs) o) END AS margin
           FROM predictions pr JOIN model m ON m.id = pr.model_version_id
       ), uncertain AS (
         -- Each case's rank among each model's predictions (0: the model's least sure case, 1: its
         -- surest), the better of the two: the two models' scales differ, their ranks do not.
         SELECT case_id, min(rank) AS rank
           FROM (SELECT case_id, percent_rank() OVER (PARTITION BY kind ORDER BY margin) AS rank FROM margin WHERE margin IS NOT NULL) r
          GROUP BY case_id
       )
       SELECT c.id
         FROM cases c
         JOIN projects p ON p.id = c.project_id
         LEFT JOIN done d ON d.case_id = c.id
         LEFT JOIN held h ON h.case_id = c.id
         LEFT JOIN mine m ON m.case_id = c.id
         LEFT JOIN uncertain u ON u.case_id = c.id
         LEFT JOIN assigned a ON a.case_id = c.id
        WHERE c.project_id = $1 AND c.id IS DISTINCT FROM $3::uuid
          AND NOT EXISTS (SELECT 1 FROM annotations s WHERE s.case_id = c.id AND s.reader_id = $2 AND s.status = 'SUBMITTED')
          AND NOT EXISTS (SELECT 1 FROM case_skips k WHERE k.case_id = c.id AND k.reader_id = $2)
          AND ${caseIncluded("c.id")}
          -- A case assigned to the reader is theirs to read, however many others hold its slots; in a
          -- project that reads by assignment, nothing else is.
          AND (a.case_id IS NOT NULL OR (NOT p.assigned_reading AND coalesce(d.n, 0) + coalesce(h.n, 0) < ${readersNeededSql("c", "p")}))
        ORDER BY (m.case_id IS NOT NULL) DESC, (a.case_id IS NOT NULL) DESC, u.rank ASC NULLS LAST,
                 -- RANDOM: each reader's own order, fixed by a hash of the reader and the case.
                 CASE WHEN p.queue_order = 'RANDOM' THEN md5($2::text || ':' || c.id::text) END,
                 coalesce(d.n, 0) + coalesce(h.n, 0), c.created_at, c.id
        LIMIT 1`,
      [projectId, readerId, except, [...MATRIX["case.annotate"]], assignedReading],
    );
    return rows[0]?.id ?? null;
  }

  // ---- skips


  /** Records (or replaces) a reader's skip of a case. */
  async skip(projectId: string, caseId: string, readerId: string, reason: SkipReason, note: string | null): Promise<CaseSkipRow> {
    const [row] = await this.em.query(
      `WITH s AS (
         INSERT INTO case_skips (case_id, reader_id, project_id, reason, note, skipped_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (case_id, reader_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note, skipped_at = EXCLUDED.skipped_at
         RETURNING *
       )
       SELECT ${SKIP_COLUMNS} FROM s ${SKIP_JOINS}`,
      [caseId, readerId, projectId, reason, note],
    );
    return skipRow(row);
  }

  /** Withdraws a reader's skip of a case; false when there was none. */
  async unskip(caseId: string, readerId: string): Promise<boolean> {
    const [row] = await this.em.query(`WITH d AS (DELETE FROM case_skips WHERE case_id = $1 AND reader_id = $2 RETURNING 1) SELECT count(*)::int AS n FROM d`, [caseId, readerId]);
    return Number(row.n) > 0;
  }

  async findSkip(caseId: string, readerId: string): Promise<CaseSkipRow | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${SKIP_COLUMNS} FROM case_skips s ${SKIP_JOINS} WHERE s.case_id = $1 AND s.reader_id = $2`,
      [caseId, readerId],
    );
    return rows[0] ? skipRow(rows[0]) : null;
  }

  /** A project's skips, newest first: every reader's, or one reader's. */
  async skips(projectId: string, readerId: string | null): Promise<CaseSkipRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${SKIP_COLUMNS} FROM case_skips s ${SKIP_JOINS}
        WHERE s.project_id = $1 AND ($2::uuid IS NULL OR s.reader_id = $2)
        ORDER BY s.skipped_at DESC, c.key, s.reader_id`,
      [projectId, readerId],
    );
    return rows.map(skipRow);
  }

  // ---- excluding a case

  /** Records (or replaces) a manager's exclusion of a case and ends every claim on it. */
  async exclude(projectId: string, caseId: string, by: string, reason: ExclusionReason, note: string | null): Promise<void> {
    await this.em.query(`DELETE FROM case_claims WHERE case_id = $1`, [caseId]);
    await this.em.query(
      `INSERT INTO case_exclusions (case_id, project_id, reason, note, excluded_by, excluded_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (case_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note, excluded_by = EXCLUDED.excluded_by, excluded_at = EXCLUDED.excluded_at`,
      [caseId, projectId, reason, note, by],
    );
  }

  /** Brings an excluded case back into its project; false when it was not excluded. */
  async include(caseId: string): Promise<boolean> {
    const [row] = await this.em.query(`WITH d AS (DELETE FROM case_exclusions WHERE case_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [caseId]);
    return Number(row.n) > 0;
  }

  /** Why a manager excluded the case; null while it is in its project. */
  async exclusionReason(caseId: string): Promise<ExclusionReason | null> {
    const rows: Array<{ reason: ExclusionReason }> = await this.em.query(`SELECT reason FROM case_exclusions WHERE case_id = $1`, [caseId]);
    return rows[0]?.reason ?? null;
  }

  // ---- statistics

  /**
   * The project's cases in reading: how many there are, how many have all their readers, how many
   * can no longer get them (too few members who may annotate have neither submitted nor skipped the
   * case), and how many a manager excluded (left out of the others).
   */
  async caseCounts(projectId: string, annotatingRoles: readonly string[]): Promise<CaseCounts> {
    const [row] = await this.em.query(
      `WITH included AS (
         SELECT c.id, ${readersNeededSql("c", "p")} AS needed
           FROM cases c JOIN projects p ON p.id = c.project_id
          WHERE c.project_id = $1 AND ${caseIncluded("c.id")}
       ), done AS (
         SELECT case_id, count(DISTINCT reader_id)::int AS n FROM annotations
          WHERE project_id = $1 AND status = 'SUBMITTED' GROUP BY case_id
       )
       SELECT p.readers_per_case, p.assigned_reading,
              (SELECT count(*) FROM included)::int AS total,
              (SELECT count(*) FROM included i WHERE ${readersCoveredSql("i.id", "$2::text[]")} < i.needed)::int AS under_assigned,
              (SELECT count(*) FROM included i JOIN done d ON d.case_id = i.id WHERE d.n >= i.needed)::int AS complete,
              (SELECT count(*) FROM included i WHERE NOT EXISTS (SELECT 1 FROM done d WHERE d.case_id = i.id))::int AS unread,
              (SELECT count(*) FROM included i WHERE ${caseBlockedSql("i.id", "$1", "i.needed", "$2::text[]")})::int AS blocked,
              (SELECT count(*) FROM case_exclusions x WHERE x.project_id = $1)::int AS excluded,
              (SELECT coalesce(jsonb_object_agg(r.reason, r.n), '{}') FROM (
                 SELECT x.reason, count(*)::int AS n FROM case_exclusions x WHERE x.project_id = $1 GROUP BY x.reason) r) AS excluded_by_reason
         FROM projects p WHERE p.id = $1`,
      [projectId, annotatingRoles],
    );
    return {
      total: Number(row?.total ?? 0),
      complete: Number(row?.complete ?? 0),
      unread: Number(row?.unread ?? 0),
      blocked: Number(row?.blocked ?? 0),
      excluded: Number(row?.excluded ?? 0),
      underAssigned: Number(row?.under_assigned ?? 0),
      assignedReading: row?.assigned_reading === true,
      excludedByReason: EXCLUSION_REASONS.map((reason) => ({ reason, cases: Number((row?.excluded_by_reason as Record<string, number> | undefined)?.[reason] ?? 0) })).filter((r) => r.cases > 0),
      readersPerCase: Number(row?.readers_per_case ?? 0),
    };
  }

  /** Per reader (members who may annotate, and anyone who has): cases submitted, open drafts, medians over their latest submissions. */
  async readerProgress(projectId: string, annotatingRoles: readonly string[]): Promise<ReaderProgressRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH ${LATEST_SUBMITTED},
       readers AS (
         SELECT user_id AS reader_id FROM memberships WHERE project_id = $1 AND role = ANY($2::text[])
         UNION
         SELECT reader_id FROM annotations WHERE project_id = $1
         UNION
         SELECT reader_id FROM case_skips WHERE project_id = $1
       )
       SELECT r.reader_id, u.name,
              (SELECT count(*) FROM latest l WHERE l.reader_id = r.reader_id)::int AS cases_done,
              (SELECT count(*) FROM annotations d WHERE d.project_id = $1 AND d.reader_id = r.reader_id AND d.status = 'DRAFT' AND ${caseIncluded("d.case_id")})::int AS drafts,
              (SELECT count(*) FROM case_skips k WHERE k.project_id = $1 AND k.reader_id = r.reader_id AND ${caseIncluded("k.case_id")})::int AS skipped,
              (SELECT count(*) FROM case_assignments ca WHERE ca.project_id = $1 AND ca.reader_id = r.reader_id AND ${caseIncluded("ca.case_id")})::int AS assigned,
              (SELECT count(*) FROM case_assignments ca WHERE ca.project_id = $1 AND ca.reader_id = r.reader_id AND ${caseIncluded("ca.case_id")}
                  AND NOT EXISTS (SELECT 1 FROM annotations s WHERE s.case_id = ca.case_id AND s.reader_id = ca.reader_id AND s.status = 'SUBMITTED')
                  AND NOT EXISTS (SELECT 1 FROM case_skips k WHERE k.case_id = ca.case_id AND k.reader_id = ca.reader_id))::int AS assigned_left,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l.case_seconds) FROM latest l WHERE l.reader_id = r.reader_id) AS median_case_seconds,
              (SELECT coalesce(array_agg(l.case_seconds ORDER BY l.case_seconds) FILTER (WHERE l.case_seconds IS NOT NULL), '{}')
                 FROM latest l WHERE l.reader_id = r.reader_id) AS case_seconds,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v.seconds)
                 FROM latest l JOIN label_values v ON v.annotation_id = l.id WHERE l.reader_id = r.reader_id) AS median_label_seconds
         FROM readers r JOIN users u ON u.id = r.reader_id
        ORDER BY u.name, r.reader_id`,
      [projectId, annotatingRoles],
    );
    return rows.map((r) => ({
      readerId: r.reader_id as string,
      name: r.name as string,
      casesDone: Number(r.cases_done),
      drafts: Number(r.drafts),
      skipped: Number(r.skipped),
      assigned: Number(r.assigned),
      assignedLeft: Number(r.assigned_left),
      medianCaseSeconds: r.median_case_seconds == null ? null : Number(r.median_case_seconds),
      caseSeconds: (r.case_seconds as unknown[]).map(Number),
      medianLabelSeconds: r.median_label_seconds == null ? null : Number(r.median_label_seconds),
    }));
  }

  /** Per-label times over latest submissions: per (reader, label), or per label when byReader is false. Only labels with a recorded time. */
  async labelTimes(projectId: string, byReader: boolean): Promise<LabelTimesRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH ${LATEST_SUBMITTED}
       SELECT ${byReader ? "l.reader_id" : "NULL::uuid AS reader_id"}, v.label_id, d.name,
              count(v.seconds)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.seconds) AS median,
              array_agg(v.seconds ORDER BY v.seconds) AS seconds
         FROM latest l
         JOIN label_values v ON v.annotation_id = l.id AND v.seconds IS NOT NULL
         JOIN label_definitions d ON d.id = v.label_id
        GROUP BY ${byReader ? "l.reader_id, " : ""}v.label_id, d.name, d.position, d.created_at
        ORDER BY ${byReader ? "l.reader_id, " : ""}d.position, d.created_at, v.label_id`,
      [projectId],
    );
    return rows.map((r) => ({
      readerId: (r.reader_id as string | null) ?? null,
      labelId: r.label_id as string,
      name: r.name as string,
      count: Number(r.n),
      medianSeconds: r.median == null ? null : Number(r.median),
      seconds: (r.seconds as Array<number | string>).map(Number),
    }));
  }

  // ---- export

  async exportCounts(projectId: string, latestOnly: boolean, readerId: string | null = null): Promise<{ annotations: number; labelRows: number; roiRows: number }> {
    const [row] = await this.em.query(
      `WITH chosen AS (SELECT a.id FROM annotations a WHERE ${exportFilter("$2", "$3")})
       SELECT (SELECT count(*) FROM chosen)::int AS annotations,
              (SELECT count(*) FROM label_values v WHERE v.annotation_id IN (SELECT id FROM chosen))::int AS label_rows,
              (SELECT count(*) FROM rois r WHERE r.annotation_id IN (SELECT id FROM chosen))::int AS roi_rows`,
      [projectId, latestOnly, readerId],
    );
    return { annotations: Number(row.annotations), labelRows: Number(row.label_rows), roiRows: Number(row.roi_rows) };
  }

  /** The next batch of exported annotations after `after`, in (case key, reader, version) order. */
  async exportAnnotations(projectId: string, latestOnly: boolean, after: ExportPosition | null, limit: number, readerId: string | null = null): Promise<ExportAnnotationRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT a.id, c.key, a.reader_id, a.version, a.submitted_at, a.case_seconds, a.idle_seconds, a.timing_clamped, ${splitSql("c", "st", "p")} AS split
         FROM annotations a JOIN cases c ON c.id = a.case_id JOIN studies st ON st.id = c.study_id JOIN projects p ON p.id = c.project_id
        WHERE ${exportFilter("$2", "$7")}
          AND ($3::text IS NULL OR (c.key, a.reader_id, a.version) > ($3::text, $4::uuid, $5::int))
        ORDER BY c.key, a.reader_id, a.version
        LIMIT $6`,
      [projectId, latestOnly, after?.key ?? null, after?.readerId ?? null, after?.version ?? null, limit, readerId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      key: r.key as string,
      readerId: r.reader_id as string,
      version: Number(r.version),
      submittedAt: r.submitted_at as Date,
      caseSeconds: r.case_seconds == null ? null : Number(r.case_seconds),
      idleSeconds: Number(r.idle_seconds),
      timingClamped: r.timing_clamped as boolean,
      split: r.split as CaseSplit,
    }));
  }

  async exportLabelValues(annotationIds: string[]): Promise<ExportLabelRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT v.annotation_id, v.label_id, d.name, v.value, v.confidence, v.implicit, v.seconds, g.name AS group_name
         FROM label_values v JOIN label_definitions d ON d.id = v.label_id
         LEFT JOIN label_groups g ON g.id = d.group_id
        WHERE v.annotation_id = ANY($1::uuid[])
        ORDER BY d.position, d.created_at, d.id`,
      [annotationIds],
    );
    return rows.map((r) => ({
      annotationId: r.annotation_id as string,
      labelId: r.label_id as string,
      label: r.name as string,
      value: r.value as boolean,
      confidence: r.confidence == null ? null : Number(r.confidence),
      implicit: r.implicit as boolean,
      seconds: r.seconds == null ? null : Number(r.seconds),
      group: (r.group_name as string | null) ?? null,
    }));
  }

  async exportRois(annotationIds: string[]): Promise<ExportRoiRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT r.annotation_id, r.id, r.class_id, d.name, r.kind, r.points, r.sop_instance_uid, r.frame, r.suggested_by, r.suggestion_changed
         FROM rois r JOIN label_definitions d ON d.id = r.class_id
        WHERE r.annotation_id = ANY($1::uuid[])
        ORDER BY r.position`,
      [annotationIds],
    );
    return rows.map((r) => ({
      annotationId: r.annotation_id as string,
      roiId: r.id as string,
      classId: r.class_id as string,
      className: r.name as string,
      kind: r.kind as RoiShape,
      points: r.points as Array<[number, number]>,
      sopInstanceUid: r.sop_instance_uid as string,
      frame: Number(r.frame),
      suggestedBy: (r.suggested_by as string | null) ?? null,
      suggestionChanged: (r.suggestion_changed as boolean | null) ?? null,
    }));
  }

  /**
   * The regions these model versions of the project suggested on the case, on the images named;
   * versions of another project, or without a segmentation prediction of the case, give none.
   */
  async suggestionRegions(projectId: string, caseId: string, modelVersionIds: string[], sopInstanceUids: string[]): Promise<{ versions: Set<string>; regions: SuggestionRegion[] }> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT p.model_version_id, r.region
         FROM predictions p
         LEFT JOIN LATERAL (
           SELECT e AS region FROM jsonb_array_elements(p.regions->'regions') e WHERE e->>'sopInstanceUid' = ANY($4::text[])
         ) r ON true
        WHERE p.project_id = $1 AND p.case_id = $2 AND p.model_version_id = ANY($3::uuid[]) AND p.regions IS NOT NULL`,
      [projectId, caseId, modelVersionIds, sopInstanceUids],
    );
    const versions = new Set(rows.map((r) => r.model_version_id as string));
    const regions = rows
      .filter((r) => r.region != null)
      .map((r) => {
        const g = r.region as PredictedRegion;
        return { modelVersionId: r.model_version_id as string, label: g.label, sopInstanceUid: g.sopInstanceUid, frame: Number(g.frame), points: g.points };
      });
    return { versions, regions };
  }

  // ---- helpers

  private async one(where: string, params: unknown[]): Promise<AnnotationEntity | null> {
    return (await this.many(where, params))[0] ?? null;
  }

  private async many(where: string, params: unknown[]): Promise<AnnotationEntity[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT ${ANNOTATION_COLUMNS} FROM annotations a ${where}`, params);
    return rows.map(toAnnotation);
  }

  private async sessionsOf(annotationIds: string[]): Promise<Map<string, StoredSession[]>> {
    const sessions: Array<Record<string, unknown>> = await this.em.query(
      `SELECT annotation_id, session_id, position, frozen, loaded_at, started_at, reported_at, reported_seconds, seconds, click_count, clamped
         FROM annotation_sessions WHERE annotation_id = ANY($1::uuid[]) ORDER BY annotation_id, position`,
      [annotationIds],
    );
    const clicks: Array<Record<string, unknown>> = await this.em.query(
      `SELECT annotation_id, session_id, label_id, at_seconds, value, confidence
         FROM annotation_label_clicks WHERE annotation_id = ANY($1::uuid[]) ORDER BY annotation_id, session_id, seq`,
      [annotationIds],
    );
    const idle: Array<Record<string, unknown>> = await this.em.query(
      `SELECT annotation_id, session_id, start_seconds, seconds FROM annotation_idle WHERE annotation_id = ANY($1::uuid[]) ORDER BY annotation_id, session_id, seq`,
      [annotationIds],
    );
    const out = new Map<string, StoredSession[]>();
    const byKey = new Map<string, StoredSession>();
    for (const r of sessions) {
      const s: StoredSession = {
        sessionId: r.session_id as string,
        position: Number(r.position),
        frozen: r.frozen as boolean,
        loadedAt: r.loaded_at as Date,
        startedAt: r.started_at as Date,
        reportedAt: r.reported_at as Date,
        reportedSeconds: Number(r.reported_seconds),
        seconds: Number(r.seconds),
        clickCount: Number(r.click_count),
        clamped: r.clamped as boolean,
        labelClicks: [],
        idle: [],
      };
      const list = out.get(r.annotation_id as string) ?? [];
      list.push(s);
      out.set(r.annotation_id as string, list);
      byKey.set(`${r.annotation_id}:${r.session_id}`, s);
    }
    for (const c of clicks) {
      byKey.get(`${c.annotation_id}:${c.session_id}`)?.labelClicks.push({
        labelId: c.label_id as string,
        atSeconds: Number(c.at_seconds),
        value: c.value as boolean,
        confidence: c.confidence == null ? null : Number(c.confidence),
      });
    }
    for (const p of idle) {
      byKey.get(`${p.annotation_id}:${p.session_id}`)?.idle.push({ startSeconds: Number(p.start_seconds), seconds: Number(p.seconds) });
    }
    return out;
  }
}

/** Each reader's latest submitted version of each case of project $1, as `latest`. */
/** Each reader's latest submission of each case of project $1 (excluded cases left out). */
const LATEST_SUBMITTED = `latest AS (
  SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id, a.reader_id, a.case_seconds
    FROM annotations a WHERE a.project_id = $1 AND a.status = 'SUBMITTED' AND ${caseIncluded("a.case_id")}
   ORDER BY a.case_id, a.reader_id, a.version DESC)`;

/** Submitted annotations of project $1 (excluded cases left out); with latestOnly, only each reader's latest version of each case. */
const exportFilter = (latestOnly: string, readerId: string) => `a.project_id = $1 AND a.status = 'SUBMITTED' AND (${readerId}::uuid IS NULL OR a.reader_id = ${readerId}::uuid)
  AND ${caseIncluded("a.case_id")}
  AND (NOT ${latestOnly}::boolean OR NOT EXISTS (
    SELECT 1 FROM annotations n WHERE n.case_id = a.case_id AND n.reader_id = a.reader_id AND n.status = 'SUBMITTED' AND n.version > a.version))`;

function toAnnotation(r: Record<string, unknown>): AnnotationEntity {
  return Object.assign(new AnnotationEntity(), {
    id: r.id as string,
    projectId: r.project_id as string,
    caseId: r.case_id as string,
    readerId: r.reader_id as string,
    version: Number(r.version),
    status: r.status as AnnotationStatus,
    openedAt: r.opened_at as Date,
    loadedAt: (r.loaded_at as Date | null) ?? null,
    submittedAt: (r.submitted_at as Date | null) ?? null,
    caseSeconds: r.case_seconds == null ? null : Number(r.case_seconds),
    clickCount: Number(r.click_count),
    labelClickCount: Number(r.label_click_count),
    idleCount: Number(r.idle_count),
    idleSeconds: Number(r.idle_seconds),
    idleThresholdSeconds: r.idle_threshold_seconds == null ? null : Number(r.idle_threshold_seconds),
    sessionCount: Number(r.session_count),
    timingClamped: r.timing_clamped as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  });
}
