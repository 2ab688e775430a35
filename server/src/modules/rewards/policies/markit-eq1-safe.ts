// Eq. 1 with sane edges (docs/REWARD.md, "markit-eq1-safe"): the AI filter is skipped where the AI
// calls one class on the reader's cases, a cell needs two votes, and payouts use max(S, 0).
import type { RewardInputs } from "../inputs.js";
import type { RewardParams, RewardResult } from "./common.js";
import { runEq1, type Eq1Variant } from "./markit-eq1.js";

export const MARKIT_EQ1_SAFE: Eq1Variant = { policy: "markit-eq1-safe", filter: "proposed", minVotes: 2, payout: "clipped" };

export function markitEq1Safe(inputs: RewardInputs, params: RewardParams = {}): RewardResult {
  return runEq1(inputs, params, MARKIT_EQ1_SAFE);
}
