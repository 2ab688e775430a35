// The DICOM image loader's worker module (decodeImageFrameWorker.js), under the name vite.config.ts
// gives it: it exports the worker's decodeImageFrame and exposes it to a worker only when it runs in one.
declare module "concord-page-decoder" {
  import type { FrameDecoder } from "./inPageDecode";
  export const decodeImageFrame: FrameDecoder;
}
