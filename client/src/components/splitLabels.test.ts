import { describe, expect, it } from "vitest";
import { labelCell, labelRows } from "./splitLabels";

const count = (label: string, split: "TRAIN" | "VALIDATION" | "TEST", cases: number, positive: number, negative: number) => ({ label, split, cases, positive, negative });

describe("each label's consensus in each split", () => {
  it("gives the share of yes among the decided cases, and the undecided apart", () => {
    expect(labelCell(count("Effusion", "TRAIN", 45, 12, 28))).toEqual({
      split: "TRAIN",
      text: "12 of 40 yes (30 %)",
      note: "5 undecided",
      share: 30,
      detail: "12 yes, 28 no, 5 undecided (not read yet, tied or not answered), of 45 cases",
    });
    expect(labelCell(count("Effusion", "TEST", 3, 1, 2))).toMatchObject({ text: "1 of 3 yes (33 %)", note: "", share: 33 });
    expect(labelCell(count("Effusion", "TEST", 4, 0, 4))).toMatchObject({ text: "0 of 4 yes (0 %)", note: "", share: 0 });
  });

  it("has no share where no case is decided, or there are no cases", () => {
    expect(labelCell(count("Effusion", "VALIDATION", 6, 0, 0))).toEqual({
      split: "VALIDATION",
      text: "None decided",
      note: "6 undecided",
      share: null,
      detail: "0 yes, 0 no, 6 undecided (not read yet, tied or not answered), of 6 cases",
    });
    expect(labelCell(count("Effusion", "VALIDATION", 0, 0, 0))).toEqual({ split: "VALIDATION", text: "No cases", note: "", share: null, detail: "No cases" });
  });

  it("makes a row per label in the order given, with Train, Validation and Test", () => {
    const rows = labelRows([
      count("Nodule", "TRAIN", 8, 2, 6),
      count("Nodule", "VALIDATION", 2, 1, 1),
      count("Nodule", "TEST", 2, 0, 1),
      count("Effusion", "TRAIN", 8, 4, 4),
      count("Effusion", "VALIDATION", 2, 2, 0),
      count("Effusion", "TEST", 2, 1, 1),
    ]);
    expect(rows.map((r) => r.label)).toEqual(["Nodule", "Effusion"]);
    expect(rows[0]!.cells.map((c) => c.split)).toEqual(["TRAIN", "VALIDATION", "TEST"]);
    expect(rows[0]!.cells.map((c) => c.text)).toEqual(["2 of 8 yes (25 %)", "1 of 2 yes (50 %)", "0 of 1 yes (0 %)"]);
    expect(rows[1]!.cells.map((c) => c.share)).toEqual([50, 100, 50]);
  });

  it("puts each split in its column whatever the order of the counts, a missing one as having no cases", () => {
    const [row] = labelRows([count("Effusion", "TEST", 2, 1, 1), count("Effusion", "TRAIN", 6, 3, 3)]);
    expect(row!.cells.map((c) => [c.split, c.text])).toEqual([
      ["TRAIN", "3 of 6 yes (50 %)"],
      ["VALIDATION", "No cases"],
      ["TEST", "1 of 2 yes (50 %)"],
    ]);
    expect(labelRows([])).toEqual([]);
  });
});
