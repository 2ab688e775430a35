import { describe, expect, it } from "vitest";
import { calibrationNote, describeMeasurement, formatLength, measureKindOf, MEASURE_TOOL } from "./measurements";

const stats = (s: Record<string, unknown>) => ({ "imageId:wadors:x": s });

describe("measurements", () => {
  it("knows its tools by Cornerstone's names and nothing else", () => {
    for (const [kind, tool] of Object.entries(MEASURE_TOOL)) expect(measureKindOf(tool)).toBe(kind);
    expect(measureKindOf("RectangleROI")).toBeNull();
    expect(measureKindOf("PlanarFreehandROI")).toBeNull();
    expect(measureKindOf(undefined)).toBeNull();
  });

  it("says how a length is calibrated", () => {
    expect(calibrationNote("mm")).toEqual({ unit: "mm", note: null });
    expect(calibrationNote("px")).toEqual({ unit: "px", note: expect.stringContaining("no pixel spacing") });
    expect(calibrationNote("mm Proj").note).toContain("detector");
    expect(calibrationNote("mm ERMF").note).toContain("magnification");
    expect(calibrationNote("cm US Region")).toEqual({ unit: "cm", note: expect.stringContaining("ultrasound") });
    expect(calibrationNote("mm Uncalibrated").unit).toBe("px");
    expect(calibrationNote("mm Unknown").note).toContain("does not say");
  });

  it("lists a length, long and short axes and an angle with their units", () => {
    expect(describeMeasurement("a", "length", stats({ length: 23.456, unit: "mm" }))).toEqual({ id: "a", kind: "length", text: "23.5 mm", values: [23.456], unit: "mm", note: null });
    expect(describeMeasurement("a", "length", stats({ length: 4.321, unit: "px" })).text).toBe("4.32 px");
    const axes = describeMeasurement("b", "bidirectional", stats({ length: 31.04, width: 12.5, unit: "mm Proj" }));
    expect(axes.text).toBe("31.0 × 12.5 mm");
    expect(axes.values).toEqual([31.04, 12.5]);
    expect(axes.note).toContain("detector");
    expect(describeMeasurement("c", "angle", stats({ angle: 41.2345 })).text).toBe("41.2°");
  });

  it("names the calibration of a radiograph placed by its spacing", () => {
    const proj = describeMeasurement("a", "length", stats({ length: 18.5, unit: "mm" }), { calibrationType: "Proj" });
    expect(proj).toMatchObject({ text: "18.5 mm", unit: "mm", note: expect.stringContaining("detector") });
    expect(describeMeasurement("a", "bidirectional", stats({ length: 18.5, width: 9, unit: "mm" }), { calibrationType: "ERMF" }).note).toContain("magnification");
    // A type says nothing about an image measured in pixels.
    expect(describeMeasurement("a", "length", stats({ length: 18.5, unit: "px" }), { calibrationType: "Proj" }).note).toContain("no pixel spacing");
  });

  it("is empty while a measurement is incomplete or off the image", () => {
    expect(describeMeasurement("a", "length", stats({ length: null, unit: null })).text).toBe("");
    expect(describeMeasurement("a", "angle", stats({ angle: "Incomplete Angle" })).text).toBe("");
    expect(describeMeasurement("a", "probe", stats({ index: [1, 2, 0] })).text).toBe("");
    expect(describeMeasurement("a", "length", undefined).text).toBe("");
  });

  it("gives a probe's modality value, rescaling stored values the loader left as they were", () => {
    const probe = stats({ value: 1200, modalityUnit: "HU", index: [10, 20, 0] });
    expect(describeMeasurement("p", "probe", probe, { scaling: { slope: 1, intercept: -1024, preScaled: true } }).text).toBe("1200 HU at (10, 20)");
    const stored = describeMeasurement("p", "probe", probe, { scaling: { slope: 1, intercept: -1024, preScaled: false } });
    expect(stored.values).toEqual([176]);
    expect(stored.text).toBe("176 HU at (10, 20)");
    expect(describeMeasurement("p", "probe", stats({ value: 7, modalityUnit: "" }), { scaling: { slope: 0.5, intercept: 0, preScaled: false } }).text).toBe("3.5");
  });

  it("keeps small lengths readable", () => {
    expect(formatLength(0.456)).toBe("0.46");
    expect(formatLength(123.45)).toBe("123.5");
  });
});
