import { describe, expect, it } from "vitest";
import { appendPage } from "./accountPages";

describe("appendPage", () => {
  it("appends the next page in order, leaving out accounts already shown", () => {
    const a = { id: "a", email: "a@x.org" };
    const b = { id: "b", email: "b@x.org" };
    const c = { id: "c", email: "c@x.org" };
    expect(appendPage([a, b], [b, c])).toEqual([a, b, c]);
    expect(appendPage([], [a])).toEqual([a]);
    expect(appendPage([a], [])).toEqual([a]);
  });
});
