import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { AiJobState, TrainingSource } from "./ai.service.js";
import { AiJob, CasePrediction, Model, ModelVersion, PredictionHeatmap, PredictionRegions, TrainingSourceEnum } from "./ai.types.js";

@Resolver()
export class AiResolver {
  @Mutation(() => ModelVersion, {
    description:
      "Uploads an ONNX model as a new version of the project's model `name` (permission models.manage). It starts VALIDATING; a worker loads it " +
      "and makes it READY or REFUSED (follow aiJobUpdates). Metadata that does not fit the schema is refused at once.",
  })
  async registerModel(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("name", () => String) name: string,
    @Arg("metadata", () => String, { description: "The metadata record as JSON text: input (name, shape, normalisation), task, output (name, labels), optional cam, and segmentation (background, threshold, minPixels) for a segmentation model." }) metadata: string,
    @Arg("file", () => String, { description: "The ONNX file's bytes, base64 (at most 8 MiB)." }) file: string,
    @Ctx() ctx: Context,
  ): Promise<ModelVersion> {
    return ModelVersion.from(await ctx.services.ai.register(ctx.actor, projectId, { name, metadata, file }));
  }

  @Mutation(() => AiJob, {
    description: "Trains a model in the background (models.manage) on the project's consensus labels (a classifier) or its readers' ROIs (a segmentation model); it becomes a new READY version of `name`.",
  })
  async trainModel(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("name", () => String) name: string,
    @Arg("from", () => TrainingSourceEnum, { defaultValue: "LABELS" }) from: TrainingSource,
    @Arg("modalities", () => [String], {
      nullable: true,
      description: "Learn from, and read, only the images of series of these DICOM modalities (CT, MR, MG...): in a project of study cases, a CT model from the CT series. Absent: every image.",
    })
    modalities: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<AiJob> {
    return AiJob.from(await ctx.services.ai.train(ctx.actor, projectId, name, from, modalities));
  }

  @Mutation(() => AiJob, { description: "Runs a READY model version on a case in the background (case.annotate); a stored prediction answers DONE at once." })
  async runModel(@Arg("caseId", () => ID) caseId: string, @Arg("modelVersionId", () => ID) modelVersionId: string, @Ctx() ctx: Context): Promise<AiJob> {
    return AiJob.from(await ctx.services.ai.run(ctx.actor, caseId, modelVersionId));
  }

  @Mutation(() => AiJob, { description: "Runs a READY model version on every case of the project that has no prediction from it (models.manage)." })
  async runModelOnProject(@Arg("projectId", () => ID) projectId: string, @Arg("modelVersionId", () => ID) modelVersionId: string, @Ctx() ctx: Context): Promise<AiJob> {
    return AiJob.from(await ctx.services.ai.runOnProject(ctx.actor, projectId, modelVersionId));
  }

  @Query(() => [Model], { description: "The project's models with their versions." })
  async models(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<Model[]> {
    return (await ctx.services.ai.models(ctx.actor, projectId)).map(Model.from);
  }

  @Query(() => ModelVersion)
  async modelVersion(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ModelVersion> {
    return ModelVersion.from(await ctx.services.ai.version(ctx.actor, id));
  }

  @Query(() => [CasePrediction], { description: "Models' suggestions on a case, newest version first. Visible to project members in blind reading too: they are no reader's work." })
  async casePredictions(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<CasePrediction[]> {
    return (await ctx.services.ai.predictions(ctx.actor, caseId)).map(CasePrediction.from);
  }

  @Query(() => PredictionHeatmap, { nullable: true, description: "One label's heatmap of a stored prediction; null when the case has none from that version." })
  async predictionHeatmap(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("label", () => String) label: string,
    @Ctx() ctx: Context,
  ): Promise<PredictionHeatmap | null> {
    const h = await ctx.services.ai.heatmap(ctx.actor, caseId, modelVersionId, label);
    return h ? PredictionHeatmap.from(h) : null;
  }

  @Query(() => PredictionRegions, {
    nullable: true,
    description: "The regions a segmentation model suggests on a case, each with the project's ROI class of its label's name; null when the case has no such prediction from that version.",
  })
  async predictionRegions(@Arg("caseId", () => ID) caseId: string, @Arg("modelVersionId", () => ID) modelVersionId: string, @Ctx() ctx: Context): Promise<PredictionRegions | null> {
    const r = await ctx.services.ai.regions(ctx.actor, caseId, modelVersionId);
    return r ? PredictionRegions.from(r) : null;
  }

  @Subscription(() => AiJob, {
    description: "The project's AI jobs as they are queued, progress and end (project.view).",
    subscribe: ({ args, context }) => (context as Context).services.ai.updates((context as Context).actor, args.projectId as string),
  })
  aiJobUpdates(@Arg("projectId", () => ID) _projectId: string, @Root() job: AiJobState): AiJob {
    return AiJob.from(job);
  }
}
