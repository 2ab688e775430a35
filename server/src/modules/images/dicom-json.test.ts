import { describe, expect, it } from "vitest";
import { metadataJson } from "./dicom-json.js";

describe("metadata as DICOM JSON", () => {
  it("replaces bulk values by URIs that name their path, and keeps the rest", () => {
    const json = metadataJson(
      {
        "00100020": { vr: "LO", Value: ["P1"] },
        "00280010": { vr: "US", Value: [4] },
        "7FE00010": { vr: "OW", Value: [new ArrayBuffer(8)] },
        "00880200": { vr: "SQ", Value: [{ "7FE00010": { vr: "OB", Value: [new ArrayBuffer(2)] }, "00280010": { vr: "US", Value: [1] } }] },
        "00081030": { vr: "LO", Value: [] },
      },
      "",
    );
    expect(json["7FE00010"]).toEqual({ vr: "OW", BulkDataURI: "bulk/7FE00010" });
    const icon = (json["00880200"]!.Value as Array<Record<string, unknown>>)[0]!;
    expect(icon["7FE00010"]).toEqual({ vr: "OB", BulkDataURI: "bulk/00880200/1/7FE00010" });
    expect(icon["00280010"]).toEqual({ vr: "US", Value: [1] });
    expect(json["00100020"]).toEqual({ vr: "LO", Value: ["P1"] });
    expect(json["00081030"]).toEqual({ vr: "LO" });
    expect(JSON.stringify(json)).not.toContain("ArrayBuffer");
  });
});
