import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import type { MyReading } from "./cases.repository.js";
import { Case, CaseConnection, CaseFilter, CaseKeyMapping, CaseKeyMappingImport, DatasetSplitCount, MyReadingEnum, ReportImport, SplitLabelCount } from "./cases.types.js";

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
    const page = CaseConnection.from(await ctx.services.cases.page(ctx.actor, projectId, first, after, filter ?? {}));
    // The page's assigned readers in one query (null for those who may not see them).
    const cases = page.edges.map((e) => e.node);
    const assigned = await ctx.services.assignments.assignedReaders(ctx.actor, projectId, cases.map((c) => c.id));
    for (const c of cases) c.knownAssignedReaders = assigned ? (assigned.get(c.id) ?? []) : null;
    return page;
  }

  @FieldResolver(() => MyReadingEnum, { description: "Where you stand with the case: read, skipped, in a draft, or not started." })
  async myReading(@Root() c: Case, @Ctx() ctx: Context): Promise<MyReading> {
    return c.knownMyReading ?? ctx.services.cases.myReading(ctx.actor, c.id);
  }

  @Query(() => [DatasetSplitCount], { description: "The project's cases (those not excluded) and their groups in each dataset split, TRAIN, VALIDATION, TEST; any member may read it." })
  async datasetSplitCounts(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<DatasetSplitCount[]> {
    return (await ctx.services.cases.splitSummary(ctx.actor, projectId)).map((r) => Object.assign(new DatasetSplitCount(), r));
  }

  @Query(() => [SplitLabelCount], {
    description:
      "Per classification label (in the order readers see them) and dataset split (TRAIN, VALIDATION, TEST): the cases whose consensus is yes and no, to check that the splits' prevalences match. " +
      "For those who follow the project's statistics (stats.view): it is made of readers' answers.",
  })
  async splitLabelCounts(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<SplitLabelCount[]> {
    return (await ctx.services.cases.splitLabelCounts(ctx.actor, projectId)).map((r) => Object.assign(new SplitLabelCount(), r));
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

  @Mutation(() => CaseKeyMappingImport, {
    description:
      "Replaces the project's case key mapping from a CSV (RFC 4180) whose header names one identifier column (file_name, patient_id or accession_number) and a case_key column. " +
      "Uploads that name cases by MAPPING then take each case's key from it, and refuse files it does not list. The identifiers are stored only as keyed hashes.",
  })
  async importCaseKeyMapping(@Arg("projectId", () => ID) projectId: string, @Arg("csv", () => String) csv: string, @Ctx() ctx: Context): Promise<CaseKeyMappingImport> {
    return CaseKeyMappingImport.from(await ctx.services.cases.importCaseKeyMapping(ctx.actor, projectId, csv));
  }

  @Query(() => CaseKeyMapping, { nullable: true, description: "The project's case key mapping; null when it has none. For those who may upload." })
  async caseKeyMapping(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<CaseKeyMapping | null> {
    const m = await ctx.services.cases.caseKeyMapping(ctx.actor, projectId);
    return m ? CaseKeyMapping.from(m) : null;
  }
}
