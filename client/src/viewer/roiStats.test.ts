import { describe, expect, it } from "vitest";
import { formatRoiStats, outlineArea, pixelAt, roiStats, type RoiPixels } from "./roiStats";

/** A 10 × 8 image whose pixel (x, y) holds 100 y + x. */
function ramp(extra: Partial<RoiPixels> = {}): RoiPixels {
  const columns = 10;
  const rows = 8;
  return { columns, rows, values: Array.from({ length: columns * rows }, (_, i) => 100 * Math.floor(i / columns) + (i % columns)), preScaled: true, spacing: null, unit: "", ...extra };
}

describe("ROI statistics", () => {
  it("a rectangle covers the pixels whose centres it holds, in pixels² without a spacing", () => {
    // Columns 2..4 and rows 1..2: six pixels, values 102..104 and 202..204.
    const s = roiStats({ kind: "RECTANGLE", points: [[2, 1], [5, 3]] }, ramp())!;
    expect(s).toMatchObject({ area: 6, areaUnit: "px²", pixels: 6, min: 102, max: 204, unit: "" });
    expect(s.mean).toBeCloseTo(153, 10);
    const values = [102, 103, 104, 202, 203, 204];
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - 153) ** 2, 0) / 5);
    expect(s.sd).toBeCloseTo(sd, 10);
  });

  it("gives the area in mm² by the spacing, and rescales stored values to the modality's", () => {
    const s = roiStats({ kind: "RECTANGLE", points: [[5, 3], [2, 1]] }, ramp({ spacing: [0.5, 2], slope: 2, intercept: -1000, preScaled: false, unit: "HU" }))!;
    expect(s).toMatchObject({ area: 6, areaUnit: "mm²", pixels: 6, min: 2 * 102 - 1000, max: 2 * 204 - 1000, unit: "HU" });
    expect(s.mean).toBeCloseTo(2 * 153 - 1000, 10);
    // Already rescaled by the loader: taken as they are.
    expect(roiStats({ kind: "RECTANGLE", points: [[2, 1], [5, 3]] }, ramp({ slope: 2, intercept: -1000, preScaled: true }))!.min).toBe(102);
  });

  it("fills a freehand outline, its area the outline's own", () => {
    // A triangle over columns 0..6, rows 0..6: the centres under its hypotenuse.
    const triangle = { kind: "FREEHAND" as const, points: [[0, 0], [6, 0], [0, 6]] as [number, number][] };
    const s = roiStats(triangle, ramp())!;
    expect(s.area).toBe(18);
    expect(outlineArea(triangle.points)).toBe(18);
    // Centre (x + 0.5, y + 0.5) is inside when x + y + 1 <= 6 (a centre on the outline counts):
    // 6 + 5 + 4 + 3 + 2 + 1 pixels.
    expect(s.pixels).toBe(21);
    expect(s.max).toBe(500); // (0, 5)
  });

  it("clips to the image, and gives a colour image's area only", () => {
    const s = roiStats({ kind: "RECTANGLE", points: [[8, 6], [14, 12]] }, ramp())!;
    expect(s.pixels).toBe(4);
    expect(s.area).toBe(36);
    expect(s.max).toBe(709);
    const colour = roiStats({ kind: "RECTANGLE", points: [[2, 1], [5, 3]] }, ramp({ values: null }))!;
    expect(colour).toMatchObject({ pixels: 6, mean: null, sd: null });
    expect(formatRoiStats(colour)).toBe("6 px² · 6 px");
  });

  it("a point reads the pixel it lies in and its modality value; off the image, nothing", () => {
    const hu = ramp({ slope: 2, intercept: -1000, preScaled: false, unit: "HU" });
    const s = roiStats({ kind: "POINT", points: [[3.7, 2.2]] }, hu)!;
    expect(s).toMatchObject({ at: [3, 2], pixels: 1, area: 0, mean: 2 * 203 - 1000, sd: null, unit: "HU" });
    expect(formatRoiStats(s)).toBe("pixel (3, 2) · -594 HU");
    // Pixel i spans [i, i + 1): the far edges belong to the last column and row.
    expect(roiStats({ kind: "POINT", points: [[10, 8]] }, ramp())!.at).toEqual([9, 7]);
    expect(roiStats({ kind: "POINT", points: [[0, 0]] }, ramp())!.mean).toBe(0);
    expect(roiStats({ kind: "POINT", points: [[10.5, 2]] }, ramp())).toBeNull();
    expect(roiStats({ kind: "POINT", points: [[-0.1, 2]] }, ramp())).toBeNull();
    // A colour image: the pixel, no value.
    expect(formatRoiStats(roiStats({ kind: "POINT", points: [[1, 1]] }, ramp({ values: null }))!)).toBe("pixel (1, 1)");
  });

  it("a line reads its length: in mm by the spacing, rows and columns each by their own, else in pixels", () => {
    // 3 columns across, 4 rows down.
    expect(roiStats({ kind: "LINE", points: [[1, 1], [4, 5]] }, ramp())).toMatchObject({ length: 5, lengthUnit: "px", pixels: 0, mean: null });
    // 0.5 mm between columns, 2 mm between rows: 1.5 mm across, 8 mm down.
    const s = roiStats({ kind: "LINE", points: [[4, 5], [1, 1]] }, ramp({ spacing: [0.5, 2] }))!;
    expect(s.length).toBeCloseTo(Math.hypot(1.5, 8), 12);
    expect(formatRoiStats(s)).toBe("length 8.1 mm");
    expect(formatRoiStats(roiStats({ kind: "LINE", points: [[0, 0], [0, 3]] }, ramp({ spacing: [0.7, 0.7] }))!)).toBe("length 2.1 mm");
    expect(formatRoiStats(roiStats({ kind: "LINE", points: [[0, 0], [3, 4]] }, ramp())!)).toBe("length 5 px");
    expect(roiStats({ kind: "LINE", points: [[0, 0]] }, ramp())).toBeNull();
  });

  it("pixelAt: the pixel a point lies in, the far edges the last column and row, nothing off the image", () => {
    expect(pixelAt([3.7, 2.2], ramp({ slope: 2, intercept: -1000, preScaled: false }))).toEqual({ column: 3, row: 2, value: 2 * 203 - 1000 });
    expect(pixelAt([10, 8], ramp())).toEqual({ column: 9, row: 7, value: 709 });
    expect(pixelAt([1, 1], ramp({ values: null }))).toEqual({ column: 1, row: 1, value: null });
    for (const off of [[-0.1, 2], [10.1, 2], [2, 8.1], [Number.NaN, 1]] as Array<[number, number]>) expect(pixelAt(off, ramp()), String(off)).toBeNull();
  });

  it("reads as a radiologist writes it", () => {
    const s = roiStats({ kind: "RECTANGLE", points: [[2, 1], [5, 3]] }, ramp({ spacing: [0.7, 0.7], unit: "HU" }))!;
    expect(formatRoiStats(s)).toBe("2.94 mm² · 6 px · mean 153 HU (SD 54.8, 102 to 204)");
  });
});
