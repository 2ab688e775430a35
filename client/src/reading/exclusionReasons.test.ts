import { describe, expect, it } from "vitest";
import type { ExclusionReason, SkipReason } from "../generated/graphql";
import { EXCLUSION_NOTE_MAX, EXCLUSION_REASONS, exclusionReady, exclusionReasonForSkip, exclusionReasonLabel, exclusionSummary } from "./exclusionReasons";

describe("exclusion reasons", () => {
  it("name every reason the API has, once, in words", () => {
    const all: ExclusionReason[] = ["IMAGE_QUALITY", "WRONG_IMAGE", "DUPLICATE", "INCLUSION_CRITERIA", "OTHER"];
    expect(EXCLUSION_REASONS.map((r) => r.value).sort()).toEqual([...all].sort());
    for (const r of all) expect(exclusionReasonLabel(r)).not.toBe(r);
    expect(exclusionReasonLabel("WRONG_IMAGE")).toBe("Wrong image");
  });

  it("take a skip's reason where it says the same thing, and ask otherwise", () => {
    const cases: Array<[SkipReason, ExclusionReason | null]> = [
      ["IMAGE_QUALITY", "IMAGE_QUALITY"],
      ["WRONG_IMAGE", "WRONG_IMAGE"],
      ["OUTSIDE_EXPERTISE", null],
      ["OTHER", null],
    ];
    for (const [skip, reason] of cases) expect(exclusionReasonForSkip(skip)).toBe(reason);
  });

  it("need a reason, a note for Other, and a note no longer than the server takes", () => {
    expect(exclusionReady(null, "")).toBe(false);
    expect(exclusionReady("DUPLICATE", "")).toBe(true);
    expect(exclusionReady("OTHER", "   ")).toBe(false);
    expect(exclusionReady("OTHER", "consent withdrawn")).toBe(true);
    expect(exclusionReady("DUPLICATE", "x".repeat(EXCLUSION_NOTE_MAX))).toBe(true);
    expect(exclusionReady("DUPLICATE", "x".repeat(EXCLUSION_NOTE_MAX + 1))).toBe(false);
  });

  it("say why in one line", () => {
    expect(exclusionSummary({ reason: "DUPLICATE", note: " same as case 12 " })).toBe("Excluded from the project: Duplicate (“same as case 12”)");
    expect(exclusionSummary({ reason: "WRONG_IMAGE", note: null })).toBe("Excluded from the project: Wrong image");
  });
});
