import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { CASE_PROGRESS, MY_READINGS, type CaseProgress, type CaseRow, type MyReading } from "./cases.repository.js";
import { CASE_SPLITS, type CaseSplit } from "./splits.js";
import { EXCLUSION_REASONS, type CaseExclusionInfo, type ExclusionReason } from "./exclusions.js";
import { CaseKeySourceEnum } from "../projects/projects.types.js";
import type { CaseKeyMappingInfo, CasePage, MappingImportOutcome, ReportImportOutcome } from "./cases.service.js";
import type { AssignedReaderRow } from "../assignments/assignments.service.js";
import { enumOf } from "../../graphql/enums.js";

export const MyReadingEnum = enumOf<MyReading>(MY_READINGS);
registerEnumType(MyReadingEnum, {
  name: "MyReading",
  description: "Where you stand with a case.",
  valuesConfig: {
    NOT_STARTED: { description: "You have neither read nor skipped it." },
    DRAFT: { description: "Your reading of it is a draft." },
    SUBMITTED: { description: "You have submitted it (a revision may be open)." },
    SKIPPED: { description: "You skipped it: the queue does not hand it to you." },
  },
});

export const CaseSplitEnum = enumOf<CaseSplit>(CASE_SPLITS);
registerEnumType(CaseSplitEnum, {
  name: "CaseSplit",
  description: "A dataset split (Project.datasetSplit): what a model learns from, what chooses between its versions, what measures it.",
  valuesConfig: {
    TRAIN: { description: "Training." },
    VALIDATION: { description: "Validation (tuning, choosing between versions)." },
    TEST: { description: "Test: the measure of a finished model, never learnt from." },
  },
});

export const CaseProgressEnum = enumOf<CaseProgress>(CASE_PROGRESS);
registerEnumType(CaseProgressEnum, {
  name: "CaseProgress",
  description: "How far the reading of a case in the project has come.",
  valuesConfig: {
    COMPLETE: { description: "As many readers have submitted it as the project wants." },
    PARTLY_READ: { description: "Some readers have submitted it, not all." },
    UNREAD: { description: "No reader has submitted it yet." },
    BLOCKED: { description: "Not complete, and can no longer be: too few members who may annotate have neither submitted nor skipped it (ReadingProgress.blockedCases)." },
  },
});

export const ExclusionReasonEnum = enumOf<ExclusionReason>(EXCLUSION_REASONS);
registerEnumType(ExclusionReasonEnum, {
  name: "ExclusionReason",
  description: "Why a manager excluded a case from its project.",
  valuesConfig: {
    IMAGE_QUALITY: { description: "The image is not of diagnostic quality." },
    WRONG_IMAGE: { description: "Not the image the project is about: another body part, view or modality." },
    DUPLICATE: { description: "The same image or study as another case." },
    INCLUSION_CRITERIA: { description: "The case does not meet the study's inclusion criteria." },
    OTHER: { description: "Another reason, which the note gives." },
  },
});

@ObjectType({
  description:
    "A manager's exclusion of a case from its project: its images, readings and history are kept, but the queue no longer hands it out, nothing more is written to it, " +
    "and progress, the review's statistics, reward epochs, exports and training leave it out.",
})
export class CaseExclusion {
  @Field(() => ExclusionReasonEnum) reason: ExclusionReason;
  @Field(() => String, { nullable: true, description: "The manager's words, at most 1000 characters; required for OTHER." }) note: string | null;
  @Field(() => GraphQLISODateTime) excludedAt: Date;
  @Field(() => String, { nullable: true, description: "Who excluded it; null when that account is gone." }) excludedByName: string | null;

  static from(x: CaseExclusionInfo): CaseExclusion {
    return Object.assign(new CaseExclusion(), { reason: x.reason, note: x.note, excludedAt: x.excludedAt, excludedByName: x.excludedByName });
  }
}

@ObjectType({ description: "The unit a reader annotates: one image, one series read as a stack, or one study (every series of it), with its report." })
export class Case {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String, { description: "The case's name in its project, as the upload chose (file name, identifier or mapping); unique per project." }) key: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => String, { nullable: true, description: "DICOM modality of the case's series (CR, DX, CT, OT...); a study case's modalities, comma-separated (\"CT, PT\")." }) modality: string | null;
  @Field(() => String, { description: "De-identified, as stored and served by DICOMweb." }) studyInstanceUid: string;
  @Field(() => String, { nullable: true, description: "De-identified; null for a case that is a whole study." }) seriesInstanceUid: string | null;
  @Field(() => String, { nullable: true, description: "De-identified; null for a case that is a whole series or study." }) sopInstanceUid: string | null;
  @Field(() => Int, { nullable: true, description: "Of the image (of the first image, for a series or study case)." }) rows: number | null;
  @Field(() => Int, { nullable: true }) columns: number | null;
  @Field(() => Int, { nullable: true, description: "Frames of the image (of the first image, for a series or study case)." }) frames: number | null;
  @Field(() => Int, { description: "Images in the case: 1, or the images of its series (a series case) or of all its series (a study case)." }) images: number;
  @Field(() => Int, { description: "Series in the case: 1, or a study case's series." }) series: number;
  @Field(() => Boolean) hasReport: boolean;
  @Field(() => String, { nullable: true, description: "The report text that goes with the image; null when there is none." }) report: string | null;
  @Field(() => Int, { description: "Readers who have submitted their reading of this case." }) readersDone: number;
  @Field(() => Int, { description: "Readers the project wants for this case: readersPerCase, or its split's own number (Project.readersPerSplit)." }) readersNeeded: number;
  @Field(() => CaseExclusion, { nullable: true, description: "Why a manager excluded the case from the project; null while it is in it." }) exclusion: CaseExclusion | null;
  @Field(() => CaseSplitEnum, { description: "The dataset split the case is in, by its patient, study or itself as the project's datasetSplit says; the same in every export." }) split: CaseSplit;
  /** Where the user stands with it, when the query that found it knew (a list); the myReading field resolves it otherwise. */
  knownMyReading?: MyReading;
  /** Whether the case is assigned to the user, when a list knew (CaseAssignmentsResolver resolves it otherwise). */
  knownAssignedToMe?: boolean;
  /** The case's assigned readers, when a list knew: null where the user may not see them. */
  knownAssignedReaders?: AssignedReaderRow[] | null;

  static from(r: CaseRow): Case {
    return Object.assign(new Case(), {
      id: r.id,
      projectId: r.projectId,
      key: r.key,
      createdAt: r.createdAt,
      modality: r.modality,
      studyInstanceUid: r.studyInstanceUid,
      seriesInstanceUid: r.seriesInstanceUid,
      sopInstanceUid: r.sopInstanceUid,
      rows: r.rows,
      columns: r.columns,
      frames: r.frames,
      images: r.images,
      series: r.series,
      hasReport: r.report !== null,
      report: r.report,
      readersDone: r.readersDone,
      readersNeeded: r.readersNeeded,
      exclusion: r.exclusion ? CaseExclusion.from(r.exclusion) : null,
      split: r.split,
      ...(r.myReading ? { knownMyReading: r.myReading } : {}),
      ...(r.assignedToMe != null ? { knownAssignedToMe: r.assignedToMe } : {}),
    });
  }
}

@ObjectType()
export class CaseEdge {
  @Field(() => String, { description: "Pass as `after` to continue after this case." }) cursor: string;
  @Field(() => Case) node: Case;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: "The last edge's cursor; null on an empty page." }) endCursor: string | null;
  @Field(() => Boolean) hasNextPage: boolean;
}

@ObjectType({ description: "A page of cases, oldest first." })
export class CaseConnection {
  @Field(() => [CaseEdge]) edges: CaseEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: "Cases matching the filter, on all pages." }) totalCount: number;

  static from(p: CasePage): CaseConnection {
    return Object.assign(new CaseConnection(), {
      edges: p.edges.map((e) => Object.assign(new CaseEdge(), { cursor: e.cursor, node: Case.from(e.node) })),
      pageInfo: Object.assign(new PageInfo(), { endCursor: p.endCursor, hasNextPage: p.hasNextPage }),
      totalCount: p.totalCount,
    });
  }
}

@InputType({ description: "Every condition given must hold." })
export class CaseFilter {
  @Field(() => String, { nullable: true, description: "Part of the key, in any case." }) keyContains?: string | null;
  @Field(() => String, { nullable: true, description: "Exactly this modality (CR, DX...)." }) modality?: string | null;
  @Field(() => Boolean, { nullable: true }) hasReport?: boolean | null;
  @Field(() => MyReadingEnum, { nullable: true, description: "Where you stand with the case: NOT_STARTED, DRAFT, SUBMITTED or SKIPPED." }) myReading?: MyReading | null;
  @Field(() => Boolean, { nullable: true, description: "True: only the cases a manager excluded; false: only the cases in the project." }) excluded?: boolean | null;
  @Field(() => CaseProgressEnum, { nullable: true, description: "Only cases in the project whose reading has come so far; excluded cases never match." }) progress?: CaseProgress | null;
  @Field(() => ID, { nullable: true, description: "Only the cases assigned to this reader: your own id, or anyone's for those who follow progress (stats.view)." }) assignedTo?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "True: only cases in the project with fewer readers than the project wants per case, counting those who submitted it and those assigned to it (members who may annotate) who have not skipped it: cases that need more readers assigned; false: only those with as many. " +
      "Excluded cases never match. For those who follow progress (stats.view).",
  })
  underAssigned?: boolean | null;
  @Field(() => CaseSplitEnum, { nullable: true, description: "Only the cases in this dataset split." }) split?: CaseSplit | null;
}

@ObjectType({ description: "A dataset split's share of the project's cases (those not excluded)." })
export class DatasetSplitCount {
  @Field(() => CaseSplitEnum) split: CaseSplit;
  @Field(() => Int) cases: number;
  @Field(() => Int, { description: "Its patients, studies or cases, as the project's datasetSplit.groupBy says." }) groups: number;
  @Field(() => Int, { description: "Readers each of its cases needs: Project.readersPerCase, or the split's own number (Project.readersPerSplit)." }) readersPerCase: number;
  @Field(() => Int, { description: "Its cases submitted by as many readers as they need." }) complete: number;
}

@ObjectType({
  description:
    "A classification label's consensus in a dataset split's cases (those not excluded): a reviewer's adjudication where there is one, else the readers' majority (a label group's labels take the group's answer), as training and the consensus export take it.",
})
export class SplitLabelCount {
  @Field(() => String) label: string;
  @Field(() => CaseSplitEnum) split: CaseSplit;
  @Field(() => Int, { description: "The split's cases." }) cases: number;
  @Field(() => Int, { description: "Its cases whose consensus is yes." }) positive: number;
  @Field(() => Int, { description: "Its cases whose consensus is no. The rest (cases - positive - negative) are unread, tied or not answered." }) negative: number;
}

@ObjectType({ description: "A CSV row that named no case of the project." })
export class ReportRow {
  @Field(() => Int, { description: "The line of the CSV the row starts on (the header is line 1)." }) line: number;
  @Field(() => String) key: string;
}

@ObjectType()
export class ReportImport {
  @Field(() => Int, { description: "Cases whose report was set, replaced or (by a blank report) cleared." }) matched: number;
  @Field(() => [ReportRow]) unmatched: ReportRow[];
  @Field(() => [String], { description: "Rows that were skipped or deserve a look, each starting with its line." }) problems: string[];

  static from(o: ReportImportOutcome): ReportImport {
    return Object.assign(new ReportImport(), {
      matched: o.matched,
      unmatched: o.unmatched.map((u) => Object.assign(new ReportRow(), u)),
      problems: o.problems,
    });
  }
}

@ObjectType({ description: "A project's case key mapping: which original identifier it maps to case keys, and how many. The identifiers are kept only as keyed hashes." })
export class CaseKeyMapping {
  @Field(() => CaseKeySourceEnum, { description: "FILE_NAME, PATIENT_ID or ACCESSION_NUMBER." }) identifier: string;
  @Field(() => Int) entries: number;
  @Field(() => GraphQLISODateTime) importedAt: Date;

  static from(m: CaseKeyMappingInfo): CaseKeyMapping {
    return Object.assign(new CaseKeyMapping(), m);
  }
}

@ObjectType()
export class CaseKeyMappingImport {
  @Field(() => CaseKeyMapping) mapping: CaseKeyMapping;
  @Field(() => [String], { description: "Rows that were skipped, each starting with its line." }) problems: string[];

  static from(o: MappingImportOutcome): CaseKeyMappingImport {
    return Object.assign(new CaseKeyMappingImport(), { mapping: CaseKeyMapping.from(o.mapping), problems: o.problems });
  }
}
