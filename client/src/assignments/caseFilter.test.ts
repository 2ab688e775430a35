import { describe, expect, it } from "vitest";
import { caseFilter, choiceFromRoute, UNDER_ASSIGNED, type CaseFilterChoice } from "./caseFilter";

const none: CaseFilterChoice = { keyContains: "", yours: "", inProject: "", assigned: "", split: "" };
const ME = "11111111-1111-4111-8111-111111111111";
const READER = "22222222-2222-4222-8222-222222222222";

describe("caseFilter", () => {
  it("filters nothing when nothing is chosen", () => {
    expect(caseFilter(none, ME)).toBeNull();
  });

  it("turns each choice into the server's filter", () => {
    expect(caseFilter({ ...none, keyContains: "cxr" }, ME)).toEqual({ keyContains: "cxr" });
    expect(caseFilter({ ...none, yours: "DRAFT" }, ME)).toEqual({ myReading: "DRAFT" });
    expect(caseFilter({ ...none, yours: "ASSIGNED" }, ME)).toEqual({ assignedTo: ME });
    expect(caseFilter({ ...none, inProject: "in" }, ME)).toEqual({ excluded: false });
    expect(caseFilter({ ...none, inProject: "excluded" }, ME)).toEqual({ excluded: true });
    expect(caseFilter({ ...none, inProject: "BLOCKED" }, ME)).toEqual({ progress: "BLOCKED" });
    expect(caseFilter({ ...none, assigned: UNDER_ASSIGNED }, ME)).toEqual({ underAssigned: true });
    expect(caseFilter({ ...none, assigned: READER }, ME)).toEqual({ assignedTo: READER });
    expect(caseFilter({ ...none, split: "TEST" }, ME)).toEqual({ split: "TEST" });
  });

  it("combines choices, your own assignments before another reader's", () => {
    expect(caseFilter({ keyContains: "a", yours: "SUBMITTED", inProject: "UNREAD", assigned: UNDER_ASSIGNED, split: "VALIDATION" }, ME)).toEqual({
      keyContains: "a",
      myReading: "SUBMITTED",
      progress: "UNREAD",
      underAssigned: true,
      split: "VALIDATION",
    });
    expect(caseFilter({ ...none, yours: "ASSIGNED", assigned: READER }, ME)).toEqual({ assignedTo: ME });
  });
});

describe("choiceFromRoute", () => {
  it("reads the Progress page's links, and the settings page's links to a split's cases", () => {
    expect(choiceFromRoute({ cases: "BLOCKED" })).toEqual({ ...none, inProject: "BLOCKED" });
    expect(choiceFromRoute({ assigned: "under" })).toEqual({ ...none, assigned: UNDER_ASSIGNED });
    expect(choiceFromRoute({ split: "TEST" })).toEqual({ ...none, split: "TEST" });
  });

  it("ignores what it does not know", () => {
    expect(choiceFromRoute({ cases: "EVERYTHING", assigned: READER, split: "test" })).toEqual(none);
    expect(choiceFromRoute({ cases: ["BLOCKED"] })).toEqual(none);
    expect(choiceFromRoute({})).toEqual(none);
  });
});
