import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { MyReadingEnum } from "../cases/cases.types.js";
import type { MyReading } from "../cases/cases.repository.js";
import type { AssignedReaderRow, AssignmentChangeOutcome, AssignmentImportOutcome, DistributionOutcome } from "./assignments.service.js";

@ObjectType({ description: "A reader a manager assigned a case to, and where they stand with it." })
export class AssignedReader {
  @Field(() => ID) readerId: string;
  @Field(() => String) name: string;
  @Field(() => GraphQLISODateTime) assignedAt: Date;
  @Field(() => MyReadingEnum, { description: "Where the reader stands with the case: not started, a draft, submitted or skipped." }) reading: MyReading;

  static from(r: AssignedReaderRow): AssignedReader {
    return Object.assign(new AssignedReader(), r);
  }
}

@ObjectType({ description: "What assigning or unassigning changed." })
export class AssignmentChange {
  @Field(() => Int, { description: "Assignments made (assignReaders) or withdrawn (unassignReaders)." }) changed: number;
  @Field(() => Int, { description: "Pairs of a case and a reader that already were (assignReaders) or were not (unassignReaders) assigned." }) unchanged: number;

  static from(o: AssignmentChangeOutcome): AssignmentChange {
    return Object.assign(new AssignmentChange(), o);
  }
}

@ObjectType({ description: "What distributing cases among readers did." })
export class CaseDistribution {
  @Field(() => Int, { description: "Assignments made." }) assigned: number;
  @Field(() => Int, { description: "Cases that were given at least one reader." }) cases: number;
  @Field(() => Int, { description: "Cases left with fewer readers than asked for: too few of the chosen readers were free to read them (already assigned, or they skipped it)." })
  shortCases: number;

  static from(o: DistributionOutcome): CaseDistribution {
    return Object.assign(new CaseDistribution(), o);
  }
}

@ObjectType({ description: "What an assignment CSV did." })
export class AssignmentImport {
  @Field(() => Int, { description: "Assignments made." }) assigned: number;
  @Field(() => Int, { description: "Rows whose case was already assigned to that reader." }) unchanged: number;
  @Field(() => [String], { description: "Rows left out, each starting with its line: a key that names no case, an address of no reader of the project, an excluded case." })
  problems: string[];

  static from(o: AssignmentImportOutcome): AssignmentImport {
    return Object.assign(new AssignmentImport(), o);
  }
}
