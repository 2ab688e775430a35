import { createHash } from "node:crypto";
import ZipStream from "zip-stream";
import type { RoiInput } from "../annotations/annotations.service.js";
import type { Compute } from "../../compute/compute.js";
import { gridKey } from "./dicom/plane.js";
import { geometryOf } from "./dicom/seg.js";
import type { ExportLabel, ExportRoi, SegPlane, SourceImage } from "./dicom/types.js";
import type { ExportFormatSpec, WriteContext } from "./formats.js";

// DICOM exports (issue 9): a ZIP of one Measurement Report SR (TID 1500) or one binary
// Segmentation per (case, reader, image), written into the archive a file at a time: annotations
// come in batches from one snapshot and the ZIP is streamed (stored, not deflated: DICOM files of
// labels and bit masks are small), so neither the project nor the archive sits in memory whole.

/** Annotations per batch; tests lower it to show the export streams. */
let batchSize = 200;
export function setDicomExportBatchSize(n: number): void {
  batchSize = Math.max(1, Math.floor(n));
}

export const CONSENSUS_READER_ID = "consensus";
export const CONSENSUS_DISPLAY_NAME = "Consensus";

/** One reader's (or the consensus's) reading of one case, ready for the writers. */
export interface Reading {
  caseKey: string;
  readerId: string;
  displayName: string;
  /** null for the consensus, which has no versions. */
  version: number | null;
  submittedAt: Date;
  labels: ExportLabel[];
  rois: Array<ExportRoi & { sopInstanceUid: string | null }>;
}

/** A case key as one path segment of the archive: unsafe characters replaced, and then a hash of the key so two keys never meet. */
export function caseKeyPath(key: string): string {
  const cleaned = key.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 100);
  return cleaned === key && cleaned !== "" ? cleaned : `${cleaned}-${createHash("sha256").update(key, "utf8").digest("hex").slice(0, 10)}`;
}

/** Bytes gathered before a write: one write per file would be thousands of tiny writes. */
const WRITE_BYTES = 256 * 1024;

/**
 * Streams a ZIP through ctx.write: each file's bytes go out (with backpressure) before the next is
 * added, gathered to WRITE_BYTES. Files are stored, not compressed (DICOM pixel data hardly
 * compresses, and the export would pay for it). zip-stream writes ZIP64 where an archive needs it
 * (more than 65,535 files, or past 4 GiB), so a large project's export is one archive; its time is
 * linear in the number of files (yazl, used before, rescanned every entry at each one: 65,600 files
 * took 17 s).
 */
export class ZipSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failure: Error | null = null;
  private readonly zip = new ZipStream({ store: true });
  private readonly ended: Promise<void>;
  files = 0;

  constructor(private readonly ctx: Pick<WriteContext, "write">) {
    this.zip.on("data", (chunk: Buffer) => {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    });
    this.ended = new Promise((resolve, reject) => {
      this.zip.on("end", resolve);
      this.zip.on("error", reject);
    });
    this.ended.catch((err: Error) => (this.failure = err));
  }

  async add(name: string, bytes: Uint8Array, modified: Date): Promise<void> {
    if (this.failure) throw this.failure;
    // ZIP times start in 1980.
    const date = new Date(Math.max(modified.getTime(), Date.UTC(1980, 0, 2)));
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The callback comes once the entry's bytes have reached the output.
    await new Promise<void>((resolve, reject) => this.zip.entry(data, { name, date }, (err) => (err ? reject(err) : resolve())));
    this.files++;
    await this.flush(false);
  }

  async end(): Promise<void> {
    this.zip.finalize();
    await this.ended;
    await this.flush(true);
  }

  private async flush(all: boolean): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.pending.length || (!all && this.pendingBytes < WRITE_BYTES)) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.ctx.write(chunk);
  }
}

/** Writes a reading's files; the DICOM encoding runs on the compute threads, off the event loop. */
type Writer = (sink: ZipSink, compute: Compute, reading: Reading, sources: SourceImage[], project: { id: string; name: string }) => Promise<void>;

/**
 * A region's suggestedBy when it names one of the project's model versions (`models`: id → name),
 * else null: a consensus layer's regions are not checked when written, as readers' are.
 */
export const knownModelVersion = (suggestedBy: string | null | undefined, models: ReadonlyMap<string, string>): string | null => {
  const id = suggestedBy?.toLowerCase();
  return id && models.has(id) ? id : null;
};

/** The model a region was taken from, by name, when it names one of the project's. */
const algorithmOf = (suggestedBy: string | null | undefined, models: ReadonlyMap<string, string>): { algorithm?: string } => {
  const id = knownModelVersion(suggestedBy, models);
  return id ? { algorithm: models.get(id)! } : {};
};

const lower = (kind: string): ExportRoi["kind"] => (kind === "RECTANGLE" ? "rectangle" : kind === "POINT" ? "point" : kind === "LINE" ? "line" : "freehand");

/** What the ROIs that enclose no area mark, as a mask export's notes name them. */
const MARKING = { point: "landmarks", line: "lengths" } as const;

/**
 * The point ROIs (landmarks) and line ROIs (lengths) a mask export leaves out, by kind and class:
 * neither encloses a pixel, so no segment or label value can hold one. The export says so in its
 * notes, a sentence for points and one for lines, rather than writing an empty segment; the SR, CSV
 * and COCO exports have them.
 */
export class LeftOutPointsAndLines {
  private readonly byKind = { point: new Map<string, number>(), line: new Map<string, number>() };

  /** The ROIs that enclose an area; the points and lines among them are counted here. */
  areas<R extends Pick<ExportRoi, "kind" | "className">>(rois: R[]): R[] {
    return rois.filter((r) => {
      if (r.kind !== "point" && r.kind !== "line") return true;
      const byClass = this.byKind[r.kind];
      byClass.set(r.className, (byClass.get(r.className) ?? 0) + 1);
      return false;
    });
  }

  /** What was left out, in words: a sentence for the points and one for the lines, each only when some were. */
  notes(holder: string): string[] {
    return (["point", "line"] as const).flatMap((kind) => {
      const byClass = this.byKind[kind];
      const n = [...byClass.values()].reduce((a, b) => a + b, 0);
      if (!n) return [];
      const classes = [...byClass.keys()].sort().map((c) => `"${c}"`).join(", ");
      return [`${n} ${kind} ROI${n === 1 ? "" : "s"} (${MARKING[kind]}) of ${classes} ${n === 1 ? "is" : "are"} left out: a ${kind} encloses no pixel, so no ${holder} can hold it (the DICOM_SR, CSV_ROIS and COCO exports have the ${kind}s)`];
    });
  }
}

/** A mask or SR export's note on the cases a manager excluded from the project, which no export holds; null when none is. */
export const excludedCasesNote = (n: number): string | null =>
  n ? `${n} case${n === 1 ? "" : "s"} excluded from the project ${n === 1 ? "is" : "are"} left out, with ${n === 1 ? "its" : "their"} images and readings` : null;

/** The file name of a reading's file, named by an image (its UID) where the reading has several files. */
function fileName(reading: Reading, image: SourceImage | null, suffix: string): string {
  const who = reading.version == null ? reading.readerId : `${reading.readerId}-v${reading.version}`;
  return `${caseKeyPath(reading.caseKey)}/${who}${image ? `-${image.sopInstanceUid}` : ""}-${suffix}.dcm`;
}

/** ROIs by the image they lie on (an ROI naming none lies on the first); ROIs on images not in the case are left out. */
export function roisByImage(reading: Reading, sources: SourceImage[]): Map<string, ExportRoi[]> {
  const known = new Set(sources.map((s) => s.sopInstanceUid));
  const by = new Map<string, ExportRoi[]>();
  for (const { sopInstanceUid, ...roi } of reading.rois) {
    const sop = sopInstanceUid ?? sources[0]?.sopInstanceUid;
    if (!sop || !known.has(sop)) continue;
    by.set(sop, [...(by.get(sop) ?? []), roi]);
  }
  return by;
}

const reportInput = (reading: Reading, project: { id: string; name: string }, source: SourceImage) => ({
  source,
  reader: { id: reading.readerId, displayName: reading.displayName },
  project,
  caseKey: reading.caseKey,
  version: reading.version ?? 1,
  submittedAt: reading.submittedAt,
});

/** One SR per image that has something: the labels go in the report of the case's first image. */
const writeReports: Writer = async (sink, compute, reading, sources, project) => {
  const rois = roisByImage(reading, sources);
  for (const [i, source] of sources.entries()) {
    const labels = i === 0 ? reading.labels : [];
    const onImage = rois.get(source.sopInstanceUid) ?? [];
    if (!labels.length && !onImage.length) continue;
    await sink.add(fileName(reading, sources.length > 1 ? source : null, "sr"), await compute.run("dicomSr", { ...reportInput(reading, project, source), labels, rois: onImage }), reading.submittedAt);
  }
};

/**
 * A reading's SEGs: one over the planes of each grid in patient space of each series (a series'
 * slices, a volume's frames: same size, frame of reference, orientation and spacing), and one per image, or per frame
 * of a multi-frame image, that has no patient geometry. A reading with one SEG names it
 * `<reader>-seg.dcm`; with several, each is named by its first image (and frame).
 */
const writeSegmentations: Writer = async (sink, compute, reading, sources, project) => {
  const rois = roisByImage(reading, sources);
  const grids = new Map<string, SegPlane[]>();
  const alone: SegPlane[] = [];
  for (const source of sources) {
    const onImage = rois.get(source.sopInstanceUid) ?? [];
    if (!onImage.length) continue;
    const byFrame = new Map<number | undefined, ExportRoi[]>();
    for (const roi of onImage) {
      const frame = (source.frames ?? 1) > 1 ? (roi.frame ?? 1) : undefined;
      byFrame.set(frame, [...(byFrame.get(frame) ?? []), roi]);
    }
    for (const [frame, onPlane] of [...byFrame].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))) {
      const plane: SegPlane = { source, rois: onPlane, ...(frame !== undefined ? { frame } : {}) };
      const g = source.frameOfReferenceUid ? geometryOf(source, frame) : undefined;
      if (!g) {
        alone.push(plane);
        continue;
      }
      // A study case's series each have their own SEG, even on one grid (a CT's two reconstructions).
      const key = `${source.seriesInstanceUid}|${gridKey(source, source.frameOfReferenceUid, g)}`;
      grids.set(key, [...(grids.get(key) ?? []), plane]);
    }
  }
  const only = grids.size + alone.length === 1;
  // Named by the first plane's image (and frame) where the reading has several SEGs.
  const nameOf = (plane: SegPlane) => (only ? fileName(reading, null, "seg") : fileName(reading, plane.source, plane.frame !== undefined ? `f${plane.frame}-seg` : "seg"));
  for (const planes of grids.values()) {
    const { source: _first, ...common } = reportInput(reading, project, planes[0]!.source);
    const bytes = await compute.run("dicomSegPlanes", { ...common, planes });
    if (bytes) await sink.add(nameOf(planes[0]!), bytes, reading.submittedAt);
  }
  for (const plane of alone) {
    const bytes = await compute.run("dicomSeg", { ...reportInput(reading, project, plane.source), rois: plane.rois, ...(plane.frame !== undefined ? { frame: plane.frame } : {}) });
    if (bytes) await sink.add(nameOf(plane), bytes, reading.submittedAt);
  }
};

/** Readers' submitted annotations (latest, or every version), a batch at a time from one snapshot. */
export async function readerReadings(ctx: WriteContext, onBatch: (readings: Reading[]) => Promise<void>, needLabels: boolean): Promise<void> {
  const { job } = ctx;
  const snapshot = await ctx.annotations.exportBatches(job.projectId, {
    allVersions: job.allVersions,
    readerId: job.scope === "READER" ? job.readerId : null,
    batchSize,
    labels: needLabels,
  });
  const names = new Map<string, string>();
  const models = await ctx.reads.modelVersionNames(job.projectId);
  let done = 0;
  try {
    for await (const batch of snapshot.batches()) {
      const missing = [...new Set(batch.map((b) => b.annotation.readerId))].filter((id) => !names.has(id));
      if (missing.length) for (const [id, name] of await ctx.reads.userNames(missing)) names.set(id, name);
      await onBatch(
        batch.map(({ annotation: a, labels, rois }) => ({
          caseKey: a.key,
          readerId: a.readerId,
          displayName: names.get(a.readerId) ?? "Reader",
          version: a.version,
          submittedAt: a.submittedAt,
          labels: labels.map((l) => ({ name: l.label, value: l.value, confidence: l.confidence })),
          rois: rois.map((r) => ({ id: r.roiId, className: r.className, kind: lower(r.kind), points: r.points, sopInstanceUid: r.sopInstanceUid, frame: r.frame || 1, ...algorithmOf(r.suggestedBy, models) })),
        })),
      );
      done += batch.length;
      await ctx.progress(snapshot.counts.annotations ? done / snapshot.counts.annotations : 1);
    }
  } finally {
    await snapshot.close();
  }
}

async function* consensusLabelCases(ctx: WriteContext): AsyncGenerator<{ caseKey: string; labels: ExportLabel[] }> {
  let after: string | null = null;
  for (;;) {
    const rows = await ctx.reads.consensusLabels(ctx.job.projectId, after, batchSize);
    if (!rows.length) return;
    let current = null as { caseKey: string; labels: ExportLabel[] } | null;
    for (const r of rows) {
      if (current?.caseKey !== r.caseKey) {
        if (current) yield current;
        current = { caseKey: r.caseKey, labels: [] };
      }
      // Ties are left out: adjudication decides those.
      const value = r.value;
      if (value !== null) current.labels.push({ name: r.label, value, confidence: null });
    }
    if (current) yield current;
    after = rows.at(-1)!.caseKey;
  }
}

async function* consensusRoiCases(ctx: WriteContext): AsyncGenerator<{ caseKey: string; rois: RoiInput[] }> {
  let after: string | null = null;
  for (;;) {
    const page = await ctx.collab.consensusRois(ctx.job.projectId, after, batchSize);
    if (!page.length) return;
    yield* page;
    after = page.at(-1)!.caseKey;
  }
}

/**
 * The consensus of each case: majority-vote labels and the consensus ROI layer, the two sources
 * merged by case key. Both come in the database's key order; JavaScript's < agrees with a C or
 * C.UTF-8 collation except around astral characters, and where the two orders disagreed a case
 * would come as two readings (labels, ROIs), never be lost.
 */
export async function consensusReadings(ctx: WriteContext, onBatch: (readings: Reading[]) => Promise<void>, needLabels: boolean): Promise<void> {
  const classNames = new Map((await ctx.reads.labels(ctx.job.projectId)).map((l) => [l.id, l.name]));
  const models = await ctx.reads.modelVersionNames(ctx.job.projectId);
  const labels = needLabels ? consensusLabelCases(ctx) : null;
  const rois = consensusRoiCases(ctx);
  let l = labels ? await labels.next() : null;
  let r = await rois.next();
  const now = new Date();
  let batch: Reading[] = [];
  const reading = (caseKey: string, labelList: ExportLabel[], roiList: RoiInput[]): Reading => ({
    caseKey,
    readerId: CONSENSUS_READER_ID,
    displayName: CONSENSUS_DISPLAY_NAME,
    version: null,
    submittedAt: now,
    labels: labelList,
    rois: roiList
      .filter((x) => classNames.has(x.classId))
      .map((x, i) => ({
        id: x.id ?? `consensus-${i + 1}`,
        className: classNames.get(x.classId)!,
        kind: lower(x.kind),
        points: x.points as Array<[number, number]>,
        sopInstanceUid: x.sopInstanceUid ?? null,
        frame: x.frame ?? 1,
        ...algorithmOf(x.suggestedBy, models),
      })),
  });
  while ((l && !l.done) || !r.done) {
    const lk = l && !l.done ? l.value.caseKey : null;
    const rk = !r.done ? r.value.caseKey : null;
    if (lk !== null && (rk === null || lk < rk)) {
      batch.push(reading(lk, (l!.value as { labels: ExportLabel[] }).labels, []));
      l = await labels!.next();
    } else if (rk !== null && (lk === null || rk < lk)) {
      batch.push(reading(rk, [], (r.value as { rois: RoiInput[] }).rois));
      r = await rois.next();
    } else {
      batch.push(reading(lk!, (l!.value as { labels: ExportLabel[] }).labels, (r.value as { rois: RoiInput[] }).rois));
      l = await labels!.next();
      r = await rois.next();
    }
    if (batch.length >= batchSize) {
      await onBatch(batch);
      batch = [];
    }
  }
  if (batch.length) await onBatch(batch);
}

/** `masks`: the files are masks, which points and lines cannot be; they are left out and README.txt says so. */
function dicomZip(writer: Writer, needLabels: boolean, masks = false): ExportFormatSpec {
  return {
    extension: "zip",
    contentType: "application/zip",
    scopes: ["ALL_READERS", "READER", "CONSENSUS"],
    async write(ctx) {
      const project = { id: ctx.job.projectId, name: await ctx.reads.projectName(ctx.job.projectId) };
      const sink = new ZipSink(ctx);
      const leftOut = new LeftOutPointsAndLines();
      const onBatch = async (readings: Reading[]) => {
        const sources = await ctx.reads.caseSources(ctx.job.projectId, [...new Set(readings.map((r) => r.caseKey))]);
        for (const reading of readings) {
          const images = sources.get(reading.caseKey);
          // Cases without an image (gone since) have nothing to refer to.
          if (images?.length) await writer(sink, ctx.compute, masks ? { ...reading, rois: leftOut.areas(reading.rois) } : reading, images, project);
        }
      };
      if (ctx.job.scope === "CONSENSUS") await consensusReadings(ctx, onBatch, needLabels);
      else await readerReadings(ctx, onBatch, needLabels);
      const excluded = excludedCasesNote(await ctx.reads.excludedCases(ctx.job.projectId));
      const notes = [...(excluded ? [excluded] : []), ...leftOut.notes("segment")];
      if (notes.length) await sink.add("README.txt", new TextEncoder().encode(`Concord ${ctx.job.format} export\n\n${notes.map((n) => `${n}.\n`).join("")}`), new Date());
      await sink.end();
      return { items: sink.files };
    },
  };
}

export const DICOM_FORMATS = {
  DICOM_SR: dicomZip(writeReports, true),
  DICOM_SEG: dicomZip(writeSegmentations, false, true),
} as const satisfies Record<string, ExportFormatSpec>;
