import type { EntityManager } from "typeorm";
import type { CaseIdentifierKind } from "../cases/case-keys.js";
import type { CaseKeySource, CaseUnit } from "../projects/projects.entity.js";
import { CaseEntity, InstanceEntity, SeriesEntity, StudyEntity, UploadBatchEntity, UploadResultEntity, type UploadResultStatus, type UploadSource } from "./images.entity.js";

/** What ingest needs to know of a project. */
export interface IngestSettings {
  projectKey: Buffer;
  retainDates: boolean;
  caseUnit: CaseUnit;
  caseKeySource: CaseKeySource;
  /** What the project's case key mapping maps from; null without one. */
  mapping: CaseIdentifierKind | null;
}

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
  projectId: string;
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
      `SELECT i.id, i.project_id, st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,
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
      `SELECT i.id, i.project_id, st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,
              i.instance_number, i.rows, i.columns, i.frames, i.storage_key, i.metadata
         FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id
        WHERE i.project_id = $1 AND i.id = ANY($2::uuid[])`,
      [projectId, ids],
    );
    return rows.map(toInstanceRow);
  }

  /** One statement (save() would wrap it in a transaction of its own). */
  /** A new batch; with `id`, under that id, or null when a batch already has it. */
  async insertBatch(projectId: string, createdBy: string | null, source: UploadSource, total: number, id?: string): Promise<UploadBatchEntity | null> {
    const [r] = (await this.em.query(
      `INSERT INTO upload_batches (id, project_id, created_by, source, status, total)
       VALUES (coalesce($5::uuid, gen_random_uuid()), $1, $2, $3, 'RUNNING', $4)
       ON CONFLICT (id) DO NOTHING RETURNING ${BATCH_COLUMNS}`,
      [projectId, createdBy, source, total, id ?? null],
    )) as Array<Record<string, unknown>>;
    return r ? toBatch(r) : null;
  }

  async finishBatch(batchId: string): Promise<UploadBatchEntity> {
    const [rows] = (await this.em.query(`UPDATE upload_batches SET status = 'DONE', finished_at = now() WHERE id = $1 RETURNING ${BATCH_COLUMNS}`, [batchId])) as [
      Array<Record<string, unknown>>,
      number,
    ];
    return toBatch(rows[0]!);
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

  // ---- ingest in groups: one statement per table for a group of files, under the project's ingest lock

  /** The instances of a project with these SOP Instance UIDs. */
  async instancesByUid(projectId: string, sopInstanceUids: string[]): Promise<Array<{ id: string; sopInstanceUid: string; storageKey: string }>> {
    if (!sopInstanceUids.length) return [];
    const rows: Array<Record<string, string>> = await this.em.query(
      `SELECT id, sop_instance_uid, storage_key FROM instances WHERE project_id = $1 AND sop_instance_uid = ANY($2::text[])`,
      [projectId, sopInstanceUids],
    );
    return rows.map((r) => ({ id: r.id!, sopInstanceUid: r.sop_instance_uid!, storageKey: r.storage_key! }));
  }

  /**
   * Finds or creates study rows (an existing row is kept as it is), by Study Instance UID. Rows
   * made together get created_at in their given order, so listings keep upload order.
   */
  async ensureStudies(projectId: string, studies: Array<Pick<StudyEntity, "studyInstanceUid" | "patientId" | "studyDate" | "description">>): Promise<Map<string, string>> {
    if (!studies.length) return new Map();
    const rows: Array<{ id: string; uid: string }> = await this.em.query(
      `WITH given AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(ord int, study_instance_uid text, patient_id text, study_date text, description text)
       ), made AS (
         INSERT INTO studies (project_id, study_instance_uid, patient_id, study_date, description, created_at)
         SELECT $1, study_instance_uid, patient_id, study_date, description, now() + ord * interval '1 microsecond' FROM given ORDER BY ord
         ON CONFLICT (project_id, study_instance_uid) DO NOTHING
         RETURNING id, study_instance_uid AS uid
       )
       SELECT id, uid FROM made
       UNION ALL
       SELECT id, study_instance_uid FROM studies WHERE project_id = $1 AND study_instance_uid IN (SELECT study_instance_uid FROM given)`,
      [projectId, JSON.stringify(studies.map((s, ord) => ({ ord, study_instance_uid: s.studyInstanceUid, patient_id: s.patientId, study_date: s.studyDate, description: s.description })))],
    );
    return new Map(rows.map((r) => [r.uid, r.id]));
  }

  /** Finds or creates series rows, as ensureStudies does for studies. */
  async ensureSeries(
    projectId: string,
    series: Array<Pick<SeriesEntity, "studyId" | "seriesInstanceUid" | "modality" | "seriesNumber" | "description">>,
  ): Promise<Map<string, string>> {
    if (!series.length) return new Map();
    const rows: Array<{ id: string; uid: string }> = await this.em.query(
      `WITH given AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(ord int, study_id uuid, series_instance_uid text, modality text, series_number int, description text)
       ), made AS (
         INSERT INTO series (project_id, study_id, series_instance_uid, modality, series_number, description, created_at)
         SELECT $1, study_id, series_instance_uid, modality, series_number, description, now() + ord * interval '1 microsecond' FROM given ORDER BY ord
         ON CONFLICT (project_id, series_instance_uid) DO NOTHING
         RETURNING id, series_instance_uid AS uid
       )
       SELECT id, uid FROM made
       UNION ALL
       SELECT id, series_instance_uid FROM series WHERE project_id = $1 AND series_instance_uid IN (SELECT series_instance_uid FROM given)`,
      [
        projectId,
        JSON.stringify(
          series.map((s, ord) => ({ ord, study_id: s.studyId, series_instance_uid: s.seriesInstanceUid, modality: s.modality, series_number: s.seriesNumber, description: s.description })),
        ),
      ],
    );
    return new Map(rows.map((r) => [r.uid, r.id]));
  }

  /** Inserts instance rows in the given order; returns their ids by SOP Instance UID. */
  async insertInstances(rows: Array<Omit<InstanceEntity, "id" | "createdAt">>): Promise<Map<string, string>> {
    if (!rows.length) return new Map();
    const made: Array<{ id: string; sop_instance_uid: string }> = await this.em.query(
      `INSERT INTO instances (project_id, series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, instance_number, rows, columns, frames,
                              storage_key, size_bytes, sha256, metadata, created_at)
       SELECT project_id, series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, instance_number, rows, columns, frames,
              storage_key, size_bytes, sha256, metadata, now() + ord * interval '1 microsecond'
         FROM jsonb_to_recordset($1::jsonb) AS x(ord int, project_id uuid, series_id uuid, sop_instance_uid text, sop_class_uid text, transfer_syntax_uid text,
              instance_number int, rows int, columns int, frames int, storage_key text, size_bytes bigint, sha256 text, metadata jsonb)
        ORDER BY ord
       RETURNING id, sop_instance_uid`,
      [
        JSON.stringify(
          rows.map((r, ord) => ({
            ord,
            project_id: r.projectId,
            series_id: r.seriesId,
            sop_instance_uid: r.sopInstanceUid,
            sop_class_uid: r.sopClassUid,
            transfer_syntax_uid: r.transferSyntaxUid,
            instance_number: r.instanceNumber,
            rows: r.rows,
            columns: r.columns,
            frames: r.frames,
            storage_key: r.storageKey,
            size_bytes: r.sizeBytes,
            sha256: r.sha256,
            metadata: r.metadata,
          })),
        ),
      ],
    );
    return new Map(made.map((r) => [r.sop_instance_uid, r.id]));
  }

  /** The project's case keys that are one of `bases` or `${base}-<n>`, for picking free ones. */
  async caseKeysLike(projectId: string, bases: string[]): Promise<Set<string>> {
    if (!bases.length) return new Set();
    const rows: Array<{ key: string }> = await this.em.query(
      `SELECT c.key FROM cases c, unnest($2::text[]) AS b(base)
        WHERE c.project_id = $1 AND (c.key = b.base OR (starts_with(c.key, b.base || '-') AND substr(c.key, length(b.base) + 2) ~ '^[0-9]+$'))`,
      [projectId, bases],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * Inserts cases in the given order (created_at follows it: the case list keeps upload order),
   * skipping those whose key the project already uses; returns the keys that went in.
   */
  async insertCases(rows: Array<Omit<CaseEntity, "id" | "createdAt" | "report"> & { ord: number }>): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const made: Array<{ key: string }> = await this.em.query(
      `INSERT INTO cases (project_id, key, study_id, series_id, instance_id, created_at)
       SELECT project_id, key, study_id, series_id, instance_id, now() + ord * interval '1 microsecond'
         FROM jsonb_to_recordset($1::jsonb) AS x(ord int, project_id uuid, key text, study_id uuid, series_id uuid, instance_id uuid)
        ORDER BY ord
       ON CONFLICT (project_id, key) DO NOTHING
       RETURNING key`,
      [JSON.stringify(rows.map((r) => ({ ord: r.ord, project_id: r.projectId, key: r.key, study_id: r.studyId, series_id: r.seriesId, instance_id: r.instanceId })))],
    );
    return new Set(made.map((r) => r.key));
  }

  /** Records results of several files and counts them into the batch, in one statement. */
  async recordResults(
    batchId: string,
    results: Array<{ position: number; fileName: string; status: UploadResultStatus; message: string | null; instanceId: string | null }>,
  ): Promise<void> {
    if (!results.length) return;
    const refused = results.filter((r) => r.status === "REFUSED").length;
    const stored = results.filter((r) => r.status === "STORED" || r.status === "DUPLICATE").length;
    await this.em.query(
      `WITH made AS (
         INSERT INTO upload_results (batch_id, position, file_name, status, message, instance_id)
         SELECT $1, position, file_name, status, message, instance_id
           FROM jsonb_to_recordset($2::jsonb) AS x(position int, file_name text, status text, message text, instance_id uuid)
       )
       UPDATE upload_batches SET stored = stored + $3, refused = refused + $4 WHERE id = $1`,
      [
        batchId,
        JSON.stringify(results.map((r) => ({ position: r.position, file_name: r.fileName, status: r.status, message: r.message, instance_id: r.instanceId }))),
        stored,
        refused,
      ],
    );
  }

  /** What ingest needs of a project's settings: its de-identification key (made on first use) and the dates option. */
  async ingestSettings(projectId: string, create: () => Buffer): Promise<IngestSettings> {
    const [row] = await this.em.query(
      `SELECT p.deid_retain_dates, p.case_unit, p.case_key_source, s.deid_key, m.identifier AS mapping
         FROM projects p LEFT JOIN project_secrets s ON s.project_id = p.id LEFT JOIN case_key_mappings m ON m.project_id = p.id
        WHERE p.id = $1`,
      [projectId],
    );
    const projectKey = (row?.deid_key as Buffer | null) ?? (await this.projectKey(projectId, create));
    return {
      projectKey,
      retainDates: !!row?.deid_retain_dates,
      caseUnit: (row?.case_unit as CaseUnit | undefined) ?? "IMAGE",
      caseKeySource: (row?.case_key_source as CaseKeySource | undefined) ?? "FILE_NAME",
      mapping: (row?.mapping as CaseIdentifierKind | null | undefined) ?? null,
    };
  }

  /** The case keys a project's mapping gives the identifiers with these digests. */
  async mappedKeys(projectId: string, digests: Buffer[]): Promise<Map<string, string>> {
    if (!digests.length) return new Map();
    const rows: Array<{ digest: Buffer; case_key: string }> = await this.em.query(
      `SELECT digest, case_key FROM case_key_map_entries WHERE project_id = $1 AND digest = ANY($2::bytea[])`,
      [projectId, digests],
    );
    return new Map(rows.map((r) => [r.digest.toString("hex"), r.case_key]));
  }

  /** The series (of these) that already have a series case. */
  async seriesWithCases(seriesIds: string[]): Promise<Set<string>> {
    if (!seriesIds.length) return new Set();
    const rows: Array<{ series_id: string }> = await this.em.query(
      `SELECT series_id FROM cases WHERE series_id = ANY($1::uuid[]) AND instance_id IS NULL`,
      [seriesIds],
    );
    return new Set(rows.map((r) => r.series_id));
  }

  private async projectKey(projectId: string, create: () => Buffer): Promise<Buffer> {
    // Made once per project: after the first upload, one read.
    const [known] = await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId]);
    if (known) return known.deid_key as Buffer;
    await this.em.query(`INSERT INTO project_secrets (project_id, deid_key) VALUES ($1, $2) ON CONFLICT (project_id) DO NOTHING`, [projectId, create()]);
    const [row] = await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId]);
    return row.deid_key as Buffer;
  }
}

const BATCH_COLUMNS = "id, project_id, created_by, source, status, total, stored, refused, created_at, finished_at";

function toBatch(r: Record<string, unknown>): UploadBatchEntity {
  return Object.assign(new UploadBatchEntity(), {
    id: r.id as string,
    projectId: r.project_id as string,
    createdBy: r.created_by as string | null,
    source: r.source as UploadSource,
    status: r.status as UploadBatchEntity["status"],
    total: r.total as number,
    stored: r.stored as number,
    refused: r.refused as number,
    createdAt: r.created_at as Date,
    finishedAt: r.finished_at as Date | null,
  });
}

function toInstanceRow(r: Record<string, unknown>): InstanceRow {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
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
