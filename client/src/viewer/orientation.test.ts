import { describe, expect, it } from "vitest";
import { directionLetters, markersOnCanvas, slicePosition, hasPlaneOrientation, markersWithoutPlane, orientationMarkers, patientOrientationMarkers } from "./orientation";

describe("patient orientation markers", () => {
  it("marks the usual planes as radiologists read them", () => {
    // Axial: the patient's right on the screen's left, anterior up.
    expect(orientationMarkers([1, 0, 0, 0, 1, 0])).toEqual({ left: "R", right: "L", top: "A", bottom: "P" });
    // Coronal: head up.
    expect(orientationMarkers([1, 0, 0, 0, 0, -1])).toEqual({ left: "R", right: "L", top: "H", bottom: "F" });
    // Sagittal: anterior on the left, head up.
    expect(orientationMarkers(["0", "1", "0", "0", "0", "-1"])).toEqual({ left: "A", right: "P", top: "H", bottom: "F" });
    // A chest X-ray stored mirrored (rows towards the patient's right).
    expect(orientationMarkers([-1, 0, 0, 0, 0, -1])).toEqual({ left: "L", right: "R", top: "H", bottom: "F" });
  });

  it("names an oblique direction by its main axis first, and the axes it leans towards", () => {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(directionLetters([c, s, 0])).toBe("LP");
    expect(directionLetters([-s, 0, c])).toBe("HR");
    expect(directionLetters([0.99, 0.1, 0.05])).toBe("L");
    expect(directionLetters([0.6, -0.6, 0.52])).toBe("LAH");
  });

  it("has none without a usable orientation", () => {
    expect(orientationMarkers(undefined)).toBeNull();
    expect(orientationMarkers([1, 0, 0])).toBeNull();
    expect(orientationMarkers([0, 0, 0, 0, 0, 0])).toBeNull();
    expect(orientationMarkers(["1", "0", "x", "0", "1", "0"])).toBeNull();
  });

  it("marks a projection radiograph by its Patient Orientation, which it carries instead of a plane", () => {
    // A PA chest: rows towards the patient's left, columns towards the feet.
    expect(patientOrientationMarkers(["L", "F"])).toEqual({ left: "R", right: "L", top: "H", bottom: "F" });
    // An AP one stored as seen from behind, and oblique letters.
    expect(patientOrientationMarkers(["R", "F"])).toEqual({ left: "L", right: "R", top: "H", bottom: "F" });
    expect(patientOrientationMarkers([" a ", "FL"])).toEqual({ left: "P", right: "A", top: "HR", bottom: "FL" });
    expect(patientOrientationMarkers(undefined)).toBeNull();
    expect(patientOrientationMarkers(["L"])).toBeNull();
    expect(patientOrientationMarkers(["L", "X"])).toBeNull();
    expect(patientOrientationMarkers(["", "F"])).toBeNull();
  });

  it("takes the plane where an instance gives one (at the top, or in an enhanced image's functional groups), else its Patient Orientation, else nothing", () => {
    const iop = { "00200037": { Value: [1, 0, 0, 0, 1, 0] } };
    const po = { "00200020": { Value: ["L", "F"] } };
    expect(hasPlaneOrientation(iop)).toBe(true);
    expect(hasPlaneOrientation({ "52009229": { Value: [{ "00209116": { Value: [iop] } }] } })).toBe(true);
    expect(hasPlaneOrientation({ "52009230": { Value: [{}, { "00209116": { Value: [iop] } }] } })).toBe(true);
    expect(hasPlaneOrientation({ "52009229": { Value: [{ "00209116": { Value: [{}] } }] } })).toBe(false);
    expect(hasPlaneOrientation({ "00200037": { Value: [] } })).toBe(false);
    expect(markersWithoutPlane({ ...iop, ...po })).toBe("plane");
    expect(markersWithoutPlane(po)).toEqual({ left: "R", right: "L", top: "H", bottom: "F" });
    expect(markersWithoutPlane({})).toBeNull();
  });

  it("turns the markers with the view: a quarter turn clockwise, a flip, both", () => {
    const axial = { left: "R", right: "L", top: "A", bottom: "P" };
    expect(markersOnCanvas(axial, [1, 0], [0, 1])).toEqual(axial);
    // Rotated 90° clockwise: the image's right edge (L) now at the bottom, its bottom (P) at the left.
    expect(markersOnCanvas(axial, [0, 2], [-2, 0])).toEqual({ left: "P", right: "A", top: "R", bottom: "L" });
    // Flipped left to right.
    expect(markersOnCanvas(axial, [-1, 0], [0, 1])).toEqual({ left: "L", right: "R", top: "A", bottom: "P" });
    // Flipped top to bottom, then a half turn: mirrored left to right; directions of any length, a little off the axes.
    expect(markersOnCanvas(axial, [-3, 0.01], [0.01, 3])).toEqual({ left: "L", right: "R", top: "A", bottom: "P" });
  });

  it("places a slice by its Slice Location, else along its plane's normal, with its thickness", () => {
    const axial = { rowCosines: [1, 0, 0], columnCosines: [0, 1, 0], imagePositionPatient: [-100, -120, 37.5] };
    expect(slicePosition({ ...axial, sliceThickness: 2.5 })).toEqual({ location: 37.5, thickness: 2.5 });
    expect(slicePosition({ ...axial, sliceLocation: -12, sliceThickness: 0 })).toEqual({ location: -12, thickness: null });
    // A sagittal slice: rows towards the back, columns towards the feet; its normal (row × column) points to the patient's right.
    expect(slicePosition({ rowCosines: [0, 1, 0], columnCosines: [0, 0, -1], imagePositionPatient: [14, -100, 80] })).toEqual({ location: -14, thickness: null });
    expect(slicePosition({ rowCosines: [1, 0, 0] })).toBeNull();
    expect(slicePosition(undefined)).toBeNull();
  });
});
