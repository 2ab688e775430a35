import { describe, expect, it } from "vitest";
import { lengthComparison } from "./lineFeedback";

describe("a trainee's line lengths against the gold", () => {
  it("says longer or shorter, in mm where there is a spacing, else in px", () => {
    expect(lengthComparison(2.26, 9)).toBe("2.3 mm longer than the gold on average");
    expect(lengthComparison(null, -4)).toBe("4.0 px shorter than the gold on average");
    expect(lengthComparison(0.01, 0.02)).toBe("as long as the gold on average");
    expect(lengthComparison(null, null)).toBeNull();
  });
});
