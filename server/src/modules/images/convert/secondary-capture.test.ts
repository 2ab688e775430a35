import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { loadManifest, NO_FIXTURES } from "../../../testing/shared-fixtures.js";
import { imageKind, imageToSecondaryCapture, jpegFrame, SECONDARY_CAPTURE, type DicomParts } from "./secondary-capture.js";

interface Dcmjs {
  data: {
    DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
    DicomMessage: { readFile(buf: ArrayBuffer): { meta: Record<string, { Value?: unknown[] }>; dict: Record<string, { vr: string; Value?: unknown[] }> } };
  };
}
const dcmjs = require("dcmjs") as Dcmjs;

function toPart10(parts: DicomParts): ArrayBuffer {
  const d = new dcmjs.data.DicomDict(parts.meta);
  d.dict = parts.dict;
  return d.write();
}
const value = (el: { Value?: unknown[] } | undefined) => el?.Value?.[0];
const hasDcmdump = (() => {
  try {
    execFileSync("dcmdump", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function png(width: number, height: number, opts: { depth: 8 | 16; colorType: 0 | 2 }, sample: (x: number, y: number, c: number) => number): Buffer {
  const image = new PNG({ width, height, bitDepth: opts.depth, colorType: opts.colorType, inputColorType: opts.colorType, inputHasAlpha: false });
  const channels = opts.colorType === 0 ? 1 : 3;
  const data = opts.depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = sample(x, y, c);
  image.data = Buffer.from(data.buffer);
  return PNG.sync.write(image, { bitDepth: opts.depth, colorType: opts.colorType, inputColorType: opts.colorType, inputHasAlpha: false });
}

describe("PNG and JPEG to DICOM Secondary Capture", () => {
  it("recognises PNG and JPEG by their signatures only", () => {
    expect(imageKind(png(2, 2, { depth: 8, colorType: 0 }, () => 1))).toBe("png");
    expect(imageKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(imageKind(new TextEncoder().encode("DICM but not really"))).toBeNull();
    expect(() => imageToSecondaryCapture(new Uint8Array([1, 2, 3]), "notes.txt")).toThrow("notes.txt: not a PNG or JPEG image");
  });

  it("keeps an 8-bit grey PNG's pixels exactly", () => {
    const sc = imageToSecondaryCapture(png(7, 5, { depth: 8, colorType: 0 }, (x, y) => x * 30 + y), "cxr.png", { patientId: "cxr" });
    const read = dcmjs.data.DicomMessage.readFile(toPart10(sc));
    expect(value(read.meta["00020010"])).toBe("1.2.840.10008.1.2.1");
    expect(value(read.dict["00080016"])).toBe(SECONDARY_CAPTURE);
    expect([value(read.dict["00280010"]), value(read.dict["00280011"]), value(read.dict["00280100"])]).toEqual([5, 7, 8]);
    expect(value(read.dict["00280004"])).toBe("MONOCHROME2");
    const px = new Uint8Array(value(read.dict["7FE00010"]) as ArrayBuffer);
    expect(px.length).toBe(36); // 35 pixels and one byte of padding to an even length
    expect(px[35]).toBe(0);
    expect(px[2 * 7 + 3]).toBe(3 * 30 + 2);
  });

  it("keeps a 16-bit grey PNG's depth and values", () => {
    const sc = imageToSecondaryCapture(png(4, 3, { depth: 16, colorType: 0 }, (x, y) => 4000 + x * 1000 + y * 7), "dx16.png");
    const read = dcmjs.data.DicomMessage.readFile(toPart10(sc));
    expect([value(read.dict["00280100"]), value(read.dict["00280101"]), value(read.dict["00280102"])]).toEqual([16, 16, 15]);
    expect(read.dict["7FE00010"]!.vr).toBe("OW");
    const px = new Uint16Array(value(read.dict["7FE00010"]) as ArrayBuffer);
    expect(px[2 * 4 + 3]).toBe(4000 + 3000 + 14);
    expect(Math.max(...px)).toBeGreaterThan(255);
  });

  it("stores a colour PNG as RGB, interleaved", () => {
    const sc = imageToSecondaryCapture(png(3, 2, { depth: 8, colorType: 2 }, (x, y, c) => [200, 100, 50][c]! + x + y), "rgb.png");
    const read = dcmjs.data.DicomMessage.readFile(toPart10(sc));
    expect(value(read.dict["00280002"])).toBe(3);
    expect(value(read.dict["00280004"])).toBe("RGB");
    expect(value(read.dict["00280006"])).toBe(0);
    const px = new Uint8Array(value(read.dict["7FE00010"]) as ArrayBuffer);
    expect([...px.slice(0, 3)]).toEqual([200, 100, 50]);
  });

  it("keeps a baseline JPEG as it is, encapsulated under the JPEG baseline transfer syntax", () => {
    const rgba = new Uint8Array(16 * 8 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
    const encoded = jpeg.encode({ data: rgba, width: 16, height: 8 }, 90).data;
    expect(jpegFrame(encoded)).toMatchObject({ sof: 0xc0, precision: 8, rows: 8, columns: 16, components: 3 });
    const sc = imageToSecondaryCapture(encoded, "photo.jpg");
    expect(value(sc.meta["00020010"])).toBe("1.2.840.10008.1.2.4.50");
    expect(value(sc.dict["00280004"])).toBe("YBR_FULL_422");
    const frame = new Uint8Array(value(sc.dict["7FE00010"]) as ArrayBuffer);
    expect(Buffer.from(frame.subarray(0, encoded.length)).equals(Buffer.from(encoded))).toBe(true);
    expect(frame.length - encoded.length).toBe(encoded.length % 2);
  });

  it("refuses a broken PNG and a JPEG without a frame header, naming the file", () => {
    const good = png(4, 4, { depth: 8, colorType: 0 }, () => 9);
    expect(() => imageToSecondaryCapture(good.subarray(0, 40), "cut.png")).toThrow(/^cut\.png: unreadable PNG/);
    expect(() => imageToSecondaryCapture(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), "empty.jpg")).toThrow(/^empty\.jpg: JPEG without a readable frame header/);
  });

  it.skipIf(!hasDcmdump)("writes files DCMTK reads (skipped without dcmdump: apt-get install dcmtk)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-sc-"));
    try {
      const encoded = jpeg.encode({ data: new Uint8Array(8 * 8 * 4).fill(128), width: 8, height: 8 }, 80).data;
      for (const [name, parts] of [
        ["png16.dcm", imageToSecondaryCapture(png(4, 4, { depth: 16, colorType: 0 }, (x) => x * 900), "a.png")],
        ["jpeg.dcm", imageToSecondaryCapture(encoded, "b.jpg")],
      ] as const) {
        const file = path.join(dir, name);
        fs.writeFileSync(file, Buffer.from(toPart10(parts)));
        const dump = execFileSync("dcmdump", ["-q", file], { encoding: "utf8" });
        expect(dump, name).toContain("SecondaryCaptureImageStorage");
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const manifest = loadManifest();
  const pngs = ((manifest?.raw.png as { images?: Array<{ path: string; width: number; height: number; bitDepth: number }> } | undefined)?.images ?? []).slice(0, 3);
  describe.skipIf(!manifest)(`the chest X-ray PNG fixtures (${manifest ? "present" : NO_FIXTURES})`, () => {
    it.each(pngs.map((p) => [p.path, p] as const))("%s becomes a Secondary Capture of the same size", (_p, entry) => {
      const bytes = fs.readFileSync(path.join(manifest!.dir, entry.path));
      const sc = imageToSecondaryCapture(bytes, path.basename(entry.path), { modality: "DX" });
      const read = dcmjs.data.DicomMessage.readFile(toPart10(sc));
      expect([value(read.dict["00280010"]), value(read.dict["00280011"]), value(read.dict["00280100"])]).toEqual([entry.height, entry.width, entry.bitDepth]);
      expect((value(sc.dict["7FE00010"]) as ArrayBuffer).byteLength).toBe(entry.width * entry.height * (entry.bitDepth / 8));
    });
  });
});
