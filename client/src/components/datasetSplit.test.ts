import { describe, expect, it } from "vitest";
import {
  ownReadersText,
  percentText,
  readersHint,
  readersProblems,
  readersSummary,
  readersTyped,
  shares,
  splitProblems,
  splitRows,
  splitSummary,
  testPercentOf,
} from "./datasetSplit";

describe("checking a dataset split before it is sent", () => {
  it("accepts what the server accepts", () => {
    expect(splitProblems(70, 15)).toEqual({});
    expect(splitProblems(100, 0)).toEqual({});
    expect(splitProblems(1, 99)).toEqual({});
    expect(splitProblems(50, 50)).toEqual({});
  });

  it("names each field out of range or not a whole number", () => {
    expect(splitProblems(0, 15)).toEqual({ trainPercent: "must be a whole number from 1 to 100" });
    expect(splitProblems(101, 0)).toEqual({ trainPercent: "must be a whole number from 1 to 100" });
    expect(splitProblems(70.5, 15)).toEqual({ trainPercent: "must be a whole number from 1 to 100" });
    expect(splitProblems(70, -1)).toEqual({ validationPercent: "must be a whole number from 0 to 99" });
    expect(splitProblems(70, 100)).toEqual({ validationPercent: "must be a whole number from 0 to 99" });
    // An emptied number field gives "" to v-model.number.
    expect(Object.keys(splitProblems("", ""))).toEqual(["trainPercent", "validationPercent"]);
  });

  it("says when train and validation leave nothing to add up to 100", () => {
    expect(splitProblems(80, 30)).toEqual({
      datasetSplit: "Train and validation add up to 110 %; together they may be at most 100 %, as test takes the rest.",
    });
  });

  it("shows test as the rest of 100 only while the other two are valid", () => {
    expect(testPercentOf(50, 25)).toBe(25);
    expect(testPercentOf(100, 0)).toBe(0);
    expect(testPercentOf(80, 30)).toBeNull();
    expect(testPercentOf("", 25)).toBeNull();
    expect(percentText(25)).toBe("25 %");
    expect(percentText(null)).toBe("—");
  });
});

describe("a dataset split for people", () => {
  it("sums the setting up in one line", () => {
    expect(splitSummary({ trainPercent: 70, validationPercent: 15, testPercent: 15, groupBy: "PATIENT" })).toBe(
      "Train 70 %, validation 15 %, test 15 %. Kept together: each patient's images.",
    );
    expect(splitSummary({ trainPercent: 80, validationPercent: 0, testPercent: 20, groupBy: "CASE" })).toBe(
      "Train 80 %, validation 0 %, test 20 %. Kept together: nothing (each case on its own).",
    );
  });

  it("gives whole shares, the same for equal counts, and none without cases", () => {
    expect(shares([8, 2, 2])).toEqual([67, 17, 17]);
    expect(shares([1, 1, 1])).toEqual([33, 33, 33]);
    expect(shares([2, 1, 0])).toEqual([67, 33, 0]);
    expect(shares([0, 0, 5])).toEqual([0, 0, 100]);
    expect(shares([0, 0, 0])).toEqual([null, null, null]);
  });

  it("puts each split's counts beside the percentage set for it", () => {
    const counts = [
      { split: "TRAIN" as const, cases: 6, groups: 2, readersPerCase: 1, complete: 4 },
      { split: "VALIDATION" as const, cases: 0, groups: 0, readersPerCase: 1, complete: 0 },
      { split: "TEST" as const, cases: 2, groups: 1, readersPerCase: 3, complete: 1 },
    ];
    expect(splitRows(counts, { trainPercent: 50, validationPercent: 25, testPercent: 25, groupBy: "PATIENT" })).toEqual([
      { split: "TRAIN", name: "Train", cases: 6, groups: 2, readersPerCase: 1, complete: 4, target: 50, share: 75 },
      { split: "VALIDATION", name: "Validation", cases: 0, groups: 0, readersPerCase: 1, complete: 0, target: 25, share: 0 },
      { split: "TEST", name: "Test", cases: 2, groups: 1, readersPerCase: 3, complete: 1, target: 25, share: 25 },
    ]);
  });
});

describe("readers per validation and test case", () => {
  it("takes an empty field for the project's readers per case, and a whole number from 1 to 100", () => {
    expect(readersTyped("")).toBeNull();
    expect(readersTyped(null)).toBeNull();
    expect(readersTyped(1)).toBe(1);
    expect(readersTyped(100)).toBe(100);
    expect(readersTyped(0)).toBeUndefined();
    expect(readersTyped(101)).toBeUndefined();
    expect(readersTyped(2.5)).toBeUndefined();
  });

  it("names each field the server would refuse", () => {
    expect(readersProblems({ validation: "", test: 3 })).toEqual({});
    expect(readersProblems({ validation: 0, test: 2.5 })).toEqual({
      readersValidation: "must be a whole number from 1 to 100, or empty",
      readersTest: "must be a whole number from 1 to 100, or empty",
    });
    expect(readersHint(3)).toBe("Empty: 3, as for Train cases (Readers per case, above).");
  });

  it("tells only the splits whose number differs from the project's", () => {
    expect(ownReadersText(1, { validation: 2, test: 3 })).toBe("Validation cases 2, Test cases 3");
    expect(ownReadersText(1, { validation: null, test: 3 })).toBe("Test cases 3");
    expect(ownReadersText(3, { validation: 3, test: null })).toBe("");
    expect(ownReadersText(2, null)).toBe("");
  });

  it("sums the numbers up in a sentence for those who may not change them", () => {
    expect(readersSummary(1, { validation: null, test: 3 })).toBe("Test cases are read by 3 readers, the others by 1.");
    expect(readersSummary(2, { validation: 1, test: 3 })).toBe("Validation cases are read by 1 reader, test cases by 3, the others by 2.");
    expect(readersSummary(2, { validation: null, test: null })).toBe("");
  });
});
