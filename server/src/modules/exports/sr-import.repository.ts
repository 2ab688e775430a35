import type { EntityManager } from "typeorm";

export interface ImportLabel {
  id: string;
  name: string;
  kind: "CLASSIFICATION" | "ROI";
  roiShape: "RECTANGLE" | "FREEHAND" | null;
}

export interface ImageCase {
  sopInstanceUid: string;
  caseId: string;
  caseKey: string;
  rows: number | null;
  columns: number | null;
  frames: number;
}

// Reads for importing structured reports: the project's active labels and which case holds an image.
export class SrImportRepository {
  constructor(private readonly em: EntityManager) {}

  /** Active (not archived) labels and ROI classes. */
  async activeLabels(projectId: string): Promise<ImportLabel[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT id, name, kind, roi_shape FROM label_definitions WHERE project_id = $1 AND archived_at IS NULL ORDER BY kind, position, created_at, id`,
      [projectId],
    );
    return rows.map((r) => ({ id: r.id as string, name: r.name as string, kind: r.kind as ImportLabel["kind"], roiShape: (r.roi_shape as ImportLabel["roiShape"]) ?? null }));
  }

  /** The project's cases holding these images (a case of one image, or of the image's series). */
  async casesOfImages(projectId: string, sopInstanceUids: string[]): Promise<ImageCase[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.sop_instance_uid, c.id, c.key, i.rows, i.columns, i.frames
         FROM instances i JOIN cases c ON c.project_id = i.project_id AND (c.instance_id = i.id OR (c.instance_id IS NULL AND c.series_id = i.series_id))
        WHERE i.project_id = $1 AND i.sop_instance_uid = ANY($2::text[])
        ORDER BY c.key, i.sop_instance_uid`,
      [projectId, sopInstanceUids],
    );
    return rows.map((r) => ({
      sopInstanceUid: r.sop_instance_uid as string,
      caseId: r.id as string,
      caseKey: r.key as string,
      rows: r.rows == null ? null : Number(r.rows),
      columns: r.columns == null ? null : Number(r.columns),
      frames: Number(r.frames ?? 1),
    }));
  }

  /** The project's de-identification key (UID replacement), when images were ever uploaded. */
  async deidKey(projectId: string): Promise<Uint8Array | null> {
    const [row] = (await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId])) as Array<{ deid_key: Buffer | null }>;
    return row?.deid_key ? new Uint8Array(row.deid_key) : null;
  }

  async hasSubmitted(caseId: string, readerId: string): Promise<boolean> {
    const rows = await this.em.query(`SELECT 1 FROM annotations WHERE case_id = $1 AND reader_id = $2 AND status = 'SUBMITTED' LIMIT 1`, [caseId, readerId]);
    return rows.length > 0;
  }
}
