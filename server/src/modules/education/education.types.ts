import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from "class-validator";
import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Role } from "../../access/roles.js";
import { Roi } from "../annotations/annotations.types.js";
import type { RoiInput } from "../annotations/annotations.service.js";
import { RoleEnum } from "../projects/projects.types.js";
import { GRANTABLE_ROLES, type GoldSource, type GrantableRole } from "./education.repository.js";
import type { CertificationView, EducationSettingsView, GoldImportResult as GoldImportData, TrainingFeedback as FeedbackData, TrainingScore as ScoreData } from "./education.service.js";
import { enumOf } from "../../graphql/enums.js";

export const GoldSourceEnum = enumOf<GoldSource>(["IMPORTED", "ADJUDICATED"]);
registerEnumType(GoldSourceEnum, { name: "GoldSource", description: "Where a gold label comes from: imported by a manager, or a reviewer's adjudication (used where no imported gold exists)." });

export const CertificationRoleEnum = enumOf<GrantableRole>(GRANTABLE_ROLES);
registerEnumType(CertificationRoleEnum, { name: "CertificationRole", description: "A role a passed training may grant in the linked project." });

@ObjectType()
export class ProjectRef {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
}

@ObjectType()
export class GoldCounts {
  @Field(() => Int, { description: "Gold labels (case × label) in effect." }) labels: number;
  @Field(() => Int, { description: "Cases with at least one gold label." }) cases: number;
  @Field(() => Int, { description: "Of the gold labels, those imported (the rest are adjudications)." }) imported: number;
}

@ObjectType({ description: "An education project's pass rule and what passing grants." })
export class EducationSettings {
  @Field(() => ID) projectId: string;
  @Field(() => Float, { description: "Accuracy against the gold needed to pass, 0 to 1." }) passAccuracy: number;
  @Field(() => Int, { description: "Gold cases a trainee must have submitted to pass." }) minCases: number;
  @Field(() => Float, { description: "How far (image pixels) a trainee's point, or a line's midpoint, may lie from the gold's and still find it; 10 until set." })
  pointTolerance: number;
  @Field(() => ProjectRef, { nullable: true, description: "The project a pass grants a role in; shown to its managers and to members of that project." })
  targetProject: ProjectRef | null;
  @Field(() => CertificationRoleEnum, { nullable: true }) grantRole: GrantableRole | null;
  @Field(() => Boolean, { description: "False while the defaults apply." }) configured: boolean;
  @Field(() => GoldCounts) gold: GoldCounts;

  static from(v: EducationSettingsView): EducationSettings {
    return Object.assign(new EducationSettings(), {
      projectId: v.projectId,
      passAccuracy: v.passAccuracy,
      minCases: v.minCases,
      pointTolerance: v.pointTolerance,
      targetProject: v.targetProject ? Object.assign(new ProjectRef(), v.targetProject) : null,
      grantRole: v.grantRole,
      configured: v.configured,
      gold: Object.assign(new GoldCounts(), v.gold),
    });
  }
}

@InputType()
export class EducationSettingsInput {
  @Field(() => Float, { description: "0 to 1." }) @IsNumber() @Min(0) @Max(1) passAccuracy: number;
  @Field(() => Int) @IsInt() @Min(1) minCases: number;
  @Field(() => Float, { nullable: true, description: "Image pixels, above 0 and at most 1000; kept as it was when omitted." }) @IsOptional() @IsNumber() pointTolerance?: number | null;
  @Field(() => ID, { nullable: true, description: "A project where you may grant roles; with grantRole. Both omitted: kept as they were; both null: a pass grants no role." })
  @IsOptional()
  targetProjectId?: string | null;
  @Field(() => CertificationRoleEnum, { nullable: true, description: "The role a pass grants in targetProjectId; with it." }) @IsOptional() @IsIn([...GRANTABLE_ROLES]) grantRole?: GrantableRole | null;
}

@ObjectType()
export class Certification {
  @Field(() => GraphQLISODateTime) passedAt: Date;
  @Field(() => Int) cases: number;
  @Field(() => Float) accuracy: number;
  @Field(() => Float, { nullable: true }) kappa: number | null;
  @Field(() => ProjectRef, { nullable: true, description: "Where the pass granted a role; null when it granted none." }) grantedProject: ProjectRef | null;
  @Field(() => RoleEnum, { nullable: true }) grantedRole: Role | null;

  static from(c: CertificationView): Certification {
    return Object.assign(new Certification(), {
      passedAt: c.passedAt,
      cases: c.cases,
      accuracy: c.accuracy,
      kappa: c.kappa,
      grantedProject: c.grantedProjectId && c.grantedProjectName ? Object.assign(new ProjectRef(), { id: c.grantedProjectId, name: c.grantedProjectName }) : null,
      grantedRole: c.grantedProjectName ? c.grantedRole : null,
    });
  }
}

@ObjectType({ description: "A trainee's running score against the gold: each gold case counts with their first submission of it." })
export class TrainingScore {
  @Field(() => ID) projectId: string;
  @Field(() => Int, { description: "Gold cases submitted." }) cases: number;
  @Field(() => Int, { description: "Gold labels scored." }) labels: number;
  @Field(() => Int) correct: number;
  @Field(() => Float, { nullable: true, description: "correct / labels; null before any." }) accuracy: number | null;
  @Field(() => Float, { nullable: true, description: "Cohen's κ against the gold, pooled over labels; null when undefined." }) kappa: number | null;
  @Field(() => Float) passAccuracy: number;
  @Field(() => Int) minCases: number;
  @Field(() => Boolean, { description: "At least minCases gold cases and accuracy at least passAccuracy." }) passed: boolean;
  @Field(() => Certification, { nullable: true }) certification: Certification | null;

  static from(s: ScoreData): TrainingScore {
    return Object.assign(new TrainingScore(), { ...s, certification: s.certification ? Certification.from(s.certification) : null });
  }
}

@ObjectType()
export class LabelFeedback {
  @Field(() => ID) labelId: string;
  @Field(() => String) labelName: string;
  @Field(() => Boolean, { description: "Your value." }) mine: boolean;
  @Field(() => Int, { nullable: true, description: "Your confidence grade." }) confidence: number | null;
  @Field(() => Boolean) gold: boolean;
  @Field(() => GoldSourceEnum) source: GoldSource;
  @Field(() => Boolean) correct: boolean;
}

@ObjectType({ description: "Your answer to a label group against the gold's (for groups whose gold gives one answer)." })
export class GroupFeedback {
  @Field(() => ID) groupId: string;
  @Field(() => String) groupName: string;
  @Field(() => Boolean) ordinal: boolean;
  @Field(() => ID, { nullable: true, description: "The label you gave as present; null for none of them (or more than one, given before the group was made)." }) mine: string | null;
  @Field(() => ID, { nullable: true, description: "The gold's label; null for none of them." }) gold: string | null;
  @Field(() => String, { nullable: true }) mineName: string | null;
  @Field(() => String, { nullable: true }) goldName: string | null;
  @Field(() => Boolean) correct: boolean;
  @Field(() => Int, { nullable: true, description: "Ordinal groups, both answers a label: how many steps yours lies above (+) or below (−) the gold's." }) steps: number | null;
}

@ObjectType({ description: "Your points of a point class against the gold's: on each image matched one to one within the tolerance (as many pairs as possible, then the least total distance)." })
export class PointFeedback {
  @Field(() => Float, { description: "How far (image pixels) your point may be from a gold point and still find it." }) tolerance: number;
  @Field(() => Int, { description: "Gold points with one of yours within the tolerance." }) found: number;
  @Field(() => Int, { description: "Gold points without." }) missed: number;
  @Field(() => Int, { description: "Your points that match no gold point." }) extra: number;
  @Field(() => Float, { nullable: true, description: "Mean distance in image pixels from each found gold point to yours; null when none was found." }) meanDistance: number | null;
  @Field(() => Float, { nullable: true, description: "2·found / (gold points + yours), the point analogue of Dice; null when neither has any." }) f1: number | null;
}

@ObjectType({
  description:
    "Your lines of a line class against the gold's: on each image matched one to one by the distance between their midpoints within the tolerance (as many pairs as possible, then the least total distance), and the found lines' lengths compared, yours minus the gold's.",
})
export class LineFeedback {
  @Field(() => Float, { description: "How far (image pixels) your line's midpoint may be from a gold line's and still find it." }) tolerance: number;
  @Field(() => Int, { description: "Gold lines with one of yours within the tolerance." }) found: number;
  @Field(() => Int, { description: "Gold lines without." }) missed: number;
  @Field(() => Int, { description: "Your lines that match no gold line." }) extra: number;
  @Field(() => Float, { nullable: true, description: "Mean of your length minus the gold's over the found lines, in image pixels (above 0: yours longer); null when none was found." })
  meanLengthDifference: number | null;
  @Field(() => Float, { nullable: true, description: "Mean absolute difference in length over the found lines, in image pixels; null when none was found." }) meanAbsLengthDifference: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "Mean of your length minus the gold's in millimetres (by the image's spacing along rows and along columns), over the found lines on images with a pixel spacing; null when none.",
  })
  meanLengthDifferenceMm: number | null;
  @Field(() => Float, { nullable: true, description: "Mean absolute difference in length in millimetres over the same lines; null when none." }) meanAbsLengthDifferenceMm: number | null;
  @Field(() => Float, { nullable: true, description: "2·found / (gold lines + yours), as for points; null when neither has any." }) f1: number | null;
}

@ObjectType()
export class RoiClassFeedback {
  @Field(() => ID) classId: string;
  @Field(() => String) className: string;
  @Field(() => Int, { description: "The gold's regions (points, for a point class; lines, for a line class)." }) goldRegions: number;
  @Field(() => Int, { description: "Your regions (points, for a point class; lines, for a line class)." }) myRegions: number;
  @Field(() => Float, {
    nullable: true,
    description: "Dice of your regions and the gold's, pooled over the case's images; null when neither has any, and for a point or line class (see points and lines).",
  })
  dice: number | null;
  @Field(() => PointFeedback, { nullable: true, description: "For a point class: your points against the gold's; null for other classes." }) points: PointFeedback | null;
  @Field(() => LineFeedback, { nullable: true, description: "For a line class: your lines against the gold's; null for other classes." }) lines: LineFeedback | null;
}

const roi = (r: RoiInput) =>
  Object.assign(new Roi(), { id: r.id ?? "", classId: r.classId, kind: r.kind, points: r.points, sopInstanceUid: r.sopInstanceUid ?? "", frame: r.frame ?? 1 });

@ObjectType({ description: "Your latest submission of a case against its gold standard." })
export class TrainingFeedback {
  @Field(() => ID) caseId: string;
  @Field(() => ID) projectId: string;
  @Field(() => ID) annotationId: string;
  @Field(() => Int) version: number;
  @Field(() => [LabelFeedback], { description: "Each gold label of the case." }) labels: LabelFeedback[];
  @Field(() => [GroupFeedback], { description: "Each label group's answer, in the labels' order." }) groups: GroupFeedback[];
  @Field(() => [Roi], { description: "The gold regions (the consensus layer)." }) goldRois: Roi[];
  @Field(() => [Roi]) myRois: Roi[];
  @Field(() => [RoiClassFeedback]) roiClasses: RoiClassFeedback[];
  @Field(() => TrainingScore) score: TrainingScore;

  static from(f: FeedbackData): TrainingFeedback {
    return Object.assign(new TrainingFeedback(), {
      caseId: f.caseId,
      projectId: f.projectId,
      annotationId: f.annotationId,
      version: f.version,
      labels: f.labels.map((l) => Object.assign(new LabelFeedback(), l)),
      groups: f.groups.map((g) => Object.assign(new GroupFeedback(), g)),
      goldRois: f.goldRois.map(roi),
      myRois: f.myRois.map(roi),
      roiClasses: f.roiClasses.map((c) =>
        Object.assign(new RoiClassFeedback(), { ...c, points: c.points && Object.assign(new PointFeedback(), c.points), lines: c.lines && Object.assign(new LineFeedback(), c.lines) }),
      ),
      score: TrainingScore.from(f.score),
    });
  }
}

@ObjectType()
export class GoldImportError {
  @Field(() => Int, { description: "Line of the CSV (the header is line 1)." }) line: number;
  @Field(() => String) message: string;
}

@ObjectType({ description: "Nothing is stored when any row is wrong; errors then names each." })
export class GoldImportResult {
  @Field(() => Int) imported: number;
  @Field(() => [GoldImportError]) errors: GoldImportError[];

  static from(r: GoldImportData): GoldImportResult {
    return Object.assign(new GoldImportResult(), { imported: r.imported, errors: r.errors.map((e) => Object.assign(new GoldImportError(), e)) });
  }
}
