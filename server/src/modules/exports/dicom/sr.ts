/*
 * One reader's submitted annotations of one case as a DICOM Comprehensive 3D SR (PS3.3 A.35.13)
 * following TID 1500 "Measurement Report" (PS3.16):
 *
 *   CONTAINER (126000, DCM, "Imaging Measurement Report")           TID 1500
 *     HAS CONCEPT MOD  Language = en-US                             TID 1204
 *     HAS OBS CONTEXT  Observer Type = Person, Person Observer Name = the reader's display name (TID 1001/1003)
 *     HAS CONCEPT MOD  Procedure reported = (363679005, SCT, "Imaging procedure")
 *     CONTAINS CONTAINER Image Library > Image Library Group         TID 1600
 *       CONTAINS IMAGE the source image                               TID 1601
 *         HAS ACQ CONTEXT Frame of Reference UID, Pixel Data Rows/Columns  TID 1602
 *     CONTAINS CONTAINER Imaging Measurements
 *       CONTAINS CONTAINER Measurement Group, one per ROI              TID 1410
 *         HAS OBS CONTEXT Tracking Identifier = ROI id, Tracking Unique Identifier  TID 4108
 *         CONTAINS CODE Finding = the ROI class (99CONCORD)
 *         HAS CONCEPT MOD CODE ROI shape = Rectangle | Freehand | Point | Line (99CONCORD)
 *         CONTAINS SCOORD Image Region, closed POLYLINE (a point: POINT; a line: open POLYLINE of its two ends) in pixel coordinates
 *           SELECTED FROM IMAGE the source image
 *         CONTAINS NUM Length (a line's), in mm by the image's spacing, else in pixels   TID 1419
 *     CONTAINS CONTAINER Qualitative Evaluations (when there are labels)
 *       CONTAINS CODE <label (99CONCORD)> = Present | Absent            (CID 241)
 *         HAS PROPERTIES NUM Confidence (99CONCORD) in % (when given)
 *
 * A rectangle is written as the closed 5-point polyline (minX,minY) (maxX,minY) (maxX,maxY)
 * (minX,maxY) (minX,minY); a freehand outline as its vertices with the first repeated at the end
 * (2D SCOORD has no POLYGON type); a point (a landmark) as a POINT, its one column/row pair; a line
 * (a length) as an open POLYLINE of its two ends in the order drawn, with its length as a NUM. SCOORD
 * coordinates and ours share their origin (types.ts), so each is written as stored. Coordinates are
 * FL (32-bit float), so a value that float32 cannot hold comes back as Math.fround of it.
 *
 * A line's length is in mm where the image has a pixel spacing, rows and columns each by their own
 * (as the review and the viewer measure it); on an image without one (a PNG upload) it is in pixels,
 * UCUM {pixels} (CID 7181), which is what the viewer showed the reader: the unit says it is no
 * physical length, and a receiver that wants the ends has them in the region anyway.
 *
 * dcmjs parts used: sr.coding.CodedConcept; sr.valueTypes (Code/Text/UIDRef/Num/Container content
 * items); sr.contentItems.ImageRegion and SourceImageForRegion; sr.templates
 * LanguageOfContentItemAndDescendants, ObserverContext, PersonObserverIdentifyingAttributes,
 * TrackingIdentifier; data.DicomMetaDictionary.denaturalizeDataset, then the bytes of
 * DicomDict.write() (codes.ts writePart10: encode.ts, checked byte for byte against dcmjs). Not used, and
 * why: sr.templates.MeasurementReport allows only one of Imaging Measurements and Qualitative
 * Evaluations (TID 1500 allows both); PlanarROIMeasurementsAndQualitativeEvaluations always throws
 * (it checks the tracking identifier items are CodedConcepts, which they never are) and logs every
 * measurement to the console; sr.documents.Comprehensive3DSR stamps the current date and time, so
 * a re-export would differ. The tree is therefore assembled here from dcmjs's content items.
 */
import { classCode, CODES, CODING_SCHEME_IDENTIFICATION, derivedUid, dicomDateTime, labelCode, loText, personName, writePart10 } from "./codes.js";
import { distanceMm } from "../../images/spacing.js";
import { dcmjs, type CodedConcept, type Naturalized } from "./dcmjs.js";
import type { ExportRoi, MeasurementReportInput, Point, SourceImage } from "./types.js";

export const COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";
export const SR_SERIES_NUMBER = 9001;
const v = dcmjs.sr.valueTypes;
const t = dcmjs.sr.templates;

/** The UIDs a report gets: the same input always gives the same UIDs. */
export function measurementReportUids(input: Pick<MeasurementReportInput, "project" | "caseKey" | "reader" | "version" | "source">) {
  return {
    series: derivedUid("sr-series", input.project.id, input.source.studyInstanceUid),
    // The source image too: a series case has one report per image.
    instance: derivedUid("sr", input.project.id, input.caseKey, input.reader.id, input.version, input.source.sopInstanceUid),
    tracking: (roiId: string) => derivedUid("roi", input.project.id, input.caseKey, input.reader.id, input.version, roiId),
  };
}

export function writeMeasurementReportSR(input: MeasurementReportInput): Uint8Array {
  return writePart10(measurementReportDataset(input));
}

/** The naturalized data set writeMeasurementReportSR writes. */
export function measurementReportDataset(input: MeasurementReportInput): Naturalized {
  const { source } = input;
  const uids = measurementReportUids(input);
  const content = dicomDateTime(input.submittedAt);

  const root: Naturalized[] = [
    ...new t.LanguageOfContentItemAndDescendants({}),
    ...new t.ObserverContext({
      observerType: CODES.person,
      observerIdentifyingAttributes: new t.PersonObserverIdentifyingAttributes({ name: personName(input.reader.displayName) }),
    }),
    new v.CodeContentItem({ name: CODES.procedureReported, value: CODES.imagingProcedure, relationshipType: "HAS CONCEPT MOD" }),
    imageLibrary(source),
  ];
  const groups = input.rois.map((roi) => planarRoiGroup(roi, source, uids.tracking(roi.id)));
  // TID 1500 needs Imaging Measurements or Qualitative Evaluations: a report without ROIs or labels keeps an empty one.
  if (groups.length > 0 || input.labels.length === 0) root.push(container(CODES.imagingMeasurements, groups));
  if (input.labels.length > 0) {
    root.push(
      container(
        CODES.qualitativeEvaluations,
        input.labels.map((label) => {
          const item = new v.CodeContentItem({ name: labelCode(label.name), value: label.value ? CODES.present : CODES.absent, relationshipType: "CONTAINS" });
          if (label.confidence !== null) {
            item.ContentSequence = [new v.NumContentItem({ name: CODES.confidence, value: label.confidence, unit: CODES.percent, relationshipType: "HAS PROPERTIES" })];
          }
          return item;
        }),
      ),
    );
  }

  return {
    SOPClassUID: COMPREHENSIVE_3D_SR,
    SOPInstanceUID: uids.instance,
    ...patientAndStudy(source),
    Modality: "SR",
    SeriesInstanceUID: uids.series,
    SeriesNumber: SR_SERIES_NUMBER,
    SeriesDescription: loText(`Concord annotations: ${input.project.name}`),
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: "Concord",
    InstanceNumber: input.version,
    ContentDate: content.date,
    ContentTime: content.time,
    TimezoneOffsetFromUTC: "+0000",
    CompletionFlag: "COMPLETE",
    VerificationFlag: "UNVERIFIED",
    PreliminaryFlag: "FINAL",
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: source.studyInstanceUid,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: source.seriesInstanceUid,
            ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
          },
        ],
      },
    ],
    CodingSchemeIdentificationSequence: CODING_SCHEME_IDENTIFICATION,
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [CODES.imagingMeasurementReport],
    ContinuityOfContent: "SEPARATE",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: root,
  };
}

/** Patient and General Study modules: the de-identified values stored with the source image. */
export function patientAndStudy(source: SourceImage): Naturalized {
  return {
    PatientName: source.patient?.name ?? "",
    PatientID: source.patient?.id ?? "",
    PatientBirthDate: "",
    PatientSex: "",
    StudyInstanceUID: source.studyInstanceUid,
    StudyDate: source.studyDate ?? "",
    StudyTime: "",
    ReferringPhysicianName: "",
    StudyID: "",
    AccessionNumber: source.accession ?? "",
  };
}

function container(name: typeof CODES.imageLibrary, children: Naturalized[], templateID?: string): Naturalized {
  const item = new v.ContainerContentItem({ name, relationshipType: "CONTAINS", ...(templateID ? { templateID } : {}) });
  item.ContentSequence = children;
  return item;
}

function imageLibrary(source: SourceImage): Naturalized {
  // dcmjs's list of relationship types misspells HAS ACQ CONTEXT ("HAS ACQ CONTENT"): set it afterwards.
  const acquisitionContext = (item: Naturalized) => Object.assign(item, { RelationshipType: "HAS ACQ CONTEXT" });
  const descriptors: Naturalized[] = [];
  if (source.frameOfReferenceUid) {
    descriptors.push(acquisitionContext(new v.UIDRefContentItem({ name: CODES.frameOfReferenceUid, value: source.frameOfReferenceUid })));
  }
  descriptors.push(
    acquisitionContext(new v.NumContentItem({ name: CODES.pixelDataRows, value: source.rows, unit: CODES.pixels })),
    acquisitionContext(new v.NumContentItem({ name: CODES.pixelDataColumns, value: source.columns, unit: CODES.pixels })),
  );
  // TID 1601: the entry is an IMAGE item without a concept name.
  const entry: Naturalized = {
    RelationshipType: "CONTAINS",
    ValueType: "IMAGE",
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
    ContentSequence: descriptors,
  };
  return container(CODES.imageLibrary, [container(CODES.imageLibraryGroup, [entry])]);
}

const SHAPE_CODES = { rectangle: CODES.rectangle, freehand: CODES.freehand, point: CODES.point, line: CODES.line } as const;

/** The SCOORD of a region: a point's POINT, a line's open POLYLINE of its two ends, an outline's closed POLYLINE. */
function graphicOf(roi: ExportRoi): { graphicType: string; graphicData: number[] } {
  if (roi.kind === "point") return { graphicType: "POINT", graphicData: landmark(roi) };
  if (roi.kind === "line") return { graphicType: "POLYLINE", graphicData: lineEnds(roi).flat() };
  return { graphicType: "POLYLINE", graphicData: closedOutline(roi).flat() };
}

function planarRoiGroup(roi: ExportRoi, source: SourceImage, trackingUid: string): Naturalized {
  const region = new dcmjs.sr.contentItems.ImageRegion({
    ...graphicOf(roi),
    sourceImage: new dcmjs.sr.contentItems.SourceImageForRegion({
      referencedSOPClassUID: source.sopClassUid,
      referencedSOPInstanceUID: source.sopInstanceUid,
      // A region on one frame of a multi-frame image names that frame (PS3.3 C.17.3.2.1: required then).
      ...((source.frames ?? 1) > 1 ? { referencedFrameNumbers: [roi.frame ?? 1] } : {}),
    }),
  });
  return container(
    CODES.measurementGroup,
    [
      ...new t.TrackingIdentifier({ uid: trackingUid, identifier: loText(roi.id) }),
      new v.CodeContentItem({ name: CODES.finding, value: classCode(roi.className), relationshipType: "CONTAINS" }),
      new v.CodeContentItem({ name: CODES.roiShape, value: SHAPE_CODES[roi.kind], relationshipType: "HAS CONCEPT MOD" }),
      region,
      ...(roi.kind === "line" ? [new v.NumContentItem({ name: CODES.length, ...lineLength(lineEnds(roi), source), relationshipType: "CONTAINS" })] : []),
    ],
    "1410",
  );
}

/** A point's one column/row pair, as written. */
function landmark(roi: Pick<ExportRoi, "points">): Point {
  if (roi.points.length !== 1) throw new Error(`point ROI has ${roi.points.length} points; a point is one [x, y]`);
  return [roi.points[0]![0], roi.points[0]![1]];
}

/** A line's two ends, as drawn. */
function lineEnds(roi: Pick<ExportRoi, "points">): [Point, Point] {
  if (roi.points.length !== 2) throw new Error(`line ROI has ${roi.points.length} points; a line is two [x, y] ends`);
  const [[x0, y0], [x1, y1]] = roi.points as [Point, Point];
  return [
    [x0, y0],
    [x1, y1],
  ];
}

/**
 * A line's length: in mm by the image's spacing (rows and columns each by their own), else in
 * pixels. Rounded to 0.0001, far finer than any image resolves, so that the NUM's DS value (16
 * characters) holds it whole and agrees with the FD beside it, rather than being cut short.
 */
function lineLength([a, b]: [Point, Point], source: Pick<SourceImage, "spacing">): { value: number; unit: CodedConcept } {
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return source.spacing ? { value: round(distanceMm(a, b, source.spacing)), unit: CODES.millimetre } : { value: round(Math.hypot(b[0] - a[0], b[1] - a[1])), unit: CODES.pixels };
}

/** The outline as written: a rectangle's four corners or the freehand vertices, closed by repeating the first. A point and a line have none. */
export function closedOutline(roi: Pick<ExportRoi, "kind" | "points">): Point[] {
  if (roi.kind === "point") throw new Error("a point ROI encloses no area: it has no outline");
  if (roi.kind === "line") throw new Error("a line ROI encloses no area: it has no outline");
  if (roi.kind === "rectangle") {
    const xs = roi.points.map((p) => p[0]);
    const ys = roi.points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    return [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
  }
  if (roi.points.length < 3) throw new Error(`freehand ROI has ${roi.points.length} points; a region needs at least 3`);
  const first = roi.points[0]!;
  const last = roi.points[roi.points.length - 1]!;
  const closed = first[0] === last[0] && first[1] === last[1];
  return closed ? roi.points.map((p) => [p[0], p[1]]) : [...roi.points.map((p): Point => [p[0], p[1]]), [first[0], first[1]]];
}
