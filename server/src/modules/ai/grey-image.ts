import { readDicomFile } from "../images/dicom/read.js";
import { PixelData } from "../images/frames.js";
import { decodeFrame, describePixels } from "../images/rendered.js";
import type { GreyImage } from "./metadata.js";

/**
 * A stored DICOM instance's first frame as grey values: stored values (through the modality LUT)
 * on the scale of Bits Stored, MONOCHROME1 turned so brighter is denser; colour as luminance. The
 * image's offset and inversion say how to get the modality values back (modality normalisations).
 */
export function greyImage(bytes: Uint8Array, name: string): GreyImage | null {
  return greyFrames(bytes, name)?.frame(1) ?? null;
}

/**
 * Every frame of a stored instance, decoded one at a time as greyImage decodes the first (1-based;
 * a frame it does not have is an error naming the file); null when it has no pixels.
 */
export function greyFrames(bytes: Uint8Array, name: string): { count: number; frame(n: number): GreyImage } | null {
  const file = readDicomFile(bytes, name);
  const pixels = PixelData.of(file);
  if (!pixels) return null;
  const d = describePixels(file.dict);
  const count = pixels.frameCount;
  return {
    count,
    frame: (n) => {
      if (!Number.isInteger(n) || n < 1 || n > count) throw new Error(`${name} has ${count} frame${count === 1 ? "" : "s"}: there is no frame ${n}`);
      return toGrey(decodeFrame(pixels.frame(n), pixels.native, pixels.transferSyntaxUid, d), d);
    },
  };
}

function toGrey(frame: ReturnType<typeof decodeFrame>, d: ReturnType<typeof describePixels>): GreyImage {
  if (frame.kind === "rgb") {
    const { width, height, data } = frame.raster;
    const grey = new Float32Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!;
    return { width, height, data: grey, maxValue: 255, offset: 0, inverted: false };
  }
  const maxValue = 2 ** Math.min(d.bitsStored, 16) - 1;
  const values = frame.values;
  let min = 0;
  // Signed or rescaled values (CT) are shifted so the lowest is 0; unsigned stored values keep their scale.
  for (let i = 0; i < values.length; i++) if (values[i]! < min) min = values[i]!;
  const out = new Float32Array(values.length);
  const invert = d.photometric === "MONOCHROME1";
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(maxValue, Math.max(0, values[i]! - min));
    out[i] = invert ? maxValue - v : v;
  }
  // Values beyond maxValue above the lowest are clamped: a model sees at most 2^bits values of range.
  return { width: frame.width, height: frame.height, data: out, maxValue, offset: min, inverted: invert };
}
