import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../testing/random.js";
import { NIFTI_DATATYPE, niftiFile, nrrdFile } from "../../../testing/volumes.js";
import { readAnnotationFile } from "./import-file.js";
import { segInput, secondaryCaptureImage, sourceOf } from "./test-sources.js";
import { writeSegmentation } from "./seg.js";

const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 300);

/** A label volume with two labels in boxes, and a qform. */
function labelVolume(): Uint8Array {
  const values = new Uint8Array(12 * 10 * 4);
  for (let z = 1; z < 3; z++) for (let y = 2; y < 7; y++) values.fill(z, z * 120 + y * 12 + 3, z * 120 + y * 12 + 9);
  return niftiFile({ datatype: NIFTI_DATATYPE.uint8, dims: [12, 10, 4], pixdim: [0.5, 0.5, 2], values, qformCode: 1, qoffset: [1, 2, 3] });
}

/** Damage in the ways files are damaged: bytes overwritten, cut short, a range dropped or doubled. */
function damage(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = bytes.slice();
  const at = Math.floor(random() * out.length);
  switch (Math.floor(random() * 4)) {
    case 0:
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) out[Math.floor(random() * Math.min(out.length, random() < 0.7 ? 400 : out.length))] = Math.floor(random() * 256);
      return out;
    case 1:
      return out.subarray(0, at);
    case 2:
      return new Uint8Array([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + 1 + Math.floor(random() * 64)))]);
    default:
      return new Uint8Array([...out.subarray(0, at), ...out.subarray(at, at + 64), ...out.subarray(at)]);
  }
}

describe("reading damaged files for the annotation import", () => {
  const sources: Array<[string, Uint8Array]> = [
    ["mask.nii", labelVolume()],
    ["mask.nii.gz", new Uint8Array(gzipSync(labelVolume()))],
    ["mask.nrrd", nrrdFile({ type: "unsigned char", sizes: [6, 5, 3], encoding: "raw", values: Array.from({ length: 90 }, (_, i) => (i % 7 === 0 ? 2 : i % 5 === 0 ? 1 : 0)), spaceDirections: [[1, 0, 0], [0, 1, 0], [0, 0, 2]], space: "left-posterior-superior", spaceOrigin: [0, 0, 0] })],
    ["seg.dcm", writeSegmentation(segInput(sourceOf(secondaryCaptureImage(23, 17)), [{ id: "a", className: "Spot", kind: "rectangle", points: [[2, 2], [9, 8]] }]))],
  ];
  for (const [name, bytes] of sources) {
    it(`${name}: every damaged copy is read or refused naming the file, never thrown (${ROUNDS} rounds)`, () => {
      const random = seededRandom(name.length * 7919);
      for (let round = 0; round < ROUNDS; round++) {
        const damaged = damage(bytes, random);
        const read = readAnnotationFile(damaged, name);
        if (!read.ok) {
          expect(read.message, `round ${round}`).toContain(name);
          expect(read.message, `round ${round}`).not.toMatch(/could not be read \(/);
        } else if ("volume" in read) {
          for (const r of read.volume.rois) expect(r.slice >= 1 && r.slice <= read.volume.slices, `round ${round}`).toBe(true);
        }
      }
    });
  }
});
