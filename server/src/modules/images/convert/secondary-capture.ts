import { createHash, randomBytes } from "node:crypto";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";

// PNG and JPEG uploads become DICOM Secondary Capture instances, so one pipeline (parse,
// de-identify, store, serve) handles every image. PNG is decoded and stored as native pixels
// (16-bit PNG keeps its 16 bits); baseline and extended JPEG are kept as they are, encapsulated
// under their JPEG transfer syntax, so no quality is lost to re-encoding.

export const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
const IMPLEMENTATION_CLASS_UID = "2.25.155172345983463823409817263450981726345";

interface DcmjsLike {
  data: {
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): Record<string, { vr: string; Value?: unknown[] }> };
  };
}
// dcmjs ships no types; this is the one function used here.
const dcmjs = require("dcmjs") as DcmjsLike;

export type DicomElements = Record<string, { vr: string; Value?: unknown[] }>;
export interface DicomParts {
  meta: DicomElements;
  dict: DicomElements;
}

export class ImageConversionError extends Error {
  constructor(readonly fileName: string, reason: string) {
    super(`${fileName}: ${reason}`);
  }
}

export type ImageKind = "png" | "jpeg";

export function imageKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return null;
}

/**
 * UIDs for a converted file: derived from its content when a digest of it is given, so the same
 * file uploaded again gets the same UIDs (and is found already in the project); random otherwise.
 */
export function convertedUids(digest?: string): (role: "study" | "series" | "instance" | "frame-of-reference") => string {
  const hex = (role: string) => (digest ? createHash("sha256").update(`concord-converted:${role}:${digest}`).digest("hex") : randomBytes(16).toString("hex"));
  return (role) => `2.25.${BigInt(`0x${hex(role).slice(0, 32)}`).toString()}`;
}

/** Today's date and the time now as DICOM DA and TM (UTC), for a converted file's study and content. */
export function dicomNow(): { date: string; time: string } {
  const iso = new Date().toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ""), time: iso.slice(11, 19).replace(/:/g, "") };
}

export interface ConversionOptions {
  /** Modality of the new series; OT (other) unless the uploader knows better (CR, DX...). */
  modality?: string;
  /** Text that identifies the image for the uploader (the file name); de-identification decides what survives. */
  patientId?: string;
  /** A digest of the uploaded file, to derive the new UIDs from (see convertedUids). */
  digest?: string;
}

interface Pixels {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  photometric: "MONOCHROME2" | "RGB" | "YBR_FULL_422";
  transferSyntax: string;
  /** Native pixel bytes, or the JPEG stream as one encapsulated frame. */
  data: ArrayBuffer;
  bitsStored: number;
}

export function imageToSecondaryCapture(bytes: Uint8Array, fileName: string, opts: ConversionOptions = {}): DicomParts {
  const kind = imageKind(bytes);
  if (!kind) throw new ImageConversionError(fileName, "not a PNG or JPEG image");
  const pixels = kind === "png" ? fromPng(bytes, fileName) : fromJpeg(bytes, fileName);
  const uid = convertedUids(opts.digest);
  const sopInstanceUID = uid("instance");
  const { date, time } = dicomNow();
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SECONDARY_CAPTURE,
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: pixels.transferSyntax,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: "CONCORD_0_1",
  });
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: "ISO_IR 192",
    ImageType: ["DERIVED", "SECONDARY"],
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: sopInstanceUID,
    StudyDate: date,
    ContentDate: date,
    StudyTime: time,
    ContentTime: time,
    AccessionNumber: "",
    Modality: opts.modality ?? "OT",
    ConversionType: "WSD",
    ReferringPhysicianName: "",
    PatientName: "",
    PatientID: opts.patientId ?? "",
    PatientBirthDate: "",
    PatientSex: "",
    StudyInstanceUID: uid("study"),
    SeriesInstanceUID: uid("series"),
    StudyID: "",
    SeriesNumber: "1",
    InstanceNumber: "1",
    PatientOrientation: "",
    Laterality: "",
    SamplesPerPixel: pixels.samplesPerPixel,
    PhotometricInterpretation: pixels.photometric,
    Rows: pixels.rows,
    Columns: pixels.columns,
    BitsAllocated: pixels.bitsAllocated,
    BitsStored: pixels.bitsStored,
    HighBit: pixels.bitsStored - 1,
    PixelRepresentation: 0,
    LossyImageCompression: pixels.transferSyntax === EXPLICIT_LE ? "00" : "01",
    PixelData: [pixels.data],
    _vrMap: { PixelData: pixels.bitsAllocated === 16 ? "OW" : "OB" },
  };
  if (pixels.samplesPerPixel === 3) dataset.PlanarConfiguration = 0;
  if (pixels.transferSyntax !== EXPLICIT_LE) dataset.LossyImageCompressionMethod = "ISO_10918_1";
  return { meta, dict: dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset) };
}

function fromPng(bytes: Uint8Array, fileName: string): Pixels {
  let png: PNG;
  try {
    // skipRescale keeps 16-bit samples as they are (pngjs would otherwise scale them to 8 bits).
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  } catch (err) {
    throw new ImageConversionError(fileName, `unreadable PNG (${(err as Error).message})`);
  }
  const { width, height, depth, colorType } = png as PNG & { depth: number; colorType: number };
  const gray = colorType === 0 || colorType === 4;
  const sixteen = depth === 16;
  const samples = gray ? 1 : 3;
  const count = width * height;
  // pngjs hands back RGBA for every colour type; keep the samples the image really has.
  const source = png.data as unknown as ArrayLike<number>;
  if (sixteen) {
    const out = new Uint16Array(count * samples);
    for (let i = 0; i < count; i++) for (let s = 0; s < samples; s++) out[i * samples + s] = source[i * 4 + s]!;
    return pixels(width, height, samples, 16, out.buffer);
  }
  const out = new Uint8Array(count * samples + ((count * samples) % 2));
  for (let i = 0; i < count; i++) for (let s = 0; s < samples; s++) out[i * samples + s] = source[i * 4 + s]!;
  return pixels(width, height, samples, 8, out.buffer);
}

/** DICOM values have even length; odd 8-bit pixel data and JPEG streams get one zero byte of padding. */
function evenLength(bytes: Uint8Array): ArrayBuffer {
  if (bytes.length % 2 === 0) return bytes.buffer as ArrayBuffer;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  return padded.buffer;
}

function pixels(columns: number, rows: number, samples: number, bits: 8 | 16, data: ArrayBuffer): Pixels {
  return {
    rows,
    columns,
    samplesPerPixel: samples === 1 ? 1 : 3,
    bitsAllocated: bits,
    bitsStored: bits,
    photometric: samples === 1 ? "MONOCHROME2" : "RGB",
    transferSyntax: EXPLICIT_LE,
    data,
  };
}

interface JpegFrame {
  sof: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

/** Reads the frame header (SOFn) of a JPEG stream. */
export function jpegFrame(bytes: Uint8Array): JpegFrame | null {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 10 > bytes.length) return null;
      return {
        sof: marker,
        precision: bytes[i + 4]!,
        rows: (bytes[i + 5]! << 8) | bytes[i + 6]!,
        columns: (bytes[i + 7]! << 8) | bytes[i + 8]!,
        components: bytes[i + 9]!,
      };
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    i += 2 + length;
  }
  return null;
}

function fromJpeg(bytes: Uint8Array, fileName: string): Pixels {
  const frame = jpegFrame(bytes);
  if (!frame || frame.rows === 0 || frame.columns === 0) throw new ImageConversionError(fileName, "JPEG without a readable frame header");
  if (frame.components !== 1 && frame.components !== 3) {
    throw new ImageConversionError(fileName, `JPEG with ${frame.components} colour components (only grey and colour are supported)`);
  }
  // A copy: a Buffer's .buffer may be a shared pool much larger than the image. Fragments are even-length.
  const data = evenLength(new Uint8Array(bytes));
  // Baseline (SOF0) and extended sequential (SOF1) JPEG travel as they are.
  if (frame.sof === 0xc0 || (frame.sof === 0xc1 && frame.precision === 8)) {
    return encapsulated(frame, JPEG_BASELINE, data);
  }
  if (frame.sof === 0xc1) return encapsulated(frame, JPEG_EXTENDED, data);
  // Progressive and other processes are not kept encapsulated (viewers rarely decode them): decode to native.
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (err) {
    throw new ImageConversionError(fileName, `undecodable JPEG (${(err as Error).message})`);
  }
  const samples = frame.components === 1 ? 1 : 3;
  const out = new Uint8Array(decoded.width * decoded.height * samples + ((decoded.width * decoded.height * samples) % 2));
  for (let i = 0; i < decoded.width * decoded.height; i++) for (let s = 0; s < samples; s++) out[i * samples + s] = decoded.data[i * 4 + s]!;
  return pixels(decoded.width, decoded.height, samples, 8, out.buffer);
}

function encapsulated(frame: JpegFrame, transferSyntax: string, data: ArrayBuffer): Pixels {
  return {
    rows: frame.rows,
    columns: frame.columns,
    samplesPerPixel: frame.components === 1 ? 1 : 3,
    bitsAllocated: frame.precision > 8 ? 16 : 8,
    bitsStored: frame.precision,
    photometric: frame.components === 1 ? "MONOCHROME2" : "YBR_FULL_422",
    transferSyntax,
    data,
  };
}
