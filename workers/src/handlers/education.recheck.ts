import type { JobHandler } from "@concord/server/jobs/registry";

// A change of an education project's pass rule or gold: every reader who passes now is certified.
export const recheckCertifications: JobHandler<"education.recheck"> = async ({ projectId }, ctx) => {
  const certified = await ctx.services.education.recheckCertifications(projectId);
  return { certified };
};
