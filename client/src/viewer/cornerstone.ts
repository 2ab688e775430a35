// Cornerstone3D, started once per page load: the rendering core, the DICOM image loader (its
// decoders run in module web workers) with our scheme for the frames it needs a hand with
// (frameLoader.ts), and the tools this viewer uses.

import { init as initCore } from "@cornerstonejs/core";
import { init as initImageLoader } from "@cornerstonejs/dicom-image-loader";
import {
  addTool,
  init as initTools,
  PanTool,
  PlanarFreehandROITool,
  RectangleROITool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from "@cornerstonejs/tools";
import { registerFrameLoader } from "./frameLoader";

let started: Promise<void> | null = null;

export function startCornerstone(): Promise<void> {
  started ??= (async () => {
    initCore();
    // Decoding is CPU work; leave a core for the page itself.
    initImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) });
    registerFrameLoader();
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, RectangleROITool, PlanarFreehandROITool]) addTool(tool);
  })();
  return started;
}
