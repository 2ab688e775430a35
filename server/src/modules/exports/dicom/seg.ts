/*
 * One reader's ROIs on one image as a DICOM Segmentation (PS3.3 A.51), BINARY: one segment per ROI
 * class (sorted by name, numbered from 1), one frame per segment on the source image's pixel grid,
 * a pixel set when its centre lies inside one of the class's outlines (even-odd rule; see raster.ts).
 *
 *   Segment: label = class name, algorithm type MANUAL, category (49755003, SCT, "Morphologically
 *   Altered Structure") (CID 7150), type = the class's 99CONCORD code (codes.ts), since a project's
 *   classes have no standard code. Whoever maps classes to SNOMED can rewrite the two sequences.
 *   Frames: Derivation Image Sequence (113076 "Segmentation") with a Source Image Sequence naming the
 *   source image (121322 "Source image for image processing operation"), Frame Content with the
 *   dimension index values, Segment Identification; Referenced Series Sequence for the instance.
 *   With geometry (CT/MR): Frame of Reference, shared Pixel Measures and Plane Orientation, per-frame
 *   Plane Position, dimensions (Referenced Segment Number, Image Position Patient). Without (Secondary
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
import { closedOutline, patientAndStudy } from "./sr.js";
import { dcmjs, type Naturalized } from "./dcmjs.js";
import { fillPolygon, packBits, unpackBits } from "./raster.js";
import type { ExportRoi, SegmentationInput, SourceGeometry } from "./types.js";

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
  // The source image too: a series case has one SEG per image with ROIs; and a multi-frame image one per frame.
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
  const { source } = input;
  if (input.rois.length === 0) throw new NothingToSegmentError("no ROIs: a Segmentation needs at least one segment");
  if (!(source.rows > 0 && source.columns > 0)) throw new Error(`the source image's size ${source.columns}x${source.rows} is not usable`);
  const uids = segmentationUids(input);
  const content = dicomDateTime(input.submittedAt);
  const masks = segmentMasks(input);
  const geometry = source.frameOfReferenceUid ? geometryOf(source, input.frame) : undefined;
  // The one source frame its masks are on, named where the source image is (a multi-frame source).
  const frameRef = input.frame !== undefined ? { ReferencedFrameNumber: input.frame } : {};

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

  const perFrame = masks.map((_, i): Naturalized => ({
    DerivationImageSequence: [
      {
        DerivationCodeSequence: [CODES.segmentation],
        SourceImageSequence: [
          {
            ReferencedSOPClassUID: source.sopClassUid,
            ReferencedSOPInstanceUID: source.sopInstanceUid,
            ...frameRef,
            PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing],
          },
        ],
      },
    ],
    FrameContentSequence: [{ DimensionIndexValues: geometry ? [i + 1, 1] : [i + 1] }],
    ...(geometry ? { PlanePositionSequence: [{ ImagePositionPatient: geometry.imagePositionPatient }] } : {}),
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: i + 1 }],
  }));

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
    SegmentsOverlap: overlaps(masks.map((m) => m.mask)) ? "YES" : "NO",
    NumberOfFrames: masks.length,
    SegmentSequence: masks.map(({ className }, i) => ({
      SegmentNumber: i + 1,
      SegmentLabel: loText(className),
      SegmentAlgorithmType: "MANUAL",
      SegmentedPropertyCategoryCodeSequence: [CODES.morphologicallyAlteredStructure],
      SegmentedPropertyTypeCodeSequence: [classCode(className)],
    })),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: uids.dimensionOrganization }],
    DimensionIndexSequence: dimensions,
    SharedFunctionalGroupsSequence: [shared],
    PerFrameFunctionalGroupsSequence: perFrame,
    SourceImageSequence: [
      { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid, ...frameRef, PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing] },
    ],
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: source.seriesInstanceUid,
        ReferencedInstanceSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
      },
    ],
    CodingSchemeIdentificationSequence: CODING_SCHEME_IDENTIFICATION,
    PixelData: packBits(masks.map((m) => m.mask)).buffer,
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
  segments: Array<{ number: number; label: string }>;
  frames: Array<{ segmentNumber: number; sourceSopInstanceUid: string | null; mask: Uint8Array }>;
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
    segments: arr<Record<string, unknown>>(ds.SegmentSequence).map((s) => ({ number: Number(s.SegmentNumber), label: String(s.SegmentLabel ?? "") })),
    frames: masks.map((mask, i) => {
      const g = groups[i] ?? {};
      const segmentNumber = Number(arr<Record<string, unknown>>(g.SegmentIdentificationSequence)[0]?.ReferencedSegmentNumber);
      const derivation = arr<Record<string, unknown>>(g.DerivationImageSequence)[0];
      const src = arr<Record<string, unknown>>(derivation?.SourceImageSequence)[0];
      return { segmentNumber, sourceSopInstanceUid: typeof src?.ReferencedSOPInstanceUID === "string" ? src.ReferencedSOPInstanceUID : null, mask };
    }),
  };
}
