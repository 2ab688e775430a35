import { describe, expect, it } from "vitest";
import { imageToWorld, normaliseRectangle, planeOf, rectangleCorners, roundPoint, worldToImage, type ImagePlane } from "./imageCoordinates";

const axial: ImagePlane = { origin: [-100, -120, 30], rowCosines: [1, 0, 0], columnCosines: [0, 1, 0], spacing: [0.5, 0.8] };

// A coronal-ish plane, tilted, with anisotropic pixels: rows run along +x, columns along -z rotated.
const s = Math.SQRT1_2;
const oblique: ImagePlane = { origin: [10, 20, 30], rowCosines: [s, s, 0], columnCosines: [0, 0, -1], spacing: [0.7, 1.3] };

describe("image coordinates", () => {
  it("puts the centre of the first pixel at the origin, and its outer corner half a pixel before", () => {
    expect(imageToWorld(axial, [0.5, 0.5])).toEqual([-100, -120, 30]);
    expect(imageToWorld(axial, [0, 0])).toEqual([-100.25, -120.4, 30]);
    expect(worldToImage(axial, [-100, -120, 30])).toEqual([0.5, 0.5]);
  });

  it("steps one pixel per spacing along the row and column directions", () => {
    const [x, y, z] = imageToWorld(axial, [10.5, 3.5]);
    expect(x).toBeCloseTo(-95);
    expect(y).toBeCloseTo(-117.6);
    expect(z).toBe(30);
  });

  it("round-trips on an oblique plane with anisotropic pixels", () => {
    for (const p of [[0, 0], [12.25, 7.75], [511.5, 3], [-4, 1000]] as const) {
      const back = worldToImage(oblique, imageToWorld(oblique, p));
      expect(back[0]).toBeCloseTo(p[0], 9);
      expect(back[1]).toBeCloseTo(p[1], 9);
    }
    const world = imageToWorld(oblique, [1.5, 2.5]);
    expect(world[0]).toBeCloseTo(10 + s * 0.7);
    expect(world[1]).toBeCloseTo(20 + s * 0.7);
    expect(world[2]).toBeCloseTo(30 - 2 * 1.3);
  });

  it("drops the distance from the plane when projecting a world point", () => {
    const onPlane = imageToWorld(axial, [4, 9]);
    expect(worldToImage(axial, [onPlane[0], onPlane[1], onPlane[2] + 7])).toEqual(worldToImage(axial, onPlane));
  });

  it("reads a vtkImageData description, defaulting what is missing", () => {
    expect(planeOf({ origin: [1, 2, 3], spacing: [0.5, 0.25, 1], direction: [0, 1, 0, -1, 0, 0, 0, 0, 1] })).toEqual({
      origin: [1, 2, 3],
      rowCosines: [0, 1, 0],
      columnCosines: [-1, 0, 0],
      spacing: [0.5, 0.25],
    });
    expect(planeOf({ origin: [], spacing: [0, NaN], direction: [] })).toEqual({
      origin: [0, 0, 0],
      rowCosines: [1, 0, 0],
      columnCosines: [0, 1, 0],
      spacing: [1, 1],
    });
  });

  it("normalises rectangles and lists their corners in handle order", () => {
    expect(normaliseRectangle([[30, 5], [10, 25]])).toEqual([[10, 5], [30, 25]]);
    expect(rectangleCorners([[10, 5], [30, 25]])).toEqual([[10, 5], [30, 5], [10, 25], [30, 25]]);
    expect(normaliseRectangle(rectangleCorners([[10, 5], [30, 25]]))).toEqual([[10, 5], [30, 25]]);
    expect(roundPoint([1.23456, -7.899])).toEqual([1.23, -7.9]);
  });
});
