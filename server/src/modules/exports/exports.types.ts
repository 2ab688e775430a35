import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { ExportJobRow, ExportScope, ExportStatus } from "./exports.repository.js";
import { EXPORT_FORMATS, type ExportFormat } from "./formats.js";

export const ExportFormatEnum = Object.fromEntries(Object.keys(EXPORT_FORMATS).map((k) => [k, k])) as { [K in ExportFormat]: K };
registerEnumType(ExportFormatEnum, {
  name: "ExportFormat",
  description:
    "CSV_LABELS: classification results with timing (the label import format's columns first). CSV_ROIS: regions of interest. CSV_TIMES: time summary per reader and label (mean with 95 % interval, median, quartiles). CSV_PREDICTIONS: every stored model prediction (scope ALL_READERS only): per case, model version and label a case row, and for a case of several images a row per image and frame (level image), each with the case's dataset split and whether the version learnt from the case (learnt 1), held it out (0) or was not trained here (empty). COCO: COCO JSON (images with their case's dataset split in concord_split, categories, boxes and polygons, points as keypoints; classification results in image_labels). " +
    "DICOM_SR: a ZIP of TID 1500 Measurement Report SRs, one per case, reader and image (labels in the report of the case's first image). " +
    "DICOM_SEG: a ZIP of binary Segmentations, one per case and reader over the slices (or frames) of one grid in patient space, a frame per ROI class and slice with ROIs; images without patient geometry one each (a segment per ROI class); point ROIs enclose no pixel and are left out, as README.txt says. " +
    "NIFTI: a ZIP laid out as an nnU-Net v2 dataset: each case's image and label mask (0 background, each ROI class its value) as .nii.gz with the DICOM geometry, dataset.json, and cases/<case>.json naming each slice's DICOM image; the TEST split's cases in imagesTs and labelsTs, and splits_final.json one fold of the TRAIN and VALIDATION cases; point classes get no label value, their points left out as dataset.json's notes say.",
});
export const ExportScopeEnum = { ALL_READERS: "ALL_READERS", READER: "READER", CONSENSUS: "CONSENSUS" } as const satisfies { [K in ExportScope]: K };
registerEnumType(ExportScopeEnum, {
  name: "ExportScope",
  description: "ALL_READERS: every reader's latest submission. READER: one reader's. CONSENSUS: majority vote of labels and the consensus ROI layer.",
});
export const ExportStatusEnum = { QUEUED: "QUEUED", RUNNING: "RUNNING", DONE: "DONE", FAILED: "FAILED" } as const satisfies { [K in ExportStatus]: K };
registerEnumType(ExportStatusEnum, { name: "ExportStatus" });

@InputType()
export class ExportInput {
  @Field(() => ExportFormatEnum) format: ExportFormat;
  @Field(() => ExportScopeEnum, { defaultValue: "ALL_READERS" }) scope: ExportScope;
  @Field(() => ID, { nullable: true, description: "The reader, for scope READER." }) readerId?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Every submitted version, not only each reader's latest (reader scopes)." }) allVersions?: boolean | null;
}

@ObjectType({ description: "An export, run in the background; its file can be downloaded at downloadUrl until expiresAt." })
export class ExportJob {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => ExportFormatEnum) format: ExportFormat;
  @Field(() => ExportScopeEnum) scope: ExportScope;
  @Field(() => ID, { nullable: true }) readerId: string | null;
  @Field(() => Boolean) allVersions: boolean;
  @Field(() => ExportStatusEnum) status: ExportStatus;
  @Field(() => Float, { description: "0 to 100." }) progress: number;
  @Field(() => Int, { nullable: true, description: "Rows (CSV) or images, annotations and labels (COCO) written." }) items: number | null;
  @Field(() => Float, { nullable: true }) bytes: number | null;
  @Field(() => String, { nullable: true, description: "SHA-256 of the file, hex; the ledger leaf of the export commits to it." }) sha256: string | null;
  @Field(() => String, { nullable: true }) fileName: string | null;
  @Field(() => String, { nullable: true, description: "GET with your session or token while DONE and not expired." }) downloadUrl: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt: Date | null;

  static from(j: ExportJobRow): ExportJob {
    return Object.assign(new ExportJob(), {
      id: j.id,
      projectId: j.projectId,
      format: j.format as ExportFormat,
      scope: j.scope,
      readerId: j.readerId,
      allVersions: j.allVersions,
      status: j.status,
      progress: j.progress,
      items: j.items,
      bytes: j.bytes,
      sha256: j.sha256,
      fileName: j.fileName,
      downloadUrl: j.status === "DONE" ? `/export/jobs/${j.id}/file` : null,
      error: j.error,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
      expiresAt: j.expiresAt,
    });
  }
}
