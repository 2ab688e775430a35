import { IsHexColor, IsInt, IsOptional, Length, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ACTIONS, ROLES, type Action, type Role } from "../../access/roles.js";
import { User } from "../accounts/accounts.types.js";
import { CASE_KEY_SOURCES, type CaseKeySource, type CaseUnit, type LabelDefinitionEntity, type LabelKind, type ProjectMode, type QueueOrder, type RoiShape } from "./projects.entity.js";
import type { LabelGroupRow, MemberRow } from "./projects.repository.js";
import type { MembershipEventKind, MembershipEventPayload, ProjectEventKind, ProjectEventPayload, ProjectView } from "./projects.service.js";
import { enumOf } from "../../graphql/enums.js";
import { SPLIT_GROUPS, testPercent, type SplitGroup } from "../cases/splits.js";

export const RoleEnum = enumOf(ROLES);
registerEnumType(RoleEnum, { name: "Role", description: "A member's role in a project." });

export const ProjectModeEnum = enumOf<ProjectMode>(["STANDARD", "REVIEW", "EDUCATION"]);
registerEnumType(ProjectModeEnum, { name: "ProjectMode" });

export const CaseUnitEnum = enumOf<CaseUnit>(["IMAGE", "SERIES", "STUDY"]);
registerEnumType(CaseUnitEnum, {
  name: "CaseUnit",
  description: "What one case is.",
  valuesConfig: {
    IMAGE: { description: "Each image (instance) is a case." },
    SERIES: { description: "Each series is a case, read as one stack (CT, MR)." },
    STUDY: { description: "Each study is a case, every series of it read together (a mammogram's views, an MR's sequences, a current and a prior image)." },
  },
});

export const QueueOrderEnum = enumOf<QueueOrder>(["DEFAULT", "MOST_UNCERTAIN", "RANDOM"]);
registerEnumType(QueueOrderEnum, {
  name: "QueueOrder",
  description: "The order in which nextCase hands out cases (after a reader's own draft or claim).",
  valuesConfig: {
    DEFAULT: { description: "The case with the fewest readers first, then the oldest." },
    MOST_UNCERTAIN: {
      description:
        "Active learning: the cases the project's latest ready classifier and latest ready segmentation model are least sure about first (a classifier's probability nearest 50 % on any label; " +
        "a segmentation model's largest share of an image where it hesitates between two classes), each case by its rank among each model's predictions, the better of the two; cases without a prediction after them.",
    },
    RANDOM: {
      description:
        "Each reader their own random order, as reader studies want (no order effect shared across readers): the cases in an order fixed per reader by a hash of the reader and the case, the same on every visit; after the reader's own draft or claim and their assigned cases.",
    },
  },
});

export const CaseKeySourceEnum = enumOf<CaseKeySource>(CASE_KEY_SOURCES);
registerEnumType(CaseKeySourceEnum, {
  name: "CaseKeySource",
  description: "How ingest names new cases.",
  valuesConfig: {
    FILE_NAME: { description: "The file name without extension; for series cases, the folder the files came in (else the first file's name)." },
    PATIENT_ID: { description: "The original PatientID (0010,0020). Identifying: every member sees case keys." },
    ACCESSION_NUMBER: { description: "The original AccessionNumber (0008,0050). Identifying: every member sees case keys." },
    MAPPING: { description: "The project's case key mapping (CSV of identifier to case key); files it does not list are refused." },
  },
});

export const SplitGroupEnum = enumOf<SplitGroup>(SPLIT_GROUPS);
registerEnumType(SplitGroupEnum, {
  name: "SplitGroup",
  description: "What a case's dataset split follows, so that what belongs together is never on both sides of it.",
  valuesConfig: {
    PATIENT: { description: "Its patient (the de-identified Patient ID): every case of one patient in the same split. A file without a Patient ID counts by its Patient's Name, else by its file name; where every file carries the same Patient ID (data anonymised before with one ID for all, phantoms), they are all one patient's, so choose STUDY for them." },
    STUDY: { description: "Its study: every case of one study in the same split." },
    CASE: { description: "The case alone." },
  },
});

@ObjectType({
  description:
    "How the project's cases divide into TRAIN, VALIDATION and TEST (Case.split): each group (SplitGroup) by a hash of the project and the group into one of 100 buckets, " +
    "the first trainPercent of them TRAIN, the next validationPercent VALIDATION, the rest TEST. The same case is always in the same split; changing the percentages moves only the groups whose bucket crosses a boundary.",
})
export class DatasetSplit {
  @Field(() => Int) trainPercent: number;
  @Field(() => Int) validationPercent: number;
  @Field(() => Int, { description: "100 - trainPercent - validationPercent." }) testPercent: number;
  @Field(() => SplitGroupEnum) groupBy: SplitGroup;
}

@InputType()
export class DatasetSplitInput {
  @Field(() => Int, { description: "1 to 100." }) trainPercent: number;
  @Field(() => Int, { description: "0 to 99; with trainPercent at most 100. TEST takes the rest." }) validationPercent: number;
  @Field(() => SplitGroupEnum, { nullable: true, description: "Unchanged when omitted (PATIENT for a new project)." }) groupBy?: SplitGroup | null;
}

@ObjectType({
  description:
    "Readers per case in the VALIDATION and TEST splits, where the project wants another number there than readersPerCase (a reference standard read by more readers than the training data). " +
    "Null: that split's cases need readersPerCase. TRAIN cases always need readersPerCase. Case.readersNeeded gives each case's number.",
})
export class ReadersPerSplit {
  @Field(() => Int, { nullable: true }) validation: number | null;
  @Field(() => Int, { nullable: true }) test: number | null;
}

@InputType({ description: "Replaces both numbers: each 1 to 100, or null (omitted) for readersPerCase." })
export class ReadersPerSplitInput {
  @Field(() => Int, { nullable: true }) validation?: number | null;
  @Field(() => Int, { nullable: true }) test?: number | null;
}

export const LabelKindEnum = enumOf<LabelKind>(["CLASSIFICATION", "ROI"]);
registerEnumType(LabelKindEnum, { name: "LabelKind", description: "A classification label, or a class of region of interest." });

export const RoiShapeEnum = enumOf<RoiShape>(["RECTANGLE", "FREEHAND", "POINT", "LINE"]);
registerEnumType(RoiShapeEnum, {
  name: "RoiShape",
  description: "An ROI class's shape, or a region's kind: RECTANGLE and FREEHAND enclose an area; POINT is one [x, y] (a landmark); LINE is two [x, y] ends (a stored length).",
});

export const ProjectEventKindEnum = enumOf<ProjectEventKind>([
  "PROJECT_UPDATED",
  "PROJECT_ARCHIVED",
  "PROJECT_UNARCHIVED",
  "LABELS_CHANGED",
  "MEMBERS_CHANGED",
  "ACCESS_REVOKED",
]);
registerEnumType(ProjectEventKindEnum, { name: "ProjectEventKind" });

export const MembershipEventKindEnum = enumOf<MembershipEventKind>(["ADDED", "ROLE_CHANGED", "REMOVED"]);
registerEnumType(MembershipEventKindEnum, { name: "MembershipEventKind" });

/** project.view -> PROJECT_VIEW, annotations.viewOthers -> ANNOTATIONS_VIEW_OTHERS */
export const permissionName = (a: Action) => a.replace(/([a-z])([A-Z])/g, "$1_$2").replace(".", "_").toUpperCase();
export const PermissionEnum = Object.fromEntries(ACTIONS.map((a) => [permissionName(a), permissionName(a)]));
registerEnumType(PermissionEnum, { name: "Permission", description: "What the current user may do in a project." });

@ObjectType()
export class LabelDefinition {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => LabelKindEnum) kind: LabelKind;
  @Field(() => RoiShapeEnum, { nullable: true }) roiShape: RoiShape | null;
  @Field(() => String) name: string;
  @Field(() => String) description: string;
  @Field(() => String, { description: "#rrggbb" }) color: string;
  @Field(() => Int) position: number;
  @Field(() => Boolean) archived: boolean;
  @Field(() => ID, { nullable: true, description: "The label group it belongs to: its labels take one answer." }) groupId: string | null;

  static from(e: LabelDefinitionEntity): LabelDefinition {
    return Object.assign(new LabelDefinition(), {
      id: e.id,
      projectId: e.projectId,
      kind: e.kind,
      roiShape: e.roiShape,
      name: e.name,
      description: e.description,
      color: e.color,
      position: e.position,
      archived: !!e.archivedAt,
      groupId: e.groupId,
    });
  }
}

@ObjectType({
  description:
    "Classification labels among which a reader gives one answer: a category (BI-RADS), a grade, a side. Each label keeps its own value; at most one of a group's labels may be present in a reading.",
})
export class LabelGroup {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) name: string;
  @Field(() => [ID], { description: "Its labels in order (a scale's, lowest first), archived ones included." }) labelIds: string[];
  @Field(() => Boolean, { description: "The answers are ordered grades: the review also weighs how far apart two readers' answers lie." }) ordinal: boolean;
  @Field(() => Boolean, { description: "A submission must give one of the group's labels as present; otherwise none of them is an answer too." }) required: boolean;

  static from(r: LabelGroupRow): LabelGroup {
    return Object.assign(new LabelGroup(), r);
  }
}

@ObjectType()
export class Project {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String) description: string;
  @Field(() => ProjectModeEnum) mode: ProjectMode;
  @Field(() => Boolean, { description: "Readers do not see each other's work on a case until they have submitted it." })
  blindReading: boolean;
  @Field(() => Int, { description: "Readers each case needs (in VALIDATION and TEST, unless readersPerSplit gives those their own)." }) readersPerCase: number;
  @Field(() => ReadersPerSplit) readersPerSplit: ReadersPerSplit;
  @Field(() => Boolean, {
    description:
      "De-identification keeps study dates, shifted per patient by a secret number of days (PS3.15 Retain Longitudinal Temporal Information with Modified Dates); otherwise dates are removed. Applies to uploads from the change on.",
  })
  retainLongitudinalModifiedDates: boolean;
  @Field(() => CaseUnitEnum, { description: "What one case is. Applies to images ingested from the change on." }) caseUnit: CaseUnit;
  @Field(() => CaseKeySourceEnum, { description: "How new cases are named unless an upload chooses otherwise." }) caseKeySource: CaseKeySource;
  @Field(() => QueueOrderEnum) queueOrder: QueueOrder;
  @Field(() => Boolean, {
    description:
      "Readers read only the cases a manager assigned to them: the queue hands out nothing else, and a reading of another case is refused. Off: the queue hands out any case with an open slot, each reader's assigned cases first.",
  })
  assignedReading: boolean;
  @Field(() => DatasetSplit) datasetSplit: DatasetSplit;
  @Field(() => Boolean) archived: boolean;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => RoleEnum) myRole: Role;
  @Field(() => [PermissionEnum]) myPermissions: string[];

  static from(v: ProjectView): Project {
    const p = v.project;
    return Object.assign(new Project(), {
      id: p.id,
      name: p.name,
      description: p.description,
      mode: p.mode,
      blindReading: p.blindReading,
      readersPerCase: p.readersPerCase,
      readersPerSplit: Object.assign(new ReadersPerSplit(), { validation: p.readersValidation, test: p.readersTest }),
      retainLongitudinalModifiedDates: p.retainLongitudinalModifiedDates,
      caseUnit: p.caseUnit,
      caseKeySource: p.caseKeySource,
      queueOrder: p.queueOrder,
      assignedReading: p.assignedReading,
      datasetSplit: Object.assign(new DatasetSplit(), { trainPercent: p.splitTrain, validationPercent: p.splitValidation, testPercent: testPercent({ trainPercent: p.splitTrain, validationPercent: p.splitValidation }), groupBy: p.splitGroup }),
      archived: !!p.archivedAt,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      myRole: v.role,
      myPermissions: v.permissions.map(permissionName),
    });
  }
}

@ObjectType()
export class Member {
  @Field(() => User) user: User;
  @Field(() => RoleEnum) role: Role;
  @Field(() => GraphQLISODateTime) grantedAt: Date;

  static from(m: MemberRow): Member {
    const user = Object.assign(new User(), { id: m.userId, name: m.name, email: m.email, createdAt: m.createdAt, admin: m.admin, disabled: m.disabled });
    return Object.assign(new Member(), { user, role: m.role, grantedAt: m.grantedAt });
  }
}

@ObjectType({ description: "Something changed in a project; clients refetch what they show." })
export class ProjectEvent {
  @Field(() => ProjectEventKindEnum) kind: ProjectEventKind;
  @Field(() => ID) projectId: string;
  @Field(() => GraphQLISODateTime) at: Date;

  static from(p: ProjectEventPayload): ProjectEvent {
    return Object.assign(new ProjectEvent(), { kind: p.kind, projectId: p.projectId, at: new Date(p.at) });
  }
}

@ObjectType({ description: "Your own membership changed: you were added to a project, your role changed, or you were removed." })
export class MembershipEvent {
  @Field(() => MembershipEventKindEnum) kind: MembershipEventKind;
  @Field(() => ID) projectId: string;
  @Field(() => RoleEnum, { nullable: true, description: "Your role now; null when removed." }) role: Role | null;
  @Field(() => GraphQLISODateTime) at: Date;

  static from(p: MembershipEventPayload): MembershipEvent {
    return Object.assign(new MembershipEvent(), { kind: p.kind, projectId: p.projectId, role: p.role, at: new Date(p.at) });
  }
}

@InputType()
export class ProjectSettingsInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(5000) description?: string | null;
  @Field(() => ProjectModeEnum, { nullable: true }) @IsOptional() mode?: ProjectMode | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() blindReading?: boolean | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() retainLongitudinalModifiedDates?: boolean | null;
  @Field(() => CaseUnitEnum, { nullable: true }) @IsOptional() caseUnit?: CaseUnit | null;
  @Field(() => CaseKeySourceEnum, { nullable: true }) @IsOptional() caseKeySource?: CaseKeySource | null;
  @Field(() => QueueOrderEnum, { nullable: true }) @IsOptional() queueOrder?: QueueOrder | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() assignedReading?: boolean | null;
  @Field(() => DatasetSplitInput, { nullable: true }) @IsOptional() datasetSplit?: DatasetSplitInput | null;
  @Field(() => ReadersPerSplitInput, { nullable: true }) @IsOptional() readersPerSplit?: ReadersPerSplitInput | null;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be at least 1" })
  @Max(100, { message: "must be at most 100" })
  readersPerCase?: number | null;
}

@InputType()
export class CreateProjectInput extends ProjectSettingsInput {
  @Field(() => String) @Length(1, 200, { message: "must be 1 to 200 characters" }) name: string;
}

@InputType()
export class CreateLabelInput {
  @Field(() => LabelKindEnum) kind: LabelKind;
  @Field(() => RoiShapeEnum, { nullable: true }) @IsOptional() roiShape?: RoiShape | null;
  @Field(() => String) @Length(1, 200, { message: "must be 1 to 200 characters" }) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) description?: string | null;
  @Field(() => String, { nullable: true, description: "#rrggbb; a distinct colour is chosen when omitted." })
  @IsOptional()
  @IsHexColor({ message: "must be a colour like #1a2b3c" })
  color?: string | null;
}

@ObjectType({ description: "What copyLabels made, and what it left out and why." })
export class LabelCopy {
  @Field(() => [LabelDefinition]) labels: LabelDefinition[];
  @Field(() => [LabelGroup]) groups: LabelGroup[];
  @Field(() => [String], { description: 'Each label or group not copied, with the reason: `label "Effusion": this project has a label of that name`.' }) skipped: string[];
}

@InputType()
export class LabelGroupInput {
  @Field(() => String) @Length(1, 200, { message: "must be 1 to 200 characters" }) name: string;
  @Field(() => [ID], { description: "2 to 20 active classification labels, in the group's order; they move next to each other where the first of them stood." })
  labelIds: string[];
  @Field(() => Boolean, { nullable: true, description: "Default false." }) @IsOptional() ordinal?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "Default false." }) @IsOptional() required?: boolean | null;
}

@InputType({ description: "Only the fields given change. Kind and shape are fixed once a label exists." })
export class UpdateLabelInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200, { message: "must be 1 to 200 characters" }) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) description?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsHexColor({ message: "must be a colour like #1a2b3c" }) color?: string | null;
}

@InputType()
export class GrantRoleInput {
  @Field(() => String, { description: "The e-mail address of an existing account." }) @MaxLength(254) email: string;
  @Field(() => RoleEnum) role: Role;
}
