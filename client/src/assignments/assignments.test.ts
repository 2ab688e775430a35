import { describe, expect, it } from "vitest";
import {
  assignableReaders,
  assignedReaderText,
  assignedText,
  distributedText,
  distributeLabel,
  importedText,
  perCaseHint,
  unassignedText,
  underAssignedNote,
  yourReadingText,
} from "./assignments";

describe("assignableReaders", () => {
  const member = (name: string, role: "OWNER" | "ANNOTATOR" | "TRAINEE" | "VIEWER" | "DATA_OWNER", disabled = false) => ({ role, user: { name, disabled } });

  it("keeps the members who may annotate and can log in, by name", () => {
    const members = [member("Zoe", "ANNOTATOR"), member("Vic", "VIEWER"), member("Ann", "OWNER"), member("Dan", "DATA_OWNER"), member("Tim", "TRAINEE"), member("Ed", "ANNOTATOR", true)];
    expect(assignableReaders(members).map((m) => m.user.name)).toEqual(["Ann", "Tim", "Zoe"]);
  });
});

describe("yourReadingText", () => {
  it("says Assigned for an assigned case not started yet, and where you stand otherwise", () => {
    expect(yourReadingText("NOT_STARTED", true)).toBe("Assigned");
    expect(yourReadingText("NOT_STARTED", false)).toBe("");
    expect(yourReadingText("DRAFT", true)).toBe("Draft");
    expect(yourReadingText("SUBMITTED", false)).toBe("Submitted");
    expect(yourReadingText("SKIPPED", true)).toBe("Skipped");
  });
});

describe("assignedReaderText", () => {
  it("marks how far each assigned reader has come", () => {
    expect(assignedReaderText({ name: "Ann", reading: "SUBMITTED" })).toBe("Ann ✓");
    expect(assignedReaderText({ name: "Ann", reading: "DRAFT" })).toBe("Ann …");
    expect(assignedReaderText({ name: "Ann", reading: "SKIPPED" })).toBe("Ann (skipped)");
    expect(assignedReaderText({ name: "Ann", reading: "NOT_STARTED" })).toBe("Ann");
  });
});

describe("outcome texts", () => {
  it("tells what assigning did, and when it changed nothing", () => {
    expect(assignedText(12, 3, { changed: 32, unchanged: 4 })).toBe("Assigned 12 cases to 3 readers; 4 already were.");
    expect(assignedText(1, 1, { changed: 1, unchanged: 0 })).toBe("Assigned 1 case to 1 reader.");
    expect(assignedText(2, 1, { changed: 1, unchanged: 1 })).toBe("Assigned 2 cases to 1 reader; 1 already was.");
    expect(assignedText(2, 1, { changed: 0, unchanged: 2 })).toBe("Nothing new: the 2 cases already were assigned to that reader.");
    expect(assignedText(1, 1, { changed: 0, unchanged: 1 })).toBe("Nothing new: the 1 case already was assigned to that reader.");
    expect(assignedText(2, 2, { changed: 0, unchanged: 4 })).toBe("Nothing new: the 2 cases already were assigned to those 2 readers.");
  });

  it("tells what unassigning withdrew", () => {
    expect(unassignedText({ changed: 3, unchanged: 1 })).toBe("Withdrew 3 assignments; 1 was not assigned.");
    expect(unassignedText({ changed: 3, unchanged: 2 })).toBe("Withdrew 3 assignments; 2 were not assigned.");
    expect(unassignedText({ changed: 1, unchanged: 0 })).toBe("Withdrew 1 assignment.");
    expect(unassignedText({ changed: 0, unchanged: 2 })).toMatch(/^Nothing to withdraw/);
  });

  it("tells what a distribution made and which cases stay short", () => {
    expect(distributedText({ assigned: 4, cases: 2, shortCases: 0 }, 2)).toBe("Made 4 assignments over 2 cases.");
    expect(distributedText({ assigned: 0, cases: 0, shortCases: 0 }, 1)).toBe("Nothing to assign: every case already has 1 reader.");
    expect(distributedText({ assigned: 0, cases: 0, shortCases: 2 }, 2)).toBe(
      "Nothing assigned. 2 cases still have fewer than 2 readers: too few of the chosen readers are free to read them.",
    );
    expect(distributedText({ assigned: 3, cases: 2, shortCases: 1 }, 2)).toBe(
      "Made 3 assignments over 2 cases. 1 case still has fewer than 2 readers: too few of the chosen readers are free to read it.",
    );
  });

  it("says it true when each case was topped up to its own number (none given)", () => {
    expect(distributedText({ assigned: 0, cases: 0, shortCases: 0 }, null)).toBe("Nothing to assign: every case already has the readers it needs.");
    expect(distributedText({ assigned: 0, cases: 0, shortCases: 2 }, null)).toBe(
      "Nothing assigned. 2 cases still have fewer readers than they need: too few of the chosen readers are free to read them.",
    );
    expect(distributedText({ assigned: 5, cases: 3, shortCases: 1 }, null)).toBe(
      "Made 5 assignments over 3 cases. 1 case still has fewer readers than it needs: too few of the chosen readers are free to read it.",
    );
  });

  it("says what an empty readers per case distributes to where splits need their own number", () => {
    expect(perCaseHint(2, "")).toBe("Each case gets readers until it has this many assigned (or submitted).");
    expect(perCaseHint(1, "Validation cases 2, Test cases 3")).toBe(
      "Each case gets readers until it has this many assigned (or submitted). Empty: as many as each case needs (Validation cases 2, Test cases 3; the others 1).",
    );
  });

  it("tells what an import assigned and how many rows it left out", () => {
    expect(importedText({ assigned: 5, unchanged: 2, problems: ["line 3: no case x", "line 4: no reader"] })).toBe("Imported 5 assignments; 2 already were; 2 rows left out.");
    expect(importedText({ assigned: 1, unchanged: 0, problems: [] })).toBe("Imported 1 assignment.");
  });

  it("names the cases a distribution takes", () => {
    expect(distributeLabel(0)).toBe("Distribute all cases evenly");
    expect(distributeLabel(1)).toBe("Distribute the 1 selected case evenly");
    expect(distributeLabel(3)).toBe("Distribute the 3 selected cases evenly");
  });
});

describe("underAssignedNote", () => {
  const readers = (...assigned: number[]) => assigned.map((n) => ({ assigned: n }));

  it("asks for more assignments where readers read only their assigned cases", () => {
    expect(underAssignedNote({ underAssignedCases: 3, assignedReading: true, readers: readers() })).toBe(
      "3 cases need more readers assigned: readers read only the cases assigned to them.",
    );
    expect(underAssignedNote({ underAssignedCases: 1, assignedReading: true, readers: readers(1) })).toMatch(/^1 case needs more readers assigned/);
  });

  it("only informs where assignments are in use but the queue hands out any case", () => {
    expect(underAssignedNote({ underAssignedCases: 2, assignedReading: false, readers: readers(0, 1) })).toBe(
      "2 cases have fewer readers assigned than wanted; the queue hands them to any reader.",
    );
  });

  it("says nothing when no one uses assignments or every case has its readers", () => {
    expect(underAssignedNote({ underAssignedCases: 4, assignedReading: false, readers: readers(0, 0) })).toBeNull();
    expect(underAssignedNote({ underAssignedCases: 0, assignedReading: true, readers: readers(2) })).toBeNull();
  });
});
