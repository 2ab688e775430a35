import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Case, CaseExclusion, ExclusionReasonEnum } from "../cases/cases.types.js";
import type { ExclusionReason } from "../cases/exclusions.js";
import type { RoiShape } from "../projects/projects.entity.js";
import { RoiShapeEnum } from "../projects/projects.types.js";
import type { AnnotationStatus } from "./annotations.entity.js";
import { SKIP_REASONS, type AnnotationView, type CaseSkipRow, type LabelTimesRow, type SkipReason } from "./annotations.repository.js";
import type { AnnotationEventKind, AnnotationEventPayload, CaseAssignment as CaseAssignmentData, ReadingProgress as ReadingProgressData } from "./annotations.service.js";
import { IDLE_THRESHOLD_SECONDS, type StoredSession } from "./timing.js";
import { enumOf } from "../../graphql/enums.js";

export const AnnotationStatusEnum = enumOf<AnnotationStatus>(["DRAFT", "SUBMITTED"]);
registerEnumType(AnnotationStatusEnum, { name: "AnnotationStatus", description: "A reader has at most one DRAFT per case; a SUBMITTED version never changes." });

export const AnnotationEventKindEnum = enumOf<AnnotationEventKind>(["SUBMITTED", "SKIPPED", "UNSKIPPED", "EXCLUDED", "INCLUDED", "ASSIGNED", "DELETED", "ACCESS_REVOKED"]);
registerEnumType(AnnotationEventKindEnum, {
  name: "AnnotationEventKind",
  valuesConfig: {
    SUBMITTED: { description: "A reader submitted a version of the case." },
    SKIPPED: { description: "A reader skipped the case (or changed their reason)." },
    UNSKIPPED: { description: "A reader's skip of the case was withdrawn: by them, by a manager, or by their submitting it." },
    EXCLUDED: { description: "A manager excluded the case from the project (or changed the reason); readerId is null." },
    INCLUDED: { description: "A manager brought an excluded case back into the project; readerId is null." },
    ASSIGNED: { description: "A manager assigned cases to the reader readerId, or withdrew assignments (caseId is null): their queue changed. Heard by that reader and by those who follow progress." },
    DELETED: { description: "The case was deleted for good, with its images and readings (deleteCases); readerId is null. Heard by every member." },
    ACCESS_REVOKED: { description: "You lost access; the stream ends." },
  },
});

export const SkipReasonEnum = enumOf<SkipReason>([...SKIP_REASONS]);
registerEnumType(SkipReasonEnum, {
  name: "SkipReason",
  description: "Why a reader skipped a case.",
  valuesConfig: {
    IMAGE_QUALITY: { description: "The image is not of diagnostic quality (artefacts, exposure, motion, cut off)." },
    WRONG_IMAGE: { description: "Not the image the project is about: another body part, view or modality." },
    OUTSIDE_EXPERTISE: { description: "Outside the reader's expertise." },
    OTHER: { description: "Another reason, which the note gives." },
  },
});

@ObjectType({ description: "A reader's skip of a case: the queue no longer hands them that case, and its slot goes to another reader." })
export class CaseSkip {
  @Field(() => ID) caseId: string;
  @Field(() => String) caseKey: string;
  @Field(() => ID) readerId: string;
  @Field(() => String) readerName: string;
  @Field(() => SkipReasonEnum) reason: SkipReason;
  @Field(() => String, { nullable: true, description: "The reader's words, at most 1000 characters; required for OTHER." }) note: string | null;
  @Field(() => GraphQLISODateTime) skippedAt: Date;
  @Field(() => CaseExclusion, { nullable: true, description: "Why a manager excluded the case from the project; null while it is in it." }) caseExclusion: CaseExclusion | null;

  static from(r: CaseSkipRow): CaseSkip {
    return Object.assign(new CaseSkip(), {
      caseId: r.caseId,
      caseKey: r.caseKey,
      readerId: r.readerId,
      readerName: r.readerName,
      reason: r.reason,
      note: r.note,
      skippedAt: r.skippedAt,
      caseExclusion: r.caseExclusion ? CaseExclusion.from(r.caseExclusion) : null,
    });
  }
}

@ObjectType({ description: "A classification label's value in one annotation." })
export class LabelValue {
  @Field(() => ID) labelId: string;
  @Field(() => Boolean) value: boolean;
  @Field(() => Int, { nullable: true, description: "0, 20, 40, 60, 80 or 100; null when the reader gave none." }) confidence: number | null;
  @Field(() => Boolean, { description: "Not ticked by the reader: recorded as negative when the annotation was submitted." }) implicit: boolean;
  @Field(() => Float, {
    nullable: true,
    description: "Seconds spent on this label: the stretches from the previous label click (or the image load) to each click on it. Null when never clicked.",
  })
  seconds: number | null;
  @Field(() => Int) clicks: number;
}

@ObjectType({ description: "A region of interest, in image pixel coordinates." })
export class Roi {
  @Field(() => ID) id: string;
  @Field(() => ID, { description: "The ROI class (a label definition of kind ROI)." }) classId: string;
  @Field(() => RoiShapeEnum) kind: RoiShape;
  @Field(() => [[Float]], {
    description: "[[x, y], ...]: x along columns, y along rows, (0, 0) the top-left corner of the image. A rectangle is [[minX, minY], [maxX, maxY]].",
  })
  points: number[][];
  @Field(() => String, { description: "The (de-identified) image the region lies on." }) sopInstanceUid: string;
  @Field(() => Int, { description: "1-based frame of that image." }) frame: number;
  @Field(() => ID, { nullable: true, description: "The model version whose suggested region (predictionRegions) the reader took this from; null when drawn." })
  suggestedBy: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "Taken from a suggestion: whether the reader changed it (its shape, class, image or frame) from what the model suggested; null when drawn.",
  })
  suggestionChanged: boolean | null;
}

@ObjectType({ description: "One page load of the workspace: its durations count from its own image load." })
export class TimingSession {
  @Field(() => ID) sessionId: string;
  @Field(() => GraphQLISODateTime, { description: "The client's clock when the image was loaded, as reported." }) loadedAt: Date;
  @Field(() => Float, { description: "Seconds counted: as the client measured them, cut to what the server saw pass when clamped." }) seconds: number;
  @Field(() => Float, { description: "Seconds the client reported." }) reportedSeconds: number;
  @Field(() => Int) clickCount: number;
  @Field(() => Boolean) clamped: boolean;
}

@ObjectType()
export class LabelClick {
  @Field(() => ID) labelId: string;
  @Field(() => Int, { description: "Index into timing.sessions." }) session: number;
  @Field(() => Float, { description: "Seconds since that session's image load." }) atSeconds: number;
  @Field(() => Boolean) value: boolean;
  @Field(() => Int, { nullable: true }) confidence: number | null;
}

@ObjectType({ description: "A motionless stretch of at least the idle threshold." })
export class IdlePeriod {
  @Field(() => Int, { description: "Index into timing.sessions." }) session: number;
  @Field(() => Float) startSeconds: number;
  @Field(() => Float) seconds: number;
}

@ObjectType({ description: "Reading time as the MarkIt paper defines it, summed over the version's sessions (and, after a revision, the earlier versions')." })
export class AnnotationTiming {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Client clock at the first session's image load, as reported." }) loadedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Server clock." }) submittedAt: Date | null;
  @Field(() => Float, { nullable: true, description: "Image completely loaded to the click on submit, over all sessions; null without timing." })
  caseSeconds: number | null;
  @Field(() => Int) clickCount: number;
  @Field(() => Int) labelClickCount: number;
  @Field(() => Int) idleCount: number;
  @Field(() => Float) idleSeconds: number;
  @Field(() => Float, { nullable: true }) idleThresholdSeconds: number | null;
  @Field(() => Boolean, { description: "Some session claimed more time than the server saw pass; its seconds were cut." }) clamped: boolean;
  @Field(() => [TimingSession]) sessions: TimingSession[];
  @Field(() => [LabelClick]) labelClicks: LabelClick[];
  @Field(() => [IdlePeriod]) idle: IdlePeriod[];
}

@ObjectType({ description: "One version of one reader's reading of a case." })
export class Annotation {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => ID) caseId: string;
  @Field(() => ID) readerId: string;
  @Field(() => String) readerName: string;
  @Field(() => Int) version: number;
  @Field(() => AnnotationStatusEnum) status: AnnotationStatus;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) submittedAt: Date | null;
  @Field(() => [LabelValue]) labels: LabelValue[];
  @Field(() => [Roi]) rois: Roi[];
  @Field(() => AnnotationTiming) timing: AnnotationTiming;

  static from(v: AnnotationView): Annotation {
    const a = v.annotation;
    const sessions = [...v.sessions].sort((x, y) => x.position - y.position);
    return Object.assign(new Annotation(), {
      id: a.id,
      projectId: a.projectId,
      caseId: a.caseId,
      readerId: a.readerId,
      readerName: v.readerName,
      version: a.version,
      status: a.status,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      submittedAt: a.submittedAt,
      labels: v.labels.map((l) =>
        Object.assign(new LabelValue(), { labelId: l.labelId, value: l.value, confidence: l.confidence, implicit: l.implicit, seconds: l.seconds, clicks: l.clicks }),
      ),
      rois: v.rois.map((r) =>
        Object.assign(new Roi(), {
          id: r.id,
          classId: r.classId,
          kind: r.kind,
          points: r.points,
          sopInstanceUid: r.sopInstanceUid,
          frame: r.frame,
          suggestedBy: r.suggestedBy,
          suggestionChanged: r.suggestionChanged,
        }),
      ),
      timing: Object.assign(new AnnotationTiming(), {
        loadedAt: a.loadedAt,
        submittedAt: a.submittedAt,
        caseSeconds: a.caseSeconds,
        clickCount: a.clickCount,
        labelClickCount: a.labelClickCount,
        idleCount: a.idleCount,
        idleSeconds: a.idleSeconds,
        idleThresholdSeconds: a.idleThresholdSeconds,
        clamped: a.timingClamped,
        sessions: sessions.map(timingSession),
        labelClicks: sessions.flatMap((s, i) => s.labelClicks.map((c) => Object.assign(new LabelClick(), { ...c, session: i }))),
        idle: sessions.flatMap((s, i) => s.idle.map((p) => Object.assign(new IdlePeriod(), { ...p, session: i }))),
      }),
    });
  }
}

const timingSession = (s: StoredSession) =>
  Object.assign(new TimingSession(), {
    sessionId: s.sessionId,
    loadedAt: s.loadedAt,
    seconds: s.seconds,
    reportedSeconds: s.reportedSeconds,
    clickCount: s.clickCount,
    clamped: s.clamped,
  });

@ObjectType({ description: "A case handed to a reader by nextCase, with one of its slots held for them until leaseExpiresAt (autosaves renew it)." })
export class CaseAssignment {
  @Field(() => Case) case: Case;
  @Field(() => Annotation, { nullable: true, description: "The reader's draft of the case, if they have one." }) annotation: Annotation | null;
  @Field(() => GraphQLISODateTime) leaseExpiresAt: Date;

  static from(a: CaseAssignmentData): CaseAssignment {
    return Object.assign(new CaseAssignment(), {
      case: Case.from(a.caseRow),
      annotation: a.annotation ? Annotation.from(a.annotation) : null,
      leaseExpiresAt: a.leaseExpiresAt,
    });
  }
}

@ObjectType({ description: "Recorded times of one label (over one reader's, or all readers', latest submissions), for medians and box or violin plots." })
export class LabelTimes {
  @Field(() => ID) labelId: string;
  @Field(() => String) labelName: string;
  @Field(() => Int, { description: "Values with a recorded time." }) count: number;
  @Field(() => Float, { nullable: true }) medianSeconds: number | null;
  @Field(() => [Float], { description: "Every recorded time, ascending." }) seconds: number[];

  static from(r: LabelTimesRow): LabelTimes {
    return Object.assign(new LabelTimes(), { labelId: r.labelId, labelName: r.name, count: r.count, medianSeconds: r.medianSeconds, seconds: r.seconds });
  }
}

@ObjectType()
export class ReaderProgress {
  @Field(() => ID) readerId: string;
  @Field(() => String) name: string;
  @Field(() => Int, { description: "Cases this reader has submitted." }) casesDone: number;
  @Field(() => Int, { description: "Open drafts." }) drafts: number;
  @Field(() => Int, { description: "Cases this reader skipped and has not read since (caseSkips lists them)." }) skipped: number;
  @Field(() => Int, { description: "Cases in the project a manager assigned to this reader." }) assigned: number;
  @Field(() => Int, { description: "Of the cases assigned to this reader, those they have neither submitted nor skipped." }) assignedLeft: number;
  @Field(() => Float, { nullable: true, description: "Median seconds per case (latest submission of each case)." }) medianCaseSeconds: number | null;
  @Field(() => [Float], { description: "Every case's seconds (latest submission of each case, where recorded), ascending." }) caseSeconds: number[];
  @Field(() => Float, { nullable: true, description: "Median seconds per label value, over all labels." }) medianLabelSeconds: number | null;
  @Field(() => [LabelTimes]) labels: LabelTimes[];
}

@ObjectType({ description: "How many cases a manager excluded for one reason." })
export class ExclusionCount {
  @Field(() => ExclusionReasonEnum) reason: ExclusionReason;
  @Field(() => Int) cases: number;
}

@ObjectType({ description: "How far a project's reading has come, and how long it takes." })
export class ReadingProgress {
  @Field(() => ID) projectId: string;
  @Field(() => Int, { description: "Cases in the project; excluded cases are left out of this and every other count here." }) totalCases: number;
  @Field(() => Int, { description: "Cases with as many submitted readers as they need (Case.readersNeeded)." }) completeCases: number;
  @Field(() => Int, {
    description: "Cases that can no longer get all their readers: too few members who may annotate have neither submitted nor skipped them. Return a skip to the queue, add a reader, or exclude the case.",
  })
  blockedCases: number;
  @Field(() => Int, { description: "Cases in the project no reader has submitted yet." }) unreadCases: number;
  @Field(() => Int, { description: "Cases a manager excluded from the project." }) excludedCases: number;
  @Field(() => [ExclusionCount], { description: "The excluded cases per reason (reasons without any left out): with the counts above, a study's flow of cases." })
  excludedByReason: ExclusionCount[];
  @Field(() => Int, { description: "Cases in the project with fewer readers than they need (Case.readersNeeded), counting those who submitted it and those assigned to it who have not skipped it: cases that need more readers assigned (CaseFilter.underAssigned lists them)." })
  underAssignedCases: number;
  @Field(() => Boolean, { description: "The project's readers read only the cases assigned to them (Project.assignedReading); blockedCases then counts only assigned readers as readers a case may still get." })
  assignedReading: boolean;
  @Field(() => Int, { description: "The project's readers per case (Project.readersPerCase); VALIDATION and TEST cases may need another number (Project.readersPerSplit)." }) readersPerCase: number;
  @Field(() => [ReaderProgress]) readers: ReaderProgress[];
  @Field(() => [LabelTimes], { description: "Per label, over all readers." }) labels: LabelTimes[];

  static from(p: ReadingProgressData): ReadingProgress {
    return Object.assign(new ReadingProgress(), {
      projectId: p.projectId,
      totalCases: p.totalCases,
      completeCases: p.completeCases,
      blockedCases: p.blockedCases,
      unreadCases: p.unreadCases,
      excludedCases: p.excludedCases,
      excludedByReason: p.excludedByReason.map((r) => Object.assign(new ExclusionCount(), r)),
      underAssignedCases: p.underAssignedCases,
      assignedReading: p.assignedReading,
      readersPerCase: p.readersPerCase,
      readers: p.readers.map((r) =>
        Object.assign(new ReaderProgress(), {
          readerId: r.readerId,
          name: r.name,
          casesDone: r.casesDone,
          drafts: r.drafts,
          skipped: r.skipped,
          assigned: r.assigned,
          assignedLeft: r.assignedLeft,
          medianCaseSeconds: r.medianCaseSeconds,
          caseSeconds: r.caseSeconds,
          medianLabelSeconds: r.medianLabelSeconds,
          labels: r.labels.map(LabelTimes.from),
        }),
      ),
      labels: p.labels.map(LabelTimes.from),
    });
  }
}

@ObjectType({ description: "What a CSV export of the project would hold now." })
export class ExportSize {
  @Field(() => Int) annotations: number;
  @Field(() => Int, { description: "Data rows of labels.csv." }) labelRows: number;
  @Field(() => Int, { description: "Data rows of rois.csv." }) roiRows: number;
}

@ObjectType({ description: "An annotation was submitted. Ids only; fetch what you may see." })
export class AnnotationEvent {
  @Field(() => AnnotationEventKindEnum) kind: AnnotationEventKind;
  @Field(() => ID) projectId: string;
  @Field(() => ID, { nullable: true }) caseId: string | null;
  @Field(() => ID, { nullable: true }) readerId: string | null;
  @Field(() => Int, { nullable: true }) version: number | null;
  @Field(() => GraphQLISODateTime) at: Date;

  static from(p: AnnotationEventPayload): AnnotationEvent {
    return Object.assign(new AnnotationEvent(), { ...p, at: new Date(p.at) });
  }
}

// ---- inputs

@InputType()
export class LabelValueInput {
  @Field(() => ID) labelId: string;
  @Field(() => Boolean) value: boolean;
  @Field(() => Int, { nullable: true, description: "0, 20, 40, 60, 80 or 100." }) confidence?: number | null;
}

@InputType()
export class RoiInput {
  @Field(() => ID, { nullable: true, description: "A UUID of your choosing, kept across saves and versions; one is made when absent." }) id?: string | null;
  @Field(() => ID, { description: "An active ROI class of the project." }) classId: string;
  @Field(() => RoiShapeEnum, { description: "Must be the class's shape." }) kind: RoiShape;
  @Field(() => [[Float]], { description: "Image pixel coordinates [[x, y], ...]: a rectangle takes two opposite corners (or more; their bounding box is kept), a freehand region 3 points or more." })
  points: number[][];
  @Field(() => String, { nullable: true, description: "The image the region lies on; defaults to the case's image, required for a series case." }) sopInstanceUid?: string | null;
  @Field(() => Int, { nullable: true, description: "1-based; default 1." }) frame?: number | null;
  @Field(() => ID, {
    nullable: true,
    description: "When the region was taken from a segmentation model's suggestion: that model version (it must have suggested regions on this case). Whether it was changed is worked out on saving.",
  })
  suggestedBy?: string | null;
}

@InputType()
export class LabelClickInput {
  @Field(() => ID) labelId: string;
  @Field(() => Float, { description: "performance.now() seconds since this session's image load." }) atSeconds: number;
  @Field(() => Boolean, { description: "The label's value after the click." }) value: boolean;
  @Field(() => Int, { nullable: true }) confidence?: number | null;
}

@InputType()
export class IdlePeriodInput {
  @Field(() => Float) startSeconds: number;
  @Field(() => Float) seconds: number;
}

@InputType({
  description:
    "Everything measured in this session (page load) so far, resent whole with every save. Durations are performance.now() seconds since the image was completely loaded.",
})
export class TimingInput {
  @Field(() => ID, { description: "A UUID the client makes at each page load." }) sessionId: string;
  @Field(() => GraphQLISODateTime, { description: "The client's clock when the image was completely loaded (stored for reference only)." }) loadedAt: Date;
  @Field(() => Float, { description: "Seconds from the image load to this save; for a submit, to the click on submit." }) caseSeconds: number;
  @Field(() => Int, { description: "Pointer clicks in the session (labels, tools, drawing)." }) clicks: number;
  @Field(() => Float, { description: `Must be the project's idle threshold (Project.idleThresholdSeconds, ${IDLE_THRESHOLD_SECONDS} s).` }) idleThresholdSeconds: number;
  @Field(() => [LabelClickInput], { defaultValue: [] }) labelClicks: LabelClickInput[];
  @Field(() => [IdlePeriodInput], { defaultValue: [], description: "Motionless stretches of at least the threshold." }) idle: IdlePeriodInput[];
}

@InputType({ description: "The whole annotation: label values replace the draft's, and ROIs when given." })
export class AnnotationInput {
  @Field(() => [LabelValueInput], { defaultValue: [] }) labels: LabelValueInput[];
  @Field(() => [RoiInput], {
    nullable: true,
    description: "The draft's regions, replacing its regions whole. Absent or null keeps the draft's regions (a reader's regions arrive through their collaboration layer).",
  })
  rois?: RoiInput[] | null;
  @Field(() => TimingInput, { nullable: true }) timing?: TimingInput | null;
}
