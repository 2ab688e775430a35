import { describe, expect, it } from "vitest";
import { groupAnswer } from "./groupFeedback";

describe("groupAnswer", () => {
  it("names both answers, none of them for none, and the steps on an ordinal scale", () => {
    expect(groupAnswer({ mineName: "B2", goldName: "B4", steps: -2 })).toBe("yours B2, gold B4: 2 steps below");
    expect(groupAnswer({ mineName: "Severe", goldName: "Moderate", steps: 1 })).toBe("yours Severe, gold Moderate: 1 step above");
    expect(groupAnswer({ mineName: "Left", goldName: "Left", steps: 0 })).toBe("yours Left, gold Left");
    expect(groupAnswer({ mineName: null, goldName: "Right", steps: null })).toBe("yours none of them, gold Right");
  });
});
