// A case's stack as pure data: which instances and frames, in which order, under which image ids.

export type DicomJson = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

/** One image of the stack: one frame of one instance. */
export interface StackImage {
  imageId: string;
  sopInstanceUid: string;
  /** 1-based. */
  frame: number;
}

const SOP_INSTANCE_UID = "00080018";
export const SERIES_INSTANCE_UID = "0020000E";
const INSTANCE_NUMBER = "00200013";
const NUMBER_OF_FRAMES = "00280008";
const ROWS = "00280010";

export const first = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0];
const asNumber = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** Instances in stack order: Instance Number, then SOP Instance UID so the order is stable. */
export function stackOrder(instances: DicomJson[]): DicomJson[] {
  const key = (i: DicomJson) => asNumber(first(i, INSTANCE_NUMBER)) ?? Number.MAX_SAFE_INTEGER;
  return [...instances].sort((a, b) => key(a) - key(b) || String(first(a, SOP_INSTANCE_UID)).localeCompare(String(first(b, SOP_INSTANCE_UID))));
}

/** Image ids for every frame of every image instance, in stack order (pure: no registration). */
export function stackImagesOf(root: string, studyInstanceUid: string, instances: DicomJson[]): Array<StackImage & { metadata: DicomJson }> {
  const out: Array<StackImage & { metadata: DicomJson }> = [];
  for (const metadata of stackOrder(instances)) {
    const sop = first(metadata, SOP_INSTANCE_UID);
    const series = first(metadata, SERIES_INSTANCE_UID);
    if (typeof sop !== "string" || typeof series !== "string" || asNumber(first(metadata, ROWS)) === null) continue; // not an image
    const frames = Math.max(1, asNumber(first(metadata, NUMBER_OF_FRAMES)) ?? 1);
    const base = `wadors:${root}/studies/${studyInstanceUid}/series/${series}/instances/${sop}/frames/`;
    for (let frame = 1; frame <= frames; frame++) out.push({ imageId: `${base}${frame}`, sopInstanceUid: sop, frame, metadata });
  }
  return out;
}
