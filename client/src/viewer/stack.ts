// A case's stack as pure data: which instances and frames, in which order, under which image ids.

import { markersWithoutPlane, type OrientationMarkers } from "./orientation";
import { nativeConversionOf } from "./pixels";
import { viewOf } from "./views";

export type DicomJson = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

/** One image of the stack: one frame of one instance. */
export interface StackImage {
  imageId: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** Its series' Series Number, Modality and Series Description (the series bar of a study's case names them). */
  seriesNumber: number | null;
  modality: string;
  seriesDescription: string;
  /** Its side and projection ("R CC", "PA": views.ts), or null when the file says neither. */
  view: string | null;
  /** 1-based. */
  frame: number;
  /**
   * "plane" when the instance gives its plane's orientation (the viewer's markers come from it);
   * else the markers its Patient Orientation gives (projection radiographs), or null: none.
   */
  orientation: OrientationMarkers | null | "plane";
  /** The frame rate its instance asks to be played at (cineRateOf), or null. */
  frameRate: number | null;
}

const SOP_INSTANCE_UID = "00080018";
export const SERIES_INSTANCE_UID = "0020000E";
const SERIES_NUMBER = "00200011";
const MODALITY = "00080060";
const SERIES_DESCRIPTION = "0008103E";
const INSTANCE_NUMBER = "00200013";
const NUMBER_OF_FRAMES = "00280008";
const ROWS = "00280010";
const SAMPLES_PER_PIXEL = "00280002";
const PHOTOMETRIC_INTERPRETATION = "00280004";
const BITS_ALLOCATED = "00280100";

/** The image loader scheme of the frames the wadors loader needs a hand with (frameLoader.ts). */
export const CONVERTING_SCHEME = "concord-wadors";

export const first = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0];
const asNumber = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * The loader scheme for an instance's frames: "wadors", or ours for 1-bit and YBR_FULL_422 images
 * (the metadata does not say whether their frames come native; frameLoader.ts looks at each).
 */
export function loaderSchemeOf(metadata: DicomJson): string {
  const photometric = first(metadata, PHOTOMETRIC_INTERPRETATION);
  const conversion = nativeConversionOf({
    bitsAllocated: asNumber(first(metadata, BITS_ALLOCATED)) ?? undefined,
    samplesPerPixel: asNumber(first(metadata, SAMPLES_PER_PIXEL)) ?? undefined,
    photometricInterpretation: typeof photometric === "string" ? photometric.trim() : undefined,
  });
  return conversion ? CONVERTING_SCHEME : "wadors";
}

/**
 * The frames per second an instance asks to be played at, for cine: its Recommended Display Frame
 * Rate (0008,2144), else its Cine Rate (0018,0040), else its Frame Time (0018,1063, milliseconds
 * between frames); null when it says none (a CT series, say). Within 1–100.
 */
export function cineRateOf(metadata: DicomJson): number | null {
  for (const tag of ["00082144", "00180040"]) {
    const rate = asNumber(first(metadata, tag));
    if (rate !== null && rate > 0) return Math.min(100, Math.max(1, rate));
  }
  const frameTime = asNumber(first(metadata, "00181063"));
  return frameTime !== null && frameTime > 0 ? Math.min(100, Math.max(1, 1000 / frameTime)) : null;
}

/**
 * Instances in stack order: each series together (a study's case holds several), the series by
 * Series Number (those without one last), then Series Instance UID; within a series by Instance
 * Number, then SOP Instance UID, so the order is stable. A series' number is its first instance's
 * that gives one, so a series whose instances disagree is never split.
 */
export function stackOrder(instances: DicomJson[]): DicomJson[] {
  const seriesOf = (i: DicomJson) => String(first(i, SERIES_INSTANCE_UID) ?? "");
  const seriesNumber = new Map<string, number>();
  for (const i of instances) {
    const n = asNumber(first(i, SERIES_NUMBER));
    if (n !== null && !seriesNumber.has(seriesOf(i))) seriesNumber.set(seriesOf(i), n);
  }
  const seriesKey = (i: DicomJson) => seriesNumber.get(seriesOf(i)) ?? Number.MAX_SAFE_INTEGER;
  const key = (i: DicomJson) => asNumber(first(i, INSTANCE_NUMBER)) ?? Number.MAX_SAFE_INTEGER;
  return [...instances].sort(
    (a, b) =>
      seriesKey(a) - seriesKey(b) ||
      seriesOf(a).localeCompare(seriesOf(b)) ||
      key(a) - key(b) ||
      String(first(a, SOP_INSTANCE_UID)).localeCompare(String(first(b, SOP_INSTANCE_UID))),
  );
}

/** One series of a case's stack, as seriesOfStack answers it. */
export interface StackSeries {
  seriesInstanceUid: string;
  /** Series Number; null when the files give none. */
  number: number | null;
  modality: string;
  description: string;
  /** The view every image of it shows ("L MLO"), or null when they say none or differ. */
  view: string | null;
  /** Index of its first image in the whole stack. */
  start: number;
  /** Its images (frames). */
  count: number;
  /** Its first image's instance (a thumbnail's). */
  sopInstanceUid: string;
}

/** "3 · MR · T2 AX · 24 images", "1 · MG · R CC · 1 image": what a series button (or a reference viewer's choice of series) says. */
export function seriesLabel(s: StackSeries): string {
  return [s.number ?? null, s.modality, s.view, s.description, `${s.count} image${s.count === 1 ? "" : "s"}`].filter((part) => part !== null && part !== "").join(" · ");
}

/** The series of a stack (in stackOrder: each series' images together), in its order. */
export function seriesOfStack(images: readonly StackImage[]): StackSeries[] {
  const out: StackSeries[] = [];
  images.forEach((image, i) => {
    const last = out[out.length - 1];
    if (last && last.seriesInstanceUid === image.seriesInstanceUid && last.start + last.count === i) {
      last.count++;
      if (last.view !== image.view) last.view = null;
    } else
      out.push({
        seriesInstanceUid: image.seriesInstanceUid,
        number: image.seriesNumber,
        modality: image.modality,
        description: image.seriesDescription,
        view: image.view,
        start: i,
        count: 1,
        sopInstanceUid: image.sopInstanceUid,
      });
  });
  return out;
}

/** Image ids for every frame of every image instance, in stack order (pure: no registration). */
export function stackImagesOf(root: string, studyInstanceUid: string, instances: DicomJson[]): Array<StackImage & { metadata: DicomJson }> {
  const out: Array<StackImage & { metadata: DicomJson }> = [];
  for (const metadata of stackOrder(instances)) {
    const sop = first(metadata, SOP_INSTANCE_UID);
    const series = first(metadata, SERIES_INSTANCE_UID);
    if (typeof sop !== "string" || typeof series !== "string" || asNumber(first(metadata, ROWS)) === null) continue; // not an image
    const frames = Math.max(1, asNumber(first(metadata, NUMBER_OF_FRAMES)) ?? 1);
    const orientation = markersWithoutPlane(metadata);
    const frameRate = cineRateOf(metadata);
    const seriesNumber = asNumber(first(metadata, SERIES_NUMBER));
    const text = (tag: string) => {
      const v = first(metadata, tag);
      return typeof v === "string" ? v.trim() : "";
    };
    const [modality, seriesDescription, view] = [text(MODALITY), text(SERIES_DESCRIPTION), viewOf(metadata)];
    const base = `${loaderSchemeOf(metadata)}:${root}/studies/${studyInstanceUid}/series/${series}/instances/${sop}/frames/`;
    for (let frame = 1; frame <= frames; frame++) {
      out.push({ imageId: `${base}${frame}`, sopInstanceUid: sop, seriesInstanceUid: series, seriesNumber, modality, seriesDescription, view, frame, orientation, frameRate, metadata });
    }
  }
  return out;
}
