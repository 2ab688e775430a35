import { Arg, Ctx, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { DiscrepancyOrder } from "./review.analysis.js";
import { MAX_POINT_TOLERANCE, type ReviewEventPayload } from "./review.service.js";
import { DEFAULT_POINT_TOLERANCE } from "./stats/points.js";
import { invalid } from "../../errors.js";
import {
  Adjudication,
  AdjudicationVersion,
  CaseComment,
  DiscrepancyOrderEnum,
  DiscrepancyPage,
  GroupCasePage,
  ModelReaderComparison,
  ModelRoiAgreement,
  ProjectAgreement,
  ReviewEvent,
  ReviewMatrix,
} from "./review.types.js";

@Resolver()
export class ReviewResolver {
  @Query(() => ProjectAgreement, {
    description:
      "Agreement (counts, unanimity, pairwise agreement, Fleiss κ, Krippendorff α, Cohen κ per reader pair), Dawid–Skene reliability and time statistics per label and pooled, ROI Dice/IoU per class of areas and reader pair, the matching of points (F1, distances) per point class and reader pair, and of lines (F1, length differences, Bland–Altman per reader pair) per line class, over readers' latest submissions (permission stats.view).",
  })
  async projectAgreement(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("labelIds", () => [ID], { nullable: true, description: "Only these labels (and ROI classes); all when absent." }) labelIds: string[] | null,
    @Arg("pointTolerance", () => Float, {
      nullable: true,
      description: `How far apart (image pixels) two readers' points of a point class may be and still mark the same landmark, and two readers' lines of a line class (their midpoints) and still be the same measurement: above 0, at most ${MAX_POINT_TOLERANCE}; ${DEFAULT_POINT_TOLERANCE} when absent.`,
    })
    pointTolerance: number | null,
    @Ctx() ctx: Context,
  ): Promise<ProjectAgreement> {
    const { result, context } = await ctx.services.review.projectAgreement(ctx.actor, projectId, labelIds ?? null, pointTolerance);
    return ProjectAgreement.from(projectId, result, context);
  }

  @Query(() => ModelRoiAgreement, {
    description: "Dice and IoU of a segmentation model's suggested regions against each reader's latest submitted regions, per reader and ROI class (permission stats.view).",
  })
  async modelRoiAgreement(@Arg("projectId", () => ID) projectId: string, @Arg("modelVersionId", () => ID) modelVersionId: string, @Ctx() ctx: Context): Promise<ModelRoiAgreement> {
    const { result, sources, context } = await ctx.services.review.modelRoiAgreement(ctx.actor, projectId, modelVersionId);
    return ModelRoiAgreement.from(projectId, modelVersionId, result, sources, context);
  }

  @Query(() => ModelReaderComparison, {
    description:
      "A binary or multi-label model version against the readers on one classification label: its ROC curve and AUC with DeLong's 95% interval, and each reader's sensitivity and specificity on the same cases (permission case.review or stats.view).",
  })
  async modelReaderComparison(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("labelId", () => ID) labelId: string,
    @Ctx() ctx: Context,
  ): Promise<ModelReaderComparison> {
    const { result, heldOutOnly, context } = await ctx.services.review.modelReaderComparison(ctx.actor, projectId, modelVersionId, labelId);
    return ModelReaderComparison.from(modelVersionId, labelId, result, heldOutOnly, context);
  }

  @Query(() => ReviewMatrix, { description: "The review heatmap, a page of read cases at a time (permission case.review or stats.view)." })
  async reviewMatrix(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ReviewMatrix> {
    return ReviewMatrix.from(await ctx.services.review.reviewMatrix(ctx.actor, projectId, first, after));
  }

  @Query(() => DiscrepancyPage, { description: "Cells where readers disagree (permission case.review or stats.view)." })
  async discrepancies(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("orderBy", () => DiscrepancyOrderEnum, { defaultValue: "DISAGREEMENT" }) orderBy: DiscrepancyOrder,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("unadjudicatedOnly", () => Boolean, { defaultValue: false, description: "Leave out cells a reviewer has already adjudicated." }) unadjudicatedOnly: boolean,
    @Ctx() ctx: Context,
  ): Promise<DiscrepancyPage> {
    return DiscrepancyPage.from(await ctx.services.review.discrepancies(ctx.actor, projectId, orderBy, first, after, { unadjudicatedOnly }));
  }

  @Query(() => GroupCasePage, {
    description:
      "The cases of a label group where the readers' answers differ, widest spread first, then by case key; with categories [a, b], the cases where one reader answered a and another b (a cell of the group's confusion matrix). Permission case.review or stats.view.",
  })
  async labelGroupCases(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("groupId", () => ID) groupId: string,
    @Arg("categories", () => [Int], { nullable: true, description: "Two indexes into the group's categories." }) categories: number[] | null,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<GroupCasePage> {
    if (categories && categories.length !== 2) throw invalid([{ field: "categories", message: "must name two answers of the group, or none" }]);
    const pair = categories ? ([categories[0]!, categories[1]!] as const) : null;
    return GroupCasePage.from(await ctx.services.review.groupCases(ctx.actor, projectId, groupId, pair, first, after));
  }

  @Mutation(() => Adjudication, { description: "Decides the consensus value of a classification label on a case (permission case.review); a ledger leaf." })
  async adjudicate(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("labelId", () => ID) labelId: string,
    @Arg("value", () => Boolean) value: boolean,
    @Arg("note", () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: Context,
  ): Promise<Adjudication> {
    const row = await ctx.services.review.adjudicate(ctx.actor, caseId, labelId, value, note);
    return Adjudication.from(row, await ctx.services.review.users([row.adjudicatedBy!]));
  }

  @Mutation(() => Boolean, { description: "Removes the cell's adjudication, so the majority decides again; false when there was none (permission case.review)." })
  async clearAdjudication(@Arg("caseId", () => ID) caseId: string, @Arg("labelId", () => ID) labelId: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.review.clearAdjudication(ctx.actor, caseId, labelId);
  }

  @Query(() => [Adjudication], { description: "The case's current adjudications, for reviewers and whoever may see others' work on the case." })
  async caseAdjudications(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<Adjudication[]> {
    const rows = await ctx.services.review.caseAdjudications(ctx.actor, caseId);
    const people = await ctx.services.review.users(rows.flatMap((r) => (r.adjudicatedBy ? [r.adjudicatedBy] : [])));
    return rows.map((r) => Adjudication.from(r, people));
  }

  @Query(() => [AdjudicationVersion], { description: "Every adjudication and clearing of the case's labels (or one label), newest first per label." })
  async adjudicationHistory(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("labelId", () => ID, { nullable: true }) labelId: string | null,
    @Ctx() ctx: Context,
  ): Promise<AdjudicationVersion[]> {
    const rows = await ctx.services.review.adjudicationHistory(ctx.actor, caseId, labelId);
    const people = await ctx.services.review.users(rows.flatMap((r) => (r.adjudicatedBy ? [r.adjudicatedBy] : [])));
    return rows.map((r) => AdjudicationVersion.from(r, people));
  }

  @Mutation(() => CaseComment, { description: "Comments on a case (permission case.review); at most 4000 characters." })
  async addCaseComment(@Arg("caseId", () => ID) caseId: string, @Arg("body", () => String) body: string, @Ctx() ctx: Context): Promise<CaseComment> {
    const row = await ctx.services.review.addCaseComment(ctx.actor, caseId, body);
    return CaseComment.from(row, await ctx.services.review.users([row.authorId!]));
  }

  @Query(() => [CaseComment], { description: "Comments on the case, oldest first, for reviewers and whoever may see others' work on it." })
  async caseComments(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<CaseComment[]> {
    const rows = await ctx.services.review.caseComments(ctx.actor, caseId);
    const people = await ctx.services.review.users(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])));
    return rows.map((r) => CaseComment.from(r, people));
  }

  @Subscription(() => ReviewEvent, {
    description: "Adjudications and comments in a project, as ids, on cases you may see them on. Ends with ACCESS_REVOKED when you lose access.",
    subscribe: ({ args, context }) => (context as Context).services.review.events((context as Context).actor, args.projectId as string),
  })
  reviewEvents(@Arg("projectId", () => ID) _projectId: string, @Root() payload: ReviewEventPayload): ReviewEvent {
    return ReviewEvent.from(payload);
  }
}
