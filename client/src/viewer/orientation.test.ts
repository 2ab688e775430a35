import { describe, expect, it } from "vitest";
import { directionLetters, orientationMarkers } from "./orientation";

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
});
