import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { EducationSettings, EducationSettingsInput, GoldImportResult, TrainingFeedback, TrainingScore } from "./education.types.js";

@Resolver()
export class EducationResolver {
  @Query(() => EducationSettings, { description: "An education project's pass rule, what passing grants, and how much gold it has (any member)." })
  async educationSettings(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<EducationSettings> {
    return EducationSettings.from(await ctx.services.education.settings(ctx.actor, projectId));
  }

  @Mutation(() => EducationSettings, {
    description: "Sets the pass rule of an education project (project.manage) and, optionally, a project and role a pass grants (members.grant there).",
  })
  async updateEducationSettings(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => EducationSettingsInput) input: EducationSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<EducationSettings> {
    return EducationSettings.from(await ctx.services.education.updateSettings(ctx.actor, projectId, input));
  }

  @Mutation(() => GoldImportResult, {
    description: "Imports gold labels from CSV with the header case,label,value (case key, label name, 0/1/true/false); nothing is stored when any row is wrong (project.manage).",
  })
  async importGoldLabels(@Arg("projectId", () => ID) projectId: string, @Arg("csv", () => String) csv: string, @Ctx() ctx: Context): Promise<GoldImportResult> {
    return GoldImportResult.from(await ctx.services.education.importGold(ctx.actor, projectId, csv));
  }

  @Query(() => TrainingFeedback, { description: "Your latest submission of a case in an education project against its gold; not found until you have submitted it." })
  async trainingFeedback(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<TrainingFeedback> {
    return TrainingFeedback.from(await ctx.services.education.feedback(ctx.actor, caseId));
  }

  @Query(() => TrainingScore, { description: "Your running score against the gold in an education project." })
  async myTrainingScore(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<TrainingScore> {
    return TrainingScore.from(await ctx.services.education.myScore(ctx.actor, projectId));
  }
}
