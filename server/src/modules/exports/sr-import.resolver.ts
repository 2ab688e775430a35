import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { MaskLabelName, StructuredReportFile, StructuredReportImport } from "./sr-import.types.js";

@Resolver()
export class SrImportResolver {
  @Mutation(() => [StructuredReportImport], {
    description:
      "Imports DICOM Measurement Report SRs (TID 1500; ours, or others' as far as they map), DICOM Segmentations (BINARY, FRACTIONAL or label map) and " +
      "NIfTI or NRRD label masks (placed on the image frames lying in their slices' planes; a label named by its value, or by the file for a mask of one label) as your " +
      "annotations: each file becomes a new submitted version of your annotation of the case holding its images, label and ROI class names matched to the " +
      "project's, case-insensitively (a segment by its label, else its property type); each region of a segment becomes a freehand ROI (a rectangle for a " +
      "class that takes rectangles, when it is one), and a segmentation keeps your label values. Permission data.upload, and a role that may annotate. One " +
      "result per file, in order; a refused file stores nothing.",
  })
  async importStructuredReports(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("files", () => [StructuredReportFile]) files: StructuredReportFile[],
    @Ctx() ctx: Context,
    @Arg("maskLabels", () => [MaskLabelName], { nullable: true, description: "Names for the label masks' values (an nnU-Net dataset.json's labels), before any name a file gives." })
    maskLabels?: MaskLabelName[] | null,
  ): Promise<StructuredReportImport[]> {
    // Access is checked in the service; bytes that are not base64 decode to a file the SR reader refuses.
    const decoded = files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.contentBase64, "base64")) }));
    const names = maskLabels?.map(({ value, name }) => ({ value, name }));
    return (await ctx.services.srImport.importReports(ctx.actor, projectId, decoded, names)).map(StructuredReportImport.from);
  }
}
