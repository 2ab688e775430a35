import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NIFTI_DATATYPE, niftiFile, nrrdFile, type NiftiOptions, type NrrdOptions } from "../../../testing/volumes.js";
import { readNifti } from "../../images/convert/nifti.js";
import { readNrrd } from "../../images/convert/nrrd.js";
import { volumeToDicom, type Vec3, type Volume } from "../../images/convert/volume.js";
import { placeLabelVolume } from "../sr-import.service.js";
import type { ImageCase, ImagePlanes } from "../sr-import.repository.js";
import { readLabelVolume, slicerSegmentNames, type LabelVolume, type LabelVolumeRoi } from "./label-volume.js";
import { fillPolygon } from "./raster.js";
import { SrImportError } from "./sr-import.js";
import type { Point } from "./types.js";

const COLUMNS = 9;
const ROWS = 7;
const SLICES = 4;

/** A label map of whole values 0..3 in ellipsoid blobs, plus a few single voxels (corners, specks, holes). Data order: x fastest. */
function blobs(seed: number, columns = COLUMNS, rows = ROWS, slices = SLICES): number[] {
  const rnd = seededRandom(seed);
  const values = new Array<number>(columns * rows * slices).fill(0);
  for (let k = 0; k < 9; k++) {
    const label = 1 + (k % 3);
    const [cx, cy, cz] = [rnd() * columns, rnd() * rows, rnd() * slices];
    const [rx, ry, rz] = [1 + rnd() * 3, 1 + rnd() * 2.5, 0.8 + rnd() * 2];
    for (let z = 0; z < slices; z++)
      for (let y = 0; y < rows; y++)
        for (let x = 0; x < columns; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + ((z - cz) / rz) ** 2 <= 1) values[(z * rows + y) * columns + x] = label;
  }
  for (let k = 0; k < 8; k++) values[Math.floor(rnd() * values.length)] = Math.floor(rnd() * 4);
  return values;
}

interface Slices {
  rows: number;
  columns: number;
  /** Each slice's values, row-major, in the order the slices are numbered (from 1). */
  slices: number[][];
}

/** What the volume converter makes of the volume: its turned slices' values (stored + intercept). */
function converted(volume: Volume, name: string): Slices {
  const { dict } = volumeToDicom(volume, name);
  const one = (tag: string) => dict[tag]?.Value?.[0];
  const rows = Number(one("00280010"));
  const columns = Number(one("00280011"));
  const frames = Number(one("00280008"));
  const intercept = Number(one("00281052") ?? 0);
  expect(Number(one("00281053") ?? 1)).toBe(1);
  const buffer = one("7FE00010") as ArrayBuffer;
  const plane = rows * columns;
  const stored = Number(one("00280100")) === 16 ? new Uint16Array(buffer, 0, plane * frames) : new Uint8Array(buffer, 0, plane * frames);
  return { rows, columns, slices: Array.from({ length: frames }, (_, f) => Array.from(stored.subarray(f * plane, (f + 1) * plane), (v) => v + intercept)) };
}

/** A volume's slices as they are in the file (data order), turned by hand: out(x, y) = in(source(x, y)). */
function turnedByHand(values: number[], outColumns: number, outRows: number, source: (x: number, y: number) => [number, number]): Slices {
  const slices: number[][] = [];
  for (let s = 0; s < SLICES; s++) {
    const slice: number[] = [];
    for (let y = 0; y < outRows; y++)
      for (let x = 0; x < outColumns; x++) {
        const [c, r] = source(x, y);
        slice.push(values[(s * ROWS + r) * COLUMNS + c]!);
      }
    slices.push(slice);
  }
  return { rows: outRows, columns: outColumns, slices };
}

const fill = (roi: LabelVolumeRoi, rows: number, columns: number) => {
  const mask = new Uint8Array(rows * columns);
  fillPolygon(mask, rows, columns, roi.points);
  return mask;
};

/**
 * Every slice and label value: the ROIs of that slice and class fill exactly that value's pixels,
 * each pixel once (summed, not only OR-ed: no two outlines cover a pixel), and no ROI is left over.
 */
function expectExact(lv: LabelVolume, expected: Slices, nameOf: (v: number) => string = String) {
  expect({ rows: lv.rows, columns: lv.columns, slices: lv.slices }).toEqual({ rows: expected.rows, columns: expected.columns, slices: expected.slices.length });
  const plane = expected.rows * expected.columns;
  const labels = [...new Set(expected.slices.flat().filter((v) => v > 0))].sort((a, b) => a - b);
  let used = 0;
  expected.slices.forEach((slice, s) => {
    for (const v of labels) {
      const count = new Array<number>(plane).fill(0);
      for (const roi of lv.rois.filter((r) => r.slice === s + 1 && r.className === nameOf(v))) {
        used++;
        const mask = fill(roi, lv.rows, lv.columns);
        expect(mask.some((b) => b === 1), `an ROI of slice ${s + 1}, label ${v} fills nothing`).toBe(true);
        mask.forEach((b, i) => (count[i]! += b));
      }
      expect(count, `slice ${s + 1}, label ${v}`).toEqual(slice.map((x) => (x === v ? 1 : 0)));
    }
  });
  expect(used, "ROIs of no slice or of no label value in the volume").toBe(lv.rois.length);
}

const nifti = (values: number[], more: Partial<NiftiOptions> = {}) => niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [COLUMNS, ROWS, SLICES], values, ...more });
const nrrd = (values: number[], more: Partial<NrrdOptions> = {}) => nrrdFile({ type: "uchar", sizes: [COLUMNS, ROWS, SLICES], values, ...more });

const refusal = (f: () => unknown): SrImportError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SrImportError);
    return err as SrImportError;
  }
  throw new Error("not refused");
};

const SEEDS = [1, 7, 42, 2024];
const deg = Math.PI / 180;

/** NIfTI placements: flipped, oblique, rotated by quaternion with qfac -1, head-foot across. */
const NIFTI_PLACEMENTS: Array<[string, Partial<NiftiOptions>]> = [
  ["identity qform (RAS: both in-plane axes flipped)", { qformCode: 1 }],
  [
    "oblique axial sform, rotated 25° with 0.8 mm pixels",
    { sformCode: 2, srow: [[0.8 * Math.cos(25 * deg), -0.8 * Math.sin(25 * deg), 0, 12], [0.8 * Math.sin(25 * deg), 0.8 * Math.cos(25 * deg), 0, -7], [0, 0, 3, 40]] },
  ],
  ["columns flipped to the left, rows to the front (sform)", { sformCode: 1, srow: [[1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0]] }],
  ["qform rotated 30° about x, qfac -1", { qformCode: 1, quatern: [Math.sin(15 * deg), 0, 0], qfac: -1, pixdim: [0.7, 0.9, 2.5], qoffset: [-3, 4, 5] }],
  ["sagittal, head-foot across (transposed)", { sformCode: 1, srow: [[0, 0, 2, 5], [0, 1, 0, -3], [1, 0, 0, 8]] }],
  ["coronal stored feet-first rows, oblique", { sformCode: 1, srow: [[Math.cos(10 * deg), 0, Math.sin(10 * deg), 0], [0, 0, 1.5, 0], [-Math.sin(10 * deg), 1, 0, 0]] }],
];

const NRRD_PLACEMENTS: Array<[string, Partial<NrrdOptions>]> = [
  ["LPS, oblique axial", { space: "left-posterior-superior", spaceDirections: [[0.9, 0.2, 0], [-0.2, 0.9, 0], [0, 0, 2]], spaceOrigin: [10, -20, 30] }],
  ["RAS, head-foot across", { space: "right-anterior-superior", spaceDirections: [[0, 0, -1.5], [0.9, 0.2, 0], [0.2, -0.9, 0.1]], spaceOrigin: [1, 2, 3] }],
  ["LPS, coronal flipped", { space: "LPS", spaceDirections: [[-1, 0, 0], [0, 0, 1], [0, 2, 0]], spaceOrigin: [0, 0, 0] }],
];

describe("readLabelVolume: the ROIs fill back the converter's slices exactly", () => {
  it("identity qform: both in-plane axes flipped, checked without the converter", () => {
    for (const seed of SEEDS) {
      const values = blobs(seed);
      expect(new Set(values)).toEqual(new Set([0, 1, 2, 3]));
      const lv = readLabelVolume(nifti(values, { qformCode: 1 }), "pred.nii");
      // RAS i and j are LPS -x and -y: shown with columns and rows reversed.
      expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]));
      expect(lv.warnings).toEqual([]);
    }
  });

  it("no placement at all: slices as stored, checked without the converter", () => {
    for (const seed of SEEDS) {
      const values = blobs(seed);
      expectExact(readLabelVolume(nifti(values), "pred.nii"), turnedByHand(values, COLUMNS, ROWS, (x, y) => [x, y]));
    }
  });

  it("head-foot across (sagittal sform): transposed and both flipped, checked without the converter", () => {
    const values = blobs(5);
    // i along RAS +S, j along +A, k along +R: out(x, y) = in(column 8 - y, row 6 - x), 7 columns by 9 rows.
    const lv = readLabelVolume(nifti(values, { sformCode: 1, srow: [[0, 0, 2, 5], [0, 1, 0, -3], [1, 0, 0, 8]] }), "pred.nii");
    expectExact(lv, turnedByHand(values, ROWS, COLUMNS, (x, y) => [COLUMNS - 1 - y, ROWS - 1 - x]));
  });

  for (const [what, more] of NIFTI_PLACEMENTS) {
    it(`NIfTI, ${what}`, () => {
      for (const seed of SEEDS) {
        const values = blobs(seed);
        const file = nifti(values, more);
        const lv = readLabelVolume(file, "seg.nii");
        expectExact(lv, converted(readNifti(file, "seg.nii"), "seg.nii"));
        expect(lv.placement).not.toBeNull();
      }
    });
  }

  for (const [what, more] of NRRD_PLACEMENTS) {
    it(`NRRD, ${what}`, () => {
      for (const seed of SEEDS) {
        const values = blobs(seed);
        const file = nrrd(values, more);
        const lv = readLabelVolume(file, "seg.nrrd");
        expectExact(lv, converted(readNrrd(file, "seg.nrrd"), "seg.nrrd"));
        expect(lv.placement).not.toBeNull();
      }
    });
  }

  it("the converter-based expectation agrees with the hand-turned one (so the converter checks above mean something)", () => {
    const values = blobs(3);
    expect(converted(readNifti(nifti(values, { qformCode: 1 }), "a.nii"), "a.nii")).toEqual(turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]));
  });

  it("16-bit labels (uint16 above 255, int16 with a shift) are kept exactly", () => {
    const values = blobs(11).map((v) => [0, 300, 1000, 65000][v]!);
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.uint16, dims: [COLUMNS, ROWS, SLICES], values, qformCode: 1 }), "big.nii");
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]));
    expect(new Set(lv.rois.map((r) => r.className))).toEqual(new Set(["300", "1000", "65000"]));

    // int16 with NIfTI scaling slope 1 and a whole intercept: the meant values are the labels.
    const stored = blobs(12).map((v) => v - 4);
    const lv2 = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [COLUMNS, ROWS, SLICES], values: stored, sclSlope: 1, sclInter: 4 }), "shift.nii");
    expectExact(lv2, turnedByHand(blobs(12), COLUMNS, ROWS, (x, y) => [x, y]));
  });

  it("reads a mask stored with an axis reversed (data and affine both) as the same ROIs in the same planes", () => {
    for (const seed of SEEDS) {
      const values = blobs(seed);
      const reversed = values.map((_, i) => {
        const x = i % COLUMNS;
        return values[i - x + (COLUMNS - 1 - x)]!;
      });
      const a = readLabelVolume(nifti(values, { sformCode: 1, srow: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]] }), "m.nii");
      // Column 0 of the reversed file is column 8 of the other: x runs the other way from RAS x = 8.
      const b = readLabelVolume(nifti(reversed, { sformCode: 1, srow: [[-1, 0, 0, COLUMNS - 1], [0, 1, 0, 0], [0, 0, 2, 0]] }), "m.nii");
      expect(b).toEqual(a);
      expect(a.rois.length).toBeGreaterThan(0);
    }
  });

  it("a 4-D volume of one time point reads as 3-D", () => {
    const values = blobs(9);
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [COLUMNS, ROWS, SLICES, 1], values, qformCode: 1 }), "t1.nii");
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]));
  });
});

describe("readLabelVolume: gzip", () => {
  it("reads a .nii.gz as the plain .nii", () => {
    for (const seed of SEEDS) {
      const file = nifti(blobs(seed), { qformCode: 1, pixdim: [0.5, 0.5, 3] });
      const plain = readLabelVolume(file, "seg.nii");
      const packed = readLabelVolume(gzipSync(file), "seg.nii");
      expect(packed).toEqual(plain);
      expect(plain.rois.length).toBeGreaterThan(0);
    }
  });

  it("reads a gzip-wrapped NRRD and gzip-encoded NRRD data as raw", () => {
    const values = blobs(8);
    const more: Partial<NrrdOptions> = { space: "LPS", spaceDirections: [[1, 0, 0], [0, 1, 0], [0, 0, 2]], spaceOrigin: [1, 2, 3] };
    const raw = readLabelVolume(nrrd(values, more), "seg.nrrd");
    expect(readLabelVolume(gzipSync(nrrd(values, more)), "seg.nrrd")).toEqual(raw);
    expect(readLabelVolume(nrrd(values, { ...more, encoding: "gzip" }), "seg.nrrd")).toEqual(raw);
  });
});

describe("readLabelVolume: names", () => {
  it("names a mask of only 0 and 1 after its file", () => {
    const values = blobs(2).map((v) => (v ? 1 : 0));
    const lv = readLabelVolume(gzipSync(nifti(values, { qformCode: 1 })), "liver.nii.gz");
    expect(lv.rois.length).toBeGreaterThan(0);
    for (const r of lv.rois) {
      expect(r.className).toBe("liver");
      expect(r.classAliases).toEqual(expect.arrayContaining(["1", "label 1"]));
    }
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]), () => "liver");
    // Folders and .seg are no part of the name.
    expect(new Set(readLabelVolume(nrrd(values), "masks/spleen.seg.nrrd").rois.map((r) => r.className))).toEqual(new Set(["spleen"]));
  });

  it("names a mask of one other label value after its file too (ITK's 0 and 257), with the value as alias", () => {
    const values = blobs(2).map((v) => (v ? 257 : 0));
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.uint16, dims: [COLUMNS, ROWS, SLICES], values, qformCode: 1 }), "dir/kidney_left.nii.gz");
    expect(lv.rois.length).toBeGreaterThan(0);
    for (const r of lv.rois) {
      expect(r.className).toBe("kidney_left");
      expect(r.classAliases).toEqual(expect.arrayContaining(["257", "label 257"]));
    }
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]), () => "kidney_left");
  });

  it("names the values of a multi-label map by the value, also matched as 'label n'", () => {
    const lv = readLabelVolume(nifti(blobs(3)), "multi.nii");
    const byValue = new Map(lv.rois.map((r) => [r.className, r.classAliases]));
    expect([...byValue.keys()].sort()).toEqual(["1", "2", "3"]);
    expect(byValue.get("2")).toEqual(expect.arrayContaining(["label 2"]));
    expect(byValue.get("1")).toEqual(expect.arrayContaining(["label 1"]));
    // Two values are already a multi-label map.
    const two = readLabelVolume(nifti(blobs(3).map((v) => Math.min(v, 2))), "liver.nii");
    expect(new Set(two.rois.map((r) => r.className))).toEqual(new Set(["1", "2"]));
  });

  it("names a .seg.nrrd's values by its Slicer segments", () => {
    const values = blobs(4).map((v) => Math.min(v, 2));
    const keyValues = { Segment0_Name: "Liver", Segment0_LabelValue: "1", Segment0_Layer: "0", Segment1_Name: "Tumour", Segment1_LabelValue: "2", Segment1_Layer: "0" };
    const lv = readLabelVolume(nrrd(values, { keyValues, space: "LPS", spaceDirections: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }), "case.seg.nrrd");
    expect(new Set(lv.rois.map((r) => r.className))).toEqual(new Set(["Liver", "Tumour"]));
    for (const r of lv.rois) expect(r.classAliases).toEqual(expect.arrayContaining(r.className === "Liver" ? ["1", "label 1"] : ["2", "label 2"]));
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [x, y]), (v) => (v === 1 ? "Liver" : "Tumour"));

    // A segment name wins over the file's name for a 0/1 mask too.
    const binary = readLabelVolume(nrrd(values.map((v) => (v ? 1 : 0)), { keyValues }), "case.seg.nrrd");
    expect(new Set(binary.rois.map((r) => r.className))).toEqual(new Set(["Liver"]));
  });

  it("names a value no segment names by the value", () => {
    const values = blobs(4);
    const lv = readLabelVolume(nrrd(values, { keyValues: { Segment0_Name: "Liver", Segment0_LabelValue: "1" } }), "case.seg.nrrd");
    expect(new Set(lv.rois.map((r) => r.className))).toEqual(new Set(["Liver", "2", "3"]));
  });
});

describe("slicerSegmentNames", () => {
  it("reads SegmentN_Name for SegmentN_LabelValue", () => {
    const lines = ["NRRD0004", "type: unsigned char", "Segment0_Name:=Liver", "Segment0_LabelValue:=1", "Segment1_Name:=Tumour", "Segment1_LabelValue:=2", "Segment0_Color:=0.1 0.2 0.3"];
    expect(slicerSegmentNames(lines)).toEqual(new Map([[1, "Liver"], [2, "Tumour"]]));
  });

  it("takes index + 1 where a segment has no LabelValue", () => {
    expect(slicerSegmentNames(["Segment0_Name:=A", "Segment2_Name:=C", "Segment1_Name:=B", "Segment1_LabelValue:=7"])).toEqual(new Map([[1, "A"], [3, "C"], [7, "B"]]));
  });

  it("ignores segments of other layers", () => {
    expect(slicerSegmentNames(["Segment0_Name:=A", "Segment0_Layer:=0", "Segment0_LabelValue:=1", "Segment1_Name:=B", "Segment1_Layer:=1", "Segment1_LabelValue:=2"])).toEqual(new Map([[1, "A"]]));
  });

  it("keeps the first name for a value", () => {
    expect(slicerSegmentNames(["Segment0_Name:=First", "Segment0_LabelValue:=1", "Segment1_Name:=Second", "Segment1_LabelValue:=1"])).toEqual(new Map([[1, "First"]]));
  });

  it("skips empty names, values that are not positive whole numbers, and other lines; trims and caps names", () => {
    const long = "x".repeat(100);
    const lines = [
      "Segment0_Name:=",
      "Segment1_Name:=Zero",
      "Segment1_LabelValue:=0",
      "Segment2_Name:=Half",
      "Segment2_LabelValue:=1.5",
      "Segment3_Name:=  Spaced  ",
      "Segment3_LabelValue:=4",
      `Segment4_Name:=${long}`,
      "Segment4_LabelValue:=5",
      "# Segment5_Name:=Comment",
      "space: left-posterior-superior",
    ];
    expect(slicerSegmentNames(lines)).toEqual(new Map([[4, "Spaced"], [5, "x".repeat(64)]]));
    expect(slicerSegmentNames([])).toEqual(new Map());
  });
});

describe("readLabelVolume: placement", () => {
  it("gives the converter's orientation and one position per slice, a slice step apart", () => {
    const lv = readLabelVolume(nifti(blobs(1), { qformCode: 1, pixdim: [1, 1, 2.5], qoffset: [10, 20, 30] }), "p.nii");
    expect(lv.placement).not.toBeNull();
    const { orientation, positions } = lv.placement!;
    expect(orientation).toHaveLength(6);
    // RAS identity in LPS, both axes flipped for display: rows run left, columns back.
    orientation.forEach((x, i) => expect(x).toBeCloseTo([1, 0, 0, 0, 1, 0][i]!, 9));
    expect(positions).toHaveLength(SLICES);
    // The first pixel shown is the last column and row of the file: RAS (10 + 8, 20 + 6, 30) is LPS (-18, -26, 30).
    positions.forEach((p, s) => p.forEach((x, k) => expect(x).toBeCloseTo([-18, -26, 30 + 2.5 * s][k]!, 6)));
  });

  it("steps oblique slices along the slice axis, at right angles to the plane", () => {
    const lv = readLabelVolume(nifti(blobs(1), { qformCode: 1, quatern: [Math.sin(15 * deg), 0, 0], qfac: -1, pixdim: [0.7, 0.9, 2.5], qoffset: [-3, 4, 5] }), "p.nii");
    const { orientation, positions } = lv.placement!;
    expect(orientation).toHaveLength(6);
    const across = orientation.slice(0, 3);
    const down = orientation.slice(3);
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(across, across)).toBeCloseTo(1, 5);
    expect(dot(down, down)).toBeCloseTo(1, 5);
    expect(dot(across, down)).toBeCloseTo(0, 5);
    expect(positions).toHaveLength(SLICES);
    for (let s = 1; s < SLICES; s++) {
      const step = positions[s]!.map((x, k) => x - positions[s - 1]![k]!);
      expect(Math.hypot(...step)).toBeCloseTo(2.5, 4);
      expect(dot(step, across)).toBeCloseTo(0, 4);
      expect(dot(step, down)).toBeCloseTo(0, 4);
      // The same step every time.
      if (s > 1) step.forEach((x, k) => expect(x).toBeCloseTo(positions[1]![k]! - positions[0]![k]!, 4));
    }
  });

  it("is null when the file places the volume nowhere", () => {
    const lv = readLabelVolume(nifti(blobs(1), { qformCode: 0, sformCode: 0, pixdim: [1, 1, 3] }), "p.nii");
    expect(lv.placement).toBeNull();
    expect(lv.slices).toBe(SLICES);
    expect(readLabelVolume(nrrd(blobs(1), { spacings: [1, 1, 2] }), "p.nrrd").placement).toBeNull();
  });

  it("places an NRRD by its space directions and origin", () => {
    const lv = readLabelVolume(nrrd(blobs(1), { space: "LPS", spaceDirections: [[1, 0, 0], [0, 1, 0], [0, 0, 2]], spaceOrigin: [5, 6, 7] }), "p.nrrd");
    expect(lv.placement!.orientation).toEqual([1, 0, 0, 0, 1, 0]);
    expect(lv.placement!.positions).toEqual([0, 1, 2, 3].map((s) => [5, 6, 7 + 2 * s]));
  });
});

describe("readLabelVolume: refusals", () => {
  const float = (values: number[]) => niftiFile({ datatype: NIFTI_DATATYPE.float32, dims: [COLUMNS, ROWS, SLICES], values, qformCode: 1 });

  it("refuses values that are not whole numbers", () => {
    const values = blobs(6).map((v, i) => (i === 10 ? 0.5 : v));
    const err = refusal(() => readLabelVolume(float(values), "prob.nii"));
    expect(err.message).toMatch(/^prob\.nii: /);
    expect(err.message).toContain("not all whole numbers");
  });

  it("refuses a uint8 map scaled by a slope", () => {
    const err = refusal(() => readLabelVolume(nifti(blobs(6), { sclSlope: 0.5 }), "scaled.nii"));
    expect(err.message).toMatch(/^scaled\.nii: .*not all whole numbers/);
  });

  // BUG: the converter never keeps float samples exactly (mappingOf treats float32/float64 as not
  // integral), so whole-number floats are scaled to 16 bits with Rescale Slope (max - min) / 65535,
  // and readLabelVolume refuses them as "not all whole numbers". MONAI and many nnU-Net pipelines
  // write float32 label maps.
  it("accepts float32 whole numbers", () => {
    const values = blobs(6);
    const lv = readLabelVolume(float(values), "float.nii");
    expectExact(lv, turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]));
    // The commonest case: a 0/1 float mask.
    const mask = values.map((v) => (v ? 1 : 0));
    expectExact(readLabelVolume(float(mask), "liver.nii"), turnedByHand(mask, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]), () => "liver");
  });

  // BUG (same cause): whole-number values stored with a whole NIfTI scl_slope other than 1 are
  // kept by the converter as Rescale Slope 2, and refused as "not all whole numbers".
  it("accepts whole numbers scaled by a whole slope", () => {
    const stored = blobs(6);
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [COLUMNS, ROWS, SLICES], values: stored, sclSlope: 2 }), "doubled.nii");
    expectExact(lv, turnedByHand(stored.map((v) => v * 2), COLUMNS, ROWS, (x, y) => [x, y]));
  });

  it("accepts an all-zero float32 volume (no scaling needed)", () => {
    const lv = readLabelVolume(float(new Array<number>(COLUMNS * ROWS * SLICES).fill(0)), "empty.nii");
    expect(lv.rois).toEqual([]);
    expect(lv.warnings).toContain("no voxel of it holds a label");
  });

  it("refuses a 4-D volume of two time points", () => {
    const file = niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [COLUMNS, ROWS, SLICES, 2], values: [...blobs(1), ...blobs(2)], qformCode: 1 });
    const err = refusal(() => readLabelVolume(file, "4d.nii"));
    expect(err.message).toMatch(/^4d\.nii: it has 4 dimensions \(9 × 7 × 4 × 2\)/);
  });

  it("refuses a colour volume", () => {
    const file = niftiFile({ datatype: NIFTI_DATATYPE.rgb24, dims: [COLUMNS, ROWS, SLICES], qformCode: 1 });
    expect(refusal(() => readLabelVolume(file, "rgb.nii")).message).toBe("rgb.nii: a colour volume is no label map");
  });

  it("refuses bytes that are neither NIfTI nor NRRD", () => {
    expect(refusal(() => readLabelVolume(new TextEncoder().encode("just some text, not a volume at all............"), "x.nii")).message).toBe("x.nii: not a NIfTI or NRRD label volume");
    expect(refusal(() => readLabelVolume(new Uint8Array(0), "x.nrrd")).message).toBe("x.nrrd: not a NIfTI or NRRD label volume");
    // gzip of something else
    expect(refusal(() => readLabelVolume(gzipSync(Buffer.from("hello")), "x.nii.gz")).message).toBe("x.nii.gz: not a NIfTI or NRRD label volume");
  });

  it("refuses a damaged gzip", () => {
    const gz = gzipSync(nifti(blobs(1)));
    const truncated = gz.subarray(0, gz.length - 30);
    expect(refusal(() => readLabelVolume(truncated, "seg.nii.gz")).message).toMatch(/^seg\.nii\.gz: its gzip cannot be unpacked \(/);
    const garbled = new Uint8Array(gz);
    for (let i = 12; i < garbled.length - 8; i += 3) garbled[i] ^= 0x5a;
    expect(refusal(() => readLabelVolume(garbled, "seg.nii.gz")).message).toMatch(/^seg\.nii\.gz: its gzip cannot be unpacked \(/);
  });

  it("turns the readers' refusals into its own, the file named once", () => {
    const file = nifti(blobs(1));
    const err = refusal(() => readLabelVolume(file.subarray(0, file.length - 10), "cut.nii"));
    expect(err.message).toMatch(/^cut\.nii: truncated/);
    expect(err.message).not.toContain("cut.nii: cut.nii");
    const nrrdErr = refusal(() => readLabelVolume(nrrdFile({ type: "uchar", sizes: [COLUMNS, ROWS, SLICES], values: blobs(1), omit: ["encoding"] }), "bad.nrrd"));
    expect(nrrdErr.message).toMatch(/^bad\.nrrd: the NRRD header has no "encoding" field/);
  });
});

describe("readLabelVolume: what it leaves out", () => {
  it("leaves negative labels out of an int16 map, naming them", () => {
    const source = blobs(13);
    const values = source.map((v) => [0, 1, 2, -3][v]!);
    values[0] = -1;
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [COLUMNS, ROWS, SLICES], values, qformCode: 1 }), "neg.nii");
    expect(lv.warnings.some((w) => w.includes("negative label values (-3, -1)"))).toBe(true);
    expect(new Set(lv.rois.map((r) => r.className))).toEqual(new Set(["1", "2"]));
    const expected = turnedByHand(values, COLUMNS, ROWS, (x, y) => [COLUMNS - 1 - x, ROWS - 1 - y]);
    expectExact(lv, { ...expected, slices: expected.slices.map((s) => s.map((v) => Math.max(v, 0))) });
  });

  it("lists at most five negative values", () => {
    const values = new Array<number>(COLUMNS * ROWS * SLICES).fill(0);
    [-1, -2, -3, -4, -5, -6, -7].forEach((v, i) => (values[i * 5] = v));
    values[100] = 4;
    const lv = readLabelVolume(niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [COLUMNS, ROWS, SLICES], values }), "neg.nii");
    expect(lv.warnings).toContain("negative label values (-7, -6, -5, -4, -3…) are left out");
    // The negatives left out, one label remains: the mask is named after its file.
    expect(lv.rois.map((r) => [r.className, r.classAliases])).toEqual([["neg", ["4", "label 4"]]]);
  });

  it("warns of an all-zero volume and reads no ROI", () => {
    const lv = readLabelVolume(nifti(new Array<number>(COLUMNS * ROWS * SLICES).fill(0), { qformCode: 1 }), "zero.nii");
    expect(lv.rois).toEqual([]);
    expect(lv.warnings).toEqual(["no voxel of it holds a label"]);
    expect(lv.placement).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe("placeLabelVolume", () => {
  const AXIAL = [1, 0, 0, 0, 1, 0];
  const square: Point[] = [
    [1, 1],
    [3, 1],
    [3, 3],
    [1, 3],
  ];
  const positionsAt = (zs: number[]): Vec3[] => zs.map((z) => [-10, 20.5, z]);
  const roi = (slice: number, className = "liver"): LabelVolumeRoi => ({ className, classAliases: ["1", "label 1"], points: square, slice });
  const volume = (more: Partial<LabelVolume> = {}): LabelVolume => ({
    rows: 4,
    columns: 5,
    slices: 3,
    placement: { orientation: AXIAL, positions: positionsAt([0, 2, 4]) },
    rois: [roi(1), roi(2), roi(3), roi(2, "tumour")],
    warnings: ["from the volume"],
    ...more,
  });
  const imageCase = (uid: string, frames: number): ImageCase => ({ sopInstanceUid: uid, caseId: `case-${uid}`, caseKey: `key-${uid}`, rows: 4, columns: 5, frames });
  const multiFrame = (uid: string, planes: ImagePlanes["planes"]): ImagePlanes => ({ image: imageCase(uid, planes.length), multiFrame: planes.length > 1, planes });
  const plane = (position: Vec3, orientation = AXIAL) => ({ orientation, position });
  const singleFrames = (positions: Vec3[], orientation = AXIAL) => positions.map((p, i) => multiFrame(`1.2.3.${i + 1}`, [plane(p, orientation)]));

  const refused = (result: ReturnType<typeof placeLabelVolume>) => {
    if (result.ok) throw new Error("placed, not refused");
    return result;
  };

  it("where several images lie in a slice's plane, the one holding the most slices takes them", () => {
    // A single-frame image in slice 1's plane comes first; the volume lies in all three of the second's frames.
    const partial = multiFrame("1.9", [plane(positionsAt([0])[0]!)]);
    const whole = multiFrame("1.2.840.2", positionsAt([0, 2, 4]).map((p) => plane(p)));
    const report = placed(placeLabelVolume(volume(), [partial, whole]));
    expect(new Set(report.rois.map((r) => r.sopInstanceUid))).toEqual(new Set(["1.2.840.2"]));
  });

  it("places slices on the frames of a multi-frame image in their planes, whatever the frame order", () => {
    // The image's frames run the other way: slice 1 (z 0) is its frame 3.
    const decoy = multiFrame("9.9", positionsAt([10, 12, 14]).map((p) => plane(p)));
    const image = multiFrame("1.2.840.1", positionsAt([4, 2, 0]).map((p) => plane(p)));
    const report = placed(placeLabelVolume(volume(), [decoy, image]));
    expect(report.rois.map((r) => [r.sopInstanceUid, r.frame, r.className])).toEqual([
      ["1.2.840.1", 3, "liver"],
      ["1.2.840.1", 2, "liver"],
      ["1.2.840.1", 1, "liver"],
      ["1.2.840.1", 2, "tumour"],
    ]);
    expect(report.rois[0]).toMatchObject({ kind: "freehand", points: square, classAliases: ["1", "label 1"], id: null, trackingUid: null });
    expect(report.images).toEqual([{ sopInstanceUid: "1.2.840.1", sopClassUid: "" }]);
    expect(report.grid).toEqual({ rows: 4, columns: 5 });
    expect(report.warnings).toEqual(["from the volume"]);
  });

  it("places slices on single-frame images, one a slice, with no frame number", () => {
    const report = placed(placeLabelVolume(volume(), singleFrames(positionsAt([0, 2, 4]))));
    expect(report.rois.map((r) => [r.sopInstanceUid, r.frame])).toEqual([
      ["1.2.3.1", null],
      ["1.2.3.2", null],
      ["1.2.3.3", null],
      ["1.2.3.2", null],
    ]);
    expect(report.images.map((i) => i.sopInstanceUid).sort()).toEqual(["1.2.3.1", "1.2.3.2", "1.2.3.3"]);
  });

  it("matches positions within 0.05 mm (0.04 off on every axis), not 0.2 mm off", () => {
    const near = positionsAt([0, 2, 4]).map((p) => p.map((x) => x + 0.04) as Vec3);
    expect(placed(placeLabelVolume(volume(), singleFrames(near))).rois).toHaveLength(4);
    const alsoNear = positionsAt([0, 2, 4]).map((p) => p.map((x) => x - 0.04) as Vec3);
    expect(placed(placeLabelVolume(volume(), [multiFrame("m", alsoNear.map((p) => plane(p)))])).rois.map((r) => r.frame)).toEqual([1, 2, 3, 2]);

    const far = positionsAt([0, 2, 4]).map((p) => [p[0], p[1] + 0.2, p[2]] as Vec3);
    const result = refused(placeLabelVolume(volume(), singleFrames(far)));
    expect(result.message).toMatch(/^no image of this project lies in its slices' planes \(3 slices of 5x4, the first at \(-10, 20\.5, 0\) mm, orientation 1, 0, 0, 0, 1, 0\); upload the image it was made on first$/);
    expect(result.warnings).toEqual(["from the volume"]);
    const alongNormal = positionsAt([0.2, 2.2, 4.2]);
    expect(refused(placeLabelVolume(volume(), singleFrames(alongNormal))).message).toMatch(/^no image of this project lies in its slices' planes/);
  });

  it("places what it can and warns of the slices in no image's plane", () => {
    const some = singleFrames(positionsAt([0, 2.2, 4.2]));
    const report = placed(placeLabelVolume(volume(), some));
    expect(report.rois.map((r) => r.sopInstanceUid)).toEqual(["1.2.3.1"]);
    expect(report.warnings).toEqual(["from the volume", "slices 2, 3 lie in no image plane of this project; what is labelled there is left out"]);

    const one = placed(placeLabelVolume(volume(), singleFrames(positionsAt([0, 2, 4.2]))));
    expect(one.rois).toHaveLength(3);
    expect(one.warnings).toContain("slice 3 lies in no image plane of this project; what is labelled there is left out");
  });

  it("does not warn of an unplaced slice that holds no ROI", () => {
    const report = placed(placeLabelVolume(volume({ rois: [roi(1)] }), singleFrames(positionsAt([0]))));
    expect(report.rois).toHaveLength(1);
    expect(report.warnings).toEqual(["from the volume"]);
  });

  it("matches no frame of another orientation", () => {
    const coronal = [1, 0, 0, 0, 0, -1];
    expect(refused(placeLabelVolume(volume(), singleFrames(positionsAt([0, 2, 4]), coronal))).message).toMatch(/^no image of this project lies in its slices' planes/);
    const tilted = [1, 0, 0, 0, 0.9998, 0.02];
    expect(refused(placeLabelVolume(volume(), [multiFrame("t", positionsAt([0, 2, 4]).map((p) => plane(p, tilted)))])).ok).toBe(false);
    // Within 0.001 (decimal strings of float32 affines): the same orientation.
    const rounded = [0.9999995, 0.0004, 0, 0, 1, -0.0009];
    expect(placed(placeLabelVolume(volume(), singleFrames(positionsAt([0, 2, 4]), rounded))).rois).toHaveLength(4);
  });

  it("skips frames placed nowhere when the volume is placed", () => {
    const image = multiFrame("m", [null, plane(positionsAt([2])[0]!), null]);
    const report = placed(placeLabelVolume(volume(), [image]));
    expect(report.rois.map((r) => r.frame)).toEqual([2, 2]);
    expect(report.warnings).toContain("slices 1, 3 lie in no image plane of this project; what is labelled there is left out");
  });

  describe("a volume placed nowhere", () => {
    const nowhere = (more: Partial<LabelVolume> = {}) => volume({ placement: null, ...more });

    it("goes onto the one image of its slice count placed nowhere", () => {
      const images = [
        multiFrame("placed", positionsAt([0, 2, 4]).map((p) => plane(p))),
        multiFrame("two-frames", [null, null]),
        multiFrame("unplaced", [null, null, null]),
      ];
      const report = placed(placeLabelVolume(nowhere(), images));
      expect(report.rois.map((r) => [r.sopInstanceUid, r.frame])).toEqual([
        ["unplaced", 1],
        ["unplaced", 2],
        ["unplaced", 3],
        ["unplaced", 2],
      ]);
      expect(report.warnings).toEqual(["from the volume"]);
    });

    it("goes onto a single-frame image placed nowhere, with no frame number", () => {
      const report = placed(placeLabelVolume(nowhere({ slices: 1, rois: [roi(1)] }), [multiFrame("one", [null])]));
      expect(report.rois.map((r) => [r.sopInstanceUid, r.frame])).toEqual([["one", null]]);
    });

    it("is refused when no image or two images could take it", () => {
      const none = refused(placeLabelVolume(nowhere(), [multiFrame("placed", positionsAt([0, 2, 4]).map((p) => plane(p))), multiFrame("partly", [null, plane([0, 0, 0]), null])]));
      expect(none.message).toBe(
        "it places its slices nowhere in patient space (no sform, qform or space directions), so it goes only onto the one image of 3 5x4 frames placed nowhere; this project has 0",
      );
      expect(none.warnings).toEqual(["from the volume"]);
      const two = refused(placeLabelVolume(nowhere(), [multiFrame("a", [null, null, null]), multiFrame("b", [null, null, null])]));
      expect(two.message).toMatch(/this project has 2$/);
    });
  });
});

describe("readLabelVolume then placeLabelVolume", () => {
  it("lands a mask made on a NIfTI's grid on that NIfTI's converted frames", () => {
    const file = nifti(blobs(21), { qformCode: 1, quatern: [Math.sin(15 * deg), 0, 0], pixdim: [0.7, 0.9, 2.5], qoffset: [-3, 4, 5] });
    const lv = readLabelVolume(file, "seg.nii");
    // The image as the converter wrote it, planes read as the repository reads them.
    const { dict } = volumeToDicom(readNifti(file, "image.nii"), "image.nii");
    type Item = Record<string, { Value?: unknown[] }>;
    const shared = (dict["52009229"]!.Value![0] as Item)["00209116"]!.Value![0] as Item;
    const orientation = shared["00200037"]!.Value!.map(Number);
    const planes = (dict["52009230"]!.Value as Item[]).map((f) => ({ orientation, position: ((f["00209113"]!.Value![0] as Item)["00200032"]!.Value as string[]).map(Number) as Vec3 }));
    const report = placed(placeLabelVolume(lv, [{ image: { sopInstanceUid: "img", caseId: "c", caseKey: "k", rows: lv.rows, columns: lv.columns, frames: SLICES }, multiFrame: true, planes }]));
    expect(report.rois).toHaveLength(lv.rois.length);
    report.rois.forEach((r, i) => expect(r.frame).toBe(lv.rois[i]!.slice));
  });
});

function placed(result: ReturnType<typeof placeLabelVolume>) {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.report;
}
