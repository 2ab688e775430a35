import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getRenderingCapabilities, setUseCPURendering, type RenderingEngine } from "@cornerstonejs/core";
import { chooseCpuRendering, imageCacheBytes, RENDERER_SETTING, rendererChoice, renderNow, setRendererChoice } from "./cornerstone";

// What the browser's WebGL is (the capability probe) and what Cornerstone was told: this machine's
// WebGL is whatever the test runs on, so the probe answers as each test says.
vi.mock("@cornerstonejs/core", async (original) => ({
  ...(await original<typeof import("@cornerstonejs/core")>()),
  getRenderingCapabilities: vi.fn(),
  setUseCPURendering: vi.fn(),
}));

// Shaped like Cornerstone 5.14's RenderingEngine: a facade whose implementation keeps the
// viewports waiting for a frame (_needsRender), the frame asked for, and the function that draws.
function engine({ flagged = true, destroyed = false } = {}) {
  const drawn: string[] = [];
  const implementation = {
    hasBeenDestroyed: destroyed,
    _needsRender: new Set(flagged ? ["viewer"] : []),
    _animationFrameSet: flagged,
    _animationFrameHandle: flagged ? 42 : null,
    _renderFlaggedViewports() {
      for (const id of this._needsRender) drawn.push(id);
      this._needsRender.clear();
      this._animationFrameSet = false;
      this._animationFrameHandle = null;
    },
  };
  return { facade: { _implementation: implementation } as unknown as RenderingEngine, implementation, drawn };
}

describe("renderNow", () => {
  const cancelled: number[] = [];
  beforeEach(() => {
    cancelled.length = 0;
    vi.stubGlobal("window", { cancelAnimationFrame: (h: number) => cancelled.push(h) });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("draws the viewports waiting for the next frame at once, through the facade's implementation, and cancels that frame", () => {
    const { facade, implementation, drawn } = engine();
    renderNow(facade);
    expect(drawn).toEqual(["viewer"]);
    expect(cancelled).toEqual([42]);
    expect(implementation._animationFrameSet).toBe(false);
  });

  it("does nothing when no frame is asked for, or the engine is destroyed", () => {
    for (const e of [engine({ flagged: false }), engine({ destroyed: true })]) {
      renderNow(e.facade);
      expect(e.drawn).toEqual([]);
    }
    expect(cancelled).toEqual([]);
  });
});

describe("imageCacheBytes", () => {
  const GB = 1024 ** 3;
  it("keeps a quarter of the device's memory, from 1 GB up, below Cornerstone's 3 GB default", () => {
    expect(imageCacheBytes(8)).toBe(2 * GB); // browsers say at most 8
    expect(imageCacheBytes(4)).toBe(GB);
    expect(imageCacheBytes(0.5)).toBe(GB);
    expect(imageCacheBytes(32)).toBe(3 * GB);
  });
  it("keeps 1 GB where the browser does not say", () => {
    expect(imageCacheBytes(undefined)).toBe(GB);
    expect(imageCacheBytes(Number.NaN)).toBe(GB);
  });
});

describe("the renderer: the reader's choice and the automatic one", () => {
  let stored: Map<string, string>;
  let refuse = false;
  const capabilities = (webgl: boolean, softwareRasterizer: boolean) =>
    vi.mocked(getRenderingCapabilities).mockReturnValue({ webgl, softwareRasterizer } as ReturnType<typeof getRenderingCapabilities>);
  beforeEach(() => {
    stored = new Map();
    refuse = false;
    const storage = {
      getItem: (k: string) => {
        if (refuse) throw new DOMException("denied", "SecurityError");
        return stored.get(k) ?? null;
      },
      setItem: (k: string, v: string) => {
        if (refuse) throw new DOMException("denied", "SecurityError");
        stored.set(k, v);
      },
      removeItem: (k: string) => {
        if (refuse) throw new DOMException("denied", "SecurityError");
        stored.delete(k);
      },
    };
    vi.stubGlobal("window", { localStorage: storage });
    capabilities(true, false);
    setRendererChoice("auto"); // no choice left from another test
    vi.mocked(setUseCPURendering).mockClear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("automatic: the CPU where WebGL is a software rasterizer or missing, WebGL on a real GPU", () => {
    capabilities(true, true);
    expect(chooseCpuRendering()).toBe(true);
    capabilities(false, false);
    expect(chooseCpuRendering()).toBe(true);
    capabilities(true, false);
    expect(chooseCpuRendering()).toBe(false);
  });

  it("keeps the reader's choice in the browser, tells Cornerstone for the viewports to come, and goes back to automatic", () => {
    capabilities(true, true);
    expect(setRendererChoice("gpu")).toBe(false);
    expect(stored.get(RENDERER_SETTING)).toBe("gpu");
    expect(rendererChoice()).toBe("gpu");
    expect(setUseCPURendering).toHaveBeenLastCalledWith(false, false);
    expect(setRendererChoice("cpu")).toBe(true);
    expect(stored.get(RENDERER_SETTING)).toBe("cpu");
    expect(setUseCPURendering).toHaveBeenLastCalledWith(true, false);
    expect(setRendererChoice("auto")).toBe(true); // a software rasterizer
    expect(stored.has(RENDERER_SETTING)).toBe(false);
    expect(rendererChoice()).toBe("auto");
  });

  it("asked for WebGL where there is none, draws on the CPU", () => {
    capabilities(false, false);
    expect(setRendererChoice("gpu")).toBe(true);
    expect(rendererChoice()).toBe("gpu");
  });

  it("reads a stored choice, and takes anything else stored as automatic", () => {
    capabilities(true, false);
    stored.set(RENDERER_SETTING, "cpu");
    expect(rendererChoice()).toBe("cpu");
    expect(chooseCpuRendering()).toBe(true);
    stored.set(RENDERER_SETTING, "metal");
    expect(rendererChoice()).toBe("auto");
    expect(chooseCpuRendering()).toBe(false);
  });

  it("where the browser refuses to store it, the choice holds for this page", () => {
    capabilities(true, false);
    refuse = true;
    expect(rendererChoice()).toBe("auto");
    expect(setRendererChoice("cpu")).toBe(true);
    expect(rendererChoice()).toBe("cpu");
    expect(chooseCpuRendering()).toBe(true);
  });
});
