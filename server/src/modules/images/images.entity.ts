import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

// The local DICOM store's index. UIDs here are the de-identified ones; originals are never stored.

@Entity("studies")
export class StudyEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "text", name: "study_instance_uid" }) studyInstanceUid: string;
  /** The pseudonym de-identification gave the patient. */
  @Column({ type: "text", name: "patient_id" }) patientId: string;
  @Column({ type: "text", name: "study_date", nullable: true }) studyDate: string | null;
  @Column({ type: "text" }) description: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
}

@Entity("series")
export class SeriesEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "uuid", name: "study_id" }) studyId: string;
  @Column({ type: "text", name: "series_instance_uid" }) seriesInstanceUid: string;
  @Column({ type: "text" }) modality: string;
  @Column({ type: "integer", name: "series_number", nullable: true }) seriesNumber: number | null;
  @Column({ type: "text" }) description: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
}

@Entity("instances")
export class InstanceEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "uuid", name: "series_id" }) seriesId: string;
  /** Its series' study, kept with it: a study case's images are found by it (case-images.ts). */
  @Column({ type: "uuid", name: "study_id" }) studyId: string;
  @Column({ type: "text", name: "sop_instance_uid" }) sopInstanceUid: string;
  @Column({ type: "text", name: "sop_class_uid" }) sopClassUid: string;
  @Column({ type: "text", name: "transfer_syntax_uid" }) transferSyntaxUid: string;
  @Column({ type: "integer", name: "instance_number", nullable: true }) instanceNumber: number | null;
  @Column({ type: "integer", nullable: true }) rows: number | null;
  @Column({ type: "integer", nullable: true }) columns: number | null;
  @Column({ type: "integer" }) frames: number;
  @Column({ type: "text", name: "storage_key" }) storageKey: string;
  @Column({ type: "bigint", name: "size_bytes" }) sizeBytes: string;
  @Column({ type: "text" }) sha256: string;
  /** DICOM JSON of the instance without its bulk data, for QIDO-RS and WADO-RS metadata. */
  @Column({ type: "jsonb" }) metadata: Record<string, unknown>;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
}

@Entity("cases")
export class CaseEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "text" }) key: string;
  @Column({ type: "uuid", name: "study_id" }) studyId: string;
  @Column({ type: "uuid", name: "series_id", nullable: true }) seriesId: string | null;
  @Column({ type: "uuid", name: "instance_id", nullable: true }) instanceId: string | null;
  @Column({ type: "text", nullable: true }) report: string | null;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
}

export type UploadSource = "GRAPHQL" | "STOW" | "DIMSE" | "DICOMWEB";
export type UploadStatus = "RUNNING" | "DONE" | "FAILED";
export type UploadResultStatus = "STORED" | "DUPLICATE" | "REFUSED" | "IGNORED";

@Entity("upload_batches")
export class UploadBatchEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "uuid", name: "created_by", nullable: true }) createdBy: string | null;
  @Column({ type: "text" }) source: UploadSource;
  @Column({ type: "text" }) status: UploadStatus;
  @Column({ type: "integer" }) total: number;
  @Column({ type: "integer" }) stored: number;
  @Column({ type: "integer" }) refused: number;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @Column({ type: "timestamptz", name: "finished_at", nullable: true }) finishedAt: Date | null;
}

@Entity("upload_results")
export class UploadResultEntity {
  @PrimaryColumn({ type: "uuid", name: "batch_id" }) batchId: string;
  @PrimaryColumn({ type: "integer" }) position: number;
  @Column({ type: "text", name: "file_name" }) fileName: string;
  @Column({ type: "text" }) status: UploadResultStatus;
  @Column({ type: "text", nullable: true }) message: string | null;
  @Column({ type: "uuid", name: "instance_id", nullable: true }) instanceId: string | null;
}
