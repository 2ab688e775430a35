// Cornerstone3D, started once per page load: the rendering core, the DICOM image loader (its
// decoders run in module web workers) with our scheme for the frames it needs a hand with
// (frameLoader.ts), and the tools this viewer uses. One rendering engine (one WebGL context) serves
// every case the reader opens; each case's viewer enables and disables its element on it.

import { cache, getRenderingCapabilities, init as initCore, metaData, RenderingEngine, setUseCPURendering } from "@cornerstonejs/core";
import { init as initImageLoader, wadors } from "@cornerstonejs/dicom-image-loader";
import {
  addTool,
  annotation as annotations,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from "@cornerstonejs/tools";
import { calibratedImagePlane } from "./calibration";
import { registerFrameLoader } from "./frameLoader";
import { decodeNativeFramesInPage } from "./inPageDecode";
import {
  ConcordAngleTool,
  ConcordBidirectionalTool,
  ConcordLengthTool,
  ConcordLineTool,
  ConcordPlanarFreehandROITool,
  ConcordPointTool,
  ConcordProbeTool,
  ConcordRectangleROITool,
} from "./roiTools";

let started: Promise<void> | null = null;
let engine: RenderingEngine | null = null;

export function startCornerstone(): Promise<void> {
  started ??= (async () => {
    initCore();
    cache.setMaxCacheSize(imageCacheBytes((navigator as Navigator & { deviceMemory?: number }).deviceMemory));
    // Before any viewport exists: nothing to update.
    setUseCPURendering(chooseCpuRendering(), false);
    // Decoding is CPU work; leave a core for the page itself.
    initImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) });
    registerFrameLoader();
    // Projection radiographs placed by their calibrated spacing (calibration.ts), ahead of the loader's plane.
    metaData.addProvider(calibratedImagePlane(wadors.metaData.metaDataProvider as (type: string, imageId: string) => unknown), 100);
    decodeNativeFramesInPage(() => import("./pageDecoder").then((m) => m.decodeImageFrame));
    initTools();
    // The ROI and measurement tools under Cornerstone's names (RectangleROI, Length, ...), see roiTools.ts.
    const ours = [ConcordRectangleROITool, ConcordPlanarFreehandROITool, ConcordPointTool, ConcordLineTool, ConcordLengthTool, ConcordBidirectionalTool, ConcordAngleTool, ConcordProbeTool];
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, ...ours]) addTool(tool);
    indexAnnotationLookups();
  })();
  return started;
}

const GB = 1024 ** 3;

/**
 * How many bytes of decoded images Cornerstone keeps (it lets the least recently used go beyond
 * that). Its default, 3 GB, is never reached by one case but is by a reading session: every case's
 * images stay, and after a few hundred radiographs (4–20 MB each once decoded) a tab holding
 * gigabytes is closed by the browser or starves the workstation. A quarter of the device's memory
 * (what the browser says, at most 8 GB: 2 GB), at least 1 GB (a 2,000-slice CT series at 512 × 512),
 * and 1 GB where the browser does not say.
 */
export function imageCacheBytes(deviceMemoryGb: number | undefined): number {
  const device = typeof deviceMemoryGb === "number" && deviceMemoryGb > 0 ? deviceMemoryGb : 4;
  return Math.round(Math.min(3, Math.max(1, device / 4)) * GB);
}

/** Where the reader's choice of renderer is kept (this browser): "cpu", "gpu", or (unset) automatic. */
export const RENDERER_SETTING = "concord.viewer.renderer";

/** The reader's choice: WebGL ("gpu"), the CPU, or the automatic choice below. */
export type RendererChoice = "auto" | "cpu" | "gpu";

/** A choice made on this page when the browser would not store it (private mode, sandboxed frame). */
let chosenHere: RendererChoice | null = null;

export function rendererChoice(): RendererChoice {
  if (chosenHere) return chosenHere;
  let setting: string | null = null;
  try {
    setting = window.localStorage?.getItem(RENDERER_SETTING) ?? null;
  } catch {
    // Storage refused: the automatic choice.
  }
  return setting === "cpu" || setting === "gpu" ? setting : "auto";
}

/**
 * Keeps the reader's choice in this browser and makes it Cornerstone's for the viewports made from
 * now on (a viewer shows it once it opens its image again). Answers whether the CPU draws now.
 */
export function setRendererChoice(choice: RendererChoice): boolean {
  chosenHere = null;
  try {
    if (choice === "auto") window.localStorage.removeItem(RENDERER_SETTING);
    else window.localStorage.setItem(RENDERER_SETTING, choice);
  } catch {
    chosenHere = choice; // not kept past this page, but taken on it
  }
  const cpu = chooseCpuRendering(choice);
  setUseCPURendering(cpu, false);
  return cpu;
}

/**
 * Whether Cornerstone draws stack images on the CPU (a 2D canvas) instead of WebGL. Automatically
 * so where the browser's WebGL is a software rasterizer (SwiftShader, llvmpipe, Microsoft Basic
 * Render: virtual desktops, remote sessions and machines without a usable GPU, where radiologists
 * often read): there WebGL's shaders run on the CPU too, and the CPU path opens a 1024×1024 image
 * in about half the time and pans and zooms at 60 frames a second against 20–30
 * (bench/first-image.mjs). Without WebGL at all Cornerstone draws on the CPU by itself. A reader
 * can ask for either (the viewer's Renderer menu, kept in RENDERER_SETTING). The CPU path's pixel
 * centres are corrected in cpuPixels.ts; with that, every fixture of the viewer e2e shows the same
 * on both.
 */
export function chooseCpuRendering(choice: RendererChoice = rendererChoice()): boolean {
  if (choice === "cpu") return true;
  const capabilities = getRenderingCapabilities();
  if (!capabilities.webgl) return true; // nothing else can draw
  if (choice === "gpu") return false;
  return capabilities.softwareRasterizer;
}

/** The page's rendering engine, made on first use and kept for the next case. */
export function sharedRenderingEngine(): RenderingEngine {
  if (!engine || implementationOf(engine).hasBeenDestroyed) engine = new RenderingEngine("concord-viewer-engine");
  return engine;
}

interface EngineImplementation {
  hasBeenDestroyed?: boolean;
  _animationFrameSet?: boolean;
  _animationFrameHandle?: number | null;
  _renderFlaggedViewports?: () => void;
}

/**
 * The engine that keeps the viewports, schedules and draws: Cornerstone's RenderingEngine is a
 * facade over it (its `hasBeenDestroyed`, say, is only there).
 */
function implementationOf(engine: RenderingEngine): EngineImplementation {
  const facade = engine as unknown as EngineImplementation & { _implementation?: EngineImplementation };
  return facade._implementation ?? facade;
}

/**
 * Draws now what the engine would draw at the next animation frame. Cornerstone flags a viewport
 * and draws it in requestAnimationFrame; for a case's first image that waited for the next frame
 * after the image was decoded (some 5–15 ms on a page still busy opening, bench/first-image.mjs).
 * Drawn now, the canvas holds the image when the browser composes its next frame. The frame
 * already asked for is cancelled; anything flagged later asks for another.
 */
export function renderNow(engine: RenderingEngine): void {
  const e = implementationOf(engine);
  if (e.hasBeenDestroyed || !e._animationFrameSet || typeof e._renderFlaggedViewports !== "function") return;
  if (e._animationFrameHandle != null) window.cancelAnimationFrame(e._animationFrameHandle);
  e._renderFlaggedViewports();
}

/**
 * Cornerstone's annotation manager finds an annotation by its UID by walking every annotation, and
 * each ROI's render asks for itself that way (its visibility check, twice): with 1,000 ROIs a frame
 * made a million comparisons. The manager's lookup is an instance function; this answers it from
 * an index rebuilt after any change to the set of annotations (adds, removals, restores), falling
 * back to the walk for a UID the index does not know.
 */
function indexAnnotationLookups(): void {
  const manager = annotations.state.getAnnotationManager() as unknown as Record<string, unknown> & {
    getAnnotation: (uid: string) => unknown;
    getAllAnnotations: () => Array<{ annotationUID?: string }>;
  };
  if (typeof manager?.getAnnotation !== "function" || typeof manager.getAllAnnotations !== "function") return;
  const walk = manager.getAnnotation;
  let index: Map<string, unknown> | null = null;
  for (const name of ["addAnnotation", "removeAnnotation", "removeAnnotations", "restoreAnnotations", "removeAllAnnotations"]) {
    const fn = manager[name];
    if (typeof fn !== "function") continue;
    manager[name] = (...args: unknown[]) => {
      index = null;
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        index = null;
      }
    };
  }
  manager.getAnnotation = (uid: string) => {
    if (!index) {
      index = new Map();
      for (const a of manager.getAllAnnotations()) if (a?.annotationUID) index.set(a.annotationUID, a);
    }
    return index.get(uid) ?? walk(uid);
  };
}
