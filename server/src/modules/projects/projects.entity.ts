import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { Role } from "../../access/roles.js";
import type { SplitGroup } from "../cases/splits.js";

export type ProjectMode = "STANDARD" | "REVIEW" | "EDUCATION";
export type LabelKind = "CLASSIFICATION" | "ROI";
import type { RoiShape } from "./roi-shape.js";
export { AREA_SHAPES, isAreaShape, type RoiShape } from "./roi-shape.js";
/** What one case is: an image, or a whole series read as a stack. */
/** What one case is: an image, a series read as a stack, or a study (every series of it). */
export type CaseUnit = "IMAGE" | "SERIES" | "STUDY";
/** How ingest names new cases: after the file (or its folder), an original identifier, or the project's case key mapping. */
export type CaseKeySource = "FILE_NAME" | "PATIENT_ID" | "ACCESSION_NUMBER" | "MAPPING";
export type QueueOrder = "DEFAULT" | "MOST_UNCERTAIN" | "RANDOM";
/** How a model's output label names a project label (an ROI class): trimmed, case aside. */
export const labelNameKey = (name: string) => name.trim().toLowerCase();
export const CASE_KEY_SOURCES: readonly CaseKeySource[] = ["FILE_NAME", "PATIENT_ID", "ACCESSION_NUMBER", "MAPPING"];

@Entity("projects")
export class ProjectEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", default: "" }) description: string;
  @Column({ type: "text" }) mode: ProjectMode;
  @Column({ type: "boolean", name: "blind_reading" }) blindReading: boolean;
  @Column({ type: "integer", name: "readers_per_case" }) readersPerCase: number;
  /** De-identification keeps dates, each patient's shifted by a secret number of days (PS3.15 option 113107). */
  @Column({ type: "boolean", name: "deid_retain_dates", default: false }) retainLongitudinalModifiedDates: boolean;
  @Column({ type: "text", name: "case_unit", default: "IMAGE" }) caseUnit: CaseUnit;
  @Column({ type: "text", name: "case_key_source", default: "FILE_NAME" }) caseKeySource: CaseKeySource;
  @Column({ type: "text", name: "queue_order", default: "DEFAULT" }) queueOrder: QueueOrder;
  /** Readers read only the cases a manager assigned to them (case_assignments). */
  @Column({ type: "boolean", name: "assigned_reading", default: false }) assignedReading: boolean;
  /** Dataset splits (cases/splits.ts): percent of groups in TRAIN and VALIDATION (TEST takes the rest), and what a group is. */
  @Column({ type: "smallint", name: "split_train", default: 70 }) splitTrain: number;
  @Column({ type: "smallint", name: "split_validation", default: 15 }) splitValidation: number;
  @Column({ type: "text", name: "split_group", default: "PATIENT" }) splitGroup: SplitGroup;
  /** Readers per case in VALIDATION and in TEST where the project wants another number there than readersPerCase (null: readersPerCase). */
  @Column({ type: "smallint", name: "readers_validation", nullable: true }) readersValidation: number | null;
  @Column({ type: "smallint", name: "readers_test", nullable: true }) readersTest: number | null;
  @Column({ type: "timestamptz", name: "archived_at", nullable: true }) archivedAt: Date | null;
  @Column({ type: "uuid", name: "created_by" }) createdBy: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @UpdateDateColumn({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

@Entity("label_definitions")
export class LabelDefinitionEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "text" }) kind: LabelKind;
  @Column({ type: "text", name: "roi_shape", nullable: true }) roiShape: RoiShape | null;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", default: "" }) description: string;
  @Column({ type: "text" }) color: string;
  @Column({ type: "integer" }) position: number;
  /** The label group (classification labels with one answer) the label belongs to, if any. */
  @Column({ type: "uuid", name: "group_id", nullable: true }) groupId: string | null;
  /** Archived labels keep their data; they are hidden from new annotations. */
  @Column({ type: "timestamptz", name: "archived_at", nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @UpdateDateColumn({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

@Entity("memberships")
export class MembershipEntity {
  @PrimaryColumn({ type: "uuid", name: "project_id" }) projectId: string;
  @PrimaryColumn({ type: "uuid", name: "user_id" }) userId: string;
  @Column({ type: "text" }) role: Role;
  @Column({ type: "uuid", name: "granted_by", nullable: true }) grantedBy: string | null;
  @CreateDateColumn({ type: "timestamptz", name: "granted_at" }) grantedAt: Date;
  @UpdateDateColumn({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}
