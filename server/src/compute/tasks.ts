import { dawidSkeneLabel, projectAgreement } from "../modules/review/review.analysis.js";
import type { VoteRow } from "../modules/review/review.repository.js";
import { inputsHash, type RewardInputs } from "../modules/rewards/inputs.js";
import type { RewardParams } from "../modules/rewards/policies/common.js";
import { runPolicy } from "../modules/rewards/policies/index.js";

// Pure CPU work that would otherwise hold the API's event loop for seconds on a large project:
// agreement statistics and Dawid–Skene for the review queries, and a reward epoch's policy. Each
// task takes and returns plain data (structured-cloneable), so it runs the same inline or on a thread.
export const TASKS = {
  projectAgreement,
  /** Each label's Dawid–Skene posterior per case. */
  labelPosteriors(byLabel: Map<string, VoteRow[]>): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const [labelId, own] of byLabel) out.set(labelId, dawidSkeneLabel(own)!.posterior);
    return out;
  },
  rewardEpoch(policy: string, inputs: RewardInputs, parameters: RewardParams) {
    return { inputsHash: inputsHash(inputs), result: runPolicy(policy, inputs, parameters) };
  },
};

export type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
