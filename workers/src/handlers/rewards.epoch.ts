import type { JobHandler } from "@concord/server/jobs/registry";

// The policies take well under a few seconds even at 10^6 labels (bench/rewards.mjs): run in the handler.
export const runRewardEpoch: JobHandler<"rewards.epoch"> = async ({ epochId }, ctx) => {
  const epoch = await ctx.services.rewards.run(epochId, (percent) => ctx.progress(percent));
  return epoch ? { status: epoch.status, inputsHash: epoch.inputsHash } : null;
};
