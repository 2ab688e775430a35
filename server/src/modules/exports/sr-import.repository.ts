import type { EntityManager } from "typeorm";
import type { RoiShape } from "../projects/projects.entity.js";
import { caseHoldsInstance } from "../cases/case-images.js";

export interface ImportLabel {
  id: string;
  name: string;
  kind: "CLASSIFICATION" | "ROI";
  roiShape: RoiShape | null;
}

export interface ImageCase {
  sopInstanceUid: string;
  caseId: string;
  caseKey: string;
  rows: number | null;
  columns: number | null;
  frames: number;
}

/** One image's planes (index frame - 1; one for a single-frame image), null where its metadata places it nowhere. */
export interface ImagePlanes {
  image: ImageCase;
  multiFrame: boolean;
  planes: Array<{ orientation: number[]; position: [number, number, number] } | null>;
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

  /** The project's cases holding these images (a case of one image, or of the image's series or study). */
  async casesOfImages(projectId: string, sopInstanceUids: string[]): Promise<ImageCase[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.sop_instance_uid, c.id, c.key, i.rows, i.columns, i.frames
         FROM instances i JOIN cases c ON c.project_id = i.project_id AND ${caseHoldsInstance("c", "i")}
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

  /**
   * The planes of the project's images of this size, frame by frame, for placing a label volume:
   * a single-frame image's own orientation and position, a multi-frame image's from its functional
   * groups (each frame's, else the shared orientation).
   */
  async imagePlanes(projectId: string, rows: number, columns: number): Promise<ImagePlanes[]> {
    const v = (path: string) => `i.metadata->${path}->'Value'`;
    const result: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.sop_instance_uid, c.id, c.key, i.rows, i.columns, i.frames,
              ${v("'00200037'")} AS orientation, ${v("'00200032'")} AS position,
              ${v("'52009229'->'Value'->0->'00209116'->'Value'->0->'00200037'")} AS shared_orientation,
              (SELECT jsonb_agg(jsonb_build_array(g->'00209113'->'Value'->0->'00200032'->'Value', g->'00209116'->'Value'->0->'00200037'->'Value') ORDER BY n)
                 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${v("'52009230'")}) = 'array' THEN ${v("'52009230'")} ELSE '[]'::jsonb END)
                      WITH ORDINALITY AS f(g, n)) AS per_frame
         FROM instances i JOIN cases c ON c.project_id = i.project_id AND ${caseHoldsInstance("c", "i")}
        WHERE i.project_id = $1 AND i.rows = $2 AND i.columns = $3
        ORDER BY c.key, i.instance_number NULLS LAST, i.sop_instance_uid`,
      [projectId, rows, columns],
    );
    const nums = (x: unknown, n: number) => (Array.isArray(x) && x.length === n && x.every((y) => y !== null && y !== "" && Number.isFinite(Number(y))) ? x.map(Number) : null);
    return result.map((r) => {
      const frames = Math.max(1, Number(r.frames ?? 1) || 1);
      const perFrame = Array.isArray(r.per_frame) ? (r.per_frame as unknown[][]) : [];
      const shared = nums(r.shared_orientation, 6) ?? nums(r.orientation, 6);
      const planes =
        perFrame.length === frames && frames > 1
          ? perFrame.map((g) => ({ orientation: nums(g[1], 6) ?? shared, position: nums(g[0], 3) }))
          : [{ orientation: nums(r.orientation, 6) ?? shared, position: nums(r.position, 3) }];
      return {
        image: { sopInstanceUid: r.sop_instance_uid as string, caseId: r.id as string, caseKey: r.key as string, rows: Number(r.rows), columns: Number(r.columns), frames },
        multiFrame: frames > 1,
        planes: planes.map((p) => (p.orientation && p.position ? { orientation: p.orientation, position: p.position as [number, number, number] } : null)),
      };
    });
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
