import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { classCode, writePart10, writePart10WithDcmjs } from "./codes.js";
import { dcmjs } from "./dcmjs.js";
import { fillPolygon, packBits, unpackBits } from "./raster.js";
import { NothingToSegmentError, planesSegmentationDataset, readSegmentation, segmentationDataset, segmentMasks, SEGMENTATION_STORAGE, writePlanesSegmentation, writeSegmentation } from "./seg.js";
import { hasTool, iodErrors, NO_DICOM3TOOLS } from "../../../testing/tools.js";
import { ctImage, NO_DCMTK, secondaryCaptureImage, segInput, sourceOf } from "./test-sources.js";
import type { ExportRoi, PlanesSegmentationInput, Point, SourceImage } from "./types.js";

const run = promisify(execFile);
const ct = sourceOf(ctImage());
const sc = sourceOf(secondaryCaptureImage(37, 29)); // 37 x 29: frames do not end on a byte boundary

/** Even-odd by ray casting (PNPOLY), pixel by pixel: an independent reference for the scan-line fill. */
function referenceMask(rows: number, columns: number, rois: ExportRoi[]): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  for (const roi of rois) {
    const poly: Point[] =
      roi.kind === "rectangle"
        ? [roi.points[0]!, [roi.points[1]![0], roi.points[0]![1]], roi.points[1]!, [roi.points[0]![0], roi.points[1]![1]]]
        : roi.points;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const [x, y] = [c + 0.5, r + 0.5];
        let inside = false;
        for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
          const [xi, yi] = poly[i]!;
          const [xj, yj] = poly[j]!;
          if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
        if (inside) mask[r * columns + c] = 1;
      }
    }
  }
  return mask;
}

function randomRois(seed: number, source: SourceImage): ExportRoi[] {
  const random = seededRandom(seed);
  const { rows, columns } = source;
  return Array.from({ length: 9 }, (_, i): ExportRoi => {
    const className = ["Nodule", "Mass", "Consolidation"][i % 3]!;
    if (i % 2 === 0) {
      const x = random() * columns * 0.8;
      const y = random() * rows * 0.8;
      return { id: `r${i}`, className, kind: "rectangle", points: [[x, y], [x + 1 + random() * columns * 0.3, y + 1 + random() * rows * 0.3]] };
    }
    // Random vertices: self-intersecting outlines, some a little outside the image.
    const n = 3 + Math.floor(random() * 12);
    return { id: `r${i}`, className, kind: "freehand", points: Array.from({ length: n }, (): Point => [random() * columns * 1.1 - 1, random() * rows * 1.1 - 1]) };
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "concord-seg-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("rasterising ROIs", () => {
  it("sets the pixels whose centres are inside, by the even-odd rule, like ray casting does", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const source of [ct, sc]) {
        const rois = randomRois(seed, source);
        const masks = segmentMasks({ source, rois });
        expect(masks.map((m) => m.className)).toEqual(["Consolidation", "Mass", "Nodule"]);
        for (const { className, mask } of masks) {
          expect(mask.includes(1) && mask.includes(0)).toBe(true);
          expect(mask).toEqual(referenceMask(source.rows, source.columns, rois.filter((r) => r.className === className)));
        }
      }
    }
  });

  it("covers [x0, x1) x [y0, y1) of pixel centres for a rectangle, so neighbours sharing an edge share no pixel", () => {
    const [rows, columns] = [10, 12];
    const left = new Uint8Array(rows * columns);
    const right = new Uint8Array(rows * columns);
    fillPolygon(left, rows, columns, [[2.5, 1], [5.5, 1], [5.5, 4.5], [2.5, 4.5]]);
    fillPolygon(right, rows, columns, [[5.5, 1], [9, 1], [9, 4.5], [5.5, 4.5]]);
    const covered = (m: Uint8Array) => [...m.keys()].filter((i) => m[i]).map((i) => [i % columns, Math.floor(i / columns)]);
    const expected = (x0: number, x1: number, y0: number, y1: number) =>
      Array.from({ length: rows * columns }, (_, i) => [i % columns, Math.floor(i / columns)]).filter(([c, r]) => c! + 0.5 >= x0 && c! + 0.5 < x1 && r! + 0.5 >= y0 && r! + 0.5 < y1);
    expect(covered(left)).toEqual(expected(2.5, 5.5, 1, 4.5));
    expect(covered(right)).toEqual(expected(5.5, 9, 1, 4.5));
    expect(left.some((v, i) => v && right[i])).toBe(false);
  });

  it("packs frames bit by bit, least significant bit first, without padding between frames", () => {
    const random = seededRandom(9);
    const frames = [0, 1, 2].map(() => Uint8Array.from({ length: 13 }, () => (random() < 0.5 ? 1 : 0)));
    const packed = packBits(frames);
    expect(packed.length).toBe(6); // 39 bits -> 5 bytes, padded to even
    expect(packed[0]).toBe(frames[0]!.slice(0, 8).reduce((byte, bit, i) => byte | (bit << i), 0));
    expect(unpackBits(packed, 13, 3)).toEqual(frames);
  });
});

describe("writeSegmentation", () => {
  it("writes one BINARY frame per ROI class that decodes back to its mask, each frame naming the source image", () => {
    for (const source of [ct, sc]) {
      const rois = randomRois(42, source);
      const decoded = readSegmentation(writeSegmentation(segInput(source, rois)));
      const masks = segmentMasks({ source, rois });
      expect(decoded.rows).toBe(source.rows);
      expect(decoded.columns).toBe(source.columns);
      expect(decoded.segments).toEqual(masks.map((m, i) => ({ number: i + 1, label: m.className, algorithmType: "MANUAL", algorithmName: null })));
      expect(decoded.frames).toEqual(masks.map((m, i) => ({ segmentNumber: i + 1, sourceSopInstanceUid: source.sopInstanceUid, mask: m.mask })));
    }
  });

  it("a segment with a region taken from a model's suggestion is SEMIAUTOMATIC, naming the model(s); one drawn whole stays MANUAL", () => {
    const rois = randomRois(42, ct).map((r, i) => (r.className === "Mass" ? { ...r, algorithm: i === 1 ? "lungs v2" : "lesions v1" } : r.className === "Nodule" && i === 0 ? { ...r, algorithm: "lesions v1" } : r));
    const decoded = readSegmentation(writeSegmentation(segInput(ct, rois)));
    expect(decoded.segments.map(({ label, algorithmType, algorithmName }) => [label, algorithmType, algorithmName])).toEqual([
      ["Consolidation", "MANUAL", null],
      ["Mass", "SEMIAUTOMATIC", "lesions v1, lungs v2"],
      ["Nodule", "SEMIAUTOMATIC", "lesions v1"],
    ]);
  });

  it("names the source frame on a multi-frame image (one SEG per frame, each its own UID), and none on a single-frame one", () => {
    const multi: SourceImage = { ...sc, frames: 5 };
    const rois = randomRois(7, multi);
    type Item = Record<string, unknown>;
    const read = (bytes: Uint8Array) => dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict) as Item;
    const frameOf = (item: Item | undefined) => item?.ReferencedFrameNumber;
    const sources = (ds: Item) => [
      ...(ds.SourceImageSequence as Item[]),
      ...(ds.PerFrameFunctionalGroupsSequence as Item[]).map((f) => ((f.DerivationImageSequence as Item[])[0]!.SourceImageSequence as Item[])[0]!),
    ];
    const second = read(writeSegmentation({ ...segInput(multi, rois), frame: 2 }));
    const fourth = read(writeSegmentation({ ...segInput(multi, rois), frame: 4 }));
    expect(sources(second).map(frameOf)).toEqual(sources(second).map(() => 2));
    expect(sources(fourth).map(frameOf)).toEqual(sources(fourth).map(() => 4));
    expect(second.SOPInstanceUID).not.toBe(fourth.SOPInstanceUID);
    const single = read(writeSegmentation(segInput(sc, rois)));
    expect(sources(single).map(frameOf)).toEqual(sources(single).map(() => undefined));
    // A single-frame image's SEG keeps the UID it had before frames were named (re-exports stay the same).
    expect(single.SOPInstanceUID).toBe(segmentationDataset(segInput(sc, rois)).SOPInstanceUID);
  });

  it("carries the source's geometry when it has some, and none for a Secondary Capture", () => {
    const read = (source: SourceImage) => {
      const bytes = writeSegmentation(segInput(source, randomRois(3, source)));
      const file = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer);
      return {
        meta: dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.meta),
        ds: dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, any>,
      };
    };
    const withGeometry = read(ct);
    expect(withGeometry.meta.TransferSyntaxUID).toBe("1.2.840.10008.1.2.1");
    expect(withGeometry.meta.MediaStorageSOPClassUID).toBe(SEGMENTATION_STORAGE);
    const ds = withGeometry.ds;
    expect(ds).toMatchObject({ SOPClassUID: SEGMENTATION_STORAGE, Modality: "SEG", SegmentationType: "BINARY", BitsAllocated: 1, FrameOfReferenceUID: ct.frameOfReferenceUid, StudyInstanceUID: ct.studyInstanceUid });
    expect(ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing).toEqual(ct.geometry!.pixelSpacing);
    expect(ds.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence[0].ImageOrientationPatient).toEqual(ct.geometry!.imageOrientationPatient);
    expect(ds.PerFrameFunctionalGroupsSequence[0].PlanePositionSequence[0].ImagePositionPatient).toEqual(ct.geometry!.imagePositionPatient);
    expect(ds.DimensionIndexSequence.map((d: { DimensionDescriptionLabel: string }) => d.DimensionDescriptionLabel)).toEqual(["Segment Number", "Image Position Patient"]);
    expect(ds.SegmentSequence[0]).toMatchObject({ SegmentAlgorithmType: "MANUAL", SegmentedPropertyTypeCodeSequence: [{ CodeValue: classCode(ds.SegmentSequence[0].SegmentLabel).CodeValue, CodingSchemeDesignator: "99CONCORD" }] });
    expect(ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence[0].ReferencedSOPInstanceUID).toBe(ct.sopInstanceUid);

    const masks = segmentMasks({ source: ct, rois: randomRois(3, ct) });
    expect(ds.SegmentsOverlap).toBe(masks.some((a, i) => masks.some((b, j) => i !== j && a.mask.some((v, k) => v && b.mask[k]))) ? "YES" : "NO");

    const plain = read(sc).ds;
    expect(plain.FrameOfReferenceUID).toBeUndefined();
    expect(plain.PerFrameFunctionalGroupsSequence[0].PlanePositionSequence).toBeUndefined();
    expect(plain.DimensionIndexSequence.map((d: { DimensionDescriptionLabel: string }) => d.DimensionDescriptionLabel)).toEqual(["Segment Number"]);
  });

  it("writes exactly the bytes dcmjs's DicomDict.write() writes", () => {
    for (const source of [ct, sc]) {
      const ds = segmentationDataset(segInput(source, randomRois(11, source)));
      expect(Buffer.from(writePart10(ds)).equals(Buffer.from(writePart10WithDcmjs(ds)))).toBe(true);
    }
  });

  it("gives the same bytes on a re-export and refuses a case without ROIs", () => {
    const input = segInput(ct, randomRois(5, ct));
    expect(Buffer.from(writeSegmentation(input)).equals(Buffer.from(writeSegmentation(segInput(ct, randomRois(5, ct)))))).toBe(true);
    expect(() => writeSegmentation(segInput(ct, []))).toThrow(NothingToSegmentError);
  });
});

/** Three slices of the CT image's grid, 2 mm apart along its normal, given out of order, with ROIs on two of them. */
function seriesInput(): PlanesSegmentationInput {
  const slice = (k: number): SourceImage => ({
    ...ct,
    sopInstanceUid: `${ct.sopInstanceUid}.${k}`,
    geometry: { ...ct.geometry!, imagePositionPatient: [ct.geometry!.imagePositionPatient[0], ct.geometry!.imagePositionPatient[1], ct.geometry!.imagePositionPatient[2] + 2 * k] },
  });
  const { source: _one, rois: _none, ...common } = segInput(ct, []);
  return {
    ...common,
    planes: [
      { source: slice(3), rois: randomRois(31, ct) },
      { source: slice(1), rois: randomRois(11, ct).filter((r) => r.className !== "Mass") },
    ],
  };
}

describe("a SEG over several planes of one grid", () => {
  it("has a frame per segment and plane with that segment's ROIs, segment by segment, planes in position order, each naming its image", () => {
    const input = seriesInput();
    const [third, first] = input.planes;
    const decoded = readSegmentation(writePlanesSegmentation(input));
    const expected = ["Consolidation", "Mass", "Nodule"].flatMap((className, s) =>
      [first!, third!]
        .map((plane) => ({ plane, mask: segmentMasks({ rois: plane.rois, source: plane.source }).find((m) => m.className === className)?.mask }))
        .filter((x) => x.mask)
        .map(({ plane, mask }) => ({ segmentNumber: s + 1, sourceSopInstanceUid: plane.source.sopInstanceUid, mask: mask! })),
    );
    expect(decoded.segments.map((x) => x.label)).toEqual(["Consolidation", "Mass", "Nodule"]);
    expect(decoded.frames.map((f) => [f.segmentNumber, f.sourceSopInstanceUid])).toEqual(expected.map((f) => [f.segmentNumber, f.sourceSopInstanceUid]));
    decoded.frames.forEach((f, i) => expect(f.mask).toEqual(expected[i]!.mask));
    const ds = planesSegmentationDataset(input);
    const groups = ds.PerFrameFunctionalGroupsSequence as Array<Record<string, any>>;
    // Position index 1 is the lower slice (1), 2 the upper (3); each frame's plane is its slice's.
    expect(groups.map((g) => [g.FrameContentSequence[0].DimensionIndexValues, g.PlanePositionSequence[0].ImagePositionPatient[2]])).toEqual(
      expected.map((f) => [[f.segmentNumber, f.sourceSopInstanceUid === first!.source.sopInstanceUid ? 1 : 2], f.sourceSopInstanceUid === first!.source.sopInstanceUid ? ct.geometry!.imagePositionPatient[2] + 2 : ct.geometry!.imagePositionPatient[2] + 6]),
    );
    expect((ds.ReferencedSeriesSequence as Array<Record<string, any>>)[0]!.ReferencedInstanceSequence.map((r: Record<string, string>) => r.ReferencedSOPInstanceUID)).toEqual([first!.source.sopInstanceUid, third!.source.sopInstanceUid]);
    // The same planes in another order make the same file.
    expect(Buffer.from(writePlanesSegmentation({ ...input, planes: [first!, third!] })).equals(Buffer.from(writePlanesSegmentation(input)))).toBe(true);
  });

  it("refuses planes of different sizes", () => {
    const input = seriesInput();
    expect(() => writePlanesSegmentation({ ...input, planes: [...input.planes, { source: sc, rois: randomRois(3, sc) }] })).toThrow(/one grid/);
  });
});

describe.skipIf(!hasTool("dciodvfy"))(`dicom3tools finds our SEG conformant${hasTool("dciodvfy") ? "" : ` (${NO_DICOM3TOOLS})`}`, () => {
  it("dciodvfy finds no error in a SEG of a CT image or of a Secondary Capture", () => {
    for (const [name, source] of [["ct", ct], ["sc", sc]] as const) {
      expect(iodErrors(writeSegmentation(segInput(source, randomRois(7, source)))).map((e) => `${name}: ${e}`)).toEqual([]);
    }
  });

  it("dciodvfy finds no error in a SEG with a SEMIAUTOMATIC segment (its algorithm named)", () => {
    const rois = randomRois(7, ct).map((r) => (r.className === "Mass" ? { ...r, algorithm: "lesions v1" } : r));
    expect(iodErrors(writeSegmentation(segInput(ct, rois)))).toEqual([]);
  });

  it("dciodvfy finds no error in a SEG over several slices", () => {
    expect(iodErrors(writePlanesSegmentation(seriesInput()))).toEqual([]);
  });
});

describe.skipIf(!hasTool("dcmdump") || !hasTool("dcm2pnm"))(`DCMTK reads our SEG${hasTool("dcmdump") ? "" : ` (${NO_DCMTK})`}`, () => {
  it("dcmdump reads it without errors or warnings and dcm2pnm decodes the frames to our masks", async () => {
    for (const [name, source] of [["ct", ct], ["sc", sc]] as const) {
      const rois = randomRois(7, source);
      const file = path.join(tmp, `${name}-seg.dcm`);
      fs.writeFileSync(file, writeSegmentation(segInput(source, rois)));
      const dump = await run("dcmdump", ["-v", "+L", file]);
      expect(dump.stderr.trim()).toBe("");
      expect(dump.stdout).not.toMatch(/error|warning/i);
      expect(dump.stdout).toContain("(0002,0010) UI =LittleEndianExplicit");
      expect(dump.stdout).toContain("(0008,0016) UI =SegmentationStorage");

      const masks = segmentMasks({ source, rois });
      const out = path.join(tmp, `${name}-frame`);
      await run("dcm2pnm", ["+Fa", "+op", file, out]);
      masks.forEach(({ mask }, i) => {
        const pgm = fs.readFileSync(`${out}.${i}.pgm`);
        const header = `P5\n${source.columns} ${source.rows}\n255\n`;
        expect(pgm.subarray(0, header.length).toString("latin1")).toBe(header);
        expect(Uint8Array.from(pgm.subarray(header.length), (v) => (v ? 1 : 0))).toEqual(mask);
      });
    }
  });
});
