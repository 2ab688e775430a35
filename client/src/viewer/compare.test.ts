import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMPARE_SETTING, compareChoice, referenceSeriesFor, setCompareChoice } from "./compare";

describe("the series a reference viewer opens on", () => {
  it("is the one after the main viewer's, the first after the last", () => {
    expect(referenceSeriesFor(0, 2)).toBe(1);
    expect(referenceSeriesFor(1, 2)).toBe(0);
    expect(referenceSeriesFor(1, 4)).toBe(2);
    expect(referenceSeriesFor(3, 4)).toBe(0);
  });

  it("is the only one a case of one series has", () => {
    expect(referenceSeriesFor(0, 1)).toBe(0);
    expect(referenceSeriesFor(0, 0)).toBe(0);
  });
});

describe("the reader's choice to compare", () => {
  const stored = new Map<string, string>();
  let refuse = false;
  beforeEach(() => {
    stored.clear();
    refuse = false;
    const guard = () => {
      if (refuse) throw new DOMException("denied", "SecurityError");
    };
    const storage = {
      getItem: (k: string) => (guard(), stored.get(k) ?? null),
      setItem: (k: string, v: string) => (guard(), void stored.set(k, v)),
      removeItem: (k: string) => (guard(), void stored.delete(k)),
    };
    vi.stubGlobal("window", { localStorage: storage });
    setCompareChoice(false); // no choice left from another test
  });
  afterEach(() => vi.unstubAllGlobals());

  it("is off until the reader turns it on, and kept in the browser until turned off", () => {
    expect(compareChoice()).toBe(false);
    setCompareChoice(true);
    expect(stored.get(COMPARE_SETTING)).toBe("on");
    expect(compareChoice()).toBe(true);
    setCompareChoice(false);
    expect(stored.has(COMPARE_SETTING)).toBe(false);
    expect(compareChoice()).toBe(false);
  });

  it("where the browser refuses to store it, holds for this page", () => {
    refuse = true;
    expect(compareChoice()).toBe(false);
    setCompareChoice(true);
    expect(compareChoice()).toBe(true);
  });
});
