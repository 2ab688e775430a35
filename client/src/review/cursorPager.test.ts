import { describe, expect, it } from "vitest";
import { useCursorPager } from "./cursorPager";

describe("useCursorPager", () => {
  it("goes forward by end cursors, back through where it came from, and resets to the first page", () => {
    const p = useCursorPager();
    expect(p.after.value).toBeNull();
    p.next("c1");
    p.next("c2");
    expect([p.after.value, p.history.value]).toEqual(["c2", [null, "c1"]]);
    p.next(null); // the last page: no end cursor, nowhere to go
    expect(p.after.value).toBe("c2");
    p.previous();
    expect([p.after.value, p.history.value]).toEqual(["c1", [null]]);
    p.next("c2");
    p.reset();
    expect([p.after.value, p.history.value]).toEqual([null, []]);
    p.previous();
    expect(p.after.value).toBeNull();
  });
});
