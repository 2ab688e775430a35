import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { enumOf } from "../../graphql/enums.js";
import { DELETION_REASONS, type CaseDeletionRow, type DeletionReason } from "./deletions.repository.js";
import type { CaseDeletionOutcome as Outcome } from "./deletions.service.js";

export const DeletionReasonEnum = enumOf<DeletionReason>(DELETION_REASONS);
registerEnumType(DeletionReasonEnum, {
  name: "DeletionReason",
  description: "Why cases were deleted for good.",
  valuesConfig: {
    CONSENT_WITHDRAWN: { description: "The subject withdrew their consent to the data's use. The images stay out: the same files uploaded again are refused." },
    IDENTIFIABLE_DATA: {
      description: "The images show what identifies the patient and de-identification cannot remove (a name burnt into the pixels, a face). The images stay out: the same files uploaded again are refused.",
    },
    WRONG_UPLOAD: { description: "The files should not have been uploaded to this project." },
    DUPLICATE: { description: "The same images as another case." },
    OTHER: { description: "Another reason, which the note gives." },
  },
});

@ObjectType({ description: "What deleting cases did." })
export class CaseDeletionOutcome {
  @Field(() => Int, { description: "Cases deleted." }) cases: number;
  @Field(() => Int, { description: "Images (DICOM instances) deleted with them." }) images: number;
  @Field(() => Int, { description: "Readings deleted with them: per case, the readers who had a draft or a submission." }) readings: number;
  @Field(() => Int, {
    description:
      "Files that stay in the project's external DICOMweb store, which refused to delete them (DELETE is not part of DICOMweb; Orthanc's plugin refuses it): delete them there. Concord no longer knows or serves them.",
  })
  filesLeft: number;
  @Field(() => Int, { description: "The project's earlier exports, removed because they may hold the deleted cases; make them again." }) exportsRemoved: number;

  static from(o: Outcome): CaseDeletionOutcome {
    return Object.assign(new CaseDeletionOutcome(), o);
  }
}

@ObjectType({ description: "The record of a deleted case: all that is left of it." })
export class CaseDeletion {
  @Field(() => ID, { description: "The id the case had (the ledger's case.delete leaf names it)." }) caseId: string;
  @Field(() => String, { description: "The key the case had in its project." }) caseKey: string;
  @Field(() => DeletionReasonEnum) reason: DeletionReason;
  @Field(() => String, { nullable: true, description: "The deleter's words, at most 1000 characters; required for OTHER." }) note: string | null;
  @Field(() => Int, { description: "Images deleted with the case." }) images: number;
  @Field(() => Int, { description: "Readers whose reading of the case was deleted with it." }) readings: number;
  @Field(() => Int, { description: "Of its files, those the project's external store kept." }) filesLeft: number;
  @Field(() => GraphQLISODateTime) deletedAt: Date;
  @Field(() => String, { nullable: true, description: "Who deleted it; null when that account is gone." }) deletedByName: string | null;

  static from(r: CaseDeletionRow): CaseDeletion {
    return Object.assign(new CaseDeletion(), r);
  }
}
