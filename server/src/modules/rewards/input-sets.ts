import type { AiProbability, LabelVote, RewardInputs } from "./inputs.js";

/**
 * An input set as stored (reward_input_sets.data): names once in dictionaries, rows as small arrays
 * of indexes, so 10^5 votes take a few MB of jsonb rather than one object per row.
 *   votes: [case, label, reader, 0|1, seconds | null]   ai: [case, label, probability]   times: [label, seconds]
 */
export interface StoredInputs {
  v: 1;
  cases: string[];
  labels: string[];
  readers: string[];
  votes: Array<[number, number, number, 0 | 1, number | null]>;
  ai: Array<[number, number, number]> | null;
  times: Array<[number, number]> | null;
}

class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

export function encodeInputs(inputs: RewardInputs): StoredInputs {
  const cases = new Dictionary();
  const labels = new Dictionary();
  const readers = new Dictionary();
  const votes = inputs.votes.map((v): StoredInputs["votes"][number] => [cases.of(v.caseId), labels.of(v.label), readers.of(v.reader), v.value ? 1 : 0, v.seconds ?? null]);
  const ai = inputs.ai ? inputs.ai.map((a): [number, number, number] => [cases.of(a.caseId), labels.of(a.label), a.probability]) : null;
  const times = inputs.labelSeconds ? [...inputs.labelSeconds].map(([label, s]): [number, number] => [labels.of(label), s]) : null;
  return { v: 1, cases: cases.names, labels: labels.names, readers: readers.names, votes, ai, times };
}

export function decodeInputs(s: StoredInputs): RewardInputs {
  const votes: LabelVote[] = s.votes.map(([c, l, r, value, seconds]) => {
    const vote: LabelVote = { caseId: s.cases[c]!, label: s.labels[l]!, reader: s.readers[r]!, value: value === 1 };
    if (seconds !== null) vote.seconds = seconds;
    return vote;
  });
  const out: RewardInputs = { votes };
  if (s.ai) out.ai = s.ai.map(([c, l, probability]): AiProbability => ({ caseId: s.cases[c]!, label: s.labels[l]!, probability }));
  if (s.times) out.labelSeconds = new Map(s.times.map(([l, seconds]) => [s.labels[l]!, seconds]));
  return out;
}

/** Counts shown for an input set. */
export function countInputs(inputs: RewardInputs) {
  return {
    votes: inputs.votes.length,
    readers: new Set(inputs.votes.map((v) => v.reader)).size,
    cases: new Set(inputs.votes.map((v) => v.caseId)).size,
    labels: new Set(inputs.votes.map((v) => v.label)).size,
    aiRows: inputs.ai ? inputs.ai.length : null,
    labelTimes: inputs.labelSeconds ? inputs.labelSeconds.size : null,
  };
}
