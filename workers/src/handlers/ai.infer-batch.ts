import type { JobHandler } from "@concord/server/jobs/registry";

export const inferProject: JobHandler<"ai.inferBatch"> = async ({ projectId, modelVersionId, jobId }, ctx) =>
  ctx.services.ai.inferBatchJob(projectId, modelVersionId, jobId, ctx.progress);
