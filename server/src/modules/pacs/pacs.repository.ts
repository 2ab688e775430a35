import type { EntityManager } from "typeorm";
import { DicomPeerEntity } from "./pacs.entity.js";

// The only code that queries the database for DICOM peers.
export class PacsRepository {
  constructor(private readonly em: EntityManager) {}

  peers(projectId: string): Promise<DicomPeerEntity[]> {
    return this.em.find(DicomPeerEntity, { where: { projectId }, order: { name: "ASC", createdAt: "ASC" } });
  }

  findPeer(id: string): Promise<DicomPeerEntity | null> {
    return this.em.findOneBy(DicomPeerEntity, { id });
  }

  /** Every project's peers with this AE title: who an incoming association may be. */
  peersWithAeTitle(aeTitle: string): Promise<DicomPeerEntity[]> {
    return this.em.find(DicomPeerEntity, { where: { aeTitle }, order: { createdAt: "ASC" } });
  }

  async nameTaken(projectId: string, name: string): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM dicom_peers WHERE project_id = $1 AND lower(name) = lower($2)`, [projectId, name]);
    return rows.length > 0;
  }

  insertPeer(data: Omit<DicomPeerEntity, "id" | "createdAt">): Promise<DicomPeerEntity> {
    return this.em.save(this.em.create(DicomPeerEntity, data));
  }

  async deletePeer(id: string): Promise<void> {
    await this.em.delete(DicomPeerEntity, { id });
  }
}
