import { describe, expect, it } from "vitest";
import { formatWindow, fullResolutionScale, modalityRange, toModality, valueRange, voiRangeOf, WINDOW_PRESETS, windowOf, zoomPercent } from "./windowLevel";

describe("window/level", () => {
  it("converts between a window and a VOI range both ways", () => {
    expect(voiRangeOf({ width: 400, center: 40 })).toEqual({ lower: -160, upper: 240 });
    expect(windowOf({ lower: -160, upper: 240 })).toEqual({ width: 400, center: 40 });
    expect(voiRangeOf({ width: 0, center: 10 })).toEqual({ lower: 9.5, upper: 10.5 });
  });

  it("formats windows for the overlay", () => {
    expect(formatWindow({ width: 1500, center: -600 })).toBe("W 1500 L -600");
    expect(formatWindow({ width: 0.5, center: 0.25 })).toBe("W 0.50 L 0.25");
    expect(formatWindow({ width: 349.6, center: -0.2 })).toBe("W 350 L 0");
  });

  it("has the radiologists' presets and the image's own window first", () => {
    expect(WINDOW_PRESETS[0]).toMatchObject({ id: "default", window: null });
    expect(WINDOW_PRESETS.map((p) => p.id)).toEqual(["default", "chest", "lung", "bone", "brain", "soft-tissue", "full-range"]);
  });

  it("finds an image's value range, widening a flat one", () => {
    expect(valueRange(new Int16Array([-1024, 5, 300, -3]))).toEqual({ lower: -1024, upper: 300 });
    expect(valueRange(new Uint8Array([7, 7]))).toEqual({ lower: 6.5, upper: 7.5 });
    expect(valueRange([])).toBeNull();
  });

  it("measures zoom in image pixels per device pixel", () => {
    const scale = fullResolutionScale(600, 0.7);
    expect(scale).toBeCloseTo(210);
    expect(zoomPercent(scale, 600, 0.7)).toBeCloseTo(100);
    expect(zoomPercent(scale / 2, 600, 0.7)).toBeCloseTo(200);
    expect(zoomPercent(0, 600, 1)).toBe(100);
  });
});

describe("modalityRange", () => {
  it("takes stored values through the rescale, unless the loader already did", () => {
    expect(modalityRange({ lower: 0, upper: 4095 }, { slope: 1, intercept: -1024 })).toEqual({ lower: -1024, upper: 3071 });
    expect(modalityRange({ lower: 100, upper: 200 }, { slope: 0.5, intercept: 10 })).toEqual({ lower: 60, upper: 110 });
    expect(modalityRange({ lower: 100, upper: 200 }, { slope: -2, intercept: 0 })).toEqual({ lower: -400, upper: -200 });
    expect(modalityRange({ lower: -1024, upper: 3071 }, { slope: 1, intercept: -1024, preScaled: true })).toEqual({ lower: -1024, upper: 3071 });
    expect(modalityRange({ lower: 5, upper: 9 }, {})).toEqual({ lower: 5, upper: 9 });
  });
});

describe("toModality", () => {
  it("takes stored values through the rescale unless the loader did, a missing or zero slope as 1", () => {
    expect(toModality({ slope: 2, intercept: -1000 })(1200)).toBe(1400);
    expect(toModality({ slope: 2, intercept: -1000, preScaled: true })(1200)).toBe(1200);
    expect(toModality({ slope: 0, intercept: -1024 })(1200)).toBe(176);
    expect(toModality({})(7)).toBe(7);
  });
});
