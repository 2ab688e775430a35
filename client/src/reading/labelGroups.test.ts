import { describe, expect, it } from "vitest";
import {
  answerOf,
  arrangeLabels,
  groupState,
  needsAnswerMessage,
  noneOf,
  submitProblem,
  unansweredRequired,
  withOneAnswer,
  type AnswerGroup,
  type GroupDefinition,
  type LabelValue,
} from "./labelGroups";

const label = (id: string) => ({ id, name: id.toUpperCase() });
const def = (id: string, labelIds: string[], more: Partial<GroupDefinition> = {}): GroupDefinition => ({ id, name: `Group ${id}`, labelIds, ordinal: false, required: false, ...more });
const states = (entries: Array<[string, boolean, number | null]>) => new Map<string, LabelValue>(entries.map(([id, value, confidence]) => [id, { value, confidence }]));

describe("arranging labels into groups", () => {
  it("puts a group where its first label stands, its labels in the group's order, and counts every label for the keys", () => {
    const labels = ["a", "b2", "b1", "c", "b3"].map(label);
    const { blocks, order, groups } = arrangeLabels(labels, [def("g", ["b1", "b2", "b3"], { ordinal: true })]);
    expect(order.map((l) => l.id)).toEqual(["a", "b1", "b2", "b3", "c"]);
    expect(blocks.map((b) => (b.kind === "label" ? `${b.label.id}@${b.index}` : `${b.group.id}[${b.items.map((i) => `${i.label.id}@${i.index}`).join(" ")}]`))).toEqual([
      "a@0",
      "g[b1@1 b2@2 b3@3]",
      "c@4",
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: "g", name: "Group g", ordinal: true, required: false });
  });

  it("leaves out labels not shown (archived), groups with none shown, and keeps ungrouped labels as they are", () => {
    const labels = ["x", "b1", "b3"].map(label);
    const { blocks, groups } = arrangeLabels(labels, [def("g", ["b1", "archived", "b3"]), def("gone", ["old1", "old2"])]);
    expect(groups.map((g) => [g.id, g.labels.map((l) => l.id)])).toEqual([["g", ["b1", "b3"]]]);
    expect(blocks.map((b) => b.kind)).toEqual(["label", "group"]);
    expect(arrangeLabels(labels, []).blocks.map((b) => b.kind)).toEqual(["label", "label", "label"]);
  });
});

describe("the one-answer rule", () => {
  const group: AnswerGroup = { id: "g", name: "BI-RADS", ordinal: true, required: true, labels: ["b1", "b2", "b3"].map(label) };

  it("makes the group's other labels not present in the same change, keeping their confidence", () => {
    const current = states([["b2", true, 60], ["x", true, null]]);
    expect(withOneAnswer("b3", { value: true }, current, [group])).toEqual([
      ["b3", { value: true, confidence: null }],
      ["b1", { value: false, confidence: null }],
      ["b2", { value: false, confidence: 60 }],
    ]);
  });

  it("leaves labels already explicitly not present alone, and changes nothing else when the label is not made present", () => {
    const current = states([["b1", false, 20], ["b2", true, 60]]);
    expect(withOneAnswer("b3", { value: true, confidence: 80 }, current, [group])).toEqual([
      ["b3", { value: true, confidence: 80 }],
      ["b2", { value: false, confidence: 60 }],
    ]);
    expect(withOneAnswer("b2", { value: false }, current, [group])).toEqual([["b2", { value: false, confidence: 60 }]]);
    expect(withOneAnswer("b2", { confidence: 100 }, current, [group])).toEqual([["b2", { value: true, confidence: 100 }]]);
  });

  it("touches nothing but the label itself outside a group", () => {
    expect(withOneAnswer("x", { value: true }, states([["b1", true, null]]), [group])).toEqual([["x", { value: true, confidence: null }]]);
  });

  it("never leaves two present when applied: any sequence of changes keeps at most one", () => {
    const current = new Map<string, LabelValue>();
    for (const id of ["b1", "b3", "b2", "b2", "b1"]) {
      for (const [k, v] of withOneAnswer(id, { value: !(current.get(id)?.value ?? false) }, current, [group])) current.set(k, v);
      expect(group.labels.filter((l) => current.get(l.id)?.value).length).toBeLessThanOrEqual(1);
    }
  });

  it("answers none of them with every label explicitly not present", () => {
    expect(noneOf(group, states([["b1", true, 40], ["b2", false, null]]))).toEqual([
      ["b1", { value: false, confidence: 40 }],
      ["b3", { value: false, confidence: null }],
    ]);
  });
});

describe("a group's state and the submission check", () => {
  const required: AnswerGroup = { id: "r", name: "Grade", ordinal: true, required: true, labels: ["none", "mild", "severe"].map(label) };
  const optional: AnswerGroup = { id: "o", name: "Side", ordinal: false, required: false, labels: ["left", "right"].map(label) };

  it("tells answered, none of them, unanswered and several apart", () => {
    expect(groupState(required, states([["mild", true, null]]))).toBe("answered");
    expect(groupState(optional, states([["left", false, null], ["right", false, 20]]))).toBe("none");
    expect(groupState(optional, states([["left", false, null]]))).toBe("unanswered");
    expect(groupState(required, states([["mild", true, null], ["severe", true, null]]))).toBe("several");
    expect(answerOf(required, states([["mild", true, null]]))?.id).toBe("mild");
    expect(answerOf(required, states([]))).toBeNull();
  });

  it("refuses a submission while a required group has no answer, in the server's words", () => {
    expect(unansweredRequired([required, optional], states([]))).toEqual([required]);
    expect(needsAnswerMessage(required)).toBe('the group "Grade" needs an answer: one of "NONE", "MILD", "SEVERE"');
    expect(submitProblem([required, optional], states([["left", true, null]]))).toBe(needsAnswerMessage(required));
    expect(submitProblem([required, optional], states([["severe", true, 80]]))).toBeNull();
    expect(submitProblem([optional], states([]))).toBeNull();
  });
});
