// Cornerstone's CPU rendering path, made to agree with its WebGL path about where pixels are.

import type { Types } from "@cornerstonejs/core";

/**
 * Puts pixel centres where the image is drawn on Cornerstone's CPU path. Its world → canvas mapping
 * (StackViewport worldToCanvasCPU, and canvasToWorldCPU back) takes the world's pixel index, whose
 * whole numbers are pixel centres (as DICOM's Image Position and the WebGL path have them), as the
 * canvas drawing's pixel index, whose whole numbers are pixel corners: everything mapped (ROIs, the
 * pointer, the image's box) sat half a pixel up and left of the pixels drawn. On a 16 × 16 CR that
 * is a twentieth of the image, and the viewer e2e's samples of the image missed its first column.
 * Both directions are shifted by half a pixel along the image's rows and columns.
 */
export function centreCpuPixels(viewport: Types.IStackViewport): void {
  const v = viewport as unknown as {
    useCPURendering?: boolean;
    worldToCanvas: (world: Types.Point3) => Types.Point2;
    canvasToWorld: (canvas: Types.Point2) => Types.Point3;
    getImageData: () => { spacing: ArrayLike<number>; direction: ArrayLike<number> } | undefined;
  };
  if (v.useCPURendering !== true) return;
  const toCanvas = v.worldToCanvas.bind(v);
  const toWorld = v.canvasToWorld.bind(v);
  /** Half a pixel along the rows and the columns, in world units. */
  const half = (): Types.Point3 => {
    const data = v.getImageData();
    if (!data) return [0, 0, 0];
    const [si = 1, sj = 1] = [data.spacing[0], data.spacing[1]];
    const d = data.direction;
    return [0, 1, 2].map((k) => 0.5 * si * (d[k] ?? 0) + 0.5 * sj * (d[3 + k] ?? 0)) as Types.Point3;
  };
  v.worldToCanvas = (world) => {
    const h = half();
    return toCanvas([world[0] + h[0], world[1] + h[1], world[2] + h[2]]);
  };
  v.canvasToWorld = (canvas) => {
    const world = toWorld(canvas);
    if (!world) return world;
    const h = half();
    return [world[0] - h[0], world[1] - h[1], world[2] - h[2]];
  };
}

/** What Cornerstone's CPU path keeps between renders of a viewport (its `renderingTools`). */
interface CpuRenderingTools {
  renderCanvas?: HTMLCanvasElement;
  renderCanvasContext?: CanvasRenderingContext2D;
  renderCanvasData?: ImageData;
  lastRenderedIsColor?: boolean;
}

export interface CpuRenderElement {
  image?: { width: number; height: number; color?: boolean; render?: unknown };
  viewport?: { colormap?: unknown };
  renderingTools: CpuRenderingTools;
}

/**
 * The white, opaque pixels of primeCpuRenderCanvas, one set per image size, shared by every
 * viewport: Cornerstone fills a viewport's set (the alpha of each pixel, the rest stays white) and
 * puts it into that viewport's canvas in one synchronous step, so no two renders use it at once,
 * and each render sets every pixel's alpha. Made once, not 4 MB made and dropped per radiograph.
 */
const whitePixels = new Map<string, ImageData>();

function whitePixelsOf(width: number, height: number): ImageData {
  const key = `${width}x${height}`;
  let data = whitePixels.get(key);
  if (!data) {
    data = new ImageData(width, height);
    new Uint32Array(data.data.buffer).fill(0xffffffff);
    if (whitePixels.size >= 4) whitePixels.delete(whitePixels.keys().next().value!);
    whitePixels.set(key, data);
  }
  return data;
}

/**
 * Readies the off-screen canvas Cornerstone's CPU path draws a grey-scale image into, before it
 * does so itself. Given none of the image's size, it makes one by filling a canvas white and
 * reading it back (getImageData), only to get pixels that are white and opaque: its grey-scale
 * writer sets the alpha of each and keeps the rest. That read-back waits for the canvas's raster
 * (on a GPU, or here on SwiftShader) and was some 8 ms of a 1024 × 1024 radiograph's first draw,
 * plus the fill. The same pixels are kept in memory, one set per size (whitePixelsOf). Cornerstone
 * then finds a canvas of the right size and uses it as its own; colour and pseudo-colour images
 * keep its path.
 */
export function primeCpuRenderCanvas(element: CpuRenderElement): boolean {
  const { image, renderingTools: tools } = element;
  if (!image || image.color || image.render || element.viewport?.colormap || tools.lastRenderedIsColor) return false;
  const { width, height } = image;
  const canvas = tools.renderCanvas;
  if (canvas && canvas.width === width && canvas.height === height && tools.renderCanvasData) return false;
  const target = canvas ?? document.createElement("canvas");
  target.width = width;
  target.height = height;
  const context = target.getContext("2d");
  if (!context) return false;
  tools.renderCanvas = target;
  tools.renderCanvasContext = context;
  tools.renderCanvasData = whitePixelsOf(width, height);
  return true;
}

/** Primes the CPU element (primeCpuRenderCanvas) before each of the viewport's renders. */
export function quickenCpuFirstDraw(viewport: Types.IStackViewport): void {
  const v = viewport as unknown as {
    useCPURendering?: boolean;
    customRenderViewportToCanvas: () => unknown;
    _cpuFallbackEnabledElement?: CpuRenderElement;
  };
  if (v.useCPURendering !== true || typeof v.customRenderViewportToCanvas !== "function") return;
  const render = v.customRenderViewportToCanvas;
  v.customRenderViewportToCanvas = () => {
    const element = v._cpuFallbackEnabledElement;
    if (element?.image && element.renderingTools) primeCpuRenderCanvas(element);
    return render();
  };
}
