import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RenderingEngine } from "@cornerstonejs/core";
import { imageCacheBytes, renderNow } from "./cornerstone";

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
