import { describe, expect, it } from "vitest";
import { categoryName, confusionCells, confusionColour, confusionInk, diagonalShare, rowShares } from "./confusion";

describe("group confusion heatmap helpers", () => {
  it("names the null category None", () => {
    expect([categoryName({ name: "BI-RADS 2" }), categoryName(null), categoryName(undefined)]).toEqual(["BI-RADS 2", "None", "None"]);
  });

  it("colours from near white to deep blue, darker as the weight grows, with light text on dark cells", () => {
    const light = (c: string) => Number(/ (\d+)%\)$/.exec(c)![1]);
    expect(confusionColour(0)).toBe("hsl(215 25% 97%)");
    expect(confusionColour(Number.NaN)).toBe("hsl(215 25% 97%)");
    expect(confusionColour(1)).toBe("hsl(215 75% 32%)");
    expect(light(confusionColour(0.25))).toBeGreaterThan(light(confusionColour(0.75)));
    expect(confusionColour(2)).toBe(confusionColour(1));
    expect([confusionInk(0.2), confusionInk(0.9)]).toEqual(["#111", "#fff"]);
  });

  it("turns rows into shares, a row with no pairs staying 0", () => {
    expect(rowShares([[2, 2], [0, 0], [1, 3]])).toEqual([[0.5, 0.5], [0, 0], [0.25, 0.75]]);
    expect(diagonalShare([[4, 1], [1, 2]])).toBeCloseTo(6 / 8);
    expect(diagonalShare([[0, 0], [0, 0]])).toBeNull();
  });

  it("makes the cells: counts coloured against the largest, or each row's shares", () => {
    const counts = confusionCells([[4, 2], [2, 0]]);
    expect(counts.map((r) => r.map((c) => c.text))).toEqual([["4", "2"], ["2", "0"]]);
    expect(counts[0]![0]!.background).toBe(confusionColour(1));
    expect(counts[0]![1]!.background).toBe(confusionColour(0.5));
    expect(counts[1]![1]!.background).toBe(confusionColour(0));
    const shares = confusionCells([[4, 2], [2, 0]], true);
    expect(shares.map((r) => r.map((c) => c.text))).toEqual([["67%", "33%"], ["100%", "0%"]]);
    expect(shares[1]![0]!.count).toBe(2);
    expect(confusionCells([[0]])[0]![0]!.background).toBe(confusionColour(0));
  });
});
