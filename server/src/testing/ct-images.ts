import { createHash } from "node:crypto";
import { part10Of } from "../modules/exports/dicom/test-sources.js";

// Synthetic CT slices for the AI tests through the server: a background with rectangles of a middle
// value and discs of a bright one, 12 bits stored, no rescale; one frame per slice of a series, or
// several in one Enhanced CT image.

/** 12-bit stored values, no rescale: the model sees value / 4095. */
export const BACKGROUND = 400; // 0.10: background
export const MID = 2000; // 0.49: the first label ("Vessel")
export const BRIGHT = 3700; // 0.90: the second label ("Nodule")

export interface Disc {
  cx: number;
  cy: number;
  r: number;
}
export interface Rect {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}
export const inDisc = (d: Disc, x: number, y: number) => (x + 0.5 - d.cx) ** 2 + (y + 0.5 - d.cy) ** 2 < d.r ** 2;
export const inRect = (r: Rect, x: number, y: number) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;

/** A frame: background, MID rectangles, BRIGHT discs on top. */
export function frame(size: number, discs: Disc[], rects: Rect[] = []): Uint16Array {
  const out = new Uint16Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let v = BACKGROUND;
      if (rects.some((r) => inRect(r, x, y))) v = MID;
      if (discs.some((d) => inDisc(d, x, y))) v = BRIGHT;
      out[y * size + x] = v;
    }
  return out;
}

export const uid = () => `2.25.${BigInt(`0x${createHash("sha256").update(Math.random().toString()).digest("hex").slice(0, 30)}`).toString()}`;

/**
 * One CT slice (12 bits stored in 16, unsigned, no rescale) of a series; several frames make a
 * multi-frame image. `modality` and `seriesNumber` (default CT and 1) make another series of a study.
 */
export function ctImage(u: { study: string; series: string; sop: string; n: number; size: number; frames: Uint16Array[]; modality?: string; seriesNumber?: number }): Uint8Array {
  const multi = u.frames.length > 1;
  const pixels = new Uint16Array(u.size * u.size * u.frames.length);
  u.frames.forEach((f, k) => pixels.set(f, k * u.size * u.size));
  return part10Of({
    // CT Image Storage, or Enhanced CT for several frames.
    SOPClassUID: multi ? "1.2.840.10008.5.1.4.1.1.2.1" : "1.2.840.10008.5.1.4.1.1.2",
    SOPInstanceUID: u.sop,
    ImageType: multi ? ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"] : ["ORIGINAL", "PRIMARY", "AXIAL"],
    StudyDate: "20240102",
    Modality: u.modality ?? "CT",
    PatientName: "Anon^Segmentation",
    PatientID: "ANON-SEG",
    StudyInstanceUID: u.study,
    SeriesInstanceUID: u.series,
    SeriesNumber: u.seriesNumber ?? 1,
    InstanceNumber: u.n,
    FrameOfReferenceUID: `${u.study}.9`,
    ...(multi
      ? {
          NumberOfFrames: u.frames.length,
          SharedFunctionalGroupsSequence: [
            { PixelMeasuresSequence: [{ PixelSpacing: [0.5, 0.5], SliceThickness: 1.25 }], PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }] },
          ],
          PerFrameFunctionalGroupsSequence: u.frames.map((_, k) => ({
            FrameContentSequence: [{ InStackPositionNumber: k + 1 }],
            PlanePositionSequence: [{ ImagePositionPatient: [-16, -16, 40 + 1.25 * k] }],
          })),
        }
      : { ImagePositionPatient: [-16, -16, 40 + 1.25 * u.n], ImageOrientationPatient: [1, 0, 0, 0, 1, 0], SliceThickness: 1.25, PixelSpacing: [0.5, 0.5] }),
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: u.size,
    Columns: u.size,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: "OW" },
  });
}

/**
 * A slice of a synthetic series for training: one to three MID rectangles (vessels) at random
 * places on every slice, with a small BRIGHT disc (the finding) only when asked, and uniform noise
 * of ±200, as stored values.
 */
export function noisySlice(rnd: () => number, size: number, finding: boolean): Uint16Array {
  const span = size - 14;
  const rects = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
    const x0 = Math.floor(rnd() * span);
    const y0 = Math.floor(rnd() * span);
    return { x0, y0, x1: x0 + 4 + Math.floor(rnd() * 10), y1: y0 + 4 + Math.floor(rnd() * 10) };
  });
  const discs = finding ? [{ cx: 12 + rnd() * (size - 24), cy: 12 + rnd() * (size - 24), r: 2.5 + rnd() * 2 }] : [];
  const out = frame(size, discs, rects);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.round(out[i]! + (rnd() - 0.5) * 400));
  return out;
}
