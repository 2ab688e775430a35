// Inputs of the per-case DICOM writers (Measurement Report SR, Segmentation) and the shape the SR
// importer gives back. Coordinates are image pixel coordinates as stored (annotations/geometry.ts):
// x along columns, y along rows, (0, 0) the top-left corner of the top-left pixel — which is also
// the convention of DICOM SCOORD Graphic Data (PS3.3 Table C.18.6-1: 0.0\0.0 is the top left-hand
// corner of the top left-hand pixel, so a pixel's centre is at +0.5 in both), so outlines and
// points are written and read without conversion.

import type { LabelVolume } from "./label-volume.js";

export type Point = [number, number];

/** Patient-space geometry of the source image, when it has any (CT/MR); Secondary Capture has none. */
export interface SourceGeometry {
  /** Row spacing then column spacing, mm (Pixel Spacing order). */
  pixelSpacing: [number, number];
  imageOrientationPatient: [number, number, number, number, number, number];
  imagePositionPatient: [number, number, number];
  sliceThickness?: number;
}

export interface SourceImage {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  frameOfReferenceUid?: string;
  rows: number;
  columns: number;
  /** Number of frames (1 unless a multi-frame image). */
  frames?: number;
  /** Where the stored file is (the store's key), for exports that read the images. */
  storageKey?: string;
  /** De-identified values, as stored with the image. */
  patient?: { id: string; name: string };
  /** DICOM DA (YYYYMMDD). */
  studyDate?: string;
  accession?: string;
  geometry?: SourceGeometry;
  /**
   * Row spacing then column spacing, mm, that a length on the image is measured by, as the review
   * measures one (images/spacing.ts spacingOf: Pixel Spacing, else a radiograph's Imager Pixel
   * Spacing corrected by its magnification factor); absent when the image gives none. Unlike
   * geometry's, it needs no patient space: a radiograph has a spacing but no plane.
   */
  spacing?: readonly [number, number];
  /**
   * A multi-frame image's geometry frame by frame (index frame - 1), where its functional groups
   * give it (enhanced CT, MR, PET: each frame's Plane Position, with orientation and pixel
   * measures per frame or shared); null for a frame they leave incomplete. Absent otherwise: the
   * image-level geometry then holds for every frame (a cine's frames share one plane).
   */
  frameGeometry?: Array<SourceGeometry | null>;
}

export interface ExportLabel {
  name: string;
  value: boolean;
  /** Confidence grade in percent (0, 20, ... 100), or null when the reader gave none. */
  confidence: number | null;
}

/** rectangle and freehand enclose an area; a point (a landmark) and a line (a length) enclose none, so masks (SEG, NIfTI) leave them out. */
export type RoiKind = "rectangle" | "freehand" | "point" | "line";

export interface ExportRoi {
  id: string;
  className: string;
  kind: RoiKind;
  /** rectangle: two opposite corners [[minX, minY], [maxX, maxY]]; freehand: the outline's vertices (not repeated at the end); point: one [x, y]; line: its two ends, in the order drawn. */
  points: Point[];
  /** The frame it is drawn on (1-based); for a multi-frame source the reports name it. */
  frame?: number;
  /** Taken from a segmentation model's suggestion: that model, as "<name> v<version>" (a SEG's Segment Algorithm Name). */
  algorithm?: string;
}

export interface MeasurementReportInput {
  source: SourceImage;
  /** displayName is the reader's pseudonymous name; never an email. */
  reader: { id: string; displayName: string };
  project: { id: string; name: string };
  caseKey: string;
  labels: ExportLabel[];
  rois: ExportRoi[];
  /** The submitted annotation version (1, 2, ...). */
  version: number;
  submittedAt: Date;
}

export type SegmentationInput = Omit<MeasurementReportInput, "labels"> & {
  /** The source frame (1-based) all its ROIs are on, for a multi-frame source: one SEG per frame. */
  frame?: number;
};

/** An image a report or segmentation refers to. */
export interface ImportedImageRef {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  frameOfReferenceUid?: string;
}

export interface ImportedLabel extends ExportLabel {
  /** The image the evaluation was made on, when the report names exactly one. */
  sopInstanceUid: string | null;
}

export interface ImportedRoi {
  /** Tracking Identifier (our ROI id when the report is ours). */
  id: string | null;
  trackingUid: string | null;
  className: string;
  /** Other names the class may have in a project (a segment's Segmented Property Type, a mask's label value), tried after className. */
  classAliases?: string[];
  kind: RoiKind;
  points: Point[];
  sopInstanceUid: string;
  /** Referenced frame number (1-based) for multi-frame sources, else null. */
  frame: number | null;
}

export interface ImportedMeasurementReport {
  sopInstanceUid: string;
  studyInstanceUid: string;
  images: ImportedImageRef[];
  observer?: { personName?: string; deviceUid?: string };
  labels: ImportedLabel[];
  rois: ImportedRoi[];
  /** Content that was skipped or approximated, in words. */
  warnings: string[];
  /** A segmentation's or label mask's pixel grid: its regions fit only images of this size. */
  grid?: { rows: number; columns: number };
  /** A segmentation's frames that name no image but lie in a plane: placed by it, as a label mask's slices are. */
  byPlane?: LabelVolume;
}

/** One plane of a SEG over several: an image (a frame of a multi-frame one) with the ROIs on it. */
export interface SegPlane {
  source: SourceImage;
  /** The frame (1-based), for a multi-frame source. */
  frame?: number;
  rois: ExportRoi[];
}

/** A reading's ROIs on several planes of one grid as one SEG: a series' slices, or a volume's frames. */
export type PlanesSegmentationInput = Omit<SegmentationInput, "source" | "rois" | "frame"> & { planes: SegPlane[] };
