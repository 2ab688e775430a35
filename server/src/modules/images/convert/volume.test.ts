import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { encodeSamples, NIFTI_DATATYPE, niftiFile, nrrdFile, type SampleType } from "../../../testing/volumes.js";
import { readDicomFile } from "../dicom/read.js";
import { prepareInstance } from "../ingest/prepare.js";
import { IngestRefusal, type PrepareOptions } from "../ingest/prepared.js";
import type { DicomParts } from "./secondary-capture.js";
import { decimal, displayTurn, MAX_FRAMES, MULTIFRAME_BYTE_SC, MULTIFRAME_TRUE_COLOR_SC, MULTIFRAME_WORD_SC, volumeToDicom, type Vec3, type Volume } from "./volume.js";

type Item = Record<string, { vr: string; Value?: unknown[] }>;
const opts: PrepareOptions = { projectKey: new Uint8Array(32).fill(3), retainLongitudinalModifiedDates: false };

function volume(type: SampleType, sizes: number[], values: ArrayLike<number | bigint>, more: Partial<Volume> = {}): Volume {
  return { format: "NIfTI-1", sizes, type, data: encodeSamples(type, values), slope: 1, intercept: 0, geometry: null, spacing: [0, 0, 0], ...more };
}
const first = (parts: DicomParts, tag: string) => parts.dict[tag]?.Value?.[0];
const strings = (parts: DicomParts, tag: string) => parts.dict[tag]?.Value as string[] | undefined;
const sharedGroup = (parts: DicomParts) => (parts.dict["52009229"]!.Value as Item[])[0]!;
const orientation = (parts: DicomParts) => ((sharedGroup(parts)["00209116"]!.Value as Item[])[0]!["00200037"]!.Value as string[]).map(Number);
const pixelSpacing = (parts: DicomParts) => ((sharedGroup(parts)["00289110"]!.Value as Item[])[0]!["00280030"]!.Value as string[]).map(Number);
const position = (parts: DicomParts, frame: number) =>
  (((parts.dict["52009230"]!.Value as Item[])[frame]!["00209113"]!.Value as Item[])[0]!["00200032"]!.Value as string[]).map(Number);
const bytes = (parts: DicomParts) => new Uint8Array(first(parts, "7FE00010") as ArrayBuffer);
const words = (parts: DicomParts) => new Uint16Array(first(parts, "7FE00010") as ArrayBuffer);
const rescale = (parts: DicomParts) => ({ slope: Number(first(parts, "00281053")), intercept: Number(first(parts, "00281052")) });
const expectClose = (actual: number[], expected: number[], digits = 9) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, i) => expect(x, `[${i}] of ${JSON.stringify(actual)}`).toBeCloseTo(expected[i]!, digits));
};

/**
 * Every output pixel holds the voxel found where the DICOM geometry (Image Position, Image
 * Orientation, Pixel Spacing) says it is: the turn and the geometry agree, whatever the turn is.
 */
function expectGeometryMatchesPixels(v: Volume, parts: DicomParts, values: number[]) {
  const [columns, rows, slices] = v.sizes as [number, number, number];
  const outRows = first(parts, "00280010") as number;
  const outColumns = first(parts, "00280011") as number;
  const iop = orientation(parts);
  const [rowSpacing, columnSpacing] = pixelSpacing(parts);
  const { origin, steps } = v.geometry!;
  const out = bytes(parts);
  for (let f = 0; f < slices; f++) {
    const ipp = position(parts, f);
    for (let y = 0; y < outRows; y++) {
      for (let x = 0; x < outColumns; x++) {
        const p = [0, 1, 2].map((k) => ipp[k]! + x * columnSpacing! * iop[k]! + y * rowSpacing! * iop[3 + k]!);
        let found = -1;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < columns; c++) {
            const q = [0, 1, 2].map((k) => origin[k] + c * steps[0][k] + r * steps[1][k] + f * steps[2][k]);
            if (Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) < 1e-6) found = f * rows * columns + r * columns + c;
          }
        }
        expect(found, `frame ${f} pixel (${x}, ${y}) at ${p} is no voxel's centre`).toBeGreaterThanOrEqual(0);
        expect(out[(f * outRows + y) * outColumns + x], `frame ${f} pixel (${x}, ${y})`).toBe(values[found]);
      }
    }
  }
}

describe("displayTurn", () => {
  it("shows the usual planes as radiologists expect", () => {
    const turn = (c: Vec3, r: Vec3) => displayTurn(c, r);
    // Axial, LPS order already: as it is.
    expect(turn([1, 0, 0], [0, 1, 0])).toEqual({ transpose: false, flipColumns: false, flipRows: false });
    // Axial, RAS order (i to the right, j to the front): both flipped.
    expect(turn([-1, 0, 0], [0, -1, 0])).toEqual({ transpose: false, flipColumns: true, flipRows: true });
    // Coronal with rows going up: flipped upside down.
    expect(turn([1, 0, 0], [0, 0, 1])).toEqual({ transpose: false, flipColumns: false, flipRows: true });
    // Sagittal, rows going down, columns to the front: flipped left-right.
    expect(turn([0, -1, 0], [0, 0, -1])).toEqual({ transpose: false, flipColumns: true, flipRows: false });
    // Head-foot across: transposed.
    expect(turn([0, 0, 1], [0, 1, 0])).toEqual({ transpose: true, flipColumns: false, flipRows: true });
    expect(turn([0, 0, -1], [-1, 0, 0])).toEqual({ transpose: true, flipColumns: true, flipRows: false });
  });
});

describe("volumeToDicom", () => {
  // 3 × 2 × 2, every voxel different: value = i + 10 j + 100 k.
  const asymmetric = Array.from({ length: 12 }, (_, n) => (n % 3) + 10 * (Math.floor(n / 3) % 2) + 100 * Math.floor(n / 6));

  it("turns an axial RAS volume to the usual view, and places it where it was", () => {
    const v = volume("uint8", [3, 2, 2], asymmetric, {
      geometry: {
        origin: [5, 6, 7],
        steps: [
          [-0.5, 0, 0],
          [0, -0.8, 0],
          [0, 0, 2.5],
        ],
      },
    });
    const parts = volumeToDicom(v, "axial.nii");
    expect([first(parts, "00280010"), first(parts, "00280011"), first(parts, "00280008")]).toEqual([2, 3, "2"]);
    expect(orientation(parts)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(((sharedGroup(parts)["00209116"]!.Value as Item[])[0]!["00200037"]!.Value as string[]).join("\\")).toBe("1\\0\\0\\0\\1\\0");
    // Flipped both ways: the first row shown is j = 1, right to left.
    expect([...bytes(parts)]).toEqual([12, 11, 10, 2, 1, 0, 112, 111, 110, 102, 101, 100]);
    // The top left voxel is (i, j) = (2, 1): origin + 2 × (-0.5, 0, 0) + 1 × (0, -0.8, 0).
    expectClose(position(parts, 0), [4, 5.2, 7]);
    expectClose(position(parts, 1), [4, 5.2, 9.5]);
    expect(pixelSpacing(parts)).toEqual([0.8, 0.5]);
    expect(strings(parts, "00280030")).toEqual(["0.8", "0.5"]);
    expect((sharedGroup(parts)["00289110"]!.Value as Item[])[0]!["00180050"]!.Value).toEqual(["2.5"]);
    expect(strings(parts, "00182005")).toEqual(["7", "9.5"]);
    expect(first(parts, "00280009")).toBe(0x00182005);
    expectGeometryMatchesPixels(v, parts, asymmetric);
  });

  it("keeps an LPS-ordered axial volume as it is", () => {
    const v = volume("uint8", [3, 2, 2], asymmetric, { geometry: { origin: [1, 2, 3], steps: [[1, 0, 0], [0, 1, 0], [0, 0, -1]] } });
    const parts = volumeToDicom(v, "lps.nrrd");
    expect([...bytes(parts)]).toEqual(asymmetric);
    expectClose(position(parts, 1), [1, 2, 2]);
    expectGeometryMatchesPixels(v, parts, asymmetric);
  });

  it("transposes a sagittal slice stored with head-foot across", () => {
    // 4 columns towards the head, 3 rows towards the back, 2 slices towards the left.
    const values = Array.from({ length: 24 }, (_, n) => n);
    const v = volume("uint8", [4, 3, 2], values, {
      geometry: {
        origin: [10, 20, 30],
        steps: [
          [0, 0, 1],
          [0, 1, 0],
          [1, 0, 0],
        ],
      },
    });
    const parts = volumeToDicom(v, "sagittal.nii");
    expect([first(parts, "00280010"), first(parts, "00280011")]).toEqual([4, 3]);
    // Across: to the back; down: to the feet.
    expectClose(orientation(parts), [0, 1, 0, 0, 0, -1]);
    // Output (x, y) is input column 3 - y (the head at the top), row x.
    const out = bytes(parts);
    for (let f = 0; f < 2; f++) for (let y = 0; y < 4; y++) for (let x = 0; x < 3; x++) expect(out[f * 12 + y * 3 + x]).toBe(f * 12 + x * 4 + (3 - y));
    expectClose(position(parts, 0), [10, 20, 33]);
    expectClose(position(parts, 1), [11, 20, 33]);
    expectGeometryMatchesPixels(v, parts, values);
  });

  it("keeps the geometry and pixels in agreement for oblique and random orientations", () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 3 * 4 * 2 }, (_, n) => n * 3);
    for (let round = 0; round < 40; round++) {
      // A random rotation (from a random unit quaternion), random spacings and signs.
      const [a, b, c, d] = (() => {
        const q = [random() - 0.5, random() - 0.5, random() - 0.5, random() - 0.5];
        const n = Math.hypot(...q);
        return q.map((x) => x / n) as [number, number, number, number];
      })();
      const R = [
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
      ];
      const spacing = [0.5 + random(), 0.5 + random(), 1 + random()];
      const steps = [0, 1, 2].map((k) => [0, 1, 2].map((r) => R[r]![k]! * spacing[k]!)) as [Vec3, Vec3, Vec3];
      const v = volume("uint8", [3, 4, 2], values, { geometry: { origin: [random() * 100, random() * 100, random() * 100], steps } });
      const parts = volumeToDicom(v, "oblique.nii");
      const iop = orientation(parts);
      // Unit, orthogonal direction cosines; positions along the normal.
      expect(Math.hypot(iop[0]!, iop[1]!, iop[2]!)).toBeCloseTo(1, 6);
      expect(iop[0]! * iop[3]! + iop[1]! * iop[4]! + iop[2]! * iop[5]!).toBeCloseTo(0, 6);
      expectGeometryMatchesPixels(v, parts, values);
    }
  });

  it("keeps unscaled 8-bit data as bytes: Multi-frame Grayscale Byte SC", () => {
    const parts = volumeToDicom(volume("uint8", [3, 2, 2], asymmetric), "bytes.nii");
    expect(first(parts, "00080016")).toBe(MULTIFRAME_BYTE_SC);
    expect(first(parts, "00080016")).toBe("1.2.840.10008.5.1.4.1.1.7.2");
    expect(parts.meta["00020002"]!.Value).toEqual([MULTIFRAME_BYTE_SC]);
    expect([first(parts, "00280100"), first(parts, "00280101"), first(parts, "00280102"), first(parts, "00280002"), first(parts, "00280004")]).toEqual([8, 8, 7, 1, "MONOCHROME2"]);
    expect(parts.dict["7FE00010"]!.vr).toBe("OB");
    // The values as stored, said so, as the Byte SC IOD requires.
    expect(rescale(parts)).toEqual({ slope: 1, intercept: 0 });
    expect(first(parts, "00281054")).toBe("US");
    expect([...bytes(parts)]).toEqual(asymmetric);
    // Scaled 8-bit data is not kept as bytes.
    const scaled = volumeToDicom(volume("uint8", [3, 2, 2], asymmetric, { slope: 2, intercept: -1 }), "scaled.nii");
    expect(first(scaled, "00080016")).toBe(MULTIFRAME_WORD_SC);
    expect([...words(scaled)]).toEqual(asymmetric);
    expect(rescale(scaled)).toEqual({ slope: 2, intercept: -1 });
  });

  it("keeps 16-bit integers with negatives exactly, shifted, with the shift in Rescale Intercept", () => {
    const values = [-1000, -999, -1, 0, 5, 1234, 31000, 7];
    const parts = volumeToDicom(volume("int16", [4, 2], values), "ct.nii");
    expect(first(parts, "00080016")).toBe(MULTIFRAME_WORD_SC);
    expect(first(parts, "00080016")).toBe("1.2.840.10008.5.1.4.1.1.7.3");
    expect([first(parts, "00280100"), first(parts, "00280101"), first(parts, "00280102"), first(parts, "00280103")]).toEqual([16, 16, 15, 0]);
    expect(parts.dict["7FE00010"]!.vr).toBe("OW");
    expect(first(parts, "00281052")).toBe("-1000");
    expect(first(parts, "00281053")).toBe("1");
    const stored = [...words(parts)];
    expect(stored).toEqual(values.map((v) => v + 1000));
    const { slope, intercept } = rescale(parts);
    expect(stored.map((s) => s * slope + intercept)).toEqual(values);
    // The window covers the whole range.
    expect([Number(first(parts, "00281050")), Number(first(parts, "00281051"))]).toEqual([15000, 32000]);

    // The full int16 range, and a file's own scaling on top.
    const full = [-32768, 32767, 0, -1];
    const wide = volumeToDicom(volume("int16", [2, 2], full, { slope: 0.5, intercept: 3 }), "full.nii");
    const back = rescale(wide);
    expect([...words(wide)].map((s) => s * back.slope + back.intercept)).toEqual(full.map((v) => v * 0.5 + 3));

    // Positive 16-bit values need no shift; 32-bit ones that fit in 16 bits are kept too.
    const unsigned = volumeToDicom(volume("uint16", [2, 2], [0, 1, 65535, 300]), "u16.nii");
    expect([...words(unsigned)]).toEqual([0, 1, 65535, 300]);
    expect(rescale(unsigned)).toEqual({ slope: 1, intercept: 0 });
    const int32 = volumeToDicom(volume("int32", [2, 2], [100000, 100001, 165535, 100002]), "i32.nii");
    expect([...words(int32)]).toEqual([0, 1, 65535, 2]);
    expect(rescale(int32)).toEqual({ slope: 1, intercept: 100000 });
  });

  it("scales floating point and wide integers to 16 bits, to within one step of the range", () => {
    const cases: Array<[SampleType, number[]]> = [
      ["float32", [0.1, -3.25, 1000.7, 12.5, -0.001, 77.77, 3.3333, 999.999]],
      ["float64", [1e-4, 2e-4, 3.7e-4, 1.11e-4, 9.9e-4, 5e-4]],
      ["int32", [-2147483648, 2147483647, 0, 123456789, -5, 77]],
      ["float32", [5.5, 5.5, 5.5, 5.5]],
    ];
    for (const [type, raw] of cases) {
      const values = type === "float32" ? [...new Float32Array(raw)] : raw;
      const parts = volumeToDicom(volume(type, [2, values.length / 2], values, { slope: 2, intercept: 10 }), "float.nii");
      expect(first(parts, "00080016")).toBe(MULTIFRAME_WORD_SC);
      const { slope, intercept } = rescale(parts);
      const meant = values.map((v) => v * 2 + 10);
      const step = (Math.max(...meant) - Math.min(...meant)) / 65535;
      const stored = [...words(parts)];
      stored.forEach((s, i) => expect(Math.abs(s * slope + intercept - meant[i]!), `${type} value ${values[i]}`).toBeLessThanOrEqual(step * 0.5 + 1e-9 * Math.abs(meant[i]!)));
      if (step > 0) expect([Math.min(...stored), Math.max(...stored)]).toEqual([0, 65535]);
    }
  });

  // A float volume whose range is under about 6.5e-8 (an ADC map in m²/s, 0 to 3e-9) has a slope
  // of (max - min) / 65535 < 1e-12: once written as "0", every voxel read back as the intercept.
  it("keeps a float volume of a tiny range", () => {
    const values = [0, 1e-9, 2e-9, 3e-9];
    const parts = volumeToDicom(volume("float64", [2, 2], values), "adc.nii");
    const { slope, intercept } = rescale(parts);
    expect(slope).toBeGreaterThan(0);
    [...words(parts)].forEach((s, i) => expect(Math.abs(s * slope + intercept - values[i]!)).toBeLessThanOrEqual(3e-9 / 65535));
  });

  it("stores NaN and infinities as 0", () => {
    const parts = volumeToDicom(volume("float32", [3, 2], [Number.NaN, 1.5, 2.5, Number.POSITIVE_INFINITY, 2, Number.NEGATIVE_INFINITY]), "nan.nii");
    expect([...words(parts)]).toEqual([0, 0, 65535, 0, Math.round(0.5 * 65535), 0]);
    const { slope, intercept } = rescale(parts);
    expect(0 * slope + intercept).toBeCloseTo(1.5, 9);
    expect(65535 * slope + intercept).toBeCloseTo(2.5, 9);
  });

  it("makes colour True Color SC, interleaved, turned like grey", () => {
    // 2 × 2, RAS order: both flipped.
    const rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const parts = volumeToDicom(volume("rgb24", [2, 2], rgb, { geometry: { origin: [0, 0, 0], steps: [[-1, 0, 0], [0, -1, 0], [0, 0, 1]] } }), "colour.nii");
    expect(first(parts, "00080016")).toBe(MULTIFRAME_TRUE_COLOR_SC);
    expect(first(parts, "00080016")).toBe("1.2.840.10008.5.1.4.1.1.7.4");
    expect([first(parts, "00280002"), first(parts, "00280004"), first(parts, "00280006"), first(parts, "00280100")]).toEqual([3, "RGB", 0, 8]);
    expect(parts.dict["00281053"]).toBeUndefined();
    expect([...bytes(parts)]).toEqual([10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3]);
    const plain = volumeToDicom(volume("rgb24", [2, 2], rgb), "colour.nrrd");
    expect([...bytes(plain)]).toEqual(rgb);
  });

  it("makes one frame of each slice of every further axis", () => {
    const four = Array.from({ length: 2 * 2 * 3 * 4 }, (_, n) => n);
    const v4 = volume("uint8", [2, 2, 3, 4], four, { geometry: { origin: [0, 0, 0], steps: [[1, 0, 0], [0, 1, 0], [0, 0, 2]] } });
    const p4 = volumeToDicom(v4, "fmri.nii");
    expect(first(p4, "00280008")).toBe("12");
    expect([...bytes(p4)]).toEqual(four);
    // Positions repeat with each time point.
    expect(Array.from({ length: 12 }, (_, f) => position(p4, f)[2])).toEqual([0, 2, 4, 0, 2, 4, 0, 2, 4, 0, 2, 4]);
    expect(strings(p4, "00182005")).toEqual(["0", "2", "4", "0", "2", "4", "0", "2", "4", "0", "2", "4"]);

    const five = Array.from({ length: 2 * 2 * 2 * 3 * 2 }, (_, n) => n);
    const p5 = volumeToDicom(volume("uint8", [2, 2, 2, 3, 2], five, { spacing: [1, 1, 1.5] }), "five.nii");
    expect(first(p5, "00280008")).toBe("12");
    expect([...bytes(p5)]).toEqual(five);
    expect(strings(p5, "00182005")).toEqual(["0", "1.5", "0", "1.5", "0", "1.5", "0", "1.5", "0", "1.5", "0", "1.5"]);
    expect(p5.dict["52009230"]).toBeUndefined();
    expect(strings(p5, "00280030")).toEqual(["1", "1"]);

    // One frame: no Slice Location Vector, no Frame Increment Pointer.
    const one = volumeToDicom(volume("uint8", [2, 2], [1, 2, 3, 4]), "flat.nii");
    expect(first(one, "00280008")).toBe("1");
    expect(one.dict["00280009"]).toBeUndefined();
    expect(one.dict["00182005"]).toBeUndefined();
    // A 1-D volume is one row.
    const line = volumeToDicom(volume("uint8", [5], [1, 2, 3, 4, 5]), "line.nii");
    expect([first(line, "00280010"), first(line, "00280011"), first(line, "00280008")]).toEqual([1, 5, "1"]);
  });

  it("refuses slices wider or taller than DICOM allows, and data short of the sizes", () => {
    const wide = volume("uint8", [65536, 1], new Uint8Array(65536));
    expect(() => volumeToDicom(wide, "wide.nii")).toThrow(/^wide\.nii: a slice of 65536 × 1 voxels is larger than DICOM's 65535 rows or columns$/);
    expect(() => volumeToDicom(volume("uint8", [1, 65536], new Uint8Array(65536)), "tall.nii")).toThrow(/^tall\.nii: a slice of 1 × 65536 /);
    expect(first(volumeToDicom(volume("uint8", [65535, 1], new Uint8Array(65535)), "ok.nii"), "00280011")).toBe(65535);
    // Transposed, the 65536 columns would be rows: still refused.
    const turned = volume("uint8", [65536, 1], new Uint8Array(65536), { geometry: { origin: [0, 0, 0], steps: [[0, 0, 1], [0, 1, 0], [1, 0, 0]] } });
    expect(() => volumeToDicom(turned, "turned.nii")).toThrow(/^turned\.nii: a slice of 65536 × 1 voxels is larger/);
    expect(() => volumeToDicom({ ...volume("int16", [4, 4], new Array<number>(16).fill(0)), data: new Uint8Array(31) }, "short.nii")).toThrow(
      /^short\.nii: the image data is 31 bytes, short of the 32 its sizes need$/,
    );
    expect(() => volumeToDicom(volume("uint8", [2, 0], []), "empty.nii")).toThrow(/^empty\.nii: axis sizes 2 × 0 /);
    // A million 1-pixel slices would be a million per-frame items: refused before any is built.
    const frames = MAX_FRAMES + 1;
    expect(() => volumeToDicom(volume("uint8", [1, 1, 1, frames], new Uint8Array(frames)), "many.nii")).toThrow(
      new RegExp(`^many\\.nii: ${frames} slices \\(1 × ${frames}\\) are more than the ${MAX_FRAMES} frames`),
    );
    expect(first(volumeToDicom(volume("uint8", [1, 1, MAX_FRAMES], new Uint8Array(MAX_FRAMES)), "most.nii"), "00280008")).toBe(String(MAX_FRAMES));
  });

  const DS = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const someValues = () => {
    const random = seededRandom(16);
    const values = [0, -0, 1, -1, 1e-20, -1e-20, 1e-12, 1.5e-12, -123456789.123456, 1 / 3, -2 / 3, 123456789012345678, 1e15 + 0.5, 2 ** 53, Math.PI * 1e-7, -Number.MAX_VALUE, Number.MIN_VALUE, 65535 / 7];
    for (let i = 0; i < 2000; i++) values.push((random() - 0.5) * 10 ** Math.floor(random() * 60 - 30));
    return values;
  };

  it("keeps to DICOM's 16 characters in every decimal string", () => {
    for (const v of someValues()) {
      const s = decimal(v);
      expect(s.length, `${v} → ${s}`).toBeLessThanOrEqual(16);
      expect(s, `${v}`).toMatch(DS);
      // Close to the value (9 significant digits even with a 3-digit exponent), however small (a slope of 1e-14 is a slope, not 0).
      expect(Math.abs(Number(s) - v), `${v} → ${s}`).toBeLessThanOrEqual(Math.abs(v) * 1e-8);
    }
    expect(decimal(1 / 3)).toBe("0.33333333333333");
    expect(decimal(-123456789.123456)).toBe("-123456789.12346");
    expect(decimal(1e-20)).toBe("1e-20");
    expect(decimal(2.5)).toBe("2.5");
    expect(decimal(-1e300)).toBe("-1e+300");
  });

  // From 1e15 to 1e21 JavaScript writes numbers without an exponent, 17 or more characters: the
  // exponent form must then be used, not fewer digits (decimal(123456789012345680) was "1.2e+17").
  it("keeps at least 11 significant digits from 1e15 to 1e21", () => {
    for (const v of [123456789012345680, -1234567890123456, 9.87654321e18, -5.5e20 + 12345]) {
      expect(Math.abs(Number(decimal(v)) - v), `${v} → ${decimal(v)}`).toBeLessThanOrEqual(Math.abs(v) * 1e-10);
    }
  });
  it("keeps whole numbers of up to 16 characters exactly", () => {
    expect(decimal(-1099511627776)).toBe("-1099511627776");
    const v = volumeToDicom(volume("int64", [2, 2], [-(2n ** 40n), -(2n ** 40n) + 5n, -(2n ** 40n) + 1n, -(2n ** 40n)]), "i64.nii");
    const { slope, intercept } = rescale(v);
    expect([...words(v)].map((s) => s * slope + intercept)).toEqual([0, 5, 1, 0].map((d) => d - 2 ** 40));
  });
});

describe("volumes through ingest", () => {
  it("stores a NIfTI volume as a multi-frame file that reads back with its pixels", () => {
    const values = Array.from({ length: 4 * 3 * 5 }, (_, n) => n * 100 - 2000);
    const nifti = niftiFile({ datatype: NIFTI_DATATYPE.int16, dims: [4, 3, 5], pixdim: [0.5, 0.5, 2], values, qformCode: 1, qoffset: [1, 2, 3] });
    for (const [name, file] of [
      ["head.nii", nifti],
      ["head.nii.gz", gzipSync(nifti)],
    ] as const) {
      const out = prepareInstance({ name, bytes: file }, opts);
      expect({ rows: out.rows, columns: out.columns, frames: out.frames, sopClassUid: out.sopClassUid, hasPixelData: out.hasPixelData }).toEqual({
        rows: 3,
        columns: 4,
        frames: 5,
        sopClassUid: MULTIFRAME_WORD_SC,
        hasPixelData: true,
      });
      const back = readDicomFile(out.bytes, name);
      expect(back.frames).toBe(5);
      const pixels = new Uint16Array(back.dict["7FE00010"]!.Value![0] as ArrayBuffer);
      const slope = Number(back.dict["00281053"]!.Value![0]);
      const intercept = Number(back.dict["00281052"]!.Value![0]);
      // qform identity in RAS: each slice flipped both ways.
      const flipped = Array.from({ length: 60 }, (_, o) => {
        const f = Math.floor(o / 12);
        const y = Math.floor((o % 12) / 4);
        const x = o % 4;
        return values[f * 12 + (2 - y) * 4 + (3 - x)]!;
      });
      expect([...pixels].map((s) => s * slope + intercept)).toEqual(flipped);
    }
  });

  it("refuses a broken volume with a message that names the file", () => {
    const bad = niftiFile({ datatype: NIFTI_DATATYPE.complex64, dims: [2, 2], rawData: new Uint8Array(32) });
    expect(() => prepareInstance({ name: "up/complex.nii", bytes: bad }, opts)).toThrow(IngestRefusal);
    expect(() => prepareInstance({ name: "up/complex.nii", bytes: bad }, opts)).toThrow(/^up\/complex\.nii: complex/);
    expect(() => prepareInstance({ name: "up/fake.nii", bytes: new Uint8Array(500) }, opts)).toThrow(/^up\/fake\.nii: named as NIfTI, but not/);
    expect(() => prepareInstance({ name: "up/x.nrrd", bytes: nrrdFile({ type: "block", sizes: [2] }) }, opts)).toThrow(/^up\/x\.nrrd: type "block"/);
    // A file read as nothing at all says what it could have been; a data file without its header, what it lacks.
    const text = new TextEncoder().encode("Patient notes, not an image\n".repeat(20));
    expect(() => prepareInstance({ name: "notes.txt", bytes: text }, opts)).toThrow(
      /^notes\.txt: not a DICOM file \(no DICM marker and no recognisable data set\); nor a PNG, JPEG, NIfTI or NRRD image$/,
    );
    expect(() => prepareInstance({ name: "scan/x.raw", bytes: text }, opts)).toThrow(/^scan\/x\.raw: raw image data with no header to describe it/);
  });

  /** The file's text in both decodings and its metadata JSON, with its UIDs taken out (random digits can spell anything). */
  function textOf(file: Uint8Array, name: string, json: string): string[] {
    const uids = new Set<string>();
    const walk = (ds: Record<string, { vr: string; Value?: unknown[] }>) => {
      for (const el of Object.values(ds)) {
        if (el.vr === "UI") for (const v of el.Value ?? []) uids.add(String(v));
        if (el.vr === "SQ") for (const item of (el.Value ?? []) as Array<Record<string, { vr: string; Value?: unknown[] }>>) walk(item);
      }
    };
    const back = readDicomFile(file, name);
    walk(back.meta as Record<string, { vr: string; Value?: unknown[] }>);
    walk(back.dict as Record<string, { vr: string; Value?: unknown[] }>);
    return [Buffer.from(file).toString("latin1"), Buffer.from(file).toString("utf8"), json].map((text) => {
      for (const uid of uids) text = text.split(uid).join("");
      return text;
    });
  }

  it("carries none of a NIfTI header's free text into the stored file", () => {
    const identifying = "Doe^Jane 1961-04-03";
    const file = niftiFile({
      datatype: NIFTI_DATATYPE.uint8,
      dims: [4, 4, 2],
      values: Array.from({ length: 32 }, (_, n) => n % 7),
      descrip: identifying,
      auxFile: identifying,
      intentName: identifying,
      sformCode: 1,
      srow: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    });
    expect(Buffer.from(file).toString("latin1")).toContain("Doe^Jane 1961-04-03");
    expect(Buffer.from(file).toString("latin1")).toContain("Doe^Jane 1961-04"); // intent_name holds 16 characters
    const out = prepareInstance({ name: "upload/scan.nii", bytes: file }, opts);
    for (const text of textOf(out.bytes, "scan.nii", out.metadataJson)) {
      for (const word of ["Doe", "Jane", "1961"]) expect(text).not.toContain(word);
    }
  });

  it("carries none of an NRRD header's content, key/value pairs or comments into the stored file", () => {
    const file = nrrdFile({
      type: "short",
      sizes: [4, 4, 2],
      values: Array.from({ length: 32 }, (_, n) => n % 7),
      content: "Doe Jane",
      keyValues: { patient: "Doe Jane", birth: "1961-04-03" },
      comments: ["Doe Jane", "born 1961"],
      space: "left-posterior-superior",
      spaceDirections: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    });
    const out = prepareInstance({ name: "upload/scan.nrrd", bytes: file }, opts);
    expect(out.frames).toBe(2);
    for (const text of textOf(out.bytes, "scan.nrrd", out.metadataJson)) {
      for (const word of ["Doe", "Jane", "1961"]) expect(text).not.toContain(word);
    }
  });
});
