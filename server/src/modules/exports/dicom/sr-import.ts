/*
 * Reading a TID 1500 Measurement Report SR back into labels and ROIs in pixel coordinates: ours
 * (sr.ts) exactly (coordinates as FL holds them), others' as far as they map. An outline is a
 * rectangle only when its group says it was drawn as one (99CONCORD "ROI shape", codes.ts); every
 * other closed POLYLINE is a freehand outline. A POINT (or a MULTIPOINT of one point) is a point, a
 * landmark, in the same coordinates; a POLYLINE of two distinct points is a line (a length), its ends
 * in the order written, and the group's Length NUM, which its ends give again, is not kept; a Length
 * NUM inferred from such a POLYLINE (the SCOORD nested in the NUM, as OHIF writes a length) is read
 * the same way. What
 * Concord has no place for (other measurements, finding sites, 3D coordinates, several points) is
 * skipped and listed in `warnings`; circles and ellipses become 64-vertex freehand outlines, with a
 * warning. A file that is not a TID 1500 report, or that lacks what one must have, is refused with
 * an SrImportError naming what is missing.
 *
 * The file is read with the platform's own reader (images/dicom/read.ts: checks every length)
 * and naturalized with dcmjs's DicomMetaDictionary.naturalizeDataset.
 */
import { readDicomFile, type DicomFile } from "../../images/dicom/read.js";
import { CODES, CONCORD_SCHEME } from "./codes.js";
import { dcmjs, first, list, str, type Naturalized } from "./dcmjs.js";
import type { ImportedImageRef, ImportedLabel, ImportedMeasurementReport, ImportedRoi, Point, RoiKind } from "./types.js";

export class SrImportError extends Error {
  override readonly name = "SrImportError";
}

const SR_SOP_CLASS_PREFIX = "1.2.840.10008.5.1.4.1.1.88.";
/** CID 7021 Measurement Report Document Titles (126000 Imaging, 126001 Oncology, 126002 DCE-MR, 126003 PET...). */
const REPORT_TITLE = /^1260\d\d$/;
const CIRCLE_VERTICES = 64;

interface Code {
  CodeValue?: string;
  CodingSchemeDesignator?: string;
  CodeMeaning?: string;
}
type ContentItem = Naturalized & {
  ValueType?: string;
  RelationshipType?: string;
  ConceptNameCodeSequence?: unknown;
  ContentSequence?: unknown;
};

/** A value as one text: several values (a backslash in the text split them) joined again. */
const text = (v: unknown): string | undefined => {
  const parts = list<unknown>(v).filter((x) => typeof x === "string" || typeof x === "number");
  return parts.length ? parts.map(String).join("\\") : undefined;
};
/** The first item of a code sequence, each of its fields one text (a report from elsewhere may hold anything there). */
const codeOf = (v: unknown): Code | undefined => {
  const item = first<Record<string, unknown>>(v);
  if (!item || typeof item !== "object") return undefined;
  const code: Code = {};
  for (const key of ["CodeValue", "CodingSchemeDesignator", "CodeMeaning"] as const) {
    const t = text(item[key]);
    if (t !== undefined) code[key] = t;
  }
  return code;
};
const conceptOf = (item: ContentItem): Code | undefined => codeOf(item.ConceptNameCodeSequence);
const children = (item: ContentItem): ContentItem[] => list<ContentItem>(item.ContentSequence);
const is = (c: Code | undefined, ref: Code, ...aliases: Array<[string, string]>) =>
  !!c && ((c.CodeValue === ref.CodeValue && c.CodingSchemeDesignator === ref.CodingSchemeDesignator) || aliases.some(([value, scheme]) => c.CodeValue === value && c.CodingSchemeDesignator === scheme));
const describe = (item: ContentItem) => {
  const c = conceptOf(item);
  return `${item.ValueType ?? "item"}${c ? ` "${c.CodeMeaning ?? c.CodeValue}"` : ""}`;
};

// SNOMED-RT (SRT) codes for the same concepts, as older reports carry them.
const PRESENT_ALIASES: Array<[string, string]> = [["G-A203", "SRT"]];
const ABSENT_ALIASES: Array<[string, string]> = [["R-4089B", "SRT"], ["2667000", "SCT"]];
const LENGTH_ALIASES: Array<[string, string]> = [["G-A22A", "SRT"]];

export function readMeasurementReportSR(bytes: Uint8Array, name = "structured report"): ImportedMeasurementReport {
  let file;
  try {
    file = readDicomFile(bytes, name);
  } catch (err) {
    throw new SrImportError(`${name}: not a readable DICOM file: ${(err as Error).message}`);
  }
  return measurementReportOf(file, name);
}

/** The same, of a file already read (import-file.ts reads each file once, to tell SR from SEG). */
export function measurementReportOf(file: DicomFile, name: string): ImportedMeasurementReport {
  const { dict } = file;
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict) as ContentItem;
  const missing = (what: string) => new SrImportError(`${name}: ${what} is missing`);

  const sopClass = str(ds.SOPClassUID);
  if (!sopClass) throw missing("SOP Class UID (0008,0016)");
  if (!sopClass.startsWith(SR_SOP_CLASS_PREFIX)) throw new SrImportError(`${name}: not a structured report (SOP Class UID ${sopClass})`);
  const sopInstanceUid = str(ds.SOPInstanceUID);
  if (!sopInstanceUid) throw missing("SOP Instance UID (0008,0018)");
  const studyInstanceUid = str(ds.StudyInstanceUID);
  if (!studyInstanceUid) throw missing("Study Instance UID (0020,000D)");
  if (ds.ValueType !== "CONTAINER") throw missing("the root CONTAINER content item (Value Type (0040,A040) CONTAINER)");
  const title = conceptOf(ds);
  if (!title) throw missing("the document title (Concept Name Code Sequence (0040,A043))");
  const template = str(first<Naturalized>(ds.ContentTemplateSequence)?.TemplateIdentifier);
  if (template !== "1500" && !(title.CodingSchemeDesignator === "DCM" && REPORT_TITLE.test(title.CodeValue ?? ""))) {
    throw new SrImportError(`${name}: the document "${title.CodeMeaning ?? title.CodeValue}" is not a TID 1500 Measurement Report`);
  }
  if (ds.ContentSequence === undefined) throw missing("the report content (Content Sequence (0040,A730))");

  const warnings: string[] = [];
  const images = new Map<string, ImportedImageRef>();
  const addImage = (ref: ImportedImageRef) => images.set(ref.sopInstanceUid, { ...images.get(ref.sopInstanceUid), ...definedOnly(ref) } as ImportedImageRef);
  for (const key of ["CurrentRequestedProcedureEvidenceSequence", "PertinentOtherEvidenceSequence"]) {
    for (const study of list<Naturalized>(ds[key])) {
      for (const series of list<Naturalized>(study.ReferencedSeriesSequence)) {
        for (const sop of list<Naturalized>(series.ReferencedSOPSequence)) {
          const uid = str(sop.ReferencedSOPInstanceUID);
          const cls = str(sop.ReferencedSOPClassUID);
          if (uid && cls) addImage({ sopClassUid: cls, sopInstanceUid: uid, studyInstanceUid: str(study.StudyInstanceUID), seriesInstanceUid: str(series.SeriesInstanceUID) } as ImportedImageRef);
        }
      }
    }
  }

  const observer: { personName?: string; deviceUid?: string } = {};
  const labels: Array<Omit<ImportedLabel, "sopInstanceUid">> = [];
  const rois: ImportedRoi[] = [];

  for (const item of children(ds)) {
    const concept = conceptOf(item);
    if (item.RelationshipType === "HAS OBS CONTEXT") {
      // PNAME as TID 1003 has it; some writers use TEXT.
      if (is(concept, CODES.personObserverName)) observer.personName ??= personNameText(item.PersonName) ?? str(item.TextValue);
      else if (is(concept, CODES.deviceObserverUid)) observer.deviceUid ??= str(item.UID);
      continue; // observer type, subject context...: nothing to keep
    }
    if (item.RelationshipType === "HAS CONCEPT MOD") continue; // language, procedure reported
    if (is(concept, CODES.imageLibrary)) {
      readImageLibrary(item, addImage);
    } else if (is(concept, CODES.imagingMeasurements)) {
      for (const group of children(item)) {
        if (group.ValueType === "CONTAINER" && is(conceptOf(group), CODES.measurementGroup)) readMeasurementGroup(group, rois, warnings);
        else warnings.push(`Imaging Measurements: skipped ${describe(group)}`);
      }
    } else if (is(concept, CODES.qualitativeEvaluations)) {
      for (const evaluation of children(item)) readEvaluation(evaluation, labels, warnings);
    } else {
      warnings.push(`skipped ${describe(item)} in the report root`);
    }
  }

  const imageList = [...images.values()];
  const only = imageList.length === 1 ? imageList[0]!.sopInstanceUid : null;
  return {
    sopInstanceUid,
    studyInstanceUid,
    images: imageList,
    ...(observer.personName || observer.deviceUid ? { observer } : {}),
    labels: labels.map((l) => ({ ...l, sopInstanceUid: only })),
    rois,
    warnings,
  };
}

function readImageLibrary(library: ContentItem, addImage: (ref: ImportedImageRef) => void): void {
  const visit = (item: ContentItem, inherited: string | undefined) => {
    const frameOfReference = children(item).find((c) => c.RelationshipType === "HAS ACQ CONTEXT" && is(conceptOf(c), CODES.frameOfReferenceUid));
    const forUid = str(frameOfReference?.UID) ?? inherited;
    if (item.ValueType === "IMAGE") {
      const ref = imageRef(item);
      if (ref) addImage({ sopClassUid: ref.sopClassUid, sopInstanceUid: ref.sopInstanceUid, ...(forUid ? { frameOfReferenceUid: forUid } : {}) });
    }
    for (const child of children(item)) if (child.RelationshipType === "CONTAINS") visit(child, forUid);
  };
  visit(library, undefined);
}

function imageRef(item: ContentItem): (ImportedImageRef & { frame: number | null }) | null {
  const sop = first<Naturalized>(item.ReferencedSOPSequence);
  const uid = str(sop?.ReferencedSOPInstanceUID);
  const cls = str(sop?.ReferencedSOPClassUID);
  if (!uid || !cls) return null;
  const frames = list<unknown>(sop?.ReferencedFrameNumber).map(Number).filter(Number.isFinite);
  return { sopClassUid: cls, sopInstanceUid: uid, frame: frames.length === 1 ? frames[0]! : null };
}

function readEvaluation(item: ContentItem, labels: Array<Omit<ImportedLabel, "sopInstanceUid">>, warnings: string[]): void {
  const concept = conceptOf(item);
  const value = codeOf(item.ConceptCodeSequence);
  const present = is(value, CODES.present, ...PRESENT_ALIASES);
  const absent = is(value, CODES.absent, ...ABSENT_ALIASES);
  if (item.ValueType !== "CODE" || !concept?.CodeMeaning || !(present || absent)) {
    warnings.push(`Qualitative Evaluations: skipped ${describe(item)}${value ? ` = "${value.CodeMeaning ?? value.CodeValue}"` : ""} (not a present/absent finding)`);
    return;
  }
  let confidence: number | null = null;
  for (const child of children(item)) {
    const measured = first<Naturalized>(child.MeasuredValueSequence);
    const unit = codeOf(measured?.MeasurementUnitsCodeSequence);
    if (child.ValueType === "NUM" && is(unit, CODES.percent) && (is(conceptOf(child), CODES.confidence) || conceptOf(child)?.CodingSchemeDesignator !== CONCORD_SCHEME)) {
      const n = Number(first(measured?.NumericValue));
      if (Number.isFinite(n) && confidence === null) {
        confidence = n;
        continue;
      }
    }
    warnings.push(`Qualitative Evaluations: "${concept.CodeMeaning}": skipped ${describe(child)}`);
  }
  labels.push({ name: concept.CodeMeaning, value: present, confidence });
}

function readMeasurementGroup(group: ContentItem, rois: ImportedRoi[], warnings: string[]): void {
  let id: string | null = null;
  let trackingUid: string | null = null;
  let className: string | null = null;
  let drawnAs: RoiKind | null = null;
  const regions: ContentItem[] = [];
  const skipped: string[] = [];
  /** Length NUMs: beside a line, what its ends give again (not kept, without a word); beside anything else, a measurement Concord has no place for (a warning). */
  const lengths: string[] = [];
  for (const item of children(group)) {
    const concept = conceptOf(item);
    if (is(concept, CODES.trackingIdentifier)) id = str(item.TextValue) ?? null;
    else if (is(concept, CODES.trackingUid)) trackingUid = str(item.UID) ?? null;
    else if (is(concept, CODES.finding) && item.ValueType === "CODE") className = codeOf(item.ConceptCodeSequence)?.CodeMeaning ?? null;
    else if (item.ValueType === "SCOORD" && is(concept, CODES.imageRegion)) regions.push(item);
    else if (is(concept, CODES.roiShape)) drawnAs = is(codeOf(item.ConceptCodeSequence), CODES.rectangle) ? "rectangle" : "freehand";
    else if (item.ValueType === "NUM" && is(concept, CODES.length, ...LENGTH_ALIASES) && children(item).every((c) => c.ValueType === "SCOORD")) {
      // OHIF and dcmjs's TID 300 adapters nest the line in its Length: the NUM INFERRED FROM a two-point SCOORD.
      regions.push(...children(item));
      lengths.push(describe(item));
    }
    else skipped.push(describe(item));
  }
  const where = `Measurement Group "${id ?? trackingUid ?? "?"}"`;
  const found: ImportedRoi[] = [];
  const regionWarnings: string[] = [];
  for (const region of regions) {
    const source = children(region).find((c) => c.RelationshipType === "SELECTED FROM" && c.ValueType === "IMAGE");
    const ref = source ? imageRef(source) : null;
    if (!ref) {
      regionWarnings.push(`${where}: the image region names no source image; skipped`);
      continue;
    }
    const shape = regionShape(str(region.GraphicType) ?? "", list<unknown>(region.GraphicData).map(Number), drawnAs, where, regionWarnings);
    if (!shape) continue;
    found.push({ id, trackingUid, className: className ?? "", ...shape, sopInstanceUid: ref.sopInstanceUid, frame: ref.frame });
  }
  if (!found.some((r) => r.kind === "line")) skipped.push(...lengths);
  if (skipped.length) warnings.push(`${where}: skipped ${skipped.join(", ")}`);
  if (regions.length === 0) {
    warnings.push(`${where}: no 2D Image Region (SCOORD); skipped`);
    return;
  }
  if (className === null) warnings.push(`${where}: no Finding; class name left empty`);
  warnings.push(...regionWarnings);
  rois.push(...found);
}

function regionShape(type: string, data: number[], drawnAs: RoiKind | null, where: string, warnings: string[]): { kind: RoiKind; points: Point[] } | null {
  if (data.length % 2 !== 0 || data.some((n) => !Number.isFinite(n))) {
    warnings.push(`${where}: Graphic Data is not a list of x/y pairs; skipped`);
    return null;
  }
  const pts: Point[] = [];
  for (let i = 0; i < data.length; i += 2) pts.push([data[i]!, data[i + 1]!]);
  switch (type) {
    case "POLYLINE": {
      if (pts.length === 2) {
        // Two ends: a line (a length), as sr.ts writes one.
        if (pts[0]![0] !== pts[1]![0] || pts[0]![1] !== pts[1]![1]) return { kind: "line", points: pts };
        warnings.push(`${where}: a polyline whose two points are one place is no line; skipped`);
        return null;
      }
      const closed = pts.length >= 4 && pts[0]![0] === pts.at(-1)![0] && pts[0]![1] === pts.at(-1)![1];
      const outline = closed ? pts.slice(0, -1) : pts;
      if (outline.length < 3) {
        warnings.push(`${where}: a ${pts.length}-point polyline is neither a line nor a region; skipped`);
        return null;
      }
      if (!closed) warnings.push(`${where}: the polyline is not closed; read as a closed outline`);
      // Only a region marked as drawn as a rectangle (ours) becomes one; any other outline is freehand.
      if (drawnAs === "rectangle") {
        const rect = asRectangle(outline);
        if (rect) return { kind: "rectangle", points: rect };
        warnings.push(`${where}: marked as a rectangle but its outline is not one; read as freehand`);
      }
      return { kind: "freehand", points: outline };
    }
    case "POINT":
    case "MULTIPOINT": {
      if (pts.length === 1) return { kind: "point", points: pts };
      if (type === "POINT") break;
      warnings.push(`${where}: a MULTIPOINT of ${pts.length} points is not one landmark; skipped`);
      return null;
    }
    case "CIRCLE": {
      if (pts.length !== 2) break;
      const [[cx, cy], [px, py]] = pts as [Point, Point];
      const r = Math.hypot(px - cx, py - cy);
      warnings.push(`${where}: CIRCLE read as a ${CIRCLE_VERTICES}-vertex freehand outline`);
      return { kind: "freehand", points: ellipse(cx, cy, [r, 0], [0, r]) };
    }
    case "ELLIPSE": {
      if (pts.length !== 4) break;
      const [a1, a2, b1, b2] = pts as [Point, Point, Point, Point];
      const c: Point = [(a1[0] + a2[0]) / 2, (a1[1] + a2[1]) / 2];
      warnings.push(`${where}: ELLIPSE read as a ${CIRCLE_VERTICES}-vertex freehand outline`);
      return { kind: "freehand", points: ellipse(c[0], c[1], [(a2[0] - a1[0]) / 2, (a2[1] - a1[1]) / 2], [(b2[0] - b1[0]) / 2, (b2[1] - b1[1]) / 2]) };
    }
    default:
      warnings.push(`${where}: ${type || "unknown"} graphic is not a region; skipped`);
      return null;
  }
  warnings.push(`${where}: ${type} with ${pts.length} points is malformed; skipped`);
  return null;
}

/** The corners sr.ts writes for a rectangle: (x0,y0) (x1,y0) (x1,y1) (x0,y1), x0 < x1, y0 < y1. */
function asRectangle(p: Point[]): Point[] | null {
  if (p.length !== 4) return null;
  const [[x0, y0], [x1, y1a], [x1b, y1], [x0b, y1b]] = p as [Point, Point, Point, Point];
  if (x0 < x1 && y0 < y1 && y1a === y0 && x1b === x1 && x0b === x0 && y1b === y1) {
    return [
      [x0, y0],
      [x1, y1],
    ];
  }
  return null;
}

function ellipse(cx: number, cy: number, u: [number, number], w: [number, number]): Point[] {
  return Array.from({ length: CIRCLE_VERTICES }, (_, i): Point => {
    const a = (2 * Math.PI * i) / CIRCLE_VERTICES;
    return [cx + u[0] * Math.cos(a) + w[0] * Math.sin(a), cy + u[1] * Math.cos(a) + w[1] * Math.sin(a)];
  });
}

function personNameText(v: unknown): string | undefined {
  const x = first<unknown>(v);
  if (typeof x === "string") return x || undefined;
  if (x && typeof x === "object" && "Alphabetic" in x) return String((x as { Alphabetic: unknown }).Alphabetic ?? "") || undefined;
  return undefined;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
