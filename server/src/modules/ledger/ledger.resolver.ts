import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { LedgerConsistencyProof, LedgerHead, LedgerInclusionProof } from "./ledger.types.js";

@Resolver()
export class LedgerResolver {
  @Query(() => LedgerHead, { nullable: true, description: "The ledger's latest signed tree head (null before the first); for those with ledger.view in the project." })
  async ledgerHead(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<LedgerHead | null> {
    return ctx.services.ledger.head(ctx.actor, projectId);
  }

  @Query(() => LedgerInclusionProof, { description: "The inclusion proof of one of the project's ledger entries, in the tree of treeSize leaves (default: the latest signed head)." })
  async ledgerInclusionProof(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("leafIndex", () => Int) leafIndex: number,
    @Arg("treeSize", () => Int, { nullable: true }) treeSize: number | null,
    @Ctx() ctx: Context,
  ): Promise<LedgerInclusionProof> {
    return ctx.services.ledger.inclusion(ctx.actor, projectId, leafIndex, treeSize);
  }

  @Query(() => LedgerConsistencyProof, { description: "The consistency proof between two signed tree sizes (size2 default: the latest signed head)." })
  async ledgerConsistencyProof(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("size1", () => Int) size1: number,
    @Arg("size2", () => Int, { nullable: true }) size2: number | null,
    @Ctx() ctx: Context,
  ): Promise<LedgerConsistencyProof> {
    return ctx.services.ledger.consistency(ctx.actor, projectId, size1, size2);
  }
}
