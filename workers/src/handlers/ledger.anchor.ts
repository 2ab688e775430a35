import type { JobHandler } from "@concord/server/jobs/registry";

export const anchorLedger: JobHandler<"ledger.anchor"> = async (_payload, ctx) => {
  const outcome = await ctx.services.ledgerAnchors.anchorLatest();
  if (outcome.status === "skipped") ctx.log.debug({ reason: outcome.reason }, "ledger anchoring skipped");
  // The new anchor is already in a block (anchor waits for inclusion), so it can be read back now.
  const checks = await ctx.services.ledgerAnchors.enqueueChecks();
  return { status: outcome.status, anchorId: outcome.anchor?.id ?? null, checks: checks.length };
};
