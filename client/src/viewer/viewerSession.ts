// One open case in one element: a Cornerstone rendering engine with a stack viewport, its tool
// group, and the two-way mapping between Cornerstone annotations and our plain ROIs. CaseViewer.vue
// drives it; nothing else touches Cornerstone. Like an OHIF mode, everything it sets up it tears
// down in destroy(), and the ROI sync ignores the events it caused itself. A reference viewer's
// session (createReference) shows images only: no ROIs, no measurements, no annotation state.

import { Enums as CoreEnums, eventTarget, metaData, utilities as csUtils, type RenderingEngine, type Types } from "@cornerstonejs/core";
import {
  annotation as annotations,
  Enums as ToolsEnums,
  PanTool,
  PlanarFreehandROITool,
  RectangleROITool,
  StackScrollTool,
  ToolGroupManager,
  utilities as toolUtilities,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from "@cornerstonejs/tools";
import { renderNow, sharedRenderingEngine, startCornerstone } from "./cornerstone";
import { loadCaseStack, type CaseImages } from "./dicomweb";
import { imageToWorld, normaliseRectangle, planeOf, rectangleCorners, roundPoint, worldToImage, type ImagePlane, type Point2 } from "./imageCoordinates";
import { markersOnCanvas, orientationMarkers, slicePosition, type OrientationMarkers } from "./orientation";
import type { SlicePlane, Vec3 } from "./linking";
import { sameRoi, type Roi, type RoiChange, type RoiClass, type RoiKind, type ShownRoi } from "./roi";
import { seriesOfStack, type StackImage, type StackSeries } from "./stack";
import { centreCpuPixels, quickenCpuFirstDraw } from "./cpuPixels";
import { calibrationOf } from "./calibration";
import { pixelAt, roiStats, type RoiStats } from "./roiStats";
import { calibrationNote, describeMeasurement, MEASURE_KINDS, MEASURE_TOOL, measureKindOf, type MeasureKind, type Measurement } from "./measurements";
import { forgetRoiLayer, roiLayerChanged } from "./roiMotion";
import { ConcordLineTool, ConcordPointTool } from "./roiTools";
import { fullResolutionScale, modalityRange, valueRange, voiRangeOf, windowOf, zoomPercent, type Rescale, type WindowLevel, type WindowPreset } from "./windowLevel";

export type ToolMode = "windowLevel" | "rectangle" | "freehand" | "point" | "line" | MeasureKind;

export interface ViewerStatus {
  window: WindowLevel | null;
  /** Image pixels per device pixel, in percent (100: full resolution). */
  zoom: number;
  invert: boolean;
  /** 0-based index of the image shown, and how many the stack has. */
  index: number;
  count: number;
  sopInstanceUid: string | null;
  frame: number;
  /** Where the image is drawn, in CSS pixels of the canvas (may extend beyond it when zoomed). */
  imageBox: { x: number; y: number; width: number; height: number } | null;
  /** The patient directions at the canvas's edges; null for an image placed in no patient space. */
  orientation: OrientationMarkers | null;
  /** Frames per second while the stack plays as a cine loop; null when it does not play. */
  cine: number | null;
  /** The reader's turn of the image, clockwise in degrees (0, 90, 180, 270), in the renderer's terms (flips change its sense). */
  rotation: number;
  /** Where the image lies in its series: Slice Location (else its position along the plane's normal) and Slice Thickness, mm; null without a plane. */
  slice: { location: number; thickness: number | null } | null;
  /**
   * The series shown, in a case of several (a study's): index and count of its images are then
   * the series'. Null for a case of one series or one image.
   */
  series: ShownSeries | null;
}

/** The series a study's case shows, of how many. */
export interface ShownSeries {
  /** 0-based, in the case's series order (seriesOfStack). */
  index: number;
  count: number;
  seriesInstanceUid: string;
  number: number | null;
  modality: string;
  description: string;
}

/** A pixel's value under the pointer: its image pixel and the modality value (Hounsfield units on CT). */
export interface PixelValue {
  column: number;
  row: number;
  /** Null for a colour image. */
  value: number | null;
  unit: string;
}

export interface ViewerLoaded {
  /** When the first image had been decoded and drawn (performance.now() clock). */
  at: number;
  /** Milliseconds from open() to that moment. */
  loadMs: number;
  /** The case's images, every series of it. */
  imageCount: number;
  sopInstanceUid: string;
  frame: number;
}

/** A reader's input on the viewer, for idle detection (pointer moves at most one per 200 ms). */
export interface ViewerInteraction {
  type: "pointerdown" | "pointermove" | "wheel" | "click" | "keydown";
  /** performance.now() when it happened. */
  at: number;
}

/** A point on one image of the case, in image pixel coordinates (someone's pointer, say). */
export interface ImagePointer {
  x: number;
  y: number;
  sopInstanceUid: string | null;
  frame: number | null;
}

/** How the reader has the image now: which one, zoom, where, window, inversion. */
export interface ViewerView {
  /** The series shown, in a case of several; `index` is then in it. */
  seriesInstanceUid?: string | null;
  index: number;
  /** Zoom as the status reports it: 100 is one image pixel on one device pixel. */
  zoom: number;
  /** The image point (image pixel coordinates) at the canvas' centre. */
  centre: Point2;
  voiRange: Types.VOIRange | null;
  /** Against the image's own presentation (see shownInverted). */
  inverted: boolean;
  /**
   * Where the image's rows (+x) and columns (+y) run on the screen, each a unit step along a canvas
   * axis: how the reader turned and flipped it, in terms both renderers share (their flags do not).
   */
  axes?: { x: Point2; y: Point2 };
}

export interface ViewerCallbacks {
  status(status: ViewerStatus): void;
  roiChange(change: RoiChange): void;
  selection(roiIds: string[]): void;
  /** The measurements on the image shown, in the order they were made (after each change to them, and on another image). */
  measurements?(list: Measurement[]): void;
}

const TOOL_OF_KIND: Record<RoiKind, string> = {
  RECTANGLE: RectangleROITool.toolName,
  FREEHAND: PlanarFreehandROITool.toolName,
  POINT: ConcordPointTool.toolName,
  LINE: ConcordLineTool.toolName,
};
const TOOL_KIND: Record<string, RoiKind> = Object.fromEntries(Object.entries(TOOL_OF_KIND).map(([kind, tool]) => [tool, kind as RoiKind]));
const MODE_TOOL: Record<ToolMode, string> = {
  windowLevel: WindowLevelTool.toolName,
  rectangle: TOOL_OF_KIND.RECTANGLE,
  freehand: TOOL_OF_KIND.FREEHAND,
  point: TOOL_OF_KIND.POINT,
  line: TOOL_OF_KIND.LINE,
  ...MEASURE_TOOL,
};
/** Measurements in a colour of their own: a reading aid, not a region of any class. */
const MEASURE_COLOUR = "rgb(120, 230, 150)";
const { MouseBindings, KeyboardBindings, Events: ToolEvents } = ToolsEnums;
const RENDER_TIMEOUT_MS = 60_000;
/** A model's suggested region: dash-dotted, unlike a reader's ROI (solid) or a read-only one (dashed). */
const SUGGESTION_DASH = "6,3,2,3";
/** A suggestion whose label names no ROI class of the project. */
const SUGGESTION_GREY = "#c8c8c8";

/** A line whose ends coincide, or a rectangle without a width or a height (as rounded to image pixels' hundredths). */
function drewNothing(roi: Roi): boolean {
  const [a, b] = roi.points;
  if (!a || !b || (roi.kind !== "LINE" && roi.kind !== "RECTANGLE")) return false;
  return roi.kind === "LINE" ? a[0] === b[0] && a[1] === b[1] : a[0] === b[0] || a[1] === b[1];
}

let nextId = 0;

// Start Cornerstone as soon as the viewer's code is loaded, after the page that loaded it has sent
// its own requests: by the time the case's query answers, the viewer is ready to open it.
if (typeof window !== "undefined" && typeof document !== "undefined") setTimeout(() => void startCornerstone().catch(() => {}), 0);

type AnnotationEvent = CustomEvent<{ annotation?: ToolTypes.Annotation; annotationUID?: string }>;

export class CaseViewerSession {
  private readonly id = `concord-viewer-${++nextId}`;
  private readonly engine: RenderingEngine;
  private readonly viewport: Types.IStackViewport;
  private readonly toolGroup: NonNullable<ReturnType<typeof ToolGroupManager.createToolGroup>>;
  /** The case's images: every series of it, in stack order. */
  private images: StackImage[] = [];
  /** Its series (seriesOfStack); a study's case has several, shown one at a time. */
  private series: StackSeries[] = [];
  private seriesIndex = 0;
  /** The images of the series shown: what the viewport holds, and what the wheel, keys, slider and cine go through. */
  private stack: StackImage[] = [];
  /** Every image of the case by its image id (ROIs and measurements of any series are ours). */
  private readonly imageOfId = new Map<string, StackImage>();
  /** The image last shown in each series of a study's case this visit, to go back to it. */
  private readonly lastShownIn = new Map<string, number>();
  private classes = new Map<string, RoiClass>();
  private activeClass: RoiClass | null = null;
  private mode: ToolMode = "windowLevel";
  /** Every ROI the viewer knows, as last emitted or received; readOnly ones cannot be edited. */
  private readonly known = new Map<string, ShownRoi>();
  /** Annotations being drawn: uid -> class, until Cornerstone says they are complete. */
  private readonly drawing = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private quiet = 0;
  private pointerDown = false;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly resizeObserver: ResizeObserver;
  private readonly cleanups: Array<() => void> = [];
  private destroyed = false;
  /** The first image has been drawn. */
  private shown = false;

  /** How this viewer's images are drawn: on the CPU (a 2D canvas) or with WebGL (cornerstone.ts chooses). */
  get renderer(): "cpu" | "gpu" {
    return (this.viewport as unknown as { useCPURendering?: boolean }).useCPURendering ? "cpu" : "gpu";
  }

  private constructor(
    private readonly element: HTMLDivElement,
    private readonly callbacks: ViewerCallbacks,
    /**
     * Whether it shows and edits ROIs and measurements. A reference viewer's does not, and leaves
     * Cornerstone's annotation state (global, the main viewer's) and its events alone.
     */
    private readonly annotating = true,
  ) {
    this.engine = sharedRenderingEngine();
    this.engine.enableElement({
      viewportId: this.id,
      type: CoreEnums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] as Types.Point3 },
    });
    this.viewport = this.engine.getViewport(this.id) as Types.IStackViewport;
    centreCpuPixels(this.viewport);
    cacheWorldToCanvas(this.viewport);
    quickenCpuViewport(this.viewport);
    quickenCpuFirstDraw(this.viewport);
    const group = ToolGroupManager.createToolGroup(`${this.id}-tools`);
    if (!group) throw new Error("could not create the viewer's tool group");
    this.toolGroup = group;
    this.setUpTools();

    // The observer reports the element's size once when it starts observing: the engine sized it
    // when it was enabled, so only a change of size needs a resize (and a redraw of the others).
    // Before the first image is shown (the toolbar settling as the page learns what the reader may
    // do) there is nothing to redraw: rendering an empty viewport then only delays the image's own.
    let size = `${element.clientWidth}x${element.clientHeight}`;
    this.resizeObserver = new ResizeObserver(() => {
      const now = `${element.clientWidth}x${element.clientHeight}`;
      if (this.destroyed || now === size) return;
      size = now;
      // The zoom and the image's box on the canvas change with the canvas (the page settling around
      // a shown image, a window resized). WebGL sizes its canvas when it next draws, without a
      // camera event: report once that draw is done.
      if (this.shown) element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, () => this.reportStatus(), { once: true });
      this.engine.resize(this.shown, true);
    });
    this.resizeObserver.observe(element);

    const onElement = (type: string, fn: (e: Event) => void) => {
      element.addEventListener(type, fn);
      this.cleanups.push(() => element.removeEventListener(type, fn));
    };
    const onGlobal = (type: string, fn: (e: Event) => void) => {
      eventTarget.addEventListener(type, fn);
      this.cleanups.push(() => eventTarget.removeEventListener(type, fn));
    };
    const onWindow = (type: string, fn: (e: Event) => void) => {
      window.addEventListener(type, fn, true);
      this.cleanups.push(() => window.removeEventListener(type, fn, true));
    };
    const status = () => this.reportStatus();
    onElement(CoreEnums.Events.VOI_MODIFIED, status);
    onElement(CoreEnums.Events.CAMERA_MODIFIED, status);
    onElement(CoreEnums.Events.STACK_NEW_IMAGE, () => {
      this.showKnownRois();
      this.reportStatus();
      this.reportMeasurements();
    });
    // Everything below is about ROIs and measurements; a reference viewer ignores annotation events.
    if (!annotating) return;
    onGlobal(ToolEvents.ANNOTATION_ADDED, (e) => this.onAdded(e as AnnotationEvent));
    onGlobal(ToolEvents.ANNOTATION_COMPLETED, (e) => this.onCompleted(e as AnnotationEvent));
    onGlobal(ToolEvents.ANNOTATION_MODIFIED, (e) => this.onModified(e as AnnotationEvent));
    onGlobal(ToolEvents.ANNOTATION_REMOVED, (e) => this.onRemoved(e as AnnotationEvent));
    for (const type of [ToolEvents.ANNOTATION_COMPLETED, ToolEvents.ANNOTATION_MODIFIED, ToolEvents.ANNOTATION_REMOVED]) {
      onGlobal(type, (e) => {
        const a = (e as AnnotationEvent).detail.annotation;
        if (a && this.isMeasurement(a)) this.reportMeasurements();
      });
    }
    onGlobal(ToolEvents.ANNOTATION_SELECTION_CHANGE, () => this.callbacks.selection(this.selectedRoiIds()));
    // Edits arrive as a stream of modifications while dragging; report each once, when let go.
    onWindow("pointerdown", () => (this.pointerDown = true));
    onWindow("pointerup", () => {
      this.pointerDown = false;
      this.scheduleFlush();
    });
  }

  static async create(element: HTMLDivElement, callbacks: ViewerCallbacks): Promise<CaseViewerSession> {
    await startCornerstone();
    return new CaseViewerSession(element, callbacks);
  }

  /**
   * A reference viewer's session, shown beside the main viewer to compare: window/level, zoom, pan
   * and the wheel only. Open it with openImages.
   */
  static async createReference(element: HTMLDivElement, status: ViewerCallbacks["status"]): Promise<CaseViewerSession> {
    await startCornerstone();
    return new CaseViewerSession(element, { status, roiChange: () => {}, selection: () => {} }, false);
  }

  private setUpTools(): void {
    const g = this.toolGroup;
    g.addTool(WindowLevelTool.toolName);
    g.addTool(PanTool.toolName);
    g.addTool(ZoomTool.toolName);
    g.addTool(StackScrollTool.toolName);
    if (this.annotating) this.addAnnotationTools();
    g.addViewport(this.id, this.engine.id);
    g.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    g.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    this.applyMode();
  }

  private addAnnotationTools(): void {
    const g = this.toolGroup;
    // No text box beside each ROI (the class shows as its colour; the page lists the ROIs) and no
    // statistics: with many ROIs, laying out one label per ROI was most of every frame's time.
    const noText = () => [];
    g.addTool(RectangleROITool.toolName, { calculateStats: false, getTextLines: noText });
    g.addTool(PlanarFreehandROITool.toolName, { allowOpenContours: false, calculateStats: false, getTextLines: noText });
    g.addTool(ConcordPointTool.toolName, { getTextLines: noText });
    g.addTool(ConcordLineTool.toolName, { getTextLines: noText });
    // The measurement tools keep their text: there are a few of them, and their value is the point.
    const measureStyle = { color: MEASURE_COLOUR, colorHighlighted: MEASURE_COLOUR, colorSelected: MEASURE_COLOUR, textBoxColor: MEASURE_COLOUR, lineWidth: 2 };
    for (const kind of MEASURE_KINDS) g.addTool(MEASURE_TOOL[kind]);
    annotations.config.style.setToolGroupToolStyles(g.id, Object.fromEntries(MEASURE_KINDS.map((k) => [MEASURE_TOOL[k], measureStyle])));
  }

  /** Whether the wheel goes through the images (true) or zooms (false); null before it is bound. */
  private wheelScrolls: boolean | null = null;

  /**
   * The wheel, once the stack is known: through a series or a multi-frame image it goes from image
   * to image (down: the next one), as in a radiology workstation, and zooms with Ctrl held (a
   * trackpad's pinch too); on a single image it zooms. Bound again when a study's case shows a
   * series of the other kind (a mammogram's view after an MR sequence).
   */
  private bindWheel(images: number): void {
    const g = this.toolGroup;
    const scrolls = images > 1;
    if (scrolls === this.wheelScrolls) return;
    const wheel = { mouseButton: MouseBindings.Wheel };
    if (this.wheelScrolls !== null) g.setToolPassive(scrolls ? ZoomTool.toolName : StackScrollTool.toolName, { removeAllBindings: [wheel] });
    this.wheelScrolls = scrolls;
    if (scrolls) {
      g.setToolActive(StackScrollTool.toolName, { bindings: [wheel] });
      g.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel, modifierKey: KeyboardBindings.Ctrl }] });
    } else {
      g.setToolActive(ZoomTool.toolName, { bindings: [wheel] });
    }
  }

  private applyMode(): void {
    const g = this.toolGroup;
    const primary = { bindings: [{ mouseButton: MouseBindings.Primary }] };
    if (!this.annotating) return void g.setToolActive(WindowLevelTool.toolName, primary);
    for (const [mode, tool] of Object.entries(MODE_TOOL) as Array<[ToolMode, string]>) {
      if (mode === this.mode) g.setToolActive(tool, primary);
      // Passive ROI tools still let existing ROIs be selected, moved and edited.
      else g.setToolPassive(tool);
    }
  }

  // ---- loading

  /**
   * Loads the case's images and resolves once the first one is decoded and drawn. `stack`: the
   * case's metadata already asked for (loadCaseStack, started while Cornerstone was starting).
   */
  async open(ref: CaseImages, signal?: AbortSignal, stack?: Promise<StackImage[]>, started = performance.now()): Promise<ViewerLoaded> {
    // A study's case opens on its first series; a case of one series is the whole stack, as ever.
    await this.openImages(await (stack ?? loadCaseStack(ref, signal)), 0);
    const first = this.stack[0]!;
    const at = performance.now();
    return { at, loadMs: at - started, imageCount: this.images.length, sopInstanceUid: first.sopInstanceUid, frame: first.frame };
  }

  /**
   * Shows the case's images (a reference viewer: as the main viewer loaded them) from series
   * `seriesIndex` of a study's case; resolves once its first image is drawn.
   */
  async openImages(images: StackImage[], seriesIndex: number): Promise<void> {
    if (this.destroyed) throw new DOMException("closed", "AbortError");
    this.images = images;
    this.imageOfId.clear();
    for (const image of this.images) this.imageOfId.set(image.imageId, image);
    this.series = seriesOfStack(this.images);
    this.seriesIndex = this.series[seriesIndex] ? seriesIndex : 0;
    this.stack = this.series.length > 1 ? this.imagesOf(this.series[this.seriesIndex]!) : this.images;
    const imageIds = this.stack.map((s) => s.imageId);
    this.bindWheel(imageIds.length);
    const rendered = this.nextRender(imageIds[0]!);
    await this.viewport.setStack(imageIds, 0);
    this.viewport.render();
    renderNow(this.engine); // the first image as soon as it is decoded, not at the next animation frame
    await rendered;
    this.shown = true;
    this.showKnownRois();
    this.reportStatus();
  }

  private imagesOf(series: StackSeries): StackImage[] {
    return this.images.slice(series.start, series.start + series.count);
  }

  // ---- a study's series, one at a time

  /** The case's series, in order: one for a case of one image or one series. */
  get seriesList(): readonly StackSeries[] {
    return this.series;
  }

  /** The case's images, every series of it, in stack order (a reference viewer opens them again). */
  get caseImages(): StackImage[] {
    return this.images;
  }

  /**
   * Shows another series of a study's case: fitted, at its own window, as the case opened, at
   * image `at` of it, else the one last shown there this visit, else its first. The series is then
   * the stack the wheel, the keys, the slider, cine and copying a ROI go through.
   */
  async showSeries(index: number, at?: number): Promise<void> {
    const target = this.series[index];
    if (this.destroyed || !this.shown || !target) return;
    if (index === this.seriesIndex) {
      if (at !== undefined) await this.showImage(at);
      return;
    }
    const leaving = this.series[this.seriesIndex];
    if (leaving) this.lastShownIn.set(leaving.seriesInstanceUid, this.wanted ?? this.viewport.getCurrentImageIdIndex());
    if (this.cineRate !== null) {
      toolUtilities.cine.stopClip(this.element);
      this.cineRate = null;
    }
    this.seriesIndex = index;
    this.stack = this.imagesOf(target);
    this.wanted = null;
    const i = Math.min(Math.max(Math.round(at ?? this.lastShownIn.get(target.seriesInstanceUid) ?? 0), 0), this.stack.length - 1);
    this.bindWheel(this.stack.length);
    const switching = ++this.seriesSwitch;
    await this.viewport.setStack(this.stack.map((s) => s.imageId), i);
    // A later switch has taken over; it fits its own series.
    if (this.destroyed || switching !== this.seriesSwitch) return;
    // The viewport keeps the previous series' zoom, pan and turn on WebGL: fitted afresh.
    this.reset();
    this.showKnownRois();
    this.reportMeasurements();
  }

  private seriesSwitch = 0;

  /**
   * Where series `index`'s images lie in patient space, for linked scrolling (linking.ts): from
   * their metadata (the imagePlaneModule), loaded with the case; null for an image without a plane
   * (the loader makes up an axial one for it) or without a Frame of Reference.
   */
  slicePlanesOf(index: number): Array<SlicePlane | null> {
    const series = this.series[index];
    if (!series) return [];
    const vec3 = (v: unknown): Vec3 | null => {
      const n = Array.isArray(v) && v.length === 3 ? v.map(Number) : null;
      return n && n.every(Number.isFinite) ? [n[0]!, n[1]!, n[2]!] : null;
    };
    return this.imagesOf(series).map((image) => {
      if (image.orientation !== "plane") return null;
      const plane = metaData.get("imagePlaneModule", image.imageId) as
        | { frameOfReferenceUID?: string; imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[] }
        | undefined;
      const [position, rowCosines, columnCosines] = [vec3(plane?.imagePositionPatient), vec3(plane?.rowCosines), vec3(plane?.columnCosines)];
      const frameOfReferenceUid = plane?.frameOfReferenceUID;
      return position && rowCosines && columnCosines && frameOfReferenceUid ? { frameOfReferenceUid, position, rowCosines, columnCosines } : null;
    });
  }

  /** Shows the next (1) or previous (-1) series of a study's case; at either end it stays. */
  async stepSeries(delta: number): Promise<void> {
    await this.showSeries(Math.min(Math.max(this.seriesIndex + delta, 0), this.series.length - 1));
  }

  private nextRender(imageId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.element.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
        reject(new Error("the image did not render in time"));
      }, RENDER_TIMEOUT_MS);
      const onRendered = () => {
        if (this.viewport.getCurrentImageId() !== imageId) return;
        clearTimeout(timer);
        this.element.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
        resolve();
      };
      this.element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
    });
  }

  // ---- display

  setMode(mode: ToolMode): void {
    this.mode = mode;
    this.applyMode();
  }

  setClasses(classes: RoiClass[], activeClassId: string | null): void {
    this.classes = new Map(classes.map((c) => [c.id, c]));
    this.activeClass = (activeClassId && this.classes.get(activeClassId)) || null;
    for (const roi of this.known.values()) this.styleAnnotation(roi.id, roi);
    this.renderAnnotations();
  }

  applyPreset(preset: WindowPreset): void {
    if (preset.window === "range") {
      const values = this.viewport.getImageData()?.voxelManager?.getScalarData?.() as ArrayLike<number> | undefined;
      const stored = values ? valueRange(values) : null;
      const range = stored && modalityRange(stored, this.pixels().rescale);
      if (range) this.viewport.setProperties({ voiRange: range });
    } else if (preset.window) {
      this.viewport.setProperties({ voiRange: voiRangeOf(preset.window) });
    } else {
      // The image's own window (from the file, or its value range); the inversion stays as chosen.
      const { invert } = this.viewport.getProperties();
      this.viewport.resetProperties();
      this.viewport.setProperties({ invert });
    }
    this.viewport.render();
    this.reportStatus();
  }

  /** How the image is shown now, to show it so again (showView); null before it is shown. */
  view(): ViewerView | null {
    const data = this.viewport.getImageData();
    if (this.destroyed || !this.shown || !data) return null;
    const props = this.viewport.getProperties();
    return {
      seriesInstanceUid: this.series.length > 1 ? (this.series[this.seriesIndex]?.seriesInstanceUid ?? null) : null,
      index: this.viewport.getCurrentImageIdIndex(),
      zoom: this.zoomNow(data),
      centre: worldToImage(planeOf(data), this.canvasCentreWorld()),
      voiRange: props.voiRange ? { ...props.voiRange } : null,
      inverted: this.shownInverted(props.invert),
      axes: this.screenAxes(),
    };
  }

  /**
   * Shows the image as `view` says (another session's, with the other renderer, say): the same
   * image of the stack, the same zoom with the same image point at the canvas' centre, the same
   * window and inversion. In the viewer's own terms (image pixels, device pixels per image pixel),
   * which both renderers share; their cameras do not mean the same.
   */
  async showView(view: ViewerView): Promise<void> {
    const series = view.seriesInstanceUid ? this.series.findIndex((s) => s.seriesInstanceUid === view.seriesInstanceUid) : -1;
    if (series >= 0) await this.showSeries(series, view.index);
    else await this.showImage(view.index);
    const data = this.viewport.getImageData();
    if (this.destroyed || !data) return;
    // Turned and flipped first: the zoom and the centre below are then set on the view as turned.
    if (view.axes) this.turnTo(view.axes);
    const canvas = this.viewport.canvas;
    if (view.zoom > 0) this.viewport.setCamera({ parallelScale: (fullResolutionScale(canvas.height, data.spacing[1] ?? 1) * 100) / view.zoom });
    const target = imageToWorld(planeOf(data), view.centre);
    const here = this.canvasCentreWorld();
    const { focalPoint, position } = this.viewport.getCamera();
    if (focalPoint && position) {
      const shift = (p: Types.Point3) => p.map((v, k) => v + target[k]! - here[k]!) as Types.Point3;
      this.viewport.setCamera({ focalPoint: shift(focalPoint), position: shift(position) });
    }
    const { invert } = this.viewport.getProperties();
    this.viewport.setProperties({
      ...(view.voiRange ? { voiRange: { ...view.voiRange } } : {}),
      invert: this.shownInverted(invert) === view.inverted ? invert : !invert,
    });
    this.viewport.render();
    this.reportStatus();
  }

  /** Camera and display back to how the image opened (unturned, unflipped, fit, its own window, its own polarity). */
  reset(): void {
    const turn = this.turn();
    if (turn.rotation) this.viewport.setViewPresentation({ rotation: 0 });
    if (turn.flipHorizontal || turn.flipVertical) this.viewport.setCamera({ flipHorizontal: false, flipVertical: false });
    this.viewport.resetCamera();
    this.viewport.resetProperties();
    this.viewport.render();
    this.reportStatus();
  }

  /** The reader's turn and flips of the image, as the status reports them. */
  private turn(): { rotation: number; flipHorizontal: boolean; flipVertical: boolean } {
    const p = this.viewport.getViewPresentation({ rotation: true, flipHorizontal: true, flipVertical: true }) as { rotation?: number; flipHorizontal?: boolean; flipVertical?: boolean };
    const rotation = (((Math.round((p.rotation ?? 0) / 90) * 90) % 360) + 360) % 360;
    return { rotation, flipHorizontal: !!p.flipHorizontal, flipVertical: !!p.flipVertical };
  }

  /** The canvas steps (CSS pixels) of one image pixel along its rows (+x) and down its columns (+y), as the view is now. */
  private imageAxesOnCanvas(plane = this.currentPlane()): { x: Point2; y: Point2 } | null {
    if (!plane) return null;
    const at = (p: [number, number]) => this.viewport.worldToCanvas(imageToWorld(plane, p) as Types.Point3);
    const [o, x, y] = [at([0, 0]), at([1, 0]), at([0, 1])];
    return { x: [x[0] - o[0], x[1] - o[1]], y: [y[0] - o[0], y[1] - o[1]] };
  }

  /** Where the image's rows and columns run on the canvas now, each rounded to a unit step along a canvas axis. */
  private screenAxes(): { x: Point2; y: Point2 } | undefined {
    const axes = this.imageAxesOnCanvas();
    if (!axes) return undefined;
    const unit = (v: Point2): Point2 => (Math.abs(v[0]) >= Math.abs(v[1]) ? [Math.sign(v[0]), 0] : [0, Math.sign(v[1])]);
    return { x: unit(axes.x), y: unit(axes.y) };
  }

  /** Turns and flips the image until its rows and columns run on the screen as `axes` say (at most the eight ways there are). */
  private turnTo(axes: { x: Point2; y: Point2 }): void {
    const same = (a: Point2, b: Point2) => a[0] === b[0] && a[1] === b[1];
    for (const flipHorizontal of [false, true]) {
      for (const rotation of [0, 90, 180, 270]) {
        this.viewport.setViewPresentation({ rotation });
        if (this.turn().flipHorizontal !== flipHorizontal || this.turn().flipVertical) this.viewport.setCamera({ flipHorizontal, flipVertical: false });
        const now = this.screenAxes();
        if (now && same(now.x, axes.x) && same(now.y, axes.y)) return;
      }
    }
  }

  /** Turns the image a quarter clockwise (or `quarters` of a turn; negative: anticlockwise) about the canvas' centre. */
  rotate(quarters = 1): void {
    const { rotation } = this.turn();
    this.viewport.setViewPresentation({ rotation: (((rotation + 90 * quarters) % 360) + 360) % 360 });
    this.viewport.render();
    this.reportStatus();
  }

  /**
   * Mirrors the image as it is shown on the screen: left to right, or top to bottom. Cornerstone's
   * flips are the image's own on the CPU path (after a quarter turn its "horizontal" flip mirrors
   * the screen top to bottom) and the view's on WebGL: whichever flag mirrors the screen the way
   * asked is the one kept.
   */
  flip(direction: "horizontal" | "vertical"): void {
    const plane = this.currentPlane();
    if (this.destroyed || !plane) return;
    const before = this.imageAxesOnCanvas(plane)!.x;
    const toggle = (flag: "flipHorizontal" | "flipVertical") => this.viewport.setCamera({ [flag]: !this.turn()[flag] });
    const first = direction === "horizontal" ? "flipHorizontal" : "flipVertical";
    toggle(first);
    const after = this.imageAxesOnCanvas(plane)!.x;
    // Mirrored left to right, the image's row direction keeps its vertical part and turns its horizontal one.
    const screenHorizontal = Math.abs(after[0] + before[0]) + Math.abs(after[1] - before[1]) < Math.abs(after[0] - before[0]) + Math.abs(after[1] + before[1]);
    if (screenHorizontal !== (direction === "horizontal")) {
      toggle(first);
      toggle(first === "flipHorizontal" ? "flipVertical" : "flipHorizontal");
    }
    this.viewport.render();
    this.reportStatus();
  }

  toggleInvert(): void {
    this.viewport.setProperties({ invert: !this.viewport.getProperties().invert });
    this.viewport.render();
    this.reportStatus();
  }

  /** One image pixel on one device pixel, keeping the point at the centre where it is. */
  fullResolution(): void {
    const spacing = this.viewport.getImageData()?.spacing ?? [1, 1, 1];
    this.viewport.setCamera({ parallelScale: fullResolutionScale(this.viewport.canvas.height, spacing[1] ?? 1) });
    this.viewport.render();
    this.reportStatus();
  }

  /** The image last asked for while it loads; steps count from it, so quick presses all count. */
  private wanted: number | null = null;

  async showImage(index: number): Promise<void> {
    const i = Math.min(Math.max(Math.round(index), 0), this.stack.length - 1);
    if (i === (this.wanted ?? this.viewport.getCurrentImageIdIndex())) return;
    this.wanted = i;
    try {
      await this.viewport.setImageIdIndex(i);
    } finally {
      if (this.wanted === i) this.wanted = null;
    }
  }

  /** Shows the case's image of this instance and frame (in a study's case, its series); false when the case has none. */
  async showImageOf(sopInstanceUid: string, frame: number): Promise<boolean> {
    const i = this.images.findIndex((s) => s.sopInstanceUid === sopInstanceUid && s.frame === frame);
    if (i < 0) return false;
    const series = this.series.findIndex((s) => i >= s.start && i < s.start + s.count);
    if (series < 0 || series === this.seriesIndex) await this.showImage(i - (this.series[series]?.start ?? 0));
    else await this.showSeries(series, i - this.series[series]!.start);
    return true;
  }

  /** Moves `delta` images on from the one last asked for (a key held down goes through the series). */
  async stepImage(delta: number): Promise<void> {
    await this.showImage((this.wanted ?? this.viewport.getCurrentImageIdIndex()) + delta);
  }

  // ---- cine: the stack played as a loop (Cornerstone's playClip), at the file's rate or the reader's

  private cineRate: number | null = null;

  /** The rate the stack asks to be played at (its first image's instance), or null. */
  get frameRate(): number | null {
    return this.stack[0]?.frameRate ?? null;
  }

  /** Plays the stack as a loop at `fps` frames per second (from the image shown), or stops it (null). */
  cine(fps: number | null): void {
    if (this.destroyed || this.stack.length < 2) return;
    if (fps === null) {
      toolUtilities.cine.stopClip(this.element);
      this.cineRate = null;
    } else {
      const rate = Math.min(100, Math.max(1, fps));
      toolUtilities.cine.stopClip(this.element);
      toolUtilities.cine.playClip(this.element, { framesPerSecond: rate, loop: true });
      this.cineRate = rate;
    }
    this.reportStatus();
  }

  get imageCount(): number {
    return this.stack.length;
  }

  /** The on-screen canvas Cornerstone draws into (tests read its pixels). */
  get canvas(): HTMLCanvasElement {
    return this.viewport.canvas;
  }

  /**
   * The point of the image shown under a canvas point (CSS pixels from the canvas' top-left
   * corner); null off the image or before it is shown.
   */
  canvasToImage(x: number, y: number): ImagePointer | null {
    const data = this.viewport.getImageData();
    const image = this.currentImage();
    if (!data || !image || this.destroyed) return null;
    const [px, py] = worldToImage(planeOf(data), this.viewport.canvasToWorld([x, y] as Types.Point2) as unknown as [number, number, number]);
    const [columns = 0, rows = 0] = [data.dimensions[0], data.dimensions[1]];
    if (!(px >= 0 && py >= 0 && px <= columns && py <= rows)) return null;
    return { x: px, y: py, sopInstanceUid: image.sopInstanceUid, frame: image.frame };
  }

  /**
   * Where a point of an image lies on the canvas (CSS pixels), as the camera is now; null when that
   * image is not the one shown (a pointer on another image of a series).
   */
  imageToCanvas(p: ImagePointer): [number, number] | null {
    const data = this.viewport.getImageData();
    const image = this.currentImage();
    if (!data || !image || this.destroyed) return null;
    if ((p.sopInstanceUid && p.sopInstanceUid !== image.sopInstanceUid) || (p.frame != null && p.frame !== image.frame)) return null;
    const c = this.viewport.worldToCanvas(imageToWorld(planeOf(data), [p.x, p.y]) as Types.Point3);
    return [c[0], c[1]];
  }

  /** Zoom as the status reports it: 100 is one image pixel on one device pixel. */
  private zoomNow(data = this.viewport.getImageData()): number {
    const spacing = data?.spacing ?? [1, 1, 1];
    return zoomPercent(this.viewport.getCamera().parallelScale ?? 0, this.viewport.canvas.height, spacing[1] ?? 1);
  }

  /** The world point at the canvas' centre, as the camera is now. */
  private canvasCentreWorld(): [number, number, number] {
    const canvas = this.viewport.canvas;
    return this.viewport.canvasToWorld([canvas.clientWidth / 2, canvas.clientHeight / 2] as Types.Point2) as unknown as [number, number, number];
  }

  /** Reports how the image is shown now (the status callback); the session does so after each change. */
  reportStatus(): void {
    if (this.destroyed || !this.stack.length) return;
    const props = this.viewport.getProperties();
    const data = this.viewport.getImageData();
    const index = this.viewport.getCurrentImageIdIndex();
    const shown = this.stack[index];
    this.callbacks.status({
      window: props.voiRange ? windowOf(props.voiRange) : null,
      zoom: this.zoomNow(data),
      invert: this.shownInverted(props.invert),
      index,
      count: this.stack.length,
      sopInstanceUid: shown?.sopInstanceUid ?? null,
      frame: shown?.frame ?? 1,
      imageBox: data ? this.imageBox(planeOf(data), data.dimensions) : null,
      orientation: shown && data ? this.markersNow(shown, planeOf(data)) : null,
      cine: this.cineRate,
      rotation: this.turn().rotation,
      slice: shown ? this.sliceOf(shown) : null,
      series: this.shownSeriesStatus(),
    });
  }

  private shownSeriesStatus(): ShownSeries | null {
    const s = this.series[this.seriesIndex];
    if (this.series.length < 2 || !s) return null;
    return { index: this.seriesIndex, count: this.series.length, seriesInstanceUid: s.seriesInstanceUid, number: s.number, modality: s.modality, description: s.description };
  }

  /** The image's edge markers where its edges now lie on the canvas (the reader may have turned or flipped it). */
  private markersNow(shown: StackImage, plane: ImagePlane): OrientationMarkers | null {
    const markers = this.orientationOf(shown);
    const axes = markers && this.imageAxesOnCanvas(plane);
    return markers && axes ? markersOnCanvas(markers, axes.x, axes.y) : null;
  }

  /** Where an image lies in its series (sliceOf), worked out once per image. */
  private slice: { imageId: string; slice: ViewerStatus["slice"] } | null = null;
  private sliceOf(shown: StackImage): ViewerStatus["slice"] {
    if (shown.orientation !== "plane") return null;
    if (this.slice?.imageId !== shown.imageId) {
      const plane = metaData.get("imagePlaneModule", shown.imageId) as
        | { sliceLocation?: number; sliceThickness?: number; imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[] }
        | undefined;
      this.slice = { imageId: shown.imageId, slice: slicePosition(plane) };
    }
    return this.slice.slice;
  }

  /**
   * The value of the pixel under a point of the image shown (image pixel coordinates, as
   * canvasToImage gives them): stored values taken through the rescale when the loader did not.
   */
  valueAt(p: ImagePointer): PixelValue | null {
    const data = this.viewport.getImageData();
    const shown = this.currentImage();
    if (this.destroyed || !data || !shown || (p.sopInstanceUid && p.sopInstanceUid !== shown.sopInstanceUid)) return null;
    const { values, rescale, unit } = this.pixels(shown);
    const at = pixelAt([p.x, p.y], { columns: data.dimensions[0] ?? 0, rows: data.dimensions[1] ?? 0, values, ...rescale });
    return at && { ...at, unit };
  }

  /**
   * The image shown as its pixels are read: the loader's pixel data (null for a colour image), its
   * rescale to modality values (applied where the loader did not), and the values' unit (HU on CT).
   */
  private pixels(shown = this.currentImage()): { values: ArrayLike<number> | null; rescale: Rescale; unit: string } {
    const image = this.viewport.getCornerstoneImage?.() as { color?: boolean; slope?: number; intercept?: number; preScale?: { scaled?: boolean } } | undefined;
    const values = image?.color ? null : ((this.viewport.getImageData()?.voxelManager?.getScalarData?.() as ArrayLike<number> | undefined) ?? null);
    const modality = shown && (metaData.get("generalSeriesModule", shown.imageId) as { modality?: string } | undefined)?.modality;
    return { values, rescale: { slope: image?.slope, intercept: image?.intercept, preScaled: image ? !!image.preScale?.scaled : true }, unit: modality === "CT" ? "HU" : "" };
  }

  /** The image's orientation markers, worked out once per image (status reports come with every camera change). */
  private orientation: { imageId: string; markers: OrientationMarkers | null } | null = null;
  private orientationOf(shown: StackImage): OrientationMarkers | null {
    const { imageId } = shown;
    // Without a plane the loader would make up an axial one (A at the top of a chest X-ray).
    if (shown.orientation !== "plane") return shown.orientation;
    if (this.orientation?.imageId !== imageId) {
      const plane = metaData.get("imagePlaneModule", imageId) as { imageOrientationPatient?: number[] } | undefined;
      this.orientation = { imageId, markers: orientationMarkers(plane?.imageOrientationPatient) };
    }
    return this.orientation.markers;
  }

  /**
   * Whether the image is shown inverted against its own presentation. WebGL shows a MONOCHROME1
   * image the right way round by inverting it (its `invert` is then true from the start); the CPU
   * path inverts MONOCHROME1 in its lookup table and starts with `invert` false. Against the
   * viewport's starting inversion both say the same: false as the image opens, true after Invert.
   */
  private shownInverted(invert: boolean | undefined): boolean {
    return !!invert !== !!(this.viewport as unknown as { initialInvert?: boolean }).initialInvert;
  }

  private imageBox(plane: ImagePlane, dimensions: ArrayLike<number>): ViewerStatus["imageBox"] {
    const [columns = 0, rows = 0] = [dimensions[0], dimensions[1]];
    const corners = [
      [0, 0],
      [columns, 0],
      [0, rows],
      [columns, rows],
    ].map((p) => this.viewport.worldToCanvas(imageToWorld(plane, p as [number, number]) as Types.Point3));
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  }

  // ---- ROIs: ours <-> Cornerstone annotations

  /** The plane of the image shown now; ROIs are only converted while their image is displayed. */
  private currentPlane(): ImagePlane | null {
    const data = this.viewport.getImageData();
    return data ? planeOf(data) : null;
  }

  private currentImage(): StackImage | undefined {
    return this.stack[this.viewport.getCurrentImageIdIndex()];
  }

  private isOurs(a: ToolTypes.Annotation | undefined): a is ToolTypes.Annotation {
    return !!a?.annotationUID && !!TOOL_KIND[a.metadata?.toolName ?? ""] && this.imageOfId.has(a.metadata?.referencedImageId ?? "");
  }

  private toRoi(a: ToolTypes.Annotation, classId: string): Roi | null {
    const image = this.imageOfId.get(a.metadata?.referencedImageId ?? "");
    const plane = this.currentPlane();
    const kind = TOOL_KIND[a.metadata?.toolName ?? ""];
    if (!image || !plane || !kind || image !== this.currentImage()) return null;
    // A rectangle's, a point's and a line's handles are their points; a freehand outline is its polyline.
    const world = (kind === "FREEHAND" ? a.data.contour?.polyline : a.data.handles?.points) ?? [];
    const image2d: Point2[] = world.map((p) => worldToImage(plane, p as unknown as [number, number, number]));
    if (!image2d.length) return null;
    const points = (kind === "RECTANGLE" ? normaliseRectangle(image2d) : image2d).map(roundPoint);
    return { id: a.annotationUID!, classId, kind, points, sopInstanceUid: image.sopInstanceUid, frame: image.frame };
  }

  private onAdded(e: AnnotationEvent): void {
    const a = e.detail.annotation;
    if (this.quiet || !this.isOurs(a) || this.known.has(a.annotationUID!) || !this.activeClass) return;
    // A reader started drawing: the ROI takes the class active now.
    this.drawing.set(a.annotationUID!, this.activeClass.id);
    a.data.label = this.activeClass.name;
    this.styleAnnotation(a.annotationUID!, { classId: this.activeClass.id });
  }

  private onCompleted(e: AnnotationEvent): void {
    const a = e.detail.annotation;
    if (this.quiet || !this.isOurs(a)) return;
    const classId = this.drawing.get(a.annotationUID!);
    if (!classId) return;
    this.drawing.delete(a.annotationUID!);
    const roi = this.toRoi(a, classId);
    if (!roi) return;
    if (drewNothing(roi)) {
      // A line whose ends meet (two clicks on one spot), a rectangle without a width (a click). The
      // server would refuse it (and the layer start again without it); it goes now, unreported.
      this.quietly(() => annotations.state.removeAnnotation(roi.id));
      this.renderAnnotations();
      return;
    }
    this.known.set(roi.id, roi);
    this.callbacks.roiChange({ change: "created", roi });
  }

  private onModified(e: AnnotationEvent): void {
    const a = e.detail.annotation;
    if (this.quiet || !this.isOurs(a) || !this.known.has(a.annotationUID!)) return;
    this.dirty.add(a.annotationUID!);
    this.scheduleFlush();
  }

  private onRemoved(e: AnnotationEvent): void {
    const uid = e.detail.annotation?.annotationUID ?? e.detail.annotationUID;
    if (this.quiet || !uid) return;
    this.drawing.delete(uid);
    const roi = this.known.get(uid);
    if (!roi) return;
    this.known.delete(uid);
    this.dirty.delete(uid);
    this.callbacks.roiChange({ change: "deleted", roi: stripShown(roi) });
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pointerDown) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      if (!this.pointerDown) this.flush();
    }, 0);
  }

  private flush(): void {
    for (const uid of [...this.dirty]) {
      this.dirty.delete(uid);
      const before = this.known.get(uid);
      const a = annotations.state.getAnnotation(uid);
      if (!before || !a) continue;
      const roi = this.toRoi(a, before.classId);
      if (!roi || sameRoi(roi, before)) continue;
      this.known.set(uid, { ...roi, readOnly: before.readOnly });
      this.callbacks.roiChange({ change: "updated", roi });
    }
  }

  /**
   * Shows exactly these ROIs (a controlled list: apply this viewer's roiChange events to it).
   * Changes that only echo what the viewer reported are no-ops.
   */
  setRois(rois: readonly ShownRoi[]): void {
    const wanted = new Map(rois.map((r) => [r.id, r]));
    this.quietly(() => {
      for (const [id, before] of this.known) {
        const next = wanted.get(id);
        if (!next || !sameRoi(stripShown(next), stripShown(before))) {
          this.known.delete(id);
          if (annotations.state.getAnnotation(id)) annotations.state.removeAnnotation(id);
        } else if (!!next.readOnly !== !!before.readOnly || !!next.suggested !== !!before.suggested) {
          this.known.set(id, next);
          this.styleAnnotation(id, next);
        }
      }
      for (const roi of wanted.values()) if (!this.known.has(roi.id)) this.known.set(roi.id, roi);
    });
    this.showKnownRois();
  }

  /** Adds the annotations of known ROIs that belong to the image shown and are not drawn yet. */
  private showKnownRois(): void {
    const image = this.currentImage();
    const plane = this.currentPlane();
    if (!image || !plane || !this.annotating) return;
    this.quietly(() => {
      for (const roi of this.known.values()) {
        if (roi.sopInstanceUid !== image.sopInstanceUid || roi.frame !== image.frame || annotations.state.getAnnotation(roi.id)) continue;
        annotations.state.addAnnotation(this.annotationOf(roi, plane), this.element);
        this.styleAnnotation(roi.id, roi);
      }
    });
    this.renderAnnotations();
  }

  private annotationOf(roi: ShownRoi, plane: ImagePlane): ToolTypes.Annotation {
    const toWorld = (p: readonly [number, number]) => imageToWorld(plane, p) as Types.Point3;
    const reference = { ...this.viewport.getViewReference() } as Record<string, unknown>;
    delete reference.volumeId;
    const zero = [0, 0, 0] as Types.Point3;
    const textBox = { hasMoved: false, worldPosition: zero, worldBoundingBox: { topLeft: zero, topRight: zero, bottomLeft: zero, bottomRight: zero } };
    const rectangle = roi.kind === "RECTANGLE";
    const freehand = roi.kind === "FREEHAND";
    const handles = rectangle ? rectangleCorners(normaliseRectangle(roi.points)) : freehand ? [] : roi.points.slice(0, roi.kind === "LINE" ? 2 : 1);
    return {
      annotationUID: roi.id,
      highlighted: false,
      invalidated: true,
      isLocked: !!roi.readOnly,
      isVisible: true,
      autoGenerated: false,
      ...(freehand ? { interpolationUID: "" } : {}),
      metadata: { ...reference, toolName: TOOL_OF_KIND[roi.kind] } as ToolTypes.Annotation["metadata"],
      data: {
        label: this.classes.get(roi.classId)?.name ?? "",
        cachedStats: {},
        handles: { points: handles.map(toWorld), activeHandleIndex: null, textBox },
        ...(freehand ? { contour: { polyline: roi.points.map(toWorld), closed: true } } : {}),
      },
    } as ToolTypes.Annotation;
  }

  private styleAnnotation(uid: string, { classId, readOnly = false, suggested = false }: Pick<ShownRoi, "classId" | "readOnly" | "suggested">): void {
    const colour = this.classes.get(classId)?.colour ?? (suggested ? SUGGESTION_GREY : "#ffd400");
    const rgb = cssRgb(colour);
    annotations.config.style.setAnnotationStyles(uid, {
      color: rgb,
      colorHighlighted: rgb,
      colorSelected: rgb,
      colorLocked: rgb,
      textBoxColor: rgb,
      lineWidth: 2,
      lineWidthHighlighted: 3,
      lineWidthSelected: 3,
      ...(suggested ? { lineDash: SUGGESTION_DASH } : readOnly ? { lineDash: "4,3" } : {}),
    });
    const a = annotations.state.getAnnotation(uid);
    if (a) {
      a.data.label = this.classes.get(classId)?.name ?? a.data.label;
      if (annotations.locking.isAnnotationLocked(uid) !== readOnly) annotations.locking.setAnnotationLocked(uid, readOnly);
    }
  }

  private selectedRoiIds(): string[] {
    return (annotations.selection.getAnnotationsSelected() ?? []).filter((uid) => this.known.has(uid));
  }

  /** Deletes the selected ROIs the reader may edit (each reported as deleted) and the selected measurements. */
  deleteSelected(): number {
    const uids = this.selectedRoiIds().filter((uid) => !this.known.get(uid)?.readOnly);
    const measured = (annotations.selection.getAnnotationsSelected() ?? []).filter((uid) => this.isMeasurement(annotations.state.getAnnotation(uid)));
    for (const uid of [...uids, ...measured]) {
      annotations.selection.deselectAnnotation(uid);
      annotations.state.removeAnnotation(uid);
    }
    this.renderAnnotations();
    this.callbacks.selection(this.selectedRoiIds());
    return uids.length + measured.length;
  }

  /**
   * A copy of the selected ROI (one the reader may edit) on the image `delta` steps away in the
   * stack, at the same image pixels: the outline a reader adjusts on the next slice instead of
   * drawing it again. Reported as created, and that image shown. False when there is nothing to copy
   * or no image there.
   */
  async copySelectedTo(delta: number): Promise<boolean> {
    const [id, ...more] = this.selectedRoiIds();
    const roi = id && !more.length ? this.known.get(id) : undefined;
    const from = this.stack.findIndex((s) => s.sopInstanceUid === roi?.sopInstanceUid && s.frame === roi?.frame);
    const target = this.stack[from + delta];
    if (!roi || roi.readOnly || from < 0 || !target) return false;
    const copy: Roi = { id: csUtils.uuidv4(), classId: roi.classId, kind: roi.kind, points: roi.points.map((p) => [p[0], p[1]] as Point2), sopInstanceUid: target.sopInstanceUid, frame: target.frame };
    this.known.set(copy.id, copy);
    this.callbacks.roiChange({ change: "created", roi: copy });
    annotations.selection.deselectAnnotation(id);
    await this.showImage(from + delta);
    this.showKnownRois();
    annotations.selection.setAnnotationSelected(copy.id, true);
    this.renderAnnotations();
    this.callbacks.selection(this.selectedRoiIds());
    return true;
  }

  // ---- measurements (measurements.ts): Cornerstone's annotations of this viewer's images, never ROIs

  private isMeasurement(a: ToolTypes.Annotation | undefined): a is ToolTypes.Annotation {
    return !!a?.annotationUID && !!measureKindOf(a.metadata?.toolName) && this.imageOfId.has(a.metadata?.referencedImageId ?? "");
  }

  /** This viewer's measurements: on the image shown, or on any image of the case. */
  private measurementAnnotations(anyImage = false): ToolTypes.Annotation[] {
    const imageId = this.currentImage()?.imageId;
    return annotations.state.getAllAnnotations().filter((a) => this.isMeasurement(a) && (anyImage || a.metadata?.referencedImageId === imageId));
  }

  /** The measurements on the image shown, as the list beside the image gives them. */
  measurements(): Measurement[] {
    const scaling = this.pixels().rescale;
    const calibrationType = calibrationOf(this.currentImage()?.imageId)?.type;
    return this.measurementAnnotations().map((a) =>
      describeMeasurement(a.annotationUID!, measureKindOf(a.metadata?.toolName)!, a.data.cachedStats as Record<string, Record<string, unknown>> | undefined, { scaling, calibrationType }),
    );
  }

  /** A ROI's area and pixel values (roiStats.ts), while its image is shown; null otherwise. */
  roiStats(id: string): (RoiStats & { note: string | null }) | null {
    const roi = this.known.get(id);
    const shown = this.currentImage();
    const data = this.viewport.getImageData() as (ReturnType<Types.IStackViewport["getImageData"]> & { hasPixelSpacing?: boolean }) | undefined;
    if (this.destroyed || !roi || !shown || !data || roi.sopInstanceUid !== shown.sopInstanceUid || roi.frame !== shown.frame) return null;
    const { values, rescale, unit } = this.pixels(shown);
    const stats = roiStats(roi, {
      columns: data.dimensions[0] ?? 0,
      rows: data.dimensions[1] ?? 0,
      values,
      ...rescale,
      spacing: data.hasPixelSpacing === false ? null : [data.spacing[0] ?? 1, data.spacing[1] ?? 1],
      unit,
    });
    const type = calibrationOf(shown.imageId)?.type;
    return stats && { ...stats, note: stats.areaUnit === "mm²" && type ? calibrationNote(`mm ${type}`).note : null };
  }

  private reportMeasurements(): void {
    if (!this.destroyed && this.annotating) this.callbacks.measurements?.(this.measurements());
  }

  /** Removes one measurement, or (no id) every measurement of the case. */
  removeMeasurements(id?: string): void {
    for (const a of this.measurementAnnotations(true)) if (!id || a.annotationUID === id) annotations.state.removeAnnotation(a.annotationUID!);
    this.renderAnnotations();
    this.reportMeasurements();
  }

  private renderAnnotations(): void {
    roiLayerChanged(); // styles and ROIs set here: drawn in full, not moved (roiMotion.ts)
    if (!this.destroyed) toolUtilities.triggerAnnotationRenderForViewportIds([this.id]);
  }

  private quietly(fn: () => void): void {
    this.quiet++;
    try {
      fn();
    } finally {
      this.quiet--;
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.cineRate !== null) toolUtilities.cine.stopClip(this.element);
    this.resizeObserver.disconnect();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (this.annotating) this.quietly(() => {
      for (const uid of [...this.known.keys(), ...this.drawing.keys()]) if (annotations.state.getAnnotation(uid)) annotations.state.removeAnnotation(uid);
      // Measurements are the reader's aids for this case only: gone with it.
      for (const a of this.measurementAnnotations(true)) annotations.state.removeAnnotation(a.annotationUID!);
    });
    ToolGroupManager.destroyToolGroup(this.toolGroup.id);
    // The engine stays for the next case (its WebGL context with it); only this element leaves it.
    this.engine.disableElement(this.id);
    forgetRoiLayer(this.id, this.engine.id);
  }
}

/**
 * Every ROI point is mapped world → canvas on every frame, and Cornerstone's mapping is costly per
 * point: on WebGL it rebuilds the camera's view and projection matrices (10,000 times a frame with
 * 1,000 ROIs); on the CPU path it rebuilds the image's geometry and the canvas transform. A stack
 * viewport's mapping is affine either way: this works it out from four points and reuses it while
 * what it depends on stays the same: on WebGL the camera (its vtk modification time), on the CPU
 * path the viewport's state (scale, translation, rotation, flips, displayed area) and the image;
 * on both the canvas size and the pixel ratio. The WebGL mapping modifies the camera as it goes
 * (clipping range), so its time is read after the four points.
 */
function cacheWorldToCanvas(viewport: Types.IStackViewport): void {
  const v = viewport as unknown as {
    canvas: HTMLCanvasElement;
    worldToCanvas: (world: Types.Point3) => Types.Point2;
    useCPURendering?: boolean;
    getVtkActiveCamera?: () => { getMTime(): number };
    _cpuFallbackEnabledElement?: CpuElement;
  };
  const cpu = v.useCPURendering === true;
  const cpuView = new CpuViewState();
  if (!cpu && (v.useCPURendering !== false || typeof v.getVtkActiveCamera !== "function")) return;
  const original = v.worldToCanvas.bind(v);
  let size = "";
  let time = -1;
  // canvas = origin + x * ax + y * ay + z * az
  let o: Types.Point2 = [0, 0];
  let ax: Types.Point2 = [0, 0];
  let ay: Types.Point2 = [0, 0];
  let az: Types.Point2 = [0, 0];
  v.worldToCanvas = (world: Types.Point3): Types.Point2 => {
    let stale: boolean;
    if (cpu) stale = cpuView.changed(v.canvas, v._cpuFallbackEnabledElement);
    else {
      const now = `${v.canvas.width}x${v.canvas.height}@${pixelRatio()}`;
      stale = v.getVtkActiveCamera!().getMTime() !== time || now !== size;
      size = now;
    }
    if (stale) {
      o = original([0, 0, 0]);
      const x = original([1, 0, 0]);
      const y = original([0, 1, 0]);
      const z = original([0, 0, 1]);
      ax = [x[0] - o[0], x[1] - o[1]];
      ay = [y[0] - o[0], y[1] - o[1]];
      az = [z[0] - o[0], z[1] - o[1]];
      if (!cpu) time = v.getVtkActiveCamera!().getMTime();
    }
    const [wx, wy, wz] = world;
    return [o[0] + wx * ax[0] + wy * ay[0] + wz * az[0], o[1] + wx * ax[1] + wy * ay[1] + wz * az[1]];
  };
}

/**
 * Two more per-ROI costs of Cornerstone's CPU path, each paid once per ROI per frame by the tools'
 * render: its camera reads the element's size (`clientWidth`, a forced layout right after the
 * previous ROI's SVG changed: 23% of a pan's time with 1,000 ROIs) and maps three points; and its
 * `getActors`, which has no actors on the CPU, builds and returns an Error (with its stack) for
 * the tools to find not to be a list. The camera is kept while the viewport's state and the
 * canvas stay the same (a copy handed out each time); the actors are an empty list.
 */
function quickenCpuViewport(viewport: Types.IStackViewport): void {
  const v = viewport as unknown as {
    canvas: HTMLCanvasElement;
    useCPURendering?: boolean;
    getCamera: () => Types.ICamera;
    getActors: () => unknown[];
    _cpuFallbackEnabledElement?: CpuElement & { metadata?: object };
  };
  if (v.useCPURendering !== true) return;
  v.getActors = () => [];
  const original = v.getCamera.bind(v);
  const view = new CpuViewState();
  let camera: Types.ICamera | null = null;
  v.getCamera = () => {
    if (view.changed(v.canvas, v._cpuFallbackEnabledElement) || !camera) camera = original();
    return copyCamera(camera);
  };
}

function copyCamera(camera: Types.ICamera): Types.ICamera {
  const copy: Record<string, unknown> = { ...camera };
  for (const [name, value] of Object.entries(copy)) if (Array.isArray(value)) copy[name] = [...value];
  return copy as Types.ICamera;
}

/** What Cornerstone's CPU path keeps of a stack viewport's image and view (its "enabled element"). */
interface CpuElement {
  image?: object;
  viewport?: {
    scale?: number | number[];
    translation?: { x: number; y: number };
    rotation?: number;
    hflip?: boolean;
    vflip?: boolean;
    aspectRatio?: number[];
    displayedArea?: { tlhc: { x: number; y: number }; brhc: { x: number; y: number }; presentationSizeMode?: string; rowPixelSpacing?: number; columnPixelSpacing?: number };
  };
}

/**
 * Remembers everything the CPU path's world → canvas mapping and camera read, and says whether
 * any of it changed since the last call: compared field by field in place, without allocating
 * (it runs for every ROI point of every frame).
 */
/**
 * The window's device pixel ratio, kept current by a media query on it: reading
 * `window.devicePixelRatio` costs about half a microsecond in Chromium, 5 ms a frame when asked
 * for every ROI point of 1,000 ROIs.
 */
let currentPixelRatio: number | null = null;
function pixelRatio(): number {
  if (currentPixelRatio === null) {
    currentPixelRatio = window.devicePixelRatio || 1;
    const watch = () => {
      const query = window.matchMedia?.(`(resolution: ${currentPixelRatio}dppx)`);
      query?.addEventListener("change", () => {
        currentPixelRatio = window.devicePixelRatio || 1;
        watch();
      }, { once: true });
    };
    watch();
  }
  return currentPixelRatio;
}

class CpuViewState {
  private w = -1;
  private h = -1;
  private dpr = -1;
  private image: unknown = null;
  private metadata: unknown = null;
  private scaleX: unknown = null;
  private scaleY: unknown = null;
  private tx: unknown = null;
  private ty: unknown = null;
  private rotation: unknown = null;
  private hflip: unknown = null;
  private vflip: unknown = null;
  private aspect: unknown = null;
  private area: unknown[] = [];

  changed(canvas: HTMLCanvasElement, element: (CpuElement & { metadata?: object }) | undefined): boolean {
    const vp = element?.viewport;
    const scale = vp?.scale;
    const scaleX = Array.isArray(scale) ? scale[0] : scale;
    const scaleY = Array.isArray(scale) ? scale[1] : undefined;
    const tx = vp?.translation?.x;
    const ty = vp?.translation?.y;
    const aspect = vp?.aspectRatio ? `${vp.aspectRatio[0]}:${vp.aspectRatio[1]}` : undefined;
    // The cheap, often-changing ones first (a pan changes the translation, a zoom the scale).
    if (
      tx === this.tx && ty === this.ty && scaleX === this.scaleX && scaleY === this.scaleY &&
      vp?.rotation === this.rotation && vp?.hflip === this.hflip && vp?.vflip === this.vflip &&
      element?.image === this.image && element?.metadata === this.metadata && aspect === this.aspect &&
      canvas.width === this.w && canvas.height === this.h && pixelRatio() === this.dpr &&
      this.sameArea(vp?.displayedArea)
    ) return false;
    this.tx = tx;
    this.ty = ty;
    this.scaleX = scaleX;
    this.scaleY = scaleY;
    this.rotation = vp?.rotation;
    this.hflip = vp?.hflip;
    this.vflip = vp?.vflip;
    this.image = element?.image;
    this.metadata = element?.metadata;
    this.aspect = aspect;
    this.w = canvas.width;
    this.h = canvas.height;
    this.dpr = pixelRatio();
    const area = vp?.displayedArea;
    this.area = area ? [area.tlhc.x, area.tlhc.y, area.brhc.x, area.brhc.y, area.presentationSizeMode, area.rowPixelSpacing, area.columnPixelSpacing] : [];
    return true;
  }

  private sameArea(area: NonNullable<CpuElement["viewport"]>["displayedArea"]): boolean {
    const a = this.area;
    if (!area) return a.length === 0;
    return a.length > 0 && a[0] === area.tlhc.x && a[1] === area.tlhc.y && a[2] === area.brhc.x && a[3] === area.brhc.y &&
      a[4] === area.presentationSizeMode && a[5] === area.rowPixelSpacing && a[6] === area.columnPixelSpacing;
  }
}

function stripShown(roi: ShownRoi): Roi {
  const { readOnly: _readOnly, suggested: _suggested, ...plain } = roi;
  return plain;
}

/** "#rrggbb" as Cornerstone's "rgb(r, g, b)". */
function cssRgb(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return "rgb(255, 212, 0)";
  return `rgb(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)})`;
}
