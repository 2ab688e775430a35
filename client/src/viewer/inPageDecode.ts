// The frame the reader is waiting for, decoded in the page instead of in the loader's worker, when
// it is native (uncompressed, little endian). Such a "decode" is a typed view of the bytes and a
// pass for their range; sent to the worker it also cost the copy there and back, the worker's
// turn, and on a page still busy opening the case a wait for the answer to be handled: the decode
// itself takes about as long either way (3 ms for a 1024 × 1024 radiograph), the open about 3 ms
// less at the median in the page (bench/first-image.mjs). It is the loader's own decodeImageFrame (its
// worker module, loaded into the page once), called with what the worker would have been given,
// so the image is the same. Only for what the viewer shows now (Interaction requests, up to
// IN_PAGE_MAX_PIXELS): compressed frames, large ones and those loaded ahead keep the worker and
// leave the page free.

import { Enums, getWebWorkerManager } from "@cornerstonejs/core";

const NATIVE_LITTLE_ENDIAN = new Set(["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]);
/** 2048 × 2048: decoded in the page in a few milliseconds. */
export const IN_PAGE_MAX_PIXELS = 2048 * 2048;

export interface DecodeTaskArgs {
  imageFrame?: { rows?: number; columns?: number; samplesPerPixel?: number };
  transferSyntax?: string;
  pixelData?: Uint8Array;
  decodeConfig?: unknown;
  options?: unknown;
}

export type FrameDecoder = (imageFrame: unknown, transferSyntax: string, pixelData: Uint8Array, decodeConfig: unknown, options: unknown) => Promise<unknown>;

type ExecuteTask = (workerName: string, methodName: string, args?: unknown, options?: { requestType?: Enums.RequestType; [key: string]: unknown }) => Promise<unknown>;

/** Whether the loader's decode task is one to run in the page. */
export function decodesInPage(workerName: string, methodName: string, args: DecodeTaskArgs, requestType: Enums.RequestType | undefined): boolean {
  if (workerName !== "dicomImageLoader" || methodName !== "decodeTask" || requestType !== Enums.RequestType.Interaction) return false;
  const { imageFrame, transferSyntax, pixelData } = args;
  if (!transferSyntax || !NATIVE_LITTLE_ENDIAN.has(transferSyntax) || !(pixelData instanceof Uint8Array)) return false;
  const pixels = (imageFrame?.rows ?? 0) * (imageFrame?.columns ?? 0);
  return pixels > 0 && pixels <= IN_PAGE_MAX_PIXELS;
}

/**
 * Routes the loader's decode tasks that decodesInPage picks to `load()`'s decoder, once it has
 * loaded (until then, and should it fail to load, every frame goes to the worker as before).
 */
export function decodeNativeFramesInPage(load: () => Promise<FrameDecoder>): void {
  let decode: FrameDecoder | null = null;
  load().then(
    (d) => (decode = d),
    () => {},
  );
  const manager = getWebWorkerManager() as unknown as { executeTask: ExecuteTask };
  const execute = manager.executeTask.bind(manager);
  manager.executeTask = (workerName, methodName, args, options) => {
    const task = (args ?? {}) as DecodeTaskArgs;
    if (decode && decodesInPage(workerName, methodName, task, options?.requestType)) {
      // A copy, as the worker is sent: the decode may rewrite the bytes (signed pixels are shifted).
      return decode(task.imageFrame, task.transferSyntax!, task.pixelData!.slice(), task.decodeConfig, task.options);
    }
    return execute(workerName, methodName, args, options);
  };
}
