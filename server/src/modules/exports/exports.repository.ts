import type { EntityManager } from "typeorm";
import type { SourceImage, SourceGeometry } from "./dicom/types.js";
import type { PredictionRow } from "../ai/ai.repository.js";
import type { RoiShape } from "../projects/projects.entity.js";
import { IMAGE_SPACING_SQL, spacingOf } from "../images/spacing.js";
import { caseIncluded } from "../cases/exclusions.js";
import { inTrainSql, splitSql, type CaseSplit, type SplitSettings } from "../cases/splits.js";
import { CasesRepository } from "../cases/cases.repository.js";
import { learntFrom } from "../ai/holdout.js";
import { consensusValues } from "../review/stats/groups.js";
import { caseHoldsInstance, caseImageOrder } from "../cases/case-images.js";

export type ExportStatus = "QUEUED" | "RUNNING" | "DONE" | "FAILED";
export type ExportScope = "ALL_READERS" | "READER" | "CONSENSUS";

export interface ExportJobRow {
  id: string;
  projectId: string;
  requestedBy: string | null;
  format: string;
  scope: ExportScope;
  readerId: string | null;
  allVersions: boolean;
  status: ExportStatus;
  progress: number;
  items: number | null;
  bytes: number | null;
  sha256: string | null;
  fileName: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

const COLUMNS = `id, project_id, requested_by, format, scope, reader_id, all_versions, status, progress, items, bytes, sha256, file_name, error, created_at, finished_at, expires_at`;

const rowOf = (r: Record<string, unknown>): ExportJobRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  requestedBy: (r.requested_by as string | null) ?? null,
  format: r.format as string,
  scope: r.scope as ExportScope,
  readerId: (r.reader_id as string | null) ?? null,
  allVersions: r.all_versions as boolean,
  status: r.status as ExportStatus,
  progress: Number(r.progress),
  items: r.items == null ? null : Number(r.items),
  bytes: r.bytes == null ? null : Number(r.bytes),
  sha256: (r.sha256 as string | null) ?? null,
  fileName: (r.file_name as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  createdAt: r.created_at as Date,
  finishedAt: (r.finished_at as Date | null) ?? null,
  expiresAt: (r.expires_at as Date | null) ?? null,
});

// The only code that queries the database for export jobs.
export class ExportsRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(j: { projectId: string; requestedBy: string; format: string; scope: ExportScope; readerId: string | null; allVersions: boolean }): Promise<ExportJobRow> {
    const [r] = await this.em.query(
      `INSERT INTO export_jobs (project_id, requested_by, format, scope, reader_id, all_versions) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [j.projectId, j.requestedBy, j.format, j.scope, j.readerId, j.allVersions],
    );
    return rowOf(r);
  }

  async get(id: string): Promise<ExportJobRow | null> {
    const [r] = await this.em.query(`SELECT ${COLUMNS} FROM export_jobs WHERE id = $1`, [id]);
    return r ? rowOf(r) : null;
  }

  async list(projectId: string, limit: number): Promise<ExportJobRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT ${COLUMNS} FROM export_jobs WHERE project_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [projectId, limit]);
    return rows.map(rowOf);
  }

  /** QUEUED or RUNNING (a retry) becomes RUNNING; null when the job is already done or gone. */
  async start(id: string): Promise<ExportJobRow | null> {
    const [r] = await this.em.query(
      `UPDATE export_jobs SET status = 'RUNNING', progress = 0, error = NULL WHERE id = $1 AND status IN ('QUEUED', 'RUNNING', 'FAILED') RETURNING ${COLUMNS}`,
      [id],
    );
    return r?.[0] ? rowOf(r[0]) : null;
  }

  async setProgress(id: string, percent: number): Promise<void> {
    await this.em.query(`UPDATE export_jobs SET progress = $2 WHERE id = $1 AND status = 'RUNNING'`, [id, percent]);
  }

  async finish(id: string, f: { items: number; bytes: number; sha256: string; fileName: string; keepForMs: number }): Promise<ExportJobRow> {
    const [r] = await this.em.query(
      `UPDATE export_jobs SET status = 'DONE', progress = 100, items = $2, bytes = $3, sha256 = $4, file_name = $5, finished_at = now(),
              expires_at = now() + ($6::bigint * interval '1 millisecond')
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, f.items, f.bytes, f.sha256, f.fileName, f.keepForMs],
    );
    return rowOf(r[0]);
  }

  /** How many cases were ever deleted from the project (deleteCases): an export compares it at its start and its end. */
  async deletionCount(projectId: string): Promise<number> {
    const [r] = await this.em.query(`SELECT count(*)::int AS n FROM case_deletions WHERE project_id = $1`, [projectId]);
    return r.n as number;
  }

  async fail(id: string, message: string): Promise<ExportJobRow | null> {
    const [r] = await this.em.query(`UPDATE export_jobs SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status <> 'DONE' RETURNING ${COLUMNS}`, [id, message]);
    return r?.[0] ? rowOf(r[0]) : null;
  }

  /** Finished exports whose file is past keeping: their rows go (the caller deletes the files). */
  async takeExpired(limit: number): Promise<Array<{ id: string; projectId: string; fileName: string | null }>> {
    // UPDATE and DELETE answer [rows, count].
    const [rows]: [Array<Record<string, unknown>>, number] = await this.em.query(
      `DELETE FROM export_jobs WHERE id IN (SELECT id FROM export_jobs WHERE expires_at < now() ORDER BY expires_at LIMIT $1) RETURNING id, project_id, file_name`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id as string, projectId: r.project_id as string, fileName: (r.file_name as string | null) ?? null }));
  }

  /** Is this user a reader (has a submitted annotation, or a reading role) in the project? */
  async isProjectReader(projectId: string, userId: string): Promise<boolean> {
    const rows = await this.em.query(
      `SELECT 1 FROM memberships WHERE project_id = $1 AND user_id = $2
       UNION ALL SELECT 1 FROM annotations WHERE project_id = $1 AND reader_id = $2 LIMIT 1`,
      [projectId, userId],
    );
    return rows.length > 0;
  }
}

export interface ConsensusLabelRow {
  caseKey: string;
  labelId: string;
  label: string;
  /** The label group's name, when the label is in one, and whether it is required. */
  group: string | null;
  groupRequired: boolean | null;
  /** Votes the consensus counts: readers' latest submissions, or 1 when a reviewer adjudicated the cell. */
  readers: number;
  /** Of those, true: so majority(readers, positive) is the adjudicated value wherever there is one. */
  positive: number;
  /** The reviewer's adjudicated value (review mode), or null. */
  adjudicated: boolean | null;
  /** The consensus: the majority of `readers` (so the decision where adjudicated), or for a label group's labels the group's answer (consensusValues); null undecided. */
  value: boolean | null;
}

export interface CaseImageRow {
  caseKey: string;
  sopInstanceUid: string;
  rows: number | null;
  columns: number | null;
  /** The case's dataset split. */
  split: CaseSplit;
}

export interface LabelRow {
  id: string;
  name: string;
  kind: "CLASSIFICATION" | "ROI";
  /** An ROI class's shape (null for a classification label, or a class from before shapes: areas). */
  roiShape: RoiShape | null;
  /** The label group's name, when the label is in one. */
  group: string | null;
}

// DICOM JSON tags read for DICOM exports (PS3.18 F.2: "Value" arrays; PN values as {Alphabetic}).
const SOURCE_TAGS = {
  study: "0020000D",
  series: "0020000E",
  sopInstance: "00080018",
  sopClass: "00080016",
  frameOfReference: "00200052",
  patientId: "00100020",
  patientName: "00100010",
  studyDate: "00080020",
  accession: "00080050",
  pixelSpacing: "00280030",
  orientation: "00200037",
  position: "00200032",
  sliceThickness: "00180050",
  sharedGroups: "52009229",
  perFrameGroups: "52009230",
  planePosition: "00209113",
  planeOrientation: "00209116",
  pixelMeasures: "00289110",
} as const;

/** SQL: the geometry parts {p, o, s, t} of one functional group (a JSON object of DICOM JSON), each null where absent. */
function groupGeometry(group: string): string {
  const t = SOURCE_TAGS;
  const item = (seq: string) => `${group}->'${seq}'->'Value'->0`;
  return `jsonb_build_object('p', ${item(t.planePosition)}->'${t.position}'->'Value', 'o', ${item(t.planeOrientation)}->'${t.orientation}'->'Value',
    's', ${item(t.pixelMeasures)}->'${t.pixelSpacing}'->'Value', 't', ${item(t.pixelMeasures)}->'${t.sliceThickness}'->'Value'->0)`;
}

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const nums = (v: unknown, n: number) => (Array.isArray(v) && v.length === n && v.every((x) => x !== null && x !== "" && Number.isFinite(Number(x))) ? v.map(Number) : null);

/** Patient-space geometry when every part of it is there (a Secondary Capture has none). */
function geometryFrom(parts: { spacing: unknown; orientation: unknown; position: unknown; thickness: unknown }): SourceGeometry | null {
  const spacing = nums(parts.spacing, 2);
  const orientation = nums(parts.orientation, 6);
  const position = nums(parts.position, 3);
  if (!spacing || !orientation || !position) return null;
  return {
    pixelSpacing: spacing as [number, number],
    imageOrientationPatient: orientation as SourceGeometry["imageOrientationPatient"],
    imagePositionPatient: position as [number, number, number],
    ...(parts.thickness != null && parts.thickness !== "" && Number.isFinite(Number(parts.thickness)) ? { sliceThickness: Number(parts.thickness) } : {}),
  };
}

/** One functional group's geometry parts, as caseSources selects them: {p, o, s, t}. */
type GroupGeometry = { p?: unknown; o?: unknown; s?: unknown; t?: unknown } | null;

/**
 * Each frame's geometry from an enhanced image's functional groups: the frame's own Plane Position,
 * Plane Orientation and Pixel Measures, each part falling back to the shared groups'. Null when
 * the image has no per-frame groups (then its image-level geometry holds for every frame).
 */
function frameGeometryOf(shared: GroupGeometry, perFrame: unknown): Array<SourceGeometry | null> | null {
  if (!Array.isArray(perFrame) || perFrame.length === 0) return null;
  const s = shared ?? {};
  return (perFrame as GroupGeometry[]).map((g) => {
    const f = g ?? {};
    return geometryFrom({ position: f.p ?? s.p, orientation: f.o ?? s.o, spacing: f.s ?? s.s, thickness: f.t ?? s.t });
  });
}

function sourceOf(r: Record<string, unknown>): SourceImage {
  const source: SourceImage = {
    studyInstanceUid: text(r.study) ?? "",
    seriesInstanceUid: text(r.series) ?? "",
    sopInstanceUid: r.sop_instance_uid as string,
    sopClassUid: r.sop_class_uid as string,
    rows: Number(r.rows ?? 0),
    columns: Number(r.columns ?? 0),
    frames: Math.max(1, Number(r.frames ?? 1) || 1),
    storageKey: r.storage_key as string,
    patient: { id: text(r.patient_id) ?? "", name: text(r.patient_name) ?? "" },
  };
  if (text(r.study_date)) source.studyDate = text(r.study_date)!;
  if (text(r.accession)) source.accession = text(r.accession)!;
  // As the review measures a distance: a line's length in the SR is the one its agreement reports.
  const spacing = spacingOf(r.spacing);
  if (spacing) source.spacing = spacing;
  if (text(r.frame_of_reference)) {
    source.frameOfReferenceUid = text(r.frame_of_reference)!;
    const geometry = geometryFrom({ spacing: r.pixel_spacing, orientation: r.orientation, position: r.position, thickness: r.slice_thickness });
    if (geometry) source.geometry = geometry;
    const frames = (source.frames ?? 1) > 1 ? frameGeometryOf(r.shared_geometry as GroupGeometry, r.frame_geometry) : null;
    if (frames) source.frameGeometry = frames;
  }
  return source;
}

/** A stored prediction as the predictions CSV reads it: its outputs and slices as the AI module stores them. */
export type ExportPrediction = Pick<PredictionRow, "modelVersionId" | "outputs" | "slices" | "createdAt"> & {
  caseKey: string;
  modelName: string;
  version: number;
  task: string;
  /** The case's dataset split now. */
  split: CaseSplit;
  /** Whether the version learnt from the case (holdout.ts learntFrom); null for a version not trained here. */
  learnt: boolean | null;
};

// Reads for exports from other domains' tables (cases, images, annotations), paged by case key.
// Cases a manager excluded from the project are in no export: the reads of a project's cases,
// consensus and predictions leave them out (readers' annotations come through AnnotationsService's
// export snapshot and the consensus layer through CollabService, which leave them out as well).
export class ExportReads {
  constructor(private readonly em: EntityManager) {}

  /** How many of the project's cases are excluded from it: what an export's notes say it left out. */
  async excludedCases(projectId: string): Promise<number> {
    const [r] = await this.em.query(`SELECT count(*)::int AS n FROM cases c WHERE c.project_id = $1 AND NOT (${caseIncluded("c.id")})`, [projectId]);
    return Number(r?.n ?? 0);
  }

  async labels(projectId: string): Promise<LabelRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT l.id, l.name, l.kind, l.roi_shape, g.name AS group_name
         FROM label_definitions l LEFT JOIN label_groups g ON g.id = l.group_id
        WHERE l.project_id = $1 ORDER BY l.kind, l.position, l.created_at, l.id`,
      [projectId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      kind: r.kind as LabelRow["kind"],
      roiShape: (r.roi_shape as RoiShape | null) ?? null,
      group: (r.group_name as string | null) ?? null,
    }));
  }

  /** Majority vote inputs: per case not excluded (a page after `afterKey`) and label, readers' latest submissions counted, or the adjudicated value. */
  async consensusLabels(projectId: string, afterKey: string | null, cases: number): Promise<ConsensusLabelRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH page AS (
         SELECT DISTINCT c.id, c.key FROM cases c JOIN annotations a ON a.case_id = c.id AND a.status = 'SUBMITTED'
          WHERE c.project_id = $1 AND ($2::text IS NULL OR c.key > $2) AND ${caseIncluded("c.id")} ORDER BY c.key LIMIT $3),
       latest AS (
         SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id FROM annotations a JOIN page p ON p.id = a.case_id
          WHERE a.status = 'SUBMITTED' ORDER BY a.case_id, a.reader_id, a.version DESC)
       SELECT p.key, d.id AS label_id, d.name, g.name AS group_name, g.required AS group_required, adj.value AS adjudicated,
              CASE WHEN adj.value IS NULL THEN count(*) ELSE 1 END::int AS readers,
              CASE WHEN adj.value IS NULL THEN count(*) FILTER (WHERE v.value) ELSE adj.value::int END::int AS positive
         FROM latest l JOIN page p ON p.id = l.case_id
         JOIN label_values v ON v.annotation_id = l.id JOIN label_definitions d ON d.id = v.label_id
         LEFT JOIN label_groups g ON g.id = d.group_id
         -- An adjudicated value (review mode) overrides the majority.
         LEFT JOIN adjudications adj ON adj.case_id = p.id AND adj.label_id = d.id
        GROUP BY p.key, d.id, d.name, g.name, g.required, d.position, d.created_at, adj.value ORDER BY p.key, d.position, d.created_at, d.id`,
      [projectId, afterKey, cases],
    );
    const out = rows.map((r) => ({
      caseKey: r.key as string,
      labelId: r.label_id as string,
      label: r.name as string,
      group: (r.group_name as string | null) ?? null,
      groupRequired: (r.group_required as boolean | null) ?? null,
      readers: Number(r.readers),
      positive: Number(r.positive),
      adjudicated: (r.adjudicated as boolean | null) ?? null,
      value: null as boolean | null,
    }));
    // Each case's rows are all in the page (it pages by case), as a label group's answer needs.
    consensusValues(out.map((r) => ({ ...r, adjudicated: r.adjudicated !== null }))).forEach((v, n) => (out[n]!.value = v));
    return out;
  }

  /** The images of the project's cases not excluded from it (a series case: each of its instances), in (case key, SOP instance UID) order. */
  async caseImages(projectId: string, after: { key: string; sop: string } | null, limit: number): Promise<CaseImageRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT c.key, i.sop_instance_uid, i.rows, i.columns, ${splitSql("c", "st", "p")} AS split
         FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")} JOIN studies st ON st.id = c.study_id JOIN projects p ON p.id = c.project_id
        WHERE c.project_id = $1 AND ($2::text IS NULL OR (c.key, i.sop_instance_uid) > ($2::text, $3::text)) AND ${caseIncluded("c.id")}
        ORDER BY c.key, i.sop_instance_uid LIMIT $4`,
      [projectId, after?.key ?? null, after?.sop ?? null, limit],
    );
    return rows.map((r) => ({ caseKey: r.key as string, sopInstanceUid: r.sop_instance_uid as string, rows: r.rows == null ? null : Number(r.rows), columns: r.columns == null ? null : Number(r.columns), split: r.split as CaseSplit }));
  }

  /** The dataset split of each of the project's cases named by key. */
  async caseSplits(projectId: string, keys: string[]): Promise<Map<string, CaseSplit>> {
    const rows: Array<{ key: string; split: CaseSplit }> = await this.em.query(
      `SELECT c.key, ${splitSql("c", "st", "p")} AS split
         FROM cases c JOIN studies st ON st.id = c.study_id JOIN projects p ON p.id = c.project_id
        WHERE c.project_id = $1 AND c.key = ANY($2::text[])`,
      [projectId, keys],
    );
    return new Map(rows.map((r) => [r.key, r.split]));
  }

  /** The project's dataset split settings. */
  datasetSplit(projectId: string): Promise<SplitSettings> {
    return new CasesRepository(this.em).splitSettings(projectId);
  }

  /** The SOP instance UID of each case's first image (the default image of an ROI without one). */
  async caseDefaultImages(projectId: string, keys: string[]): Promise<Map<string, string>> {
    const rows: Array<{ key: string; sop: string }> = await this.em.query(
      `SELECT DISTINCT ON (c.key) c.key, i.sop_instance_uid AS sop
         FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")} JOIN series se ON se.id = i.series_id
        WHERE c.project_id = $1 AND c.key = ANY($2::text[]) ORDER BY c.key, ${caseImageOrder("se", "i")}`,
      [projectId, keys],
    );
    return new Map(rows.map((r) => [r.key, r.sop]));
  }
  /**
   * The images of the given cases, each case's in reading order (a study's series in turn, each by
   * instance number: case-images.ts), with what the DICOM writers need from the stored metadata (only those tags are read).
   */
  async caseSources(projectId: string, keys: string[]): Promise<Map<string, SourceImage[]>> {
    const t = SOURCE_TAGS;
    const value = (tag: string) => `i.metadata->'${tag}'->'Value'`;
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT c.key, i.sop_instance_uid, i.sop_class_uid, i.rows, i.columns, i.frames, i.storage_key,
              ${value(t.study)}->>0 AS study, ${value(t.series)}->>0 AS series, ${value(t.frameOfReference)}->>0 AS frame_of_reference,
              ${value(t.patientId)}->>0 AS patient_id, ${value(t.patientName)}->0->>'Alphabetic' AS patient_name,
              ${value(t.studyDate)}->>0 AS study_date, ${value(t.accession)}->>0 AS accession,
              ${value(t.pixelSpacing)} AS pixel_spacing, ${value(t.orientation)} AS orientation, ${value(t.position)} AS position,
              ${value(t.sliceThickness)}->>0 AS slice_thickness,
              ${IMAGE_SPACING_SQL} AS spacing,
              ${groupGeometry(`i.metadata->'${t.sharedGroups}'->'Value'->0`)} AS shared_geometry,
              (SELECT jsonb_agg(${groupGeometry("g")} ORDER BY n)
                 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${value(t.perFrameGroups)}) = 'array' THEN ${value(t.perFrameGroups)} ELSE '[]'::jsonb END)
                      WITH ORDINALITY AS f(g, n)) AS frame_geometry
         FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")} JOIN series se ON se.id = i.series_id
        WHERE c.project_id = $1 AND c.key = ANY($2::text[])
        ORDER BY c.key, ${caseImageOrder("se", "i")}`,
      [projectId, keys],
    );
    const out = new Map<string, SourceImage[]>();
    for (const r of rows) {
      const key = r.key as string;
      const list = out.get(key);
      if (list) list.push(sourceOf(r));
      else out.set(key, [sourceOf(r)]);
    }
    return out;
  }

  /** How many predictions the project's models have stored (on cases not excluded). */
  async predictionCount(projectId: string): Promise<number> {
    const [r] = await this.em.query(`SELECT count(*)::int AS n FROM predictions p WHERE p.project_id = $1 AND ${caseIncluded("p.case_id")}`, [projectId]);
    return Number(r?.n ?? 0);
  }

  /** A page of the project's stored predictions (cases excluded left out) in (case key, model name, version) order, after `after`. */
  async predictions(projectId: string, after: { caseKey: string; modelName: string; version: number } | null, limit: number): Promise<ExportPrediction[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT c.id AS case_id, c.key, m.name, v.version, v.id AS version_id, m.task, p.outputs, p.slices, p.created_at, v.source,
              ${splitSql("c", "st", "pr")} AS split,
              CASE WHEN v.held_out_split IS NOT NULL THEN ${inTrainSql("c", "st", "(v.held_out_split->>'groupBy')", "(v.held_out_split->>'trainPercent')::int")} END AS in_train
         FROM predictions p JOIN cases c ON c.id = p.case_id JOIN studies st ON st.id = c.study_id JOIN projects pr ON pr.id = c.project_id
         JOIN model_versions v ON v.id = p.model_version_id JOIN models m ON m.id = v.model_id
        WHERE p.project_id = $1 AND ($2::text IS NULL OR (c.key, m.name, v.version) > ($2::text, $3::text, $4::int)) AND ${caseIncluded("p.case_id")}
        ORDER BY c.key, m.name, v.version LIMIT $5`,
      [projectId, after?.caseKey ?? null, after?.modelName ?? null, after?.version ?? null, limit],
    );
    return rows.map((r) => ({
      caseKey: r.key as string,
      modelName: r.name as string,
      version: Number(r.version),
      modelVersionId: r.version_id as string,
      task: r.task as string,
      outputs: r.outputs as ExportPrediction["outputs"],
      slices: (r.slices as ExportPrediction["slices"]) ?? null,
      createdAt: r.created_at as Date,
      split: r.split as CaseSplit,
      learnt: learntFrom(r.source === "TRAINED", (r.in_train as boolean | null) ?? null, r.case_id as string),
    }));
  }

  /** Every model version of the project as a SEG names the algorithm behind a segment: "<model> v<version>". */
  async modelVersionNames(projectId: string): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string; version: number }> = await this.em.query(
      `SELECT v.id, m.name, v.version FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.project_id = $1`,
      [projectId],
    );
    return new Map(rows.map((r) => [r.id, `${r.name} v${r.version}`]));
  }

  /** Users' display names (not patient data: a reader's name on their reports). */
  async userNames(ids: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.em.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async projectName(projectId: string): Promise<string> {
    const [row] = (await this.em.query(`SELECT name FROM projects WHERE id = $1`, [projectId])) as Array<{ name: string }>;
    return row?.name ?? "";
  }
}
