import { randomUUID } from "node:crypto";
import { CasesRepository } from "../cases/cases.repository.js";
import { can, isUuid, requireAccess, type Actor } from "../../access/access.js";
import { AppError, archived, forbidden, invalid, type FieldProblem } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Compute } from "../../compute/compute.js";
import type { Database } from "../../platform/database/index.js";
import { MAX_ROIS, MAX_TOTAL_POINTS, type AnnotationInput, type AnnotationsService, type RoiInput } from "../annotations/annotations.service.js";
import { MAX_POINTS_PER_ROI, normaliseRoi } from "../annotations/geometry.js";
import { isGrade } from "../annotations/timing.js";
import { isAreaShape, type RoiShape } from "../projects/projects.entity.js";
import { isStandardUid, replacementUid } from "../images/deid/uid.js";
import { fitOutlines, type FittedOutlines } from "./dicom/contours.js";
import type { ImportedMeasurementReport, ImportedRoi, Point, RoiKind } from "./dicom/types.js";
import type { LabelVolume } from "./dicom/label-volume.js";
import { SrImportRepository, type ImageCase, type ImagePlanes, type ImportLabel } from "./sr-import.repository.js";

export const MAX_IMPORT_FILES = 50;
/** As the browser panel sends at most (client/src/upload/srImport.ts): 8 MB of file is about 10.7 MB of base64, within the 12 MB body. */
export const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;

export interface SrFile {
  name: string;
  bytes: Uint8Array;
}

export type SrImportStatus = "IMPORTED" | "REFUSED";

export interface SrImportResult {
  fileName: string;
  status: SrImportStatus;
  message: string;
  caseId: string | null;
  caseKey: string | null;
  annotationId: string | null;
  version: number | null;
  labels: number;
  rois: number;
  warnings: string[];
}

/** What a report becomes in a project: a case and an annotation input, or why not. */
export type MappedReport = { ok: true; caseId: string; caseKey: string; input: AnnotationInput; warnings: string[] } | { ok: false; message: string; warnings: string[] };

const fold = (s: string) => s.trim().toLocaleLowerCase("en");

/** How far a slice's plane may be from an image frame's and still be that frame (float32 affines, decimal strings). */
const PLANE_MM = 0.05;
const ORIENTATION_EPSILON = 1e-3;

/**
 * A label volume's slices placed on the project's image frames: each slice on the frame of the
 * same size lying in the same plane (orientation and position), so a mask lands on the NIfTI it was
 * made on, or on the DICOM series it was made from. A volume placed nowhere goes onto the one image
 * of its size and slice count placed nowhere, if there is exactly one. Pure: `images` are the
 * project's images of the volume's size (SrImportRepository.imagePlanes).
 */
export function placeLabelVolume(volume: LabelVolume, images: ImagePlanes[]): { ok: true; report: ImportedMeasurementReport } | { ok: false; message: string; warnings: string[] } {
  const warnings = [...volume.warnings];
  const size = `${volume.columns}x${volume.rows}`;
  const onSlice: Array<{ image: ImagePlanes; frame: number } | null> = [];
  if (!volume.placement) {
    const unplaced = images.filter((i) => i.planes.length === volume.slices && i.planes.every((p) => p === null));
    if (unplaced.length !== 1) {
      const message = `it places its slices nowhere in patient space (no sform, qform or space directions), so it goes only onto the one image of ${volume.slices} ${size} frames placed nowhere; this project has ${unplaced.length}`;
      return { ok: false, message, warnings };
    }
    for (let s = 0; s < volume.slices; s++) onSlice.push({ image: unplaced[0]!, frame: s + 1 });
  } else {
    const { orientation, positions } = volume.placement;
    const same = (a: number[], b: number[], tolerance: number) => a.every((x, i) => Math.abs(x - b[i]!) <= tolerance);
    const frames = images.flatMap((image) => image.planes.flatMap((p, f) => (p && same(p.orientation, orientation, ORIENTATION_EPSILON) ? [{ image, frame: f + 1, position: p.position }] : [])));
    const matches = positions.map((position) => frames.filter((f) => same(f.position, position, PLANE_MM)));
    // Where several images lie in a slice's plane (a series uploaded twice, a volume and its source
    // series), the one holding the most of the volume's slices takes each slice it has.
    const held = new Map<ImagePlanes, number>();
    for (const m of matches) for (const image of new Set(m.map((f) => f.image))) held.set(image, (held.get(image) ?? 0) + 1);
    for (const m of matches) onSlice.push(m.reduce<(typeof m)[number] | null>((best, f) => (!best || held.get(f.image)! > held.get(best.image)! ? f : best), null));
  }
  const rois: ImportedRoi[] = [];
  const unplaced = new Set<number>();
  for (const r of volume.rois) {
    const at = onSlice[r.slice - 1];
    if (!at) {
      unplaced.add(r.slice);
      continue;
    }
    rois.push({ id: null, trackingUid: null, className: r.className, classAliases: r.classAliases, kind: "freehand", points: r.points, sopInstanceUid: at.image.image.sopInstanceUid, frame: at.image.multiFrame ? at.frame : null });
  }
  if (volume.rois.length && !rois.length) {
    const first = volume.placement!.positions[0]!.map((x) => Math.round(x * 100) / 100).join(", ");
    const message = `no image of this project lies in its slices' planes (${volume.slices} slices of ${size}, the first at (${first}) mm, orientation ${volume.placement!.orientation.map((x) => Math.round(x * 1000) / 1000).join(", ")}); upload the image it was made on first`;
    return { ok: false, message, warnings };
  }
  if (unplaced.size) warnings.push(`slice${unplaced.size === 1 ? "" : "s"} ${[...unplaced].sort((a, b) => a - b).join(", ")} lie${unplaced.size === 1 ? "s" : ""} in no image plane of this project; what is labelled there is left out`);
  const placedOn = [...new Set(rois.map((r) => r.sopInstanceUid))].map((sopInstanceUid) => ({ sopInstanceUid, sopClassUid: "" }));
  return { ok: true, report: { sopInstanceUid: "", studyInstanceUid: "", images: placedOn, labels: [], rois, warnings, grid: { rows: volume.rows, columns: volume.columns } } };
}

export const MAX_MASK_LABELS = 1000;

/** The mask label names given with an import, checked: positive whole values, each once, names of 1 to 64 characters. */
export function maskLabelNames(given: Array<{ value: number; name: string }>): Array<[number, string]> {
  if (given.length > MAX_MASK_LABELS) throw invalid([{ field: "maskLabels", message: `must hold at most ${MAX_MASK_LABELS} names` }]);
  const seen = new Set<number>();
  const problems: FieldProblem[] = [];
  given.forEach(({ value, name }, i) => {
    if (!Number.isInteger(value) || value < 1) problems.push({ field: `maskLabels[${i}].value`, message: "must be a positive whole number" });
    else if (seen.has(value)) problems.push({ field: `maskLabels[${i}].value`, message: `${value} is named twice` });
    seen.add(value);
    if (name.trim() === "" || name.trim().length > 64) problems.push({ field: `maskLabels[${i}].name`, message: "must be 1 to 64 characters" });
  });
  if (problems.length) throw invalid(problems);
  return given.map(({ value, name }) => [value, name.trim()]);
}

/** The corners [[minX, minY], [maxX, maxY]] of an outline that is an axis-aligned rectangle (its four corners, in either turn), else null. */
export function axisAlignedBox(points: number[][]): number[][] | null {
  if (points.length !== 4) return null;
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  if (new Set(xs).size !== 2 || new Set(ys).size !== 2) return null;
  // Consecutive corners share x or y (not a bow tie through the diagonals).
  for (let i = 0; i < 4; i++) {
    const [a, b] = [points[i]!, points[(i + 1) % 4]!];
    if (a[0] !== b[0] && a[1] !== b[1]) return null;
  }
  return [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
  ];
}

/** Every image a report refers to: its evidence, its regions' and its evaluations'. */
export const referencedImages = (report: ImportedMeasurementReport): string[] => [
  ...new Set([...report.images.map((i) => i.sopInstanceUid), ...report.rois.map((r) => r.sopInstanceUid), ...report.labels.flatMap((l) => (l.sopInstanceUid ? [l.sopInstanceUid] : []))]),
];

/** The report with its image UIDs renamed. */
const withImages = (report: ImportedMeasurementReport, rename: (uid: string) => string): ImportedMeasurementReport => ({
  ...report,
  images: report.images.map((i) => ({ ...i, sopInstanceUid: rename(i.sopInstanceUid) })),
  rois: report.rois.map((r) => ({ ...r, sopInstanceUid: rename(r.sopInstanceUid) })),
  labels: report.labels.map((l) => ({ ...l, sopInstanceUid: l.sopInstanceUid ? rename(l.sopInstanceUid) : null })),
});

/** The stored kind of an imported region's shape. */
const KINDS = { rectangle: "RECTANGLE", freehand: "FREEHAND", point: "POINT", line: "LINE" } as const satisfies Record<RoiKind, RoiShape>;
/** What an ROI of a kind (or a class of a shape) marks: a place, a length or an area; a class of no shape takes areas. */
const marking = (k: RoiShape | null): "POINT" | "LINE" | "AREA" => (k === null || isAreaShape(k) ? "AREA" : (k as "POINT" | "LINE"));
const TAKES = { POINT: "points (landmarks)", LINE: "lines (lengths)", AREA: "areas" } as const;
const MARKS = { POINT: "points", LINE: "lines", AREA: "areas" } as const;
const ONE = { RECTANGLE: "rectangle", FREEHAND: "freehand region", POINT: "point", LINE: "line" } as const satisfies Record<RoiShape, string>;

/**
 * Maps a read report onto a project: the case holding the images it refers to, label names to the
 * project's classification labels and ROI class names to its ROI classes (case-insensitive; names
 * the project lacks are warnings, never created). Pure: `cases` are the project's cases of the
 * report's images, `labels` its active labels.
 */
/** Simplifies traced outlines to fit a number of points (fitOutlines), here or on a compute thread. */
export type FitOutlines = (outlines: Point[][], limit: number) => FittedOutlines | Promise<FittedOutlines>;

export async function mapReport(report: ImportedMeasurementReport, cases: ImageCase[], labels: ImportLabel[], fit: FitOutlines = fitOutlines): Promise<MappedReport> {
  const warnings = [...report.warnings];
  const referenced = referencedImages(report);
  const caseIds = [...new Set(cases.map((c) => c.caseId))];
  if (caseIds.length === 0) {
    return { ok: false, message: `no case of this project holds the image${referenced.length === 1 ? "" : "s"} it refers to (SOP Instance UID ${referenced.join(", ") || "none"}); upload ${referenced.length === 1 ? "it" : "them"} first`, warnings };
  }
  if (caseIds.length > 1) {
    return { ok: false, message: `it refers to images of ${caseIds.length} cases (${[...new Set(cases.map((c) => c.caseKey))].join(", ")}); a report is imported into one case`, warnings };
  }
  const caseId = caseIds[0]!;
  const caseKey = cases[0]!.caseKey;
  const onCase = new Set(cases.map((c) => c.sopInstanceUid));
  const images = new Map(cases.map((c) => [c.sopInstanceUid, c]));
  const missing = referenced.filter((u) => !onCase.has(u));
  if (missing.length) warnings.push(`image${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in case ${caseKey}; what lies on ${missing.length === 1 ? "it" : "them"} is left out`);

  const byName = (kind: ImportLabel["kind"]) => {
    const m = new Map<string, ImportLabel>();
    for (const l of labels) if (l.kind === kind && !m.has(fold(l.name))) m.set(fold(l.name), l);
    return m;
  };
  const classification = byName("CLASSIFICATION");
  const classes = byName("ROI");

  const values = new Map<string, AnnotationInput["labels"][number]>();
  for (const l of report.labels) {
    const label = classification.get(fold(l.name));
    if (!label) {
      warnings.push(`label "${l.name}" is not a classification label of this project; left out`);
      continue;
    }
    if (values.has(label.id)) {
      warnings.push(`label "${l.name}" is given more than once; the first is kept`);
      continue;
    }
    let confidence = l.confidence;
    if (confidence != null && !isGrade(confidence)) {
      warnings.push(`label "${l.name}": confidence ${confidence} is not a grade of this scale; left out`);
      confidence = null;
    }
    values.set(label.id, { labelId: label.id, value: l.value, confidence });
  }

  const rois: RoiInput[] = [];
  /** The coarsest simplification a traced outline needed to fit (pixels); 0 when none did. */
  let coarser = 0;
  /** Points of the kept regions as they came, before any simplification. */
  let tracedTotal = 0;
  const ids = new Set<string>();
  const unknownClasses = new Set<string>();
  const misfit = new Set<string>();
  for (const r of report.rois) {
    const cls = [r.className, ...(r.classAliases ?? [])].map((n) => classes.get(fold(n))).find(Boolean);
    if (!cls) {
      const key = fold(r.className);
      if (!unknownClasses.has(key)) warnings.push(`ROI class "${r.className}" is not an ROI class of this project; its region${report.grid ? "s are" : " is"} left out`);
      unknownClasses.add(key);
      continue;
    }
    const image = images.get(r.sopInstanceUid);
    if (!image) continue;
    if (report.grid && image.rows && image.columns && (image.rows !== report.grid.rows || image.columns !== report.grid.columns)) {
      if (!misfit.has(r.sopInstanceUid)) warnings.push(`the segmentation's ${report.grid.columns}x${report.grid.rows} frames do not fit image ${r.sopInstanceUid} (${image.columns}x${image.rows}); what lies on it is left out`);
      misfit.add(r.sopInstanceUid);
      continue;
    }
    const kind: RoiInput["kind"] = KINDS[r.kind];
    // A point marks a place, a line a length and an area encloses one: none stands in for another
    // (a rectangle and a freehand outline do, below).
    if (marking(kind) !== marking(cls.roiShape)) {
      warnings.push(`ROI class "${cls.name}" takes ${TAKES[marking(cls.roiShape)]}, not ${MARKS[marking(kind)]}; a ${ONE[kind]} of it is left out`);
      continue;
    }
    let points = r.points.map(([x, y]) => [x, y]);
    let box: number[][] | null;
    let shape: RoiInput["kind"] = kind;
    if (cls.roiShape && cls.roiShape !== kind) {
      if (kind === "RECTANGLE") {
        // A rectangle is a freehand outline too: its four corners.
        const [[x0, y0], [x1, y1]] = points as [[number, number], [number, number]];
        points = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
        shape = "FREEHAND";
      } else if ((box = axisAlignedBox(points))) {
        // A traced rectangle (a segmentation's, or an exported rectangle read back): its two corners.
        points = box;
        shape = "RECTANGLE";
      } else {
        warnings.push(`ROI class "${cls.name}" takes rectangles; a freehand region of it is left out`);
        continue;
      }
    }
    // Checked here as submit checks it, so a region that would not be stored is a warning, not a refused file.
    const frame = r.frame ?? 1;
    if (frame > image.frames) {
      warnings.push(`a region of "${cls.name}" lies on frame ${frame} of an image with ${image.frames}; left out`);
      continue;
    }
    const asTraced = points.length;
    if (shape === "FREEHAND" && report.grid && points.length > MAX_POINTS_PER_ROI) {
      // A traced region too ragged for one ROI: its outline simplified until it fits, rather than left out.
      const fitted = await fit([points as Point[]], MAX_POINTS_PER_ROI);
      if (fitted) {
        points = fitted.outlines[0]!;
        coarser = Math.max(coarser, fitted.tolerance);
      }
    }
    const shaped = normaliseRoi(shape, points, image.rows && image.columns ? { rows: image.rows, columns: image.columns } : null, "points");
    if ("problems" in shaped) {
      warnings.push(`a region of "${cls.name}" cannot be stored (${shaped.problems.map((p) => `${p.field} ${p.message}`).join("; ")}); left out`);
      continue;
    }
    // Our ROI ids come back (Tracking Identifier); others' identifiers are not UUIDs, so a new one is made.
    const id = r.id && isUuid(r.id) && !ids.has(r.id.toLowerCase()) ? r.id.toLowerCase() : randomUUID();
    ids.add(id);
    rois.push({ id, classId: cls.id, kind: shape, points, sopInstanceUid: r.sopInstanceUid, frame });
    tracedTotal += asTraced;
  }
  const traced = rois.reduce((n, r) => n + r.points.length, 0);
  if (report.grid && rois.length <= MAX_ROIS && traced > MAX_TOTAL_POINTS) {
    // Traced outlines with more points than an annotation holds: simplified together, as little as fits.
    const freehand = rois.filter((r) => r.kind === "FREEHAND");
    const fixed = traced - freehand.reduce((n, r) => n + r.points.length, 0);
    const fitted = await fit(freehand.map((r) => r.points as Point[]), MAX_TOTAL_POINTS - fixed);
    if (fitted) {
      // A region that simplifies to no area (a line one pixel wide) keeps its outline: submit would refuse it.
      freehand.forEach((r, i) => {
        if (!("problems" in normaliseRoi("FREEHAND", fitted.outlines[i]!, null, "points"))) r.points = fitted.outlines[i]!;
      });
      coarser = Math.max(coarser, fitted.tolerance);
    }
  }
  if (coarser > 0) {
    const now = rois.reduce((n, r) => n + r.points.length, 0);
    warnings.push(`the traced outlines hold more points (${tracedTotal}) than an annotation or one region may, so they were simplified to ${now}, each within ${coarser} pixel of the mask's edge: the regions no longer match the mask pixel for pixel`);
  }
  if (rois.length > MAX_ROIS || rois.reduce((n, r) => n + r.points.length, 0) > MAX_TOTAL_POINTS) {
    return { ok: false, message: `it holds more regions than an annotation may (${MAX_ROIS} regions, ${MAX_TOTAL_POINTS} points in all)`, warnings };
  }
  if (values.size === 0 && rois.length === 0) {
    return { ok: false, message: `nothing in it maps to this project's labels or ROI classes`, warnings };
  }
  return { ok: true, caseId, caseKey, input: { labels: [...values.values()], rois }, warnings };
}

/**
 * Importing Measurement Report SRs (issue 9): ours, read back exactly, and others' TID 1500
 * reports as far as they map; Segmentations, each segment's regions as freehand ROIs of the class
 * of that name (dicom/seg-import.ts); and NIfTI or NRRD label masks, placed by their slices' planes
 * (dicom/label-volume.ts, placeLabelVolume). Files are read on a compute thread. Each file becomes
 * a new submitted version of the importing user's annotation of the case holding its image, stored through AnnotationsService.submit (and revise,
 * when the user had submitted the case), so the same validation and ROI rules apply as to a
 * reading made in the viewer; labels the report does not name are recorded as implicit negatives,
 * as on any submission. Permission data.upload (bringing data into the project, like uploading
 * images), and the importer must be one who may annotate, since the result is their reading.
 * Files are independent: one refused never stops the others. A file is mapped and checked (names,
 * shapes, bounds, frames, limits) before anything is written; what submit could still refuse
 * (a label archived meanwhile) refuses the file, leaving at most the draft revise opened, a copy of
 * the user's own latest submission.
 */
export class SrImportService {
  constructor(
    private readonly db: Database,
    private readonly annotations: AnnotationsService,
    private readonly log: Logger,
    /** Reads each file (tracing a segmentation's frames) off the event loop. */
    private readonly compute: Compute,
  ) {}

  async importReports(actor: Actor | null, projectId: string, files: SrFile[], maskLabels: Array<{ value: number; name: string }> = []): Promise<SrImportResult[]> {
    const em = this.db.dataSource.manager;
    const access = await requireAccess(em, actor, "data.upload", projectId);
    if (access.archived) throw archived();
    if (!can(actor, "case.annotate", access)) throw forbidden("Imported reports become your annotations: importing needs a role that may annotate cases (owner or manager)");
    if (files.length === 0 || files.length > MAX_IMPORT_FILES) throw invalid([{ field: "files", message: `must hold 1 to ${MAX_IMPORT_FILES} files` }]);
    const names = maskLabelNames(maskLabels);
    const repo = new SrImportRepository(em);
    const labels = await repo.activeLabels(projectId);
    const results: SrImportResult[] = [];
    // The project's image planes by size, read once per import however many masks share a size.
    const planes = new Map<string, Promise<ImagePlanes[]>>();
    const planesOf = (rows: number, columns: number) => {
      const key = `${rows}x${columns}`;
      if (!planes.has(key)) planes.set(key, repo.imagePlanes(projectId, rows, columns));
      return planes.get(key)!;
    };
    for (const file of files) results.push(await this.importOne(actor!, projectId, repo, labels, file, names, planesOf));
    this.log.info({ project: projectId, files: files.length, imported: results.filter((r) => r.status === "IMPORTED").length }, "structured reports imported");
    return results;
  }

  private async importOne(
    actor: Actor,
    projectId: string,
    repo: SrImportRepository,
    labels: ImportLabel[],
    file: SrFile,
    maskNames: Array<[number, string]>,
    planesOf: (rows: number, columns: number) => Promise<ImagePlanes[]>,
  ): Promise<SrImportResult> {
    const refused = (message: string, warnings: string[] = [], at: { caseId?: string; caseKey?: string } = {}): SrImportResult => ({
      fileName: file.name,
      status: "REFUSED",
      message,
      caseId: at.caseId ?? null,
      caseKey: at.caseKey ?? null,
      annotationId: null,
      version: null,
      labels: 0,
      rois: 0,
      warnings,
    });
    if (file.bytes.byteLength > MAX_IMPORT_FILE_BYTES) return refused(`the file is larger than ${MAX_IMPORT_FILE_BYTES} bytes`);
    const read = await this.compute.run("annotationFile", file.bytes, file.name, maskNames);
    if (!read.ok) return refused(read.message);
    let report: ImportedMeasurementReport;
    if ("volume" in read) {
      const placed = placeLabelVolume(read.volume, await planesOf(read.volume.rows, read.volume.columns));
      if (!placed.ok) return refused(placed.message, placed.warnings);
      report = placed.report;
    } else report = read.report;
    if (report.byPlane) {
      // A segmentation's frames that name no image, placed by their planes.
      const { byPlane, ...rest } = report;
      const placed = placeLabelVolume(byPlane, await planesOf(byPlane.rows, byPlane.columns));
      report = placed.ok
        ? { ...rest, images: [...rest.images, ...placed.report.images], rois: [...rest.rois, ...placed.report.rois], warnings: [...rest.warnings, ...placed.report.warnings] }
        : { ...rest, warnings: [...rest.warnings, `its frames that name no image are left out: ${placed.message}`, ...placed.warnings] };
    }
    const referenced = referencedImages(report);
    // Stored images are de-identified: a report made on the original images (another system's)
    // names their original UIDs, which the project's UID replacement turns into the stored ones.
    const key = await repo.deidKey(projectId);
    const replaced = new Map(key ? referenced.filter((u) => !isStandardUid(u)).map((u) => [replacementUid(key, u), u] as const) : []);
    const found = referenced.length ? await repo.casesOfImages(projectId, [...referenced, ...replaced.keys()]) : [];
    const direct = new Set(found.map((c) => c.sopInstanceUid).filter((u) => !replaced.has(u)));
    const storedUid = new Map<string, string>();
    for (const c of found) {
      const original = replaced.get(c.sopInstanceUid);
      if (original && !direct.has(original)) storedUid.set(original, c.sopInstanceUid);
    }
    if (storedUid.size) report = withImages(report, (u) => storedUid.get(u) ?? u);
    // Simplifying a large traced import is CPU work: on the compute thread, as its reading was.
    const mapped = await mapReport(report, found, labels, (outlines, limit) => this.compute.run("fitOutlines", outlines, limit));
    if (storedUid.size) mapped.warnings.push(`it names ${storedUid.size === 1 ? "an image" : `${storedUid.size} images`} by ${storedUid.size === 1 ? "its" : "their"} original UID; matched to the de-identified image${storedUid.size === 1 ? "" : "s"} stored`);
    if (!mapped.ok) return refused(mapped.message, mapped.warnings);
    const at = { caseId: mapped.caseId, caseKey: mapped.caseKey };
    // An excluded case is no longer read: a reading imported into it would count nowhere.
    if (!(await new CasesRepository(this.db.dataSource.manager).isIncluded(mapped.caseId))) return refused(`case ${mapped.caseKey} is excluded from the project; include it again to import into it`, mapped.warnings, at);
    try {
      // A user who has submitted the case gets a new version (submit alone refuses a submitted case).
      const revised = (await repo.hasSubmitted(mapped.caseId, actor.userId)) ? await this.annotations.revise(actor, mapped.caseId) : null;
      let input = mapped.input;
      if (report.grid) {
        // A segmentation holds regions only: the new version keeps the importer's own label values
        // (of the submission revise just copied, or of their draft), rather than recording them all as negatives.
        const active = new Set(labels.filter((l) => l.kind === "CLASSIFICATION").map((l) => l.id));
        const current = revised ?? (await this.annotations.mine(actor, mapped.caseId));
        input = { ...input, labels: (current?.labels ?? []).filter((l) => !l.implicit && active.has(l.labelId)).map(({ labelId, value, confidence }) => ({ labelId, value, confidence })) };
      }
      const stored = await this.annotations.submit(actor, mapped.caseId, input);
      return {
        fileName: file.name,
        status: "IMPORTED",
        message: `imported into case ${mapped.caseKey} as version ${stored.annotation.version}`,
        ...at,
        annotationId: stored.annotation.id,
        version: stored.annotation.version,
        labels: mapped.input.labels.length,
        rois: input.rois?.length ?? 0,
        warnings: mapped.warnings,
      };
    } catch (err) {
      if (err instanceof AppError) return refused(err.message, mapped.warnings, at);
      throw err;
    }
  }
}
