import { fitOutlines } from "../modules/exports/dicom/contours.js";
import { readAnnotationFile } from "../modules/exports/dicom/import-file.js";
import { NothingToSegmentError, writePlanesSegmentation, writeSegmentation } from "../modules/exports/dicom/seg.js";
import { writeMeasurementReportSR } from "../modules/exports/dicom/sr.js";
import { niftiImageVolume, niftiLabelMask } from "../modules/exports/nifti/write.js";
import type { PlanesSegmentationInput, SegmentationInput } from "../modules/exports/dicom/types.js";
import { RenderError, renderFrame, type PixelDescription, type RenderOptions } from "../modules/images/rendered.js";
import { dawidSkeneLabel, modelOverlaps, modelVersusReaders, projectAgreement } from "../modules/review/review.analysis.js";
import type { VoteRow } from "../modules/review/review.repository.js";
import { groupAnswers, groupCases, type ChoiceGroupSpec, type GroupCaseAnswers } from "../modules/review/stats/groups.js";
import { inputsHash, type RewardInputs } from "../modules/rewards/inputs.js";
import type { RewardParams } from "../modules/rewards/policies/common.js";
import { runPolicy } from "../modules/rewards/policies/index.js";

// Pure CPU work that would otherwise hold the API's event loop for seconds on a large project:
// agreement statistics and Dawid–Skene for the review queries, a reward epoch's policy, and the
// DICOM files of an export (in the embedded default export jobs run in the API process), reading an
// imported SR, segmentation or label mask (tracing its regions); and for
// tens to hundreds of milliseconds per request, a WADO-RS rendered frame (decoding JPEG in
// JavaScript, windowing, scaling, PNG or JPEG encoding). Each task takes and returns plain data
// (structured-cloneable), so it runs the same inline or on a thread.
export const TASKS = {
  projectAgreement,
  /** A segmentation model's regions against each reader's. */
  modelOverlaps,
  /** A classifier's ROC curve against the readers' reference, and each reader's operating point. */
  modelVersusReaders,
  /** A label group's cases where the readers differ, or those behind one cell of its confusion matrix. */
  labelGroupCases(votes: readonly VoteRow[], group: ChoiceGroupSpec, pair: readonly [number, number] | null): GroupCaseAnswers[] {
    return groupCases(groupAnswers(votes, group), group.ordinal, pair);
  },
  /** Each label's Dawid–Skene posterior per case. */
  labelPosteriors(byLabel: Map<string, VoteRow[]>): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const [labelId, own] of byLabel) out.set(labelId, dawidSkeneLabel(own)!.posterior);
    return out;
  },
  rewardEpoch(policy: string, inputs: RewardInputs, parameters: RewardParams) {
    return { inputsHash: inputsHash(inputs), result: runPolicy(policy, inputs, parameters) };
  },
  /** One reading's Measurement Report SR on one image, as a Part 10 file. */
  dicomSr: writeMeasurementReportSR,
  /** One frame for the WADO-RS rendered routes, PNG or JPEG. */
  renderedFrame,
  /** An SR, SEG or label mask to import, read into labels and regions (a mask's traced), or why it cannot be. */
  annotationFile: readAnnotationFile,
  /** Traced outlines simplified to fit an annotation's points, when an import holds more. */
  fitOutlines,
  /** A reading's label mask on one volume of its case, as .nii.gz. */
  niftiLabelMask,
  /** One volume of a case's images as .nii.gz (a file per channel), or why it cannot be written. */
  niftiImage: niftiImageVolume,
  /** One reading's Segmentation of one image, as a Part 10 file; null when its ROIs cover no pixel. */
  dicomSeg(input: SegmentationInput): Uint8Array | null {
    return unlessNothing(() => writeSegmentation(input));
  },
  /** One reading's Segmentation over the planes of one grid (a series' slices, a volume's frames); null when its ROIs cover no pixel. */
  dicomSegPlanes(input: PlanesSegmentationInput): Uint8Array | null {
    return unlessNothing(() => writePlanesSegmentation(input));
  },
};

export type Tasks = typeof TASKS;

/** A SEG's bytes, or null where its ROIs cover no pixel. */
function unlessNothing(write: () => Uint8Array): Uint8Array | null {
  try {
    return write();
  } catch (err) {
    if (err instanceof NothingToSegmentError) return null;
    throw err;
  }
}

/** A rendered frame, or why it cannot be rendered (a RenderError does not keep its class across threads). */
export type RenderedFrame = { image: Uint8Array } | { status: RenderError["status"]; message: string };

/** The task behind renderedFrame: renderFrame with its RenderError as data. */
function renderedFrame(frame: Uint8Array, native: boolean, transferSyntaxUid: string, d: PixelDescription, opts: RenderOptions): RenderedFrame {
  try {
    return { image: renderFrame(frame, native, transferSyntaxUid, d, opts) };
  } catch (err) {
    if (err instanceof RenderError) return { status: err.status, message: err.message };
    throw err;
  }
}
export type TaskName = keyof Tasks;
