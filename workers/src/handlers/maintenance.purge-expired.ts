import type { JobHandler } from "@concord/server/jobs/registry";

export const purgeExpired: JobHandler<"maintenance.purgeExpired"> = async (_payload, ctx) => {
  const removed = await ctx.services.accounts.purgeExpired();
  ctx.log.info(removed, "purged expired sessions and login attempts");
  return removed;
};
