import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import { Case, ExclusionReasonEnum } from "../cases/cases.types.js";
import { Project } from "../projects/projects.types.js";
import type { AnnotationEventPayload } from "./annotations.service.js";
import { Annotation, AnnotationEvent, AnnotationInput, CaseAssignment, CaseSkip, ExportSize, ReadingProgress, SkipReasonEnum } from "./annotations.types.js";
import type { SkipReason } from "./annotations.repository.js";
import type { ExclusionReason } from "../cases/exclusions.js";
import { IDLE_THRESHOLD_SECONDS } from "./timing.js";

@Resolver(() => Annotation)
export class AnnotationsResolver {
  @Mutation(() => CaseAssignment, {
    nullable: true,
    description:
      "The next case for you to read, holding one of its slots for you for a while: your own draft first, then the case with the fewest readers, then the oldest; never a case you skipped. Null when no case needs you.",
  })
  async nextCase(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<CaseAssignment | null> {
    const a = await ctx.services.annotations.nextCase(ctx.actor, projectId);
    return a ? CaseAssignment.from(a) : null;
  }

  @Query(() => Case, {
    nullable: true,
    description:
      "The case nextCase would hand you once the case `after` is done, without holding it: for loading its image ahead while you read. Another reader may take it first; nextCase decides. Null when no other case needs you.",
  })
  async upcomingCase(@Arg("projectId", () => ID) projectId: string, @Arg("after", () => ID, { nullable: true }) after: string | null, @Ctx() ctx: Context): Promise<Case | null> {
    const row = await ctx.services.annotations.upcomingCase(ctx.actor, projectId, after ?? null);
    return row ? Case.from(row) : null;
  }

  @Mutation(() => CaseSkip, {
    description:
      "Skips a case you will not read (the image is not diagnostic, it is the wrong image, it is outside your expertise...): nextCase no longer hands it to you and your slot goes to another reader. Your draft is kept. Refused once you have submitted the case. Skipping again replaces the reason.",
  })
  async skipCase(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("reason", () => SkipReasonEnum) reason: SkipReason,
    @Arg("note", () => String, { nullable: true, description: "At most 1000 characters; required for OTHER." }) note: string | null,
    @Ctx() ctx: Context,
  ): Promise<CaseSkip> {
    return CaseSkip.from(await ctx.services.annotations.skipCase(ctx.actor, caseId, reason, note));
  }

  @Mutation(() => Boolean, {
    description:
      "Withdraws a skip so the queue may hand the case to that reader again: your own (readerId omitted), or as a manager (project.manage) any reader's. Submitting a case withdraws your skip of it too. False when there was no such skip.",
  })
  async unskipCase(@Arg("caseId", () => ID) caseId: string, @Arg("readerId", () => ID, { nullable: true }) readerId: string | null, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.annotations.unskipCase(ctx.actor, caseId, readerId);
  }

  @Mutation(() => Case, {
    description:
      "Excludes a case from its project (project.manage): the image is unusable, the wrong one, a duplicate, or outside the study's inclusion criteria. " +
      "Its images, readings and history are kept and it stays in the case list, but nextCase no longer hands it out (claims on it end), nothing more is written to it, " +
      "and progress, the review's statistics, reward epochs, exports and training leave it out until includeCase. Excluding it again replaces the reason.",
  })
  async excludeCase(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("reason", () => ExclusionReasonEnum) reason: ExclusionReason,
    @Arg("note", () => String, { nullable: true, description: "Required for OTHER; at most 1000 characters. Not written to the ledger." }) note: string | null,
    @Ctx() ctx: Context,
  ): Promise<Case> {
    await ctx.services.annotations.excludeCase(ctx.actor, caseId, reason, note);
    return Case.from(await ctx.services.cases.get(ctx.actor, caseId));
  }

  @Mutation(() => Case, { description: "Brings an excluded case back into its project (project.manage); a case that was not excluded is returned as it is." })
  async includeCase(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<Case> {
    await ctx.services.annotations.includeCase(ctx.actor, caseId);
    return Case.from(await ctx.services.cases.get(ctx.actor, caseId));
  }

  @Query(() => CaseSkip, { nullable: true, description: "Your skip of the case, if you skipped it." })
  async myCaseSkip(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<CaseSkip | null> {
    const row = await ctx.services.annotations.mySkip(ctx.actor, caseId);
    return row ? CaseSkip.from(row) : null;
  }

  @Query(() => [CaseSkip], {
    description: "A project's skipped cases, newest first: every reader's for those who follow its progress (stats.view), otherwise your own.",
  })
  async caseSkips(@Arg("projectId", () => ID) projectId: string, @Arg("readerId", () => ID, { nullable: true }) readerId: string | null, @Ctx() ctx: Context): Promise<CaseSkip[]> {
    return (await ctx.services.annotations.skips(ctx.actor, projectId, readerId)).map(CaseSkip.from);
  }

  @Query(() => Annotation, { nullable: true, description: "Your draft of the case, else your latest submission, else null." })
  async myAnnotation(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<Annotation | null> {
    const v = await ctx.services.annotations.mine(ctx.actor, caseId);
    return v ? Annotation.from(v) : null;
  }

  @Mutation(() => Annotation, {
    description:
      "Autosave: replaces your draft's label values and ROIs and folds in the session's timing (opening version 1 when you have no annotation). Idempotent; a save older than one already stored is ignored.",
  })
  async saveDraft(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("input", () => AnnotationInput) input: AnnotationInput,
    @Ctx() ctx: Context,
  ): Promise<Annotation> {
    return Annotation.from(await ctx.services.annotations.saveDraft(ctx.actor, caseId, input));
  }

  @Mutation(() => Annotation, {
    description: "Saves and submits your draft; the submitted version never changes. Active classification labels you did not tick are recorded as negative.",
  })
  async submitAnnotation(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("input", () => AnnotationInput) input: AnnotationInput,
    @Ctx() ctx: Context,
  ): Promise<Annotation> {
    const submitted = await ctx.services.annotations.submit(ctx.actor, caseId, input);
    await ctx.services.education.afterSubmit(ctx.actor, caseId); // education mode: certify a trainee whose score now passes
    return Annotation.from(submitted);
  }

  @Mutation(() => Annotation, { description: "Opens a new draft version copied from your latest submission (or returns your open draft)." })
  async reviseAnnotation(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<Annotation> {
    return Annotation.from(await ctx.services.annotations.revise(ctx.actor, caseId));
  }

  @Query(() => [Annotation], {
    description: "Versions of a reader's reading of the case, newest first: yours (the default) with your draft, or another reader's submitted versions where you may see others' work.",
  })
  async annotationHistory(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("readerId", () => ID, { nullable: true }) readerId: string | null,
    @Ctx() ctx: Context,
  ): Promise<Annotation[]> {
    return (await ctx.services.annotations.history(ctx.actor, caseId, readerId)).map(Annotation.from);
  }

  @Query(() => [Annotation], {
    description: "Other readers' latest submissions of the case. In blind reading an annotator sees them only after submitting the case.",
  })
  async caseAnnotations(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<Annotation[]> {
    return (await ctx.services.annotations.others(ctx.actor, caseId)).map(Annotation.from);
  }

  @Query(() => ReadingProgress, { description: "Per reader: cases done, median seconds per case and per label, and every recorded label time." })
  async readerProgress(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<ReadingProgress> {
    return ReadingProgress.from(await ctx.services.annotations.progress(ctx.actor, projectId));
  }

  @Query(() => ExportSize, {
    description: "Rows the CSV exports (/export/projects/{id}/labels.csv and rois.csv) would hold now, to show progress while downloading.",
  })
  async exportSize(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("allVersions", () => Boolean, { defaultValue: false, description: "Every submitted version, not only each reader's latest." }) allVersions: boolean,
    @Ctx() ctx: Context,
  ): Promise<ExportSize> {
    return Object.assign(new ExportSize(), await ctx.services.annotations.exportSize(ctx.actor, projectId, allVersions));
  }

  @Subscription(() => AnnotationEvent, {
    description:
      "Submissions and skips in a project, as ids: yours, and others' where you may see others' work on that case. Ends with ACCESS_REVOKED when you lose access.",
    subscribe: ({ args, context }) => (context as Context).services.annotations.events((context as Context).actor, args.projectId as string),
  })
  annotationEvents(@Arg("projectId", () => ID) _projectId: string, @Root() payload: AnnotationEventPayload): AnnotationEvent {
    return AnnotationEvent.from(payload);
  }
}

/** What the annotation workspace needs to know of a project. */
@Resolver(() => Project)
export class AnnotationSettingsResolver {
  @FieldResolver(() => Float, {
    description: "Motionless stretches at least this long are recorded as idle; clients send it back with their timing.",
  })
  idleThresholdSeconds(): number {
    return IDLE_THRESHOLD_SECONDS;
  }
}
