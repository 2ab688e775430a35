import type { JobHandler } from "@concord/server/jobs/registry";

export const inferCase: JobHandler<"ai.infer"> = async ({ caseId, modelVersionId }, ctx) => {
  const p = await ctx.services.ai.inferJob(caseId, modelVersionId);
  return p ? { predictionId: p.id } : null;
};
