import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import type { DeletionReason } from "./deletions.repository.js";
import { CaseDeletion, CaseDeletionOutcome, DeletionReasonEnum } from "./deletions.types.js";

// Deleting cases for good (permission data.delete: owners, managers, data owners): withdrawn
// consent, identifiable pixels, wrong uploads. Excluding a case (excludeCase) is the way to take a
// case out of a study while keeping it; this keeps nothing but a record.
@Resolver()
export class DeletionsResolver {
  @Mutation(() => CaseDeletionOutcome, {
    description:
      "Deletes the cases for good (at most 1000 per call), with their images and their files, every reader's drafts and submissions of them, their comments, adjudications, predictions and gold labels. " +
      "What stays: a record per case (caseDeletions) and a case.delete ledger leaf (the case id and the reason). The project's earlier exports are removed, as they may hold the cases. " +
      "Refused whole when a case is not the project's, or when its images are also another case's (a project whose case unit changed): delete those together.",
  })
  async deleteCases(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("caseIds", () => [ID]) caseIds: string[],
    @Arg("reason", () => DeletionReasonEnum) reason: DeletionReason,
    @Arg("note", () => String, { nullable: true, description: "Why, in the deleter's words (at most 1000 characters; required for OTHER). Kept in the record, never in the ledger." }) note: string | null,
    @Ctx() ctx: Context,
  ): Promise<CaseDeletionOutcome> {
    return CaseDeletionOutcome.from(await ctx.services.deletions.deleteCases(ctx.actor, projectId, caseIds, reason, note));
  }

  @Query(() => [CaseDeletion], { description: "The project's deleted cases, newest first (data.delete)." })
  async caseDeletions(@Arg("projectId", () => ID) projectId: string, @Arg("first", () => Int, { defaultValue: 100 }) first: number, @Ctx() ctx: Context): Promise<CaseDeletion[]> {
    return (await ctx.services.deletions.list(ctx.actor, projectId, first)).map(CaseDeletion.from);
  }
}
