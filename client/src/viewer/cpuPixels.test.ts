import type { Types } from "@cornerstonejs/core";
import { describe, expect, it } from "vitest";
import { centreCpuPixels } from "./cpuPixels";

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
