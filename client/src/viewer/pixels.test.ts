import { describe, expect, it } from "vitest";
import { isNativeLittleEndian, nativeConversionOf, unpackBits, ybrFull422ToRgb } from "./pixels";

describe("1-bit frames", () => {
  it("unpacks least significant bit first, one byte of 0 or 1 a pixel", () => {
    expect([...unpackBits(new Uint8Array([0b10000001, 0b00000110]), 16)]).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it("stops at the pixel count, and pixels beyond the data are 0", () => {
    expect([...unpackBits(new Uint8Array([0xff, 0xff]), 10)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...unpackBits(new Uint8Array([0b101]), 11)]).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("keeps a mask's both values (a 16 x 16 frame with a filled square)", () => {
    const packed = new Uint8Array(32);
    for (let y = 4; y < 12; y++) packed[y * 2] = 0xf0; // columns 4..7 of rows 4..11
    const pixels = unpackBits(packed, 256);
    expect(pixels.reduce((n, v) => n + v, 0)).toBe(32);
    expect(pixels[4 * 16 + 4]).toBe(1);
    expect(pixels[4 * 16 + 3]).toBe(0);
    expect(pixels[11 * 16 + 7]).toBe(1);
    expect(pixels[12 * 16 + 7]).toBe(0);
  });
});

describe("native YBR_FULL_422 frames", () => {
  it("expands Y1 Y2 Cb Cr to two RGB pixels sharing their chroma", () => {
    // Neutral chroma: grey levels as they are.
    expect([...ybrFull422ToRgb(new Uint8Array([10, 200, 128, 128]), 2, 1)]).toEqual([10, 10, 10, 200, 200, 200]);
  });

  it("converts full-range YCbCr with PS3.3 C.7.6.3.1.2's equations, clamped", () => {
    // Pure red, green and blue as full-range YCbCr (Y, Cb, Cr), each pair of pixels the same colour.
    const red = [76, 76, 85, 255];
    const green = [150, 150, 44, 21];
    const blue = [29, 29, 255, 107];
    const rgb = [...ybrFull422ToRgb(new Uint8Array([...red, ...green, ...blue]), 3, 2)];
    const near = (got: number[], want: number[]) => got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(2));
    near(rgb.slice(0, 6), [255, 0, 0, 255, 0, 0]);
    near(rgb.slice(6, 12), [0, 255, 0, 0, 255, 0]);
    near(rgb.slice(12, 18), [0, 0, 255, 0, 0, 255]);
    expect(rgb.every((v) => v >= 0 && v <= 255)).toBe(true);
  });

  it("reads the pairs in raster order across rows (a 2 x 2 frame is two groups)", () => {
    const rgb = ybrFull422ToRgb(new Uint8Array([0, 50, 128, 128, 100, 150, 128, 128]), 2, 2);
    expect([...rgb].filter((_, i) => i % 3 === 0)).toEqual([0, 50, 100, 150]);
    expect(rgb.length).toBe(12);
  });
});

describe("which frames are converted", () => {
  it("1-bit single-sample images and 8-bit YBR_FULL_422 ones, nothing else", () => {
    expect(nativeConversionOf({ bitsAllocated: 1, samplesPerPixel: 1, photometricInterpretation: "MONOCHROME2" })).toBe("unpackBits");
    expect(nativeConversionOf({ bitsAllocated: 8, samplesPerPixel: 3, photometricInterpretation: "YBR_FULL_422" })).toBe("ybrFull422ToRgb");
    expect(nativeConversionOf({ bitsAllocated: 8, samplesPerPixel: 3, photometricInterpretation: "YBR_FULL" })).toBeNull();
    expect(nativeConversionOf({ bitsAllocated: 8, samplesPerPixel: 1, photometricInterpretation: "MONOCHROME2" })).toBeNull();
    expect(nativeConversionOf({ bitsAllocated: 16, samplesPerPixel: 3, photometricInterpretation: "YBR_FULL_422" })).toBeNull();
  });

  it("only native little endian frames (as the frames route labels them)", () => {
    expect(isNativeLittleEndian("1.2.840.10008.1.2.1")).toBe(true);
    expect(isNativeLittleEndian("1.2.840.10008.1.2")).toBe(true);
    expect(isNativeLittleEndian("1.2.840.10008.1.2.4.50")).toBe(false);
    expect(isNativeLittleEndian("1.2.840.10008.1.2.5")).toBe(false);
    expect(isNativeLittleEndian(undefined)).toBe(false);
  });
});
