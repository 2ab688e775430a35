import { describe, expect, it } from "vitest";
import { calibratedImagePlane, calibrateImage, calibrationOf, projectionCalibration } from "./calibration";
import type { DicomJson } from "./stack";

const DX = "1.2.840.10008.5.1.4.1.1.1.1";
const CT = "1.2.840.10008.5.1.4.1.1.2";

function json(tags: Record<string, [string, unknown[]]>): DicomJson {
  return Object.fromEntries(Object.entries(tags).map(([tag, [vr, Value]]) => [tag, { vr, Value }]));
}

describe("projection radiograph calibration", () => {
  it("measures a radiograph with only Imager Pixel Spacing at the detector", () => {
    expect(projectionCalibration(json({ "00080016": ["UI", [DX]], "00181164": ["DS", [0.2, 0.25]] }))).toEqual({ rowPixelSpacing: 0.2, columnPixelSpacing: 0.25, type: "Proj" });
  });

  it("corrects it by the Estimated Radiographic Magnification Factor, or the source distances", () => {
    expect(projectionCalibration(json({ "00080016": ["UI", [DX]], "00181164": ["DS", [0.2, 0.2]], "00181114": ["DS", [1.25]] }))).toEqual({
      rowPixelSpacing: 0.16,
      columnPixelSpacing: 0.16,
      type: "ERMF",
    });
    const byDistance = projectionCalibration(json({ "00080016": ["UI", [DX]], "00181164": ["DS", [0.3, 0.3]], "00181110": ["DS", [1500]], "00181111": ["DS", [1000]] }));
    expect(byDistance?.type).toBe("ERMF");
    expect(byDistance?.rowPixelSpacing).toBeCloseTo(0.2, 10);
  });

  it("takes a Pixel Spacing the file says was calibrated", () => {
    expect(
      projectionCalibration(json({ "00080016": ["UI", [DX]], "00280030": ["DS", [0.14, 0.14]], "00181164": ["DS", [0.15, 0.15]], "00280A02": ["CS", ["FIDUCIAL"]] })),
    ).toEqual({ rowPixelSpacing: 0.14, columnPixelSpacing: 0.14, type: "Calibrated" });
  });

  it("says when a radiograph's Pixel Spacing comes without how it was calibrated", () => {
    expect(projectionCalibration(json({ "00080016": ["UI", [DX]], "00280030": ["DS", [0.14, 0.14]] }))).toEqual({ rowPixelSpacing: 0.14, columnPixelSpacing: 0.14, type: "Unknown" });
  });

  it("leaves cross-sectional images, and radiographs without any spacing, to the loader", () => {
    expect(projectionCalibration(json({ "00080016": ["UI", [CT]], "00280030": ["DS", [0.7, 0.7]], "00181164": ["DS", [0.2, 0.2]] }))).toBeNull();
    expect(projectionCalibration(json({ "00080016": ["UI", [DX]] }))).toBeNull();
    expect(projectionCalibration(json({ "00080016": ["UI", [DX]], "00181164": ["DS", [0, 0]] }))).toBeNull();
  });

  it("gives a calibrated image's plane its spacing, ahead of the loader, and nothing for others", () => {
    const base = (type: string) => (type === "imagePlaneModule" ? { rows: 128, columns: 128, rowPixelSpacing: 1, columnPixelSpacing: 1, pixelSpacing: null, usingDefaultValues: true } : undefined);
    const provider = calibratedImagePlane(base);
    calibrateImage("wadors:http://x/instances/dx/frames/1", json({ "00080016": ["UI", [DX]], "00181164": ["DS", [0.2, 0.2]] }));
    calibrateImage("wadors:http://x/instances/ct/frames/1", json({ "00080016": ["UI", [CT]], "00280030": ["DS", [0.7, 0.7]] }));
    // The same image under our converting scheme is the same image.
    expect(provider("imagePlaneModule", "concord-wadors:http://x/instances/dx/frames/1")).toEqual({
      rows: 128,
      columns: 128,
      rowPixelSpacing: 0.2,
      columnPixelSpacing: 0.2,
      pixelSpacing: [0.2, 0.2],
      usingDefaultValues: false,
    });
    expect(calibrationOf("wadors:http://x/instances/dx/frames/1")?.type).toBe("Proj");
    expect(provider("imagePlaneModule", "wadors:http://x/instances/ct/frames/1")).toBeUndefined();
    expect(calibrationOf("wadors:http://x/instances/ct/frames/1")).toBeNull();
    expect(provider("generalSeriesModule", "wadors:http://x/instances/dx/frames/1")).toBeUndefined();
  });
});
