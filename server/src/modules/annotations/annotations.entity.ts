import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { RoiShape } from "../projects/projects.entity.js";

export type AnnotationStatus = "DRAFT" | "SUBMITTED";

/** One version of one reader's reading of one case. A SUBMITTED version never changes. */
@Entity("annotations")
export class AnnotationEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "uuid", name: "case_id" }) caseId: string;
  @Column({ type: "uuid", name: "reader_id" }) readerId: string;
  @Column({ type: "integer" }) version: number;
  @Column({ type: "text" }) status: AnnotationStatus;
  /** Server clock: when this version was opened (the nextCase claim, or the draft's creation); bounds the client's durations. */
  @Column({ type: "timestamptz", name: "opened_at" }) openedAt: Date;
  /** Client clock, as reported by the first session; kept for reference, never used in arithmetic. */
  @Column({ type: "timestamptz", name: "loaded_at", nullable: true }) loadedAt: Date | null;
  /** Server clock. */
  @Column({ type: "timestamptz", name: "submitted_at", nullable: true }) submittedAt: Date | null;
  /** Image fully loaded -> submit click, summed over the version's sessions (page loads); null without timing. */
  @Column({ type: "double precision", name: "case_seconds", nullable: true }) caseSeconds: number | null;
  @Column({ type: "integer", name: "click_count" }) clickCount: number;
  @Column({ type: "integer", name: "label_click_count" }) labelClickCount: number;
  @Column({ type: "integer", name: "idle_count" }) idleCount: number;
  @Column({ type: "double precision", name: "idle_seconds" }) idleSeconds: number;
  @Column({ type: "double precision", name: "idle_threshold_seconds", nullable: true }) idleThresholdSeconds: number | null;
  @Column({ type: "integer", name: "session_count" }) sessionCount: number;
  /** Some session claimed more time than the server saw pass; its seconds were cut to what the server saw. */
  @Column({ type: "boolean", name: "timing_clamped" }) timingClamped: boolean;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @UpdateDateColumn({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

@Entity("label_values")
export class LabelValueEntity {
  @PrimaryColumn({ type: "uuid", name: "annotation_id" }) annotationId: string;
  @PrimaryColumn({ type: "uuid", name: "label_id" }) labelId: string;
  @Column({ type: "boolean" }) value: boolean;
  @Column({ type: "smallint", nullable: true }) confidence: number | null;
  /** Not ticked by the reader: recorded as negative when the annotation was submitted. */
  @Column({ type: "boolean" }) implicit: boolean;
  /** Time spent on this label: the stretches from the previous click (or the image load) to each click on it. */
  @Column({ type: "double precision", nullable: true }) seconds: number | null;
  @Column({ type: "integer" }) clicks: number;
}

@Entity("rois")
export class RoiEntity {
  @PrimaryColumn({ type: "uuid", name: "annotation_id" }) annotationId: string;
  /** Stable across saves and versions when the client names it. */
  @PrimaryColumn({ type: "uuid" }) id: string;
  @Column({ type: "integer" }) position: number;
  @Column({ type: "uuid", name: "class_id" }) classId: string;
  @Column({ type: "text" }) kind: RoiShape;
  /** Image pixel coordinates [[x, y], ...]; a rectangle is two corners, [[minX, minY], [maxX, maxY]]. */
  @Column({ type: "jsonb" }) points: Array<[number, number]>;
  @Column({ type: "text", name: "sop_instance_uid" }) sopInstanceUid: string;
  @Column({ type: "integer" }) frame: number;
  /** The model version whose suggested region the reader took this from; null when drawn. */
  @Column({ type: "uuid", name: "suggested_by", nullable: true }) suggestedBy: string | null;
  /** Taken from a suggestion: whether it differs from the suggested region (shape, class, image or frame); null when drawn. */
  @Column({ type: "boolean", name: "suggestion_changed", nullable: true }) suggestionChanged: boolean | null;
}

/** One page load of the annotation workspace: durations are measured from its own "image loaded" moment. */
@Entity("annotation_sessions")
export class AnnotationSessionEntity {
  @PrimaryColumn({ type: "uuid", name: "annotation_id" }) annotationId: string;
  @PrimaryColumn({ type: "uuid", name: "session_id" }) sessionId: string;
  @Column({ type: "integer" }) position: number;
  @Column({ type: "boolean" }) frozen: boolean;
  /** Client clock, as reported. */
  @Column({ type: "timestamptz", name: "loaded_at" }) loadedAt: Date;
  /** Server clock: our estimate of the load, never before the version was opened. */
  @Column({ type: "timestamptz", name: "started_at" }) startedAt: Date;
  @Column({ type: "timestamptz", name: "reported_at" }) reportedAt: Date;
  @Column({ type: "double precision", name: "reported_seconds" }) reportedSeconds: number;
  @Column({ type: "double precision" }) seconds: number;
  @Column({ type: "integer", name: "click_count" }) clickCount: number;
  @Column({ type: "boolean" }) clamped: boolean;
}

@Entity("annotation_label_clicks")
export class LabelClickEntity {
  @PrimaryColumn({ type: "uuid", name: "annotation_id" }) annotationId: string;
  @PrimaryColumn({ type: "uuid", name: "session_id" }) sessionId: string;
  @PrimaryColumn({ type: "integer" }) seq: number;
  @Column({ type: "uuid", name: "label_id" }) labelId: string;
  @Column({ type: "double precision", name: "at_seconds" }) atSeconds: number;
  @Column({ type: "boolean" }) value: boolean;
  @Column({ type: "smallint", nullable: true }) confidence: number | null;
}

@Entity("annotation_idle")
export class IdlePeriodEntity {
  @PrimaryColumn({ type: "uuid", name: "annotation_id" }) annotationId: string;
  @PrimaryColumn({ type: "uuid", name: "session_id" }) sessionId: string;
  @PrimaryColumn({ type: "integer" }) seq: number;
  @Column({ type: "double precision", name: "start_seconds" }) startSeconds: number;
  @Column({ type: "double precision" }) seconds: number;
}

@Entity("case_claims")
export class CaseClaimEntity {
  @PrimaryColumn({ type: "uuid", name: "case_id" }) caseId: string;
  @PrimaryColumn({ type: "uuid", name: "reader_id" }) readerId: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "timestamptz", name: "claimed_at" }) claimedAt: Date;
  @Column({ type: "timestamptz", name: "expires_at" }) expiresAt: Date;
}
