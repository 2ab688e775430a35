import { describe, expect, it } from "vitest";
import { assignmentRefusal, can, permissionsOf, type Actor } from "./access.js";
import { ACTIONS, MATRIX, ROLES } from "./roles.js";

const actor: Actor = { userId: "u", via: "session" };
const on = (role: (typeof ROLES)[number] | null, blindReading = false, readerHasSubmitted?: boolean) => ({
  projectId: "p",
  role,
  blindReading,
  ...(readerHasSubmitted === undefined ? {} : { readerHasSubmitted }),
});

describe("can()", () => {
  it("follows the matrix for every role and action on an open project", () => {
    for (const role of ROLES) for (const action of ACTIONS) expect(can(actor, action, on(role)), `${role} ${action}`).toBe(MATRIX[action].includes(role));
  });

  it("says no to nobody and to non-members, whatever the action", () => {
    for (const action of ACTIONS) {
      expect(can(null, action, on("OWNER"))).toBe(false);
      expect(can(actor, action, on(null))).toBe(false);
    }
  });

  it("hides other readers' work from an annotator in blind reading until they submit the case", () => {
    expect(can(actor, "annotations.viewOthers", on("ANNOTATOR", true))).toBe(false);
    expect(can(actor, "annotations.viewOthers", on("ANNOTATOR", true, false))).toBe(false);
    expect(can(actor, "annotations.viewOthers", on("ANNOTATOR", true, true))).toBe(true);
    expect(can(actor, "annotations.viewOthers", on("ANNOTATOR", false))).toBe(true);
    expect(can(actor, "annotations.viewOthers", on("TRAINEE", false))).toBe(false);
    expect(can(actor, "annotations.viewOthers", on("REVIEWER", true))).toBe(true);
  });

  it("refuses writing a reading of a case not assigned to the reader where the project reads by assignment, saying why", () => {
    const assigned = (assignedReading: boolean, readerIsAssigned?: boolean) => ({ ...on("ANNOTATOR"), assignedReading, ...(readerIsAssigned === undefined ? {} : { readerIsAssigned }) });
    expect(can(actor, "case.annotate", assigned(true, false))).toBe(false);
    expect(assignmentRefusal(assigned(true, false))).toMatch(/not assigned to you/);
    expect(can(actor, "case.annotate", assigned(true, true))).toBe(true);
    // Not asked (the queue, one's own readings) or not reading by assignment: no refusal.
    expect(can(actor, "case.annotate", assigned(true))).toBe(true);
    expect(can(actor, "case.annotate", assigned(false, false))).toBe(true);
    expect(assignmentRefusal(assigned(false, false))).toBeNull();
    // Only a reading: others' work stays as blind reading says.
    expect(can(actor, "annotations.viewOthers", assigned(true, false))).toBe(true);
  });

  it("lists a role's permissions", () => {
    expect(permissionsOf(on("VIEWER"), actor)).toEqual(["project.view", "annotations.viewOthers"]);
    expect(permissionsOf(on("OWNER"), actor)).toContain("project.archive");
    expect(permissionsOf(on("MANAGER"), actor)).not.toContain("project.archive");
  });
});
