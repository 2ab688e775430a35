import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  applyWindow,
  colorRaster,
  decodeFrame,
  decodeRle,
  describePixels,
  encodeJpeg,
  encodePng,
  fitToViewport,
  minMaxWindow,
  modalityValues,
  negotiateRendered,
  parseQuality,
  parseViewport,
  parseWindow,
  renderFrame,
  RenderError,
  toRaster,
  windowValue,
  type PixelDescription,
  type Raster,
} from "./rendered.js";

const gray16 = (over: Partial<PixelDescription> = {}): PixelDescription => ({
  rows: 1,
  columns: 4,
  samplesPerPixel: 1,
  photometric: "MONOCHROME2",
  bitsAllocated: 16,
  bitsStored: 16,
  highBit: 15,
  pixelRepresentation: 0,
  planarConfiguration: 0,
  rescaleSlope: 1,
  rescaleIntercept: 0,
  window: null,
  ...over,
});

const le16 = (values: number[]) => {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v & 0xffff, true));
  return bytes;
};

const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof RenderError ? err.status : -1;
  }
  return undefined;
};

describe("rendered: window math (PS3.3 C.11.2.1.2)", () => {
  it("LINEAR maps the window's edges as the standard says", () => {
    const w = { center: 40, width: 400, fn: "LINEAR" as const };
    expect(windowValue(-160, w)).toBe(0); // c - 0.5 - (w-1)/2
    expect(windowValue(-1000, w)).toBe(0);
    expect(windowValue(239.5, w)).toBe(255); // above c - 0.5 + (w-1)/2
    expect(windowValue(40, w)).toBe(128);
    expect(windowValue(-159, w)).toBe(1);
    // width 1: a threshold at center - 0.5
    expect(windowValue(99, { center: 100, width: 1, fn: "LINEAR" })).toBe(0);
    expect(windowValue(100, { center: 100, width: 1, fn: "LINEAR" })).toBe(255);
  });

  it("LINEAR_EXACT and SIGMOID", () => {
    const exact = { center: 100, width: 200, fn: "LINEAR_EXACT" as const };
    expect([windowValue(0, exact), windowValue(100, exact), windowValue(200, exact), windowValue(201, exact)]).toEqual([0, 128, 255, 255]);
    const sigmoid = { center: 0, width: 10, fn: "SIGMOID" as const };
    expect(windowValue(0, sigmoid)).toBe(128);
    expect(windowValue(-100, sigmoid)).toBe(0);
    expect(windowValue(100, sigmoid)).toBe(255);
    expect(windowValue(5, sigmoid)).toBe(Math.round(255 / (1 + Math.exp(-2))));
  });

  it("a min–max window sends the lowest value to 0 and the highest to 255, a flat image to 0", () => {
    const values = Float32Array.from([-1024, 0, 500, 3071]);
    expect(Array.from(applyWindow(values, minMaxWindow(values)))).toEqual([0, Math.round((1024 / 4095) * 255), Math.round((1524 / 4095) * 255), 255]);
    const flat = Float32Array.from([7, 7, 7]);
    expect(Array.from(applyWindow(flat, minMaxWindow(flat)))).toEqual([0, 0, 0]);
  });

  it("parses window=center,width[,function] and refuses nonsense", () => {
    expect(parseWindow("40,400")).toEqual({ center: 40, width: 400, fn: "LINEAR" });
    expect(parseWindow("-600.5, 1500, linear-exact")).toEqual({ center: -600.5, width: 1500, fn: "LINEAR_EXACT" });
    expect(parseWindow("0,0.5,SIGMOID")).toEqual({ center: 0, width: 0.5, fn: "SIGMOID" });
    for (const bad of ["40", "40,0", "40,0.5", "a,b", "40,400,cubic", "40,400,linear,1", ",400"]) expect(status(() => parseWindow(bad)), bad).toBe(400);
  });
});

describe("rendered: stored values through the Modality LUT", () => {
  it("reads 16-bit signed values, sign-extended from Bits Stored, with Rescale Slope and Intercept", () => {
    const d = gray16({ pixelRepresentation: 1, rescaleSlope: 2, rescaleIntercept: -10 });
    expect(Array.from(modalityValues(le16([-1000, 0, 1000, 32767]), d))).toEqual([-2010, -10, 1990, 65524]);
    // 12 bits stored: the bits above High Bit are not part of the value
    const d12 = gray16({ pixelRepresentation: 1, bitsStored: 12, highBit: 11 });
    expect(Array.from(modalityValues(le16([0x0fff, 0xf805, 0x07ff, 0x0800]), d12))).toEqual([-1, -2043, 2047, -2048]);
    // High Bit not at Bits Stored - 1: the value is shifted down
    const shifted = gray16({ bitsStored: 12, highBit: 15 });
    expect(Array.from(modalityValues(le16([0xfff0, 0x0010, 0x8000, 0]), shifted))).toEqual([4095, 1, 2048, 0]);
    // A frame starting at an odd byte within its file's buffer reads the same.
    const odd = new Uint8Array(9);
    odd.set(le16([0x0fff, 0xf805, 0x07ff, 0x0800]), 1);
    expect(Array.from(modalityValues(odd.subarray(1), d12))).toEqual([-1, -2043, 2047, -2048]);
  });

  it("reads 8-bit, 1-bit and 32-bit samples", () => {
    expect(Array.from(modalityValues(Uint8Array.of(0, 128, 255, 1), gray16({ bitsAllocated: 8, bitsStored: 8, highBit: 7 })))).toEqual([0, 128, 255, 1]);
    expect(Array.from(modalityValues(Uint8Array.of(0b1010_0101), gray16({ columns: 8, bitsAllocated: 1, bitsStored: 1, highBit: 0 })))).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    const u32 = new Uint8Array(8);
    new DataView(u32.buffer).setUint32(0, 4_000_000_000, true);
    new DataView(u32.buffer).setInt32(4, -5, true);
    expect(Array.from(modalityValues(u32, gray16({ columns: 1, bitsAllocated: 32, bitsStored: 32, highBit: 31 })))).toEqual([4_000_000_000]);
    expect(Array.from(modalityValues(u32.subarray(4), gray16({ columns: 1, bitsAllocated: 32, bitsStored: 32, highBit: 31, pixelRepresentation: 1 })))).toEqual([-5]);
  });

  it("refuses a frame too short for its pixels, and Bits Allocated it does not know", () => {
    expect(status(() => modalityValues(new Uint8Array(6), gray16()))).toBe(406);
    expect(status(() => modalityValues(new Uint8Array(12), gray16({ bitsAllocated: 24 })))).toBe(406);
  });

  it("reads the pixel attributes from a data set, window only when it is usable", () => {
    const d = describePixels({
      "00280002": { vr: "US", Value: [1] },
      "00280004": { vr: "CS", Value: ["MONOCHROME1"] },
      "00280010": { vr: "US", Value: [2] },
      "00280011": { vr: "US", Value: [3] },
      "00280100": { vr: "US", Value: [16] },
      "00280101": { vr: "US", Value: [12] },
      "00280103": { vr: "US", Value: [1] },
      "00281050": { vr: "DS", Value: [40, 80] },
      "00281051": { vr: "DS", Value: [400, 2000] },
      "00281052": { vr: "DS", Value: [-1024] },
      "00281053": { vr: "DS", Value: [1] },
    });
    expect(d).toMatchObject({ rows: 2, columns: 3, photometric: "MONOCHROME1", bitsStored: 12, highBit: 11, pixelRepresentation: 1, rescaleIntercept: -1024 });
    expect(d.window).toEqual({ center: 40, width: 400, fn: "LINEAR" });
    expect(describePixels({ "00281050": { vr: "DS", Value: [40] }, "00281051": { vr: "DS", Value: [0] } }).window).toBeNull();
    expect(describePixels({}).rescaleSlope).toBe(1);
  });
});

describe("rendered: grayscale to 8 bits", () => {
  const values = Float32Array.from([100, 200, 300, 400]);
  const frame = { kind: "gray" as const, width: 4, height: 1, values };

  it("uses the request's window, else the file's, else min–max", () => {
    expect(Array.from(toRaster(frame, gray16()).data)).toEqual([0, 85, 170, 255]);
    expect(Array.from(toRaster(frame, gray16({ window: { center: 250, width: 100, fn: "LINEAR_EXACT" } })).data)).toEqual([0, 0, 255, 255]);
    const requested = { center: 350, width: 100, fn: "LINEAR_EXACT" as const };
    expect(Array.from(toRaster(frame, gray16({ window: { center: 250, width: 100, fn: "LINEAR_EXACT" } }), requested).data)).toEqual([0, 0, 0, 255]);
  });

  it("inverts MONOCHROME1: the lowest value is white", () => {
    expect(Array.from(toRaster(frame, gray16({ photometric: "MONOCHROME1" })).data)).toEqual([255, 170, 85, 0]);
  });

  it("renders 16-bit signed CT with rescale through a window, end to end", () => {
    // stored -1024..3071 with intercept -1024 → HU -2048..2047; a soft-tissue window 40,400
    const d = gray16({ pixelRepresentation: 1, rescaleIntercept: -1024 });
    const png = renderFrame(le16([0, 1024 + 40, 1024 + 240, 3071]), true, "1.2.840.10008.1.2.1", d, { type: "image/png", window: parseWindow("40,400") });
    const decoded = PNG.sync.read(png);
    expect([decoded.width, decoded.height]).toEqual([4, 1]);
    expect([0, 1, 2, 3].map((i) => decoded.data[i * 4])).toEqual([0, 128, 255, 255]);
  });
});

describe("rendered: colour", () => {
  const rgb = (over: Partial<PixelDescription>) => gray16({ columns: 2, samplesPerPixel: 3, photometric: "RGB", bitsAllocated: 8, bitsStored: 8, highBit: 7, ...over });

  it("interleaves planar RGB and keeps interleaved RGB", () => {
    expect(Array.from(colorRaster(Uint8Array.of(1, 2, 3, 4, 5, 6), rgb({})).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(colorRaster(Uint8Array.of(1, 4, 2, 5, 3, 6), rgb({ planarConfiguration: 1 })).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("converts YBR_FULL and YBR_FULL_422 to RGB", () => {
    expect(Array.from(colorRaster(Uint8Array.of(128, 128, 128, 76, 85, 255), rgb({ photometric: "YBR_FULL" })).data)).toEqual([128, 128, 128, 254, 0, 0]);
    // Y1 Y2 Cb Cr: two greys sharing neutral chroma
    expect(Array.from(colorRaster(Uint8Array.of(10, 200, 128, 128), rgb({ photometric: "YBR_FULL_422" })).data)).toEqual([10, 10, 10, 200, 200, 200]);
  });

  it("scales 16-bit colour to 8 bits and refuses what it does not know", () => {
    const d = rgb({ columns: 1, bitsAllocated: 16, bitsStored: 16, highBit: 15 });
    expect(Array.from(colorRaster(le16([0xffff, 0x8000, 0x00ff]), d).data)).toEqual([255, 128, 0]);
    expect(status(() => decodeFrame(new Uint8Array(2), true, "1.2.840.10008.1.2.1", rgb({ photometric: "PALETTE COLOR", samplesPerPixel: 1 })))).toBe(406);
    expect(status(() => decodeFrame(new Uint8Array(2), false, "1.2.840.10008.1.2.4.80", gray16()))).toBe(406);
    expect(status(() => decodeFrame(new Uint8Array(2), false, "1.2.840.10008.1.2.4.90", gray16()))).toBe(406);
  });
});

describe("rendered: compressed frames decoded here", () => {
  it("decodes RLE Lossless, most significant byte segment first", () => {
    // 2x2, 16-bit: values 0x0102, 0x0102, 0x0304, 0x0506
    const high = Uint8Array.of(0xff, 0x01, 0x01, 0x03, 0x05); // replicate 0x01 twice, literal 03 05
    const low = Uint8Array.of(0x03, 0x02, 0x02, 0x04, 0x06); // literal 02 02 04 06
    const header = new Uint8Array(64);
    const view = new DataView(header.buffer);
    view.setUint32(0, 2, true);
    view.setUint32(4, 64, true);
    view.setUint32(8, 64 + high.length, true);
    const frame = Uint8Array.from([...header, ...high, ...low]);
    const d = gray16({ rows: 2, columns: 2 });
    expect(Array.from(decodeRle(frame, d))).toEqual([0x02, 0x01, 0x02, 0x01, 0x04, 0x03, 0x06, 0x05]);
    const decoded = decodeFrame(frame, false, "1.2.840.10008.1.2.5", d);
    expect(decoded.kind === "gray" && Array.from(decoded.values)).toEqual([0x0102, 0x0102, 0x0304, 0x0506]);
    const wrongSegments = frame.slice();
    wrongSegments[0] = 3;
    expect(status(() => decodeRle(wrongSegments, d))).toBe(406);
  });

  it("decodes 8-bit baseline JPEG with jpeg-js, refuses 12-bit JPEG", () => {
    const width = 16;
    const height = 8;
    const rgba = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : 200));
    const encoded = new Uint8Array(jpeg.encode({ width, height, data: rgba }, 95).data);
    const d = gray16({ rows: height, columns: width, samplesPerPixel: 3, photometric: "YBR_FULL_422", bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    const decoded = decodeFrame(encoded, false, "1.2.840.10008.1.2.4.50", d);
    expect(decoded.kind).toBe("rgb");
    if (decoded.kind === "rgb") {
      expect([decoded.raster.width, decoded.raster.height]).toEqual([width, height]);
      expect(Math.abs(decoded.raster.data[0]! - 200)).toBeLessThanOrEqual(2);
    }
    const twelveBit = Uint8Array.from(encoded);
    const sof = twelveBit.findIndex((b, i) => b === 0xff && twelveBit[i + 1] === 0xc0);
    twelveBit[sof + 4] = 12;
    expect(status(() => decodeFrame(twelveBit, false, "1.2.840.10008.1.2.4.51", d))).toBe(406);
  });
});

describe("rendered: viewport and encoding", () => {
  const ramp = (width: number, height: number): Raster => ({ width, height, channels: 1, data: Uint8Array.from({ length: width * height }, (_, i) => i % 256) });

  it("parses vw,vh and vw,vh,sx,sy,sw,sh", () => {
    expect(parseViewport("64,48")).toEqual({ width: 64, height: 48 });
    expect(parseViewport("10,10,2,3,4,5")).toEqual({ width: 10, height: 10, region: { x: 2, y: 3, width: 4, height: 5 } });
    for (const bad of ["0,10", "10", "10,10,1,1,0,1", "-1,5", "1.5,2", "99999,1", "a,b"]) expect(status(() => parseViewport(bad)), bad).toBe(400);
  });

  it("scales down to fit, keeping the aspect ratio, never up", () => {
    const r = ramp(100, 50);
    const fit = fitToViewport(r, { width: 40, height: 40 });
    expect([fit.width, fit.height]).toEqual([40, 20]);
    expect(fitToViewport(r, { width: 400, height: 400 })).toBe(r);
  });

  it("averages the pixels each output pixel covers (box filter), and crops a region", () => {
    const r: Raster = { width: 4, height: 2, channels: 1, data: Uint8Array.of(0, 10, 100, 200, 20, 30, 0, 0) };
    expect(Array.from(fitToViewport(r, { width: 2, height: 1 }).data)).toEqual([15, 75]);
    const cropped = fitToViewport(r, { width: 10, height: 10, region: { x: 2, y: 0, width: 2, height: 1 } });
    expect([cropped.width, cropped.height, ...cropped.data]).toEqual([2, 1, 100, 200]);
    const colour: Raster = { width: 2, height: 1, channels: 3, data: Uint8Array.of(0, 100, 200, 10, 110, 210) };
    expect(Array.from(fitToViewport(colour, { width: 1, height: 1 }).data)).toEqual([5, 105, 205]);
  });

  it("encodes grey and colour PNG losslessly, and JPEG at the quality asked", () => {
    const grey = ramp(5, 3);
    const g = PNG.sync.read(encodePng(grey));
    expect([g.width, g.height, g.data[4 * 4], g.data[7 * 4]]).toEqual([5, 3, 4, 7]);
    const colour: Raster = { width: 1, height: 1, channels: 3, data: Uint8Array.of(1, 2, 3) };
    expect(Array.from(PNG.sync.read(encodePng(colour)).data)).toEqual([1, 2, 3, 255]);
    const big = ramp(64, 64);
    const low = encodeJpeg(big, 10);
    const high = encodeJpeg(big, 95);
    expect(low.length).toBeLessThan(high.length);
    const decoded = jpeg.decode(high, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([64, 64]);
    expect(parseQuality("75")).toBe(75);
    for (const bad of ["0", "101", "abc", "5.5"]) expect(status(() => parseQuality(bad)), bad).toBe(400);
  });

  it("negotiates image/png (also for */*, image/* and no Accept) or image/jpeg, else 406", () => {
    expect(negotiateRendered(undefined)).toBe("image/png");
    expect(negotiateRendered("*/*")).toBe("image/png");
    expect(negotiateRendered("image/png")).toBe("image/png");
    expect(negotiateRendered("image/jpeg")).toBe("image/jpeg");
    expect(negotiateRendered("image/gif, image/jpeg;q=0.5, image/png;q=0.9")).toBe("image/png");
    expect(negotiateRendered("image/png;q=0, image/jpeg")).toBe("image/jpeg");
    expect(status(() => negotiateRendered("image/gif"))).toBe(406);
    expect(status(() => negotiateRendered('multipart/related; type="image/png"'))).toBe(406);
  });
});
