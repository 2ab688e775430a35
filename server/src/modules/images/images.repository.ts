import type { EntityManager } from "typeorm";
import { CaseEntity, InstanceEntity, SeriesEntity, StudyEntity, UploadBatchEntity, UploadResultEntity, type UploadResultStatus, type UploadSource } from "./images.entity.js";

export interface StudyRow {
  id: string;
  studyInstanceUid: string;
  patientId: string;
  studyDate: string | null;
  description: string;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
}

export interface SeriesRow {
  id: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  description: string;
  instanceCount: number;
}

export interface InstanceRow {
  id: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  frames: number;
  storageKey: string;
  metadata: Record<string, unknown>;
}

export interface StudyFilter {
  studyInstanceUid?: string | undefined;
  patientId?: string | undefined;
  /** DICOM date or range: 20240101, 20240101-20241231, -20241231, 20240101- */
  studyDate?: string | undefined;
  modality?: string | undefined;
  limit: number;
  offset: number;
}

// The only code that queries the imaging tables.
export class ImagesRepository {
  constructor(private readonly em: EntityManager) {}

  async studies(projectId: string, f: StudyFilter): Promise<StudyRow[]> {
    const params: unknown[] = [projectId];
    const where = ["st.project_id = $1"];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace("?", `$${params.length}`));
    };
    if (f.studyInstanceUid) add("st.study_instance_uid = ?", f.studyInstanceUid);
    if (f.patientId) add("st.patient_id = ?", f.patientId);
    if (f.modality) add("EXISTS (SELECT 1 FROM series m WHERE m.study_id = st.id AND m.modality = ?)", f.modality);
    if (f.studyDate) {
      const [from, to] = f.studyDate.includes("-") ? f.studyDate.split("-") : [f.studyDate, f.studyDate];
      if (from) add("st.study_date >= ?", from);
      if (to) add("st.study_date <= ?", to);
    }
    params.push(f.limit, f.offset);
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT st.id, st.study_instance_uid, st.patient_id, st.study_date, st.description,
              coalesce(array_agg(DISTINCT se.modality) FILTER (WHERE se.modality <> ''), '{}') AS modalities,
              count(DISTINCT se.id)::int AS series_count, count(i.id)::int AS instance_count
         FROM studies st
         LEFT JOIN series se ON se.study_id = st.id
         LEFT JOIN instances i ON i.series_id = se.id
        WHERE ${where.join(" AND ")}
        GROUP BY st.id
        ORDER BY st.created_at, st.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id as string,
      studyInstanceUid: r.study_instance_uid as string,
      patientId: r.patient_id as string,
      studyDate: r.study_date as string | null,
      description: r.description as string,
      modalities: r.modalities as string[],
      seriesCount: r.series_count as number,
      instanceCount: r.instance_count as number,
    }));
  }

  async series(projectId: string, studyInstanceUid: string | undefined, seriesInstanceUid: string | undefined, limit: number, offset: number): Promise<SeriesRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT se.id, st.study_instance_uid, se.series_instance_uid, se.modality, se.series_number, se.description,
              count(i.id)::int AS instance_count
         FROM series se JOIN studies st ON st.id = se.study_id
         LEFT JOIN instances i ON i.series_id = se.id
        WHERE se.project_id = $1 AND ($2::text IS NULL OR st.study_instance_uid = $2) AND ($3::text IS NULL OR se.series_instance_uid = $3)
        GROUP BY se.id, st.study_instance_uid
        ORDER BY se.series_number NULLS LAST, se.created_at, se.id
        LIMIT $4 OFFSET $5`,
      [projectId, studyInstanceUid ?? null, seriesInstanceUid ?? null, limit, offset],
    );
    return rows.map((r) => ({
      id: r.id as string,
      studyInstanceUid: r.study_instance_uid as string,
      seriesInstanceUid: r.series_instance_uid as string,
      modality: r.modality as string,
      seriesNumber: r.series_number as number | null,
      description: r.description as string,
      instanceCount: r.instance_count as number,
    }));
  }

  async instances(
    projectId: string,
    where: { studyInstanceUid?: string | undefined; seriesInstanceUid?: string | undefined; sopInstanceUid?: string | undefined },
    limit: number,
    offset: number,
  ): Promise<InstanceRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.id, st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,
              i.instance_number, i.rows, i.columns, i.frames, i.storage_key, i.metadata
         FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id
        WHERE i.project_id = $1
          AND ($2::text IS NULL OR st.study_instance_uid = $2)
          AND ($3::text IS NULL OR se.series_instance_uid = $3)
          AND ($4::text IS NULL OR i.sop_instance_uid = $4)
        ORDER BY se.series_number NULLS LAST, se.id, i.instance_number NULLS LAST, i.created_at, i.id
        LIMIT $5 OFFSET $6`,
      [projectId, where.studyInstanceUid ?? null, where.seriesInstanceUid ?? null, where.sopInstanceUid ?? null, limit, offset],
    );
    return rows.map(toInstanceRow);
  }

  async instancesById(projectId: string, ids: string[]): Promise<InstanceRow[]> {
    if (!ids.length) return [];
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT i.id, st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,
              i.instance_number, i.rows, i.columns, i.frames, i.storage_key, i.metadata
         FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id
        WHERE i.project_id = $1 AND i.id = ANY($2::uuid[])`,
      [projectId, ids],
    );
    return rows.map(toInstanceRow);
  }

  findInstanceByUid(projectId: string, sopInstanceUid: string): Promise<InstanceEntity | null> {
    return this.em.findOneBy(InstanceEntity, { projectId, sopInstanceUid });
  }

  /** Finds or creates the study and series rows an instance belongs to (under the project lock). */
  async upsertStudy(data: Omit<StudyEntity, "id" | "createdAt">): Promise<StudyEntity> {
    const existing = await this.em.findOneBy(StudyEntity, { projectId: data.projectId, studyInstanceUid: data.studyInstanceUid });
    return existing ?? this.em.save(this.em.create(StudyEntity, data));
  }

  async upsertSeries(data: Omit<SeriesEntity, "id" | "createdAt">): Promise<SeriesEntity> {
    const existing = await this.em.findOneBy(SeriesEntity, { projectId: data.projectId, seriesInstanceUid: data.seriesInstanceUid });
    return existing ?? this.em.save(this.em.create(SeriesEntity, data));
  }

  insertInstance(data: Omit<InstanceEntity, "id" | "createdAt">): Promise<InstanceEntity> {
    return this.em.save(this.em.create(InstanceEntity, data));
  }

  async caseKeyTaken(projectId: string, key: string): Promise<boolean> {
    return (await this.em.countBy(CaseEntity, { projectId, key })) > 0;
  }

  insertCase(data: Omit<CaseEntity, "id" | "createdAt" | "report">): Promise<CaseEntity> {
    return this.em.save(this.em.create(CaseEntity, { ...data, report: null }));
  }

  insertBatch(projectId: string, createdBy: string | null, source: UploadSource, total: number): Promise<UploadBatchEntity> {
    return this.em.save(this.em.create(UploadBatchEntity, { projectId, createdBy, source, status: "RUNNING", total, stored: 0, refused: 0, finishedAt: null }));
  }

  async recordResult(batchId: string, position: number, fileName: string, status: UploadResultStatus, message: string | null, instanceId: string | null): Promise<void> {
    await this.em.insert(UploadResultEntity, { batchId, position, fileName, status, message, instanceId });
    const column = status === "REFUSED" ? "refused" : status === "IGNORED" ? null : "stored";
    if (column) await this.em.query(`UPDATE upload_batches SET ${column} = ${column} + 1 WHERE id = $1`, [batchId]);
  }

  async finishBatch(batchId: string): Promise<UploadBatchEntity> {
    await this.em.query(`UPDATE upload_batches SET status = 'DONE', finished_at = now() WHERE id = $1`, [batchId]);
    return (await this.em.findOneBy(UploadBatchEntity, { id: batchId }))!;
  }

  findBatch(batchId: string): Promise<UploadBatchEntity | null> {
    return this.em.findOneBy(UploadBatchEntity, { id: batchId });
  }

  /** A project's upload batches, newest first. */
  batches(projectId: string, limit: number): Promise<UploadBatchEntity[]> {
    return this.em.find(UploadBatchEntity, { where: { projectId }, order: { createdAt: "DESC", id: "DESC" }, take: limit });
  }

  results(batchId: string): Promise<UploadResultEntity[]> {
    return this.em.find(UploadResultEntity, { where: { batchId }, order: { position: "ASC" } });
  }

  async projectKey(projectId: string, create: () => Buffer): Promise<Buffer> {
    await this.em.query(`INSERT INTO project_secrets (project_id, deid_key) VALUES ($1, $2) ON CONFLICT (project_id) DO NOTHING`, [projectId, create()]);
    const [row] = await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId]);
    return row.deid_key as Buffer;
  }
}

function toInstanceRow(r: Record<string, unknown>): InstanceRow {
  return {
    id: r.id as string,
    studyInstanceUid: r.study_instance_uid as string,
    seriesInstanceUid: r.series_instance_uid as string,
    sopInstanceUid: r.sop_instance_uid as string,
    sopClassUid: r.sop_class_uid as string,
    transferSyntaxUid: r.transfer_syntax_uid as string,
    instanceNumber: r.instance_number as number | null,
    rows: r.rows as number | null,
    columns: r.columns as number | null,
    frames: r.frames as number,
    storageKey: r.storage_key as string,
    metadata: r.metadata as Record<string, unknown>,
  };
}
