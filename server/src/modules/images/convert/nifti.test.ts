import { describe, expect, it } from "vitest";
import { encodeSamples, NIFTI_DATATYPE, niftiFile, type NiftiOptions, type SampleType } from "../../../testing/volumes.js";
import { niftiMagic, readNifti } from "./nifti.js";
import type { Vec3, Volume } from "./volume.js";

const read = (opts: NiftiOptions, name = "vol.nii") => readNifti(niftiFile(opts), name);

/** Each component within 1e-5 (float32 fields, and -0 taken as 0). */
function expectVectors(actual: number[][], expected: number[][]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    expect(v.length).toBe(expected[i]!.length);
    v.forEach((x, j) => expect(x, `[${i}][${j}] of ${JSON.stringify(actual)}`).toBeCloseTo(expected[i]![j]!, 5));
  });
}
const expectGeometry = (volume: Volume, origin: Vec3, steps: Vec3[]) => {
  expect(volume.geometry).not.toBeNull();
  expectVectors([volume.geometry!.origin], [origin]);
  expectVectors(volume.geometry!.steps, steps);
};

describe("readNifti", () => {
  it("tells NIfTI-1, its header-only form and NIfTI-2 from other bytes", () => {
    const base: NiftiOptions = { datatype: NIFTI_DATATYPE.uint8, dims: [2, 2], values: [1, 2, 3, 4] };
    expect(niftiMagic(niftiFile(base))).toBe("n+1");
    expect(niftiMagic(niftiFile({ ...base, littleEndian: false }))).toBe("n+1");
    expect(niftiMagic(niftiFile({ ...base, magic: "ni1" }))).toBe("ni1");
    expect(niftiMagic(niftiFile({ ...base, version: 2 }))).toBe("n+2");
    expect(niftiMagic(niftiFile({ ...base, version: 2, littleEndian: false }))).toBe("n+2");
    expect(niftiMagic(new Uint8Array(600))).toBeNull();
    expect(niftiMagic(niftiFile(base).subarray(0, 300))).toBeNull();
    expect(() => readNifti(niftiFile({ ...base, magic: "ni1" }), "head.hdr")).toThrow(/^head\.hdr: .*separate \.img/);
    expect(() => readNifti(new Uint8Array(400), "junk.nii")).toThrow(/^junk\.nii: not a NIfTI-1 or NIfTI-2 file/);
  });

  it("reads NIfTI-1 and NIfTI-2, little and big endian, to the same volume", () => {
    const values = [-32768, -1000, -1, 0, 1, 2, 300, 4000, 32767, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
    const opts: NiftiOptions = {
      datatype: NIFTI_DATATYPE.int16,
      dims: [4, 3, 2],
      pixdim: [0.5, 0.75, 2],
      sformCode: 1,
      srow: [
        [0.5, 0, 0, -10],
        [0, 0.75, 0, 20.5],
        [0, 0, 2, 30.25],
      ],
      sclSlope: 2,
      sclInter: -1.5,
      xyztUnits: 2,
      values,
    };
    const volumes = ([1, 2] as const).flatMap((version) => [true, false].map((littleEndian) => read({ ...opts, version, littleEndian })));
    const expected = encodeSamples("int16", values, true);
    for (const v of volumes) {
      expect(Buffer.from(v.data).equals(Buffer.from(expected))).toBe(true);
      expect([...new Int16Array(v.data.buffer, v.data.byteOffset, 24)]).toEqual(values);
      expect({ sizes: v.sizes, type: v.type, slope: v.slope, intercept: v.intercept, spacing: v.spacing }).toEqual({
        sizes: [4, 3, 2],
        type: "int16",
        slope: 2,
        intercept: -1.5,
        spacing: [0.5, 0.75, 2],
      });
      expectGeometry(v, [10, -20.5, 30.25], [
        [-0.5, 0, 0],
        [0, -0.75, 0],
        [0, 0, 2],
      ]);
    }
    expect(volumes.map((v) => v.format)).toEqual(["NIfTI-1", "NIfTI-1", "NIfTI-2", "NIfTI-2"]);
  });

  const all: Array<[SampleType, number, Array<number | bigint>]> = [
    ["uint8", NIFTI_DATATYPE.uint8, [0, 1, 128, 255]],
    ["int8", NIFTI_DATATYPE.int8, [-128, -1, 0, 127]],
    ["int16", NIFTI_DATATYPE.int16, [-32768, -2, 258, 32767]],
    ["uint16", NIFTI_DATATYPE.uint16, [0, 1, 258, 65535]],
    ["int32", NIFTI_DATATYPE.int32, [-(2 ** 31), -70000, 16909060, 2 ** 31 - 1]],
    ["uint32", NIFTI_DATATYPE.uint32, [0, 1, 16909060, 2 ** 32 - 1]],
    ["int64", NIFTI_DATATYPE.int64, [-(2n ** 63n), -1n, 72623859790382856n, 2n ** 63n - 1n]],
    ["uint64", NIFTI_DATATYPE.uint64, [0n, 1n, 72623859790382856n, 2n ** 64n - 1n]],
    ["float32", NIFTI_DATATYPE.float32, [-1.5, 0.1, 3.4e38, Number.NaN]],
    ["float64", NIFTI_DATATYPE.float64, [-1.5, 0.1, Math.PI, -1e300]],
  ];
  it.each(all)("reads %s (datatype %i) in both byte orders", (type, datatype, values) => {
    for (const littleEndian of [true, false]) {
      const v = read({ datatype, dims: [2, 2], values, littleEndian });
      expect(v.type).toBe(type);
      expect(v.sizes).toEqual([2, 2]);
      const ctor = {
        uint8: Uint8Array,
        int8: Int8Array,
        int16: Int16Array,
        uint16: Uint16Array,
        int32: Int32Array,
        uint32: Uint32Array,
        int64: BigInt64Array,
        uint64: BigUint64Array,
        float32: Float32Array,
        float64: Float64Array,
      }[type as Exclude<SampleType, "rgb24">];
      const got = [...new ctor(v.data.slice().buffer, 0, 4)];
      const want = type === "float32" ? [...new Float32Array(values as number[])] : values;
      expect(got, `${type} ${littleEndian ? "LE" : "BE"}`).toEqual(want);
    }
  });

  it("reads rgb24 as interleaved colour, unscaled, in both byte orders", () => {
    const values = [255, 0, 10, 1, 2, 3, 4, 5, 6, 200, 100, 50];
    for (const littleEndian of [true, false]) {
      const v = read({ datatype: NIFTI_DATATYPE.rgb24, dims: [2, 2], values, littleEndian, sclSlope: 3, sclInter: 1 });
      expect(v.type).toBe("rgb24");
      expect([...v.data]).toEqual(values);
      expect([v.slope, v.intercept]).toEqual([1, 0]);
    }
  });

  it.each([
    [NIFTI_DATATYPE.complex64, /^odd\.nii: complex \(64-bit\) voxels \(datatype 32\) have no DICOM image form/],
    [NIFTI_DATATYPE.binary, /^odd\.nii: 1-bit \(binary\) voxels \(datatype 1\)/],
    [NIFTI_DATATYPE.rgba32, /^odd\.nii: RGBA voxels \(datatype 2304\)/],
    [3, /^odd\.nii: datatype 3 is not a NIfTI data type/],
  ])("refuses datatype %i, naming the file", (datatype, message) => {
    expect(() => read({ datatype, dims: [2, 2], rawData: new Uint8Array(64) }, "odd.nii")).toThrow(message);
    expect(() => read({ datatype, dims: [2, 2], rawData: new Uint8Array(64), version: 2 }, "odd.nii")).toThrow(message);
  });

  it("refuses a header that does not add up", () => {
    const ok: NiftiOptions = { datatype: NIFTI_DATATYPE.int16, dims: [4, 3, 2], values: new Array<number>(24).fill(1) };
    expect(() => read(ok)).not.toThrow();
    expect(() => read({ ...ok, bitpix: 8 })).toThrow(/^vol\.nii: datatype 4 \(int16\) has 16 bits a voxel, but bitpix says 8$/);
    expect(() => read({ ...ok, rank: 0 })).toThrow(/^vol\.nii: dim\[0\] is 0: /);
    expect(() => read({ ...ok, rank: 8 })).toThrow(/^vol\.nii: dim\[0\] is 8: /);
    expect(() => read({ ...ok, rank: -1, littleEndian: false })).toThrow(/^vol\.nii: dim\[0\] is -1: /);
    expect(() => read({ ...ok, dims: [4, 0, 2] })).toThrow(/^vol\.nii: dim\[2\] is 0: every size must be at least 1/);
    expect(() => read({ ...ok, dims: [4, 3, -2], version: 2 })).toThrow(/^vol\.nii: dim\[3\] is -2: /);
    expect(() => read({ ...ok, voxOffset: 348 })).toThrow(/^vol\.nii: vox_offset is 348: .* byte 352 or later/);
    expect(() => read({ ...ok, voxOffset: 352.5 })).toThrow(/^vol\.nii: vox_offset is 352\.5/);
    expect(() => read({ ...ok, version: 2, voxOffset: 540 })).toThrow(/^vol\.nii: vox_offset is 540: .* byte 544 or later/);
    // A larger vox_offset is fine: the image starts there.
    const later = read({ ...ok, voxOffset: 400, values: Array.from({ length: 24 }, (_, i) => i - 5) });
    expect([...new Int16Array(later.data.buffer, 0, 24)]).toEqual(Array.from({ length: 24 }, (_, i) => i - 5));
  });

  it("refuses truncated image data, giving both byte counts", () => {
    const whole = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [4, 3, 2], values: new Array<number>(24).fill(1) });
    expect(whole.length).toBe(352 + 48);
    expect(() => readNifti(whole.subarray(0, whole.length - 3), "cut.nii")).toThrow(/^cut\.nii: truncated: .*48 bytes .*from byte 352.*holds 45$/);
    expect(() => readNifti(whole.subarray(0, 352), "empty.nii")).toThrow(/^empty\.nii: truncated: .*48 bytes.* holds 0$/);
    const two = niftiFile({ version: 2, datatype: NIFTI_DATATYPE.int16, dims: [4, 3, 2], values: new Array<number>(24).fill(1) });
    expect(() => readNifti(two.subarray(0, two.length - 1), "cut2.nii")).toThrow(/^cut2\.nii: truncated: .*48 bytes .*from byte 544.*holds 47$/);
  });

  it("refuses an image larger than the limit before reading it", () => {
    expect(() => readNifti(niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [10, 10], values: new Array<number>(100).fill(0) }), "big.nii", 99)).toThrow(
      /^big\.nii: the image is 100 bytes, more than the 99 allowed/,
    );
  });

  describe("geometry (RAS+ in the file, LPS+ in the volume)", () => {
    const base: NiftiOptions = { datatype: NIFTI_DATATYPE.uint8, dims: [2, 2, 2], values: new Array<number>(8).fill(0), pixdim: [2, 3, 4] };

    it("prefers the sform to the qform", () => {
      for (const version of [1, 2] as const) {
        const v = read({
          ...base,
          version,
          qformCode: 1,
          quatern: [0, 0, 1],
          qoffset: [100, 100, 100],
          sformCode: 2,
          srow: [
            [2, 0, 0, 10],
            [0, 3, 0, 20],
            [0, 0.5, 4, 30],
          ],
        });
        expectGeometry(v, [-10, -20, 30], [
          [-2, 0, 0],
          [0, -3, 0.5],
          [0, 0, 4],
        ]);
      }
    });

    it("builds the qform from a quaternion, pixdim and qfac", () => {
      // 90° about z: (a, b, c, d) = (cos 45°, 0, 0, sin 45°), so R = [[0,-1,0],[1,0,0],[0,0,1]];
      // qfac -1 turns the third axis round. RAS columns: i → (0,2,0), j → (-3,0,0), k → (0,0,-4).
      for (const version of [1, 2] as const) {
        for (const littleEndian of [true, false]) {
          const v = read({ ...base, version, littleEndian, qformCode: 1, quatern: [0, 0, Math.SQRT1_2], qoffset: [5, 6, 7], qfac: -1 });
          expectGeometry(v, [-5, -6, 7], [
            [0, -2, 0],
            [3, 0, 0],
            [0, 0, -4],
          ]);
        }
      }
      // qfac 1 and the identity quaternion: pixdim along the axes.
      expectGeometry(read({ ...base, qformCode: 1, qoffset: [1, 2, 3] }), [-1, -2, 3], [
        [-2, 0, 0],
        [0, -3, 0],
        [0, 0, 4],
      ]);
      // b = 1: 180° about x (a = 0), R = diag(1, -1, -1).
      expectGeometry(read({ ...base, qformCode: 1, quatern: [1, 0, 0] }), [0, 0, 0], [
        [-2, 0, 0],
        [0, 3, 0],
        [0, 0, -4],
      ]);
    });

    it("places the volume nowhere without qform and sform codes, keeping pixdim as spacing", () => {
      const v = read({ ...base, srow: [
        [9, 0, 0, 9],
        [0, 9, 0, 9],
        [0, 0, 9, 9],
      ], quatern: [0, 0, 1] });
      expect(v.geometry).toBeNull();
      expect(v.spacing).toEqual([2, 3, 4]);
      // A 2-D image has no slice spacing.
      const flat = read({ datatype: NIFTI_DATATYPE.uint8, dims: [2, 2], pixdim: [0.5, 0.25, 7], values: [1, 2, 3, 4] });
      expect(flat.spacing).toEqual([0.5, 0.25, 0]);
    });

    it("scales metres and microns to mm", () => {
      const srow: [number[], number[], number[]] = [
        [0.002, 0, 0, 0.1],
        [0, 0.003, 0, 0.2],
        [0, 0, 0.004, 0.3],
      ];
      const metres = read({ ...base, version: 2, pixdim: [0.002, 0.003, 0.004], xyztUnits: 1 | 8, sformCode: 1, srow });
      expect(metres.spacing.map((s) => +s.toFixed(9))).toEqual([2, 3, 4]);
      expectGeometry(metres, [-100, -200, 300], [
        [-2, 0, 0],
        [0, -3, 0],
        [0, 0, 4],
      ]);
      const microns = read({ ...base, pixdim: [500, 250, 1000], xyztUnits: 3 | 16 });
      expectVectors([microns.spacing], [[0.5, 0.25, 1]]);
      // mm, and unknown units taken as mm.
      expect(read({ ...base, xyztUnits: 2 }).spacing).toEqual([2, 3, 4]);
      expect(read({ ...base, xyztUnits: 0 }).spacing).toEqual([2, 3, 4]);
    });
  });

  it("takes scl_slope 0 as no scaling", () => {
    const base: NiftiOptions = { datatype: NIFTI_DATATYPE.int16, dims: [2], values: [1, 2] };
    expect(read({ ...base, sclSlope: 0, sclInter: 100 })).toMatchObject({ slope: 1, intercept: 0 });
    expect(read({ ...base, sclSlope: 0.5, sclInter: 100 })).toMatchObject({ slope: 0.5, intercept: 100 });
    expect(read({ ...base, sclSlope: Number.NaN, sclInter: 100 })).toMatchObject({ slope: 1, intercept: 0 });
    expect(read({ ...base, version: 2, sclSlope: -2, sclInter: 0.25 })).toMatchObject({ slope: -2, intercept: 0.25 });
  });

  it("keeps the header's free text out of the volume", () => {
    const v = read({ datatype: NIFTI_DATATYPE.uint8, dims: [2], values: [1, 2], descrip: "Doe^Jane 1961-04-03", auxFile: "Doe^Jane", intentName: "Jane" });
    expect(Object.keys(v).sort()).toEqual(["data", "format", "geometry", "intercept", "sizes", "slope", "spacing", "type"]);
    expect(JSON.stringify({ ...v, data: undefined })).not.toMatch(/Doe|Jane|1961/);
  });
});
