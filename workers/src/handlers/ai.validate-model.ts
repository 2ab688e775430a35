import type { JobHandler } from "@concord/server/jobs/registry";

export const validateModel: JobHandler<"ai.validateModel"> = async ({ modelVersionId }, ctx) => {
  const v = await ctx.services.ai.validateJob(modelVersionId);
  return v ? { status: v.status, refusal: v.refusal } : null;
};
