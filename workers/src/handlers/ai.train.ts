import type { JobHandler } from "@concord/server/jobs/registry";

export const trainModel: JobHandler<"ai.train"> = async (payload, ctx) => {
  const v = await ctx.services.ai.trainJob(payload, ctx.progress);
  return { modelVersionId: v.id, version: v.version };
};
