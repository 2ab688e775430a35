import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { ExportJobRow } from "./exports.repository.js";
import { ExportInput, ExportJob } from "./exports.types.js";

@Resolver()
export class ExportsResolver {
  @Mutation(() => ExportJob, { description: "Starts an export in the background (permission data.export); follow it with exportUpdates." })
  async startExport(@Arg("projectId", () => ID) projectId: string, @Arg("input", () => ExportInput) input: ExportInput, @Ctx() ctx: Context): Promise<ExportJob> {
    return ExportJob.from(await ctx.services.exports.start(ctx.actor, projectId, input));
  }

  @Query(() => [ExportJob], { description: "The project's exports, newest first." })
  async exports(@Arg("projectId", () => ID) projectId: string, @Arg("first", () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: Context): Promise<ExportJob[]> {
    return (await ctx.services.exports.list(ctx.actor, projectId, first)).map(ExportJob.from);
  }

  @Query(() => ExportJob)
  async exportJob(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ExportJob> {
    return ExportJob.from(await ctx.services.exports.get(ctx.actor, id));
  }

  @Subscription(() => ExportJob, {
    description: "The project's exports as they are queued, progress and finish.",
    subscribe: ({ args, context }) => (context as Context).services.exports.updates((context as Context).actor, args.projectId as string),
  })
  exportUpdates(@Arg("projectId", () => ID) _projectId: string, @Root() job: ExportJobRow): ExportJob {
    return ExportJob.from(job);
  }
}
