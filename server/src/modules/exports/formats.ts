import type { Compute } from "../../compute/compute.js";
import type { AnnotationsService, CsvExport } from "../annotations/annotations.service.js";
import { EXPORT_COLUMNS } from "../annotations/annotations.service.js";
import { csvLine } from "../annotations/export.routes.js";
import type { CollabService } from "../collab/collab.service.js";
import { summariseTimes } from "../review/stats/times.js";
import { DICOM_FORMATS, knownModelVersion } from "./dicom-formats.js";
import { NIFTI_FORMAT } from "./nifti-format.js";
import { testPercent } from "../cases/splits.js";
import type { ConsensusLabelRow, ExportJobRow, ExportPrediction, ExportReads, ExportScope } from "./exports.repository.js";

// What each export format writes, batch by batch. A writer gets the job, read access to the
// project's data, a sink and a progress callback (0..1), and says how many items it wrote.

export interface WriteContext {
  job: ExportJobRow;
  annotations: AnnotationsService;
  collab: CollabService;
  reads: ExportReads;
  /** Off-the-event-loop CPU work (the DICOM writers). */
  compute: Compute;
  /** A stored image's file of the job's project (the NIfTI export reads the pixels). */
  readInstance(storageKey: string): Promise<Uint8Array>;
  write(chunk: string | Uint8Array): Promise<void>;
  progress(fraction: number): Promise<void>;
}

export interface ExportFormatSpec {
  extension: string;
  contentType: string;
  scopes: readonly ExportScope[];
  write(ctx: WriteContext): Promise<{ items: number }>;
}

/** Cases per page when reading consensus data, and predictions per page (read by the tests that cross pages). */
export const PAGE = 200;
/** The annotator column of consensus rows. */
export const CONSENSUS_READER = "consensus";

// ---- CSV: the columns of /export/projects/:id/{labels,rois}.csv (the label import format's first five).

async function writeSnapshot(ctx: WriteContext, csv: CsvExport, each?: (row: Array<string | number | null>) => Promise<void>): Promise<number> {
  let rows = 0;
  try {
    for await (const batch of csv.batches()) {
      if (each) for (const r of batch) await each(r);
      else if (batch.length) await ctx.write(batch.map(csvLine).join(""));
      rows += batch.length;
      await ctx.progress(csv.totalRows ? rows / csv.totalRows : 1);
    }
  } finally {
    await csv.close();
  }
  return rows;
}

const snapshot = (ctx: WriteContext, kind: "labels" | "rois") =>
  ctx.annotations.exportSnapshot(ctx.job.projectId, kind, { allVersions: ctx.job.allVersions, readerId: ctx.job.scope === "READER" ? ctx.job.readerId : null });

/**
 * Majority vote of readers' latest submissions per case and label: true when more than half said
 * true, false when more than half said false, empty on a tie (adjudication decides those).
 */

/** 1, 0, or empty (null) in the files. */
const bit = (v: boolean | null): 0 | 1 | null => (v === null ? null : v ? 1 : 0);

async function consensusLabelPages(ctx: WriteContext, onPage: (rows: ConsensusLabelRow[]) => Promise<void>): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const rows = await ctx.reads.consensusLabels(ctx.job.projectId, after, PAGE);
    if (!rows.length) return;
    await onPage(rows);
    after = rows.at(-1)!.caseKey;
  }
}

async function consensusRoiPages(ctx: WriteContext, onPage: (page: Awaited<ReturnType<CollabService["consensusRois"]>>) => Promise<void>): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const page = await ctx.collab.consensusRois(ctx.job.projectId, after, PAGE);
    if (!page.length) return;
    await onPage(page);
    after = page.at(-1)!.caseKey;
  }
}

const csvLabels: ExportFormatSpec = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8; header=present",
  scopes: ["ALL_READERS", "READER", "CONSENSUS"],
  async write(ctx) {
    await ctx.write(csvLine(EXPORT_COLUMNS.labels));
    if (ctx.job.scope !== "CONSENSUS") return { items: await writeSnapshot(ctx, await snapshot(ctx, "labels")) };
    let items = 0;
    await consensusLabelPages(ctx, async (rows) => {
      const splits = await ctx.reads.caseSplits(ctx.job.projectId, [...new Set(rows.map((r) => r.caseKey))]);
      // case,label,annotator,value,seconds,confidence,implicit,version,submitted_at,case_seconds,idle_seconds,timing_clamped,label_id,group,split
      await ctx.write(rows.map((r) => csvLine([r.caseKey, r.label, CONSENSUS_READER, bit(r.value), null, null, null, null, null, null, null, null, r.labelId, r.group, splits.get(r.caseKey) ?? null])).join(""));
      items += rows.length;
    });
    return { items };
  },
};

const csvRois: ExportFormatSpec = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8; header=present",
  scopes: ["ALL_READERS", "READER", "CONSENSUS"],
  async write(ctx) {
    await ctx.write(csvLine(EXPORT_COLUMNS.rois));
    if (ctx.job.scope !== "CONSENSUS") return { items: await writeSnapshot(ctx, await snapshot(ctx, "rois")) };
    const names = new Map((await ctx.reads.labels(ctx.job.projectId)).map((l) => [l.id, l.name]));
    const models = await ctx.reads.modelVersionNames(ctx.job.projectId);
    let items = 0;
    await consensusRoiPages(ctx, async (page) => {
      const splits = await ctx.reads.caseSplits(ctx.job.projectId, [...new Set(page.map((c) => c.caseKey))]);
      const lines: string[] = [];
      for (const c of page) {
        for (const r of c.rois) {
          // case,annotator,class,kind,points,sop_instance_uid,frame,version,submitted_at,class_id,roi_id,suggested_by,suggestion_changed,split
          // (the consensus is not compared with the suggestion it took a region from: that is the readers' measure)
          const row = [c.caseKey, CONSENSUS_READER, names.get(r.classId) ?? null, r.kind, JSON.stringify(r.points), r.sopInstanceUid ?? null, r.frame ?? 1, null, null, r.classId, r.id ?? null];
          lines.push(csvLine([...row, knownModelVersion(r.suggestedBy, models), null, splits.get(c.caseKey) ?? null]));
        }
      }
      await ctx.write(lines.join(""));
      items += lines.length;
    });
    return { items };
  },
};

// ---- COCO: images, categories (ROI classes, then classification labels), ROIs as bounding boxes
// and polygons, points (landmarks) and lines (lengths) as keypoints. Classification results go in
// "image_labels", an extension COCO readers ignore.

export interface CocoGeometry {
  segmentation: number[][];
  bbox: [number, number, number, number];
  area: number;
  /** A point's [x, y, 2] (2: labelled and visible), its category's one keypoint; a line's two ends, [x0, y0, 2, x1, y1, 2]. */
  keypoints?: number[];
  num_keypoints?: 1 | 2;
  /** A line's length in pixels: an extension, as the concord_ fields are; COCO readers ignore it. */
  concord_length_px?: number;
}

/** The category a point class is: a keypoint category of one keypoint, as COCO's person category lists its 17. */
export const COCO_POINT_CATEGORY = { keypoints: ["point"], skeleton: [] };
/** The category a line class is: two keypoints, its ends in the order drawn, joined by the skeleton's one edge (1-based, as COCO numbers keypoints). */
export const COCO_LINE_CATEGORY = { keypoints: ["start", "end"], skeleton: [[1, 2]] };

/** A stored ROI as COCO geometry: a rectangle's four corners or the freehand outline, in pixels; a point or a line as keypoints. */
export function cocoGeometry(kind: string, points: ReadonlyArray<readonly number[]>): CocoGeometry {
  // A point or a line has no polygon, but an empty segmentation rather than none: COCO gives every
  // object annotation one (keypoint annotations included), and loaders that index ann["segmentation"]
  // take [] as no mask where a missing key would raise. pycocotools draws nothing for it (showAnns),
  // and its keypoint evaluation reads keypoints, num_keypoints, bbox and area only; neither has a
  // mask (annToMask), so a "segm" evaluation takes the area classes' category ids.
  if (kind === "POINT") {
    const [x, y] = points[0]!;
    return { segmentation: [], bbox: [x!, y!, 0, 0], area: 0, keypoints: [x!, y!, 2], num_keypoints: 1 };
  }
  if (kind === "LINE") {
    const [[x0, y0], [x1, y1]] = points as [[number, number], [number, number]];
    return {
      segmentation: [],
      bbox: [Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0)],
      area: 0,
      keypoints: [x0, y0, 2, x1, y1, 2],
      num_keypoints: 2,
      // Extra field, not COCO's: the length is what a line class is for, and a COCO reader would otherwise work it out from the keypoints.
      concord_length_px: Math.hypot(x1 - x0, y1 - y0),
    };
  }
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const outline = kind === "RECTANGLE" ? [[x0, y0], [x1, y0], [x1, y1], [x0, y1]] : points.map((p) => [p[0]!, p[1]!]);
  let twice = 0;
  for (let i = 0; i < outline.length; i++) {
    const [ax, ay] = outline[i]!;
    const [bx, by] = outline[(i + 1) % outline.length]!;
    twice += ax! * by! - bx! * ay!;
  }
  return { segmentation: [outline.flat()], bbox: [x0, y0, x1 - x0, y1 - y0], area: Math.abs(twice) / 2 };
}

const coco: ExportFormatSpec = {
  extension: "json",
  contentType: "application/json",
  scopes: ["ALL_READERS", "READER", "CONSENSUS"],
  async write(ctx) {
    const { job } = ctx;
    const labels = await ctx.reads.labels(job.projectId);
    const categoryOf = new Map(labels.map((l, i) => [l.id, i + 1]));
    const categories = labels.map((l, i) => ({
      id: i + 1,
      name: l.name,
      supercategory: l.kind === "ROI" ? "roi" : "classification",
      ...(l.roiShape === "POINT" ? COCO_POINT_CATEGORY : l.roiShape === "LINE" ? COCO_LINE_CATEGORY : {}),
      concord_label_id: l.id,
      // A label of a label group: its classification answers one question with the group's other labels.
      ...(l.group ? { concord_label_group: l.group } : {}),
    }));
    // Extra field, as the concord_ ones are: how many cases excluded from the project the file leaves out.
    const excluded = await ctx.reads.excludedCases(job.projectId);
    // And how the project divides its cases into TRAIN, VALIDATION and TEST: each image's concord_split.
    const split = await ctx.reads.datasetSplit(job.projectId);
    const concordSplit = { train_percent: split.trainPercent, validation_percent: split.validationPercent, test_percent: testPercent(split), group_by: split.groupBy };
    await ctx.write(
      `{"info":${JSON.stringify({ description: "Concord export", version: "1.0", date_created: new Date().toISOString(), concord_project: job.projectId, concord_scope: job.scope, concord_excluded_cases: excluded, concord_dataset_split: concordSplit })},` +
        `"licenses":[],"categories":${JSON.stringify(categories)},"images":[`,
    );
    // Images: every image of every case, numbered in (case key, SOP instance UID) order.
    const imageOf = new Map<string, number>();
    let after: { key: string; sop: string } | null = null;
    for (;;) {
      const page = await ctx.reads.caseImages(job.projectId, after, 1000);
      if (!page.length) break;
      await ctx.write(
        page
          .map((im) => {
            imageOf.set(im.sopInstanceUid, imageOf.size + 1);
            return `${imageOf.size > 1 ? "," : ""}${JSON.stringify({ id: imageOf.size, file_name: `${im.sopInstanceUid}.dcm`, width: im.columns, height: im.rows, concord_case: im.caseKey, sop_instance_uid: im.sopInstanceUid, concord_split: im.split })}`;
          })
          .join(""),
      );
      const last: (typeof page)[number] = page.at(-1)!;
      after = { key: last.caseKey, sop: last.sopInstanceUid };
    }
    await ctx.progress(0.2);
    await ctx.write(`],"annotations":[`);
    let items = 0;
    type CocoRoi = { caseKey: string; sop: string | null; classId: string; kind: string; points: number[][]; reader: string; version: number | null; roiId: string | null; suggestedBy: string | null; suggestionChanged: boolean | null };
    const annotation = (a: CocoRoi, defaults: Map<string, string>) => {
      const image = imageOf.get(a.sop ?? defaults.get(a.caseKey) ?? "");
      const category = categoryOf.get(a.classId);
      if (!image || !category) return "";
      items++;
      const geometry = cocoGeometry(a.kind, a.points);
      const concord = { concord_reader: a.reader, concord_version: a.version, concord_roi_id: a.roiId, concord_suggested_by: a.suggestedBy, concord_suggestion_changed: a.suggestionChanged };
      return `${items > 1 ? "," : ""}${JSON.stringify({ id: items, image_id: image, category_id: category, iscrowd: 0, ...geometry, ...concord })}`;
    };
    if (job.scope === "CONSENSUS") {
      const models = await ctx.reads.modelVersionNames(job.projectId);
      await consensusRoiPages(ctx, async (page) => {
        const defaults = await ctx.reads.caseDefaultImages(job.projectId, page.map((c) => c.caseKey));
        await ctx.write(
          page
            .flatMap((c) =>
              c.rois.map((r) =>
                annotation(
                  { caseKey: c.caseKey, sop: r.sopInstanceUid ?? null, classId: r.classId, kind: r.kind, points: r.points, reader: CONSENSUS_READER, version: null, roiId: r.id ?? null, suggestedBy: knownModelVersion(r.suggestedBy, models), suggestionChanged: null },
                  defaults,
                ),
              ),
            )
            .join(""),
        );
      });
    } else {
      // rois.csv cells: case,annotator,class,kind,points,sop_instance_uid,frame,version,submitted_at,class_id,roi_id,suggested_by,suggestion_changed,split
      const empty = new Map<string, string>();
      await writeSnapshot(ctx, await snapshot(ctx, "rois"), async (r) => {
        const roi: CocoRoi = {
          caseKey: String(r[0]),
          sop: (r[5] as string | null) ?? null,
          classId: String(r[9]),
          kind: String(r[3]),
          points: JSON.parse(String(r[4])),
          reader: String(r[1]),
          version: Number(r[7]),
          roiId: (r[10] as string | null) ?? null,
          suggestedBy: (r[11] as string | null) ?? null,
          suggestionChanged: r[12] == null ? null : r[12] === 1,
        };
        const line = annotation(roi, empty);
        if (line) await ctx.write(line);
      });
    }
    await ctx.write(`],"image_labels":[`);
    let labelItems = 0;
    const labelLine = (caseKey: string, labelId: string, reader: string, value: number | null, confidence: number | null, defaults: Map<string, string>) => {
      const image = imageOf.get(defaults.get(caseKey) ?? "");
      const category = categoryOf.get(labelId);
      if (!image || !category) return "";
      labelItems++;
      return `${labelItems > 1 ? "," : ""}${JSON.stringify({ image_id: image, category_id: category, value, confidence, concord_reader: reader })}`;
    };
    if (job.scope === "CONSENSUS") {
      await consensusLabelPages(ctx, async (rows) => {
        const defaults = await ctx.reads.caseDefaultImages(job.projectId, [...new Set(rows.map((r) => r.caseKey))]);
        await ctx.write(rows.map((r) => labelLine(r.caseKey, r.labelId, CONSENSUS_READER, bit(r.value), null, defaults)).join(""));
      });
    } else {
      // labels.csv cells: case,label,annotator,value,seconds,confidence,implicit,version,submitted_at,case_seconds,idle_seconds,timing_clamped,label_id,group,split
      const csv = await snapshot(ctx, "labels");
      try {
        for await (const batch of csv.batches()) {
          const defaults = await ctx.reads.caseDefaultImages(job.projectId, [...new Set(batch.map((r) => String(r[0])))]);
          await ctx.write(batch.map((r) => labelLine(String(r[0]), String(r[12]), String(r[2]), Number(r[3]), r[5] == null ? null : Number(r[5]), defaults)).join(""));
        }
      } finally {
        await csv.close();
      }
    }
    await ctx.write(`]}\n`);
    return { items: imageOf.size + items + labelItems };
  },
};

// ---- CSV_TIMES: the per-reader time summary. Each case's and each label's own times are in
// CSV_LABELS (seconds, case_seconds, idle_seconds); this is their summary per reader and label.

export const TIME_COLUMNS = ["annotator", "label", "n", "mean_seconds", "ci95_low", "ci95_high", "median_seconds", "q1_seconds", "q3_seconds", "sd_seconds", "min_seconds", "max_seconds"];
/** The label column of the rows about whole cases (load to submit) rather than one label. */
export const CASE_ROW = "(case)";
/** The annotator column of the rows pooled over every reader. */
export const ALL_READERS_ROW = "(all readers)";

const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

const csvTimes: ExportFormatSpec = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8; header=present",
  scopes: ["ALL_READERS", "READER"],
  async write(ctx) {
    // One number per timed label value and per case is kept until the end: small beside the rows.
    const times = new Map<string, Map<string, number[]>>();
    const add = (reader: string, label: string, seconds: number | null) => {
      if (seconds === null || !Number.isFinite(seconds)) return;
      for (const who of [reader, ALL_READERS_ROW]) {
        let byLabel = times.get(who);
        if (!byLabel) times.set(who, (byLabel = new Map()));
        let list = byLabel.get(label);
        if (!list) byLabel.set(label, (list = []));
        list.push(seconds);
      }
    };
    const snapshot = await ctx.annotations.exportBatches(ctx.job.projectId, {
      allVersions: ctx.job.allVersions,
      readerId: ctx.job.scope === "READER" ? ctx.job.readerId : null,
      labels: true,
      rois: false,
    });
    let done = 0;
    try {
      for await (const batch of snapshot.batches()) {
        for (const { annotation: a, labels } of batch) {
          add(a.readerId, CASE_ROW, a.caseSeconds);
          for (const l of labels) add(a.readerId, l.label, l.seconds);
        }
        done += batch.length;
        await ctx.progress(snapshot.counts.annotations ? (0.9 * done) / snapshot.counts.annotations : 0.9);
      }
    } finally {
      await snapshot.close();
    }
    await ctx.write(csvLine(TIME_COLUMNS));
    // Readers in id order, the pooled rows last; per reader the case row first, then labels by name.
    const readers = [...times.keys()].filter((r) => r !== ALL_READERS_ROW).sort();
    if (ctx.job.scope !== "READER") readers.push(ALL_READERS_ROW);
    let items = 0;
    for (const reader of readers) {
      const byLabel = times.get(reader)!;
      const labels = [...byLabel.keys()].sort((a, b) => (a === CASE_ROW ? -1 : b === CASE_ROW ? 1 : a < b ? -1 : a > b ? 1 : 0));
      for (const label of labels) {
        const t = summariseTimes(byLabel.get(label)!);
        await ctx.write(csvLine([reader, label, t.n, round(t.mean), round(t.ci95?.[0] ?? null), round(t.ci95?.[1] ?? null), round(t.median), round(t.q1), round(t.q3), round(t.sd), round(t.min), round(t.max)]));
        items++;
      }
    }
    return { items };
  },
};

// ---- CSV_PREDICTIONS: what the project's models said about each case, beside the readers' exports.
// Per case, model version and label a `case` row: the case's output, naming the image it is highest
// on, and how a case of several images made it (`aggregate`: a classifier's max or mean, a
// segmentation model's share of all the pixels); after it, for such a case, an `image` row per image
// and frame, in the viewer's order.

export const PREDICTION_COLUMNS = ["case", "model", "version", "model_version_id", "task", "label", "level", "value", "sop_instance_uid", "frame", "aggregate", "predicted_at", "split", "learnt"];

const csvPredictions: ExportFormatSpec = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8; header=present",
  scopes: ["ALL_READERS"],
  async write(ctx) {
    await ctx.write(csvLine(PREDICTION_COLUMNS));
    const total = await ctx.reads.predictionCount(ctx.job.projectId);
    let after: { caseKey: string; modelName: string; version: number } | null = null;
    let done = 0;
    let items = 0;
    for (;;) {
      const page = await ctx.reads.predictions(ctx.job.projectId, after, PAGE);
      if (!page.length) break;
      const lines: string[] = [];
      for (const p of page) {
        const head = [p.caseKey, p.modelName, p.version, p.modelVersionId, p.task];
        const at = p.createdAt.toISOString();
        // The case's split, and whether this version learnt from it (1), held it out (0), or was not trained here (empty): measure a model on its 0 rows.
        const tail = [p.split, p.learnt === null ? null : p.learnt ? 1 : 0];
        p.outputs.forEach((o, k) => {
          lines.push(csvLine([...head, o.label, "case", o.value, o.sopInstanceUid ?? null, o.frame ?? null, p.slices?.aggregate ?? null, at, ...tail]));
          p.slices?.images.forEach((image, i) => lines.push(csvLine([...head, o.label, "image", p.slices!.values[i]![k]!, image.sopInstanceUid, image.frame, null, at, ...tail])));
        });
      }
      await ctx.write(lines.join(""));
      items += lines.length;
      done += page.length;
      await ctx.progress(total ? done / total : 1);
      const last: ExportPrediction = page.at(-1)!;
      after = { caseKey: last.caseKey, modelName: last.modelName, version: last.version };
    }
    return { items };
  },
};

export const EXPORT_FORMATS = {
  CSV_LABELS: csvLabels,
  CSV_ROIS: csvRois,
  CSV_TIMES: csvTimes,
  CSV_PREDICTIONS: csvPredictions,
  COCO: coco,
  ...DICOM_FORMATS,
  NIFTI: NIFTI_FORMAT,
} as const satisfies Record<string, ExportFormatSpec>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;
