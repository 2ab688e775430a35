import { describe, expect, it } from "vitest";
import { effectScope, ref } from "vue";
import { useCaseSelection } from "./caseSelection";

describe("useCaseSelection", () => {
  function setUp(ids: string[]) {
    const shown = ref(ids);
    const selection = effectScope().run(() => useCaseSelection(() => shown.value))!;
    return { shown, selection };
  }

  it("ticks cases one by one, the header box mixed until all shown are ticked", () => {
    const { selection } = setUp(["a", "b", "c"]);
    expect([selection.all.value, selection.some.value]).toEqual([false, false]);
    selection.toggle("b", true);
    expect(selection.selected.value).toEqual(["b"]);
    expect([selection.all.value, selection.some.value]).toEqual([false, true]);
    selection.toggle("a", true);
    selection.toggle("c", true);
    expect(selection.selected.value).toEqual(["a", "b", "c"]);
    expect([selection.all.value, selection.some.value]).toEqual([true, false]);
    selection.toggle("a", false);
    expect(selection.isSelected("a")).toBe(false);
    expect(selection.selected.value).toEqual(["b", "c"]);
  });

  it("ticks and clears every case shown at once", () => {
    const { selection } = setUp(["a", "b"]);
    selection.toggleShown(true);
    expect(selection.selected.value).toEqual(["a", "b"]);
    selection.toggleShown(false);
    expect(selection.selected.value).toEqual([]);
  });

  it("acts only on the cases shown: one the filter hides is not selected while hidden", () => {
    const { shown, selection } = setUp(["a", "b"]);
    selection.toggleShown(true);
    shown.value = ["b", "c"];
    expect(selection.selected.value).toEqual(["b"]);
    expect(selection.some.value).toBe(true);
    shown.value = ["a", "b", "c"];
    expect(selection.selected.value).toEqual(["a", "b"]);
  });

  it("has nothing to tick in an empty list", () => {
    const { selection } = setUp([]);
    selection.toggleShown(true);
    expect([selection.all.value, selection.some.value, selection.selected.value]).toEqual([false, false, []]);
  });
});
