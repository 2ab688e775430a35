import type { Types } from "@cornerstonejs/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { centreCpuPixels, primeCpuRenderCanvas, quickenCpuFirstDraw, type CpuRenderElement } from "./cpuPixels";

/**
 * A stand-in for a CPU stack viewport with Cornerstone's convention: world → the image's pixel
 * index (whole numbers at pixel centres), used as canvas drawing coordinates (whole numbers at
 * pixel corners), at `zoom` canvas pixels per image pixel.
 */
function cpuViewport(spacing: [number, number], direction: number[], zoom = 10, cpu = true) {
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const i = direction.slice(0, 3);
  const j = direction.slice(3, 6);
  return {
    useCPURendering: cpu,
    getImageData: () => ({ spacing, direction }),
    worldToCanvas: (w: Types.Point3): Types.Point2 => [(dot(w, i) / spacing[0]) * zoom, (dot(w, j) / spacing[1]) * zoom],
    canvasToWorld: (c: Types.Point2): Types.Point3 => {
      const [u, v] = [(c[0] / zoom) * spacing[0], (c[1] / zoom) * spacing[1]];
      return [u * i[0]! + v * j[0]!, u * i[1]! + v * j[1]!, u * i[2]! + v * j[2]!];
    },
  };
}

describe("centreCpuPixels", () => {
  it("maps the first pixel's centre (the world origin) to the middle of its drawn square, and back", () => {
    const v = cpuViewport([0.5, 2], [1, 0, 0, 0, 1, 0]);
    centreCpuPixels(v as unknown as Types.IStackViewport);
    expect(v.worldToCanvas([0, 0, 0])).toEqual([5, 5]);
    // The centre of pixel (3, 1): world 3 × 0.5 along rows, 1 × 2 along columns.
    expect(v.worldToCanvas([1.5, 2, 0])).toEqual([35, 15]);
    expect(v.canvasToWorld([35, 15])).toEqual([1.5, 2, 0]);
    // The image's outer corner, half a pixel before the first centre, is the canvas' corner.
    expect(v.worldToCanvas([-0.25, -1, 0])).toEqual([0, 0]);
  });

  it("follows the image's orientation", () => {
    // Rows along world y, columns along world -x.
    const v = cpuViewport([1, 1], [0, 1, 0, -1, 0, 0]);
    centreCpuPixels(v as unknown as Types.IStackViewport);
    expect(v.worldToCanvas([0, 0, 0])).toEqual([5, 5]);
    expect(v.canvasToWorld([5, 5]).map((x) => x + 0)).toEqual([0, 0, 0]);
  });

  it("leaves a WebGL viewport alone", () => {
    const v = cpuViewport([1, 1], [1, 0, 0, 0, 1, 0], 10, false);
    centreCpuPixels(v as unknown as Types.IStackViewport);
    expect(v.worldToCanvas([0, 0, 0])).toEqual([0, 0]);
  });
});

/** A 2D canvas as far as the priming touches it: its size, and a context that counts read-backs. */
class FakeCanvas {
  width = 300;
  height = 150;
  readBacks = 0;
  context = { getImageData: () => (this.readBacks++, null) };
  getContext(kind: string) {
    return kind === "2d" ? this.context : null;
  }
}

class FakeImageData {
  data: Uint8ClampedArray;
  constructor(
    public width: number,
    public height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}

describe("primeCpuRenderCanvas", () => {
  beforeEach(() => {
    vi.stubGlobal("ImageData", FakeImageData);
    vi.stubGlobal("document", { createElement: (tag: string) => (tag === "canvas" ? new FakeCanvas() : null) });
  });
  afterEach(() => vi.unstubAllGlobals());

  const grey = (width: number, height: number): CpuRenderElement => ({ image: { width, height }, viewport: {}, renderingTools: {} });

  it("gives a grey-scale image a canvas of its size and white, opaque pixels, without reading any canvas back", () => {
    const element = grey(5, 3);
    expect(primeCpuRenderCanvas(element)).toBe(true);
    const { renderCanvas, renderCanvasData, renderCanvasContext } = element.renderingTools;
    expect([renderCanvas?.width, renderCanvas?.height]).toEqual([5, 3]);
    expect(renderCanvasContext).toBe((renderCanvas as unknown as FakeCanvas).context);
    expect([renderCanvasData?.width, renderCanvasData?.height]).toEqual([5, 3]);
    // What Cornerstone's own set-up reads back from a canvas filled white: 255 in every byte.
    expect([...renderCanvasData!.data].every((b) => b === 255)).toBe(true);
    expect((renderCanvas as unknown as FakeCanvas).readBacks).toBe(0);
  });

  it("keeps a canvas of the right size, and sizes it again for an image of another size", () => {
    const element = grey(4, 4);
    primeCpuRenderCanvas(element);
    const canvas = element.renderingTools.renderCanvas;
    expect(primeCpuRenderCanvas(element)).toBe(false);
    element.image = { width: 8, height: 2 };
    expect(primeCpuRenderCanvas(element)).toBe(true);
    expect(element.renderingTools.renderCanvas).toBe(canvas);
    expect([canvas?.width, canvas?.height, element.renderingTools.renderCanvasData?.data.length]).toEqual([8, 2, 64]);
  });

  it("shares one set of pixels among viewports, each with its own canvas", () => {
    const a = grey(6, 6);
    const b = grey(6, 6);
    primeCpuRenderCanvas(a);
    // A render writes alpha only (Cornerstone's grey-scale writer), which the next render overwrites.
    a.renderingTools.renderCanvasData!.data[3] = 7;
    primeCpuRenderCanvas(b);
    expect(b.renderingTools.renderCanvas).not.toBe(a.renderingTools.renderCanvas);
    expect(b.renderingTools.renderCanvasData).toBe(a.renderingTools.renderCanvasData);
  });

  it("leaves colour, pseudo-colour and self-rendering images to Cornerstone", () => {
    for (const element of [
      { image: { width: 2, height: 2, color: true }, renderingTools: {} },
      { image: { width: 2, height: 2 }, viewport: { colormap: { name: "hot" } }, renderingTools: {} },
      { image: { width: 2, height: 2, render: () => {} }, renderingTools: {} },
      { image: { width: 2, height: 2 }, renderingTools: { lastRenderedIsColor: true } },
    ] as CpuRenderElement[]) {
      expect(primeCpuRenderCanvas(element)).toBe(false);
      expect(element.renderingTools.renderCanvas).toBeUndefined();
    }
  });

  it("is run before each render of a CPU viewport, with the image it is about to draw", () => {
    const element = grey(3, 3);
    const seen: Array<number | undefined> = [];
    const viewport = { useCPURendering: true, _cpuFallbackEnabledElement: element, customRenderViewportToCanvas: () => seen.push(element.renderingTools.renderCanvas?.width) };
    quickenCpuFirstDraw(viewport as unknown as Types.IStackViewport);
    viewport.customRenderViewportToCanvas();
    expect(seen).toEqual([3]);
    const gpu = { useCPURendering: false, customRenderViewportToCanvas: () => 1 };
    const before = gpu.customRenderViewportToCanvas;
    quickenCpuFirstDraw(gpu as unknown as Types.IStackViewport);
    expect(gpu.customRenderViewportToCanvas).toBe(before);
  });
});
