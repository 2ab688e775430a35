import { describe, expect, it } from "vitest";
import { heldOutNote } from "./heldOut";

describe("heldOutNote", () => {
  it("names the split a trained version learnt from, and keeps a patient's cases together in words", () => {
    expect(heldOutNote("TRAINED", { trainPercent: 70, validationPercent: 15, testPercent: 15, groupBy: "PATIENT" })).toBe(
      "Learnt from the TRAIN split (70 % of patients); held out: VALIDATION and TEST (30 %), each patient's cases on one side.",
    );
    expect(heldOutNote("TRAINED", { trainPercent: 60, validationPercent: 30, testPercent: 10, groupBy: "CASE" })).toBe(
      "Learnt from the TRAIN split (60 % of cases); held out: VALIDATION and TEST (40 %).",
    );
  });

  it("says the old rule for versions trained before splits, and nothing for uploaded ones", () => {
    expect(heldOutNote("TRAINED", null)).toContain("30 % of the cases, chosen by a hash");
    expect(heldOutNote("UPLOADED", { trainPercent: 70, validationPercent: 15, testPercent: 15, groupBy: "PATIENT" })).toBeNull();
  });
});
