import { describe, expect, it } from "vitest";
import { answerName, casesTitle, categoryKey, cellChoice, cellName, choiceIndexes, readerAnswer, spreadText } from "./groupCases";

const birads = [{ id: "b1", name: "BI-RADS 1" }, { id: "b2", name: "BI-RADS 2" }, { id: "b3", name: "BI-RADS 3" }];
const optional = [...birads, null];

describe("a label group's case list", () => {
  it("names an answer, a null label being none of them", () => {
    expect([answerName({ id: "b2", name: "BI-RADS 2" }), answerName(null), answerName(undefined)]).toEqual(["BI-RADS 2", "None of them", "None of them"]);
    expect(readerAnswer({ reader: { name: "Ivo Indexer" }, label: { id: "b3", name: "BI-RADS 3" } })).toBe("Ivo Indexer: BI-RADS 3");
    expect(readerAnswer({ reader: { name: "Greta Grouper" }, label: null })).toBe("Greta Grouper: None of them");
  });

  it("titles the list from the chosen cell, with the total once known", () => {
    expect(casesTitle(birads, null, 3)).toBe("Cases where readers differ (3)");
    expect(casesTitle(birads, null, 0)).toBe("Cases where readers differ (0)");
    expect(casesTitle(birads, null, null)).toBe("Cases where readers differ");
    expect(casesTitle(birads, [1, 2], 2)).toBe("Cases where one reader said BI-RADS 2 and another BI-RADS 3 (2)");
    expect(casesTitle(birads, [2, 1], 2)).toBe("Cases where one reader said BI-RADS 3 and another BI-RADS 2 (2)");
    expect(casesTitle(birads, [0, 0], 1)).toBe("Cases where two readers agreed on BI-RADS 1 (1)");
    expect(casesTitle(optional, [3, 0], 1)).toBe("Cases where one reader said none of them and another BI-RADS 1 (1)");
    expect(casesTitle(optional, [3, 3], null)).toBe("Cases where two readers agreed on none of them");
  });

  it("keeps a chosen cell by its categories, across a reordering, and drops it when one is gone", () => {
    expect(categoryKey(null)).toBeNull();
    expect(cellChoice(optional, 1, 3)).toEqual(["b2", null]);
    expect(choiceIndexes(optional, ["b2", null])).toEqual([1, 3]);
    expect(choiceIndexes(optional, ["b3", "b3"])).toEqual([2, 2]);
    expect(choiceIndexes([birads[2]!, birads[0]!, birads[1]!], ["b2", "b3"])).toEqual([2, 0]);
    // "None of them" is no answer once the group is required; a label left the group.
    expect(choiceIndexes(birads, ["b2", null])).toBeNull();
    expect(choiceIndexes(birads.slice(0, 2), ["b1", "b3"])).toBeNull();
    expect(choiceIndexes(birads, null)).toBeNull();
  });

  it("says how far apart the answers lie: steps on an ordered scale, different answers otherwise", () => {
    expect([spreadText(1, true), spreadText(2, true), spreadText(0, true)]).toEqual(["1 step", "2 steps", "all agree"]);
    expect([spreadText(1, false), spreadText(2, false), spreadText(0, false)]).toEqual(["2 different answers", "3 different answers", "all agree"]);
  });

  it("names a heatmap cell by its two answers and what it shows", () => {
    expect(cellName("BI-RADS 2", "BI-RADS 3", "2")).toBe("BI-RADS 2 and BI-RADS 3: 2");
    expect(cellName("None", "BI-RADS 1", "50%")).toBe("None and BI-RADS 1: 50%");
  });
});
