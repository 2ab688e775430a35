// Label groups in the reader's classification: labels among which the reader gives one answer (a
// BI-RADS category, a grade, a side). Each label keeps its own value; making one present makes the
// group's others not present in the same change, so a save never carries two. A required group must
// have its answer before the reading is submitted. Pure functions: the panel and useReading use them.

/** A label's value as the reader set it (useReading's LabelState). */
export interface LabelValue {
  value: boolean;
  confidence: number | null;
}

/** A group as the project defines it: labelIds in the group's order, archived ones included. */
export interface GroupDefinition {
  id: string;
  name: string;
  labelIds: readonly string[];
  ordinal: boolean;
  required: boolean;
}

/** A group as the reader answers it: its labels shown now (the active ones), in the group's order. */
export interface AnswerGroup<L extends { id: string } = { id: string; name: string }> {
  id: string;
  name: string;
  ordinal: boolean;
  required: boolean;
  labels: L[];
}

/** One place in the panel: a label on its own, or a group with its labels; `index` counts every label shown (keys 1–9). */
export type PanelBlock<L extends { id: string }> =
  | { kind: "label"; label: L; index: number }
  | { kind: "group"; group: AnswerGroup<L>; items: Array<{ label: L; index: number }> };

export interface Arrangement<L extends { id: string }> {
  blocks: PanelBlock<L>[];
  /** Every label shown, in the panel's order: what the keys 1–9 count. */
  order: L[];
  groups: AnswerGroup<L>[];
}

/**
 * The panel's order: labels as the project orders them; a group where the first of its labels
 * stands, with its labels in the group's order. A group none of whose labels is shown is left out;
 * a label no group names stays on its own.
 */
export function arrangeLabels<L extends { id: string }>(labels: readonly L[], groups: readonly GroupDefinition[]): Arrangement<L> {
  const shown = new Map(labels.map((l) => [l.id, l]));
  const groupOf = new Map<string, AnswerGroup<L>>();
  for (const g of groups) {
    const members = g.labelIds.flatMap((id) => (shown.has(id) && !groupOf.has(id) ? [shown.get(id)!] : []));
    if (!members.length) continue;
    const group: AnswerGroup<L> = { id: g.id, name: g.name, ordinal: g.ordinal, required: g.required, labels: members };
    for (const l of members) groupOf.set(l.id, group);
  }
  const blocks: PanelBlock<L>[] = [];
  const order: L[] = [];
  const placed = new Set<string>();
  for (const label of labels) {
    const group = groupOf.get(label.id);
    if (!group) {
      blocks.push({ kind: "label", label, index: order.length });
      order.push(label);
    } else if (!placed.has(group.id)) {
      placed.add(group.id);
      blocks.push({ kind: "group", group, items: group.labels.map((l) => ({ label: l, index: order.push(l) - 1 })) });
    }
  }
  const answerGroups = blocks.flatMap((b) => (b.kind === "group" ? [b.group] : []));
  return { blocks, order, groups: answerGroups };
}

const NOT_SET: LabelValue = { value: false, confidence: null };

/**
 * A change to one label with the one-answer rule applied: the label's new value first, then, when the
 * change makes it present and it is in a group, each of the group's other labels not present
 * (explicitly false, their confidence kept), those already explicitly not present left as they are.
 * A change of confidence alone changes nothing else.
 */
export function withOneAnswer(
  labelId: string,
  patch: Partial<LabelValue>,
  current: ReadonlyMap<string, LabelValue>,
  groups: ReadonlyArray<AnswerGroup<{ id: string }>>,
): Array<[string, LabelValue]> {
  const now: LabelValue = { ...(current.get(labelId) ?? NOT_SET), ...patch };
  const changes: Array<[string, LabelValue]> = [[labelId, now]];
  if (patch.value !== true) return changes;
  const group = groups.find((g) => g.labels.some((l) => l.id === labelId));
  for (const other of group?.labels ?? []) {
    if (other.id === labelId) continue;
    const was = current.get(other.id);
    if (was && !was.value) continue;
    changes.push([other.id, { ...(was ?? NOT_SET), value: false }]);
  }
  return changes;
}

/** "None of them" in a group: each of its labels not present (explicitly), confidences kept. */
export function noneOf(group: AnswerGroup<{ id: string }>, current: ReadonlyMap<string, LabelValue>): Array<[string, LabelValue]> {
  return group.labels.flatMap((l): Array<[string, LabelValue]> => {
    const was = current.get(l.id);
    return was && !was.value ? [] : [[l.id, { ...(was ?? NOT_SET), value: false }]];
  });
}

export type GroupState = "answered" | "none" | "unanswered" | "several";

/**
 * Where a group stands: one label present ("answered"), every label explicitly not present ("none":
 * the reader said none of them), none present otherwise ("unanswered"), or more than one present
 * ("several": a draft from before the group was made).
 */
export function groupState(group: AnswerGroup<{ id: string }>, current: ReadonlyMap<string, LabelValue>): GroupState {
  const present = group.labels.filter((l) => current.get(l.id)?.value).length;
  if (present === 1) return "answered";
  if (present > 1) return "several";
  return group.labels.every((l) => current.get(l.id)?.value === false) ? "none" : "unanswered";
}

/** The group's present label, if exactly one is. */
export function answerOf<L extends { id: string }>(group: AnswerGroup<L>, current: ReadonlyMap<string, LabelValue>): L | null {
  const present = group.labels.filter((l) => current.get(l.id)?.value);
  return present.length === 1 ? present[0]! : null;
}

/** Required groups without a present label: a submission would be refused. */
export function unansweredRequired<G extends AnswerGroup<{ id: string }>>(groups: readonly G[], current: ReadonlyMap<string, LabelValue>): G[] {
  return groups.filter((g) => g.required && !g.labels.some((l) => current.get(l.id)?.value));
}

/** Why a required group stops a submission, in the server's words. */
export function needsAnswerMessage(group: AnswerGroup<{ id: string; name: string }>): string {
  return `the group "${group.name}" needs an answer: one of ${group.labels.map((l) => `"${l.name}"`).join(", ")}`;
}

/** What stops a submission, checked before asking the server; null when nothing does. */
export function submitProblem(groups: ReadonlyArray<AnswerGroup<{ id: string; name: string }>>, current: ReadonlyMap<string, LabelValue>): string | null {
  const missing = unansweredRequired(groups, current);
  return missing.length ? missing.map(needsAnswerMessage).join("; ") : null;
}
