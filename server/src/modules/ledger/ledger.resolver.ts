import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { LedgerConsistencyProof, LedgerEntry, LedgerHead, LedgerInclusionProof, LedgerVerifyReport } from "./ledger.types.js";

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

  @Query(() => [LedgerEntry], {
    description: "The project's ledger entries with seq >= from (default 0), in seq order, at most `first` (default 100, at most 500); entries still pending integration come last. Next page: from = last seq + 1.",
  })
  async ledgerEntries(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("from", () => Int, { nullable: true }) from: number | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<LedgerEntry[]> {
    return ctx.services.ledger.entries(ctx.actor, projectId, from, first);
  }

  @Query(() => [LedgerEntry], { description: "The project's ledger entries about one object (e.g. an annotation or a user id), in seq order; at most 500." })
  async ledgerEntriesFor(@Arg("projectId", () => ID) projectId: string, @Arg("objectId", () => String) objectId: string, @Ctx() ctx: Context): Promise<LedgerEntry[]> {
    return ctx.services.ledger.entriesFor(ctx.actor, projectId, objectId);
  }

  @Mutation(() => LedgerVerifyReport, {
    description: "Checks the whole ledger (every project's entries) against its stored subtrees and signed heads, as `concord ledger verify` does; for the project's owners.",
  })
  async verifyLedger(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<LedgerVerifyReport> {
    return ctx.services.ledger.verify(ctx.actor, projectId);
  }
}
