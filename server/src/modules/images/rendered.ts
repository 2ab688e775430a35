import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { jpegFrame } from "./convert/secondary-capture.js";
import type { DcmjsDataset } from "./dicom/dcmjs.js";

/*
 * WADO-RS rendered resources (PS3.18 §8.3.5, §10.4.1.1.3): one frame as an 8-bit PNG or JPEG.
 * Pure functions, from a frame's bytes to the encoded image:
 *
 *   stored values → Modality LUT (Rescale Slope/Intercept) → window (the request's, else the
 *   file's first Window Center/Width, else min–max) → MONOCHROME1 inverted → viewport → encode
 *
 * Native grayscale (1, 8, 16, 32 bits, signed or not) and colour (RGB, YBR_FULL, YBR_FULL_422)
 * are rendered; so are RLE Lossless (decoded here) and 8-bit JPEG baseline/extended frames
 * (jpeg-js). Other compressed syntaxes and PALETTE COLOR are answered 406; a VOI LUT Sequence or
 * Presentation LUT Shape in the file is not applied yet.
 */

export class RenderError extends Error {
  constructor(
    readonly status: 400 | 406,
    message: string,
  ) {
    super(message);
  }
}

export type WindowFunction = "LINEAR" | "LINEAR_EXACT" | "SIGMOID";

export interface Window {
  center: number;
  width: number;
  fn: WindowFunction;
}

export interface PixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometric: string;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** The file's first Window Center/Width, with its VOI LUT Function. */
  window: Window | null;
}

/** An 8-bit raster: 1 channel (grey) or 3 (RGB, interleaved). */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Modality values of a grayscale frame, or a colour frame already as 8-bit RGB. */
export type DecodedFrame = { kind: "gray"; width: number; height: number; values: Float32Array } | { kind: "rgb"; raster: Raster };

const first = (ds: DcmjsDataset, key: string): unknown => ds[key]?.Value?.[0];
const numberOf = (ds: DcmjsDataset, key: string, fallback: number): number => {
  const v = first(ds, key);
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
};

export function describePixels(ds: DcmjsDataset): PixelDescription {
  const bitsAllocated = numberOf(ds, "00280100", 8);
  const bitsStored = numberOf(ds, "00280101", bitsAllocated);
  const center = first(ds, "00281050");
  const width = first(ds, "00281051");
  const fn = String(first(ds, "00281056") ?? "LINEAR").toUpperCase();
  const windowFn: WindowFunction = fn === "LINEAR_EXACT" || fn === "SIGMOID" ? fn : "LINEAR";
  const windowOk = typeof center === "number" && typeof width === "number" && Number.isFinite(center) && width >= (windowFn === "LINEAR" ? 1 : Number.MIN_VALUE);
  return {
    rows: numberOf(ds, "00280010", 0),
    columns: numberOf(ds, "00280011", 0),
    samplesPerPixel: numberOf(ds, "00280002", 1),
    photometric: String(first(ds, "00280004") ?? "MONOCHROME2").trim().toUpperCase(),
    bitsAllocated,
    bitsStored,
    highBit: numberOf(ds, "00280102", bitsStored - 1),
    pixelRepresentation: numberOf(ds, "00280103", 0),
    planarConfiguration: numberOf(ds, "00280006", 0),
    rescaleSlope: numberOf(ds, "00281053", 1) || 1,
    rescaleIntercept: numberOf(ds, "00281052", 0),
    window: windowOk ? { center: center as number, width: width as number, fn: windowFn } : null,
  };
}

// ---- native pixels

/** Typed arrays read in the host's byte order; DICOM's native data here is little endian. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Stored values (masked to Bits Stored from High Bit, sign-extended) through the Modality LUT. */
export function modalityValues(frame: Uint8Array, d: PixelDescription, into?: Float32Array): Float32Array {
  const count = d.rows * d.columns;
  const out = into && into.length === count ? into : new Float32Array(count);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const bytes = d.bitsAllocated / 8;
  if (![1, 8, 16, 32].includes(d.bitsAllocated)) throw new RenderError(406, `Bits Allocated ${d.bitsAllocated} is not rendered`);
  if (d.bitsAllocated === 1 ? frame.length * 8 < count : frame.length < count * bytes) {
    throw new RenderError(406, `the frame holds ${frame.length} bytes, too few for ${d.rows}×${d.columns} pixels of ${d.bitsAllocated} bits`);
  }
  const bitsStored = Math.min(d.bitsStored, d.bitsAllocated);
  const shift = Math.max(0, d.highBit + 1 - bitsStored);
  const range = 2 ** bitsStored;
  const half = range / 2;
  const signed = d.pixelRepresentation === 1;
  const { rescaleSlope: slope, rescaleIntercept: intercept } = d;
  if ((d.bitsAllocated === 8 || d.bitsAllocated === 16) && LITTLE_ENDIAN_HOST) {
    // 8 and 16 bits: the stored values read as a typed array and masked with integer operations
    // (the general loop below costs some 25 ms for a 512 x 512 slice, this one about 2).
    const samples =
      d.bitsAllocated === 8
        ? frame.subarray(0, count)
        : frame.byteOffset % 2 === 0
          ? new Uint16Array(frame.buffer, frame.byteOffset, count)
          : new Uint16Array(frame.slice(0, count * 2).buffer);
    const mask = range - 1;
    for (let i = 0; i < count; i++) {
      let v = (samples[i]! >>> shift) & mask;
      if (signed && v >= half) v -= range;
      out[i] = v * slope + intercept;
    }
    return out;
  }
  const divisor = 2 ** shift;
  for (let i = 0; i < count; i++) {
    let raw: number;
    if (d.bitsAllocated === 1) raw = (frame[i >> 3]! >> (i & 7)) & 1;
    else if (d.bitsAllocated === 8) raw = frame[i]!;
    else if (d.bitsAllocated === 16) raw = view.getUint16(i * 2, true);
    else raw = view.getUint32(i * 4, true);
    let v = shift || bitsStored < d.bitsAllocated ? Math.floor(raw / divisor) % range : raw;
    if (signed && v >= half) v -= range;
    out[i] = v * slope + intercept;
  }
  return out;
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** YCbCr (full range, PS3.3 C.7.6.3.1.2) to RGB. */
function ybrToRgb(y: number, cb: number, cr: number, out: Uint8Array, at: number): void {
  out[at] = clampByte(y + 1.402 * (cr - 128));
  out[at + 1] = clampByte(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
  out[at + 2] = clampByte(y + 1.772 * (cb - 128));
}

/** A native colour frame as 8-bit interleaved RGB. */
export function colorRaster(frame: Uint8Array, d: PixelDescription): Raster {
  const { rows: height, columns: width } = d;
  const count = width * height;
  const out = new Uint8Array(count * 3);
  if (d.bitsAllocated !== 8 && d.bitsAllocated !== 16) throw new RenderError(406, `colour with Bits Allocated ${d.bitsAllocated} is not rendered`);
  const bytes = d.bitsAllocated / 8;
  const down = Math.max(0, Math.min(d.bitsStored, d.bitsAllocated) - 8);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const sample = (index: number) => (bytes === 1 ? frame[index]! : view.getUint16(index * 2, true) >> down);
  if (d.photometric === "YBR_FULL_422") {
    // Two pixels share one Cb and Cr: Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
    if (frame.length < count * 2 * bytes) throw new RenderError(406, "the frame is too short for its YBR_FULL_422 pixels");
    for (let p = 0; p < count; p += 2) {
      const at = p * 2;
      const cb = sample(at + 2);
      const cr = sample(at + 3);
      ybrToRgb(sample(at), cb, cr, out, p * 3);
      if (p + 1 < count) ybrToRgb(sample(at + 1), cb, cr, out, (p + 1) * 3);
    }
    return { width, height, channels: 3, data: out };
  }
  if (frame.length < count * 3 * bytes) throw new RenderError(406, "the frame is too short for its colour pixels");
  const planar = d.planarConfiguration === 1;
  const at = (p: number, s: number) => (planar ? s * count + p : p * 3 + s);
  const ybr = d.photometric === "YBR_FULL";
  for (let p = 0; p < count; p++) {
    const a = sample(at(p, 0));
    const b = sample(at(p, 1));
    const c = sample(at(p, 2));
    if (ybr) ybrToRgb(a, b, c, out, p * 3);
    else {
      out[p * 3] = a;
      out[p * 3 + 1] = b;
      out[p * 3 + 2] = c;
    }
  }
  return { width, height, channels: 3, data: out };
}

const GRAY = new Set(["MONOCHROME1", "MONOCHROME2"]);
const COLOR = new Set(["RGB", "YBR_FULL", "YBR_FULL_422"]);

/** A native (little endian) frame, decoded. */
export function decodeNativeFrame(frame: Uint8Array, d: PixelDescription, into?: Float32Array): DecodedFrame {
  if (!d.rows || !d.columns) throw new RenderError(406, "the image has no Rows or Columns");
  if (GRAY.has(d.photometric) && d.samplesPerPixel === 1) {
    return { kind: "gray", width: d.columns, height: d.rows, values: modalityValues(frame, d, into) };
  }
  if (COLOR.has(d.photometric) && d.samplesPerPixel === 3) return { kind: "rgb", raster: colorRaster(frame, d) };
  throw new RenderError(406, `${d.photometric} with ${d.samplesPerPixel} sample${d.samplesPerPixel === 1 ? "" : "s"} per pixel is not rendered yet`);
}

// ---- compressed frames we can decode

export const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";

/** RLE Lossless (PS3.5 Annex G) to native little endian, interleaved (Planar Configuration 0). */
export function decodeRle(frame: Uint8Array, d: PixelDescription): Uint8Array {
  const count = d.rows * d.columns;
  const bytesPerSample = d.bitsAllocated / 8;
  if (frame.length < 64 || !Number.isInteger(bytesPerSample) || bytesPerSample < 1) throw new RenderError(406, "unreadable RLE frame");
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== d.samplesPerPixel * bytesPerSample || segments > 15) {
    throw new RenderError(406, `the RLE frame has ${segments} segments where ${d.samplesPerPixel * bytesPerSample} are expected`);
  }
  const offsets = Array.from({ length: segments }, (_, i) => view.getUint32(4 + i * 4, true));
  const out = new Uint8Array(count * d.samplesPerPixel * bytesPerSample);
  const stride = d.samplesPerPixel * bytesPerSample;
  for (let s = 0; s < segments; s++) {
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segments go most significant byte first
    const base = sample * bytesPerSample + byteInSample;
    let pos = offsets[s]!;
    const end = s + 1 < segments ? offsets[s + 1]! : frame.length;
    let p = 0;
    while (p < count && pos < end) {
      const n = (frame[pos++]! << 24) >> 24;
      if (n >= 0) {
        for (let k = 0; k <= n && p < count && pos < end; k++) out[p++ * stride + base] = frame[pos++]!;
      } else if (n !== -128) {
        const value = frame[pos++]!;
        for (let k = 0; k < 1 - n && p < count; k++) out[p++ * stride + base] = value;
      }
    }
  }
  return out;
}

/** 8-bit JPEG baseline or extended, with jpeg-js. Null when jpeg-js cannot decode this frame. */
export function decodeJpeg(frame: Uint8Array, d: PixelDescription): DecodedFrame | null {
  const header = jpegFrame(frame);
  if (!header || header.precision !== 8 || ![0xc0, 0xc1, 0xc2].includes(header.sof)) return null;
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(frame, {
      useTArray: true,
      formatAsRGBA: true,
      // RGB stored in JPEG was not colour-transformed by its writer; YBR was.
      colorTransform: d.photometric === "RGB" ? false : undefined,
      maxMemoryUsageInMB: 1024,
    });
  } catch (err) {
    throw new RenderError(406, `the JPEG frame cannot be decoded (${(err as Error).message})`);
  }
  const { width, height, data } = decoded;
  const count = width * height;
  if (header.components === 1) {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = data[i * 4]! * d.rescaleSlope + d.rescaleIntercept;
    return { kind: "gray", width, height, values };
  }
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    rgb[i * 3] = data[i * 4]!;
    rgb[i * 3 + 1] = data[i * 4 + 1]!;
    rgb[i * 3 + 2] = data[i * 4 + 2]!;
  }
  return { kind: "rgb", raster: { width, height, channels: 3, data: rgb } };
}

/**
 * One frame's bytes (native little endian for `native`, else as stored in `transferSyntaxUid`)
 * decoded; 406 for what cannot be decoded here. A grey frame's values go into `into` when it is
 * given and of the frame's size (a caller decoding many frames in turn), else into a new array.
 */
export function decodeFrame(frame: Uint8Array, native: boolean, transferSyntaxUid: string, d: PixelDescription, into?: Float32Array): DecodedFrame {
  if (native) return decodeNativeFrame(frame, d, into);
  if (transferSyntaxUid === RLE_LOSSLESS) return decodeNativeFrame(decodeRle(frame, d), { ...d, planarConfiguration: 0 }, into);
  if (transferSyntaxUid === JPEG_BASELINE || transferSyntaxUid === JPEG_EXTENDED) {
    const decoded = decodeJpeg(frame, d);
    if (decoded) return decoded;
    throw new RenderError(406, `this JPEG frame is not 8-bit baseline or extended JPEG, which is all the server decodes yet; retrieve its frames instead`);
  }
  throw new RenderError(406, `pixel data stored as ${transferSyntaxUid} is not rendered yet (only uncompressed, RLE and 8-bit JPEG are); retrieve its frames instead`);
}

// ---- window

const WINDOW_FUNCTIONS: Record<string, WindowFunction> = { linear: "LINEAR", "linear-exact": "LINEAR_EXACT", sigmoid: "SIGMOID" };

/** The `window=center,width[,function]` query parameter (function: linear, linear-exact, sigmoid). */
export function parseWindow(text: string): Window {
  const [c, w, f, ...rest] = text.split(",").map((s) => s.trim());
  const fn = f ? WINDOW_FUNCTIONS[f.toLowerCase()] : "LINEAR";
  const center = Number(c);
  const width = Number(w);
  if (rest.length || !fn || !c || !w || !Number.isFinite(center) || !Number.isFinite(width) || width <= 0 || (fn === "LINEAR" && width < 1)) {
    throw new RenderError(400, `window "${text.slice(0, 100)}" must be center,width[,linear|linear-exact|sigmoid] with a width above 0 (at least 1 for linear)`);
  }
  return { center, width, fn };
}

/** The window that maps the lowest value to 0 and the highest to 255. */
export function minMaxWindow(values: Float32Array): Window {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { center: 0, width: 0, fn: "LINEAR_EXACT" };
  return { center: (min + max) / 2, width: max - min, fn: "LINEAR_EXACT" };
}

/** A value through a VOI window to 0..255 (PS3.3 C.11.2.1.2). */
export function windowValue(x: number, w: Window): number {
  const { center: c, width } = w;
  if (w.fn === "SIGMOID") return clampByte(255 / (1 + Math.exp((-4 * (x - c)) / width)));
  if (w.fn === "LINEAR_EXACT") {
    if (x <= c - width / 2) return 0;
    if (x > c + width / 2) return 255;
    return clampByte(((x - c) / width + 0.5) * 255);
  }
  if (x <= c - 0.5 - (width - 1) / 2) return 0;
  if (x > c - 0.5 + (width - 1) / 2) return 255;
  return clampByte(((x - (c - 0.5)) / (width - 1) + 0.5) * 255);
}

export function applyWindow(values: Float32Array, w: Window): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = windowValue(values[i]!, w);
  return out;
}

export function invert(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] = 255 - bytes[i]!;
  return bytes;
}

/** A decoded frame as an 8-bit raster: windowed (request, file, else min–max) and MONOCHROME1 inverted. */
export function toRaster(frame: DecodedFrame, d: PixelDescription, requested?: Window | null): Raster {
  if (frame.kind === "rgb") return frame.raster;
  const window = requested ?? d.window ?? minMaxWindow(frame.values);
  const data = applyWindow(frame.values, window);
  if (d.photometric === "MONOCHROME1") invert(data);
  return { width: frame.width, height: frame.height, channels: 1, data };
}

// ---- viewport

export interface Viewport {
  width: number;
  height: number;
  /** Source region (sx, sy, sw, sh); the whole image when absent. */
  region?: { x: number; y: number; width: number; height: number };
}

export const MAX_VIEWPORT = 8192;

/** `viewport=vw,vh` or `viewport=vw,vh,sx,sy,sw,sh` (a source region, positive sizes only). */
export function parseViewport(text: string): Viewport {
  const parts = text.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  const ok =
    (parts.length === 2 || parts.length === 6) &&
    parts.every((p) => /^\d+$/.test(p)) &&
    nums[0]! >= 1 &&
    nums[1]! >= 1 &&
    nums[0]! <= MAX_VIEWPORT &&
    nums[1]! <= MAX_VIEWPORT &&
    (parts.length === 2 || (nums[4]! >= 1 && nums[5]! >= 1));
  if (!ok) throw new RenderError(400, `viewport "${text.slice(0, 100)}" must be vw,vh or vw,vh,sx,sy,sw,sh (whole numbers, sizes from 1 to ${MAX_VIEWPORT})`);
  const [width, height, x, y, w, h] = nums as [number, number, number, number, number, number];
  return parts.length === 2 ? { width, height } : { width, height, region: { x, y, width: w, height: h } };
}

/**
 * The raster cut to the viewport's region and scaled down, keeping its aspect ratio, to fit
 * the viewport (never up). Box filter: each output pixel averages the source pixels it covers.
 */
export function fitToViewport(r: Raster, vp: Viewport): Raster {
  const rx = Math.min(vp.region?.x ?? 0, r.width - 1);
  const ry = Math.min(vp.region?.y ?? 0, r.height - 1);
  const rw = Math.min(vp.region?.width ?? r.width, r.width - rx);
  const rh = Math.min(vp.region?.height ?? r.height, r.height - ry);
  const scale = Math.min(1, vp.width / rw, vp.height / rh);
  const width = Math.max(1, Math.round(rw * scale));
  const height = Math.max(1, Math.round(rh * scale));
  if (width === r.width && height === r.height && rx === 0 && ry === 0) return r;
  return resizeBox(r, { x: rx, y: ry, width: rw, height: rh }, width, height);
}

export function resizeBox(r: Raster, region: { x: number; y: number; width: number; height: number }, width: number, height: number): Raster {
  const ch = r.channels;
  const out = new Uint8Array(width * height * ch);
  const fx = region.width / width;
  const fy = region.height / height;
  const sums = new Float64Array(ch);
  for (let oy = 0; oy < height; oy++) {
    const y0 = region.y + Math.floor(oy * fy);
    const y1 = Math.max(y0 + 1, region.y + Math.ceil((oy + 1) * fy));
    for (let ox = 0; ox < width; ox++) {
      const x0 = region.x + Math.floor(ox * fx);
      const x1 = Math.max(x0 + 1, region.x + Math.ceil((ox + 1) * fx));
      sums.fill(0);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const at = (y * r.width + x) * ch;
          for (let c = 0; c < ch; c++) sums[c]! += r.data[at + c]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < ch; c++) out[(oy * width + ox) * ch + c] = Math.round(sums[c]! / n);
    }
  }
  return { width, height, channels: ch, data: out };
}

// ---- encoding

export function encodePng(r: Raster): Buffer {
  const colorType = r.channels === 1 ? 0 : 2;
  const png = new PNG({ width: r.width, height: r.height, colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
}

export function encodeJpeg(r: Raster, quality: number): Buffer {
  const count = r.width * r.height;
  const rgba = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const at = i * r.channels;
    rgba[i * 4] = r.data[at]!;
    rgba[i * 4 + 1] = r.data[at + (r.channels === 3 ? 1 : 0)]!;
    rgba[i * 4 + 2] = r.data[at + (r.channels === 3 ? 2 : 0)]!;
    rgba[i * 4 + 3] = 255;
  }
  return jpeg.encode({ width: r.width, height: r.height, data: rgba }, quality).data;
}

/** `quality=1..100`, for JPEG. */
export function parseQuality(text: string): number {
  const q = Number(text);
  if (!/^\d{1,3}$/.test(text.trim()) || q < 1 || q > 100) throw new RenderError(400, `quality "${text.slice(0, 20)}" must be a whole number from 1 to 100`);
  return q;
}

export const DEFAULT_JPEG_QUALITY = 90;

export type RenderedType = "image/png" | "image/jpeg";

/**
 * The rendered media type an Accept header asks for: image/png or image/jpeg; * / * and image/*
 * (and no Accept) get PNG, which is lossless. 406 for anything else.
 */
export function negotiateRendered(accept: string | undefined): RenderedType {
  const ranges = (accept && accept.trim() ? accept : "*/*")
    .split(",")
    .map((item, i) => {
      const [type, ...params] = item.split(";").map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      return { type: type ?? "", q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === "image/png" || r.type === "*/*" || r.type === "image/*") return "image/png";
    if (r.type === "image/jpeg" || r.type === "image/jpg") return "image/jpeg";
  }
  throw new RenderError(406, "rendered images are served as image/png or image/jpeg");
}

export interface RenderOptions {
  window?: Window | null;
  viewport?: Viewport | null;
  type: RenderedType;
  quality?: number;
}

/** One frame, decoded, windowed, fitted and encoded. */
export function renderFrame(frame: Uint8Array, native: boolean, transferSyntaxUid: string, d: PixelDescription, opts: RenderOptions): Buffer {
  let raster = toRaster(decodeFrame(frame, native, transferSyntaxUid, d), d, opts.window);
  if (opts.viewport) raster = fitToViewport(raster, opts.viewport);
  return opts.type === "image/jpeg" ? encodeJpeg(raster, opts.quality ?? DEFAULT_JPEG_QUALITY) : encodePng(raster);
}
