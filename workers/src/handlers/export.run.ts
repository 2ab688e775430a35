import type { JobHandler } from "@concord/server/jobs/registry";

export const runExport: JobHandler<"export.run"> = async ({ exportId }, ctx) => {
  const job = await ctx.services.exports.run(exportId);
  return job ? { status: job.status, items: job.items, bytes: job.bytes } : null;
};
