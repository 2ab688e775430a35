// A case's images through our own DICOMweb root (/dicomweb/projects/:projectId, same origin, the
// session cookie authenticates): WADO-RS metadata for every instance, registered with the wadors
// image loader, and one image id per frame pointing at the WADO-RS frames route, which answers
// multipart/related with each part's transfer syntax (native pixels as little endian octets,
// compressed frames as stored), as the loader expects. 1-bit and YBR_FULL_422 images take our
// "concord-wadors" scheme instead (frameLoader.ts), same URLs and metadata.

import { Enums, getShouldUseCPURendering, imageLoader, metaData } from "@cornerstonejs/core";
import { wadors } from "@cornerstonejs/dicom-image-loader";
import { calibrateImage } from "./calibration";
import { registerCasePreloader } from "./casePreload";
import { startCornerstone } from "./cornerstone";
import { prefetchFrame } from "./frameLoader";
import { CONVERTING_SCHEME, first, SERIES_INSTANCE_UID, stackImagesOf, type DicomJson, type StackImage } from "./stack";

export interface CaseImages {
  projectId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  /** null: the case is the whole series (or study), shown as a stack. */
  sopInstanceUid: string | null;
}

export class ImageLoadError extends Error {}

export function dicomwebRoot(projectId: string, origin = window.location.origin): string {
  return `${origin}/dicomweb/projects/${encodeURIComponent(projectId)}`;
}

async function getJson(url: string, signal?: AbortSignal): Promise<DicomJson[]> {
  const res = await fetch(url, { headers: { accept: "application/dicom+json" }, credentials: "same-origin", signal });
  if (res.status === 404) throw new ImageLoadError("The image was not found, or you may not see it.");
  if (!res.ok) throw new ImageLoadError(`The image server answered ${res.status}.`);
  const body = (await res.json()) as unknown;
  return Array.isArray(body) ? (body as DicomJson[]) : [];
}

/** Fetches the case's metadata, registers it with the wadors loader and answers the stack. */
export async function loadCaseStack(ref: CaseImages, signal?: AbortSignal): Promise<StackImage[]> {
  const root = dicomwebRoot(ref.projectId);
  const study = `${root}/studies/${ref.studyInstanceUid}`;
  let series = ref.seriesInstanceUid;
  if (ref.sopInstanceUid && !series) {
    // QIDO-RS names the instance's series when the case does not.
    const [hit] = await getJson(`${study}/instances?SOPInstanceUID=${encodeURIComponent(ref.sopInstanceUid)}`, signal);
    const found = hit ? first(hit, SERIES_INSTANCE_UID) : undefined;
    if (typeof found !== "string") throw new ImageLoadError("The image was not found, or you may not see it.");
    series = found;
  }
  // One image: its first frame is the one shown first, so ask for it alongside its metadata.
  let early: ReturnType<typeof prefetchFrame> | null = null;
  if (ref.sopInstanceUid && series) {
    await startCornerstone(); // the loader's request settings (started long before: a no-op by now)
    early = prefetchFrame(`${study}/series/${series}/instances/${ref.sopInstanceUid}/frames/1`);
  }
  try {
    return await stackOf(ref, root, study, series, early, signal);
  } catch (err) {
    early?.drop();
    throw err;
  }
}

/**
 * loadCaseStack for a case the reader is about to open (casePreload.ts), and its first image
 * loaded into Cornerstone's image cache with the loader options the viewport will use (a WebGL
 * stack viewport's, or the CPU path's, which asks for RGBA pixels): decoded by the time the viewer
 * sets its stack, which then takes it from the cache.
 */
export async function preloadCaseStack(ref: CaseImages, { background = false }: { background?: boolean } = {}): Promise<StackImage[]> {
  const stack = await loadCaseStack(ref);
  const imageId = stack[0]!.imageId;
  // In the background (the next case, while the reader reads this one): after anything the viewer asks for.
  const requestType = background ? Enums.RequestType.Prefetch : Enums.RequestType.Interaction;
  const options = getShouldUseCPURendering()
    ? { useRGBA: true, requestType, priority: background ? 5 : -5, additionalDetails: { imageId, imageIdIndex: 0 } }
    : {
        useRGBA: false,
        transferSyntaxUID: ((metaData.get(Enums.MetadataModules.TRANSFER_SYNTAX, imageId) ?? {}) as { transferSyntaxUID?: string }).transferSyntaxUID,
        priority: 5,
        requestType,
        additionalDetails: { imageId, imageIdIndex: 0 },
      };
  imageLoader.loadAndCacheImage(imageId, options).catch(() => {}); // the viewport loads it again if it failed
  return stack;
}

registerCasePreloader(preloadCaseStack);

async function stackOf(
  ref: CaseImages,
  root: string,
  study: string,
  series: string | null,
  early: ReturnType<typeof prefetchFrame> | null,
  signal?: AbortSignal,
): Promise<StackImage[]> {
  const url = ref.sopInstanceUid
    ? `${study}/series/${series}/instances/${ref.sopInstanceUid}/metadata`
    : series
      ? `${study}/series/${series}/metadata`
      : `${study}/metadata`;
  const instances = await getJson(url, signal);
  await Promise.all(instances.map((i) => inlinePaletteLuts(i, signal)));
  instances.forEach(normaliseForLoader);
  const images = stackImagesOf(root, ref.studyInstanceUid, instances);
  if (!images.length) throw new ImageLoadError("This case has no image to show.");
  if (early) {
    // The prefetched frame is the first image's: it loads through our scheme, which takes it.
    const [shown] = images;
    const uri = shown!.imageId.slice(shown!.imageId.indexOf(":") + 1);
    if (uri === early.uri) shown!.imageId = `${CONVERTING_SCHEME}:${uri}`;
    else early.drop();
  }
  for (const image of images) {
    wadors.metaDataManager.add(image.imageId, image.metadata as never);
    calibrateImage(image.imageId, image.metadata); // a projection radiograph's spacing (calibration.ts)
  }
  return images.map(({ metadata: _metadata, ...image }) => image);
}

/**
 * Smooths over what the wadors metadata provider cannot take: without Modality it fails on any
 * image without an orientation (it asks whether it is NM), and a pixel spacing of 0 (seen in
 * real CR files) makes the image's geometry degenerate; without one the viewer uses 1 mm.
 */
export function normaliseForLoader(instance: DicomJson): void {
  if (typeof first(instance, "00080060") !== "string") instance["00080060"] = { vr: "CS", Value: [""] };
  for (const tag of ["00280030", "00181164"]) {
    const values = instance[tag]?.Value;
    if (values && !(values.length >= 2 && values.every((v) => Number(v) > 0))) delete instance[tag];
  }
}

const PALETTE_LUTS: Array<[descriptor: string, data: string]> = [
  ["00281101", "00281201"],
  ["00281102", "00281202"],
  ["00281103", "00281203"],
];

/**
 * PALETTE COLOR images: our metadata carries the LUT data as BulkDataURIs, but the wadors loader
 * reads it from the metadata's values, so fetch the three tables (bulk data route) and put them
 * in as numbers: one per entry, 16-bit little endian words or bytes as the descriptor says.
 */
export async function inlinePaletteLuts(instance: DicomJson, signal?: AbortSignal): Promise<void> {
  if (first(instance, "00280004") !== "PALETTE COLOR") return;
  await Promise.all(
    PALETTE_LUTS.map(async ([descriptorTag, dataTag]) => {
      const element = instance[dataTag];
      const descriptor = instance[descriptorTag]?.Value as number[] | undefined;
      if (!element?.BulkDataURI || element.Value || !descriptor) return;
      const res = await fetch(element.BulkDataURI, { headers: { accept: "application/octet-stream" }, credentials: "same-origin", signal });
      if (!res.ok) throw new ImageLoadError(`The image's colour palette could not be read (${res.status}).`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      instance[dataTag] = { vr: element.vr, Value: paletteValues(bytes, descriptor) };
    }),
  );
}

/** LUT entries from their bytes: descriptor = [entries (0 means 65536), first mapped value, bits per entry]. */
export function paletteValues(bytes: Uint8Array, descriptor: readonly number[]): number[] {
  const entries = descriptor[0] || 65536;
  const out = new Array<number>(entries);
  for (let i = 0; i < entries; i++) out[i] = descriptor[2] === 16 ? (bytes[2 * i] ?? 0) | ((bytes[2 * i + 1] ?? 0) << 8) : (bytes[i] ?? 0);
  return out;
}
