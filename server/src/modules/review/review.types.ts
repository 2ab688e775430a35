import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { AgreementStats, GroupAgreement as GroupAgreementRow, LengthUnit, TimeSummary as TimeSummaryRow } from "./stats/index.js";
import { LabelGroup } from "../projects/projects.types.js";
import type {
  LabelAgreement as LabelAgreementRow,
  LineSummary as LineRow,
  PairLineSummary as PairLineRow,
  ModelOverlapResult,
  ModelVersusReaders,
  OperatingPoint as OperatingPointRow,
  OverlapSummary as OverlapRow,
  PointSummary as PointRow,
  ProjectAgreementResult,
  ReviewCell as ReviewCellRow,
  DiscrepancyOrder,
} from "./review.analysis.js";
import type { AdjudicationRow, AdjudicationVersionRow, CommentRow, ReaderRow, RegionSourcesRow, ReviewLabelRow } from "./review.repository.js";
import type { DiscrepancyPage as DiscrepancyPageRow, ReviewContext, ReviewEventKind, ReviewEventPayload, ReviewMatrixPage, ReviewService } from "./review.service.js";

export const DiscrepancyOrderEnum = { DISAGREEMENT: "DISAGREEMENT", UNCERTAINTY: "UNCERTAINTY", CASE_KEY: "CASE_KEY" } as const satisfies { [K in DiscrepancyOrder]: K };
registerEnumType(DiscrepancyOrderEnum, {
  name: "DiscrepancyOrder",
  description: "DISAGREEMENT: lowest share of the majority first. UNCERTAINTY: Dawid–Skene posterior nearest 0.5 first. CASE_KEY: by case key, then label order.",
});
export const ReviewEventKindEnum = { ADJUDICATED: "ADJUDICATED", ADJUDICATION_CLEARED: "ADJUDICATION_CLEARED", COMMENTED: "COMMENTED", ACCESS_REVOKED: "ACCESS_REVOKED" } as const satisfies {
  [K in ReviewEventKind]: K;
};
registerEnumType(ReviewEventKindEnum, { name: "ReviewEventKind" });
export const LengthUnitEnum = { MM: "MM", PX: "PX" } as const satisfies { [K in LengthUnit]: K };
registerEnumType(LengthUnitEnum, { name: "LengthUnit", description: "MM: millimetres, by the image's pixel spacing. PX: image pixels." });

type People = Map<string, ReaderRow>;

@ObjectType({ description: "A user named in review results." })
export class ReviewPerson {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;

  static of(id: string, people: People): ReviewPerson {
    return Object.assign(new ReviewPerson(), { id, name: people.get(id)?.name ?? "" });
  }
}

@ObjectType({ description: "A label or ROI class as review results name it." })
export class ReviewLabel {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String) color: string;
  @Field(() => String, { description: "CLASSIFICATION or ROI." }) kind: string;
  @Field(() => Boolean) archived: boolean;

  static from(l: ReviewLabelRow): ReviewLabel {
    return Object.assign(new ReviewLabel(), l);
  }
}

@ObjectType({ description: "Durations in seconds: mean with its 95 % confidence interval (t-based), median and quartiles." })
export class TimeSummary {
  @Field(() => Int) n: number;
  @Field(() => Float, { nullable: true }) mean: number | null;
  @Field(() => Float, { nullable: true, description: "Sample standard deviation; null for n < 2." }) sd: number | null;
  @Field(() => Float, { nullable: true }) ciLow: number | null;
  @Field(() => Float, { nullable: true }) ciHigh: number | null;
  @Field(() => Float, { nullable: true }) median: number | null;
  @Field(() => Float, { nullable: true }) q1: number | null;
  @Field(() => Float, { nullable: true }) q3: number | null;
  @Field(() => Float, { nullable: true }) iqr: number | null;
  @Field(() => Float, { nullable: true }) min: number | null;
  @Field(() => Float, { nullable: true }) max: number | null;

  static from(t: TimeSummaryRow): TimeSummary {
    const { ci95, ...rest } = t;
    return Object.assign(new TimeSummary(), { ...rest, ciLow: ci95?.[0] ?? null, ciHigh: ci95?.[1] ?? null });
  }
}

@ObjectType()
export class ReaderTime {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => TimeSummary) time: TimeSummary;
}

@ObjectType({ description: "Cohen's κ between two readers over the cells both voted on." })
export class ReaderPairKappa {
  @Field(() => ReviewPerson) readerA: ReviewPerson;
  @Field(() => ReviewPerson) readerB: ReviewPerson;
  @Field(() => Int) n: number;
  @Field(() => Float, { nullable: true }) agreement: number | null;
  @Field(() => Float, { nullable: true }) kappa: number | null;
}

@ObjectType({ description: "Agreement of readers' votes over cells (case × label)." })
export class AgreementSummary {
  @Field(() => Int, { description: "Cells with at least one vote." }) cells: number;
  @Field(() => Int) votes: number;
  @Field(() => Int) positiveVotes: number;
  @Field(() => Int, { description: "Cells with two votes or more: the only ones that can agree or disagree." }) cellsWith2Plus: number;
  @Field(() => Int) allPositive: number;
  @Field(() => Int) allNegative: number;
  @Field(() => Int) mixed: number;
  @Field(() => Float, { nullable: true }) unanimityRate: number | null;
  @Field(() => Float, { nullable: true }) meanPairwiseAgreement: number | null;
  @Field(() => Float, { nullable: true }) fleissKappa: number | null;
  @Field(() => Float, { nullable: true, description: "Krippendorff's α, nominal." }) krippendorffAlpha: number | null;
  @Field(() => Float, { nullable: true, description: "Krippendorff's α, ordinal, over confidence grades; null when none was given." }) confidenceAlpha: number | null;
  @Field(() => [ReaderPairKappa]) readerPairs: ReaderPairKappa[];

  static from(s: AgreementStats, people: People): AgreementSummary {
    return Object.assign(new AgreementSummary(), {
      cells: s.cells,
      votes: s.votes,
      positiveVotes: s.positiveVotes,
      cellsWith2Plus: s.cellsWith2Plus,
      allPositive: s.allPositive,
      allNegative: s.allNegative,
      mixed: s.mixed,
      unanimityRate: s.unanimityRate,
      meanPairwiseAgreement: s.meanPairwiseAgreement,
      fleissKappa: s.fleissKappa,
      krippendorffAlpha: s.krippendorffAlpha,
      confidenceAlpha: s.confidenceAlpha,
      readerPairs: s.readerPairs.map((p) =>
        Object.assign(new ReaderPairKappa(), { readerA: ReviewPerson.of(p.readerA, people), readerB: ReviewPerson.of(p.readerB, people), n: p.n, agreement: p.agreement, kappa: p.kappa }),
      ),
    });
  }
}

@ObjectType({ description: "A reader's reliability on a label by Dawid–Skene: P(says true | true), P(says false | false)." })
export class ReaderReliability {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => Float) sensitivity: number;
  @Field(() => Float) specificity: number;
  @Field(() => Int) votes: number;
}

@ObjectType({ description: "Dawid–Skene truth estimate of one label." })
export class DawidSkeneSummary {
  @Field(() => Float) prevalence: number;
  @Field(() => Boolean) converged: boolean;
  @Field(() => Int) iterations: number;
  @Field(() => [ReaderReliability]) readers: ReaderReliability[];
}

@ObjectType()
export class LabelAgreement {
  @Field(() => ReviewLabel) label: ReviewLabel;
  @Field(() => AgreementSummary) agreement: AgreementSummary;
  @Field(() => DawidSkeneSummary, { nullable: true }) dawidSkene: DawidSkeneSummary | null;
  @Field(() => TimeSummary, { description: "Seconds spent on the label (from the label clicks' timing)." }) time: TimeSummary;
  @Field(() => [ReaderTime]) readerTimes: ReaderTime[];
}

@ObjectType({ description: "Two readers' answers to a label group on the cases both answered." })
export class GroupReaderPair {
  @Field(() => ReviewPerson) readerA: ReviewPerson;
  @Field(() => ReviewPerson) readerB: ReviewPerson;
  @Field(() => Int) n: number;
  @Field(() => Float, { nullable: true }) agreement: number | null;
  @Field(() => Float, { nullable: true, description: "Cohen's κ over the group's answers." }) kappa: number | null;
  @Field(() => Float, { nullable: true, description: "Ordinal groups: Cohen's κ with quadratic weights; null otherwise." }) weightedKappa: number | null;
}

@ObjectType()
export class GroupReaderCounts {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => [Int], { description: "How often the reader gave each answer, in the order of the categories." }) counts: number[];
}

@ObjectType()
export class GroupReaderAccuracy {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => Float, { description: "Estimated share of the reader's answers that are the true category." }) accuracy: number;
  @Field(() => Int) votes: number;
}

@ObjectType({ description: "Dawid–Skene over the group's answers: every category a class." })
export class GroupDawidSkene {
  @Field(() => [Float], { description: "Estimated share of cases in each category, in the order of the categories." }) prevalence: number[];
  @Field(() => Boolean) converged: boolean;
  @Field(() => Int) iterations: number;
  @Field(() => [GroupReaderAccuracy]) readers: GroupReaderAccuracy[];
}

@ObjectType({
  description:
    "Agreement of readers' answers to a label group: each reader's answer on a case is the group's label they gave as present, or none of them where the group is not required.",
})
export class LabelGroupAgreement {
  @Field(() => LabelGroup) group: LabelGroup;
  @Field(() => [ReviewLabel], { nullable: "items", description: "The answers in order: the group's labels, then null (none of them) unless the group is required." })
  categories: Array<ReviewLabel | null>;
  @Field(() => Int, { description: "Answers counted: one per case and reader." }) answers: number;
  @Field(() => Int, {
    description: "Readings left out: more than one of the group's labels present (given before the group was made), or none in a required group.",
  })
  invalid: number;
  @Field(() => Int) cases: number;
  @Field(() => Int) casesWith2Plus: number;
  @Field(() => Float, { nullable: true }) unanimityRate: number | null;
  @Field(() => Float, { nullable: true }) meanPairwiseAgreement: number | null;
  @Field(() => Float, { nullable: true }) fleissKappa: number | null;
  @Field(() => Float, { nullable: true, description: "Krippendorff's α, nominal." }) krippendorffAlpha: number | null;
  @Field(() => Float, { nullable: true, description: "Ordinal groups: Krippendorff's α, ordinal, over the labels' ranks (answers of none left out); null otherwise." })
  krippendorffAlphaOrdinal: number | null;
  @Field(() => Float, { nullable: true, description: "Ordinal groups: the mean over reader pairs of the quadratic-weighted κ; null otherwise." }) meanWeightedKappa: number | null;
  @Field(() => [GroupReaderPair]) readerPairs: GroupReaderPair[];
  @Field(() => [[Int]], {
    description: "confusion[i][j]: how often two readers of one case answered i and j (every pair of readers, both ways round, so the matrix is symmetric), in the order of the categories.",
  })
  confusion: number[][];
  @Field(() => [GroupReaderCounts]) readerCounts: GroupReaderCounts[];
  @Field(() => GroupDawidSkene, { nullable: true }) dawidSkene: GroupDawidSkene | null;

  static from(g: GroupAgreementRow, group: LabelGroup, label: (id: string) => ReviewLabel, people: People): LabelGroupAgreement {
    return Object.assign(new LabelGroupAgreement(), {
      ...g,
      group,
      categories: g.categories.map((id) => (id === null ? null : label(id))),
      readerPairs: g.readerPairs.map((p) =>
        Object.assign(new GroupReaderPair(), { ...p, readerA: ReviewPerson.of(p.readerA, people), readerB: ReviewPerson.of(p.readerB, people) }),
      ),
      readerCounts: g.readerCounts.map((r) => Object.assign(new GroupReaderCounts(), { reader: ReviewPerson.of(r.readerId, people), counts: r.counts })),
      dawidSkene: g.dawidSkene
        ? Object.assign(new GroupDawidSkene(), {
            ...g.dawidSkene,
            readers: g.dawidSkene.readers.map((r) => Object.assign(new GroupReaderAccuracy(), { reader: ReviewPerson.of(r.readerId, people), accuracy: r.accuracy, votes: r.votes })),
          })
        : null,
    });
  }
}

@ObjectType()
export class GroupCaseAnswer {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => Int, { description: "Index into the page's categories." }) category: number;
  @Field(() => ReviewLabel, { nullable: true, description: "The label answered; null for none of them." }) label: ReviewLabel | null;
}

@ObjectType({ description: "A case and each reader's answer to a label group on it." })
export class GroupCase {
  @Field(() => ID) caseId: string;
  @Field(() => String) caseKey: string;
  @Field(() => [GroupCaseAnswer]) answers: GroupCaseAnswer[];
  @Field(() => Int, {
    description: "Ordinal groups: the steps between the lowest and the highest answer (none of them one step past the last label); otherwise the number of different answers less one.",
  })
  spread: number;
}

@ObjectType()
export class GroupCasePage {
  @Field(() => LabelGroup) group: LabelGroup;
  @Field(() => [ReviewLabel], { nullable: "items", description: "The answers in order, as in LabelGroupAgreement: null for none of them." }) categories: Array<ReviewLabel | null>;
  @Field(() => [GroupCase]) items: GroupCase[];
  @Field(() => Int) total: number;
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;

  static from(p: Awaited<ReturnType<ReviewService["groupCases"]>>): GroupCasePage {
    const labelOf = new Map(p.context.labels.map((l) => [l.id, ReviewLabel.from(l)]));
    const categories = p.categories.map((id) => (id === null ? null : (labelOf.get(id) ?? null)));
    return Object.assign(new GroupCasePage(), {
      group: LabelGroup.from(p.group),
      categories,
      items: p.items.map((c) =>
        Object.assign(new GroupCase(), {
          caseId: c.caseId,
          caseKey: c.caseKey,
          spread: c.spread,
          answers: c.answers.map(([readerId, category]) =>
            Object.assign(new GroupCaseAnswer(), { reader: ReviewPerson.of(readerId, p.context.people), category, label: categories[category] ?? null }),
          ),
        }),
      ),
      total: p.total,
      endCursor: p.endCursor,
      hasNextPage: p.hasNextPage,
    });
  }
}

@ObjectType({ description: "Dice and IoU of readers' regions: one comparison per image, ROI class and reader pair where either drew a region." })
export class OverlapSummary {
  @Field(() => Int) n: number;
  @Field(() => Float, { nullable: true }) meanDice: number | null;
  @Field(() => Float, { nullable: true }) meanIou: number | null;
  @Field(() => Float, { nullable: true }) medianDice: number | null;

  static from(o: OverlapRow): OverlapSummary {
    return Object.assign(new OverlapSummary(), { n: o.n, meanDice: o.meanDice, meanIou: o.meanIou, medianDice: o.medianDice });
  }
}

@ObjectType({ description: "How many matched pairs of points are at most a radius apart: one radius of a success detection rate." })
export class DistanceWithin {
  @Field(() => Float) radiusMm: number;
  @Field(() => Int, { description: "Matched pairs measured in mm at most radiusMm apart." }) pairs: number;
  @Field(() => Float, { nullable: true, description: "Their share of the matched pairs measured in mm (matchedInMm); null when there are none." }) share: number | null;
}

@ObjectType({
  description:
    "Agreement of readers' points (landmarks) of point classes: on each image (and frame), the two readers' points matched one to one within the tolerance (as many pairs as possible, then the least total distance). One comparison per image, point class and reader pair where either marked a point.",
})
export class PointAgreement {
  @Field(() => Int, { description: "Comparisons (image × point class × reader pair)." }) n: number;
  @Field(() => Int, { description: "Pairs of points within the tolerance, over all comparisons." }) matched: number;
  @Field(() => Int, { description: "Points of either reader left without a partner within the tolerance, over all comparisons." }) unmatched: number;
  @Field(() => Float, {
    nullable: true,
    description: "Mean over the comparisons of F1 = 2·matched / (both readers' points), the point analogue of Dice: a reader without points where the other marked some scores 0.",
  })
  meanF1: number | null;
  @Field(() => Float, { nullable: true, description: "Median over the comparisons of F1." }) medianF1: number | null;
  @Field(() => Float, { nullable: true, description: "Mean distance of the matched pairs in image pixels; null when none matched." }) meanDistance: number | null;
  @Field(() => Float, { nullable: true, description: "Median distance of the matched pairs in image pixels; null when none matched." }) medianDistance: number | null;
  @Field(() => Int, { description: "The matched pairs on images with a pixel spacing (Pixel Spacing, else a radiograph's Imager Pixel Spacing, corrected by its magnification factor where given): those the distances in mm are over." })
  matchedInMm: number;
  @Field(() => Float, { nullable: true, description: "Mean distance of those pairs in millimetres (the mean radial error of landmark studies); null when none." }) meanDistanceMm: number | null;
  @Field(() => Float, { nullable: true, description: "Median distance of those pairs in millimetres; null when none." }) medianDistanceMm: number | null;
  @Field(() => [DistanceWithin], {
    description:
      "The success detection rate of landmark studies, here between readers: for 2, 2.5, 3 and 4 mm, the share of the matched pairs measured in mm that are at most that far apart. Points left without a partner are counted by unmatched, not here.",
  })
  withinMm: DistanceWithin[];

  static from(p: PointRow | null): PointAgreement | null {
    return p && Object.assign(new PointAgreement(), p);
  }
}

@ObjectType({
  description:
    "Agreement of readers' lines (stored lengths) of line classes: on each image (and frame), the two readers' lines matched one to one by the distance between their midpoints, within the point tolerance (as many pairs as possible, then the least total distance), and the matched pairs' lengths compared. One comparison per image, line class and reader pair where either drew a line.",
})
export class LineAgreement {
  @Field(() => Int, { description: "Comparisons (image × line class × reader pair)." }) n: number;
  @Field(() => Int, { description: "Pairs of lines with midpoints within the tolerance, over all comparisons." }) matched: number;
  @Field(() => Int, { description: "Lines of either reader left without a partner within the tolerance, over all comparisons." }) unmatched: number;
  @Field(() => Float, { nullable: true, description: "Mean over the comparisons of F1 = 2·matched / (both readers' lines), as for points: a reader without lines where the other drew some scores 0." })
  meanF1: number | null;
  @Field(() => Float, { nullable: true, description: "Median over the comparisons of F1." }) medianF1: number | null;
  @Field(() => Float, { nullable: true, description: "Mean absolute difference in length of the matched pairs, in image pixels; null when none matched." }) meanAbsLengthDifference: number | null;
  @Field(() => Int, { description: "The matched pairs on images with a pixel spacing (as for points' distances): those the length differences in mm are over." }) matchedInMm: number;
  @Field(() => Float, {
    nullable: true,
    description: "Mean absolute difference in length of those pairs in millimetres, each length by its image's spacing along rows and along columns; null when none.",
  })
  meanAbsLengthDifferenceMm: number | null;

  static from(l: LineRow | null): LineAgreement | null {
    return l && Object.assign(new LineAgreement(), {
      n: l.n,
      matched: l.matched,
      unmatched: l.unmatched,
      meanF1: l.meanF1,
      medianF1: l.medianF1,
      meanAbsLengthDifference: l.meanAbsLengthDifference,
      matchedInMm: l.matchedInMm,
      meanAbsLengthDifferenceMm: l.meanAbsLengthDifferenceMm,
    });
  }
}

@ObjectType({ description: "One matched pair of lines on a Bland–Altman plot." })
export class BlandAltmanPoint {
  @Field(() => Float, { description: "The mean of the pair's two lengths (the plot's x)." }) mean: number;
  @Field(() => Float, { description: "Reader A's length minus reader B's (the plot's y)." }) difference: number;
}

@ObjectType({
  description:
    "Bland–Altman figures of two readers' lengths: reader A's minus reader B's over their matched lines, in millimetres when every matched pair lies on an image with a pixel spacing, else in image pixels.",
})
export class LengthBlandAltman {
  @Field(() => LengthUnitEnum, { description: "The unit of bias, sd and the limits." }) unit: LengthUnit;
  @Field(() => Int, { description: "The matched pairs it is over." }) n: number;
  @Field(() => Float, { nullable: true, description: "The mean difference (A − B); null without a matched pair." }) bias: number | null;
  @Field(() => Float, { nullable: true, description: "Standard deviation of the differences (n − 1 in the denominator); null with fewer than 2 pairs." }) sd: number | null;
  @Field(() => Float, { nullable: true, description: "bias − 1.96 sd, the lower 95 % limit of agreement; null with fewer than 2 pairs." }) lowerLimit: number | null;
  @Field(() => Float, { nullable: true, description: "bias + 1.96 sd, the upper 95 % limit of agreement; null with fewer than 2 pairs." }) upperLimit: number | null;
  @Field(() => [BlandAltmanPoint], { description: "Each matched pair as a point of the Bland–Altman plot, in the same unit; the first 2,000 (the figures are over all n)." })
  points: BlandAltmanPoint[];
}

@ObjectType({ description: "A reader pair's lines: the class figures, and the Bland–Altman figures of reader A's lengths minus reader B's." })
export class PairLineAgreement extends LineAgreement {
  @Field(() => LengthBlandAltman) blandAltman: LengthBlandAltman;

  static fromPair(l: PairLineRow | null): PairLineAgreement | null {
    return l && Object.assign(new PairLineAgreement(), LineAgreement.from(l), { blandAltman: Object.assign(new LengthBlandAltman(), l.blandAltman) });
  }
}

@ObjectType()
export class ClassOverlap {
  @Field(() => ReviewLabel) roiClass: ReviewLabel;
  @Field(() => OverlapSummary, { description: "Dice and IoU of a class of areas; for a point or line class n is 0 (compared in points or lines)." }) overlap: OverlapSummary;
  @Field(() => PointAgreement, { nullable: true, description: "The matching of a point class's points; null for other classes." }) points: PointAgreement | null;
  @Field(() => LineAgreement, { nullable: true, description: "The matching of a line class's lines and their lengths; null for other classes." }) lines: LineAgreement | null;
}

@ObjectType()
export class PairOverlap {
  @Field(() => ReviewPerson) readerA: ReviewPerson;
  @Field(() => ReviewPerson) readerB: ReviewPerson;
  @Field(() => OverlapSummary, { description: "Dice and IoU over the classes of areas; n 0 when the two compared only points or lines." }) overlap: OverlapSummary;
  @Field(() => PointAgreement, { nullable: true, description: "The matching of their points over the point classes; null when they compared none." }) points: PointAgreement | null;
  @Field(() => PairLineAgreement, { nullable: true, description: "The matching of their lines over the line classes, with the Bland–Altman figures of their lengths; null when they compared none." })
  lines: PairLineAgreement | null;
}

@ObjectType({ description: "Agreement, truth estimates and time statistics over readers' latest submissions." })
export class ProjectAgreement {
  @Field(() => ID) projectId: string;
  @Field(() => [ReviewPerson]) readers: ReviewPerson[];
  @Field(() => [LabelAgreement]) labels: LabelAgreement[];
  @Field(() => [LabelGroupAgreement], { description: "Each label group's answers compared (groups whose labels were all asked for, when labelIds is given)." })
  groups: LabelGroupAgreement[];
  @Field(() => AgreementSummary) pooled: AgreementSummary;
  @Field(() => TimeSummary) time: TimeSummary;
  @Field(() => [ReaderTime]) readerTimes: ReaderTime[];
  @Field(() => [ClassOverlap]) roiClasses: ClassOverlap[];
  @Field(() => [PairOverlap]) roiPairs: PairOverlap[];
  @Field(() => Int, { description: "Region comparisons left out because the image's size is unknown (points and lines need no size)." }) roiSkipped: number;
  @Field(() => Float, {
    description: "The distance in image pixels within which two readers' points count as the same landmark, and two readers' lines (by their midpoints) as the same measurement (the query's pointTolerance).",
  })
  pointTolerance: number;

  static from(projectId: string, r: ProjectAgreementResult, ctx: ReviewContext): ProjectAgreement {
    const people = ctx.people;
    const labelOf = new Map(ctx.labels.map((l) => [l.id, l]));
    const label = (id: string) => ReviewLabel.from(labelOf.get(id) ?? { id, name: "", color: "#000000", kind: "CLASSIFICATION", archived: true });
    const time = (rows: Array<{ readerId: string } & TimeSummaryRow>) =>
      rows.map(({ readerId, ...t }) => Object.assign(new ReaderTime(), { reader: ReviewPerson.of(readerId, people), time: TimeSummary.from(t) }));
    return Object.assign(new ProjectAgreement(), {
      projectId,
      readers: ctx.readers.map((p) => ReviewPerson.of(p.id, people)),
      labels: r.labels.map((l: LabelAgreementRow) =>
        Object.assign(new LabelAgreement(), {
          label: label(l.labelId),
          agreement: AgreementSummary.from(l.agreement, people),
          dawidSkene: l.dawidSkene
            ? Object.assign(new DawidSkeneSummary(), {
                prevalence: l.dawidSkene.prevalence,
                converged: l.dawidSkene.converged,
                iterations: l.dawidSkene.iterations,
                readers: l.dawidSkene.readers.map((x) => Object.assign(new ReaderReliability(), { reader: ReviewPerson.of(x.readerId, people), sensitivity: x.sensitivity, specificity: x.specificity, votes: x.votes })),
              })
            : null,
          time: TimeSummary.from(l.time),
          readerTimes: time(l.readerTimes),
        }),
      ),
      groups: r.groups.flatMap((g) => {
        const group = ctx.groups?.find((x) => x.id === g.groupId);
        return group ? [LabelGroupAgreement.from(g, LabelGroup.from(group), label, people)] : [];
      }),
      pooled: AgreementSummary.from(r.pooled, people),
      time: TimeSummary.from(r.time),
      readerTimes: time(r.readerTimes),
      roiClasses: r.roiClasses.map((c) =>
        Object.assign(new ClassOverlap(), { roiClass: label(c.classId), overlap: OverlapSummary.from(c), points: PointAgreement.from(c.points), lines: LineAgreement.from(c.lines) }),
      ),
      roiPairs: r.roiPairs.map((p) =>
        Object.assign(new PairOverlap(), {
          readerA: ReviewPerson.of(p.readerA, people),
          readerB: ReviewPerson.of(p.readerB, people),
          overlap: OverlapSummary.from(p),
          points: PointAgreement.from(p.points),
          lines: PairLineAgreement.fromPair(p.lines),
        }),
      ),
      roiSkipped: r.roiSkipped,
      pointTolerance: r.pointTolerance,
    });
  }
}

@ObjectType({ description: "Where a reader's submitted regions on the cases a segmentation model ran on came from." })
export class RegionSources {
  @Field(() => Int, { description: "Taken from this model version's suggestion and kept as suggested." }) asSuggested: number;
  @Field(() => Int, { description: "Taken from this model version's suggestion, then changed (moved, reshaped or reclassified)." }) changed: number;
  @Field(() => Int, { description: "Drawn by the reader, or taken from another model." }) other: number;
}

@ObjectType()
export class ReaderOverlap {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => OverlapSummary) overlap: OverlapSummary;
  @Field(() => RegionSources, { description: "The reader's regions on these cases by where they came from: how much of the model's work they accepted." }) regions: RegionSources;
}

@ObjectType({ description: "A segmentation model's suggested regions against each reader's latest submitted regions, on the cases it ran on." })
export class ModelRoiAgreement {
  @Field(() => ID) projectId: string;
  @Field(() => ID) modelVersionId: string;
  @Field(() => Int, { description: "Cases the model ran on that readers submitted." }) cases: number;
  @Field(() => [ClassOverlap], {
    description: "Per ROI class of areas, over every reader (points and lines are null: a segmentation model marks neither, and point and line classes are left out).",
  })
  roiClasses: ClassOverlap[];
  @Field(() => [ReaderOverlap], { description: "Each reader against the model." }) readers: ReaderOverlap[];
  @Field(() => Int, { description: "Comparisons left out because the image's size is unknown." }) roiSkipped: number;

  static from(projectId: string, modelVersionId: string, r: ModelOverlapResult, sources: readonly RegionSourcesRow[], ctx: ReviewContext): ModelRoiAgreement {
    const labelOf = new Map(ctx.labels.map((l) => [l.id, l]));
    const sourcesOf = new Map(sources.map(({ readerId, ...counts }) => [readerId, counts]));
    const regions = (readerId: string) => Object.assign(new RegionSources(), sourcesOf.get(readerId) ?? { asSuggested: 0, changed: 0, other: 0 });
    const label = (id: string) => ReviewLabel.from(labelOf.get(id) ?? { id, name: "", color: "#000000", kind: "ROI", archived: true });
    return Object.assign(new ModelRoiAgreement(), {
      projectId,
      modelVersionId,
      cases: r.cases,
      roiClasses: r.roiClasses.map((c) => Object.assign(new ClassOverlap(), { roiClass: label(c.classId), overlap: OverlapSummary.from(c), points: null, lines: null })),
      readers: r.readers.map((x) => Object.assign(new ReaderOverlap(), { reader: ReviewPerson.of(x.readerId, ctx.people), overlap: OverlapSummary.from(x), regions: regions(x.readerId) })),
      roiSkipped: r.roiSkipped,
    });
  }
}

@ObjectType({ description: "A corner of an ROC curve: calling positive every case scoring at least the threshold." })
export class RocPoint {
  @Field(() => Float, { nullable: true, description: "Null for the curve's start, where no case is called positive." }) threshold: number | null;
  @Field(() => Float) falsePositiveRate: number;
  @Field(() => Float) truePositiveRate: number;
}

@ObjectType({ description: "Calls on a set of cases against a reference: sensitivity and specificity." })
export class OperatingPoint {
  @Field(() => Int) cases: number;
  @Field(() => Int, { description: "Cases the reference calls positive." }) positives: number;
  @Field(() => Float, { nullable: true, description: "Null without a positive case." }) sensitivity: number | null;
  @Field(() => Float, { nullable: true, description: "Null without a negative case." }) specificity: number | null;

  static from(p: OperatingPointRow): OperatingPoint {
    return Object.assign(new OperatingPoint(), { cases: p.cases, positives: p.positives, sensitivity: p.sensitivity, specificity: p.specificity });
  }
}

@ObjectType({ description: "A reader's votes on the cases a model is judged on, against the reference without their own vote." })
export class ReaderOperatingPoint extends OperatingPoint {
  @Field(() => ReviewPerson) reader: ReviewPerson;
}

@ObjectType({
  description:
    "A classifier against the readers on one label. The reference is the adjudication, else the readers' strict majority (ties left out); a reader is judged against the others' majority.",
})
export class ModelReaderComparison {
  @Field(() => ID) modelVersionId: string;
  @Field(() => ReviewLabel) label: ReviewLabel;
  @Field(() => Boolean, { description: "True for a version trained here: judged on its held-out cases only, as it learnt the others." }) heldOutOnly: boolean;
  @Field(() => Int, { description: "Cases with the model's output and a reference." }) cases: number;
  @Field(() => Int) positives: number;
  @Field(() => Float, { nullable: true, description: "Area under the model's ROC curve; null without both classes." }) auc: number | null;
  @Field(() => Float, { nullable: true, description: "DeLong's 95% confidence interval of the area; null with fewer than two cases of either class." }) aucLow: number | null;
  @Field(() => Float, { nullable: true }) aucHigh: number | null;
  @Field(() => [RocPoint]) curve: RocPoint[];
  @Field(() => OperatingPoint, { description: "The model calling positive at a probability of 0.5 or more." }) atHalf: OperatingPoint;
  @Field(() => [ReaderOperatingPoint]) readers: ReaderOperatingPoint[];

  static from(modelVersionId: string, labelId: string, r: ModelVersusReaders, heldOutOnly: boolean, ctx: ReviewContext): ModelReaderComparison {
    const label = ctx.labels.find((l) => l.id === labelId)!;
    return Object.assign(new ModelReaderComparison(), {
      modelVersionId,
      label: ReviewLabel.from(label),
      heldOutOnly,
      cases: r.cases,
      positives: r.positives,
      auc: r.auc,
      aucLow: r.aucLow,
      aucHigh: r.aucHigh,
      curve: r.curve.map((p) => Object.assign(new RocPoint(), p)),
      atHalf: OperatingPoint.from(r.atHalf),
      readers: r.readers.map((x) => Object.assign(new ReaderOperatingPoint(), OperatingPoint.from(x), { reader: ReviewPerson.of(x.readerId, ctx.people) })),
    });
  }
}

// ---- heatmap and discrepancies

@ObjectType({ description: "The consensus value a reviewer decided for a case and label; it overrides the majority (exports too)." })
export class Adjudication {
  @Field(() => ID) caseId: string;
  @Field(() => ID) labelId: string;
  @Field(() => Boolean) value: boolean;
  @Field(() => String) note: string;
  @Field(() => ReviewPerson, { nullable: true }) adjudicatedBy: ReviewPerson | null;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => Int, { description: "1 for the first decision on the cell; every change and clearing adds one." }) version: number;

  static from(a: AdjudicationRow, people: People): Adjudication {
    return Object.assign(new Adjudication(), {
      caseId: a.caseId,
      labelId: a.labelId,
      value: a.value,
      note: a.note,
      adjudicatedBy: a.adjudicatedBy ? ReviewPerson.of(a.adjudicatedBy, people) : null,
      at: a.at,
      version: a.version,
    });
  }
}

@ObjectType({ description: "One step of a cell's adjudication history; value null: cleared." })
export class AdjudicationVersion {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => ID) labelId: string;
  @Field(() => Int) version: number;
  @Field(() => Boolean, { nullable: true }) value: boolean | null;
  @Field(() => String) note: string;
  @Field(() => ReviewPerson, { nullable: true }) adjudicatedBy: ReviewPerson | null;
  @Field(() => GraphQLISODateTime) at: Date;

  static from(v: AdjudicationVersionRow, people: People): AdjudicationVersion {
    return Object.assign(new AdjudicationVersion(), { ...v, adjudicatedBy: v.adjudicatedBy ? ReviewPerson.of(v.adjudicatedBy, people) : null });
  }
}

@ObjectType()
export class ReviewVote {
  @Field(() => ReviewPerson) reader: ReviewPerson;
  @Field(() => Boolean) value: boolean;
  @Field(() => Int, { nullable: true }) confidence: number | null;
}

@ObjectType({ description: "A case × label cell: each reader's latest submitted vote and what they add up to." })
export class ReviewCell {
  @Field(() => ID) caseId: string;
  @Field(() => String) caseKey: string;
  @Field(() => ID) labelId: string;
  @Field(() => [ReviewVote]) votes: ReviewVote[];
  @Field(() => Int) positives: number;
  @Field(() => Int) negatives: number;
  @Field(() => Boolean, { nullable: true, description: "Strict majority; null on a tie." }) majority: boolean | null;
  @Field(() => Float, { description: "Share of the votes that hold the majority value (0.5 to 1)." }) agreement: number;
  @Field(() => Float, { nullable: true, description: "Dawid–Skene P(true), fitted over all of the label's votes in the project." }) posterior: number | null;
  @Field(() => Adjudication, { nullable: true }) adjudication: Adjudication | null;
  @Field(() => Boolean, { nullable: true, description: "The adjudicated value where there is one, else the majority." }) consensus: boolean | null;

  static from(c: ReviewCellRow, people: People): ReviewCell {
    return Object.assign(new ReviewCell(), {
      caseId: c.caseId,
      caseKey: c.caseKey,
      labelId: c.labelId,
      votes: c.votes.map((v) => Object.assign(new ReviewVote(), { reader: ReviewPerson.of(v.readerId, people), value: v.value, confidence: v.confidence })),
      positives: c.positives,
      negatives: c.negatives,
      majority: c.majority,
      agreement: c.agreement,
      posterior: c.posterior,
      adjudication: c.adjudication ? Adjudication.from(c.adjudication, people) : null,
      consensus: c.adjudication ? c.adjudication.value : c.majority,
    });
  }
}

@ObjectType()
export class ReviewMatrixRow {
  @Field(() => ID) caseId: string;
  @Field(() => String) caseKey: string;
  @Field(() => [ReviewCell], { description: "Cells with at least one vote, in label order." }) cells: ReviewCell[];
}

@ObjectType({ description: "A page of the heatmap: read cases (by key) × classification labels." })
export class ReviewMatrix {
  @Field(() => [ReviewLabel]) labels: ReviewLabel[];
  @Field(() => [ReviewPerson]) readers: ReviewPerson[];
  @Field(() => [ReviewMatrixRow]) rows: ReviewMatrixRow[];
  @Field(() => Int, { description: "Cases with at least one submitted reading." }) totalCases: number;
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;

  static from(p: ReviewMatrixPage): ReviewMatrix {
    return Object.assign(new ReviewMatrix(), {
      labels: p.labels.map(ReviewLabel.from),
      readers: p.readers.map((r) => ReviewPerson.of(r.id, p.people)),
      rows: p.rows.map((r) => Object.assign(new ReviewMatrixRow(), { caseId: r.caseId, caseKey: r.caseKey, cells: r.cells.map((c) => ReviewCell.from(c, p.people)) })),
      totalCases: p.totalCases,
      endCursor: p.endCursor,
      hasNextPage: p.hasNextPage,
    });
  }
}

@ObjectType({ description: "A page of the cells where readers disagree." })
export class DiscrepancyPage {
  @Field(() => [ReviewLabel]) labels: ReviewLabel[];
  @Field(() => [ReviewCell]) items: ReviewCell[];
  @Field(() => Int) total: number;
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;

  static from(p: DiscrepancyPageRow): DiscrepancyPage {
    return Object.assign(new DiscrepancyPage(), {
      labels: p.labels.map(ReviewLabel.from),
      items: p.items.map((c) => ReviewCell.from(c, p.people)),
      total: p.total,
      endCursor: p.endCursor,
      hasNextPage: p.hasNextPage,
    });
  }
}

// ---- comments and events

@ObjectType({ description: "A comment on a case, seen by whoever may see others' work on it." })
export class CaseComment {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => ReviewPerson, { nullable: true }) author: ReviewPerson | null;
  @Field(() => String) body: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;

  static from(c: CommentRow, people: People): CaseComment {
    return Object.assign(new CaseComment(), { id: c.id, caseId: c.caseId, author: c.authorId ? ReviewPerson.of(c.authorId, people) : null, body: c.body, createdAt: c.createdAt });
  }
}

@ObjectType({ description: "An adjudication or comment in a project. Ids only; fetch what you may see." })
export class ReviewEvent {
  @Field(() => ReviewEventKindEnum) kind: ReviewEventKind;
  @Field(() => ID) projectId: string;
  @Field(() => ID, { nullable: true }) caseId: string | null;
  @Field(() => ID, { nullable: true }) labelId: string | null;
  @Field(() => ID, { nullable: true }) commentId: string | null;
  @Field(() => ID, { nullable: true }) actorId: string | null;
  @Field(() => GraphQLISODateTime) at: Date;

  static from(p: ReviewEventPayload): ReviewEvent {
    return Object.assign(new ReviewEvent(), { ...p, at: new Date(p.at) });
  }
}
