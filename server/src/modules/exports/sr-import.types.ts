import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { SrImportResult, SrImportStatus } from "./sr-import.service.js";

export const SrImportStatusEnum = { IMPORTED: "IMPORTED", REFUSED: "REFUSED" } as const satisfies { [K in SrImportStatus]: K };
registerEnumType(SrImportStatusEnum, {
  name: "StructuredReportImportStatus",
  valuesConfig: {
    IMPORTED: { description: "Stored as a new submitted version of your annotation of the case." },
    REFUSED: { description: "Nothing of the file was stored; the message says why." },
  },
});

// No multipart upload scalar exists in this API (images come in through STOW-RS), and reports are
// small: their bytes come base64-encoded, within the GraphQL body limit.
@InputType({ description: "A DICOM Structured Report (TID 1500 Measurement Report) or Segmentation file, or a NIfTI or NRRD label mask." })
export class StructuredReportFile {
  @Field(() => String, { description: "The file's name, as shown in the results." }) name: string;
  @Field(() => String, { description: "The file's bytes, base64." }) contentBase64: string;
}

@InputType({ description: "The name of a label mask's value, as an nnU-Net dataset.json gives it (1: liver)." })
export class MaskLabelName {
  @Field(() => Int, { description: "The label value, a positive whole number." }) value: number;
  @Field(() => String, { description: "Its name: the project's ROI class of that name gets the value's regions." }) name: string;
}

@ObjectType({ description: "What became of one imported structured report." })
export class StructuredReportImport {
  @Field(() => String) fileName: string;
  @Field(() => SrImportStatusEnum) status: SrImportStatus;
  @Field(() => String) message: string;
  @Field(() => ID, { nullable: true, description: "The case holding the report's image." }) caseId: string | null;
  @Field(() => String, { nullable: true }) caseKey: string | null;
  @Field(() => ID, { nullable: true, description: "The annotation version the report became." }) annotationId: string | null;
  @Field(() => Int, { nullable: true }) version: number | null;
  @Field(() => Int, { description: "Label values imported (labels the report names; the others are recorded as implicit negatives, as on any submission)." }) labels: number;
  @Field(() => Int, { description: "Regions imported." }) rois: number;
  @Field(() => [String], { description: "What was left out or approximated: names the project lacks, content Concord has no place for." }) warnings: string[];

  static from(r: SrImportResult): StructuredReportImport {
    return Object.assign(new StructuredReportImport(), r);
  }
}
