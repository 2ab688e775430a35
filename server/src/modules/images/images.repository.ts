import type { DataSource, EntityManager } from "typeorm";
import type { CaseIdentifierKind } from "../cases/case-keys.js";
import type { CaseKeySource, CaseUnit } from "../projects/projects.entity.js";
import { preparedQuery } from "../../platform/database/prepared.js";
import { toStoreRow, type ExternalStoreRow } from "./store.repository.js";
import { InstanceEntity, SeriesEntity, StudyEntity, UploadBatchEntity, UploadResultEntity, type UploadResultStatus, type UploadSource } from "./images.entity.js";

/** What ingest needs to know of a project. */
export interface IngestSettings {
  projectKey: Buffer;
  retainDates: boolean;
  caseUnit: CaseUnit;
  caseKeySource: CaseKeySource;
  /** What the project's case key mapping maps from; null without one. */
  mapping: CaseIdentifierKind | null;
  /** The project's external store; null when it uses the local store. */
  store: ExternalStoreRow | null;
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

/**
 * Runs fn in a transaction that holds the project's ingest lock, which serialises ingest per
 * project (not the project row, which settings edits lock) so study, series and case rows are made
 * once. BEGIN and the lock go in one round trip: a simple query, so the project id (a UUID,
 * checked) is written into it rather than bound.
 */
export async function inIngestTransaction<T>(dataSource: DataSource, projectId: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  if (!UUID.test(projectId)) throw new Error(`not a project id: ${JSON.stringify(projectId)}`);
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as { query(text: string): Promise<unknown> };
  try {
    let result: T;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('ingest:${projectId.toLowerCase()}'))`);
      result = await fn(runner.manager);
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
    await client.query("COMMIT");
    return result;
  } finally {
    await runner.release();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    const rows: Array<Record<string, string>> = await preparedQuery(
      this.em,
      "ingest-known",
      `SELECT i.id, i.sop_instance_uid, i.storage_key FROM jsonb_array_elements_text($2::jsonb) AS u(uid) CROSS JOIN LATERAL (${BY_UID("instances", "sop_instance_uid", "u.uid", "id, sop_instance_uid, storage_key")}) i`,
      [projectId, JSON.stringify(sopInstanceUids)],
    );
    return rows.map((r) => ({ id: r.id!, sopInstanceUid: r.sop_instance_uid!, storageKey: r.storage_key! }));
  }

  /**
   * What indexing groups must know, read under the ingest lock in one statement: which of these
   * instances the project already has, which of these series (studies) already have a series
   * (study) case, and the
   * project's case keys that are one of `bases` (one per image to name) or `${base}-<n>`. The
   * numbered keys are read only for a base in use or given more than once: a base used once that
   * is free is the image's key whatever numbered keys exist, and this spares reading every case of
   * the project (the index on the key finds the rest).
   */
  async ingestState(
    projectId: string,
    sopInstanceUids: string[],
    bases: string[],
    seriesInstanceUids: string[],
    studyInstanceUids: string[],
  ): Promise<{
    instances: Map<string, { id: string; storageKey: string }>;
    takenKeys: Set<string>;
    seriesWithCases: Set<string>;
    studiesWithCases: Set<string>;
    /** Of these SOP Instance UIDs, those deleted from the project to stay out (deleted_instances): when and why. */
    keptOut: Map<string, { deletedOn: string; reason: string }>;
  }> {
    const rows: Array<{ kind: "i" | "k" | "s" | "t" | "w"; id: string | null; a: string; b: string | null }> = await preparedQuery(
      this.em,
      "ingest-state",
      `WITH taken AS (
         SELECT c.key FROM jsonb_array_elements_text($3::jsonb) AS g(base) CROSS JOIN LATERAL (${BY_UID("cases", "key", "g.base", "key")}) c
       )
       SELECT 'i' AS kind, i.id::text AS id, i.sop_instance_uid AS a, i.storage_key AS b
         FROM jsonb_array_elements_text($2::jsonb) AS u(uid) CROSS JOIN LATERAL (${BY_UID("instances", "sop_instance_uid", "u.uid", "id, sop_instance_uid, storage_key")}) i
       UNION ALL
       SELECT 'k', NULL, key, NULL FROM taken
       UNION ALL
       SELECT 'k', NULL, n.key, NULL FROM jsonb_array_elements_text($3::jsonb) AS g(base)
        CROSS JOIN LATERAL (
          SELECT c.key FROM cases c
           WHERE c.project_id = $1 AND starts_with(c.key, g.base || '-') AND substr(c.key, length(g.base) + 2) ~ '^[0-9]+$'
        ) n
        WHERE g.base = ANY($5::text[]) OR g.base IN (SELECT key FROM taken)
       UNION ALL
       SELECT 's', NULL, se.series_instance_uid, NULL
         FROM jsonb_array_elements_text($4::jsonb) AS u(uid) CROSS JOIN LATERAL (${BY_UID("series", "series_instance_uid", "u.uid", "id, series_instance_uid")}) se
         JOIN cases c ON c.series_id = se.id AND c.instance_id IS NULL
       UNION ALL
       SELECT 't', NULL, st.study_instance_uid, NULL
         FROM jsonb_array_elements_text($6::jsonb) AS u(uid) CROSS JOIN LATERAL (${BY_UID("studies", "study_instance_uid", "u.uid", "id, study_instance_uid")}) st
         JOIN cases c ON c.study_id = st.id AND c.series_id IS NULL AND c.instance_id IS NULL
       UNION ALL
       SELECT 'w', to_char(cd.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), d.sop_instance_uid, cd.reason
         FROM jsonb_array_elements_text($2::jsonb) AS u(uid)
         JOIN deleted_instances d ON d.project_id = $1 AND d.sop_instance_uid = u.uid JOIN case_deletions cd ON cd.case_id = d.case_id`,
      [
        projectId,
        JSON.stringify(sopInstanceUids),
        JSON.stringify([...new Set(bases)]),
        JSON.stringify(seriesInstanceUids),
        bases.filter((b, i) => bases.indexOf(b) !== i),
        JSON.stringify(studyInstanceUids),
      ],
    );
    const state = {
      instances: new Map<string, { id: string; storageKey: string }>(),
      takenKeys: new Set<string>(),
      seriesWithCases: new Set<string>(),
      studiesWithCases: new Set<string>(),
      keptOut: new Map<string, { deletedOn: string; reason: string }>(),
    };
    for (const r of rows) {
      if (r.kind === "i") state.instances.set(r.a, { id: r.id!, storageKey: r.b! });
      else if (r.kind === "k") state.takenKeys.add(r.a);
      else if (r.kind === "s") state.seriesWithCases.add(r.a);
      else if (r.kind === "w") state.keptOut.set(r.a, { deletedOn: r.id!, reason: r.b! });
      else state.studiesWithCases.add(r.a);
    }
    return state;
  }

  /**
   * Indexes groups of files in one statement: finds or creates their study and series rows (an
   * existing row is kept as it is), inserts their instances (ids chosen by the caller) and cases
   * (skipping keys the project already uses), records their results and counts them into their
   * batches, marking `finished` ones done. Rows made together get created_at in their given order, so
   * listings keep upload order. Returns how many cases went in, and the batch.
   */
  async indexGroup(
    projectId: string,
    group: {
      studies: Array<Pick<StudyEntity, "studyInstanceUid" | "patientId" | "studyDate" | "description">>;
      series: Array<Pick<SeriesEntity, "seriesInstanceUid" | "modality" | "seriesNumber" | "description"> & { studyInstanceUid: string }>;
      instances: Array<Omit<InstanceEntity, "projectId" | "seriesId" | "studyId" | "createdAt" | "metadata"> & { seriesInstanceUid: string; metadataJson: string }>;
      /** A study case has no series, a series case no instance. */
      cases: Array<{ key: string; studyInstanceUid: string; seriesInstanceUid: string | null; instanceId: string | null }>;
    },
    results: BatchResults,
    finished: ReadonlySet<string>,
  ): Promise<{ cases: number; batches: Map<string, UploadBatchEntity> }> {
    const rows = (await preparedQuery(
      this.em,
      "ingest-index",
      `WITH given_studies AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(ord int, study_instance_uid text, patient_id text, study_date text, description text)
       ), made_studies AS (
         INSERT INTO studies (project_id, study_instance_uid, patient_id, study_date, description, created_at)
         SELECT $1, study_instance_uid, patient_id, study_date, description, now() + ord * interval '1 microsecond' FROM given_studies ORDER BY ord
         ON CONFLICT (project_id, study_instance_uid) DO NOTHING
         RETURNING id, study_instance_uid AS uid
       ), st AS (
         SELECT id, uid FROM made_studies
         UNION ALL
         SELECT s.id, s.study_instance_uid FROM given_studies g CROSS JOIN LATERAL (${BY_UID("studies", "study_instance_uid", "g.study_instance_uid", "id, study_instance_uid")}) s
       ), given_series AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(ord int, study_instance_uid text, series_instance_uid text, modality text, series_number int, description text)
       ), made_series AS (
         INSERT INTO series (project_id, study_id, series_instance_uid, modality, series_number, description, created_at)
         SELECT $1, st.id, g.series_instance_uid, g.modality, g.series_number, g.description, now() + g.ord * interval '1 microsecond'
           FROM given_series g JOIN st ON st.uid = g.study_instance_uid ORDER BY g.ord
         ON CONFLICT (project_id, series_instance_uid) DO NOTHING
         RETURNING id, series_instance_uid AS uid, study_id
       ), se AS (
         SELECT id, uid, study_id FROM made_series
         UNION ALL
         SELECT s.id, s.series_instance_uid, s.study_id FROM given_series g CROSS JOIN LATERAL (${BY_UID("series", "series_instance_uid", "g.series_instance_uid", "id, series_instance_uid, study_id")}) s
       ), made_instances AS (
         INSERT INTO instances (id, project_id, series_id, study_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, instance_number, rows, columns, frames,
                                storage_key, size_bytes, sha256, metadata, created_at)
         SELECT x.id, $1, se.id, se.study_id, x.sop_instance_uid, x.sop_class_uid, x.transfer_syntax_uid, x.instance_number, x.rows, x.columns, x.frames,
                x.storage_key, x.size_bytes, x.sha256, x.metadata, now() + x.ord * interval '1 microsecond'
           FROM jsonb_to_recordset($4::jsonb) AS x(ord int, id uuid, series_instance_uid text, sop_instance_uid text, sop_class_uid text, transfer_syntax_uid text,
                instance_number int, rows int, columns int, frames int, storage_key text, size_bytes bigint, sha256 text, metadata jsonb)
           JOIN se ON se.uid = x.series_instance_uid
          ORDER BY x.ord
       ), made_cases AS (
         INSERT INTO cases (project_id, key, study_id, series_id, instance_id, created_at)
         SELECT $1, x.key, st.id, se.id, x.instance_id, now() + x.ord * interval '1 microsecond'
           FROM jsonb_to_recordset($5::jsonb) AS x(ord int, key text, study_instance_uid text, series_instance_uid text, instance_id uuid)
           JOIN st ON st.uid = x.study_instance_uid LEFT JOIN se ON se.uid = x.series_instance_uid
          ORDER BY x.ord
         ON CONFLICT (project_id, key) DO NOTHING
         RETURNING 1
       ), ${RECORD_RESULTS("$6", "$7")}
       SELECT ${BATCH_COLUMNS}, (SELECT count(*) FROM made_cases)::int AS made_cases FROM batch`,
      [
        projectId,
        JSON.stringify(group.studies.map((s, ord) => ({ ord, study_instance_uid: s.studyInstanceUid, patient_id: s.patientId, study_date: s.studyDate, description: s.description }))),
        JSON.stringify(
          group.series.map((s, ord) => ({
            ord,
            study_instance_uid: s.studyInstanceUid,
            series_instance_uid: s.seriesInstanceUid,
            modality: s.modality,
            series_number: s.seriesNumber,
            description: s.description,
          })),
        ),
        // Each instance's metadata goes in as the JSON text it already is, not parsed and serialised again.
        `[${group.instances
          .map((r, ord) => {
            const row = JSON.stringify({
              ord,
              id: r.id,
              series_instance_uid: r.seriesInstanceUid,
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
            });
            return `${row.slice(0, -1)},"metadata":${r.metadataJson}}`;
          })
          .join(",")}]`,
        JSON.stringify(
          group.cases.map((c, ord) => ({ ord, key: c.key, study_instance_uid: c.studyInstanceUid, series_instance_uid: c.seriesInstanceUid, instance_id: c.instanceId })),
        ),
        ...resultParams(results, finished),
      ],
    )) as Array<Record<string, unknown>>;
    return { cases: (rows[0]?.made_cases as number | undefined) ?? 0, batches: new Map(rows.map((r) => [r.id as string, toBatch(r)])) };
  }

  /** Records results of files and counts them into their batches (marking `finished` ones done), in one statement; returns the batches. */
  async recordResults(results: BatchResults, finished: ReadonlySet<string> = new Set()): Promise<Map<string, UploadBatchEntity>> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`WITH ${RECORD_RESULTS("$1", "$2")} SELECT ${BATCH_COLUMNS} FROM batch`, resultParams(results, finished));
    return new Map(rows.map((r) => [r.id as string, toBatch(r)]));
  }

  /**
   * What ingest needs of a project's settings: its de-identification key (made on first use), the
   * dates option, how cases are made, and its external store.
   */
  async ingestSettings(projectId: string, create: () => Buffer): Promise<IngestSettings> {
    return (await this.startUpload(projectId, create, null)).settings;
  }

  /**
   * The project's ingest settings (ingestSettings) and, in the same statement, a new batch for an
   * upload (insertBatch); no batch when one already has `batch.id`, or when the upload asks for
   * case keys from a mapping the project does not have.
   */
  async startUpload(
    projectId: string,
    create: () => Buffer,
    batch: { createdBy: string | null; source: UploadSource; total: number; id?: string | undefined; caseKeys?: CaseKeySource | undefined } | null,
  ): Promise<{ settings: IngestSettings; batch: UploadBatchEntity | null }> {
    const [row] = await preparedQuery(
      this.em,
      "ingest-start",
      `WITH p AS (
         SELECT p.deid_retain_dates, p.case_unit, p.case_key_source, s.deid_key, m.identifier AS mapping,
                ps.project_id, ps.kind, ps.base_url, ps.auth, ps.username, ps.secret, ps.updated_at
           FROM projects p LEFT JOIN project_secrets s ON s.project_id = p.id LEFT JOIN case_key_mappings m ON m.project_id = p.id
                LEFT JOIN project_stores ps ON ps.project_id = p.id
          WHERE p.id = $1
       ), b AS (
         INSERT INTO upload_batches (id, project_id, created_by, source, status, total)
         SELECT coalesce($5::uuid, gen_random_uuid()), $1, $2, $3, 'RUNNING', $4 FROM p
          WHERE $7::boolean AND (coalesce($6::text, p.case_key_source) <> 'MAPPING' OR p.mapping IS NOT NULL)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${BATCH_COLUMNS}
       )
       SELECT p.*, ${BATCH_COLUMNS.split(", ").map((c) => `b.${c} AS batch_${c}`).join(", ")} FROM p LEFT JOIN b ON true`,
      [projectId, batch?.createdBy ?? null, batch?.source ?? null, batch?.total ?? 0, batch?.id ?? null, batch?.caseKeys ?? null, batch !== null],
    );
    const projectKey = (row?.deid_key as Buffer | null) ?? (await this.projectKey(projectId, create));
    const made = row?.batch_id ? toBatch(Object.fromEntries(BATCH_COLUMNS.split(", ").map((c) => [c, row[`batch_${c}`]]))) : null;
    return {
      settings: {
        projectKey,
        retainDates: !!row?.deid_retain_dates,
        caseUnit: (row?.case_unit as CaseUnit | undefined) ?? "IMAGE",
        caseKeySource: (row?.case_key_source as CaseKeySource | undefined) ?? "FILE_NAME",
        mapping: (row?.mapping as CaseIdentifierKind | null | undefined) ?? null,
        store: row?.project_id ? toStoreRow(row) : null,
      },
      batch: made,
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

  private async projectKey(projectId: string, create: () => Buffer): Promise<Buffer> {
    // Made once per project: after the first upload, one read.
    const [known] = await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId]);
    if (known) return known.deid_key as Buffer;
    await this.em.query(`INSERT INTO project_secrets (project_id, deid_key) VALUES ($1, $2) ON CONFLICT (project_id) DO NOTHING`, [projectId, create()]);
    const [row] = await this.em.query(`SELECT deid_key FROM project_secrets WHERE project_id = $1`, [projectId]);
    return row.deid_key as Buffer;
  }
}

/**
 * The row of a project's `table` whose `column` (unique per project) is `value`: a lateral
 * subquery, one probe of the (project_id, column) unique index per value. Written as `column =
 * ANY($n)` or `IN (...)` in a named statement, what PostgreSQL did depended on the tables' sizes
 * when the statement first ran on a connection: either it planned it again on every run (about as
 * costly as running it), or it kept a generic plan made while the tables were small, which reads
 * all of the project's rows and filters them, until autovacuum next analysed the table. The values
 * come as a JSON array (jsonb_array_elements_text), whose length the planner does not count for
 * either plan: the generic plan is kept, and it probes the index.
 */
const BY_UID = (table: string, column: string, value: string, columns: string) =>
  `SELECT ${columns} FROM ${table} WHERE project_id = $1 AND ${column} = ${value} LIMIT 1`;

const BATCH_COLUMNS = "id, project_id, created_by, source, status, total, stored, refused, created_at, finished_at";

/** Results of files, each with the batch it belongs to. */
export type BatchResults = Array<{ batchId: string; position: number; fileName: string; status: UploadResultStatus; message: string | null; instanceId: string | null }>;

/**
 * CTEs that insert results and count them into their batches (updated rows named `batch`), given
 * the placeholders of resultParams: the results, and per batch its counts and whether it is done.
 */
const RECORD_RESULTS = (results: string, batches: string) =>
  `made_results AS (
     INSERT INTO upload_results (batch_id, position, file_name, status, message, instance_id)
     SELECT batch_id, position, file_name, status, message, instance_id
       FROM jsonb_to_recordset(${results}::jsonb) AS x(batch_id uuid, position int, file_name text, status text, message text, instance_id uuid)
   ), batch AS (
     UPDATE upload_batches b
        SET stored = b.stored + x.stored, refused = b.refused + x.refused,
            status = CASE WHEN x.finish THEN 'DONE' ELSE b.status END, finished_at = CASE WHEN x.finish THEN now() ELSE b.finished_at END
       FROM jsonb_to_recordset(${batches}::jsonb) AS x(id uuid, stored int, refused int, finish boolean)
      WHERE b.id = x.id
      RETURNING ${BATCH_COLUMNS.split(", ").map((c) => `b.${c}`).join(", ")}
   )`;

/** The parameters of RECORD_RESULTS; `finished` lists the batches these results complete. */
function resultParams(results: BatchResults, finished: ReadonlySet<string>): [string, string] {
  const batches = new Map<string, { id: string; stored: number; refused: number; finish: boolean }>();
  for (const id of [...results.map((r) => r.batchId), ...finished]) if (!batches.has(id)) batches.set(id, { id, stored: 0, refused: 0, finish: finished.has(id) });
  for (const r of results) {
    const b = batches.get(r.batchId)!;
    if (r.status === "STORED" || r.status === "DUPLICATE") b.stored++;
    if (r.status === "REFUSED") b.refused++;
  }
  return [
    JSON.stringify(results.map((r) => ({ batch_id: r.batchId, position: r.position, file_name: r.fileName, status: r.status, message: r.message, instance_id: r.instanceId }))),
    JSON.stringify([...batches.values()]),
  ];
}

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
