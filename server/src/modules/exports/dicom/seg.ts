/*
 * One reader's ROIs as a DICOM Segmentation (PS3.3 A.51), BINARY: on one image, or on the planes of
 * one grid (a series' slices, a volume's frames) as one SEG the way highdicom and dcmqi write them.
 * One segment per ROI class (sorted by name, numbered from 1), one frame per segment and plane with
 * ROIs of that class, on the source's pixel grid, a pixel set when its centre lies inside one of the
 * class's outlines (even-odd rule; see raster.ts). Frames go segment by segment, each segment's
 * planes in position order along the normal.
 *
 *   Segment: label = class name, algorithm type MANUAL (SEMIAUTOMATIC with the model's name when a
 *   region was taken from a segmentation model's suggestion), category (49755003, SCT, "Morphologically
 *   Altered Structure") (CID 7150), type = the class's 99CONCORD code (codes.ts), since a project's
 *   classes have no standard code. Whoever maps classes to SNOMED can rewrite the two sequences.
 *   Frames: Derivation Image Sequence (113076 "Segmentation") with a Source Image Sequence naming the
 *   source image (121322 "Source image for image processing operation"), Frame Content with the
 *   dimension index values, Segment Identification; Referenced Series Sequence for the instances.
 *   With geometry (CT/MR): Frame of Reference, shared Pixel Measures and Plane Orientation, per-frame
 *   Plane Position, dimensions (Referenced Segment Number, Image Position Patient: the plane's rank along
 *   the normal). Without (Secondary
 *   Capture): no Frame of Reference and no plane functional groups, one dimension (Referenced Segment
 *   Number) — what the SEG IOD allows for images without a frame of reference.
 *
 * Built directly as a naturalized data set, denaturalized by dcmjs and written as dcmjs's
 * DicomDict.write() writes it (codes.ts writePart10, checked byte for byte), not with dcmjs's derivations.Segmentation: that one derives
 * from a multi-frame "normalized" source (normalizers.Normalizer has no Secondary Capture normalizer
 * and reads SharedFunctionalGroupsSequence from it), always declares an Image Position Patient
 * dimension, and stamps random UIDs and the current time (DerivedDataset), so re-exports would differ.
 */
import { classCode, CODES, CODING_SCHEME_IDENTIFICATION, derivedUid, dicomDateTime, loText, personName, writePart10 } from "./codes.js";
import { dot, normalOf } from "./plane.js";
import { closedOutline, patientAndStudy } from "./sr.js";
import { dcmjs, type Naturalized } from "./dcmjs.js";
import { fillPolygon, packBits, unpackBits } from "./raster.js";
import type { ExportRoi, PlanesSegmentationInput, SegmentationInput, SourceGeometry } from "./types.js";

export const SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
export const SEG_SERIES_NUMBER = 9002;
const REFERENCED_SEGMENT_NUMBER = 0x0062000b;
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000a;
const IMAGE_POSITION_PATIENT = 0x00200032;
const PLANE_POSITION_SEQUENCE = 0x00209113;

export class NothingToSegmentError extends Error {
  override readonly name = "NothingToSegmentError";
}

export function segmentationUids(input: Pick<SegmentationInput, "project" | "caseKey" | "reader" | "version" | "source" | "frame">) {
  // The source image too: a case of images without patient geometry has a SEG per image with ROIs, and a multi-frame one per frame.
  const image = input.frame === undefined ? [input.source.sopInstanceUid] : [input.source.sopInstanceUid, `frame-${input.frame}`];
  return {
    series: derivedUid("seg-series", input.project.id, input.source.studyInstanceUid),
    instance: derivedUid("seg", input.project.id, input.caseKey, input.reader.id, input.version, ...image),
    dimensionOrganization: derivedUid("seg-dimensions", input.project.id, input.caseKey, input.reader.id, input.version, ...image),
  };
}

/**
 * The plane the masks lie in: the source frame's own, where the image's functional groups give
 * each frame one (enhanced multi-frame images), else the image's. A frame those groups leave
 * without a complete geometry gets none: the SEG then names the frame only (no plane of another
 * frame in its place).
 */
export function geometryOf(source: SegmentationInput["source"], frame: number | undefined): SourceGeometry | undefined {
  if (frame === undefined || !source.frameGeometry) return source.geometry;
  return source.frameGeometry[frame - 1] ?? undefined;
}

/** One mask per ROI class present, in segment order: what the SEG's frames hold. */
export function segmentMasks(input: Pick<SegmentationInput, "rois" | "source">): Array<{ className: string; mask: Uint8Array }> {
  const { rows, columns } = input.source;
  const byClass = new Map<string, ExportRoi[]>();
  for (const roi of input.rois) byClass.set(roi.className, [...(byClass.get(roi.className) ?? []), roi]);
  return [...byClass.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((className) => {
      // fillPolygon only ever sets pixels: each ROI is even-odd within itself, and ROIs of a class add up (OR).
      const mask = new Uint8Array(rows * columns);
      for (const roi of byClass.get(className)!) fillPolygon(mask, rows, columns, closedOutline(roi));
      return { className, mask };
    });
}

/** The SEG for a reader's ROIs on one case's image. Throws NothingToSegmentError without ROIs (a SEG needs a segment). */
export function writeSegmentation(input: SegmentationInput): Uint8Array {
  return writePart10(segmentationDataset(input));
}

export function segmentationDataset(input: SegmentationInput): Naturalized {
  const { source, rois, frame, ...rest } = input;
  return planesDataset({ ...rest, planes: [{ source, rois, ...(frame !== undefined ? { frame } : {}) }] }, segmentationUids(input));
}

/** One reader's ROIs on several planes of one grid (a series' slices, a volume's frames) as one SEG; the planes must share size, frame of reference, orientation and spacing. */
export function planesSegmentationDataset(input: PlanesSegmentationInput): Naturalized {
  const [first] = input.planes;
  const image = input.planes.map((p) => (p.frame === undefined ? p.source.sopInstanceUid : `${p.source.sopInstanceUid}#${p.frame}`)).sort();
  const common = [input.project.id, input.caseKey, input.reader.id, input.version, "planes", ...image] as const;
  return planesDataset(input, {
    series: derivedUid("seg-series", input.project.id, first?.source.studyInstanceUid ?? ""),
    instance: derivedUid("seg", ...common),
    dimensionOrganization: derivedUid("seg-dimensions", ...common),
  });
}

/** The one SEG for several planes: see planesSegmentationDataset. */
export function writePlanesSegmentation(input: PlanesSegmentationInput): Uint8Array {
  return writePart10(planesSegmentationDataset(input));
}

function planesDataset(input: PlanesSegmentationInput, uids: ReturnType<typeof segmentationUids>): Naturalized {
  if (!input.planes.some((p) => p.rois.length)) throw new NothingToSegmentError("no ROIs: a Segmentation needs at least one segment");
  const { source } = input.planes[0]!;
  if (!(source.rows > 0 && source.columns > 0)) throw new Error(`the source image's size ${source.columns}x${source.rows} is not usable`);
  for (const p of input.planes) {
    if (p.source.rows !== source.rows || p.source.columns !== source.columns) throw new Error(`the planes of one SEG must share one grid: ${p.source.sopInstanceUid} is ${p.source.columns}x${p.source.rows}`);
  }
  const content = dicomDateTime(input.submittedAt);
  const geometries = input.planes.map((p) => (source.frameOfReferenceUid && p.source.frameOfReferenceUid === source.frameOfReferenceUid ? geometryOf(p.source, p.frame) : undefined));
  // A plane without geometry takes the SEG out of patient space: all of them then go without.
  const placed = geometries.every((g) => g !== undefined);
  const geometry = placed ? geometries[0] : undefined;
  // Planes along the normal: the position index of each (1 the lowest), for the dimension and the frames' order.
  const normal = geometry ? normalOf(geometry) : null;
  const along = (i: number) => (normal ? dot(geometries[i]!.imagePositionPatient, normal) : i);
  const order = input.planes.map((_, i) => i).sort((a, b) => along(a) - along(b));
  const positionIndex = new Map(order.map((planeIndex, rank) => [planeIndex, rank + 1]));
  const planeMasks = input.planes.map((p) => new Map(segmentMasks({ rois: p.rois, source: p.source }).map((m) => [m.className, m.mask])));
  const classNames = [...new Set(planeMasks.flatMap((m) => [...m.keys()]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Frames segment by segment, each segment's planes in position order.
  const frames: Array<{ segment: number; plane: number; mask: Uint8Array }> = [];
  for (const [s, className] of classNames.entries()) {
    for (const i of order) {
      const mask = planeMasks[i]!.get(className);
      if (mask) frames.push({ segment: s + 1, plane: i, mask });
    }
  }
  const refOf = (i: number): Naturalized => {
    const p = input.planes[i]!;
    return { ReferencedSOPClassUID: p.source.sopClassUid, ReferencedSOPInstanceUID: p.source.sopInstanceUid, ...(p.frame !== undefined ? { ReferencedFrameNumber: p.frame } : {}) };
  };

  const dimensions: Naturalized[] = [
    {
      DimensionOrganizationUID: uids.dimensionOrganization,
      DimensionIndexPointer: REFERENCED_SEGMENT_NUMBER,
      FunctionalGroupPointer: SEGMENT_IDENTIFICATION_SEQUENCE,
      DimensionDescriptionLabel: "Segment Number",
    },
  ];
  if (geometry) {
    dimensions.push({
      DimensionOrganizationUID: uids.dimensionOrganization,
      DimensionIndexPointer: IMAGE_POSITION_PATIENT,
      FunctionalGroupPointer: PLANE_POSITION_SEQUENCE,
      DimensionDescriptionLabel: "Image Position Patient",
    });
  }

  const shared: Naturalized = {};
  if (geometry) {
    shared.PixelMeasuresSequence = [
      {
        PixelSpacing: geometry.pixelSpacing,
        ...(geometry.sliceThickness !== undefined ? { SliceThickness: geometry.sliceThickness } : {}),
      },
    ];
    shared.PlaneOrientationSequence = [{ ImageOrientationPatient: geometry.imageOrientationPatient }];
  }

  const perFrame = frames.map(({ segment, plane }): Naturalized => ({
    DerivationImageSequence: [
      {
        DerivationCodeSequence: [CODES.segmentation],
        SourceImageSequence: [{ ...refOf(plane), PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing] }],
      },
    ],
    FrameContentSequence: [{ DimensionIndexValues: geometry ? [segment, positionIndex.get(plane)!] : [segment] }],
    ...(geometry ? { PlanePositionSequence: [{ ImagePositionPatient: geometries[plane]!.imagePositionPatient }] } : {}),
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
  }));

  // Each image (and frame) once, in position order; the series with their instances.
  const referenced = [...new Map(order.map((i) => [JSON.stringify(refOf(i)), refOf(i)])).values()];
  const series = new Map<string, Map<string, Naturalized>>();
  for (const i of order) {
    const p = input.planes[i]!.source;
    const instances = series.get(p.seriesInstanceUid) ?? new Map<string, Naturalized>();
    instances.set(p.sopInstanceUid, { ReferencedSOPClassUID: p.sopClassUid, ReferencedSOPInstanceUID: p.sopInstanceUid });
    series.set(p.seriesInstanceUid, instances);
  }
  const overlapping = input.planes.some((_, i) => overlaps([...planeMasks[i]!.values()]));

  return {
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: uids.instance,
    ...patientAndStudy(source),
    Modality: "SEG",
    SeriesInstanceUID: uids.series,
    SeriesNumber: SEG_SERIES_NUMBER,
    SeriesDescription: loText(`Concord ROIs: ${input.project.name}`),
    // In no patient space (a Secondary Capture's): Patient Orientation instead, unknown (PS3.3 C.7.6.1).
    ...(geometry ? { FrameOfReferenceUID: source.frameOfReferenceUid, PositionReferenceIndicator: "" } : { PatientOrientation: "" }),
    Manufacturer: "Concord",
    ManufacturerModelName: "Concord",
    DeviceSerialNumber: "1",
    SoftwareVersions: "1",
    InstanceNumber: input.version,
    ContentDate: content.date,
    ContentTime: content.time,
    TimezoneOffsetFromUTC: "+0000",
    ImageType: ["DERIVED", "PRIMARY"],
    ContentLabel: "CONCORD_ROIS",
    ContentDescription: loText(`ROIs of case ${input.caseKey}`),
    ContentCreatorName: personName(input.reader.displayName),
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: source.rows,
    Columns: source.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: "00",
    SegmentationType: "BINARY",
    SegmentsOverlap: overlapping ? "YES" : "NO",
    NumberOfFrames: frames.length,
    SegmentSequence: classNames.map((className, i) => ({
      SegmentNumber: i + 1,
      SegmentLabel: loText(className),
      ...segmentAlgorithm(input.planes.flatMap((p) => p.rois.filter((r) => r.className === className))),
      SegmentedPropertyCategoryCodeSequence: [CODES.morphologicallyAlteredStructure],
      SegmentedPropertyTypeCodeSequence: [classCode(className)],
    })),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: uids.dimensionOrganization }],
    DimensionIndexSequence: dimensions,
    SharedFunctionalGroupsSequence: [shared],
    PerFrameFunctionalGroupsSequence: perFrame,
    SourceImageSequence: referenced.map((r) => ({ ...r, PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing] })),
    ReferencedSeriesSequence: [...series].map(([uid, instances]) => ({ SeriesInstanceUID: uid, ReferencedInstanceSequence: [...instances.values()] })),
    CodingSchemeIdentificationSequence: CODING_SCHEME_IDENTIFICATION,
    PixelData: packBits(frames.map((f) => f.mask)).buffer,
    // dcmjs's dictionary gives Pixel Data "OB or OW"; 1-bit data is bytes.
    _vrMap: { PixelData: "OB" },
  };
}

function overlaps(masks: Uint8Array[]): boolean {
  if (masks.length < 2) return false;
  const seen = new Uint8Array(masks[0]!.length);
  for (const mask of masks) {
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      if (seen[i]) return true;
      seen[i] = 1;
    }
  }
  return false;
}

export interface DecodedSegmentation {
  rows: number;
  columns: number;
  segments: Array<{ number: number; label: string; algorithmType: string; algorithmName: string | null }>;
  frames: Array<{ segmentNumber: number; sourceSopInstanceUid: string | null; mask: Uint8Array }>;
}

/**
 * How a segment was made: MANUAL when the reader drew every region of it; SEMIAUTOMATIC, naming the
 * model(s), when they took any from a model's suggestion (a reader accepted or corrected it).
 */
function segmentAlgorithm(rois: readonly ExportRoi[]): { SegmentAlgorithmType: string; SegmentAlgorithmName?: string } {
  const models = [...new Set(rois.flatMap((r) => (r.algorithm ? [r.algorithm] : [])))].sort();
  return models.length ? { SegmentAlgorithmType: "SEMIAUTOMATIC", SegmentAlgorithmName: loText(models.join(", ")) } : { SegmentAlgorithmType: "MANUAL" };
}

/** The segments and frames of a BINARY SEG (read with dcmjs): for checks and re-import. */
export function readSegmentation(bytes: Uint8Array): DecodedSegmentation {
  const copy = bytes.slice().buffer;
  const file = dcmjs.data.DicomMessage.readFile(copy);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, unknown>;
  const rows = Number(ds.Rows);
  const columns = Number(ds.Columns);
  const frames = Number(ds.NumberOfFrames ?? 1);
  if (ds.SOPClassUID !== SEGMENTATION_STORAGE || ds.SegmentationType !== "BINARY" || Number(ds.BitsAllocated) !== 1) {
    throw new Error(`not a BINARY segmentation (SOP class ${String(ds.SOPClassUID)}, type ${String(ds.SegmentationType)})`);
  }
  const pixelData = (ds.PixelData as ArrayBuffer[] | ArrayBuffer | undefined) ?? [];
  const buffer = Array.isArray(pixelData) ? pixelData[0] : pixelData;
  if (!buffer) throw new Error("the segmentation has no Pixel Data");
  const masks = unpackBits(new Uint8Array(buffer), rows * columns, frames);
  const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as T[];
  const groups = arr<Record<string, unknown>>(ds.PerFrameFunctionalGroupsSequence);
  return {
    rows,
    columns,
    segments: arr<Record<string, unknown>>(ds.SegmentSequence).map((s) => ({
      number: Number(s.SegmentNumber),
      label: String(s.SegmentLabel ?? ""),
      algorithmType: String(s.SegmentAlgorithmType ?? ""),
      algorithmName: typeof s.SegmentAlgorithmName === "string" ? s.SegmentAlgorithmName : null,
    })),
    frames: masks.map((mask, i) => {
      const g = groups[i] ?? {};
      const segmentNumber = Number(arr<Record<string, unknown>>(g.SegmentIdentificationSequence)[0]?.ReferencedSegmentNumber);
      const derivation = arr<Record<string, unknown>>(g.DerivationImageSequence)[0];
      const src = arr<Record<string, unknown>>(derivation?.SourceImageSequence)[0];
      return { segmentNumber, sourceSopInstanceUid: typeof src?.ReferencedSOPInstanceUID === "string" ? src.ReferencedSOPInstanceUID : null, mask };
    }),
  };
}
