import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { dice, iou, roiMask, roiOverlap, type OverlapRoi } from "./overlap.js";

const sum = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
const rect = (x0: number, y0: number, x1: number, y1: number): OverlapRoi => ({ kind: "RECTANGLE", points: [[x0, y0], [x1, y1]] });

function shoelaceArea(points: Array<[number, number]>): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

describe("roiMask", () => {
  it("a pixel-aligned rectangle covers exactly its pixels, whichever corners are given", () => {
    const m = roiMask([rect(2, 3, 7, 5)], 10, 8);
    expect(sum(m)).toBe(10);
    expect(m[3 * 10 + 2]).toBe(1);
    expect(m[4 * 10 + 6]).toBe(1);
    expect(m[5 * 10 + 2]).toBe(0);
    expect(m[3 * 10 + 7]).toBe(0);
    expect(roiMask([{ kind: "rectangle", points: [[7, 3], [2, 5]] }], 10, 8)).toEqual(m);
    // The same box as a freehand polygon gives the same pixels.
    expect(roiMask([{ kind: "FREEHAND", points: [[2, 3], [7, 3], [7, 5], [2, 5]] }], 10, 8)).toEqual(m);
  });

  it("uses pixel centres: a box from 1.4 to 3.6 takes columns 1, 2 and 3 (centres 1.5, 2.5, 3.5)", () => {
    const m = roiMask([rect(1.4, 0, 3.6, 1)], 6, 1);
    expect(Array.from(m)).toEqual([0, 1, 1, 1, 0, 0]);
    expect(Array.from(roiMask([rect(1.6, 0, 3.4, 1)], 6, 1))).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it("adjacent shapes sharing an edge never share a pixel", () => {
    const a = roiMask([{ kind: "FREEHAND", points: [[0, 0], [5, 0], [0, 5]] }], 6, 6);
    const b = roiMask([{ kind: "FREEHAND", points: [[5, 0], [5, 5], [0, 5]] }], 6, 6);
    for (let i = 0; i < a.length; i++) expect(a[i]! + b[i]!).toBeLessThanOrEqual(1);
    expect(sum(a) + sum(b)).toBe(25);
  });

  it("even-odd: the centre of a self-crossing pentagram is a hole", () => {
    const c = 50;
    const star: Array<[number, number]> = [0, 2, 4, 1, 3].map((k) => [c + 40 * Math.sin((2 * Math.PI * k) / 5), c - 40 * Math.cos((2 * Math.PI * k) / 5)]);
    const m = roiMask([{ kind: "FREEHAND", points: star }], 100, 100);
    expect(m[c * 100 + c]).toBe(0);
    expect(m[20 * 100 + 50]).toBe(1); // inside the top point
  });

  it("clips to the image and unions several ROIs", () => {
    expect(sum(roiMask([rect(-5, -5, 2, 2)], 4, 4))).toBe(4);
    expect(sum(roiMask([rect(10, 10, 20, 20)], 4, 4))).toBe(0);
    expect(sum(roiMask([rect(0, 0, 3, 3), rect(2, 2, 4, 4)], 4, 4))).toBe(9 + 4 - 1);
    expect(sum(roiMask([], 4, 4))).toBe(0);
  });

  it("a point (a landmark) or a line (a length) covers no pixel; an unknown kind is refused", () => {
    expect(sum(roiMask([{ kind: "POINT", points: [[1.5, 1.5]] }, rect(0, 0, 1, 1)], 4, 4))).toBe(1);
    expect(sum(roiMask([{ kind: "LINE", points: [[0.5, 0.5], [3.5, 3.5]] }, rect(0, 0, 1, 1)], 4, 4))).toBe(1);
    expect(() => roiMask([{ kind: "ELLIPSE" as never, points: [[0, 0], [2, 2]] }], 4, 4)).toThrow(RangeError);
  });

  it("pixel count tracks the polygon area for random convex polygons", () => {
    const rnd = seededRandom(17);
    for (let t = 0; t < 20; t++) {
      const cx = 100 + 50 * rnd();
      const cy = 100 + 50 * rnd();
      const r = 20 + 40 * rnd();
      const k = 3 + Math.floor(rnd() * 10);
      const angles = Array.from({ length: k }, () => 2 * Math.PI * rnd()).sort((a, b) => a - b);
      const pts = angles.map((a) => [cx + r * Math.cos(a), cy + r * Math.sin(a)] as [number, number]);
      const area = shoelaceArea(pts);
      const perimeter = pts.reduce((s, p, i) => s + Math.hypot(p[0] - pts[(i + 1) % k]![0], p[1] - pts[(i + 1) % k]![1]), 0);
      // Rasterisation error is bounded by about one pixel per unit of perimeter.
      expect(Math.abs(sum(roiMask([{ kind: "FREEHAND", points: pts }], 256, 256)) - area)).toBeLessThan(perimeter);
    }
  });
});

describe("dice and iou", () => {
  it("hand-computed overlaps", () => {
    // 4x4 box and 4x4 box shifted by 2 columns: intersection 8, sizes 16 and 16.
    const o = roiOverlap([rect(0, 0, 4, 4)], [rect(2, 0, 6, 4)], 8, 8);
    expect(o).toEqual({ pixelsA: 16, pixelsB: 16, intersection: 8, dice: 0.5, iou: 1 / 3 });
    const a = roiMask([rect(0, 0, 4, 4)], 8, 8);
    expect(dice(a, a)).toBe(1);
    expect(iou(a, a)).toBe(1);
    const far = roiMask([rect(5, 5, 8, 8)], 8, 8);
    expect(dice(a, far)).toBe(0);
    expect(iou(a, far)).toBe(0);
    const empty = new Uint8Array(64);
    expect(dice(empty, empty)).toBeNull();
    expect(iou(empty, empty)).toBeNull();
    expect(dice(a, empty)).toBe(0);
    expect(() => dice(a, new Uint8Array(3))).toThrow(RangeError);
  });

  it("are symmetric and satisfy Dice = 2·IoU/(1 + IoU)", () => {
    const rnd = seededRandom(23);
    for (let t = 0; t < 30; t++) {
      const box = () => {
        const x = 64 * rnd();
        const y = 64 * rnd();
        return rect(x, y, x + 1 + 30 * rnd(), y + 1 + 30 * rnd());
      };
      const a = roiMask([box(), box()], 64, 64);
      const b = roiMask([box()], 64, 64);
      const d = dice(a, b);
      const j = iou(a, b);
      expect(dice(b, a)).toBe(d);
      expect(iou(b, a)).toBe(j);
      if (d !== null) expect(d).toBeCloseTo((2 * j!) / (1 + j!), 12);
    }
  });
});
