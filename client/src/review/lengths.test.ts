import { describe, expect, it } from "vitest";
import { limitsText, signedLength, unitText } from "./lengths";

describe("review length helpers", () => {
  it("writes a signed difference with its unit", () => {
    expect([signedLength(1.333, "MM"), signedLength(-2, "PX"), signedLength(0, "MM"), signedLength(-0.001, "PX"), signedLength(null, "MM")]).toEqual([
      "+1.33 mm",
      "−2.00 px",
      "0.00 mm",
      "0.00 px",
      "–",
    ]);
    expect([unitText("MM"), unitText("PX")]).toEqual(["mm", "px"]);
  });

  it("writes the limits of agreement once with the unit, or a dash without them", () => {
    expect(limitsText({ lowerLimit: -4.661, upperLimit: 7.32, unit: "PX" })).toBe("−4.66 to +7.32 px");
    expect(limitsText({ lowerLimit: 0.08, upperLimit: 7.92, unit: "MM" })).toBe("+0.08 to +7.92 mm");
    expect(limitsText({ lowerLimit: null, upperLimit: null, unit: "MM" })).toBe("–");
  });
});
