import type { JobHandler } from "@concord/server/jobs/registry";

export const checkLedgerAnchor: JobHandler<"ledger.anchorCheck"> = async (payload, ctx) => {
  const anchor = await ctx.services.ledgerAnchors.check(payload.anchorId);
  return { anchorId: anchor.id, ok: anchor.checkOk, message: anchor.checkMessage };
};
