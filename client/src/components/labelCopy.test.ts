import { describe, expect, it } from "vitest";
import { copySources, copySummary } from "./labelCopy";

const copy = (labels: number, groups: number, skipped: number) => ({
  labels: Array.from({ length: labels }, (_, i) => ({ id: `l${i}` })),
  groups: Array.from({ length: groups }, (_, i) => ({ id: `g${i}` })),
  skipped: Array.from({ length: skipped }, (_, i) => `label "L${i}": this project has a label of that name`),
});

describe("copying labels", () => {
  it("offers the user's other projects by name, archived ones last", () => {
    const projects = [
      { id: "here", name: "Alpha", archived: false },
      { id: "c", name: "chest", archived: false },
      { id: "old", name: "Abdomen 2019", archived: true },
      { id: "b", name: "Breast", archived: false },
    ];
    expect(copySources(projects, "here").map((p) => p.id)).toEqual(["b", "c", "old"]);
    expect(copySources([{ id: "here", name: "Alpha", archived: false }], "here")).toEqual([]);
  });

  it("says what was copied and how much was left out", () => {
    expect(copySummary(copy(4, 1, 2))).toBe("Copied 4 labels and 1 group; 2 left out.");
    expect(copySummary(copy(1, 2, 1))).toBe("Copied 1 label and 2 groups; 1 left out.");
    expect(copySummary(copy(3, 0, 0))).toBe("Copied 3 labels.");
    // Every label's name taken here, yet a group made from the labels of those names.
    expect(copySummary(copy(0, 1, 3))).toBe("Copied 1 group; 3 left out.");
  });

  it("says when nothing was copied", () => {
    expect(copySummary(copy(0, 0, 2))).toBe("Nothing copied; 2 left out.");
    expect(copySummary(copy(0, 0, 0))).toBe("Nothing to copy: that project has no active labels.");
  });
});
