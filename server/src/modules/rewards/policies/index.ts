import { invalid } from "../../../errors.js";
import type { RewardInputs } from "../inputs.js";
import type { RewardParams, RewardResult } from "./common.js";
import { concord } from "./concord.js";
import { markitEq1 } from "./markit-eq1.js";
import { markitEq1Safe } from "./markit-eq1-safe.js";

export type { RewardParams, RewardResult, LabelTerms, Scores } from "./common.js";
export type { ConcordResult } from "./concord.js";

/** Every reward policy by the name an epoch stores. */
export const POLICIES = {
  "markit-eq1": markitEq1,
  "markit-eq1-safe": markitEq1Safe,
  concord,
} as const satisfies Record<string, (inputs: RewardInputs, params: RewardParams) => RewardResult>;

export type PolicyName = keyof typeof POLICIES;
export const DEFAULT_POLICY: PolicyName = "concord";
export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[];

export function isPolicyName(name: string): name is PolicyName {
  return Object.prototype.hasOwnProperty.call(POLICIES, name);
}

export function runPolicy(name: string, inputs: RewardInputs, params: RewardParams = {}): RewardResult {
  if (!isPolicyName(name)) throw invalid([{ field: "policy", message: `unknown policy '${name}'; choose one of ${POLICY_NAMES.join(", ")}` }]);
  return POLICIES[name](inputs, params);
}
