import { createHash, createHmac } from "node:crypto";
import { deidentify, type DeidDataset } from "../deid/deidentify.js";
import { fileStem } from "../../cases/case-keys.js";
import { gunzipAtMost, isGzip, TooLarge } from "../convert/compressed.js";
import { MAX_VOLUME_BYTES, niftiMagic, readNifti } from "../convert/nifti.js";
import { isNrrd, readNrrd } from "../convert/nrrd.js";
import { imageKind, imageToSecondaryCapture, ImageConversionError, type DicomParts } from "../convert/secondary-capture.js";
import { volumeToDicom } from "../convert/volume.js";
import { metadataJson } from "../dicom-json.js";
import { DicomReadError, readDicomFile } from "../dicom/read.js";
import { DicomWriteError, writeDicomFile } from "../dicom/write.js";
import { IngestRefusal, type PrepareOptions, type PreparedInstance } from "./prepared.js";

// One upload, start to finish in memory: read (or convert a PNG/JPEG), de-identify, write. Nothing
// identifying leaves this function: the caller stores only what it returns. CPU-bound; runs in a
// worker thread (prepare.worker.ts).

/** Concord's UID for "the file did not say which SOP class it is" (2.25 form of a fixed UUID). */
export const UNSPECIFIED_SOP_CLASS = "2.25.203956345911436458339592716416925744723";

const first = (ds: DeidDataset, tag: string): unknown => ds[tag]?.Value?.[0];
const text = (ds: DeidDataset, tag: string): string => {
  const v = first(ds, tag);
  return typeof v === "string" ? v : v == null ? "" : String(v);
};
const int = (ds: DeidDataset, tag: string): number | null => {
  const v = Number(first(ds, tag));
  return Number.isFinite(v) && text(ds, tag) !== "" ? Math.trunc(v) : null;
};

/** A stable pseudonym for a patient within a project: the same person gets the same one. */
export function patientPseudonym(projectKey: Uint8Array, originalPatientId: string): string {
  return `P${createHmac("sha256", projectKey).update(`patient:${originalPatientId}`).digest("hex").slice(0, 15).toUpperCase()}`;
}

/**
 * The upload as DICOM: a DICOM file as read; PNG and JPEG as Secondary Capture; a NIfTI or NRRD
 * volume as one multi-frame Secondary Capture. A gzip file is opened once and its content read so
 * (a .nii.gz, or a gzipped DICOM file).
 */
function readAny(name: string, bytes: Uint8Array, opts: PrepareOptions, unwrapped = false): DicomParts & { converted?: true } {
  const modality = opts.imageModality ?? "OT";
  // A converted file's UIDs come from its content: the same file again is found already stored.
  const digest = () => createHash("sha256").update(bytes).digest("hex");
  if (imageKind(bytes)) return { ...imageToSecondaryCapture(bytes, name, { modality, patientId: name.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, ""), digest: digest() }), converted: true };
  const converted = () => ({ modality, patientId: fileStem(name), digest: digest() });
  if (niftiMagic(bytes)) return { ...volumeToDicom(readNifti(bytes, name), name, converted()), converted: true };
  if (isNrrd(bytes)) return { ...volumeToDicom(readNrrd(bytes, name), name, converted()), converted: true };
  if (isGzip(bytes) && !unwrapped) {
    let inner: Uint8Array;
    try {
      inner = gunzipAtMost(bytes, MAX_VOLUME_BYTES + 1024 * 1024);
    } catch (err) {
      throw new ImageConversionError(name, err instanceof TooLarge ? `gzip file ${err.message}` : `a gzip file that does not decompress (${(err as Error).message})`);
    }
    return readAny(name, inner, opts, true);
  }
  if (/\.nii(\.gz)?$/i.test(name)) throw new ImageConversionError(name, `named as NIfTI, but not a NIfTI-1 or NIfTI-2 file (no n+1 or n+2 header)${unwrapped ? " inside its gzip" : ""}`);
  try {
    const read = readDicomFile(bytes, name);
    return { meta: read.meta, dict: read.dict };
  } catch (err) {
    if (err instanceof DicomReadError && /\.(raw|img)$/i.test(name)) {
      throw new ImageConversionError(name, "raw image data with no header to describe it: upload it with its .nhdr (NRRD) or .hdr (NIfTI) header, in the same upload and folder");
    }
    // Nothing that comes in is read: say what would have been.
    if (err instanceof DicomReadError && err.code === "NOT_DICOM" && !unwrapped) throw new ImageConversionError(name, `${err.reason}; nor a PNG, JPEG, NIfTI or NRRD image`);
    throw err;
  }
}

export function prepareInstance(file: { name: string; bytes: Uint8Array }, opts: PrepareOptions): PreparedInstance {
  const { name, bytes } = file;
  let parts: { meta: DeidDataset; dict: DeidDataset; converted?: true };
  try {
    parts = readAny(name, bytes, opts);
  } catch (err) {
    if (err instanceof DicomReadError || err instanceof ImageConversionError) throw new IngestRefusal(name, err.message);
    throw err;
  }
  if ("00041220" in parts.dict || text(parts.meta, "00020002") === "1.2.840.10008.1.3.10") {
    throw new IngestRefusal(name, `${name}: a DICOMDIR is an index of other files, not an image; it was read but not stored (upload the files it lists)`, "ignored");
  }
  // Objects without the identifiers a store needs get ones minted from the file's content, so the
  // same file always gets the same ones (and de-identification then maps them like any other UID).
  let digest: string | undefined;
  for (const tag of ["0020000D", "0020000E", "00080018"]) {
    if (!text(parts.dict, tag)) {
      digest ??= createHash("sha256").update(bytes).digest("hex");
      const minted = `2.25.${BigInt(`0x${createHmac("sha256", opts.projectKey).update(`minted:${tag}:${digest}`).digest("hex").slice(0, 32)}`).toString()}`;
      parts.dict[tag] = { vr: "UI", Value: [tag === "00080018" && text(parts.meta, "00020003") ? text(parts.meta, "00020003") : minted] };
    }
  }
  if (!text(parts.dict, "00080016")) {
    // A bare data set that never says what it is: kept, labelled honestly as of unspecified class.
    parts.dict["00080016"] = { vr: "UI", Value: [text(parts.meta, "00020002") || UNSPECIFIED_SOP_CLASS] };
  }

  const originalPatientId = text(parts.dict, "00100020") || text(parts.dict, "00100010") || name;
  const caseIdentifier =
    opts.caseIdentifier === "PATIENT_ID" ? text(parts.dict, "00100020").trim() : opts.caseIdentifier === "ACCESSION_NUMBER" ? text(parts.dict, "00080050").trim() : undefined;
  const result = deidentify(parts, {
    projectKey: opts.projectKey,
    retainLongitudinalModifiedDates: opts.retainLongitudinalModifiedDates,
    replacementPatientId: patientPseudonym(opts.projectKey, originalPatientId),
  });
  let written: Uint8Array;
  try {
    written = writeDicomFile(result as unknown as Parameters<typeof writeDicomFile>[0]);
  } catch (err) {
    if (err instanceof DicomWriteError) throw new IngestRefusal(name, `${name}: ${err.message}`);
    throw err;
  }
  const d = result.dict;
  const hasPixelData = "7FE00010" in d || "7fe00010" in d;
  return {
    bytes: written,
    sha256: createHash("sha256").update(written).digest("hex"),
    sopInstanceUid: text(d, "00080018"),
    sopClassUid: text(d, "00080016"),
    transferSyntaxUid: text(result.meta, "00020010"),
    studyInstanceUid: text(d, "0020000D"),
    seriesInstanceUid: text(d, "0020000E"),
    patientId: text(d, "00100020"),
    studyDate: text(d, "00080020") || null,
    studyDescription: text(d, "00081030"),
    modality: text(d, "00080060"),
    seriesNumber: int(d, "00200011"),
    seriesDescription: text(d, "0008103E"),
    instanceNumber: int(d, "00200013"),
    rows: int(d, "00280010"),
    columns: int(d, "00280011"),
    frames: int(d, "00280008") ?? 1,
    hasPixelData,
    metadataJson: JSON.stringify(metadataJson(d as Record<string, { vr: string; Value?: unknown[] }>, "")),
    deidentification: { ...result.report.counts, privateAttributesRemoved: result.report.privateAttributesRemoved, uidsReplaced: result.report.uidsReplaced },
    ...(caseIdentifier === undefined ? {} : { caseIdentifier }),
    ...(parts.converted ? { wholeSeries: true } : {}),
  };
}
