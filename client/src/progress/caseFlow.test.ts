import { describe, expect, it } from "vitest";
import { caseFlow } from "./caseFlow";

describe("caseFlow", () => {
  it("splits the uploaded cases into excluded (by reason) and the project's complete, partly read and unread ones", () => {
    const flow = caseFlow({
      totalCases: 10,
      completeCases: 4,
      unreadCases: 3,
      blockedCases: 1,
      excludedCases: 3,
      excludedByReason: [
        { reason: "DUPLICATE", cases: 2 },
        { reason: "OTHER", cases: 1 },
      ],
    });
    expect(flow).toEqual({
      uploaded: 13,
      excluded: 3,
      excludedBy: [
        { reason: "DUPLICATE", label: "Duplicate", cases: 2 },
        { reason: "OTHER", label: "Other", cases: 1 },
      ],
      inProject: 10,
      complete: 4,
      partlyRead: 3,
      unread: 3,
      blocked: 1,
    });
    expect(flow.complete + flow.partlyRead + flow.unread).toBe(flow.inProject);
  });

  it("has nothing partly read in an empty project", () => {
    expect(caseFlow({ totalCases: 0, completeCases: 0, unreadCases: 0, blockedCases: 0, excludedCases: 0, excludedByReason: [] })).toMatchObject({ uploaded: 0, partlyRead: 0 });
  });
});
