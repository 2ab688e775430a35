// Pure pixel conversions for the native frames Cornerstone's wadors loader (5.14) cannot take as
// our WADO-RS frames route answers them (correct DICOMweb, PS3.18 §8.7.3.3.2): 1-bit frames
// packed eight pixels a byte, and YBR_FULL_422 frames subsampled two samples a pixel. frameLoader.ts
// applies them; they are kept free of Cornerstone so they can be tested on their own.

const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";

/**
 * Native little endian octets, as the frames route serves every uncompressed frame (the loader
 * reads a part without a transfer-syntax parameter as Implicit VR Little Endian, also native).
 */
export function isNativeLittleEndian(transferSyntaxUid: string | null | undefined): boolean {
  return transferSyntaxUid === EXPLICIT_VR_LITTLE_ENDIAN || transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN;
}

/**
 * One byte (0 or 1) per pixel from a 1-bit frame: pixel i is bit i % 8 of byte i / 8, least
 * significant bit first (PS3.5 §8.1.1). Pixels beyond the data given are 0.
 */
export function unpackBits(packed: Uint8Array, pixelCount: number): Uint8Array {
  const out = new Uint8Array(pixelCount);
  const whole = Math.min(pixelCount >> 3, packed.length);
  for (let byte = 0; byte < whole; byte++) {
    const b = packed[byte]!;
    if (!b) continue;
    const at = byte << 3;
    for (let bit = 0; bit < 8; bit++) out[at + bit] = (b >> bit) & 1;
  }
  for (let i = whole << 3; i < pixelCount && i >> 3 < packed.length; i++) out[i] = (packed[i >> 3]! >> (i & 7)) & 1;
  return out;
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * Interleaved RGB (3 bytes a pixel) from a native 8-bit YBR_FULL_422 frame: each two pixels in
 * raster order are stored as Y1 Y2 Cb Cr, sharing their chroma (PS3.3 C.7.6.3.1.2; 2 bytes a
 * pixel, the frame size our frames route cuts), converted with that section's full-range YCbCr
 * to RGB equations. Samples beyond the data given count as black (Y 0) and neutral chroma.
 */
export function ybrFull422ToRgb(data: Uint8Array, columns: number, rows: number): Uint8Array {
  const pixels = columns * rows;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const group = (p >> 1) * 4;
    const luma = data[group + (p & 1)] ?? 0;
    const cb = (data[group + 2] ?? 128) - 128;
    const cr = (data[group + 3] ?? 128) - 128;
    const o = p * 3;
    out[o] = clamp(luma + 1.402 * cr);
    out[o + 1] = clamp(luma - 0.344136 * cb - 0.714136 * cr);
    out[o + 2] = clamp(luma + 1.772 * cb);
  }
  return out;
}

/** What the loader must do to a native frame of an image with this pixel description, if anything. */
export type NativeConversion = "unpackBits" | "ybrFull422ToRgb" | null;

export function nativeConversionOf(pixels: { bitsAllocated?: number; photometricInterpretation?: string; samplesPerPixel?: number }): NativeConversion {
  if (pixels.bitsAllocated === 1 && (pixels.samplesPerPixel ?? 1) === 1) return "unpackBits";
  if (pixels.bitsAllocated === 8 && pixels.photometricInterpretation === "YBR_FULL_422") return "ybrFull422ToRgb";
  return null;
}
