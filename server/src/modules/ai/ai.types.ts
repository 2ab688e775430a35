import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { ModelRow, ModelVersionRow, PredictionRow } from "./ai.repository.js";
import type { AiJobKind, AiJobState, AiJobStatus, HeatmapView, RegionsView, RegionView, TrainingSource } from "./ai.service.js";
import { DatasetSplit, RoiShapeEnum } from "../projects/projects.types.js";
import { testPercent } from "../cases/splits.js";
import { L2_GRID, type LabelMetrics } from "./train.js";

export const ModelTaskEnum = { BINARY: "BINARY", MULTILABEL: "MULTILABEL", REGRESSION: "REGRESSION", SEGMENTATION: "SEGMENTATION" } as const;
registerEnumType(ModelTaskEnum, {
  name: "ModelTask",
  description:
    "BINARY: one label's probability. MULTILABEL: a probability per label. REGRESSION: a value per label. SEGMENTATION: a mask per label (ROI class), " +
    "suggested as regions (predictionRegions); its outputs are each label's share of the case's pixels.",
});
export const ModelVersionStatusEnum = { VALIDATING: "VALIDATING", READY: "READY", REFUSED: "REFUSED" } as const;
registerEnumType(ModelVersionStatusEnum, { name: "ModelVersionStatus", description: "VALIDATING: a worker is checking it. READY: usable. REFUSED: see refusal." });
export const ModelSourceEnum = { UPLOADED: "UPLOADED", TRAINED: "TRAINED" } as const;
registerEnumType(ModelSourceEnum, { name: "ModelSource" });
export const AiJobKindEnum = { VALIDATE: "VALIDATE", INFER: "INFER", INFER_BATCH: "INFER_BATCH", TRAIN: "TRAIN" } as const satisfies { [K in AiJobKind]: K };
registerEnumType(AiJobKindEnum, { name: "AiJobKind" });
export const TrainingSourceEnum = { LABELS: "LABELS", ROIS: "ROIS" } as const satisfies { [K in TrainingSource]: K };
registerEnumType(TrainingSourceEnum, {
  name: "TrainingSource",
  description:
    "LABELS: a classifier (binary or multi-label) from the readers' consensus on the classification labels. " +
    "ROIS: a segmentation model from the readers' ROIs, one output per ROI class marked on enough cases, that suggests regions of those classes.",
});
export const AiJobStatusEnum = { QUEUED: "QUEUED", RUNNING: "RUNNING", DONE: "DONE", FAILED: "FAILED" } as const satisfies { [K in AiJobStatus]: K };
registerEnumType(AiJobStatusEnum, { name: "AiJobStatus" });

const taskOf = (t: string) => t.toUpperCase() as keyof typeof ModelTaskEnum;

@ObjectType({ description: "One L2 strength of a cross-validation, and the mean validation loss it gave." })
export class L2Loss {
  @Field(() => Float) l2: number;
  @Field(() => Float) loss: number;
}

@ObjectType({ description: "How a trained model did on its training and held-out cases, for one label." })
export class ModelLabelMetrics {
  @Field(() => String) label: string;
  @Field(() => Int) trainCount: number;
  @Field(() => Int) holdoutCount: number;
  @Field(() => Int, { nullable: true }) trainPositives: number | null;
  @Field(() => Int, { nullable: true }) holdoutPositives: number | null;
  @Field(() => Float, { nullable: true, description: "Area under the ROC curve on the training cases; null when they hold one class." }) trainAuroc: number | null;
  @Field(() => Float, { nullable: true, description: "Area under the ROC curve on the held-out cases; null when they hold one class." }) holdoutAuroc: number | null;
  @Field(() => Float, { nullable: true }) holdoutMae: number | null;
  @Field(() => Float, { nullable: true }) holdoutRmse: number | null;
  @Field(() => Float, { nullable: true }) holdoutR2: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "The L2 strength the label's head was fitted with, per training case on standardised features: chosen by 5-fold cross-validation on the training cases (null for versions trained before it was recorded).",
  })
  l2: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Segmentation models trained from ROIs: Dice of the model's regions against the readers' consensus (the pixels at least half the image's readers put in the class), pooled over the held-out images; null when neither has the class there.",
  })
  holdoutDice: number | null;
  @Field(() => [L2Loss], {
    nullable: true,
    description: "Where the L2 strength was chosen by cross-validation: each strength tried, with its mean validation loss (log loss for classification, squared error for regression).",
  })
  l2Losses: L2Loss[] | null;

  static from(m: LabelMetrics): ModelLabelMetrics {
    return Object.assign(new ModelLabelMetrics(), {
      label: m.label,
      trainCount: m.trainCount,
      holdoutCount: m.holdoutCount,
      trainPositives: m.trainPositives ?? null,
      holdoutPositives: m.holdoutPositives ?? null,
      trainAuroc: m.trainAuroc ?? null,
      holdoutAuroc: m.holdoutAuroc ?? null,
      holdoutMae: m.holdoutMae ?? null,
      holdoutRmse: m.holdoutRmse ?? null,
      holdoutR2: m.holdoutR2 ?? null,
      l2: m.l2 ?? null,
      holdoutDice: m.holdoutDice ?? null,
      l2Losses: m.l2Losses?.length === L2_GRID.length ? m.l2Losses.map((loss, i) => Object.assign(new L2Loss(), { l2: L2_GRID[i]!, loss })) : null,
    });
  }
}

@ObjectType({ description: "One version of a model: an ONNX file with its metadata, checked by a worker before use." })
export class ModelVersion {
  @Field(() => ID) id: string;
  @Field(() => ID) modelId: string;
  @Field(() => String) modelName: string;
  @Field(() => ID) projectId: string;
  @Field(() => Int) version: number;
  @Field(() => ModelVersionStatusEnum) status: keyof typeof ModelVersionStatusEnum;
  @Field(() => String, { nullable: true, description: "Why the model was refused." }) refusal: string | null;
  @Field(() => ModelSourceEnum) source: keyof typeof ModelSourceEnum;
  @Field(() => String, { description: "SHA-256 of the ONNX file, hex; the model.register ledger leaf commits to it." }) sha256: string;
  @Field(() => Int) bytes: number;
  @Field(() => [String], { description: "The output labels, in the model's order (empty when the metadata is unreadable)." }) labels: string[];
  @Field(() => [Int], { description: "The input shape [1, C, H, W]." }) inputShape: number[];
  @Field(() => Boolean, { description: "Heatmaps come from the class activation map (else occlusion sensitivity)." }) hasCam: boolean;
  @Field(() => String, { description: "The metadata record, as JSON text." }) metadataJson: string;
  @Field(() => [ModelLabelMetrics], { nullable: true, description: "Trained versions: metrics per label." }) metrics: ModelLabelMetrics[] | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) readyAt: Date | null;
  @Field(() => DatasetSplit, {
    nullable: true,
    description:
      "Trained versions: the project's dataset split when it was trained. It learnt from the TRAIN cases and its held-out metrics are on the VALIDATION and TEST cases, as that split put them. " +
      "Null for uploaded versions, and for those trained before splits (they held out 30 % of the cases by a hash of the case id).",
  })
  heldOutSplit: DatasetSplit | null;

  static from(v: ModelVersionRow): ModelVersion {
    const m = (v.metadata ?? {}) as { output?: { labels?: unknown }; input?: { shape?: unknown }; cam?: unknown };
    const labels = Array.isArray(m.output?.labels) ? m.output!.labels.filter((l): l is string => typeof l === "string") : [];
    const shape = Array.isArray(m.input?.shape) ? m.input!.shape.filter((d): d is number => Number.isInteger(d)) : [];
    return Object.assign(new ModelVersion(), {
      id: v.id,
      modelId: v.modelId,
      modelName: v.modelName,
      projectId: v.projectId,
      version: v.version,
      status: v.status,
      refusal: v.refusal,
      source: v.source,
      sha256: v.sha256,
      bytes: v.bytes,
      labels,
      inputShape: shape,
      hasCam: !!m.cam,
      metadataJson: JSON.stringify(v.metadata),
      metrics: v.metrics?.map(ModelLabelMetrics.from) ?? null,
      createdAt: v.createdAt,
      readyAt: v.readyAt,
      heldOutSplit: v.heldOutSplit ? Object.assign(new DatasetSplit(), { ...v.heldOutSplit, testPercent: testPercent(v.heldOutSplit) }) : null,
    });
  }
}

@ObjectType({ description: "A model of a project; each upload or training adds a version." })
export class Model {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) name: string;
  @Field(() => ModelTaskEnum) task: keyof typeof ModelTaskEnum;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => [ModelVersion], { description: "Newest first." }) versions: ModelVersion[];

  static from(m: ModelRow & { versions: ModelVersionRow[] }): Model {
    return Object.assign(new Model(), { id: m.id, projectId: m.projectId, name: m.name, task: taskOf(m.task), createdAt: m.createdAt, versions: m.versions.map(ModelVersion.from) });
  }
}

@ObjectType({ description: "A model's output for one label: a probability (binary, multi-label) or a value (regression)." })
export class PredictionOutput {
  @Field(() => String) label: string;
  @Field(() => Float, { description: "On a case of several images (or frames), their max or mean (see slices.aggregate)." }) value: number;
  @Field(() => String, {
    nullable: true,
    description:
      "The image where this label's output is highest: a classifier's heatmap was made there; a segmentation model's label covers most of it (null when it found none). Null for predictions made before it was kept.",
  })
  sopInstanceUid: string | null;
  @Field(() => Int, { nullable: true, description: "1-based; the frame of that image." }) frame: number | null;
}

export const SeriesAggregateEnum = { MAX: "MAX", MEAN: "MEAN", SHARE: "SHARE" } as const;
registerEnumType(SeriesAggregateEnum, {
  name: "SeriesAggregate",
  description:
    "How a model's outputs on a case's images became the case's, per label: a classifier's MAX (a finding on any image) or MEAN; " +
    "a segmentation model's SHARE (each image's value is the share of its pixels in the label, the case's the share of all the case's pixels).",
});

@ObjectType({ description: "A model's outputs on one image (and frame) of a case of several." })
export class PredictionSlice {
  @Field(() => String) sopInstanceUid: string;
  @Field(() => Int, { description: "1-based." }) frame: number;
  @Field(() => [Float], { description: "The outputs, in the order of the prediction's outputs." }) values: number[];
}

@ObjectType({ description: "Each image's (and frame's) outputs of a model on a case of several, in the viewer's order." })
export class PredictionSlices {
  @Field(() => SeriesAggregateEnum) aggregate: keyof typeof SeriesAggregateEnum;
  @Field(() => [PredictionSlice]) images: PredictionSlice[];
}

@ObjectType({ description: "A model version's suggestion on a case. Never submitted for anyone: readers decide." })
export class CasePrediction {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => ID) modelVersionId: string;
  @Field(() => String) modelName: string;
  @Field(() => Int) version: number;
  @Field(() => ModelTaskEnum) task: keyof typeof ModelTaskEnum;
  @Field(() => String, { description: "How heatmaps were made: cam, occlusion or none." }) heatmapMethod: string;
  @Field(() => [PredictionOutput]) outputs: PredictionOutput[];
  @Field(() => PredictionSlices, { nullable: true, description: "The outputs on each image and frame, when the case has more than one; null otherwise." })
  slices: PredictionSlices | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;

  static from(p: PredictionRow & { version: ModelVersionRow }): CasePrediction {
    const task = (p.version.metadata as { task?: string } | null)?.task ?? "multilabel";
    return Object.assign(new CasePrediction(), {
      id: p.id,
      caseId: p.caseId,
      modelVersionId: p.modelVersionId,
      modelName: p.version.modelName,
      version: p.version.version,
      task: taskOf(task),
      heatmapMethod: p.method,
      outputs: p.outputs.map((o) => Object.assign(new PredictionOutput(), { label: o.label, value: o.value, sopInstanceUid: o.sopInstanceUid ?? null, frame: o.frame ?? null })),
      slices: p.slices
        ? Object.assign(new PredictionSlices(), {
            aggregate: p.slices.aggregate.toUpperCase() as keyof typeof SeriesAggregateEnum,
            images: p.slices.images.map((image, i) => Object.assign(new PredictionSlice(), { ...image, values: p.slices!.values[i]! })),
          })
        : null,
      createdAt: p.createdAt,
    });
  }
}

@ObjectType({ description: "Where a model looked for one label, at reduced resolution; draw it stretched over the image." })
export class PredictionHeatmap {
  @Field(() => ID) caseId: string;
  @Field(() => ID) modelVersionId: string;
  @Field(() => String) label: string;
  @Field(() => String, { nullable: true, description: "The image the map was made on, and over which to draw it; null: the case's first (predictions made before it was kept)." })
  sopInstanceUid: string | null;
  @Field(() => Int, { nullable: true, description: "1-based; the frame of that image." }) frame: number | null;
  @Field(() => String, { description: "cam or occlusion." }) method: string;
  @Field(() => Int) width: number;
  @Field(() => Int) height: number;
  @Field(() => String, { description: "8-bit map, row-major width×height bytes, base64: 0 cold, 255 the map's maximum." }) map: string;
  @Field(() => String, { description: "The map as an RGBA PNG data URL (jet colours, alpha rising with the value)." }) pngDataUrl: string;

  static from(h: HeatmapView): PredictionHeatmap {
    return Object.assign(new PredictionHeatmap(), h);
  }
}

@ObjectType({ description: "One region a segmentation model suggests: a closed outline on one frame of one image of the case." })
export class PredictedRegion {
  @Field(() => String, { description: "The model's label." }) label: string;
  @Field(() => ID, { nullable: true, description: "The project's ROI class of areas named like the label (case and outer spaces aside); null when none is (a point or line class takes no region)." }) roiClassId: string | null;
  @Field(() => RoiShapeEnum, { nullable: true, description: "That class's shape: a RECTANGLE class takes the region as its bounding box." }) roiShape: keyof typeof RoiShapeEnum | null;
  @Field(() => String) sopInstanceUid: string;
  @Field(() => Int, { description: "1-based." }) frame: number;
  @Field(() => [[Float]], { description: "The closed outline in image pixel coordinates [[x, y], ...], first point not repeated." }) points: number[][];
  @Field(() => Int, { description: "Pixels inside the region." }) pixels: number;

  static from(r: RegionView): PredictedRegion {
    return Object.assign(new PredictedRegion(), { ...r, roiShape: (r.roiShape as keyof typeof RoiShapeEnum | null) ?? null });
  }
}

@ObjectType({ description: "A segmentation prediction's suggested regions. Suggestions only: a reader takes them into their own annotation, or not." })
export class PredictionRegions {
  @Field(() => ID) caseId: string;
  @Field(() => ID) modelVersionId: string;
  @Field(() => [PredictedRegion], { description: "In the case's image order, then frame, then label." }) regions: PredictedRegion[];
  @Field(() => [String], { description: "What was left out and why." }) notes: string[];
  @Field(() => [String], { description: "The model's labels that name no ROI class of areas of the project (a point or line class is no match): their regions cannot be taken as they are." }) unmatchedLabels: string[];
  @Field(() => Float, {
    nullable: true,
    description:
      "How unsure the model is: the share (0 to 1) of the case's most hesitant image where its two likeliest classes are within 0.3 of each other (what \"most uncertain first\" reading orders by); null for predictions stored before it was kept.",
  })
  hesitant: number | null;

  static from(v: RegionsView): PredictionRegions {
    return Object.assign(new PredictionRegions(), { ...v, regions: v.regions.map(PredictedRegion.from) });
  }
}

@ObjectType({ description: "An AI job (validation, inference, training) as it is queued, runs and ends." })
export class AiJob {
  @Field(() => ID, { description: "Deterministic for inference: infer-<case id>-<model version id>." }) jobId: string;
  @Field(() => AiJobKindEnum) kind: AiJobKind;
  @Field(() => ID) projectId: string;
  @Field(() => AiJobStatusEnum) status: AiJobStatus;
  @Field(() => Float, { description: "0 to 100." }) progress: number;
  @Field(() => ID, { nullable: true }) modelId: string | null;
  @Field(() => ID, { nullable: true }) modelVersionId: string | null;
  @Field(() => ID, { nullable: true }) caseId: string | null;
  @Field(() => ID, { nullable: true, description: "The stored prediction, once an inference is done." }) predictionId: string | null;
  @Field(() => String, { nullable: true, description: "Why a job failed or a model was refused." }) message: string | null;

  static from(s: AiJobState): AiJob {
    return Object.assign(new AiJob(), s);
  }
}
