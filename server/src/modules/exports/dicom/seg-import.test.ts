import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { loadManifest, NO_FIXTURES } from "../../../testing/shared-fixtures.js";
import { encapsulatedPixelData, fileMeta, part10 } from "../../images/dicom/synthetic.js";
import { writePart10 } from "./codes.js";
import { dcmjs, type Naturalized } from "./dcmjs.js";
import { fillPolygon } from "./raster.js";
import { LABEL_MAP_SEGMENTATION_STORAGE, readSegmentationForImport } from "./seg-import.js";
import { readSegmentation, segmentationDataset, segmentMasks, SEGMENTATION_STORAGE, writeSegmentation } from "./seg.js";
import { SrImportError } from "./sr-import.js";
import { ctImage, secondaryCaptureImage, segInput, sourceOf } from "./test-sources.js";
import type { ExportRoi, ImportedMeasurementReport, ImportedRoi, Point, SourceImage } from "./types.js";

const ct = sourceOf(ctImage());
const sc = sourceOf(secondaryCaptureImage(37, 29)); // frames that do not end on a byte boundary
const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
const JPEG_2000 = "1.2.840.10008.1.2.4.91";

/** Rectangles, discs with holes (two outlines: even-odd), and random self-crossing outlines, in three classes. */
function shapes(seed: number, source: SourceImage): ExportRoi[] {
  const random = seededRandom(seed);
  const { rows, columns } = source;
  const disc = (cx: number, cy: number, r: number, n = 24): Point[] => Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)]);
  return Array.from({ length: 8 }, (_, i): ExportRoi => {
    const className = ["Nodule", "Mass", "Consolidation"][i % 3]!;
    if (i % 3 === 0) {
      const x = random() * columns * 0.7;
      const y = random() * rows * 0.7;
      return { id: `r${i}`, className, kind: "rectangle", points: [[x, y], [x + 2 + random() * columns * 0.3, y + 2 + random() * rows * 0.3]] };
    }
    if (i % 3 === 1) {
      // A ring: the outer circle and, walked on in the same outline, the inner one (even-odd leaves a hole).
      const [cx, cy, r] = [columns * (0.2 + random() * 0.6), rows * (0.2 + random() * 0.6), Math.min(rows, columns) * (0.15 + random() * 0.2)];
      return { id: `r${i}`, className, kind: "freehand", points: [...disc(cx, cy, r), disc(cx, cy, r)[0]!, ...disc(cx, cy, r * 0.45), disc(cx, cy, r * 0.45)[0]!] };
    }
    const n = 3 + Math.floor(random() * 10);
    return { id: `r${i}`, className, kind: "freehand", points: Array.from({ length: n }, (): Point => [random() * columns, random() * rows]) };
  });
}

/** The masks of imported regions, by class, image and frame: what a SEG export of them would set. */
function maskOf(rois: ImportedRoi[], rows: number, columns: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const r of rois) {
    const key = `${r.className}|${r.sopInstanceUid}|${r.frame ?? ""}`;
    let mask = out.get(key);
    if (!mask) out.set(key, (mask = new Uint8Array(rows * columns)));
    fillPolygon(mask, rows, columns, r.points);
  }
  return out;
}

const asExport = (rois: ImportedRoi[]): ExportRoi[] => rois.map((r, i) => ({ id: `i${i}`, className: r.className, kind: r.kind, points: r.points }));

const naturalized = (bytes: Uint8Array) =>
  dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer).dict) as Naturalized;

/** Literal runs only: valid RLE Lossless (PS3.5 G.3.1), one segment. */
function rleFrame(bytes: Uint8Array): Uint8Array {
  const body: number[] = [];
  for (let i = 0; i < bytes.length; i += 128) {
    const run = bytes.subarray(i, i + 128);
    body.push(run.length - 1, ...run);
  }
  if (body.length % 2) body.push(0x80); // no-op, pads to even
  const header = new Uint8Array(64);
  new DataView(header.buffer).setUint32(0, 1, true);
  new DataView(header.buffer).setUint32(4, 64, true);
  return new Uint8Array([...header, ...body]);
}

/** A naturalized SEG written as a Part 10 file with encapsulated frames in `syntax`. */
function encapsulated(ds: Naturalized, frames: Uint8Array[], syntax: string): Uint8Array {
  const { PixelData: _, ...header } = ds;
  const native = writePart10(header);
  const metaEnd = 132 + 12 + new DataView(native.buffer, native.byteOffset).getUint32(140, true);
  return part10(syntax, new Uint8Array([...native.subarray(metaEnd), ...encapsulatedPixelData(frames)]), fileMeta(syntax, String(ds.SOPClassUID), String(ds.SOPInstanceUID)));
}

/** One frame's dataset turned into another segmentation type: its groups kept, the pixels replaced. */
function retyped(source: SourceImage, changes: Naturalized, pixels: Uint8Array): Naturalized {
  const ds = segmentationDataset(segInput(source, [{ id: "x", className: "Nodule", kind: "rectangle", points: [[1, 1], [4, 4]] }]));
  return { ...ds, ...changes, PixelData: [pixels.slice().buffer], _vrMap: { PixelData: "OB" } };
}

describe("readSegmentationForImport", () => {
  it("reads our SEG export back into outlines that set the same pixels, class by class, on the source image", () => {
    for (const seed of [1, 2, 3, 4]) {
      for (const source of [ct, sc]) {
        const rois = shapes(seed, source);
        const report = readSegmentationForImport(writeSegmentation(segInput(source, rois)), "ours.dcm");
        expect(report.warnings).toEqual([]);
        expect(report.labels).toEqual([]);
        expect(report.grid).toEqual({ rows: source.rows, columns: source.columns });
        expect(report.images.map((i) => i.sopInstanceUid)).toEqual([source.sopInstanceUid]);
        expect(new Set(report.rois.map((r) => r.sopInstanceUid))).toEqual(new Set([source.sopInstanceUid]));
        expect(report.rois.every((r) => r.kind === "freehand" && r.frame === null)).toBe(true);
        const want = segmentMasks({ source, rois });
        const got = segmentMasks({ source, rois: asExport(report.rois) });
        expect(got.map((m) => m.className)).toEqual(want.map((m) => m.className));
        for (const [i, m] of want.entries()) expect(got[i]!.mask).toEqual(m.mask);
      }
    }
  });

  it("a rectangle comes back as its four pixel-aligned corners; a ring as one outline with its hole", () => {
    const rois: ExportRoi[] = [
      { id: "a", className: "Box", kind: "rectangle", points: [[2.2, 3.7], [10.4, 9.5]] },
      { id: "b", className: "Ring", kind: "freehand", points: [[20, 5], [34, 5], [34, 25], [20, 25], [20, 5], [24, 10], [30, 10], [30, 20], [24, 20], [24, 10]] },
    ];
    const report = readSegmentationForImport(writeSegmentation(segInput(sc, rois)));
    const box = report.rois.filter((r) => r.className === "Box");
    expect(box).toHaveLength(1);
    // Pixel centres inside [2.2, 10.4) x [3.7, 9.5): columns 2..9, rows 4..8.
    expect(new Set(box[0]!.points.map((p) => p.join(",")))).toEqual(new Set(["2,4", "10,4", "10,9", "2,9"]));
    expect(report.rois.filter((r) => r.className === "Ring")).toHaveLength(1);
  });

  it("names the source frame of a multi-frame image", () => {
    const multi: SourceImage = { ...sc, frames: 6 };
    const report = readSegmentationForImport(writeSegmentation(segInput(multi, shapes(5, multi), 4)));
    expect(report.rois.length).toBeGreaterThan(0);
    expect(report.rois.every((r) => r.frame === 4 && r.sopInstanceUid === sc.sopInstanceUid)).toBe(true);
  });

  it("FRACTIONAL: a pixel is inside when its fraction is at least half the maximum", () => {
    const values = new Uint8Array(sc.rows * sc.columns);
    values.set([99, 100, 200, 0, 255], 0); // with a maximum of 200: out, in, in, out, in
    const ds = retyped(sc, { SegmentationType: "FRACTIONAL", SegmentationFractionalType: "PROBABILITY", MaximumFractionalValue: 200, BitsAllocated: 8, BitsStored: 8, HighBit: 7 }, values);
    const report = readSegmentationForImport(writePart10(ds));
    const mask = maskOf(report.rois, sc.rows, sc.columns).values().next().value!;
    expect(Array.from(mask.subarray(0, 6))).toEqual([0, 1, 1, 0, 1, 0]);
    expect(mask.reduce((n, v) => n + v, 0)).toBe(3);
  });

  it("a Label Map Segmentation: each pixel value is its segment, each segment a class; RLE Lossless frames too", () => {
    const { rows, columns } = sc;
    const values = new Uint8Array(rows * columns);
    for (let r = 2; r < 9; r++) values.fill(1, r * columns + 3, r * columns + 12);
    for (let r = 15; r < 20; r++) values.fill(2, r * columns + 20, r * columns + 30);
    values[25 * columns + 5] = 7; // a value no segment describes
    const segments = [
      { SegmentNumber: 1, SegmentLabel: "Left lung", SegmentAlgorithmType: "MANUAL" },
      { SegmentNumber: 2, SegmentedPropertyTypeCodeSequence: [{ CodeValue: "39607008", CodingSchemeDesignator: "SCT", CodeMeaning: "Lung" }], SegmentAlgorithmType: "MANUAL" },
    ];
    const base = retyped(sc, { SOPClassUID: LABEL_MAP_SEGMENTATION_STORAGE, SegmentationType: "LABELMAP", BitsAllocated: 8, BitsStored: 8, HighBit: 7, SegmentSequence: segments }, values);
    const perFrame = (base.PerFrameFunctionalGroupsSequence as Naturalized[]).map(({ SegmentIdentificationSequence: _, ...g }) => g);
    const ds = { ...base, PerFrameFunctionalGroupsSequence: perFrame };
    for (const bytes of [writePart10(ds), encapsulated(ds, [rleFrame(values)], RLE_LOSSLESS)]) {
      const report = readSegmentationForImport(bytes, "labelmap.dcm");
      const masks = maskOf(report.rois, rows, columns);
      expect([...masks.keys()].map((k) => k.split("|")[0]).sort()).toEqual(["Left lung", "Lung"]);
      const lung = report.rois.find((r) => r.className === "Lung")!;
      expect(lung.classAliases).toEqual([]);
      for (const [key, mask] of masks) {
        const v = key.startsWith("Left") ? 1 : 2;
        expect(Array.from(mask)).toEqual(Array.from(values, (x) => (x === v ? 1 : 0)));
      }
      expect(report.warnings).toEqual(["pixels of segment 7, which the Segment Sequence does not describe, are left out"]);
    }
  });

  it("a BINARY SEG in RLE Lossless: the packed bits are what the runs encode", () => {
    const rois = shapes(11, ct);
    const bytes = writeSegmentation(segInput(ct, rois));
    const ds = naturalized(bytes);
    const frames = readSegmentation(bytes).frames;
    const packed = new Uint8Array((ds.PixelData as ArrayBuffer[])[0]!);
    const perFrame = (ct.rows * ct.columns) / 8; // 64 x 64: byte-aligned frames
    const rle = frames.map((_, i) => rleFrame(packed.subarray(i * perFrame, (i + 1) * perFrame)));
    const report = readSegmentationForImport(encapsulated(ds, rle, RLE_LOSSLESS));
    const got = segmentMasks({ source: ct, rois: asExport(report.rois) });
    expect(got.map((m) => m.mask)).toEqual(segmentMasks({ source: ct, rois }).map((m) => m.mask));
  });

  it("a frame with no Derivation Image Sequence: on the one image the SEG references, else by its plane, else left out with a warning", () => {
    const ds = naturalized(writeSegmentation(segInput(ct, shapes(3, ct))));
    const groups = (ds.PerFrameFunctionalGroupsSequence as Naturalized[]).map(({ DerivationImageSequence: _, ...g }) => g);
    const one = readSegmentationForImport(writePart10({ ...ds, PerFrameFunctionalGroupsSequence: groups }));
    expect(one.warnings).toEqual([]);
    expect(one.rois.every((r) => r.sopInstanceUid === ct.sopInstanceUid)).toBe(true);

    const series = ds.ReferencedSeriesSequence as Naturalized[];
    const two = [{ ...series[0]!, ReferencedInstanceSequence: [...(series[0]!.ReferencedInstanceSequence as Naturalized[]), { ReferencedSOPClassUID: ct.sopClassUid, ReferencedSOPInstanceUID: "1.2.3.4.5" }] }];
    // The CT's SEG has each frame's plane (functional groups): its frames go to be placed by it.
    const planed = readSegmentationForImport(writePart10({ ...ds, PerFrameFunctionalGroupsSequence: groups, ReferencedSeriesSequence: two }));
    expect(planed.rois).toEqual([]);
    expect(planed.warnings).toEqual([]);
    expect(planed.byPlane!.placement).toEqual({ orientation: ct.geometry!.imageOrientationPatient, positions: [0, 1, 2].map(() => ct.geometry!.imagePositionPatient) });
    expect(planed.byPlane!.rois.map((r) => r.slice)).toEqual(one.rois.map((_, i) => 1 + [...new Set(one.rois.map((r) => r.className))].indexOf(one.rois[i]!.className)));
    expect(segmentMasks({ source: ct, rois: asExport(planed.byPlane!.rois.map((r) => ({ ...r, id: null, trackingUid: null, kind: "freehand", sopInstanceUid: "", frame: null }))) })).toEqual(segmentMasks({ source: ct, rois: asExport(one.rois) }));

    // A frame in another orientation than the first one placed by its plane is left out.
    const tilted = groups.map((g, i) => (i === 1 ? { ...g, PlaneOrientationSequence: [{ ImageOrientationPatient: [0, 1, 0, 0, 0, -1] }] } : g));
    const mixed = readSegmentationForImport(writePart10({ ...ds, PerFrameFunctionalGroupsSequence: tilted, ReferencedSeriesSequence: two }));
    expect(mixed.byPlane!.slices).toBe(2);
    expect(mixed.warnings).toEqual(["frame 2 names no source image and lies in another orientation than the frames placed by their planes; left out"]);

    // A Secondary Capture's SEG has no planes: those frames are left out.
    const scDs = naturalized(writeSegmentation(segInput(sc, shapes(3, sc))));
    const scGroups = (scDs.PerFrameFunctionalGroupsSequence as Naturalized[]).map(({ DerivationImageSequence: _, ...g }) => g);
    const scSeries = scDs.ReferencedSeriesSequence as Naturalized[];
    const scTwo = [{ ...scSeries[0]!, ReferencedInstanceSequence: [...(scSeries[0]!.ReferencedInstanceSequence as Naturalized[]), { ReferencedSOPClassUID: sc.sopClassUid, ReferencedSOPInstanceUID: "1.2.3.4.5" }] }];
    const none = readSegmentationForImport(writePart10({ ...scDs, PerFrameFunctionalGroupsSequence: scGroups, ReferencedSeriesSequence: scTwo }));
    expect(none.rois).toEqual([]);
    expect(none.byPlane).toBeUndefined();
    expect(none.warnings).toEqual(["frames 1–3 name no source image (Derivation Image Sequence) nor a plane to place them by; left out", "no frame of it has a pixel set"]);
  });

  it("refuses, saying what and where, a file that is not a segmentation or cannot be read as one", () => {
    const good = naturalized(writeSegmentation(segInput(sc, shapes(2, sc))));
    const refused = (bytes: Uint8Array): string => {
      try {
        readSegmentationForImport(bytes, "x.dcm");
      } catch (err) {
        expect(err).toBeInstanceOf(SrImportError);
        return (err as Error).message;
      }
      throw new Error("not refused");
    };
    expect(refused(ctImage())).toMatch(/^x\.dcm: not a segmentation \(SOP Class UID 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2\)/);
    expect(refused(new TextEncoder().encode("no DICOM here"))).toMatch(/^x\.dcm: not a readable DICOM file/);
    expect(refused(writePart10({ ...good, SegmentSequence: [] }))).toContain("Segment Sequence (0062,0002) is missing or empty");
    expect(refused(writePart10(retyped(sc, { BitsAllocated: 8, BitsStored: 8, HighBit: 7 }, new Uint8Array(sc.rows * sc.columns))))).toContain("a BINARY segmentation has Bits Allocated 1, not 8");
    expect(refused(writePart10({ ...good, SegmentationType: "SURFACE" }))).toContain('Segmentation Type (0062,0001) "SURFACE"');
    const groups = (good.PerFrameFunctionalGroupsSequence as Naturalized[]).map(({ SegmentIdentificationSequence: _, ...g }) => g);
    expect(refused(writePart10({ ...good, PerFrameFunctionalGroupsSequence: groups }))).toContain("frame 1 names no segment");
    expect(refused(writePart10({ ...good, PerFrameFunctionalGroupsSequence: groups.slice(1) }))).toMatch(/it has 3 frames but 2 Per-Frame Functional Groups items/);
    const jpeg2000 = encapsulated(good, [new Uint8Array(8), new Uint8Array(8), new Uint8Array(8)], JPEG_2000);
    expect(refused(jpeg2000)).toContain("its frames are compressed as JPEG 2000 (1.2.840.10008.1.2.4.91)");
    const { PixelData: _, ...noPixels } = good;
    expect(refused(writePart10(noPixels))).toContain("it has no Pixel Data");
    // RLE runs that stop short decode as the frame's first pixels, the rest unset (as the viewer's decoder reads them).
    const short = readSegmentationForImport(encapsulated(good, [0, 1, 2].map(() => rleFrame(new Uint8Array(10))), RLE_LOSSLESS));
    expect(short.rois).toEqual([]);
    expect(short.warnings).toEqual(["no frame of it has a pixel set"]);
  });

  const manifest = loadManifest();
  const segs = manifest?.dicom.filter((e) => e.sopClassUID === SEGMENTATION_STORAGE) ?? [];
  it.skipIf(!manifest)(`every Segmentation of the shared fixtures: outlines that set each frame's pixels exactly${manifest ? "" : ` (${NO_FIXTURES})`}`, () => {
    expect(segs.length).toBeGreaterThanOrEqual(5);
    for (const entry of segs) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(manifest!.dir, entry.path)));
      const report: ImportedMeasurementReport = readSegmentationForImport(bytes, entry.path);
      const ds = naturalized(bytes);
      const [rows, columns] = [Number(ds.Rows), Number(ds.Columns)];
      expect(report.grid, entry.path).toEqual({ rows, columns });
      // Each frame decoded on its own (dcmjs's reading, not the importer's), per source image and segment.
      const pixels = new Uint8Array((ds.PixelData as ArrayBuffer[])[0]!);
      const groups = (ds.PerFrameFunctionalGroupsSequence as Naturalized[]).slice(0, Number(ds.NumberOfFrames ?? 1));
      const labels = new Map((ds.SegmentSequence as Naturalized[]).map((s) => [Number(s.SegmentNumber), String(s.SegmentLabel)]));
      const want = new Map<string, Uint8Array>();
      groups.forEach((g, f) => {
        const src = ((g.DerivationImageSequence as Naturalized[])[0]!.SourceImageSequence as Naturalized[])[0]!;
        const segment = Number((g.SegmentIdentificationSequence as Naturalized[])[0]!.ReferencedSegmentNumber);
        const key = `${labels.get(segment)}|${src.ReferencedSOPInstanceUID}|${src.ReferencedFrameNumber ?? ""}`;
        let mask = want.get(key);
        if (!mask) want.set(key, (mask = new Uint8Array(rows * columns)));
        const n = rows * columns;
        for (let i = 0; i < n; i++) {
          const on = Number(ds.BitsAllocated) === 1 ? (pixels[(f * n + i) >> 3]! >> ((f * n + i) & 7)) & 1 : pixels[f * n + i]! * 2 >= Number(ds.MaximumFractionalValue);
          if (on) mask[i] = 1;
        }
      });
      const got = maskOf(report.rois, rows, columns);
      for (const [key, mask] of want) {
        if (!mask.includes(1)) continue;
        expect(got.get(key), `${entry.path} ${key}`).toEqual(mask);
      }
      expect([...got.keys()].every((k) => want.has(k)), entry.path).toBe(true);
      expect(report.rois.length, entry.path).toBeGreaterThan(0);
    }
  });
});
