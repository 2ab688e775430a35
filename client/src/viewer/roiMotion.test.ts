import { afterEach, describe, expect, it, vi } from "vitest";
import { affineFrom, forgetRoiLayer, MIN_ROIS, renderRois, roiLayerChanged, SETTLE_MS } from "./roiMotion";

type P2 = [number, number];

/** A stack viewport whose world → canvas map is a zoom and a pan of the image plane (z = 0). */
function fakeViewport() {
  const camera = { scale: 2, tx: 10, ty: 20, imageId: "wadors:a", shown: true };
  const viewport = {
    element: {},
    getCurrentImageId: () => camera.imageId,
    worldToCanvas: ([x, y]: number[]) => [camera.scale * x! + camera.tx, camera.scale * y! + camera.ty],
    canvasToWorld: ([cx, cy]: number[]) => (camera.shown ? [(cx! - camera.tx) / camera.scale, (cy! - camera.ty) / camera.scale, 0] : undefined),
  };
  return { camera, viewport };
}

let nextViewport = 0;
function fakeLayer(shapes: number) {
  const { camera, viewport } = fakeViewport();
  const viewportId = `vp-${++nextViewport}`;
  const enabled = { viewport: viewport as never, viewportId, renderingEngineId: "engine" };
  const nodes: Record<string, { touched: boolean }> = {};
  for (let i = 0; i < shapes; i++) nodes[`roi-${i}`] = { touched: false };
  const layer = { style: { transform: "", transformOrigin: "", overflow: "" } };
  const cache = { [`${viewportId}:engine`]: nodes };
  const draws: number[] = [];
  /** One drawing pass, as Cornerstone's draw() makes it: every node untouched, then each ROI tool draws. */
  const pass = (tools = 2) => {
    for (const n of Object.values(nodes)) n.touched = false;
    const helper = { svgLayerElement: layer as never, svgNodeCacheForCanvas: cache };
    for (let t = 0; t < tools; t++)
      renderRois(enabled, helper, () => {
        draws.push(t);
        for (const n of Object.values(nodes)) n.touched = true;
        return true;
      });
    return Object.values(nodes).every((n) => n.touched);
  };
  return { camera, layer, draws, pass, viewportId };
}

afterEach(() => vi.useRealTimers());

describe("the ROI layer while the camera moves", () => {
  it("finds the affine map between three points and their images", () => {
    const m = affineFrom(
      [
        [0, 0],
        [100, 0],
        [0, 100],
      ],
      [
        [5, 7],
        [5 + 150, 7 + 10],
        [5 - 10, 7 + 150],
      ],
    );
    const expected = [1.5, 0.1, -0.1, 1.5, 5, 7];
    m.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 9));
    // Any three points in general position, not only the unit ones.
    const q: [P2, P2, P2] = [
      [3, 4],
      [40, -2],
      [7, 90],
    ];
    const map = (p: P2): P2 => [2 * p[0] - 0.5 * p[1] + 11, 0.25 * p[0] + 3 * p[1] - 6];
    const n = affineFrom(q, [map(q[0]), map(q[1]), map(q[2])]);
    [2, 0.25, -0.5, 3, 11, -6].forEach((v, i) => expect(n[i]).toBeCloseTo(v, 9));
  });

  it("moves a large layer instead of drawing it while only the camera changes, then draws it once still", () => {
    vi.useFakeTimers();
    const l = fakeLayer(MIN_ROIS);
    expect(l.pass()).toBe(true);
    expect(l.draws).toEqual([0, 1]); // the first pass draws in full
    expect(l.layer.style.transform).toBe("");

    l.camera.scale = 3; // zoom and pan
    l.camera.tx = 40;
    l.draws.length = 0;
    expect(l.pass()).toBe(true); // every shape kept
    expect(l.draws).toEqual([]);
    // Canvas point c was drawn at world (c - t0) / 2; it is now at 3 (c - t0) / 2 + t1.
    const [a, b, c, d, e, f] = /matrix\((.*)\)/.exec(l.layer.style.transform)![1]!.split(",").map(Number);
    for (const [v, w] of [
      [a, 1.5],
      [b, 0],
      [c, 0],
      [d, 1.5],
      [e, 40 - 1.5 * 10],
      [f, 20 - 1.5 * 20],
    ] as const)
      expect(v).toBeCloseTo(w, 9);

    vi.advanceTimersByTime(SETTLE_MS); // still: the next pass draws in full, in place
    expect(l.pass()).toBe(true);
    expect(l.draws).toEqual([0, 1]);
    expect(l.layer.style.transform).toBe("");
    forgetRoiLayer(l.viewportId, "engine");
  });

  it("draws in full when anything but the camera changed", () => {
    const l = fakeLayer(MIN_ROIS + 50);
    l.pass();
    l.draws.length = 0;
    l.pass(); // nothing moved (a hover, a style): in full
    expect(l.draws).toEqual([0, 1]);

    l.draws.length = 0;
    l.camera.tx += 5;
    roiLayerChanged(); // a ROI added, moved, removed or restyled meanwhile
    l.pass();
    expect(l.draws).toEqual([0, 1]);

    l.draws.length = 0;
    l.camera.tx += 5;
    l.camera.imageId = "wadors:b"; // another image of the stack
    l.pass();
    expect(l.draws).toEqual([0, 1]);

    l.draws.length = 0;
    l.camera.tx += 5; // the camera alone: moved
    l.pass();
    expect(l.draws).toEqual([]);
    forgetRoiLayer(l.viewportId, "engine");
  });

  it("moves nothing from a draw made before the image was shown", () => {
    const l = fakeLayer(MIN_ROIS);
    l.camera.shown = false; // Cornerstone's canvas → world answers nothing yet
    l.pass();
    l.camera.shown = true;
    l.draws.length = 0;
    expect(() => l.pass()).not.toThrow(); // in full: there was nothing to move from
    expect(l.draws).toEqual([0, 1]);
    forgetRoiLayer(l.viewportId, "engine");
  });

  it("always draws a small layer in full", () => {
    const l = fakeLayer(MIN_ROIS - 1);
    l.pass();
    l.camera.scale = 4;
    l.draws.length = 0;
    l.pass();
    expect(l.draws).toEqual([0, 1]);
    expect(l.layer.style.transform).toBe("");
    forgetRoiLayer(l.viewportId, "engine");
  });
});
