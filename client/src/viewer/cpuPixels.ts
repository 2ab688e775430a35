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
