import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { Case, CaseConnection, CaseFilter, ReportImport } from "./cases.types.js";

@Resolver(() => Case)
export class CasesResolver {
  @Query(() => CaseConnection, { description: "A project's cases, oldest first, a page at a time; any member may read them." })
  async cases(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("first", () => Int, { defaultValue: 50, description: "Page size, 1 to 200." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "The endCursor of the previous page." }) after: string | null,
    @Arg("filter", () => CaseFilter, { nullable: true }) filter: CaseFilter | null,
    @Ctx() ctx: Context,
  ): Promise<CaseConnection> {
    return CaseConnection.from(await ctx.services.cases.page(ctx.actor, projectId, first, after, filter ?? {}));
  }

  @Query(() => Case, { nullable: true })
  async case(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Case> {
    return Case.from(await ctx.services.cases.get(ctx.actor, id));
  }

  @Mutation(() => ReportImport, {
    description:
      "Sets case reports from a CSV (RFC 4180) with a header row naming a case key column (case, case_key or key) and a report column (report or text). " +
      "All matched rows are written together; a blank report clears it; importing again replaces earlier reports.",
  })
  async importReports(@Arg("projectId", () => ID) projectId: string, @Arg("csv", () => String) csv: string, @Ctx() ctx: Context): Promise<ReportImport> {
    return ReportImport.from(await ctx.services.cases.importReports(ctx.actor, projectId, csv));
  }
}
