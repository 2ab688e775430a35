import { describe, expect, it } from "vitest";
import type { DicomJson } from "./stack";
import { viewOf } from "./views";

const cs = (v: string) => ({ vr: "CS", Value: [v] });

describe("viewOf", () => {
  it("names a mammogram's side and projection, from View Position or the view code", () => {
    expect(viewOf({ "00200062": cs("R"), "00185101": cs("CC") })).toBe("R CC");
    const coded: DicomJson = { "00200062": cs("L"), "00540220": { vr: "SQ", Value: [{ "00080100": { vr: "SH", Value: ["399368009"] } }] } };
    expect(viewOf(coded)).toBe("L MLO");
    expect(viewOf({ "00200062": cs("L"), "00540220": { vr: "SQ", Value: [{ "00080100": { vr: "SH", Value: ["R-10242"] } }] } })).toBe("L CC");
  });
  it("takes the series' Laterality when the image gives none, and a radiograph's projection alone", () => {
    expect(viewOf({ "00200060": cs("R"), "00185101": cs("mlo") })).toBe("R MLO");
    expect(viewOf({ "00185101": cs("PA") })).toBe("PA");
    expect(viewOf({ "00200062": cs("B") })).toBe("R+L");
  });
  it("names nothing when the image says neither, or an unknown code", () => {
    expect(viewOf({})).toBeNull();
    expect(viewOf({ "00540220": { vr: "SQ", Value: [{ "00080100": { vr: "SH", Value: ["123"] } }] } })).toBeNull();
  });
});
