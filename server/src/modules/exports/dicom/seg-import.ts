/*
 * Reading a DICOM Segmentation (PS3.3 A.51) into freehand ROIs on its source images: the reverse
 * of seg.ts. Ours come back pixel for pixel; others' (highdicom, dcmqi, an AI pipeline's) as far as
 * they map. Each frame's mask is traced into outlines along pixel edges (contours.ts), one per
 * connected region, holes kept, so the SEG export of the imported ROIs sets the same pixels.
 *
 *   Segmentation types: BINARY (1 bit), FRACTIONAL (a pixel is inside when its fraction is at least
 *   half of Maximum Fractional Value) and the Label Map Segmentation (each pixel holds its segment's
 *   number). Pixel data native (any transfer syntax the platform's reader reads, deflate included)
 *   or RLE Lossless; other compressions are refused, naming the transfer syntax.
 *   Segments: the ROI class is the Segment Label, else the meaning of the Segmented Property Type;
 *   the property type's meaning is kept as a second name the project's class may have.
 *   Frames: each frame's source is its Derivation Image Sequence's Source Image (and its Referenced
 *   Frame Number, for a multi-frame source). A SEG that names no source per frame but references
 *   exactly one image puts every frame on it. A frame with no source but a Plane Position and
 *   Orientation goes in `byPlane`, for the import to place on the image frame in that plane (as a
 *   label mask's slices are placed). A frame with neither is left out, with a warning.
 *
 * The result has the shape the SR importer gives (types.ts), so one service maps both onto a
 * project: the case holding the images, class names, bounds and limits (sr-import.service.ts).
 */
import { PixelData, syntaxName } from "../../images/frames.js";
import { decodeRle, RLE_LOSSLESS, type PixelDescription } from "../../images/rendered.js";
import { readDicomFile, type DicomFile } from "../../images/dicom/read.js";
import { maskOutlines } from "./contours.js";
import { unpackBits } from "./raster.js";
import { dcmjs, first, list, str, type Naturalized } from "./dcmjs.js";
import { SEGMENTATION_STORAGE } from "./seg.js";
import { SrImportError } from "./sr-import.js";
import type { Vec3 } from "../../images/convert/volume.js";
import type { ImportedImageRef, ImportedMeasurementReport, ImportedRoi } from "./types.js";

export const LABEL_MAP_SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.7";
export const SEGMENTATION_SOP_CLASSES = new Set([SEGMENTATION_STORAGE, LABEL_MAP_SEGMENTATION_STORAGE]);
const PIXEL_DATA = "7FE00010";

const int = (v: unknown): number | undefined => {
  const x = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(x) ? x : undefined;
};

interface Segment {
  label: string;
  aliases: string[];
}

interface FrameSource {
  sopInstanceUid: string;
  sopClassUid?: string;
  frame: number | null;
}

export function readSegmentationForImport(bytes: Uint8Array, name = "segmentation"): ImportedMeasurementReport {
  let file: DicomFile;
  try {
    file = readDicomFile(bytes, name);
  } catch (err) {
    throw new SrImportError(`${name}: not a readable DICOM file: ${(err as Error).message}`);
  }
  return segmentationOf(file, name);
}

/** The same, of a file already read (import-file.ts reads each file once, to tell SR from SEG). */
export function segmentationOf(file: DicomFile, name: string): ImportedMeasurementReport {
  const fail = (what: string) => new SrImportError(`${name}: ${what}`);
  const { [PIXEL_DATA]: _pixels, ...header } = file.dict;
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(header) as Naturalized;

  const sopClass = str(ds.SOPClassUID) ?? file.sopClassUID;
  if (!sopClass || !SEGMENTATION_SOP_CLASSES.has(sopClass)) throw fail(`not a segmentation (SOP Class UID ${sopClass ?? "missing"})`);
  const sopInstanceUid = str(ds.SOPInstanceUID);
  if (!sopInstanceUid) throw fail("SOP Instance UID (0008,0018) is missing");
  const studyInstanceUid = str(ds.StudyInstanceUID);
  if (!studyInstanceUid) throw fail("Study Instance UID (0020,000D) is missing");
  const rows = int(ds.Rows);
  const columns = int(ds.Columns);
  if (!rows || !columns || rows < 1 || columns < 1) throw fail("Rows (0028,0010) and Columns (0028,0011) must be positive numbers");
  const labelMap = sopClass === LABEL_MAP_SEGMENTATION_STORAGE || str(ds.SegmentationType) === "LABELMAP";
  const type = labelMap ? "LABELMAP" : str(ds.SegmentationType);
  if (type !== "BINARY" && type !== "FRACTIONAL" && type !== "LABELMAP") throw fail(`Segmentation Type (0062,0001) "${type ?? ""}" is none of BINARY, FRACTIONAL or LABELMAP`);
  const bitsAllocated = int(ds.BitsAllocated);
  const expectedBits = type === "BINARY" ? [1] : type === "FRACTIONAL" ? [8] : [8, 16];
  if (!bitsAllocated || !expectedBits.includes(bitsAllocated)) throw fail(`a ${type} segmentation has Bits Allocated ${expectedBits.join(" or ")}, not ${bitsAllocated ?? "none"}`);
  const maxFraction = type === "FRACTIONAL" ? (int(ds.MaximumFractionalValue) ?? 255) : 1;
  if (maxFraction < 1) throw fail(`Maximum Fractional Value (0062,000E) must be at least 1, not ${maxFraction}`);

  const segments = new Map<number, Segment>();
  for (const s of list<Naturalized>(ds.SegmentSequence)) {
    const number = int(s.SegmentNumber);
    if (number === undefined || number < 1) throw fail("a Segment Sequence item has no valid Segment Number (0062,0004)");
    const typeMeaning = str(first<Naturalized>(s.SegmentedPropertyTypeCodeSequence)?.CodeMeaning);
    const label = str(s.SegmentLabel) ?? typeMeaning;
    if (!label) throw fail(`segment ${number} has neither a Segment Label (0062,0005) nor a Segmented Property Type`);
    if (segments.has(number)) throw fail(`segment number ${number} is given twice in the Segment Sequence`);
    segments.set(number, { label, aliases: typeMeaning && typeMeaning !== label ? [typeMeaning] : [] });
  }
  if (segments.size === 0) throw fail("Segment Sequence (0062,0002) is missing or empty");

  const pixels = PixelData.of(file);
  if (!pixels) throw fail("it has no Pixel Data (7FE0,0010)");
  const compressed = !pixels.native;
  if (compressed && pixels.transferSyntaxUid !== RLE_LOSSLESS) {
    throw fail(`its frames are compressed as ${syntaxName(pixels.transferSyntaxUid)}; Concord reads segmentations uncompressed or RLE Lossless`);
  }
  const frameCount = pixels.frameCount;
  const perFrame = list<Naturalized>(ds.PerFrameFunctionalGroupsSequence);
  const shared = first<Naturalized>(ds.SharedFunctionalGroupsSequence);
  if (perFrame.length && perFrame.length < frameCount) throw fail(`it has ${frameCount} frames but ${perFrame.length} Per-Frame Functional Groups items`);

  // Every image the SEG names: the Referenced Series Sequence's and the frames' sources.
  const images = new Map<string, ImportedImageRef>();
  for (const series of list<Naturalized>(ds.ReferencedSeriesSequence)) {
    for (const ref of list<Naturalized>(series.ReferencedInstanceSequence)) {
      const uid = str(ref.ReferencedSOPInstanceUID);
      const cls = str(ref.ReferencedSOPClassUID);
      if (uid) images.set(uid, { sopInstanceUid: uid, sopClassUid: cls ?? "", studyInstanceUid, seriesInstanceUid: str(series.SeriesInstanceUID) } as ImportedImageRef);
    }
  }
  const sourceOf = (groups: Naturalized | undefined): FrameSource | null => {
    const src = first<Naturalized>(first<Naturalized>(groups?.DerivationImageSequence)?.SourceImageSequence);
    const uid = str(src?.ReferencedSOPInstanceUID);
    if (!uid) return null;
    return { sopInstanceUid: uid, sopClassUid: str(src!.ReferencedSOPClassUID), frame: int(src!.ReferencedFrameNumber) ?? null };
  };
  const sharedSource = sourceOf(shared);
  const warnings: string[] = [];
  // A file cut down from a larger one (pydicom's liver_1frame) keeps the groups of frames it no longer has.
  if (perFrame.length > frameCount) warnings.push(`it has ${frameCount} frame${frameCount === 1 ? "" : "s"} but ${perFrame.length} Per-Frame Functional Groups items; the items past frame ${frameCount} are ignored`);
  const onlyImage = images.size === 1 ? [...images.keys()][0]! : null;
  const sources: Array<FrameSource | null> = Array.from({ length: frameCount }, (_, i) => sourceOf(perFrame[i]) ?? sharedSource ?? (onlyImage ? { sopInstanceUid: onlyImage, frame: null } : null));
  for (const s of sources) if (s && !images.has(s.sopInstanceUid)) images.set(s.sopInstanceUid, { sopInstanceUid: s.sopInstanceUid, sopClassUid: s.sopClassUid ?? "" } as ImportedImageRef);

  // A frame naming no source image is placed by its plane, as a label mask's slices are
  // (placeLabelVolume), when its functional groups give one; all such frames in one orientation.
  const planeOf = (f: number): { orientation: number[]; position: Vec3 } | null => {
    const position = list<unknown>(first<Naturalized>(perFrame[f]?.PlanePositionSequence ?? shared?.PlanePositionSequence)?.ImagePositionPatient).map(Number);
    const orientation = list<unknown>(first<Naturalized>(perFrame[f]?.PlaneOrientationSequence ?? shared?.PlaneOrientationSequence)?.ImageOrientationPatient).map(Number);
    return position.length === 3 && orientation.length === 6 && [...position, ...orientation].every(Number.isFinite) ? { orientation, position: position as Vec3 } : null;
  };
  const byPlane: NonNullable<ImportedMeasurementReport["byPlane"]> = { rows, columns, slices: 0, placement: { orientation: [], positions: [] }, rois: [], warnings: [] };
  const unsourced: number[] = [];
  const otherOrientation: number[] = [];
  const unknownSegment = new Set<number>();
  const rois: ImportedRoi[] = [];
  const description: PixelDescription = { rows, columns, samplesPerPixel: 1, photometric: "MONOCHROME2", bitsAllocated, bitsStored: bitsAllocated, highBit: bitsAllocated - 1, pixelRepresentation: 0, planarConfiguration: 0, rescaleSlope: 1, rescaleIntercept: 0, window: null };
  const pixelCount = rows * columns;
  for (let f = 0; f < frameCount; f++) {
    const source = sources[f];
    const plane = source ? null : planeOf(f);
    if (plane && byPlane.slices && !plane.orientation.every((x, i) => Math.abs(x - byPlane.placement!.orientation[i]!) <= 1e-3)) {
      otherOrientation.push(f + 1);
      continue;
    }
    if (!source && !plane) {
      unsourced.push(f + 1);
      continue;
    }
    if (plane) {
      if (!byPlane.slices) byPlane.placement!.orientation = plane.orientation;
      byPlane.placement!.positions.push(plane.position);
      byPlane.slices++;
    }
    let bytes: Uint8Array;
    try {
      bytes = frameBytes(pixels, f + 1, compressed, description);
    } catch (err) {
      throw fail(`frame ${f + 1} cannot be read: ${(err as Error).message}`);
    }
    const needed = bitsAllocated === 1 ? Math.ceil(pixelCount / 8) : pixelCount * (bitsAllocated / 8);
    if (bytes.length < needed) throw fail(`frame ${f + 1} holds ${bytes.length} bytes, fewer than the ${needed} of a ${columns}x${rows} frame`);
    const masks = new Map<number, Uint8Array>();
    if (type === "LABELMAP") {
      const values = bitsAllocated === 16 ? new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + needed)) : bytes;
      for (let i = 0; i < pixelCount; i++) {
        const v = values[i]!;
        if (v === 0) continue;
        let mask = masks.get(v);
        if (!mask) masks.set(v, (mask = new Uint8Array(pixelCount)));
        mask[i] = 1;
      }
    } else {
      const number = int(first<Naturalized>(perFrame[f]?.SegmentIdentificationSequence ?? shared?.SegmentIdentificationSequence)?.ReferencedSegmentNumber);
      if (number === undefined) throw fail(`frame ${f + 1} names no segment (Segment Identification Sequence, Referenced Segment Number (0062,000B))`);
      masks.set(number, bitsAllocated === 1 ? unpackBits(bytes, pixelCount, 1)[0]! : bytes.subarray(0, pixelCount).map((v) => (v * 2 >= maxFraction ? 1 : 0)));
    }
    for (const [number, mask] of masks) {
      const segment = segments.get(number);
      if (!segment) {
        unknownSegment.add(number);
        continue;
      }
      for (const points of maskOutlines(mask, rows, columns)) {
        if (source) rois.push({ id: null, trackingUid: null, className: segment.label, classAliases: segment.aliases, kind: "freehand", points, sopInstanceUid: source.sopInstanceUid, frame: source.frame });
        else byPlane.rois.push({ className: segment.label, classAliases: segment.aliases, points, slice: byPlane.slices });
      }
    }
  }
  const frames = (ns: number[]) => `frame${ns.length === 1 ? "" : "s"} ${ranges(ns)}`;
  if (unsourced.length) warnings.push(`${frames(unsourced)} name${unsourced.length === 1 ? "s" : ""} no source image (Derivation Image Sequence) nor a plane to place ${unsourced.length === 1 ? "it" : "them"} by; left out`);
  if (otherOrientation.length) warnings.push(`${frames(otherOrientation)} name${otherOrientation.length === 1 ? "s" : ""} no source image and lie${otherOrientation.length === 1 ? "s" : ""} in another orientation than the frames placed by their planes; left out`);
  if (unknownSegment.size) warnings.push(`pixels of segment${unknownSegment.size === 1 ? "" : "s"} ${[...unknownSegment].sort((a, b) => a - b).join(", ")}, which the Segment Sequence does not describe, are left out`);
  if (rois.length === 0 && byPlane.rois.length === 0) warnings.push("no frame of it has a pixel set");
  return { sopInstanceUid, studyInstanceUid, images: [...images.values()], labels: [], rois, warnings, grid: { rows, columns }, ...(byPlane.rois.length ? { byPlane } : {}) };
}

/** Frame `n` as native bytes: 1-bit frames packed from bit 0, 8- and 16-bit little endian. */
function frameBytes(pixels: PixelData, n: number, compressed: boolean, d: PixelDescription): Uint8Array {
  if (!compressed) return pixels.frame(n);
  const rle = pixels.frame(n);
  // 1-bit frames are packed into bytes before RLE (PS3.5 G.2): decoded as a one-row 8-bit image of those bytes.
  if (d.bitsAllocated === 1) return decodeRle(rle, { ...d, rows: 1, columns: Math.ceil((d.rows * d.columns) / 8), bitsAllocated: 8, bitsStored: 8, highBit: 7 });
  return decodeRle(rle, d);
}

/** 1, 2, 3, 7, 9, 10 as "1–3, 7, 9–10". */
function ranges(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}–${ns[j]}` : `${ns[i]}`);
    i = j + 1;
  }
  return out.join(", ");
}
