import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Case } from "../cases/cases.types.js";
import { AssignedReader, AssignmentChange, AssignmentImport, CaseDistribution } from "./assignments.types.js";

// Managers assign cases to readers (project.manage). An assignment holds one of the case's reader
// slots for its reader until they submit or skip it; with the project's assignedReading, readers
// read only the cases assigned to them. Case.assignedToMe, Case.assignedReaders, CaseFilter.assignedTo
// and CaseFilter.underAssigned read them.
@Resolver()
export class AssignmentsResolver {
  @Mutation(() => AssignmentChange, {
    description:
      "Assigns each of the cases to each of the readers (members who may annotate). Cases the project excluded are refused, as are readers who may not annotate; nothing is stored then. " +
      "Readers who skipped a case stay assigned to it once assigned: the skip still takes it out of their queue.",
  })
  async assignReaders(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("caseIds", () => [ID]) caseIds: string[],
    @Arg("readerIds", () => [ID]) readerIds: string[],
    @Ctx() ctx: Context,
  ): Promise<AssignmentChange> {
    return AssignmentChange.from(await ctx.services.assignments.assign(ctx.actor, projectId, caseIds, readerIds));
  }

  @Mutation(() => AssignmentChange, { description: "Withdraws the readers' assignments to the cases. Their readings, drafts and skips stay as they are." })
  async unassignReaders(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("caseIds", () => [ID]) caseIds: string[],
    @Arg("readerIds", () => [ID]) readerIds: string[],
    @Ctx() ctx: Context,
  ): Promise<AssignmentChange> {
    return AssignmentChange.from(await ctx.services.assignments.unassign(ctx.actor, projectId, caseIds, readerIds));
  }

  @Mutation(() => CaseDistribution, {
    description:
      "Spreads cases evenly over the readers: each case (the given ones, or every case in the project) is given readers until it has readersPerCase (at most 100; by default the readers each case needs, Case.readersNeeded, which may differ by dataset split), " +
      "counting those who submitted it and those assigned to it who have not skipped it (CaseFilter.underAssigned counts the same); each time the reader with the fewest assigned cases in the project who is free to read it " +
      "(not assigned yet, not skipped, not submitted). Cases are taken in the list's order; ties between readers fall in a fixed order shuffled per case, so readers are paired evenly.",
  })
  async distributeCases(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("readerIds", () => [ID]) readerIds: string[],
    @Arg("readersPerCase", () => Int, { nullable: true }) readersPerCase: number | null,
    @Arg("caseIds", () => [ID], { nullable: true, description: "Only these cases; null: every case in the project (excluded ones never)." }) caseIds: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<CaseDistribution> {
    return CaseDistribution.from(await ctx.services.assignments.distribute(ctx.actor, projectId, readerIds, readersPerCase ?? null, caseIds ?? null));
  }

  @Mutation(() => AssignmentImport, {
    description:
      "Assigns cases from a CSV (RFC 4180) whose header names a case key column (case, case_key or key) and a reader column (reader, email or reader_email: the reader's e-mail address). " +
      "Rows that name no case, no reader who may annotate here, or an excluded case are listed back and left out; the rest are assigned together. Nothing is withdrawn.",
  })
  async importAssignments(@Arg("projectId", () => ID) projectId: string, @Arg("csv", () => String) csv: string, @Ctx() ctx: Context): Promise<AssignmentImport> {
    return AssignmentImport.from(await ctx.services.assignments.importCsv(ctx.actor, projectId, csv));
  }
}

// A case's assignments, as fields of Case. The case list answers them for a whole page at once
// (CasesResolver.cases); these resolve them for a case found otherwise.
@Resolver(() => Case)
export class CaseAssignmentsResolver {
  @FieldResolver(() => Boolean, { description: "Whether a manager assigned the case to you." })
  async assignedToMe(@Root() c: Case, @Ctx() ctx: Context): Promise<boolean> {
    return c.knownAssignedToMe ?? ctx.services.assignments.assignedToMe(ctx.actor, c.id);
  }

  @FieldResolver(() => [AssignedReader], {
    nullable: true,
    description: "The readers a manager assigned the case to, each with where they stand with it; for those who follow progress (stats.view), null for anyone else.",
  })
  async assignedReaders(@Root() c: Case, @Ctx() ctx: Context): Promise<AssignedReader[] | null> {
    const rows = c.knownAssignedReaders !== undefined ? c.knownAssignedReaders : ((await ctx.services.assignments.assignedReaders(ctx.actor, c.projectId, [c.id]))?.get(c.id) ?? null);
    return rows ? rows.map(AssignedReader.from) : null;
  }
}
