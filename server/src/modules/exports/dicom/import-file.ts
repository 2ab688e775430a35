// A file handed to the annotation import, read into labels and regions: a NIfTI or NRRD label
// volume by its name or header (label-volume.ts), a Segmentation by its SOP class (seg-import.ts),
// anything else as a Measurement Report SR (sr-import.ts), which says what it is not. Runs on a
// compute thread (compute/tasks.ts): tracing a large file's regions takes seconds, so the answer
// is plain data, a refusal included (SrImportError keeps no class across threads).
import { isGzip } from "../../images/convert/compressed.js";
import { niftiMagic } from "../../images/convert/nifti.js";
import { isNrrd } from "../../images/convert/nrrd.js";
import { readDicomFile, type DicomFile } from "../../images/dicom/read.js";
import { isLabelVolumeName, readLabelVolume, type LabelVolume } from "./label-volume.js";
import { SEGMENTATION_SOP_CLASSES, segmentationOf } from "./seg-import.js";
import { measurementReportOf, SrImportError } from "./sr-import.js";
import type { ImportedMeasurementReport } from "./types.js";

export type AnnotationFileRead = { ok: true; report: ImportedMeasurementReport } | { ok: true; volume: LabelVolume } | { ok: false; message: string };

/** `maskNames`: names of label mask values given with the import (value, name), before the file's own. */
export function readAnnotationFile(bytes: Uint8Array, name: string, maskNames: Array<[number, string]> = []): AnnotationFileRead {
  try {
    if (isLabelVolume(bytes, name)) return { ok: true, volume: readLabelVolume(bytes, name, new Map(maskNames)) };
    let file: DicomFile;
    try {
      file = readDicomFile(bytes, name);
    } catch (err) {
      return { ok: false, message: `${name}: not a readable DICOM file: ${(err as Error).message}` };
    }
    // Read once, then told apart by SOP class.
    const cls = file.sopClassUID;
    return { ok: true, report: cls && SEGMENTATION_SOP_CLASSES.has(cls) ? segmentationOf(file, name) : measurementReportOf(file, name) };
  } catch (err) {
    if (err instanceof SrImportError) return { ok: false, message: err.message };
    // Our bug, not the file's (the readers refuse what they cannot read): said without the file's contents.
    return { ok: false, message: `${name}: could not be read (${(err as Error).name}: ${(err as Error).message.slice(0, 200)})` };
  }
}

function isLabelVolume(bytes: Uint8Array, name: string): boolean {
  return isLabelVolumeName(name) || isGzip(bytes) || niftiMagic(bytes) !== null || isNrrd(bytes);
}
