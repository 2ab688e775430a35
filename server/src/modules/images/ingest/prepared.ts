/** What ingest needs to know of one upload after parsing, de-identification and re-writing. */
export interface PreparedInstance {
  /** The de-identified Part 10 file, as stored and served. */
  bytes: Uint8Array;
  sha256: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  patientId: string;
  studyDate: string | null;
  studyDescription: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  frames: number;
  /** Images become cases; other objects (SR, SEG...) are stored beside them. */
  hasPixelData: boolean;
  /**
   * DICOM JSON without bulk data, serialised (BulkDataURIs are relative, "bulk/7FE00010", resolved
   * when served). Serialised on the worker thread: the index takes it as JSON text, and a string
   * crosses threads far more cheaply than the object would, then to be serialised again.
   */
  metadataJson: string;
  /** Counts of what de-identification did, for the upload report (no values). */
  deidentification: Record<string, number>;
  /**
   * The original value of the attribute that keys cases, when the upload asked for one
   * (PrepareOptions.caseIdentifier); "" when the file has none. Identifying: used for the case key
   * or the case key mapping, never stored in the file, the index or a log.
   */
  caseIdentifier?: string;
  /**
   * The file is a series of its own: a PNG, JPEG or volume converted here (its UIDs are its own).
   * A series case of it is named after the file, not after the folder it came in.
   */
  wholeSeries?: true;
}

export interface PrepareOptions {
  projectKey: Uint8Array;
  retainLongitudinalModifiedDates: boolean;
  /** Modality for PNG/JPEG uploads. */
  imageModality?: string;
  /** Which original attribute to hand back as PreparedInstance.caseIdentifier. */
  caseIdentifier?: "PATIENT_ID" | "ACCESSION_NUMBER";
}

/**
 * A file not stored, with a message for the uploader (which file, what is wrong). "ignored" is for
 * files that are fine but are not images to store, such as a DICOMDIR.
 */
export class IngestRefusal extends Error {
  constructor(
    readonly fileName: string,
    message: string,
    readonly kind: "refused" | "ignored" = "refused",
  ) {
    super(message);
  }
}
