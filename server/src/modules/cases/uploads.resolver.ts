import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import type { UploadProgressPayload } from "../images/images.service.js";
import type { Context } from "../../context.js";
import { UploadBatch, UploadProgress, UploadResult } from "./uploads.types.js";

@Resolver(() => UploadBatch)
export class UploadsResolver {
  @Query(() => UploadBatch, { description: "An upload and what became of each of its files; for those who may upload to its project." })
  async uploadBatch(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<UploadBatch> {
    const { batch, results } = await ctx.services.images.batch(ctx.actor, id);
    return UploadBatch.from(batch, results);
  }

  @Query(() => [UploadBatch], { description: "A project's uploads, newest first." })
  async uploadBatches(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("first", () => Int, { defaultValue: 20, description: "How many, 1 to 100." }) first: number,
    @Ctx() ctx: Context,
  ): Promise<UploadBatch[]> {
    return (await ctx.services.images.batches(ctx.actor, projectId, first)).map((b) => UploadBatch.from(b));
  }

  @Subscription(() => UploadProgress, {
    description:
      "An upload's progress while the server processes it, ending when it is done. Subscribe with an id of your choosing first, then upload with it " +
      "(STOW-RS: ?upload=<id>). An upload that already ended answers its final state.",
    subscribe: ({ args, context }) => (context as Context).services.images.progress((context as Context).actor, args.projectId as string, args.uploadId as string),
  })
  uploadProgress(
    @Arg("projectId", () => ID) _projectId: string,
    @Arg("uploadId", () => ID) _uploadId: string,
    @Root() payload: UploadProgressPayload,
  ): UploadProgress {
    return UploadProgress.from(payload);
  }

  @FieldResolver(() => [UploadResult], { description: "One result per file, in upload order." })
  async results(@Root() batch: UploadBatch, @Ctx() ctx: Context): Promise<UploadResult[]> {
    // The parent batch was only resolved for someone allowed to upload to its project.
    return batch.preloadedResults ?? (await ctx.services.images.results(batch.id)).map(UploadResult.from);
  }
}
