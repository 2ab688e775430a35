import type { JobHandler } from "@concord/server/jobs/registry";

export const purgeExpired: JobHandler<"maintenance.purgeExpired"> = async (_payload, ctx) => {
  const removed = await ctx.services.accounts.purgeExpired();
  const exports = await ctx.services.exports.purgeExpired();
  ctx.log.info({ ...removed, exports }, "purged expired sessions, login attempts and export files");
  return { ...removed, exports };
};
