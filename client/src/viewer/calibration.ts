// The pixel spacing a measurement uses, for images whose spacing the wadors metadata provider does
// not see. That provider reads Pixel Spacing (0028,0030) only: a projection radiograph (CR, DX, MG,
// XA, ...) usually has only Imager Pixel Spacing (0018,1164), the spacing at the detector, so
// Cornerstone measured it in pixels. PS3.3 C.8.11.4 says how to measure such an image;
// Cornerstone's metadata package implements it (getPixelSpacingInformation: Imager Pixel Spacing
// corrected by the Estimated Radiographic Magnification Factor or the source distances where they
// are given, else "Proj", at the detector; a Pixel Spacing Calibration Type of GEOMETRY or FIDUCIAL).
//
// Its spacing becomes the image plane's (calibratedImagePlane, a metadata provider in front of the
// loader's), so the image is placed in millimetres as a CT slice is and every tool measures in them,
// on either renderer. (Cornerstone's own "calibratedPixelSpacing" is read by its WebGL path only,
// and even there leaves an image without an orientation measured in pixels.) How the spacing is
// calibrated ("Proj", "ERMF"...) is shown beside each value (measurements.ts). ROIs are unchanged:
// they are kept in image pixels, and the viewer maps them through the image's spacing.

import { utilities as metadataUtilities } from "@cornerstonejs/metadata";
import type { DicomJson } from "./stack";

const TAGS = {
  SOPClassUID: "00080016",
  PixelSpacing: "00280030",
  ImagerPixelSpacing: "00181164",
  PixelSpacingCalibrationType: "00280A02",
  EstimatedRadiographicMagnificationFactor: "00181114",
  DistanceSourceToDetector: "00181110",
  DistanceSourceToPatient: "00181111",
  DistanceSourceToEntrance: "00400306",
} as const;

export interface CalibratedSpacing {
  rowPixelSpacing: number;
  columnPixelSpacing: number;
  /** Cornerstone's calibration type: "Proj", "ERMF", "Calibrated", ... */
  type: string;
}

function numbers(metadata: DicomJson, tag: string): number[] | undefined {
  const values = (metadata[tag]?.Value ?? []).map(Number);
  return values.length && values.every((v) => Number.isFinite(v) && v > 0) ? values : undefined;
}

/**
 * The spacing to measure a projection radiograph with, and how it is calibrated; null for images
 * that are not projection radiographs (their Pixel Spacing is in the patient, as the loader reads
 * it) or that give no spacing at all (measured in pixels).
 */
export function projectionCalibration(metadata: DicomJson): CalibratedSpacing | null {
  const text = (tag: string) => {
    const v = metadata[tag]?.Value?.[0];
    return typeof v === "string" ? v.trim() : undefined;
  };
  const first = (tag: string) => numbers(metadata, tag)?.[0];
  const instance = {
    SOPClassUID: text(TAGS.SOPClassUID),
    PixelSpacing: numbers(metadata, TAGS.PixelSpacing),
    ImagerPixelSpacing: numbers(metadata, TAGS.ImagerPixelSpacing),
    PixelSpacingCalibrationType: text(TAGS.PixelSpacingCalibrationType),
    EstimatedRadiographicMagnificationFactor: first(TAGS.EstimatedRadiographicMagnificationFactor),
    DistanceSourceToDetector: first(TAGS.DistanceSourceToDetector),
    DistanceSourceToPatient: first(TAGS.DistanceSourceToPatient),
    DistanceSourceToEntrance: first(TAGS.DistanceSourceToEntrance),
  };
  const info = metadataUtilities.getPixelSpacingInformation(instance as never) as { PixelSpacing?: unknown; type?: string; isProjection?: boolean };
  if (!info?.isProjection || !Array.isArray(info.PixelSpacing) || info.PixelSpacing.length < 2) return null;
  const [row, column] = info.PixelSpacing.map(Number);
  if (!(row! > 0 && column! > 0)) return null;
  return { rowPixelSpacing: row!, columnPixelSpacing: column!, type: info.type ?? "" };
}

/** Images given a calibrated spacing here, by the URI of their image id (the part after the loader's scheme). */
const calibrated = new Map<string, CalibratedSpacing>();

const uriOf = (imageId: string) => imageId.slice(imageId.indexOf(":") + 1);

/** Keeps a projection radiograph's spacing for its image plane (before it loads); answers it, or null. */
export function calibrateImage(imageId: string, metadata: DicomJson): CalibratedSpacing | null {
  const spacing = projectionCalibration(metadata);
  if (spacing) calibrated.set(uriOf(imageId), spacing);
  return spacing;
}

/** The calibration an image was given here, if any. */
export function calibrationOf(imageId: string | undefined): CalibratedSpacing | null {
  return (imageId && calibrated.get(uriOf(imageId))) || null;
}

/**
 * A metadata provider, ahead of the loader's: a calibrated image's plane with its spacing, from the
 * plane `base` gives (the loader's provider), as a plane of known spacing.
 */
export function calibratedImagePlane(base: (type: string, imageId: string) => unknown) {
  return (type: string, imageId: string): unknown => {
    if (type !== "imagePlaneModule" || typeof imageId !== "string") return undefined;
    const spacing = calibrated.get(uriOf(imageId));
    if (!spacing) return undefined;
    const plane = base(type, imageId) as Record<string, unknown> | undefined;
    if (!plane) return undefined;
    const { rowPixelSpacing, columnPixelSpacing } = spacing;
    return { ...plane, pixelSpacing: [rowPixelSpacing, columnPixelSpacing], rowPixelSpacing, columnPixelSpacing, usingDefaultValues: false };
  };
}
