import { createHash, randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { PNG } from "pngjs";
import { isUuid, requireAccess, type Actor } from "../../access/access.js";
import { followProject } from "../../access/follow.js";
import type { Action } from "../../access/roles.js";
import { AppError, archived, invalid, notFound } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { Bus } from "../../platform/pubsub/bus.js";
import type { Queue } from "../../platform/queue/queue.js";
import { MAX_ROIS, MAX_TOTAL_POINTS } from "../annotations/annotations.service.js";
import type { InstanceRow } from "../images/images.repository.js";
import type { ImagesService } from "../images/images.service.js";
import type { CollabService } from "../collab/collab.service.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { isAreaShape, labelNameKey } from "../projects/projects.entity.js";
import type { AiCompute, InferAnswer, ModelRef, StoredFile } from "./ai.compute.js";
import { AiRepository, type ModelRow, type ModelTask, type ReaderRoiRow, type ModelVersionRow, type PredictedRegion, type PredictedRegions, type PredictionRow, type PredictionSlices } from "./ai.repository.js";
import { renderOverlay } from "./cam.js";
import { modalitiesOf, modalitiesSchema, parseModelMetadata, seriesAggregateOf, type GreyImage, type ModelMetadata } from "./metadata.js";
import { aggregateSlices, evenSample, labelsByImage } from "./series.js";
import type { SplitSettings } from "../cases/splits.js";
import { addPixelSums, meanStdOf, mergePixelSums, type LabelMetrics, type PixelSums, type TrainingCase } from "./train.js";
import {
  cellCaps,
  concatCells,
  DiceTally,
  imageKey,
  readersOnImage,
  readingsByCase,
  SEGMENTER_L2,
  SEGMENTER_SIZE,
  type CellSamples,
} from "./segment-train.js";
import { shoelace } from "../annotations/geometry.js";

/** An inference's end when deleteCases took its case meanwhile. */
export const CASE_DELETED_WHILE_RUNNING = "the case was deleted while the model ran on it; nothing was stored";

/** What a training learns from: the readers' classification labels, or their ROIs. */
export type TrainingSource = "LABELS" | "ROIS";

/** A model a training made, before it is stored. */
interface Trained {
  task: ModelTask;
  bytes: Uint8Array;
  metadata: ModelMetadata;
  metrics: LabelMetrics[];
  /** The dataset split it learnt from TRAIN by; VALIDATION and TEST measured it. */
  heldOutSplit: SplitSettings;
  /** What the job's message says about the data (cases left out, and why). */
  message: string | null;
  log: Record<string, unknown>;
}

/**
 * Why a training has too few cases to learn from in the TRAIN split. A group (a patient, by
 * default) is never on both sides, so a project whose files all carry the same Patient ID holds one patient,
 * all of whose cases are in one split.
 */
export function trainSplitShortfall(split: SplitSettings, inTrain: number, cases: number, needed: number): string {
  const group = split.groupBy === "PATIENT" ? "patient" : split.groupBy === "STUDY" ? "study" : "case";
  const hint = split.groupBy === "CASE" ? "widen TRAIN" : `widen TRAIN, or split by ${split.groupBy === "PATIENT" ? "study or case (files that all carry the same Patient ID are one patient's)" : "case"}`;
  return `only ${inTrain} of the ${cases} cases to learn from ${inTrain === 1 ? "is" : "are"} in the TRAIN split (${split.trainPercent} % of ${group === "study" ? "studies" : `${group}s`}, each ${group}'s cases on one side); training needs ${needed}: ${hint} in the project's Dataset split settings`;
}

/** A segmentation training's unmarked images per case, evenly spread: a series' other slices say what a class is not. */
const UNMARKED_IMAGES_PER_CASE = 4;
/** A class is learnt when readers marked it on at least this many cases. */
const MIN_MARKED_CASES = 3;
/** Who the consensus layer reads as, in a segmentation training. */
const CONSENSUS_READER = "consensus";
/**
 * An ROI class a segmentation model can learn and suggest regions of: one of areas (or of no shape).
 * Point classes (landmarks) and line classes (lengths) enclose no pixels.
 */
const enclosesArea = (c: { shape: string | null }) => c.shape == null || isAreaShape(c.shape);
const NO_AREA_CLASSES = "the project has no ROI classes of areas to learn (point and line classes are not learnt by a segmentation model)";

export const aiChannel = (projectId: string) => `ai:${projectId}`;

/** The largest ONNX file taken through GraphQL (base64 in a 12 MB JSON body). */
/** Through GraphQL (base64 in the JSON body). */
export const MAX_MODEL_BYTES = 8 * 1024 ** 2;
/** Through POST /ai/projects/<id>/models/<name>/versions (the raw ONNX bytes). */
export const MAX_MODEL_UPLOAD_BYTES = 512 * 1024 ** 2;

export type AiJobKind = "VALIDATE" | "INFER" | "INFER_BATCH" | "TRAIN";
export type AiJobStatus = "QUEUED" | "RUNNING" | "DONE" | "FAILED";

/** Why a model made no prediction on a case: it has no image (of the modalities the model reads). */
const noImageMessage = (m: Pick<ModelMetadata, "modalities">): string => {
  const modalities = modalitiesOf(m);
  return modalities ? `the case has no image of the model's modalities (${modalities.join(", ")})` : "the case has no image";
};

/** A job's state as subscribers see it (the bus payload of aiJobUpdates) and as mutations answer it. */
export interface AiJobState {
  jobId: string;
  kind: AiJobKind;
  projectId: string;
  status: AiJobStatus;
  /** 0 to 100. */
  progress: number;
  modelId: string | null;
  modelVersionId: string | null;
  caseId: string | null;
  predictionId: string | null;
  /** A refusal or failure, said plainly. */
  message: string | null;
}

export interface ModelWithVersions extends ModelRow {
  versions: ModelVersionRow[];
}

export interface HeatmapView {
  caseId: string;
  modelVersionId: string;
  label: string;
  /** The image and frame the map was made on; null for predictions stored before they were kept (the case's first image). */
  sopInstanceUid: string | null;
  frame: number | null;
  method: string;
  width: number;
  height: number;
  /** The 8-bit map (0 cold, 255 the map's maximum), row-major, base64. */
  map: string;
  /** The map as a jet-coloured RGBA PNG whose alpha follows the value, as a data URL. */
  pngDataUrl: string;
}

/** A suggested region as the case page takes it: with the project's ROI class of the same name, if any. */
export interface RegionView extends PredictedRegion {
  roiClassId: string | null;
  /** The class's shape: a RECTANGLE class takes a region as its bounding box. */
  roiShape: string | null;
}

export interface RegionsView {
  caseId: string;
  modelVersionId: string;
  regions: RegionView[];
  notes: string[];
  /** The model's labels that name no live ROI class of areas of the project (compared without case or outer spaces), found here or not. */
  unmatchedLabels: string[];
  /** The share of the case's most hesitant image where the model hesitates between two classes (segment.ts hesitantShare); null when not kept. */
  hesitant: number | null;
}

/** Training needs at least this many cases with a consensus label. */
export const MIN_TRAINING_CASES = 10;

/** Images of a case of several decoded for the pixel statistics of a training's normalisation, evenly spread. */
const STATISTICS_SAMPLE = 8;

type InstanceFiles = InstanceRow[];

// AI (issue 6): a registry of ONNX models per project, their validation, inference on cases and
// training from the readers' consensus. The API side only writes rows and enqueues jobs; the
// `ai.*` jobs (workers/src/handlers/ai.*.ts) do the CPU work through AiCompute, which never runs on
// the API's event loop. Model predictions are not another reader's work: blind reading does not
// hide them, but every read needs project.view on the case's project.
export class AiService {
  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly queue: Queue,
    private readonly images: ImagesService,
    private readonly ledger: LedgerService,
    /** The consensus layer's regions: a reviewer's adjudicated ROIs, which training takes over the readers'. */
    private readonly collab: Pick<CollabService, "consensusRois">,
    private readonly compute: AiCompute,
    private readonly log: Logger,
  ) {}

  private repo(em: EntityManager = this.db.dataSource.manager) {
    return new AiRepository(em);
  }

  // ---- API side

  /** Stores an uploaded model as a VALIDATING version and queues its validation. */
  /** `file`: base64 text (GraphQL) or the bytes themselves (the upload route). */
  async register(actor: Actor | null, projectId: string, input: { name: string; metadata: string; file: string | Uint8Array }): Promise<ModelVersionRow> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "models.manage", projectId);
    if (access.archived) throw archived();
    const name = input.name.trim();
    const problems = [];
    if (!name || name.length > 100) problems.push({ field: "name", message: "must be 1 to 100 characters" });
    let metadataValue: unknown;
    try {
      metadataValue = JSON.parse(input.metadata);
    } catch {
      problems.push({ field: "metadata", message: "is not JSON" });
    }
    const raw = typeof input.file !== "string";
    const bytes = raw ? Buffer.from(input.file as Uint8Array) : Buffer.from(input.file as string, "base64");
    const limit = raw ? MAX_MODEL_UPLOAD_BYTES : MAX_MODEL_BYTES;
    if (!bytes.byteLength) problems.push({ field: "file", message: raw ? "is empty" : "is empty (give the ONNX file's bytes in base64)" });
    else if (bytes.byteLength > limit) {
      problems.push({ field: "file", message: `is larger than ${limit} bytes${raw ? "" : ": upload larger models to POST /ai/projects/<id>/models/<name>/versions"}` });
    }
    if (problems.length) throw invalid(problems);
    // The metadata's own shape is checked here (no runtime needed); the model against it in the worker.
    const metadata = parseModelMetadata(metadataValue);
    const version = await this.db.tx(async (em) => {
      const repo = this.repo(em);
      const model = await repo.ensureModel(projectId, name, metadata.task, actor!.userId);
      if (model.task !== metadata.task) throw invalid([{ field: "metadata.task", message: `model '${name}' is ${model.task}; a new version cannot be ${metadata.task}` }]);
      return repo.insertVersion({
        modelId: model.id,
        projectId,
        onnx: bytes,
        sha256: sha256(bytes),
        metadata: metadataValue,
        status: "VALIDATING",
        metrics: null,
        source: "UPLOADED",
        createdBy: actor!.userId,
      });
    });
    const jobId = `validate-${version.id}`;
    await this.queue.enqueue("ai.validateModel", { modelVersionId: version.id }, { jobId, attempts: 2 });
    await this.publish(this.state("VALIDATE", jobId, version.projectId, "QUEUED", { modelId: version.modelId, modelVersionId: version.id }));
    return version;
  }

  async models(actor: Actor | null, projectId: string): Promise<ModelWithVersions[]> {
    await requireAccess(this.db.dataSource.manager, actor, "project.view", projectId);
    const repo = this.repo();
    const models = await repo.models(projectId);
    const versions = await repo.versionsOf(models.map((m) => m.id));
    return models.map((m) => ({ ...m, versions: versions.filter((v) => v.modelId === m.id) }));
  }

  async version(actor: Actor | null, id: string): Promise<ModelVersionRow> {
    const v = isUuid(id) ? await this.repo().version(id) : null;
    if (!v) throw notFound("Model version");
    await this.requireOn(actor, "project.view", v.projectId, "Model version");
    return v;
  }

  /**
   * A version's ONNX file, for taking a model elsewhere (another Concord, a research pipeline):
   * permission models.manage, as registering and training take. With the metadata record
   * registerModel takes, it registers the same model again. Reading the file puts an export leaf
   * on the ledger first.
   */
  async modelFile(actor: Actor | null, id: string): Promise<{ version: ModelVersionRow; onnx: () => Promise<Buffer> }> {
    const v = isUuid(id) ? await this.repo().version(id) : null;
    if (!v) throw notFound("Model version");
    await this.requireOn(actor, "models.manage", v.projectId, "Model version");
    return {
      version: v,
      onnx: async () => {
        const bytes = await this.repo().onnx(v.id);
        if (!bytes) throw notFound("Model version");
        // The export is on the record before a byte leaves.
        await this.db.tx((em) =>
          this.ledger.record(em, {
            type: "export",
            actorId: actor!.userId,
            projectId: v.projectId,
            objectId: v.id,
            change: { format: "onnx", modelId: v.modelId, version: v.version, sha256: v.sha256, bytes: bytes.byteLength },
          }),
        );
        return bytes;
      },
    };
  }

  /** Queues a READY model on one case (job id infer-<case>-<version>); a stored prediction answers at once. */
  async run(actor: Actor | null, caseId: string, modelVersionId: string): Promise<AiJobState> {
    const projectId = await this.caseProject(actor, caseId, "case.annotate");
    const version = await this.readyVersion(projectId, modelVersionId);
    const jobId = inferJobId(caseId, version.id);
    const existing = await this.repo().prediction(caseId, version.id);
    if (existing) return this.state("INFER", jobId, projectId, "DONE", { modelId: version.modelId, modelVersionId: version.id, caseId, predictionId: existing.id, progress: 100 });
    const state = this.state("INFER", jobId, projectId, "QUEUED", { modelId: version.modelId, modelVersionId: version.id, caseId });
    await this.queue.enqueue("ai.infer", { caseId, modelVersionId: version.id }, { jobId, attempts: 2 });
    await this.publish(state);
    return state;
  }

  /** Queues a READY model on every case of its project that has no prediction from it yet. */
  async runOnProject(actor: Actor | null, projectId: string, modelVersionId: string): Promise<AiJobState> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "models.manage", projectId);
    if (access.archived) throw archived();
    const version = await this.readyVersion(projectId, modelVersionId);
    // One batch per version at a time; a later request (new cases) gets a new id after this one ends.
    const jobId = `infer-batch-${version.id}-${randomUUID()}`;
    const state = this.state("INFER_BATCH", jobId, projectId, "QUEUED", { modelId: version.modelId, modelVersionId: version.id });
    await this.queue.enqueue("ai.inferBatch", { projectId, modelVersionId: version.id, jobId }, { jobId, attempts: 2 });
    await this.publish(state);
    return state;
  }

  /**
   * Queues training a model on the project's consensus labels (a classifier) or its readers' ROIs
   * (a segmentation model); it becomes a new READY version of `name`.
   */
  async train(actor: Actor | null, projectId: string, nameIn: string, from: TrainingSource = "LABELS", modalitiesIn: string[] | null = null): Promise<AiJobState> {
    const access = await requireAccess(this.db.dataSource.manager, actor, "models.manage", projectId);
    if (access.archived) throw archived();
    const name = nameIn.trim();
    if (!name || name.length > 100) throw invalid([{ field: "name", message: "must be 1 to 100 characters" }]);
    let modalities: string[] | null = null;
    if (modalitiesIn) {
      const parsed = modalitiesSchema.safeParse(modalitiesIn);
      if (!parsed.success) throw invalid(parsed.error.issues.map((i) => ({ field: ["modalities", ...i.path].join("."), message: i.message })));
      modalities = modalitiesOf({ modalities: parsed.data });
    }
    if (from === "ROIS") {
      if (!(await this.repo().roiClasses(projectId)).some(enclosesArea)) throw invalid([{ field: "from", message: NO_AREA_CLASSES }]);
    } else if (!(await this.repo().classificationLabels(projectId)).length) throw invalid([{ field: "projectId", message: "the project has no classification labels to learn" }]);
    const jobId = `train-${projectId}-${randomUUID()}`;
    const state = this.state("TRAIN", jobId, projectId, "QUEUED", {});
    await this.queue.enqueue("ai.train", { projectId, name, jobId, requestedBy: actor!.userId, from, ...(modalities ? { modalities } : {}) }, { jobId, attempts: 1 });
    await this.publish(state);
    return state;
  }

  /** The case's predictions, newest model version first. */
  async predictions(actor: Actor | null, caseId: string): Promise<Array<PredictionRow & { version: ModelVersionRow }>> {
    await this.caseProject(actor, caseId, "project.view");
    const repo = this.repo();
    const rows = await repo.predictions(caseId);
    const versions = new Map<string, ModelVersionRow>();
    for (const r of rows) if (!versions.has(r.modelVersionId)) versions.set(r.modelVersionId, (await repo.version(r.modelVersionId))!);
    return rows.map((r) => ({ ...r, version: versions.get(r.modelVersionId)! }));
  }

  /** One label's heatmap of a stored prediction; null when the case has no prediction from that version. */
  async heatmap(actor: Actor | null, caseId: string, modelVersionId: string, label: string): Promise<HeatmapView | null> {
    await this.caseProject(actor, caseId, "project.view");
    if (!isUuid(modelVersionId)) return null;
    const repo = this.repo();
    const p = await repo.prediction(caseId, modelVersionId);
    if (!p) return null;
    const k = p.outputs.findIndex((o) => o.label === label);
    if (k < 0) throw invalid([{ field: "label", message: `the model's labels are ${p.outputs.map((o) => `'${o.label}'`).join(", ")}` }]);
    const maps = await repo.heatmaps(caseId, modelVersionId);
    if (!maps || !p.heatmapWidth) return null;
    const n = p.heatmapWidth * p.heatmapHeight;
    const map = maps.subarray(k * n, (k + 1) * n);
    const rgba = renderOverlay({ width: p.heatmapWidth, height: p.heatmapHeight, values: Float32Array.from(map, (v) => v / 255) });
    const png = new PNG({ width: p.heatmapWidth, height: p.heatmapHeight });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    const { sopInstanceUid = null, frame = null } = p.outputs[k]!;
    return {
      caseId,
      modelVersionId,
      label,
      sopInstanceUid,
      frame,
      method: p.method,
      width: p.heatmapWidth,
      height: p.heatmapHeight,
      map: Buffer.from(map).toString("base64"),
      pngDataUrl: `data:image/png;base64,${PNG.sync.write(png).toString("base64")}`,
    };
  }

  /** A segmentation prediction's regions, each with the project's ROI class of areas of its label's name; null when there is none. */
  async regions(actor: Actor | null, caseId: string, modelVersionId: string): Promise<RegionsView | null> {
    const projectId = await this.caseProject(actor, caseId, "project.view");
    if (!isUuid(modelVersionId)) return null;
    const repo = this.repo();
    const stored = await repo.regions(caseId, modelVersionId);
    if (!stored) return null;
    // A region is an area: a point class (landmarks) or a line class (lengths) cannot take it, so its name matches nothing.
    const classes = new Map((await repo.roiClasses(projectId)).filter(enclosesArea).map((c) => [labelNameKey(c.name), c]));
    const regions = stored.regions.map((r) => {
      const c = classes.get(labelNameKey(r.label));
      return { ...r, roiClassId: c?.id ?? null, roiShape: c?.shape ?? null };
    });
    const labels = ((await repo.version(modelVersionId))?.metadata as ModelMetadata | undefined)?.output.labels ?? [];
    return {
      caseId,
      modelVersionId,
      regions,
      notes: stored.notes,
      unmatchedLabels: labels.filter((l) => !classes.has(labelNameKey(l))),
      hesitant: typeof stored.hesitant === "number" && Number.isFinite(stored.hesitant) ? stored.hesitant : null,
    };
  }

  /** The project's AI jobs as they are queued, progress and end; project.view, checked again at each event. */
  async updates(actor: Actor | null, projectId: string): Promise<AsyncIterable<AiJobState>> {
    return followProject<AiJobState, AiJobState>(this.db.dataSource.manager, this.bus, actor, projectId, aiChannel(projectId), "project.view", (p) => p);
  }

  // ---- jobs (workers)

  /** `ai.validateModel`: VALIDATING becomes READY (a ledger leaf in the same transaction) or REFUSED with the reason. */
  async validateJob(modelVersionId: string): Promise<ModelVersionRow | null> {
    const repo = this.repo();
    const version = await repo.version(modelVersionId);
    if (!version || version.status !== "VALIDATING") return version;
    const jobId = `validate-${version.id}`;
    const ids = { modelId: version.modelId, modelVersionId: version.id };
    await this.publish(this.state("VALIDATE", jobId, version.projectId, "RUNNING", ids));
    const bytes = (await repo.onnx(version.id))!;
    const answer = await this.compute.validate(new Uint8Array(bytes), version.metadata);
    const settled = await this.db.tx(async (em) => {
      const r = this.repo(em);
      if (!answer.ok) return r.settle(version.id, { status: "REFUSED", refusal: answer.message });
      const row = await r.settle(version.id, { status: "READY", metadata: answer.metadata });
      if (row) await this.recordRegistration(em, row, answer.metadata);
      return row;
    });
    const done = settled ?? (await repo.version(version.id));
    await this.publish(
      this.state("VALIDATE", jobId, version.projectId, done?.status === "READY" ? "DONE" : "FAILED", { ...ids, progress: 100, message: done?.refusal ?? null }),
    );
    this.log.info({ modelVersion: version.id, status: done?.status }, "model validated");
    return done;
  }

  /** `ai.infer`: the prediction of one case (stored, replacing an earlier one of the same version). */
  async inferJob(caseId: string, modelVersionId: string): Promise<PredictionRow | null> {
    const version = await this.repo().version(modelVersionId);
    if (!version || version.status !== "READY") return null;
    const jobId = inferJobId(caseId, modelVersionId);
    const ids = { modelId: version.modelId, modelVersionId, caseId };
    await this.publish(this.state("INFER", jobId, version.projectId, "RUNNING", ids));
    let lastAt = Date.now();
    // A segmentation model, or a classifier on a case of several images, goes over every one: its progress is worth following.
    const progress = async (percent: number) => {
      if (Date.now() - lastAt < 250) return;
      lastAt = Date.now();
      await this.publish(this.state("INFER", jobId, version.projectId, "RUNNING", { ...ids, progress: Math.min(99, Math.floor(percent)) }));
    };
    try {
      const prediction = await this.inferCase(version, caseId, progress);
      await this.publish(this.state("INFER", jobId, version.projectId, prediction ? "DONE" : "FAILED", {
        ...ids,
        progress: 100,
        predictionId: prediction?.id ?? null,
        message: prediction ? null : (await this.repo().caseExists(caseId)) ? noImageMessage(version.metadata as ModelMetadata) : CASE_DELETED_WHILE_RUNNING,
      }));
      return prediction;
    } catch (err) {
      // Deleted while the model ran (its files gone, or its prediction with nowhere to go): nothing to retry.
      if (!(await this.repo().caseExists(caseId))) {
        await this.publish(this.state("INFER", jobId, version.projectId, "FAILED", { ...ids, message: CASE_DELETED_WHILE_RUNNING }));
        return null;
      }
      await this.publish(this.state("INFER", jobId, version.projectId, "FAILED", { ...ids, message: (err as Error).message }));
      throw err;
    }
  }

  /** `ai.inferBatch`: every case of the project (not excluded from it) without a prediction from this version; progress as it goes. */
  async inferBatchJob(projectId: string, modelVersionId: string, jobId: string, progress: (p: number) => Promise<void>): Promise<{ done: number; skipped: number }> {
    const repo = this.repo();
    const version = await repo.version(modelVersionId);
    if (!version || version.status !== "READY" || version.projectId !== projectId) return { done: 0, skipped: 0 };
    const ids = { modelId: version.modelId, modelVersionId };
    const total = await repo.caseCount(projectId);
    await this.publish(this.state("INFER_BATCH", jobId, projectId, "RUNNING", ids));
    let seen = 0;
    let done = 0;
    let skipped = 0;
    let after: string | null = null;
    let lastAt = 0;
    try {
      for (;;) {
        const page = await repo.caseIds(projectId, after, 100);
        for (const caseId of page) {
          seen++;
          if (await repo.prediction(caseId, version.id)) skipped++;
          else if (await this.inferUnlessDeleted(version, caseId)) done++;
          else skipped++;
          const percent = Math.min(99, Math.floor((seen / Math.max(total, 1)) * 100));
          if (Date.now() - lastAt > 250) {
            lastAt = Date.now();
            await progress(percent);
            await this.publish(this.state("INFER_BATCH", jobId, projectId, "RUNNING", { ...ids, progress: percent }));
          }
        }
        if (page.length < 100) break;
        after = page[page.length - 1]!;
      }
    } catch (err) {
      await this.publish(this.state("INFER_BATCH", jobId, projectId, "FAILED", { ...ids, message: (err as Error).message }));
      throw err;
    }
    await progress(100);
    await this.publish(this.state("INFER_BATCH", jobId, projectId, "DONE", { ...ids, progress: 100 }));
    return { done, skipped };
  }

  /**
   * `ai.train`: a classifier from the readers' classification labels, or (`from: "ROIS"`) a
   * segmentation model from their ROIs. The result is a new READY version (source TRAINED) with
   * held-out metrics, and a ledger leaf.
   */
  async trainJob(
    payload: { projectId: string; name: string; jobId: string; requestedBy?: string | null; from?: TrainingSource; modalities?: string[] },
    progress: (p: number) => Promise<void>,
  ): Promise<ModelVersionRow> {
    const { projectId, name, jobId } = payload;
    const repo = this.repo();
    const already = await repo.versionOfTrainJob(jobId);
    if (already) return already;
    let lastPercent = -1;
    const report = async (percent: number) => {
      const p = Math.max(0, Math.min(100, Math.round(percent)));
      if (p === lastPercent) return;
      lastPercent = p;
      await progress(p);
      await this.publish(this.state("TRAIN", jobId, projectId, "RUNNING", { progress: p }));
    };
    try {
      await report(0);
      // A model trained on some modalities' images reads only those (ModelMetadata.modalities).
      const modalities = payload.modalities?.length ? payload.modalities : null;
      const learnt = payload.from === "ROIS" ? await this.segmenterFromRois(projectId, report, modalities) : await this.classifierFromLabels(projectId, report, modalities);
      const trained = modalities
        ? { ...learnt, metadata: { ...learnt.metadata, modalities }, message: [`learnt from the images of ${modalities.join(", ")} series only`, learnt.message].filter(Boolean).join("; ") }
        : learnt;
      const { task } = trained;
      const version = await this.db.tx(async (em) => {
        const r = this.repo(em);
        const model = await r.ensureModel(projectId, name, task, payload.requestedBy ?? null);
        if (model.task !== task) throw invalid([{ field: "name", message: `model '${name}' is ${model.task}; this training is ${task}` }]);
        const row = await r.insertVersion({
          modelId: model.id,
          projectId,
          onnx: trained.bytes,
          sha256: sha256(trained.bytes),
          metadata: trained.metadata,
          status: "READY",
          metrics: trained.metrics,
          source: "TRAINED",
          createdBy: payload.requestedBy ?? null,
          trainJob: jobId,
          heldOutSplit: trained.heldOutSplit,
        });
        await this.recordRegistration(em, row, trained.metadata);
        return row;
      });
      await progress(100);
      await this.publish(this.state("TRAIN", jobId, projectId, "DONE", { progress: 100, modelId: version.modelId, modelVersionId: version.id, message: trained.message }));
      this.log.info({ project: projectId, model: name, version: version.version, ...trained.log }, "model trained");
      return version;
    } catch (err) {
      await this.publish(this.state("TRAIN", jobId, projectId, "FAILED", { message: (err as Error).message }));
      throw err;
    }
  }

  /**
   * A classifier from the readers' labels: per case and classification label, the adjudication
   * where a reviewer made one, else the majority vote of the case's latest submissions (ties and
   * unread cases left out), on each case's image, or each image of a case of several
   * (multiple-instance learning).
   */
  private async classifierFromLabels(projectId: string, report: (percent: number) => Promise<void>, modalities: string[] | null): Promise<Trained> {
    const repo = this.repo();
    const labels = await repo.classificationLabels(projectId);
    const { byCase, adjudicated } = await repo.consensusLabels(projectId);
    const useful = labels.filter((l) => [...byCase.values()].some((c) => l in c));
    if (!useful.length) throw invalid([{ field: "projectId", message: "no case has a consensus label yet" }]);
    if (byCase.size < MIN_TRAINING_CASES) throw invalid([{ field: "projectId", message: `only ${byCase.size} cases have a consensus label; training needs ${MIN_TRAINING_CASES}` }]);
    // Learnt from the project's TRAIN split, measured on VALIDATION and TEST: a patient's images on one side only.
    const { settings: heldOutSplit, splits } = await repo.caseSplits(projectId);
    const isHeldOutCase = (caseId: string) => splits.get(caseId) !== "TRAIN";
    // First pass, case by case: a case of one image keeps it (a small grey copy); a case of
    // several (a series, a multi-frame image) is a bag the model reads image by image, of which
    // only an even sample is decoded now, for the pixel statistics the normalisation needs.
    const cases: TrainingCase[] = [];
    const bags: Array<{ caseId: string; rows: InstanceFiles }> = [];
    const sums: PixelSums = { n: 0, s: 0, s2: 0 };
    let probed: number | null = null;
    let unreadable = 0;
    let i = 0;
    for (const caseId of byCase.keys()) {
      const rows = await this.caseFiles(caseId, modalities);
      const images = rows.flatMap((row) => Array.from({ length: Math.max(1, row.frames) }, (_, k) => ({ row, frame: k + 1 })));
      const training = !isHeldOutCase(caseId);
      if (images.length === 1) {
        // Decoded and shrunk on the compute side (CPU work), one case at a time so a large project fits in memory.
        const [image]: GreyImage[] = (await this.compute.trainingImages(await this.fileOf(rows[0]!), probed, [1])) ?? [];
        if (image) {
          probed ??= image.width;
          cases.push({ id: caseId, heldOut: !training, image, labels: byCase.get(caseId)! });
          if (training) addPixelSums([image], sums);
        } else unreadable++;
      } else if (images.length) {
        bags.push({ caseId, rows });
        if (training) {
          const sample = evenSample(images, STATISTICS_SAMPLE);
          for (const row of new Set(sample.map((s) => s.row))) {
            const frames = sample.filter((s) => s.row === row).map((s) => s.frame);
            const decoded = await this.compute.trainingImages(await this.fileOf(row), probed, frames);
            if (!decoded?.length) continue;
            probed ??= decoded[0]!.width;
            addPixelSums(decoded, sums);
          }
        }
      } else unreadable++;
      i++;
      if (i % 10 === 0) await report((i / byCase.size) * 10);
    }
    const enough = (n: number) => {
      if (n < MIN_TRAINING_CASES) throw invalid([{ field: "projectId", message: `only ${n} labelled cases have an image${modalities ? ` of ${modalities.join(", ")} series` : ""} the server decodes; training needs ${MIN_TRAINING_CASES}` }]);
    };
    enough(cases.length + bags.length);
    if (!sums.n) throw invalid([{ field: "projectId", message: "no training case has an image the server decodes" }]);
    const size = probed ?? 64;
    const normalisation = meanStdOf(sums);
    // Second pass: each image of a bag through the extractor on the compute side, keeping only its features.
    const imagesInBags = bags.reduce((n, b) => n + b.rows.reduce((m, r) => m + Math.max(1, r.frames), 0), 0);
    let featured = 0;
    for (const bag of bags) {
      const pooled: Float64Array[] = [];
      for (const row of bag.rows) {
        const features = await this.compute.trainingFeatures(await this.fileOf(row), size, normalisation);
        if (features) pooled.push(...features);
        featured += Math.max(1, row.frames);
        await report(10 + (featured / imagesInBags) * 30);
      }
      if (pooled.length) cases.push({ id: bag.caseId, heldOut: isHeldOutCase(bag.caseId), pooled, labels: byCase.get(bag.caseId)! });
      else unreadable++;
    }
    enough(cases.length);
    const learning = cases.filter((c) => !c.heldOut).length;
    if (learning < 2) throw invalid([{ field: "projectId", message: trainSplitShortfall(heldOutSplit, learning, cases.length, 2) }]);
    const several = cases.filter((c) => "pooled" in c).length;
    const notes = [
      several ? `${several} of the ${cases.length} cases are of several images (a series or a multi-frame image): the model reads each image alone and learnt from each case's highest output` : null,
      unreadable ? `${unreadable} labelled case${unreadable === 1 ? " has" : "s have"} no image the server decodes and ${unreadable === 1 ? "was" : "were"} left out` : null,
      adjudicated ? `${adjudicated} label${adjudicated === 1 ? "" : "s"} of cases came from a reviewer's adjudication instead of the readers' majority` : null,
    ].filter((n): n is string => n !== null);
    const message = notes.length ? notes.join("; ") : null;
    const task = useful.length === 1 ? "binary" : "multilabel";
    const trained = await this.compute.train(cases, { task, labels: useful, size, normalisation }, (p) => void report(40 + p * 0.58).catch(() => undefined));
    return { task, ...trained, heldOutSplit, message, log: { cases: cases.length, ofSeveralImages: several, unreadable } };
  }

  /**
   * A segmentation model from the readers' ROIs (segment-train.ts): per live ROI class that readers
   * marked on at least MIN_MARKED_CASES cases, every image a reader marked and a few unmarked ones
   * of each read case, every reader of the case counting on each (those who drew nothing there
   * said the class is not there). Held-out cases are segmented by the exported model and scored
   * by Dice against the readers' consensus.
   */
  private async segmenterFromRois(projectId: string, report: (percent: number) => Promise<void>, modalities: string[] | null): Promise<Trained> {
    const repo = this.repo();
    // Point classes (landmarks) and line classes (lengths) enclose no pixels: a segmentation model cannot learn them.
    const live = (await repo.roiClasses(projectId)).filter(enclosesArea);
    if (!live.length) throw invalid([{ field: "from", message: NO_AREA_CLASSES }]);
    const { rows: stored, adjudicated } = await this.roisForTraining(projectId);
    // A reading's points and lines count as that reading, with no area marked.
    const rows = stored.map(({ roi, ...r }) => ({ ...r, roi: roi && isAreaShape(roi.kind) ? { ...roi, kind: roi.kind } : null }));
    const all = readingsByCase(rows, new Map(live.map((c, i) => [c.id, i])));
    const markedCases = live.map((_, i) => [...all.values()].filter((c) => [...c.images.values()].some((by) => [...by.values()].some((rs) => rs.some((r) => r.cls === i)))).length);
    const learnt = live.filter((_, i) => markedCases[i]! >= MIN_MARKED_CASES);
    if (!learnt.length)
      throw invalid([{ field: "projectId", message: `no ROI class is marked on ${MIN_MARKED_CASES} or more read cases yet (${live.map((c, i) => `${c.name}: ${markedCases[i]}`).join(", ")})` }]);
    if (all.size < MIN_TRAINING_CASES) throw invalid([{ field: "projectId", message: `only ${all.size} cases have a submitted reading; training needs ${MIN_TRAINING_CASES}` }]);
    // The learnt classes only, indexed afresh.
    const readings = readingsByCase(rows, new Map(learnt.map((c, i) => [c.id, i])));
    const classes = learnt.length;

    // Which images of each case: every marked one, and an even few of the rest.
    type Chosen = { caseId: string; heldOut: boolean; row: InstanceFiles[number]; frames: number[] };
    // Learnt from the project's TRAIN split, measured on VALIDATION and TEST: a patient's images on one side only.
    const { settings: heldOutSplit, splits } = await repo.caseSplits(projectId);
    const isHeldOutCase = (caseId: string) => splits.get(caseId) !== "TRAIN";
    const chosen: Chosen[] = [];
    let unreadable = 0;
    let imageless = 0;
    for (const [caseId, c] of readings) {
      const rows = await this.caseFiles(caseId, modalities);
      const images = rows.flatMap((row) => Array.from({ length: Math.max(1, row.frames) }, (_, k) => ({ row, frame: k + 1 })));
      if (!images.length) {
        imageless++;
        continue;
      }
      const marked = images.filter((im) => c.images.has(imageKey(im.row.sopInstanceUid, im.frame)));
      const picked = [...marked, ...evenSample(images.filter((im) => !marked.includes(im)), UNMARKED_IMAGES_PER_CASE)];
      const heldOut = isHeldOutCase(caseId);
      for (const row of new Set(picked.map((p) => p.row))) chosen.push({ caseId, heldOut, row, frames: picked.filter((p) => p.row === row).map((p) => p.frame) });
    }
    const training = chosen.filter((c) => !c.heldOut);
    if (!training.length) throw invalid([{ field: "projectId", message: trainSplitShortfall(heldOutSplit, 0, new Set(chosen.map((c) => c.caseId)).size, 1) }]);

    // First pass: the pixel statistics of the training images, for the normalisation.
    const sums: PixelSums = { n: 0, s: 0, s2: 0 };
    for (const [i, c] of training.entries()) {
      const more = await this.compute.pixelSums(await this.fileOf(c.row), SEGMENTER_SIZE, c.frames);
      if (more) mergePixelSums(sums, more);
      await report(((i + 1) / training.length) * 15);
    }
    if (!sums.n) throw invalid([{ field: "projectId", message: "no training case has an image the server decodes" }]);
    const normalisation = meanStdOf(sums);

    // Second pass: each training image's cells, sampled where its pixels are (the compute side).
    const parts: CellSamples[] = [];
    const counts = { trainImages: 0, holdoutImages: 0, trainMarked: new Array<number>(classes).fill(0), holdoutMarked: new Array<number>(classes).fill(0) };
    const learntFrom = new Set<string>();
    let smallest = Infinity;
    // Each chosen frame with every reader's regions on it (empty for a reader who drew none there).
    const imagesOf = (c: Chosen) => c.frames.map((frame) => ({ frame, readers: readersOnImage(readings.get(c.caseId)!, imageKey(c.row.sopInstanceUid, frame)) }));
    const tallyMarked = (images: ReturnType<typeof imagesOf>, into: number[]) => {
      for (const { readers } of images) for (let k = 0; k < classes; k++) if (readers.some((rs) => rs.some((r) => r.cls === k))) into[k]!++;
    };
    const caps = cellCaps(training.reduce((n, c) => n + c.frames.length, 0));
    for (const [i, c] of training.entries()) {
      const images = imagesOf(c);
      const cells = await this.compute.segmentationCells(
        await this.fileOf(c.row),
        images.map((im) => ({ ...im, key: `${c.caseId}/${c.row.sopInstanceUid}/${im.frame}` })),
        classes,
        normalisation,
        caps,
      );
      if (cells) {
        parts.push(cells);
        counts.trainImages += c.frames.length;
        learntFrom.add(c.caseId);
        tallyMarked(images, counts.trainMarked);
        // shoelace() is twice the area.
        for (const { readers } of images) for (const r of readers.flat()) smallest = Math.min(smallest, Math.abs(shoelace(r.outline)) / 2);
      } else unreadable++;
      await report(15 + ((i + 1) / training.length) * 35);
    }
    if (!parts.length) throw invalid([{ field: "projectId", message: "no training case has an image the server decodes" }]);
    const names = learnt.map((c) => c.name);
    // A region smaller than a quarter of the smallest the readers drew is a speck.
    const minPixels = Number.isFinite(smallest) ? Math.max(1, Math.floor(smallest / 4)) : 1;
    const model = await this.compute.trainSegmenter(concatCells(parts), names, normalisation, minPixels, (p) => void report(50 + p * 0.3).catch(() => undefined));

    // The held-out cases through the model, as the case page would get them.
    const ref: ModelRef = { sha256: sha256(model.bytes), bytes: model.bytes, metadata: model.metadata };
    const dice = new DiceTally(classes);
    const rectangles = learnt.map((c) => c.shape === "RECTANGLE");
    const heldOut = chosen.filter((c) => c.heldOut);
    for (const [i, c] of heldOut.entries()) {
      const images = imagesOf(c);
      const overlap = await this.compute.heldOutOverlap(ref, await this.fileOf(c.row), images, names, rectangles);
      if (overlap) {
        dice.addOverlap(overlap);
        counts.holdoutImages += c.frames.length;
        tallyMarked(images, counts.holdoutMarked);
      } else unreadable++;
      await report(80 + ((i + 1) / heldOut.length) * 18);
    }
    const metrics: LabelMetrics[] = names.map((label, k) => ({
      label,
      trainCount: counts.trainImages,
      holdoutCount: counts.holdoutImages,
      trainPositives: counts.trainMarked[k]!,
      holdoutPositives: counts.holdoutMarked[k]!,
      holdoutDice: dice.dice(k),
      l2: SEGMENTER_L2,
    }));
    const left = live.filter((c) => !learnt.includes(c));
    const notes = [
      `learnt from ${counts.trainImages} images of ${learntFrom.size} cases (every image a reader marked, and up to ${UNMARKED_IMAGES_PER_CASE} unmarked ones per case)`,
      left.length ? `${left.map((c) => `'${c.name}'`).join(", ")} ${left.length === 1 ? "is" : "are"} marked on fewer than ${MIN_MARKED_CASES} cases and ${left.length === 1 ? "was" : "were"} left out` : null,
      unreadable ? `${unreadable} image file${unreadable === 1 ? " has" : "s have"} no pixels the server decodes and ${unreadable === 1 ? "was" : "were"} left out` : null,
      imageless ? `${imageless} read case${imageless === 1 ? " has" : "s have"} no image` : null,
      adjudicated ? `${adjudicated} case${adjudicated === 1 ? "'s" : "s'"} regions come from the consensus layer (a reviewer's adjudication) instead of the readers'` : null,
    ].filter((n): n is string => n !== null);
    return {
      task: "segmentation",
      ...model,
      metrics,
      heldOutSplit,
      message: notes.join("; "),
      log: { cases: readings.size, trainImages: counts.trainImages, holdoutImages: counts.holdoutImages, classes: names.length, unreadable, imageless },
    };
  }

  /**
   * The ROIs a segmentation training learns from, as rows of readers' readings: each reader's
   * latest submission, except on a case whose consensus layer holds regions (a reviewer's
   * adjudication, the gold of exports and education): there the consensus is the case's one
   * reading. An empty consensus layer is not taken for one: opening it leaves a document behind.
   * Cases excluded from the project are left out (consensusRois leaves out their consensus layers).
   */
  private async roisForTraining(projectId: string): Promise<{ rows: ReaderRoiRow[]; adjudicated: number }> {
    const rows = await this.repo().readerRois(projectId);
    const consensus = new Map<string, ReaderRoiRow[]>();
    for (let after: string | null = null; ; ) {
      const page = await this.collab.consensusRois(projectId, after, 200);
      for (const doc of page) {
        if (!doc.rois.length) continue;
        // A region without an image is on the case's (its first): looked up only then.
        const image = doc.rois.some((r) => !r.sopInstanceUid) ? (await this.caseFiles(doc.caseId))[0]?.sopInstanceUid : undefined;
        consensus.set(
          doc.caseId,
          doc.rois.flatMap((r) => {
            const sop = r.sopInstanceUid ?? image;
            return sop ? [{ caseId: doc.caseId, readerId: CONSENSUS_READER, roi: { classId: r.classId, kind: r.kind, points: r.points as Array<[number, number]>, sopInstanceUid: sop, frame: r.frame ?? 1 } }] : [];
          }),
        );
      }
      if (page.length < 200) break;
      after = page.at(-1)!.caseKey;
    }
    return { rows: [...rows.filter((r) => !consensus.has(r.caseId)), ...[...consensus.values()].flat()], adjudicated: consensus.size };
  }

  async close(): Promise<void> {
    await this.compute.close();
  }

  // ---- helpers

  /** inferCase, passing over (null) a case deleted while the model ran on it; any other failure is thrown. */
  private async inferUnlessDeleted(version: ModelVersionRow, caseId: string): Promise<PredictionRow | null> {
    try {
      return await this.inferCase(version, caseId);
    } catch (err) {
      if (await this.repo().caseExists(caseId)) throw err;
      return null;
    }
  }

  private async inferCase(version: ModelVersionRow, caseId: string, progress?: (percent: number) => Promise<void>): Promise<PredictionRow | null> {
    if ((version.metadata as ModelMetadata).task === "segmentation") return this.segmentCase(version, caseId, progress);
    const files = await this.caseFiles(caseId, modalitiesOf(version.metadata as ModelMetadata));
    if (!files.length) return null;
    const ref = this.modelRef(version);
    const store = (outputs: PredictionRow["outputs"], answer: Pick<InferAnswer, "method" | "width" | "height" | "heatmaps">, slices: PredictionSlices | null) =>
      this.repo().upsertPrediction({
        projectId: version.projectId,
        caseId,
        modelVersionId: version.id,
        outputs,
        method: answer.method,
        width: answer.width,
        height: answer.height,
        heatmaps: answer.heatmaps,
        slices,
      });
    // The stored files go to the compute side as they are: decoding is CPU work, kept off the API's event loop.
    if (files.length === 1 && files[0]!.frames <= 1) {
      // One image of one frame: one run gives the outputs and the heatmaps.
      const answer = await this.compute.infer(ref, await this.fileOf(files[0]!));
      return answer && store(answer.outputs.map((o) => ({ ...o, sopInstanceUid: files[0]!.sopInstanceUid, frame: 1 })), answer, null);
    }
    // Several images or frames: each read alone, then combined per label; the heatmaps made on each label's strongest.
    const images: PredictionSlices["images"] = [];
    const values: number[][] = [];
    for (const [i, row] of files.entries()) {
      const scored = await this.compute.score(ref, await this.fileOf(row));
      scored?.frames.forEach((v, k) => {
        images.push({ sopInstanceUid: row.sopInstanceUid, frame: k + 1 });
        values.push(v);
      });
      await progress?.(((i + 1) / files.length) * 95);
    }
    if (!images.length) return null;
    const aggregate = seriesAggregateOf(ref.metadata);
    const combined = aggregateSlices(values, aggregate);
    const labels = ref.metadata.output.labels;
    const heat: Pick<InferAnswer, "method" | "width" | "height" | "heatmaps"> = { method: "none", width: 0, height: 0, heatmaps: null };
    for (const [index, ks] of labelsByImage(combined)) {
      const { sopInstanceUid, frame } = images[index]!;
      const row = files.find((r) => r.sopInstanceUid === sopInstanceUid)!;
      // Every label's map at the size of the first one made (the images of a series share their size).
      const answer = await this.compute.infer(ref, await this.fileOf(row), { frame, ...(heat.heatmaps ? { heatmapSize: { width: heat.width, height: heat.height } } : {}) });
      if (!answer?.heatmaps) continue;
      if (!heat.heatmaps) Object.assign(heat, { method: answer.method, width: answer.width, height: answer.height, heatmaps: new Uint8Array(answer.heatmaps.length) });
      const n = heat.width * heat.height;
      for (const k of ks) heat.heatmaps!.set(answer.heatmaps.subarray(k * n, (k + 1) * n), k * n);
    }
    const outputs = labels.map((label, k) => ({ label, value: combined[k]!.value, ...images[combined[k]!.best]! }));
    return store(outputs, heat, { aggregate, images, values });
  }

  /**
   * A segmentation model over every image (and frame) of the case, one stored file at a time on the
   * compute side. The outputs are the share of the case's pixels in each label; the regions are
   * kept up to what one annotation may hold (MAX_ROIS regions, MAX_TOTAL_POINTS points), the
   * largest first, so a reader can always take them all; what is left out is noted.
   */
  private async segmentCase(version: ModelVersionRow, caseId: string, progress?: (percent: number) => Promise<void>): Promise<PredictionRow | null> {
    const where = await this.repo().caseInstances(caseId, modalitiesOf(version.metadata as ModelMetadata));
    if (!where) return null;
    const ref = this.modelRef(version);
    const labels = ref.metadata.output.labels;
    const rows = new Map((await this.images.instancesById(where.projectId, where.instanceIds)).map((r) => [r.id, r]));
    const pixels = new Map(labels.map((l) => [l, 0]));
    let total = 0;
    let specks = 0;
    let decoded = 0;
    let hesitant = 0;
    const found: PredictedRegion[] = [];
    // Each image's and frame's share of its pixels per label, in the viewer's order: where the model found what.
    const images: PredictionSlices["images"] = [];
    const values: number[][] = [];
    for (const [i, id] of where.instanceIds.entries()) {
      const row = rows.get(id);
      const answer = row ? await this.compute.segment(ref, await this.fileOf(row)) : null;
      if (row && answer) {
        decoded++;
        for (const f of answer.frames) {
          total += f.width * f.height;
          hesitant = Math.max(hesitant, f.hesitant);
          images.push({ sopInstanceUid: row.sopInstanceUid, frame: f.frame });
          values.push(labels.map((label) => (f.labels.find((l) => l.label === label)?.pixels ?? 0) / (f.width * f.height)));
          for (const l of f.labels) {
            pixels.set(l.label, pixels.get(l.label)! + l.pixels);
            specks += l.specks;
            for (const r of l.regions) found.push({ label: l.label, sopInstanceUid: row.sopInstanceUid, frame: f.frame, points: r.points, pixels: r.pixels });
          }
        }
      }
      await progress?.(((i + 1) / where.instanceIds.length) * 100);
    }
    if (!decoded) return null;
    const { kept, notes } = keepLargestRegions(found);
    const { minPixels } = (ref.metadata.segmentation ?? { minPixels: 1 });
    if (specks) notes.push(`${specks} region${specks === 1 ? "" : "s"} smaller than ${minPixels} pixel${minPixels === 1 ? "" : "s"} (the model's minPixels) left out`);
    if (decoded < where.instanceIds.length) notes.push(`${where.instanceIds.length - decoded} of the case's ${where.instanceIds.length} images have no pixel data the server decodes`);
    // A label found anywhere names the image (and frame) it covers most of.
    const most = aggregateSlices(values, "max");
    return this.repo().upsertPrediction({
      projectId: version.projectId,
      caseId,
      modelVersionId: version.id,
      outputs: labels.map((label, k) => ({ label, value: total ? pixels.get(label)! / total : 0, ...(most[k]!.value > 0 ? images[most[k]!.best]! : {}) })),
      method: "none",
      width: 0,
      height: 0,
      heatmaps: null,
      regions: { regions: kept, notes, hesitant },
      slices: images.length > 1 ? { aggregate: "share", images, values } : null,
    });
  }

  /** The version as the compute side takes it: its ONNX bytes read from the database only if a thread must load it, and then once. */
  private modelRef(version: ModelVersionRow): ModelRef {
    let read: Promise<Uint8Array> | null = null;
    const bytes = () =>
      (read ??= this.repo()
        .onnx(version.id)
        .then((b) => {
          if (!b) throw new Error(`model version ${version.id} has no stored ONNX file`);
          return new Uint8Array(b);
        }));
    return { sha256: version.sha256, bytes, metadata: version.metadata as ModelMetadata };
  }

  /** The case's stored instances, in the viewer's order, with their frame counts; with `modalities`, only those of series of them. */
  private async caseFiles(caseId: string, modalities: string[] | null = null): Promise<InstanceFiles> {
    const where = await this.repo().caseInstances(caseId, modalities);
    if (!where) return [];
    const byId = new Map((await this.images.instancesById(where.projectId, where.instanceIds)).map((r) => [r.id, r]));
    return where.instanceIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  private async fileOf(row: InstanceFiles[number]): Promise<StoredFile> {
    return { bytes: await this.images.file(row), name: row.sopInstanceUid };
  }

  private async recordRegistration(em: EntityManager, v: ModelVersionRow, metadata: unknown): Promise<void> {
    await this.ledger.record(em, {
      type: "model.register",
      actorId: v.createdBy,
      projectId: v.projectId,
      objectId: v.id,
      change: { modelId: v.modelId, version: v.version, sha256: v.sha256, metadata },
    });
  }

  private async readyVersion(projectId: string, modelVersionId: string): Promise<ModelVersionRow> {
    const version = isUuid(modelVersionId) ? await this.repo().version(modelVersionId) : null;
    if (!version || version.projectId !== projectId) throw notFound("Model version");
    if (version.status !== "READY") throw invalid([{ field: "modelVersionId", message: `the model version is ${version.status}, not READY` }]);
    return version;
  }

  private async caseProject(actor: Actor | null, caseId: string, action: Action): Promise<string> {
    const projectId = isUuid(caseId) ? await this.repo().caseProject(caseId) : null;
    if (!projectId) throw notFound("Case");
    await this.requireOn(actor, action, projectId, "Case");
    return projectId;
  }

  private async requireOn(actor: Actor | null, action: Action, projectId: string, what: string): Promise<void> {
    try {
      await requireAccess(this.db.dataSource.manager, actor, action, projectId);
    } catch (err) {
      if (err instanceof AppError && err.code === "NOT_FOUND") throw notFound(what);
      throw err;
    }
  }

  private state(kind: AiJobKind, jobId: string, projectId: string, status: AiJobStatus, extra: Partial<AiJobState>): AiJobState {
    return { jobId, kind, projectId, status, progress: 0, modelId: null, modelVersionId: null, caseId: null, predictionId: null, message: null, ...extra };
  }

  private publish(state: AiJobState): Promise<void> {
    return this.bus.publish(aiChannel(state.projectId), state);
  }
}

/**
 * The regions a prediction keeps: all of them when they fit one annotation (MAX_ROIS regions and
 * MAX_TOTAL_POINTS points), else the largest that do, in their found order; a note says what went.
 */
export function keepLargestRegions(found: PredictedRegion[], maxRegions = MAX_ROIS, maxPoints = MAX_TOTAL_POINTS): Pick<PredictedRegions, "notes"> & { kept: PredictedRegion[] } {
  const points = found.reduce((n, r) => n + r.points.length, 0);
  if (found.length <= maxRegions && points <= maxPoints) return { kept: found, notes: [] };
  const order = found.map((_, i) => i).sort((a, b) => found[b]!.pixels - found[a]!.pixels || a - b);
  const keep = new Uint8Array(found.length);
  let regions = 0;
  let taken = 0;
  for (const i of order) {
    const n = found[i]!.points.length;
    if (regions === maxRegions) break;
    if (taken + n > maxPoints) continue;
    keep[i] = 1;
    regions++;
    taken += n;
  }
  const kept = found.filter((_, i) => keep[i]);
  const left = found.length - kept.length;
  return {
    kept,
    notes: [`${left} of ${found.length} regions left out, the smallest: a suggestion keeps what one annotation may hold (${maxRegions} regions, ${maxPoints} points)`],
  };
}


/** BullMQ job ids cannot hold a colon. */
export const inferJobId = (caseId: string, modelVersionId: string) => `infer-${caseId}-${modelVersionId}`;


const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

