// The "concord-wadors" image loader: Cornerstone's wadors loader for the two kinds of native
// frames it cannot show in 5.14, which stack.ts gives this scheme (same URL, same metadata):
//
//  - 1-bit frames (BitsAllocated 1, e.g. BINARY segmentations): the wadors path hands the packed
//    bytes on as they are (its wadouri sibling unpacks them, its wadors one does not), so the
//    image has an eighth of its pixels. Here they are unpacked to one byte (0 or 1) a pixel, which
//    is what the loader's own little endian decoder takes for BitsAllocated 1, and the image is
//    windowed 0..1: a mask, shown black and white whatever its frame holds.
//  - native YBR_FULL_422 (two bytes a pixel): the loader tests such a frame's size against the
//    4:2:0 size, so it never converts it to RGB and the renderer refuses it. Here it becomes
//    interleaved RGB, the form the loader already treats as decoded for YBR_FULL_422 (what its
//    JPEG decoders produce for such images): three bytes a pixel take no colour conversion.
//
// Why here and not on the server: our WADO-RS frames route answers these frames as DICOMweb
// says they are (PS3.18 §8.7.3.3.2: packed bits, subsampled chroma, at a fraction of the size),
// and any other DICOMweb client reads them so. The gap is this client's decoder, so it is closed
// in the client, one step before the loader's own decode; the server stays a plain DICOMweb
// origin with no Concord-only variant of its answers to keep consistent with its metadata.
//
// It also takes the first frame of a single-image case, which loadCaseStack (dicomweb.ts) asks for
// while it asks for the metadata (prefetchFrame): the two requests run side by side instead of one
// after the other. Such a frame is converted only if it needs to be, like any other.
//
// Everything else goes the loader's way: the request (its XHR, headers, hooks and events), the
// multipart parsing, createImage (decode worker, scaling, the Cornerstone image). A frame that
// comes compressed (say JPEG YBR_FULL_422, or RLE 1-bit, which the loader decodes itself) is
// passed on untouched.

import { Enums, imageRetrievalPoolManager, metaData, registerImageLoader, type Types } from "@cornerstonejs/core";
import { createImage, wadors } from "@cornerstonejs/dicom-image-loader";
import { getTransferSyntaxForContentType } from "@cornerstonejs/dicom-image-loader/wadors/loadImage";
import { isNativeLittleEndian, nativeConversionOf, unpackBits, ybrFull422ToRgb } from "./pixels";
import { CONVERTING_SCHEME } from "./stack";

/** What the wadors loader asks for: any transfer syntax, native frames as octets. */
const FRAME_MEDIA_TYPE = "multipart/related; type=application/octet-stream; transfer-syntax=*";
/**
 * What a prefetch asks for: the one frame as a single part (PS3.18 §8.7.3.3.2), in whatever
 * transfer syntax it is stored, named by the answer's Content-Type. Our frames route answers it
 * for every project (an external store's instances are served from their files, not proxied), and
 * the answer needs no multipart parsing: the loader's parse scans the whole frame for the closing
 * boundary on the page's main thread, some 5 ms for a 1 MB radiograph while the page is opening.
 */
const SINGLE_FRAME_MEDIA_TYPE = "application/octet-stream; transfer-syntax=*";

interface LoadOptions {
  requestType?: Enums.RequestType;
  additionalDetails?: Record<string, unknown>;
  priority?: number;
  [key: string]: unknown;
}

interface ImagePixelModule {
  rows?: number;
  columns?: number;
  bitsAllocated?: number;
  samplesPerPixel?: number;
  photometricInterpretation?: string;
}

export function registerFrameLoader(): void {
  registerImageLoader(CONVERTING_SCHEME, loadImage as unknown as Parameters<typeof registerImageLoader>[1]);
}

type FramePart = { contentType: string; pixelData: Uint8Array };

/** Frames asked for ahead of their image, by URI; each is taken once. */
const prefetched = new Map<string, Promise<FramePart>>();

/**
 * Asks for a frame now (the loader's own request and multipart parsing); loading the image
 * `${CONVERTING_SCHEME}:${uri}` then takes this answer instead of asking again. drop() forgets it.
 */
export function prefetchFrame(uri: string): { uri: string; drop(): void } {
  const part = fetchFrame(`${CONVERTING_SCHEME}:${uri}`, {}, SINGLE_FRAME_MEDIA_TYPE);
  part.catch(() => {}); // a failed prefetch is asked for again by the load (below)
  prefetched.set(uri, part);
  const drop = () => {
    if (prefetched.get(uri) === part) prefetched.delete(uri);
  };
  setTimeout(drop, 60_000); // not taken by then: the viewer went elsewhere
  return { uri, drop };
}

function loadImage(imageId: string, options: LoadOptions = {}): Types.IImageLoadObject {
  const promise = new Promise<Types.IImage>((resolve, reject) => {
    // Queued like the wadors loader's requests; the slot is held while the frame downloads.
    imageRetrievalPoolManager.addRequest(
      () => {
        const uri = imageId.slice(imageId.indexOf(":") + 1);
        const early = prefetched.get(uri);
        prefetched.delete(uri);
        const fetched = early ? early.catch(() => fetchFrame(imageId, options)) : fetchFrame(imageId, options);
        fetched.then((part) => createConverted(imageId, part, options)).then(resolve, reject);
        return fetched.then(
          () => undefined,
          () => undefined,
        );
      },
      options.requestType ?? Enums.RequestType.Interaction,
      options.additionalDetails ?? { imageId },
      options.priority ?? 5,
    );
  });
  return { promise, cancelFn: undefined };
}

async function fetchFrame(imageId: string, options: LoadOptions, mediaType = FRAME_MEDIA_TYPE): Promise<FramePart> {
  const uri = imageId.slice(imageId.indexOf(":") + 1);
  const part = (await wadors.getPixelData(uri, imageId, mediaType, options as never)) as { contentType?: string; pixelData?: Uint8Array };
  if (!part?.pixelData) throw new Error(`no pixel data in the answer for ${uri}`);
  return { contentType: part.contentType ?? "application/octet-stream", pixelData: part.pixelData };
}

async function createConverted(imageId: string, part: FramePart, options: LoadOptions): Promise<Types.IImage> {
  const transferSyntax = getTransferSyntaxForContentType(part.contentType);
  const pixels = (metaData.get(Enums.MetadataModules.IMAGE_PIXEL, imageId) ?? {}) as ImagePixelModule;
  const conversion = isNativeLittleEndian(transferSyntax) ? nativeConversionOf(pixels) : null;
  const rows = pixels.rows ?? 0;
  const columns = pixels.columns ?? 0;
  let pixelData = part.pixelData;
  if (conversion === "unpackBits") pixelData = unpackBits(pixelData, rows * columns);
  else if (conversion === "ybrFull422ToRgb") pixelData = ybrFull422ToRgb(pixelData, columns, rows);
  const image = (await createImage(imageId, pixelData, transferSyntax, { ...options, decodeLevel: 0 } as never)) as Types.IImage & { transferSyntaxUID?: string };
  image.transferSyntaxUID = transferSyntax;
  image.imageQualityStatus = Enums.ImageQualityStatus.FULL_RESOLUTION;
  if (conversion === "unpackBits") {
    // toWindowLevel(0, 1): the VOI range 0..1, so 0 is black and 1 white on every frame.
    image.windowCenter = 1;
    image.windowWidth = 2;
  }
  return image;
}
