import { describe, expect, it } from "vitest";
import { ReadingClock, secondsPerLabel } from "./clock";

function fakeTime() {
  let mono = 1000;
  const wall = Date.parse("2026-11-28T10:00:00.000Z");
  return {
    advance: (seconds: number) => (mono += seconds * 1000),
    clock: (threshold = 5) => new ReadingClock(threshold, () => mono, () => wall + mono - 1000),
  };
}

describe("the reading clock", () => {
  it("runs from the complete load, not from opening the case", () => {
    const t = fakeTime();
    const c = t.clock();
    t.advance(3); // loading
    c.label("a", true, 80); // ignored: nothing is shown yet
    expect(c.snapshot()).toBeNull();
    c.loaded();
    t.advance(12.5);
    const s = c.snapshot()!;
    expect(s.loadedAt).toBe("2026-11-28T10:00:03.000Z");
    expect(s.caseSeconds).toBe(12.5);
    expect(s.labelClicks).toEqual([]);
  });

  it("records each label's moment, value and confidence", () => {
    const t = fakeTime();
    const c = t.clock();
    c.loaded();
    t.advance(2);
    c.label("effusion", true, 60);
    t.advance(1.25);
    c.label("nodule", false, 100);
    expect(c.snapshot()!.labelClicks).toEqual([
      { labelId: "effusion", atSeconds: 2, value: true, confidence: 60 },
      { labelId: "nodule", atSeconds: 3.25, value: false, confidence: 100 },
    ]);
  });

  it("keeps motionless stretches above the threshold, including one still open", () => {
    const t = fakeTime();
    const c = t.clock(5);
    c.loaded();
    t.advance(4);
    c.activity(); // 4 s: below the threshold
    t.advance(8);
    c.click(); // 8 s without moving
    t.advance(1);
    c.activity();
    t.advance(6); // open at the snapshot
    const s = c.snapshot()!;
    expect(s.idle).toEqual([
      { startSeconds: 4, seconds: 8 },
      { startSeconds: 13, seconds: 6 },
    ]);
    expect(s.clicks).toBe(1);
    expect(s.caseSeconds).toBe(19);
  });

  it("starts once: a second load event does not restart the case time", () => {
    const t = fakeTime();
    const c = t.clock();
    c.loaded();
    t.advance(5);
    c.loaded();
    expect(c.snapshot()!.caseSeconds).toBe(5);
  });
});

describe("seconds per label", () => {
  it("is the time from the previous label click (or the load) to each label's click", () => {
    const per = secondsPerLabel([
      { labelId: "b", atSeconds: 5, value: true, confidence: 20 },
      { labelId: "a", atSeconds: 2, value: true, confidence: 80 },
      { labelId: "a", atSeconds: 9.5, value: false, confidence: 80 },
    ]);
    expect(Object.fromEntries(per)).toEqual({ a: 6.5, b: 3 });
  });
});
