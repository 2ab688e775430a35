// Pure helpers of the label editor's groups: which labels a group may take, the order a manager
// chooses them in, and moving labels in the list without splitting a group (the server keeps a
// group's labels next to each other; their order among themselves is the group's).

interface EditedLabel {
  id: string;
  kind: string;
  archived: boolean;
  position: number;
}

interface EditedGroup {
  id: string;
  labelIds: readonly string[];
}

/**
 * Labels a group may take, in the list's order: active classification labels in no other group
 * (`groupId`: the group being edited, whose own labels it may keep).
 */
export function groupableLabels<L extends EditedLabel>(labels: readonly L[], groups: readonly EditedGroup[], groupId: string | null = null): L[] {
  const taken = new Set(groups.filter((g) => g.id !== groupId).flatMap((g) => g.labelIds));
  return labels.filter((l) => l.kind === "CLASSIFICATION" && !l.archived && !taken.has(l.id)).sort((a, b) => a.position - b.position);
}

/** Ticking a label adds it at the end of the group's order; unticking takes it out. */
export function toggleChoice(chosen: readonly string[], id: string): string[] {
  return chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id];
}

/** Moves a chosen label one place up (-1) or down (1) in the group's order; unchanged at an end. */
export function moveChoice(chosen: readonly string[], id: string, delta: -1 | 1): string[] {
  const from = chosen.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= chosen.length) return [...chosen];
  const next = [...chosen];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** Client-side checks of a group before saving: a name and 2 to `max` labels, as the server asks. */
export function groupDraftProblems(draft: { name: string; labelIds: readonly string[] }, max = 20): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = "Give the group a name.";
  if (draft.labelIds.length < 2) problems.labelIds = "Choose at least 2 labels.";
  else if (draft.labelIds.length > max) problems.labelIds = `A group takes at most ${max} labels.`;
  return problems;
}

/**
 * The active labels' order after moving one a place up (-1) or down (1), or null when it cannot
 * move: a grouped label moves within its group only; a label on its own moves past a whole group.
 * `groupOf`: a label's group, for the grouped ones.
 */
export function moveInList(ids: readonly string[], groupOf: ReadonlyMap<string, string>, id: string, delta: -1 | 1): string[] | null {
  const from = ids.indexOf(id);
  if (from < 0) return null;
  const group = groupOf.get(id);
  if (group) {
    const to = from + delta;
    if (to < 0 || to >= ids.length || groupOf.get(ids[to]!) !== group) return null;
    const next = [...ids];
    [next[from], next[to]] = [next[to]!, next[from]!];
    return next;
  }
  // On its own: past the neighbouring block (a label, or every label of a group).
  const neighbour = from + delta;
  if (neighbour < 0 || neighbour >= ids.length) return null;
  const neighbourGroup = groupOf.get(ids[neighbour]!);
  let end = neighbour;
  if (neighbourGroup) while (end + delta >= 0 && end + delta < ids.length && groupOf.get(ids[end + delta]!) === neighbourGroup) end += delta;
  const rest = ids.filter((x) => x !== id);
  const at = rest.indexOf(ids[end]!);
  rest.splice(delta < 0 ? at : at + 1, 0, id);
  return rest;
}
