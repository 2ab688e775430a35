import { describe, expect, it } from "vitest";
import { groupDraftProblems, groupableLabels, moveChoice, moveInList, toggleChoice } from "./labelGroupEditing";

const label = (id: string, position: number, more: { kind?: string; archived?: boolean } = {}) => ({ id, position, kind: more.kind ?? "CLASSIFICATION", archived: more.archived ?? false });

describe("label group editing", () => {
  it("offers active classification labels in no other group, in the list's order", () => {
    const labels = [label("c", 3), label("a", 1), label("roi", 2, { kind: "ROI" }), label("old", 4, { archived: true }), label("g1", 5), label("h1", 6)];
    const groups = [{ id: "g", labelIds: ["g1", "old"] }, { id: "h", labelIds: ["h1"] }];
    expect(groupableLabels(labels, groups).map((l) => l.id)).toEqual(["a", "c"]);
    expect(groupableLabels(labels, groups, "g").map((l) => l.id)).toEqual(["a", "c", "g1"]);
  });

  it("orders the chosen labels by the order they are ticked, and moves them up and down", () => {
    let chosen: string[] = [];
    for (const id of ["b3", "b1", "b2"]) chosen = toggleChoice(chosen, id);
    expect(chosen).toEqual(["b3", "b1", "b2"]);
    expect(toggleChoice(chosen, "b1")).toEqual(["b3", "b2"]);
    expect(moveChoice(chosen, "b3", 1)).toEqual(["b1", "b3", "b2"]);
    expect(moveChoice(chosen, "b2", -1)).toEqual(["b3", "b2", "b1"]);
    expect(moveChoice(chosen, "b3", -1)).toEqual(chosen);
    expect(moveChoice(chosen, "b2", 1)).toEqual(chosen);
  });

  it("asks for a name and 2 to 20 labels", () => {
    expect(groupDraftProblems({ name: " ", labelIds: ["a"] })).toEqual({ name: "Give the group a name.", labelIds: "Choose at least 2 labels." });
    expect(groupDraftProblems({ name: "Side", labelIds: ["l", "r"] })).toEqual({});
    expect(groupDraftProblems({ name: "Many", labelIds: Array.from({ length: 21 }, (_, i) => `l${i}`) })).toEqual({ labelIds: "A group takes at most 20 labels." });
  });

  it("moves a grouped label within its group only, and a label on its own past a whole group", () => {
    const ids = ["a", "g1", "g2", "g3", "b", "h1", "h2"];
    const groupOf = new Map([["g1", "g"], ["g2", "g"], ["g3", "g"], ["h1", "h"], ["h2", "h"]]);
    expect(moveInList(ids, groupOf, "g2", -1)).toEqual(["a", "g2", "g1", "g3", "b", "h1", "h2"]);
    expect(moveInList(ids, groupOf, "g1", -1)).toBeNull();
    expect(moveInList(ids, groupOf, "g3", 1)).toBeNull();
    expect(moveInList(ids, groupOf, "a", 1)).toEqual(["g1", "g2", "g3", "a", "b", "h1", "h2"]);
    expect(moveInList(ids, groupOf, "b", -1)).toEqual(["a", "b", "g1", "g2", "g3", "h1", "h2"]);
    expect(moveInList(ids, groupOf, "b", 1)).toEqual(["a", "g1", "g2", "g3", "h1", "h2", "b"]);
    expect(moveInList(ids, groupOf, "a", -1)).toBeNull();
    expect(moveInList(["x", "y"], new Map(), "x", 1)).toEqual(["y", "x"]);
  });
});
