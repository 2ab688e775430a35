import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A PACS (or any DICOM node) a project retrieves from over DIMSE and accepts C-STOREs from. */
@Entity("dicom_peers")
export class DicomPeerEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", name: "ae_title" }) aeTitle: string;
  @Column({ type: "text" }) host: string;
  @Column({ type: "integer" }) port: number;
  /** Unsolicited C-STOREs from this peer are ingested with this member's upload rights. */
  @Column({ type: "uuid", name: "created_by", nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
}
