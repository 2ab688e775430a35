import type { EntityManager } from "typeorm";
import { caseIncluded } from "../cases/exclusions.js";
import type { RoiShape } from "../projects/projects.entity.js";
import type { LabelMetrics } from "./train.js";
import { caseHoldsInstance, caseImageOrder } from "../cases/case-images.js";
import type { CaseSplit, SplitSettings } from "../cases/splits.js";
import { CasesRepository } from "../cases/cases.repository.js";
import { consensusValues } from "../review/stats/groups.js";

export type ModelTask = "binary" | "multilabel" | "regression" | "segmentation";
export type ModelVersionStatus = "VALIDATING" | "READY" | "REFUSED";
export type ModelSource = "UPLOADED" | "TRAINED";

export interface ModelRow {
  id: string;
  projectId: string;
  name: string;
  task: ModelTask;
  createdBy: string | null;
  createdAt: Date;
}

export interface ModelVersionRow {
  id: string;
  modelId: string;
  projectId: string;
  modelName: string;
  version: number;
  sha256: string;
  bytes: number;
  metadata: unknown;
  status: ModelVersionStatus;
  refusal: string | null;
  metrics: LabelMetrics[] | null;
  source: ModelSource;
  createdBy: string | null;
  createdAt: Date;
  readyAt: Date | null;
  /** Trained versions: the dataset split it learnt from TRAIN by (null before splits: 30 % of cases held out by a hash of the case id). */
  heldOutSplit: SplitSettings | null;
}

/**
 * One output of a prediction, naming the image and frame where it is highest: a classifier's heatmap
 * was made there, a segmentation label covers most of it (none when found nowhere, and for
 * predictions stored before images were named).
 */
export interface PredictionOutputRow {
  label: string;
  value: number;
  sopInstanceUid?: string;
  frame?: number;
}

/**
 * A model's outputs on each image and frame of a case of several, and how they became the case's:
 * a classifier's max or mean; a segmentation model's share of each image's pixels per label, the
 * case's being the share of all its pixels ("share").
 */
export interface PredictionSlices {
  aggregate: "max" | "mean" | "share";
  /** In the viewer's order: images by instance number then UID, frames in order. */
  images: Array<{ sopInstanceUid: string; frame: number }>;
  /** Per image, the outputs in label order. */
  values: number[][];
}

export interface PredictionRow {
  id: string;
  projectId: string;
  caseId: string;
  modelVersionId: string;
  outputs: PredictionOutputRow[];
  method: "cam" | "occlusion" | "none";
  heatmapWidth: number;
  heatmapHeight: number;
  /** Null for a case of one image (and frame). */
  slices: PredictionSlices | null;
  createdAt: Date;
}

/** One region a segmentation model suggests: an outline on one frame of one image of the case. */
export interface PredictedRegion {
  label: string;
  sopInstanceUid: string;
  /** 1-based. */
  frame: number;
  /** Closed outline in image pixel coordinates (first point not repeated). */
  points: Array<[number, number]>;
  pixels: number;
}

/** What a segmentation prediction keeps beside its outputs. */
export interface PredictedRegions {
  regions: PredictedRegion[];
  /** What was left out and why, said plainly. */
  notes: string[];
  /**
   * The share of the model's output where it hesitates between two classes, on the case's most
   * hesitant image (segment.ts hesitantShare): the reading queue's "most uncertain first" order.
   * Absent in predictions stored before it was kept.
   */
  hesitant?: number;
}

const MODEL_COLUMNS = `id, project_id, name, task, created_by, created_at`;
const modelOf = (r: Record<string, unknown>): ModelRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  name: r.name as string,
  task: r.task as ModelTask,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: r.created_at as Date,
});

const VERSION_COLUMNS = `v.id, v.model_id, v.project_id, m.name AS model_name, v.version, v.sha256, octet_length(v.onnx) AS bytes, v.metadata, v.status, v.refusal, v.metrics, v.source, v.created_by, v.created_at, v.ready_at, v.held_out_split`;
const versionOf = (r: Record<string, unknown>): ModelVersionRow => ({
  id: r.id as string,
  modelId: r.model_id as string,
  projectId: r.project_id as string,
  modelName: r.model_name as string,
  version: Number(r.version),
  sha256: r.sha256 as string,
  bytes: Number(r.bytes),
  metadata: r.metadata,
  status: r.status as ModelVersionStatus,
  refusal: (r.refusal as string | null) ?? null,
  metrics: (r.metrics as LabelMetrics[] | null) ?? null,
  source: r.source as ModelSource,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: r.created_at as Date,
  readyAt: (r.ready_at as Date | null) ?? null,
  heldOutSplit: (r.held_out_split as SplitSettings | null) ?? null,
});

const PREDICTION_COLUMNS = `id, project_id, case_id, model_version_id, outputs, method, heatmap_width, heatmap_height, slices, created_at`;
const predictionOf = (r: Record<string, unknown>): PredictionRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  caseId: r.case_id as string,
  modelVersionId: r.model_version_id as string,
  outputs: r.outputs as PredictionRow["outputs"],
  method: r.method as PredictionRow["method"],
  heatmapWidth: Number(r.heatmap_width),
  heatmapHeight: Number(r.heatmap_height),
  slices: (r.slices as PredictionSlices | null) ?? null,
  createdAt: r.created_at as Date,
});

/** A reader's latest submitted reading of a case, and one of its ROIs (null: it has none). */
export interface ReaderRoiRow {
  caseId: string;
  readerId: string;
  roi: { classId: string; kind: RoiShape; points: Array<[number, number]>; sopInstanceUid: string; frame: number } | null;
}

export interface ConsensusVoteRow {
  caseId: string;
  label: string;
  readers: number;
  positive: number;
  /** The label's group (name) and whether it is required; null for a label in none. */
  group: string | null;
  groupRequired: boolean | null;
}

// The only code that queries the model registry and predictions.
export class AiRepository {
  constructor(private readonly em: EntityManager) {}

  /** The project's model of this name, created when new (its task fixed by the first version). */
  async ensureModel(projectId: string, name: string, task: ModelTask, createdBy: string | null): Promise<ModelRow> {
    const [r] = await this.em.query(
      `INSERT INTO models (project_id, name, task, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING ${MODEL_COLUMNS}`,
      [projectId, name, task, createdBy],
    );
    return modelOf(r);
  }

  /** A new version, numbered after the model's last; the model row is locked so numbers never collide. */
  async insertVersion(v: {
    modelId: string;
    projectId: string;
    onnx: Uint8Array;
    sha256: string;
    metadata: unknown;
    status: ModelVersionStatus;
    metrics: LabelMetrics[] | null;
    source: ModelSource;
    createdBy: string | null;
    trainJob?: string | null;
    /** The dataset split a training learnt from TRAIN by. */
    heldOutSplit?: SplitSettings | null;
  }): Promise<ModelVersionRow> {
    await this.em.query(`SELECT 1 FROM models WHERE id = $1 FOR UPDATE`, [v.modelId]);
    const [r] = await this.em.query(
      `INSERT INTO model_versions (model_id, project_id, version, onnx, sha256, metadata, status, metrics, source, created_by, train_job, held_out_split, ready_at)
       SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5::jsonb, $6::text, $7::jsonb, $8, $9, $10, $11::jsonb, CASE WHEN $6::text = 'READY' THEN now() END
         FROM model_versions WHERE model_id = $1
       RETURNING id`,
      [
        v.modelId, v.projectId, Buffer.from(v.onnx.buffer, v.onnx.byteOffset, v.onnx.byteLength), v.sha256, JSON.stringify(v.metadata), v.status,
        v.metrics ? JSON.stringify(v.metrics) : null, v.source, v.createdBy, v.trainJob ?? null, v.heldOutSplit ? JSON.stringify(v.heldOutSplit) : null,
      ],
    );
    return (await this.version(r.id as string))!;
  }

  async models(projectId: string): Promise<ModelRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(`SELECT ${MODEL_COLUMNS} FROM models WHERE project_id = $1 ORDER BY name, id`, [projectId]);
    return rows.map(modelOf);
  }

  async model(id: string): Promise<ModelRow | null> {
    const [r] = await this.em.query(`SELECT ${MODEL_COLUMNS} FROM models WHERE id = $1`, [id]);
    return r ? modelOf(r) : null;
  }

  async versionsOf(modelIds: string[]): Promise<ModelVersionRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ANY($1::uuid[]) ORDER BY v.model_id, v.version DESC`,
      [modelIds],
    );
    return rows.map(versionOf);
  }

  async version(id: string): Promise<ModelVersionRow | null> {
    const [r] = await this.em.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.id = $1`, [id]);
    return r ? versionOf(r) : null;
  }

  async versionOfTrainJob(trainJob: string): Promise<ModelVersionRow | null> {
    const [r] = await this.em.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.train_job = $1`, [trainJob]);
    return r ? versionOf(r) : null;
  }

  async onnx(id: string): Promise<Buffer | null> {
    const [r] = await this.em.query(`SELECT onnx FROM model_versions WHERE id = $1`, [id]);
    return (r?.onnx as Buffer | undefined) ?? null;
  }

  /** VALIDATING becomes READY (with the metadata as parsed) or REFUSED; null when it already left VALIDATING. */
  async settle(id: string, outcome: { status: "READY"; metadata: unknown } | { status: "REFUSED"; refusal: string }): Promise<ModelVersionRow | null> {
    const [rows] = (await this.em.query(
      outcome.status === "READY"
        ? `UPDATE model_versions SET status = 'READY', metadata = $2::jsonb, ready_at = now() WHERE id = $1 AND status = 'VALIDATING' RETURNING id`
        : `UPDATE model_versions SET status = 'REFUSED', refusal = $2 WHERE id = $1 AND status = 'VALIDATING' RETURNING id`,
      [id, outcome.status === "READY" ? JSON.stringify(outcome.metadata) : outcome.refusal],
    )) as [Array<{ id: string }>, number];
    return rows[0] ? this.version(id) : null;
  }

  async upsertPrediction(p: {
    projectId: string;
    caseId: string;
    modelVersionId: string;
    outputs: PredictionRow["outputs"];
    method: PredictionRow["method"];
    width: number;
    height: number;
    heatmaps: Uint8Array | null;
    regions?: PredictedRegions | null;
    slices?: PredictionSlices | null;
  }): Promise<PredictionRow> {
    const json = (v: unknown) => (v ? JSON.stringify(v) : null);
    const [r] = await this.em.query(
      `INSERT INTO predictions (project_id, case_id, model_version_id, outputs, method, heatmap_width, heatmap_height, heatmaps, regions, slices)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
       ON CONFLICT (case_id, model_version_id) DO UPDATE SET outputs = EXCLUDED.outputs, method = EXCLUDED.method,
         heatmap_width = EXCLUDED.heatmap_width, heatmap_height = EXCLUDED.heatmap_height, heatmaps = EXCLUDED.heatmaps,
         regions = EXCLUDED.regions, slices = EXCLUDED.slices, created_at = now()
       RETURNING ${PREDICTION_COLUMNS}`,
      [p.projectId, p.caseId, p.modelVersionId, JSON.stringify(p.outputs), p.method, p.width, p.height, p.heatmaps ? Buffer.from(p.heatmaps) : null, json(p.regions), json(p.slices)],
    );
    return predictionOf(r);
  }

  async prediction(caseId: string, modelVersionId: string): Promise<PredictionRow | null> {
    const [r] = await this.em.query(`SELECT ${PREDICTION_COLUMNS} FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [caseId, modelVersionId]);
    return r ? predictionOf(r) : null;
  }

  async predictions(caseId: string): Promise<PredictionRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT p.id, p.project_id, p.case_id, p.model_version_id, p.outputs, p.method, p.heatmap_width, p.heatmap_height, p.slices, p.created_at
         FROM predictions p JOIN model_versions v ON v.id = p.model_version_id WHERE p.case_id = $1 ORDER BY v.created_at DESC, p.id`,
      [caseId],
    );
    return rows.map(predictionOf);
  }

  async heatmaps(caseId: string, modelVersionId: string): Promise<Buffer | null> {
    const [r] = await this.em.query(`SELECT heatmaps FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [caseId, modelVersionId]);
    return (r?.heatmaps as Buffer | null | undefined) ?? null;
  }

  /** A segmentation prediction's regions; null when the case has no such prediction from that version. */
  async regions(caseId: string, modelVersionId: string): Promise<PredictedRegions | null> {
    const [r] = await this.em.query(`SELECT regions FROM predictions WHERE case_id = $1 AND model_version_id = $2`, [caseId, modelVersionId]);
    return (r?.regions as PredictedRegions | null | undefined) ?? null;
  }

  /** The project's live ROI classes (labels of kind ROI, not archived), in the order readers see them. */
  async roiClasses(projectId: string): Promise<Array<{ id: string; name: string; shape: string | null }>> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT id, name, roi_shape FROM label_definitions WHERE project_id = $1 AND kind = 'ROI' AND archived_at IS NULL ORDER BY position, created_at, id`,
      [projectId],
    );
    return rows.map((r) => ({ id: r.id as string, name: r.name as string, shape: (r.roi_shape as string | null) ?? null }));
  }

  /** The case's project, or null. */
  async caseProject(caseId: string): Promise<string | null> {
    const [r] = await this.em.query(`SELECT project_id FROM cases WHERE id = $1`, [caseId]);
    return (r?.project_id as string | undefined) ?? null;
  }

  /** Case ids of the project in id order, a page after `after`; cases excluded from the project left out (a model run over the project skips them). */
  async caseIds(projectId: string, after: string | null, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT c.id FROM cases c WHERE c.project_id = $1 AND ($2::uuid IS NULL OR c.id > $2) AND ${caseIncluded("c.id")} ORDER BY c.id LIMIT $3`,
      [projectId, after, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Whether the case is still there (deleteCases may take it while a model runs on it). */
  async caseExists(caseId: string): Promise<boolean> {
    return (await this.em.query(`SELECT 1 FROM cases WHERE id = $1`, [caseId])).length > 0;
  }

  /** How many cases of the project caseIds pages through (those not excluded). */
  async caseCount(projectId: string): Promise<number> {
    const [r] = await this.em.query(`SELECT count(*)::int AS total FROM cases c WHERE c.project_id = $1 AND ${caseIncluded("c.id")}`, [projectId]);
    return Number(r.total);
  }

  /**
   * Every instance of the case, in the order the viewer stacks them (case-images.ts); with
   * `modalities` (upper case), only those of series of these modalities.
   */
  async caseInstances(caseId: string, modalities: string[] | null = null): Promise<{ projectId: string; instanceIds: string[] } | null> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT c.project_id, i.id FROM cases c JOIN instances i ON ${caseHoldsInstance("c", "i")} JOIN series se ON se.id = i.series_id
        WHERE c.id = $1 AND ($2::text[] IS NULL OR upper(se.modality) = ANY($2::text[])) ORDER BY ${caseImageOrder("se", "i")}`,
      [caseId, modalities],
    );
    return rows.length ? { projectId: rows[0]!.project_id as string, instanceIds: rows.map((r) => r.id as string) } : null;
  }

  /** The project's split settings and the split of each of its cases: a training learns from TRAIN and is measured on the rest. */
  async caseSplits(projectId: string): Promise<{ settings: SplitSettings; splits: Map<string, CaseSplit> }> {
    const cases = new CasesRepository(this.em);
    return { settings: await cases.splitSettings(projectId), splits: await cases.caseSplits(projectId, false) };
  }

  /** The project's classification labels, in the order readers see them. */
  async classificationLabels(projectId: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.em.query(
      `SELECT name FROM label_definitions WHERE project_id = $1 AND kind = 'CLASSIFICATION' ORDER BY position, created_at, id`,
      [projectId],
    );
    return rows.map((r) => r.name);
  }

  /** The current adjudication of each case and classification label: a reviewer's answer, which stands for the readers' vote (cases excluded from the project left out). */
  async adjudicatedLabels(projectId: string): Promise<Array<{ caseId: string; label: string; value: boolean }>> {
    const rows: Array<{ case_id: string; name: string; value: boolean }> = await this.em.query(
      `SELECT a.case_id, d.name, a.value FROM adjudications a JOIN label_definitions d ON d.id = a.label_id AND d.kind = 'CLASSIFICATION'
        WHERE a.project_id = $1 AND ${caseIncluded("a.case_id")} ORDER BY a.case_id, d.name`,
      [projectId],
    );
    return rows.map((r) => ({ caseId: r.case_id, label: r.name, value: r.value }));
  }

  /**
   * Every reader's latest submitted reading of each case with its ROIs: one row per ROI, and one
   * row with a null class for a reading that has none (a reader who saw nothing to draw). Cases
   * excluded from the project are left out: a model learns nothing from them.
   */
  async readerRois(projectId: string): Promise<ReaderRoiRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH latest AS (
         SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id, a.reader_id FROM annotations a
          WHERE a.project_id = $1 AND a.status = 'SUBMITTED' AND ${caseIncluded("a.case_id")} ORDER BY a.case_id, a.reader_id, a.version DESC)
       SELECT l.case_id, l.reader_id, r.class_id, r.kind, r.points, r.sop_instance_uid, r.frame
         FROM latest l LEFT JOIN rois r ON r.annotation_id = l.id
        ORDER BY l.case_id, l.reader_id, r.position`,
      [projectId],
    );
    return rows.map((r) => ({
      caseId: r.case_id as string,
      readerId: r.reader_id as string,
      roi:
        r.class_id === null
          ? null
          : { classId: r.class_id as string, kind: r.kind as RoiShape, points: r.points as Array<[number, number]>, sopInstanceUid: r.sop_instance_uid as string, frame: Number(r.frame) },
    }));
  }

  /**
   * Each case's consensus per classification label, what a model learns and is measured on: a
   * reviewer's adjudication where there is one, else the majority of the latest submissions (a label
   * group's labels take the group's answer: consensusValues); ties and unread cases left out, as are
   * cases excluded from the project. `adjudicated`: how many of the labels came from an adjudication.
   */
  async consensusLabels(projectId: string): Promise<{ byCase: Map<string, Record<string, boolean>>; adjudicated: number }> {
    const byCase = new Map<string, Record<string, boolean>>();
    const set = (caseId: string, label: string, value: boolean) => {
      const labels = byCase.get(caseId) ?? {};
      labels[label] = value;
      byCase.set(caseId, labels);
    };
    const votes = await this.consensusVotes(projectId);
    const truths = consensusValues(votes.map((v) => ({ ...v, caseKey: v.caseId, adjudicated: false })));
    votes.forEach((v, i) => {
      if (truths[i] !== null) set(v.caseId, v.label, truths[i]!);
    });
    // Where a reviewer adjudicated, their answer is the case's label (a tie included).
    const adjudications = await this.adjudicatedLabels(projectId);
    for (const a of adjudications) set(a.caseId, a.label, a.value);
    return { byCase, adjudicated: adjudications.length };
  }

  /** Per case and classification label: readers of the latest submissions, and how many said yes (cases excluded from the project left out). */
  async consensusVotes(projectId: string): Promise<ConsensusVoteRow[]> {
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `WITH latest AS (
         SELECT DISTINCT ON (a.case_id, a.reader_id) a.id, a.case_id FROM annotations a
          WHERE a.project_id = $1 AND a.status = 'SUBMITTED' AND ${caseIncluded("a.case_id")} ORDER BY a.case_id, a.reader_id, a.version DESC)
       SELECT l.case_id, d.name, g.name AS group_name, g.required AS group_required, count(*)::int AS readers, count(*) FILTER (WHERE v.value)::int AS positive
         FROM latest l JOIN label_values v ON v.annotation_id = l.id JOIN label_definitions d ON d.id = v.label_id AND d.kind = 'CLASSIFICATION'
         LEFT JOIN label_groups g ON g.id = d.group_id
        GROUP BY l.case_id, d.name, g.name, g.required ORDER BY l.case_id, d.name`,
      [projectId],
    );
    return rows.map((r) => ({
      caseId: r.case_id as string,
      label: r.name as string,
      readers: Number(r.readers),
      positive: Number(r.positive),
      group: (r.group_name as string | null) ?? null,
      groupRequired: (r.group_required as boolean | null) ?? null,
    }));
  }
}
