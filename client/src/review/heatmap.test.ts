import { describe, expect, it } from "vitest";
import { cellColour, cellText, consensusText, percent, stat } from "./heatmap";

describe("review heatmap helpers", () => {
  it("colours unanimous cells pale blue or deep red, and a split cell most saturated", () => {
    expect(cellColour(0, 3)).toBe("hsl(210 45% 88%)");
    expect(cellColour(3, 3)).toBe("hsl(0 45% 50%)");
    const sat = (c: string) => Number(/ (\d+)% /.exec(c)![1]);
    expect(sat(cellColour(1, 2))).toBeGreaterThan(sat(cellColour(2, 3)));
    expect(sat(cellColour(2, 3))).toBeGreaterThan(sat(cellColour(3, 3)));
    expect(cellColour(0, 0)).toBe("transparent");
  });
  it("formats numbers, shares and consensus", () => {
    expect([stat(0.46667), stat(null), stat(Number.NaN), percent(0.75), percent(null), cellText(2, 3)]).toEqual(["0.47", "–", "–", "75%", "–", "2/3 yes"]);
    expect([consensusText(true), consensusText(false), consensusText(null)]).toEqual(["yes", "no", "tie"]);
  });
});
