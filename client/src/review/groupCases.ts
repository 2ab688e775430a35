// Pure helpers of a label group's case list on the review page: the cases where the readers' answers
// differ, or (a confusion heatmap cell chosen) those where one reader gave one answer and another the
// other; the list's title, each reader's answer, the spread, and the heatmap cells' accessible names.

/** A group's category as the server sends it: one of its labels, or null for none of them. */
export type GroupCategory = { id: string; name: string } | null | undefined;

/** A chosen heatmap cell, by its categories' label ids (null: none of them), so that it survives a reordering of the group. */
export type CellChoice = readonly [string | null, string | null];

/** A reader's answer as the case list names it: the label, or "None of them". */
export const answerName = (label: GroupCategory): string => label?.name ?? "None of them";

/** The same inside a sentence ("one reader said none of them and another …"). */
const inSentence = (label: GroupCategory): string => label?.name ?? "none of them";

/** The category's key in a CellChoice: its label id, or null for none of them. */
export const categoryKey = (category: GroupCategory): string | null => category?.id ?? null;

/** The choice of the cell at row i and column j of the heatmap over these categories. */
export function cellChoice(categories: readonly GroupCategory[], i: number, j: number): CellChoice {
  return [categoryKey(categories[i]), categoryKey(categories[j])];
}

/**
 * The category indexes (the server's `categories` argument) of a choice among the group's current
 * categories; null when there is no choice or one of its categories is gone.
 */
export function choiceIndexes(categories: readonly GroupCategory[], choice: CellChoice | null): [number, number] | null {
  if (!choice) return null;
  const keys = categories.map(categoryKey);
  const a = keys.indexOf(choice[0]);
  const b = keys.indexOf(choice[1]);
  return a < 0 || b < 0 ? null : [a, b];
}

/**
 * The list's title: "Cases where readers differ (N)", or for a chosen cell "Cases where one reader
 * said A and another B (N)", or on the diagonal "Cases where two readers agreed on A (N)". Without
 * a total yet (loading), no count.
 */
export function casesTitle(categories: readonly GroupCategory[], pair: readonly [number, number] | null, total: number | null): string {
  const count = total === null ? "" : ` (${total})`;
  if (!pair) return `Cases where readers differ${count}`;
  const [a, b] = pair;
  if (a === b) return `Cases where two readers agreed on ${inSentence(categories[a])}${count}`;
  return `Cases where one reader said ${inSentence(categories[a])} and another ${inSentence(categories[b])}${count}`;
}

/** One reader's answer on a case: "Ivo Indexer: BI-RADS 3". */
export const readerAnswer = (answer: { reader: { name: string }; label?: GroupCategory }): string => `${answer.reader.name}: ${answerName(answer.label)}`;

/**
 * How far apart a case's answers lie: on an ordered scale the steps between the lowest and the
 * highest answer ("1 step", "2 steps"); otherwise how many different answers ("2 answers"). A case
 * whose readers all agree (a diagonal cell's list) says so.
 */
export function spreadText(spread: number, ordinal: boolean): string {
  if (spread <= 0) return "all agree";
  if (ordinal) return `${spread} ${spread === 1 ? "step" : "steps"}`;
  return `${spread + 1} different answers`;
}

/** A heatmap cell's accessible name: "BI-RADS 2 and BI-RADS 3: 2" (its text: a count, or a share of the row). */
export const cellName = (rowName: string, columnName: string, text: string): string => `${rowName} and ${columnName}: ${text}`;
