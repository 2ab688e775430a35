import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readNifti } from "../../images/convert/nifti.js";
import { concat, element, encapsulatedPixelData, fileMeta, part10, us } from "../../images/dicom/synthetic.js";
import { part10Of, sourceOf } from "../dicom/test-sources.js";
import type { SourceGeometry, SourceImage } from "../dicom/types.js";
import { caseVolumes, type ExportVolume, type Vec3 } from "./volumes.js";
import { niftiImageVolume, niftiLabelMask, qformOf, rasAffine } from "./write.js";

// The NIfTI export: how a case's images become volumes (volumes.ts), and the files written for
// them (write.ts), read back with the platform's own NIfTI reader (tested against public files).

const CT = "1.2.840.10008.5.1.4.1.1.2";
const AXIAL: SourceGeometry["imageOrientationPatient"] = [1, 0, 0, 0, 1, 0];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const mul = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const closeTo = (actual: number[], expected: number[], digits = 9) => expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));

function source(sop: string, o: { ipp?: Vec3; iop?: SourceGeometry["imageOrientationPatient"]; ps?: [number, number]; rows?: number; columns?: number; frames?: number; frameGeometry?: SourceImage["frameGeometry"]; thickness?: number }): SourceImage {
  return {
    studyInstanceUid: "1.2.3",
    seriesInstanceUid: "1.2.3.4",
    sopInstanceUid: sop,
    sopClassUid: CT,
    frameOfReferenceUid: "1.2.3.9",
    rows: o.rows ?? 6,
    columns: o.columns ?? 8,
    ...(o.frames ? { frames: o.frames } : {}),
    ...(o.frameGeometry ? { frameGeometry: o.frameGeometry } : {}),
    ...(o.ipp ? { geometry: { pixelSpacing: o.ps ?? [0.7, 0.9], imageOrientationPatient: o.iop ?? AXIAL, imagePositionPatient: o.ipp, ...(o.thickness ? { sliceThickness: o.thickness } : {}) } } : {}),
  };
}

/** DICOM's own mapping (PS3.3 C.7.6.2.1.1): pixel (column i, row j) of an image to patient space. */
function dicomPosition(g: SourceGeometry, i: number, j: number): Vec3 {
  const row = g.imageOrientationPatient.slice(0, 3) as Vec3;
  const col = g.imageOrientationPatient.slice(3, 6) as Vec3;
  return add(add(g.imagePositionPatient, mul(row, i * g.pixelSpacing[1])), mul(col, j * g.pixelSpacing[0]));
}
const voxel = (v: ExportVolume, i: number, j: number, k: number): Vec3 => {
  const { origin, steps } = v.geometry!;
  return add(add(add(origin, mul(steps[0], i)), mul(steps[1], j)), mul(steps[2], k));
};

describe("caseVolumes", () => {
  it("orders shuffled single-frame slices along the normal, placing every voxel where DICOM puts its pixel (axial, oblique, sagittal)", () => {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const cases: Array<{ iop: SourceGeometry["imageOrientationPatient"]; normal: Vec3 }> = [
      { iop: AXIAL, normal: [0, 0, 1] },
      { iop: [c, s, 0, -s, c, 0], normal: [0, 0, 1] }, // rotated 30° about z
      { iop: [0, 1, 0, 0, 0, -1], normal: [-1, 0, 0] }, // sagittal: row × column points to -x
    ];
    for (const { iop, normal } of cases) {
      // Positions 2.5 mm apart along the normal, with an in-plane offset; given in the order 2, 0, 3, 1.
      const at = (k: number) => add([10, -20, 30], mul(normal, 2.5 * k));
      const sources = [2, 0, 3, 1].map((k) => source(`sop${k}`, { iop, ipp: at(k) }));
      const [v, ...rest] = caseVolumes(sources);
      expect(rest).toEqual([]);
      expect(v!.suffix).toBe("");
      expect([v!.rows, v!.columns]).toEqual([6, 8]);
      expect(v!.slices).toEqual([0, 1, 2, 3].map((k) => ({ sopInstanceUid: `sop${k}`, frame: 1 })));
      closeTo(v!.geometry!.origin, at(0));
      closeTo(v!.geometry!.steps[0], mul(iop.slice(0, 3) as Vec3, 0.9));
      closeTo(v!.geometry!.steps[1], mul(iop.slice(3, 6) as Vec3, 0.7));
      closeTo(v!.geometry!.steps[2], mul(normal, 2.5));
      closeTo(v!.spacing, [0.9, 0.7, 2.5]);
      expect(v!.notes).toEqual([]);
      for (const k of [0, 1, 2, 3]) {
        const g = sources.find((x) => x.sopInstanceUid === `sop${k}`)!.geometry!;
        for (const [i, j] of [[0, 0], [7, 0], [0, 5], [7, 5], [3, 2]] as const) closeTo(voxel(v!, i, j, k), dicomPosition(g, i, j));
      }
    }
  });

  it("notes uneven gaps once (step from first to last shared out); even gaps give no note", () => {
    const uneven = caseVolumes([0, 2, 4, 7].map((z, n) => source(`u${n}`, { ipp: [0, 0, z] })));
    expect(uneven).toHaveLength(1);
    expect(uneven[0]!.notes).toHaveLength(1);
    expect(uneven[0]!.notes[0]).toMatch(/not evenly spaced/);
    closeTo(uneven[0]!.geometry!.steps[2], [0, 0, 7 / 3]);
    const even = caseVolumes([7.5, 0, 5, 2.5].map((z, n) => source(`e${n}`, { ipp: [0, 0, z] })));
    expect(even[0]!.notes).toEqual([]);
  });

  it("makes two images in one position a volume each, with a note and suffixes -1, -2", () => {
    const vs = caseVolumes([source("a", { ipp: [0, 0, 5] }), source("b", { ipp: [0, 0, 5] })]);
    expect(vs.map((v) => [v.suffix, v.slices.map((s) => s.sopInstanceUid), v.notes.length])).toEqual([
      ["-1", ["a"], 1],
      ["-2", ["b"], 1],
    ]);
    closeTo(vs[1]!.geometry!.origin, [0, 0, 5]);
  });

  it("splits positions taken more than once (echoes, time points) into a stack per repetition, as dcm2niix splits echoes", () => {
    // A two-echo series in instance order: slice 1 echo 1, slice 1 echo 2, slice 2 echo 1...
    const series = caseVolumes([0, 1, 2].flatMap((k) => [source(`s${k}e1`, { ipp: [0, 0, 3 * k] }), source(`s${k}e2`, { ipp: [0, 0, 3 * k] })]));
    expect(series.map((v) => [v.suffix, v.slices.map((s) => s.sopInstanceUid), v.spacing[2]])).toEqual([
      ["-1", ["s0e1", "s1e1", "s2e1"], 3],
      ["-2", ["s0e2", "s1e2", "s2e2"], 3],
    ]);
    expect(series.map((v) => v.notes)).toEqual([[expect.stringMatching(/repetition 1 of 2/)], [expect.stringMatching(/repetition 2 of 2/)]]);
    // A 4-D enhanced image: three time points of two slices, frames in time order.
    const fg = (z: number): SourceGeometry => ({ pixelSpacing: [1, 1], imageOrientationPatient: AXIAL, imagePositionPatient: [0, 0, z] });
    const fourD = caseVolumes([source("mr", { ipp: [0, 0, 0], frames: 6, frameGeometry: [fg(4), fg(0), fg(4), fg(0), fg(4), fg(0)] })]);
    expect(fourD.map((v) => [v.suffix, v.slices.map((s) => s.frame)])).toEqual([
      ["-1", [2, 1]],
      ["-2", [4, 3]],
      ["-3", [6, 5]],
    ]);
    closeTo(fourD[2]!.geometry!.steps[2], [0, 0, 4]);
  });

  it("splits images of two sizes or two orientations into volumes in first-appearance order", () => {
    const bySize = caseVolumes([source("s0", { ipp: [0, 0, 0], rows: 4 }), source("b0", { ipp: [0, 0, 0] }), source("s1", { ipp: [0, 0, 1], rows: 4 }), source("b1", { ipp: [0, 0, 1] })]);
    expect(bySize.map((v) => [v.suffix, v.rows, v.slices.map((s) => s.sopInstanceUid)])).toEqual([
      ["-1", 4, ["s0", "s1"]],
      ["-2", 6, ["b0", "b1"]],
    ]);
    const coronal: SourceGeometry["imageOrientationPatient"] = [1, 0, 0, 0, 0, -1];
    const byPlane = caseVolumes([source("c1", { iop: coronal, ipp: [0, 4, 0] }), source("a0", { ipp: [0, 0, 0] }), source("c0", { iop: coronal, ipp: [0, 2, 0] }), source("a1", { ipp: [0, 0, 3] })]);
    // Coronal normal: (1,0,0) × (0,0,-1) = (0,1,0), so y = 2 comes before y = 4.
    expect(byPlane.map((v) => [v.suffix, v.slices.map((s) => s.sopInstanceUid)])).toEqual([
      ["-1", ["c0", "c1"]],
      ["-2", ["a0", "a1"]],
    ]);
  });

  it("stacks a multi-frame image's frames by their own positions; other multi-frames are a time series; no geometry is placed nowhere", () => {
    const fg = (z: number): SourceGeometry => ({ pixelSpacing: [0.5, 0.6], imageOrientationPatient: AXIAL, imagePositionPatient: [1, 2, z] });
    const [enhanced] = caseVolumes([source("mf", { ipp: [9, 9, 99], frames: 4, frameGeometry: [fg(5), fg(0), fg(15), fg(10)] })]);
    expect(enhanced!.slices.map((s) => s.frame)).toEqual([2, 1, 4, 3]);
    closeTo(enhanced!.geometry!.origin, [1, 2, 0]);
    closeTo(enhanced!.geometry!.steps.flat(), [0.6, 0, 0, 0, 0.5, 0, 0, 0, 5]);
    closeTo(enhanced!.spacing, [0.6, 0.5, 5]);
    expect(enhanced!.notes).toEqual([]);

    const [cine] = caseVolumes([source("cine", { ipp: [3, 4, 7], frames: 3, thickness: 3 })]);
    expect(cine!.slices).toEqual([1, 2, 3].map((frame) => ({ sopInstanceUid: "cine", frame })));
    closeTo(cine!.geometry!.origin, [3, 4, 7]);
    closeTo(cine!.geometry!.steps[2], [0, 0, 1]);
    closeTo(cine!.spacing, [0.9, 0.7, 1]);
    expect(cine!.notes).toHaveLength(1);
    expect(cine!.notes[0]).toMatch(/time series/);
    expect(cine!.notes[0]).toMatch(/1 mm/);

    const [flat] = caseVolumes([source("sc", {})]);
    expect([flat!.suffix, flat!.geometry, flat!.spacing, flat!.slices]).toEqual(["", null, [1, 1, 1], [{ sopInstanceUid: "sc", frame: 1 }]]);
  });
});

// A seeded PRNG (mulberry32), so a failure can be reproduced.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const unit = (v: Vec3): Vec3 => mul(v, 1 / Math.hypot(...v));
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** Geometries: standard planes and random orthonormal frames, with slices along or against the normal. */
function geometries(): Array<NonNullable<ExportVolume["geometry"]>> {
  const planes: Array<[Vec3, Vec3]> = [
    [[1, 0, 0], [0, 1, 0]],
    [[-1, 0, 0], [0, -1, 0]],
    [[0, 1, 0], [0, 0, -1]],
    [[1, 0, 0], [0, 0, -1]],
  ];
  const rand = prng(20240607);
  for (let n = 0; n < 30; n++) {
    const r = (): Vec3 => [rand() * 2 - 1, rand() * 2 - 1, rand() * 2 - 1];
    const u = unit(r());
    const w = r();
    planes.push([u, unit(add(w, mul(u, -dot(u, w))))]);
  }
  return planes.flatMap(([u, v], n) =>
    [1, -1].map((side) => ({
      origin: [((n * 37) % 200) - 100, ((n * 53) % 160) - 80, ((n * 17) % 120) - 60] as Vec3,
      steps: [mul(u, 0.6 + (n % 3) * 0.2), mul(v, 0.8), mul(cross(u, v), side * (1.5 + (n % 4)))] as [Vec3, Vec3, Vec3],
    })),
  );
}
const lpsToRas = (p: Vec3): Vec3 => [-p[0], -p[1], p[2]];

describe("rasAffine and qformOf", () => {
  it("map voxels to RAS as the DICOM geometry does, and the quaternion and qfac rebuild the rotation", () => {
    for (const g of geometries()) {
      const srow = rasAffine(g);
      for (const [i, j, k] of [[0, 0, 0], [3, 1, 2], [7, 5, 1]]) {
        const lps = add(add(add(g.origin, mul(g.steps[0], i)), mul(g.steps[1], j)), mul(g.steps[2], k));
        closeTo(srow.map((row) => row[0]! * i + row[1]! * j + row[2]! * k + row[3]!), lpsToRas(lps));
      }
      const { quatern, qfac } = qformOf(srow);
      const [b, c, d] = quatern;
      const a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
      const R = [
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
      ];
      // Right-handed in LPS is right-handed in RAS (x and y both flip): qfac says which side the slices go.
      expect(qfac).toBe(dot(cross(g.steps[0], g.steps[1]), g.steps[2]) > 0 ? 1 : -1);
      for (const col of [0, 1, 2]) {
        const want = unit(lpsToRas(g.steps[col]!));
        closeTo(R.map((row) => row[col]! * (col === 2 ? qfac : 1)), want, 7);
      }
    }
  });

  it("label mask files: the sform gives the volume's geometry, and with sform_code 0 the qform gives it too", () => {
    for (const g of geometries()) {
      const volume: ExportVolume = { suffix: "", rows: 3, columns: 4, slices: [{ sopInstanceUid: "a", frame: 1 }, { sopInstanceUid: "b", frame: 1 }], geometry: g, spacing: g.steps.map((s) => Math.hypot(...s)) as Vec3, notes: [] };
      const bytes = new Uint8Array(gunzipSync(niftiLabelMask({ volume, rois: [], maxValue: 1 }).file));
      const bySform = readNifti(bytes, "mask.nii").geometry!;
      closeTo(bySform.origin, g.origin, 5);
      g.steps.forEach((s, k) => closeTo(bySform.steps[k]!, s, 5));
      new DataView(bytes.buffer, bytes.byteOffset).setInt16(254, 0, true);
      const byQform = readNifti(bytes, "mask.nii").geometry!;
      closeTo(byQform.origin, g.origin, 4);
      g.steps.forEach((s, k) => closeTo(byQform.steps[k]!, s, 4));
    }
  });
});

describe("niftiLabelMask", () => {
  const volume = caseVolumes([source("z2", { ipp: [0, 0, 2] }), source("z0", { ipp: [0, 0, 0] }), source("z1", { ipp: [0, 0, 1] })])[0]!;
  /** The expected mask: pixels (x, y) with x0 <= x < x1 and y0 <= y < y1 on slice k. */
  const paint = (mask: number[], k: number, [[x0, y0], [x1, y1]]: number[][], value: number) => {
    for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) mask[k * 48 + y * 8 + x] = value;
  };

  it("gives each class its value, the higher class where they overlap, and leaves out ROIs on other slices", () => {
    const rect = (sop: string, points: [number, number][], value: number, frame = 1) => ({ kind: "rectangle" as const, points, sopInstanceUid: sop, frame, value });
    const rois = [
      rect("z1", [[5, 4], [2, 1]], 3), // corners given either way round
      rect("z1", [[1, 0], [4, 3]], 1),
      rect("z2", [[0, 0], [8, 6]], 1),
      rect("z0", [[6, 5], [7, 6]], 2),
      rect("other", [[0, 0], [8, 6]], 2),
      rect("z0", [[0, 0], [8, 6]], 2, 2), // frame 2 of a single-frame image
    ];
    const { file, placed } = niftiLabelMask({ volume, rois, maxValue: 3 });
    expect(placed).toBe(4);
    const read = readNifti(new Uint8Array(gunzipSync(file)), "mask.nii");
    expect([read.sizes, read.type]).toEqual([[8, 6, 3], "uint8"]);
    const want = new Array<number>(8 * 6 * 3).fill(0);
    paint(want, 0, [[6, 5], [7, 6]], 2);
    paint(want, 1, [[1, 0], [4, 3]], 1);
    paint(want, 1, [[2, 1], [5, 4]], 3);
    paint(want, 2, [[0, 0], [8, 6]], 1);
    expect([...read.data]).toEqual(want);
  });

  it("a freehand outline and a class value above 255 give a 16-bit mask", () => {
    const { file } = niftiLabelMask({ volume, rois: [{ kind: "freehand", points: [[0, 0], [4, 0], [4, 2], [0, 2]], sopInstanceUid: "z0", frame: 1, value: 300 }], maxValue: 300 });
    const read = readNifti(new Uint8Array(gunzipSync(file)), "mask.nii");
    expect(read.type).toBe("uint16");
    const view = new DataView(read.data.buffer, read.data.byteOffset, read.data.byteLength);
    const values = Array.from({ length: 8 * 6 * 3 }, (_, n) => view.getUint16(n * 2, true));
    const want = new Array<number>(8 * 6 * 3).fill(0);
    paint(want, 0, [[0, 0], [4, 2]], 300);
    expect(values).toEqual(want);
  });
});

// ---- image volumes from synthetic DICOM

/** A 4x3 slice at z (a CT by default), its stored values `pixels`. */
function slice(sop: string, z: number, o: { pixels: number[]; slope?: number; intercept?: number; bitsStored?: number; rgb?: boolean }): Uint8Array {
  const rgb = o.rgb ?? false;
  return part10Of({
    SOPClassUID: rgb ? "1.2.840.10008.5.1.4.1.1.7" : CT,
    SOPInstanceUID: sop,
    Modality: rgb ? "OT" : "CT",
    PatientName: "Secret^Patient",
    PatientID: "SECRET-ID",
    StudyInstanceUID: "1.2.3",
    SeriesInstanceUID: "1.2.3.4",
    FrameOfReferenceUID: "1.2.3.9",
    ImagePositionPatient: [-5, -6, z],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [0.5, 0.75],
    SamplesPerPixel: rgb ? 3 : 1,
    PhotometricInterpretation: rgb ? "RGB" : "MONOCHROME2",
    ...(rgb ? { PlanarConfiguration: 0 } : {}),
    Rows: 3,
    Columns: 4,
    BitsAllocated: rgb ? 8 : 16,
    BitsStored: rgb ? 8 : (o.bitsStored ?? 12),
    HighBit: (rgb ? 8 : (o.bitsStored ?? 12)) - 1,
    PixelRepresentation: 0,
    ...(rgb ? {} : { RescaleIntercept: o.intercept ?? -1024, RescaleSlope: o.slope ?? 1 }),
    PixelData: [rgb ? Uint8Array.from(o.pixels).buffer : Uint16Array.from(o.pixels).buffer],
    _vrMap: { PixelData: rgb ? "OB" : "OW" },
  });
}
const ramp = (n: number, scale = 1) => Array.from({ length: 12 }, (_, i) => (i * 37 + n * 101) * scale);
const filesOf = (list: Uint8Array[]) => list.map((bytes) => ({ sopInstanceUid: sourceOf(bytes).sopInstanceUid, bytes }));
function channels(result: ReturnType<typeof niftiImageVolume>) {
  if ("problem" in result) throw new Error(result.problem);
  return result.channels.map((c) => new Uint8Array(gunzipSync(c)));
}
function values(file: Uint8Array, type: string): number[] {
  const read = readNifti(file, "image.nii");
  expect(read.type).toBe(type);
  const v = new DataView(read.data.buffer, read.data.byteOffset, read.data.byteLength);
  const width = { uint8: 1, int16: 2, int32: 4, float32: 4 }[type]!;
  const get = (n: number) => (type === "uint8" ? v.getUint8(n) : type === "int16" ? v.getInt16(n * 2, true) : type === "int32" ? v.getInt32(n * 4, true) : v.getFloat32(n * 4, true));
  return Array.from({ length: read.data.length / width }, (_, n) => get(n));
}

describe("niftiImageVolume", () => {
  it("CT with intercept -1024: int16 Hounsfield units, slices by position, the volume's geometry, no patient name in the file", () => {
    const list = [2, 0, 1].map((n) => slice(`1.2.3.4.${n}`, 10 + 2 * n, { pixels: ramp(n) }));
    const [volume] = caseVolumes(list.map(sourceOf));
    const result = niftiImageVolume({ volume: volume!, files: filesOf(list) });
    expect("problem" in result ? result.problem : [result.type, result.modality, result.channels.length]).toEqual(["int16", "CT", 1]);
    const [file] = channels(result);
    expect(values(file!, "int16")).toEqual([0, 1, 2].flatMap((n) => ramp(n).map((v) => v - 1024)));
    const read = readNifti(file!, "image.nii");
    expect(read.sizes).toEqual([4, 3, 3]);
    closeTo(read.geometry!.origin, [-5, -6, 10], 5);
    closeTo(read.geometry!.steps.flat(), [0.75, 0, 0, 0, 0.5, 0, 0, 0, 2], 5);
    expect(Buffer.from(file!).toString("latin1")).not.toMatch(/Secret/i);
    expect(Buffer.from(file!.subarray(148, 228)).toString("latin1")).not.toMatch(/Secret|Patient/);
  });

  it("a slope of 0.5 giving fractions: float32", () => {
    const list = [0, 1].map((n) => slice(`1.2.5.${n}`, n, { pixels: ramp(n), slope: 0.5, intercept: -1024 }));
    const [file] = channels(niftiImageVolume({ volume: caseVolumes(list.map(sourceOf))[0]!, files: filesOf(list) }));
    expect(values(file!, "float32")).toEqual([0, 1].flatMap((n) => ramp(n).map((v) => v * 0.5 - 1024)));
  });

  it("values beyond int16 (unsigned 16-bit up to 60000, intercept 0): int32", () => {
    const pixels = ramp(0).map((v, i) => (i === 5 ? 60000 : v));
    const list = [slice("1.2.6.1", 0, { pixels, intercept: 0, bitsStored: 16 })];
    const [file] = channels(niftiImageVolume({ volume: caseVolumes(list.map(sourceOf))[0]!, files: filesOf(list) }));
    expect(values(file!, "int32")).toEqual(pixels);
  });

  it("RGB: three uint8 channel files, red, green and blue", () => {
    const rgb = Array.from({ length: 12 * 3 }, (_, n) => (n % 3) * 80 + Math.floor(n / 3));
    const list = [slice("1.2.7.1", 0, { pixels: rgb, rgb: true })];
    const result = niftiImageVolume({ volume: caseVolumes(list.map(sourceOf))[0]!, files: filesOf(list) });
    expect("problem" in result ? result.problem : result.type).toBe("uint8");
    const files = channels(result);
    expect(files).toHaveLength(3);
    files.forEach((f, c) => expect(values(f, "uint8")).toEqual(Array.from({ length: 12 }, (_, p) => rgb[p * 3 + c])));
  });

  it("a missing file or pixel data the server cannot decode (JPEG 2000) is a problem, not a throw", () => {
    const list = [0, 1].map((n) => slice(`1.2.8.${n}`, n, { pixels: ramp(n) }));
    const volume = caseVolumes(list.map(sourceOf))[0]!;
    const missing = niftiImageVolume({ volume, files: filesOf(list.slice(0, 1)) });
    expect("problem" in missing && missing.problem).toMatch(/1\.2\.8\.1/);

    const J2K = "1.2.840.10008.1.2.4.90";
    const sop = "1.2.9.1";
    const dataset = concat(
      element(0x00080016, "UI", CT),
      element(0x00080018, "UI", sop),
      element(0x00080060, "CS", "CT"),
      us(0x00280002, [1]),
      element(0x00280004, "CS", "MONOCHROME2"),
      us(0x00280010, [3]),
      us(0x00280011, [4]),
      us(0x00280100, [16]),
      us(0x00280101, [16]),
      us(0x00280102, [15]),
      us(0x00280103, [0]),
      encapsulatedPixelData([Uint8Array.of(0xff, 0x4f, 0xff, 0x51, 1, 2, 3, 4)]),
    );
    const j2k: ExportVolume = { suffix: "", rows: 3, columns: 4, slices: [{ sopInstanceUid: sop, frame: 1 }], geometry: null, spacing: [1, 1, 1], notes: [] };
    const result = niftiImageVolume({ volume: j2k, files: [{ sopInstanceUid: sop, bytes: part10(J2K, dataset, fileMeta(J2K, CT, sop)) }] });
    expect("problem" in result && result.problem).toMatch(/cannot be decoded/);
  });
});
