import { describe, expect, it } from "vitest";
import { aucText, operatingPointAt, rocPath } from "./roc";

describe("the ROC plot", () => {
  it("draws the curve from (0, 0) at the bottom left to (1, 1) at the top right", () => {
    const curve = [
      { falsePositiveRate: 0, truePositiveRate: 0 },
      { falsePositiveRate: 0, truePositiveRate: 0.5 },
      { falsePositiveRate: 1 / 3, truePositiveRate: 1 },
      { falsePositiveRate: 1, truePositiveRate: 1 },
    ];
    expect(rocPath(curve, 300)).toBe("M0 300 L0 150 L100 0 L300 0");
    expect(rocPath([], 300)).toBe("");
  });

  it("places an operating point at (1 − specificity, sensitivity), and none without both", () => {
    expect(operatingPointAt({ sensitivity: 0.75, specificity: 0.9 }, 200)).toEqual({ x: 20, y: 50 });
    expect(operatingPointAt({ sensitivity: null, specificity: 0.9 }, 200)).toBeNull();
  });

  it("says the area with its interval, or why there is none", () => {
    expect(aucText({ auc: 0.8333, aucLow: 0.612, aucHigh: 1, cases: 5, positives: 2 })).toBe("AUC 0.83 (95% CI 0.61–1.00)");
    expect(aucText({ auc: 1, aucLow: null, aucHigh: null, cases: 3, positives: 1 })).toBe("AUC 1.00");
    expect(aucText({ auc: null, cases: 2, positives: 2 })).toBe("No AUC: the cases compared hold one class only");
    expect(aucText({ auc: null, cases: 0, positives: 0 })).toBe("No cases to compare yet");
  });
});
