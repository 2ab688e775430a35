// Many ROIs while the reader pans and zooms: the ROI layer moves with the image instead of being
// drawn again on every frame.
//
// Cornerstone draws ROIs as SVG, again after every render of the image: each ROI's points mapped
// to the canvas, its SVG attributes compared and set, the layer styled and painted. With 1,000
// ROIs that is 25–30 ms of the page's main thread a frame (bench/first-image.mjs, pan and zoom),
// so the viewer fell to 20–30 frames a second. A pan or a zoom of a stack image moves every ROI by
// the same affine map (the one from the canvas as it was drawn to the canvas now), so while only
// the camera changes the layer keeps its shapes and is given that map as a CSS transform: the
// image is drawn, the ROIs follow, nothing per ROI. Once the camera has been still for SETTLE_MS
// (or anything else changes: a ROI added, moved, removed, selected, another image shown) the ROIs
// are drawn again for real, so line widths and handles come back to their true size.
//
// Only where it pays: with fewer than MIN_ROIS shapes on the layer every frame is drawn in full.

import { eventTarget, type Types } from "@cornerstonejs/core";
import { Enums as ToolsEnums, utilities as toolUtilities } from "@cornerstonejs/tools";

/** Shapes on the layer from which the layer is moved instead of drawn while the camera changes. */
export const MIN_ROIS = 200;
/** How long the camera stays still before the ROIs are drawn again in full. */
export const SETTLE_MS = 120;

type Point2 = [number, number];

interface SvgDrawingHelper {
  svgLayerElement: SVGSVGElement | null;
  svgNodeCacheForCanvas: Record<string, Record<string, { touched: boolean }>>;
}

interface EnabledElementLike {
  viewport: Types.IStackViewport;
  viewportId: string;
  renderingEngineId: string;
}

interface LayerState {
  /** The annotations' state when the layer was last drawn in full. */
  version: number;
  imageId: string | undefined;
  /** World points on the image plane and where they were on the canvas at that full draw. */
  world: Types.Point3[];
  canvas: Point2[];
  settle: ReturnType<typeof setTimeout> | null;
  /** The next pass draws in full whatever the camera did. */
  forceFull: boolean;
}

/** Bumped by anything that changes what the ROI layer shows other than the camera. */
let version = 0;
const bump = () => void version++;
for (const event of [
  ToolsEnums.Events.ANNOTATION_ADDED,
  ToolsEnums.Events.ANNOTATION_MODIFIED,
  ToolsEnums.Events.ANNOTATION_COMPLETED,
  ToolsEnums.Events.ANNOTATION_REMOVED,
  ToolsEnums.Events.ANNOTATION_SELECTION_CHANGE,
  ToolsEnums.Events.ANNOTATION_LOCK_CHANGE,
  ToolsEnums.Events.ANNOTATION_VISIBILITY_CHANGE,
]) {
  eventTarget.addEventListener(event, bump);
}

/** Marks the ROI layer's content as changed (styles set by the viewer, say): the next pass draws in full. */
export function roiLayerChanged(): void {
  bump();
}

const layers = new Map<string, LayerState>();
/** One decision per drawing pass (both ROI tools draw in the same pass, into the same layer). */
const passes = new WeakMap<object, boolean>();

const REFERENCE: Point2[] = [
  [0, 0],
  [100, 0],
  [0, 100],
];

/**
 * The ROI tools' renderAnnotation: moves the layer when only the camera changed since the last
 * full draw (and the layer is large), else draws in full with `draw`.
 */
export function renderRois(enabledElement: EnabledElementLike, helper: SvgDrawingHelper, draw: () => boolean): boolean {
  let moved = passes.get(helper);
  if (moved === undefined) {
    moved = moveLayer(enabledElement, helper);
    passes.set(helper, moved);
  }
  return moved ? true : draw();
}

function moveLayer(enabledElement: EnabledElementLike, helper: SvgDrawingHelper): boolean {
  const { viewport, viewportId, renderingEngineId } = enabledElement;
  const layer = helper.svgLayerElement;
  const key = `${viewportId}:${renderingEngineId}`;
  const nodes = helper.svgNodeCacheForCanvas[key];
  let state = layers.get(key);
  if (!state) {
    state = { version: -1, imageId: undefined, world: [], canvas: [], settle: null, forceFull: true };
    layers.set(key, state);
  }
  const imageId = viewport.getCurrentImageId?.();
  const now = state.world.map((w) => viewport.worldToCanvas(w) as unknown as Point2);
  const cameraMoved = now.some((p, i) => Math.abs(p[0] - state.canvas[i]![0]) > 1e-6 || Math.abs(p[1] - state.canvas[i]![1]) > 1e-6);
  const fast =
    !!layer &&
    !!nodes &&
    !state.forceFull &&
    state.version === version &&
    state.imageId === imageId &&
    state.world.length === REFERENCE.length &&
    cameraMoved &&
    Object.keys(nodes).length >= MIN_ROIS;
  if (fast) {
    // Every shape stays: mark them drawn in this pass, or the pass's end removes them.
    for (const entry of Object.values(nodes)) entry.touched = true;
    const [p0, p1, p2] = now as [Point2, Point2, Point2];
    const [q0, q1, q2] = state.canvas as [Point2, Point2, Point2];
    // The affine map taking the three reference points from where they were drawn to where they are.
    const m = affineFrom([q0, q1, q2], [p0, p1, p2]);
    layer.style.transformOrigin = "0 0";
    layer.style.overflow = "visible";
    layer.style.transform = `matrix(${m.join(",")})`;
    if (state.settle) clearTimeout(state.settle);
    const settled = state;
    state.settle = setTimeout(() => {
      settled.settle = null;
      settled.forceFull = true;
      // Unless the viewer has closed meanwhile (forgetRoiLayer).
      if (layers.get(key) === settled) toolUtilities.triggerAnnotationRenderForViewportIds([viewportId]);
    }, SETTLE_MS);
    return true;
  }
  // In full: the layer back in place, and where the reference points are now.
  if (state.settle) clearTimeout(state.settle);
  state.settle = null;
  state.forceFull = false;
  if (layer && layer.style.transform) {
    layer.style.transform = "";
    layer.style.overflow = "";
  }
  state.version = version;
  state.imageId = imageId;
  state.world = [];
  state.canvas = [];
  try {
    const world = REFERENCE.map((c) => viewport.canvasToWorld(c as Types.Point2));
    if (world.every((w) => Array.isArray(w) && w.length === 3 && w.every(Number.isFinite))) {
      state.world = world;
      state.canvas = REFERENCE.map((c) => [c[0], c[1]] as Point2);
    }
  } catch {
    // No image shown yet: nothing to move from (the next full draw tries again).
  }
  return false;
}

/** [a, b, c, d, e, f] of the CSS matrix taking q0, q1, q2 to p0, p1, p2. */
export function affineFrom(q: [Point2, Point2, Point2], p: [Point2, Point2, Point2]): [number, number, number, number, number, number] {
  // Solve [x' y'] = [a c; b d] [x y] + [e f] for the three pairs.
  const [[x0, y0], [x1, y1], [x2, y2]] = q;
  const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (Math.abs(det) < 1e-12) return [1, 0, 0, 1, 0, 0];
  const solve = (v0: number, v1: number, v2: number): [number, number, number] => {
    const u = ((v1 - v0) * (y2 - y0) - (v2 - v0) * (y1 - y0)) / det;
    const w = ((x1 - x0) * (v2 - v0) - (x2 - x0) * (v1 - v0)) / det;
    return [u, w, v0 - u * x0 - w * y0];
  };
  const [a, c, e] = solve(p[0][0], p[1][0], p[2][0]);
  const [b, d, f] = solve(p[0][1], p[1][1], p[2][1]);
  return [a, b, c, d, e, f];
}

/** Forgets a viewport's layer (its viewer is closing). */
export function forgetRoiLayer(viewportId: string, renderingEngineId: string): void {
  const key = `${viewportId}:${renderingEngineId}`;
  const state = layers.get(key);
  if (state?.settle) clearTimeout(state.settle);
  layers.delete(key);
}
