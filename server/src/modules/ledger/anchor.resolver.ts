import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { LedgerAnchor } from "./anchor.types.js";

@Resolver()
export class LedgerAnchorResolver {
  @Query(() => [LedgerAnchor], { description: "The ledger's most recent anchors on public chains, newest first; for those with ledger.view in the project." })
  async ledgerAnchors(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<LedgerAnchor[]> {
    return ctx.services.ledgerAnchors.list(ctx.actor, projectId, first);
  }
}
